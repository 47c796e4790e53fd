// Keeping a syntax error local: the lines where a declaration starts, found in the source text
// itself, so that a region tree-sitter's error recovery swallowed can be re-parsed piece by piece
// (metrics.cpp). Text only: no tree, no allocation beyond the result.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/ast/ast.hpp"

namespace obscore::ast {

struct DeclLine {
  std::uint32_t begin = 0;  // byte offset where its piece starts (leading annotation lines included)
  std::uint32_t keyword_line = 0;  // 0-based line of the declaration keyword
  int indent = 0;           // columns of leading whitespace (a tab counts 1)
  bool type = false;        // a type (class, struct, extension...) rather than a function
  std::string name;         // the type's name (types only)
};

// Whether `lang` has declaration keywords this scanner knows (Kotlin, Swift, Python, Go, Rust,
// JavaScript/TypeScript). Java and C/C++ declare functions without a keyword: not scanned.
bool scans_declarations(Language lang);

// Declaration lines whose keyword line starts in [begin, end) of `src`, in order.
std::vector<DeclLine> declaration_lines(std::string_view src, Language lang, std::uint32_t begin,
                                        std::uint32_t end);

}  // namespace obscore::ast
