// Diagnostics, exit-code arithmetic and the one-line message format.
#include "obscore/core/diagnostic.hpp"

#include <cctype>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "obscore/core/output.hpp"

namespace obscore::core {

namespace {
int rank(ExitCode c) {
  switch (c) {
    case ExitCode::kOk: return 0;
    case ExitCode::kGate: return 1;
    case ExitCode::kInput: return 3;
    case ExitCode::kUsage: return 2;
    case ExitCode::kInternal: return 4;
    case ExitCode::kInterrupted: return 5;
  }
  return 4;
}
}  // namespace

ExitCode worst(ExitCode a, ExitCode b) { return rank(a) >= rank(b) ? a : b; }

ExitCode Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::kUsage: return ExitCode::kUsage;
    case ErrorKind::kInput: return ExitCode::kInput;
    case ErrorKind::kInternal: return ExitCode::kInternal;
  }
  return ExitCode::kInternal;
}

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s) {
  std::string v(s);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "note" || v == "info" || v == "low") return Severity::kNote;
  if (v == "warning" || v == "warn" || v == "medium") return Severity::kWarning;
  if (v == "error" || v == "high" || v == "critical") return Severity::kError;
  return std::nullopt;
}

Json to_json(const Diagnostic& d) {
  Json j;
  j["path"] = d.path.empty() ? Json(nullptr) : Json(sanitize_utf8(d.path));
  j["line"] = d.line > 0 ? Json(d.line) : Json(nullptr);
  j["column"] = d.column > 0 ? Json(d.column) : Json(nullptr);
  j["severity"] = to_string(d.severity);
  j["message"] = sanitize_utf8(d.message);
  return j;
}

std::string format_message(const Diagnostic& d, bool color) {
  std::string where;
  if (!d.path.empty()) {
    where = d.path;
    if (d.line > 0) where += fmt::format(":{}", d.line);
    if (d.line > 0 && d.column > 0) where += fmt::format(":{}", d.column);
    where += ": ";
  }
  const char* sev = to_string(d.severity);
  if (color) {
    const char* code = d.severity == Severity::kError ? "\x1b[1;31m"
                       : d.severity == Severity::kWarning ? "\x1b[1;33m"
                                                          : "\x1b[1;36m";
    return fmt::format("obscore: {}{}:\x1b[0m {}{}", code, sev, where, d.message);
  }
  return fmt::format("obscore: {}: {}{}", sev, where, d.message);
}

ExitCode exit_code_for(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::kError) return ExitCode::kInput;
  }
  return ExitCode::kOk;
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
    return std::tie(a.path, a.line, a.column, a.message) <
           std::tie(b.path, b.line, b.column, b.message);
  });
}

namespace {

// A message's kind: quoted text, numbers and the diagnostic's own path masked.
std::string message_kind(const Diagnostic& d) {
  std::string_view m = d.message;
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (!d.path.empty() && m.substr(i, d.path.size()) == d.path) {
      out += '\x01';
      i += d.path.size() - 1;
      continue;
    }
    char c = m[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      out += "\x02";
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += c;
    }
  }
  return fmt::format("{}\x03{}", static_cast<int>(d.severity), out);
}

}  // namespace

std::vector<std::pair<Diagnostic, std::size_t>> summarise_diagnostics(const std::vector<const Diagnostic*>& diagnostics,
                                                                      std::size_t from) {
  std::map<std::string, std::vector<const Diagnostic*>> kinds;
  for (const auto* d : diagnostics) kinds[message_kind(*d)].push_back(d);
  std::vector<std::pair<Diagnostic, std::size_t>> out;
  std::set<std::string> done;
  for (const auto* d : diagnostics) {
    std::string kind = message_kind(*d);
    const auto& members = kinds[kind];
    if (from == 0 || members.size() < from) {
      out.emplace_back(*d, 1);
      continue;
    }
    if (!done.insert(kind).second) continue;
    std::set<std::string> files;
    for (const auto* m : members) files.insert(m->path);
    Diagnostic first = *d;
    first.message += fmt::format(" (and {} more like it in {} file{}; -v lists them)", members.size() - 1, files.size(),
                                 files.size() == 1 ? "" : "s");
    out.emplace_back(std::move(first), members.size());
  }
  return out;
}

}  // namespace obscore::core
