// Masks: source text rewritten before the parse where a pinned grammar cannot read a construct
// of the language (the grammars cannot be regenerated here). Every replacement has the length of
// what it replaces and keeps newlines, so byte offsets, lines and columns stay those of the
// file. Each mask that fired is reported (kind "mask") so --explain shows what was assumed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "obscore/ast/ast.hpp"

namespace obscore::ast {

// The text to parse: `source` itself when no mask applies, else `storage` holding the masked
// copy. Appends one assumption per mask kind that fired (first and last line, count).
std::string_view mask_source(std::string_view source, Language lang, std::string& storage,
                             std::vector<FileMetrics::Assumption>& applied);

}  // namespace obscore::ast
