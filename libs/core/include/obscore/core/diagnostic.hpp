// Per-input problems (one file unreadable, a parse warning): collected, reported under
// `diagnostics` in JSON and printed on stderr as `obscore: error: PATH:LINE:COL: what`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "obscore/core/error.hpp"

namespace obscore::core {

using Json = nlohmann::ordered_json;

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

// Sorts by path, line, column, then message: output is the same for any thread count.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace obscore::core
