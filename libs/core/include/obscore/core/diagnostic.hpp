// Per-input problems (one file unreadable, a parse warning): collected, reported under
// `diagnostics` in JSON and printed on stderr as `obscore: error: PATH:LINE:COL: what`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"

namespace obscore::core {

enum class Severity { kNote, kWarning, kError };

const char* to_string(Severity s);

// The inverse of to_string, any case, with the aliases rule packs and CI tools use: "note"/"info"/
// "low", "warning"/"warn"/"medium", "error"/"high"/"critical". nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view s);

struct Diagnostic {
  std::string path;   // display path; empty when the problem is not about one input
  int line = 0;       // 1-based; 0 when unknown
  int column = 0;     // 1-based; 0 when unknown
  Severity severity = Severity::kError;
  std::string message;
};

// {"path","line","column","severity","message"}; line/column are null when unknown.
Json to_json(const Diagnostic& d);

// `obscore: error: path:line:col: message` (no trailing newline), colour when asked.
std::string format_message(const Diagnostic& d, bool color);

// kInput when any diagnostic is an error, else kOk.
ExitCode exit_code_for(const std::vector<Diagnostic>& diagnostics);

// Diagnostics of one kind (same severity, same message once quoted text and numbers are masked)
// folded for a person at a terminal: a kind with `from` or more members becomes its first member
// with "(and N more like it in M files; -v lists them)" appended; others pass through. Each
// output pairs the diagnostic with how many it stands for, in the order of first appearance.
std::vector<std::pair<Diagnostic, std::size_t>> summarise_diagnostics(const std::vector<const Diagnostic*>& diagnostics,
                                                                      std::size_t from);

// Sorts by path, line, column, then message: output is the same for any thread count.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace obscore::core
