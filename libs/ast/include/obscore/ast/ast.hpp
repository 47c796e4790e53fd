// obscore ast: per-function cyclomatic and cognitive complexity, nesting depth and size for
// Python, Java, Kotlin, Swift, JavaScript, TypeScript/TSX, Go, C, C++, Rust, Objective-C and
// Dart, from
// tree-sitter syntax trees. Definitions: man/obscore-ast.1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::ast {

enum class Language {
  kPython, kJava, kKotlin, kSwift, kJavaScript, kTypeScript, kTsx, kGo, kC, kCpp, kRust,
  kObjC, kDart
};
inline constexpr int kLanguageCount = static_cast<int>(Language::kDart) + 1;

// "python", "java", ..., as used in output and by --lang.
const char* language_name(Language lang);
// Accepts the names above and common aliases ("py", "js", "ts", "c++", "golang", "kt", "rs").
std::optional<Language> parse_language(std::string_view name);
// By file extension; a `.h` file is C, C++ or Objective-C by its content (`head`: the file's
// bytes, of which header_language reads what it needs), C when `head` is empty.
std::optional<Language> language_for_path(std::string_view path, std::string_view head = {});
// The language of a `.h` header from its content: Objective-C when it holds an Objective-C
// directive (`@interface`, `@protocol`, `@class`, `#import`, `@end`, ...), C++ when it holds C++
// syntax (`class X {`, `namespace`, `template<`, `std::`, access labels, a standard header
// without `.h` such as `#include <vector>`), C otherwise. The first 8 KiB decide; when they hold
// no evidence (a long licence or documentation comment), up to 256 KiB are read.
Language header_language(std::string_view head);
std::vector<std::string> language_names();

// One step of a metric, for --explain.
struct Increment {
  int line = 0;
  std::string metric;   // "cyclomatic" | "cognitive" | "nesting"
  int amount = 0;
  std::string reason;   // e.g. "if (nesting 2)", "&& sequence", "else"
};

struct FunctionMetrics {
  std::string name;
  std::string qualified_name;  // Class.method, outer.inner
  std::string kind;            // function | method | closure | lambda
  int start_line = 0;  // the declaration's own line (annotations, attributes, decorators excluded)
  int end_line = 0;
  int first_line = 0;  // the first annotation/attribute line when some precede it, else 0
  int loc = 0;
  int sloc = 0;
  int params = 0;
  int cyclomatic = 1;
  int cognitive = 0;  // both saturate at INT_MAX
  int max_nesting = 0;
  std::vector<Increment> increments;  // only with explain
};

struct FileMetrics {
  Language language = Language::kPython;
  int lines = 0;
  int sloc = 0;
  int parse_errors = 0;       // ERROR and MISSING nodes in the recovered tree
  int first_error_line = 0;   // 1-based position of the first one
  int first_error_column = 0;
  bool parse_aborted = false;  // the grammar's error recovery went beyond its budget: no metrics
  // What was assumed to read the file (with --explain): text masked before the parse (kind
  // "mask", detail naming it) and regions re-parsed on their own after a syntax error
  // (kind "reparse").
  struct Assumption {
    int line = 0;
    int end_line = 0;
    std::string kind;
    std::string detail;
  };
  std::vector<Assumption> assumptions;
  std::vector<FunctionMetrics> functions;  // in source order
};

struct AnalyzeOptions {
  bool explain = false;
  // --closures rows: every anonymous closure/lambda is a row of its own (ESLint, lizard). By
  // default they count towards the enclosing function (Sonar, detekt, PMD).
  bool closure_rows = false;
};

// Parses `source` and measures every function. Never throws on malformed input; syntax errors
// are counted in parse_errors and metrics come from tree-sitter's recovered tree.
FileMetrics analyze_source(std::string_view source, Language lang,
                           const AnalyzeOptions& options = {});

// Parses only (no metrics) and returns the number of nodes' direct children of the root: the
// baseline that bench/ast compares a full analysis against.
std::size_t parse_only(std::string_view source, Language lang);

// The syntax tree as an S-expression (for --print-tree, debugging), of the masked text.
std::string syntax_tree(std::string_view source, Language lang);
// The same without masks (tests: a mask's snippet must fail without it).
std::string syntax_tree_unmasked(std::string_view source, Language lang);
// `--print-tree`: reads `path` and writes one result {path, language, tree} (the syntax tree as
// one S-expression line) and the summary {files: 1}. Throws core::Error when the file cannot be
// read or its language is unknown (pass `lang`).
core::View make_tree_view();
void print_tree(const std::string& path, std::optional<Language> lang, core::Output& out);

// Functions above a limit are findings; no value = no gate (0 is a gate: nothing allowed).
struct Gates {
  std::optional<int> max_cyclomatic;
  std::optional<int> max_cognitive;
  std::optional<int> max_nesting;
};

enum class SortKey { kCognitive, kCyclomatic, kNesting, kLoc, kSloc, kParams, kName };
std::optional<SortKey> parse_sort_key(std::string_view name);

struct RunOptions {
  core::WalkOptions walk;
  std::optional<Language> lang;           // --lang: force one language
  std::uint64_t max_file_size = 4u << 20;  // --max-file-size
  bool explain = false;
  bool closure_rows = false;              // --closures rows
  Gates gates;
  bool use_cache = true;
  std::string cache_dir;                  // empty = $XDG_CACHE_HOME/obscore/ast
  std::string changed_since;              // git ref; empty = all files
  bool progress = false;                  // progress line on stderr
  SortKey sort = SortKey::kCognitive;     // table order
  std::size_t top = 0;                    // table rows; 0 = all
};

// findings: gate offenders; gate_tripped when there is one.
using RunResult = core::RunResult;

// The table/CSV/SARIF view of `ast` results for the output layer.
core::View make_view(const RunOptions& options);

// Walks `inputs`, analyses every file in parallel (with the cache), and hands each file's
// result object to `out` in path order, then the summary. Per-file problems become
// diagnostics; throws core::Error for whole-run failures (bad git ref, bad cache dir).
RunResult run(const std::vector<std::string>& inputs, const RunOptions& options,
              core::Output& out);

// `obscore merge`: the output of the unsharded run from its shards' partial outputs (results
// as they are, the summary recomputed from them; duration_ms is the slowest shard's).
void merge(const core::Partials& partials, core::Output& out);

}  // namespace obscore::ast
