// obscore logscan: record-aware log summaries. One pass per input computes records (a header
// line plus its continuation lines), levels from the format's level field, severities,
// timestamps and a histogram, any number of user patterns at once, and optionally message
// templates. Formats: see format_names() and man/obscore-logscan.1.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::logscan {

// Normalised log levels, lowest first (a record's level; core::Severity is a diagnostic's).
enum class LogLevel : std::uint8_t { kTrace, kDebug, kInfo, kNotice, kWarn, kError, kFatal, kNone };
constexpr int kSeverities = 7;
const char* severity_name(LogLevel s);
// "trace".."fatal" (and common spellings: warning, err, critical...); nullopt when unknown.
std::optional<LogLevel> parse_severity(std::string_view token);

// The built-in formats, in detection priority order.
std::vector<std::string> format_names();

struct Pattern {
  std::string id;
  std::string regex;
};

// Parses `-e` values: "ID=REGEX" when ID is an identifier ([A-Za-z_][A-Za-z0-9_.-]*), else the
// whole text is the regex and its id is the text itself.
Pattern parse_pattern_arg(std::string_view arg);
// Parses a pattern file: one pattern per line in the `-e` syntax; blank lines and lines starting
// with '#' are skipped. Throws core::Error (usage) naming file:line for an empty pattern.
std::vector<Pattern> parse_pattern_lines(std::string_view text, const std::string& path);

// A problem in a YAML pattern or rule document, at a JSON Pointer into it (the command that
// loaded the document turns it into file:line:col).
using RuleError = core::DataError;

// YAML pattern files, as loaded data: a list of {id, regex} mappings or "[ID=]REGEX" strings,
// or a mapping id: regex, optionally under a top-level `patterns:` key. Throws RuleError.
std::vector<Pattern> parse_pattern_data(const core::Json& document);
// True for *.yaml / *.yml, or text that starts with "patterns:" or "- ".
bool looks_like_yaml_patterns(std::string_view text, std::string_view path);

enum class Bucket { kAuto, kMinute, kHour, kDay };
std::optional<Bucket> parse_bucket(std::string_view s);

struct Options {
  core::WalkOptions walk;
  std::string format;               // --log-format NAME ("" = detect per file)
  std::string header_regex;         // --header REGEX with named groups ts, level, msg
  std::vector<Pattern> patterns;    // -e / --patterns
  bool templates = false;           // --templates
  bool records = false;             // --records: results are one row per record (implies templates)
  std::size_t top = 10;             // --top
  Bucket bucket = Bucket::kAuto;    // --bucket
  int year = 0;                     // year for formats without one (0 = the current year)
  std::optional<LogLevel> fail_on;  // --fail-on LEVEL
  std::vector<std::string> fail_on_patterns;  // --fail-on-pattern ID
  // --fail-on-unknown-format: what --fail-on does with a file whose levels could not be read
  // while level words appear in a sizeable share of its first lines (kError: exit 3).
  enum class UnknownFormat { kError, kIgnore } unknown_format = UnknownFormat::kError;
  bool progress = false;
};

using RunResult = core::RunResult;

// The table/CSV view of logscan results (one row per file).
core::View make_view();
// The table/CSV view of --records results: path, line, level, template_id, template.
core::View make_records_view();

// Validates options before any input is read: compiles the patterns and the header regex.
// Throws core::Error (usage) with the offending pattern.
void validate(const Options& options);

// Scans every input (files, directories, globs, `-`), hands each file's result to `out` in path
// order, then the summary. Per-input problems become diagnostics.
RunResult run(const std::vector<std::string>& inputs, const Options& options, core::Output& out);

// `obscore merge` of runs with --shard K/N (files whole, or large files as chunk ranges): the
// shards' per-file statistics, carried in summary.shard.state, merged as a run merges chunks,
// then rendered by the run's own code; the unsharded output exactly, duration_ms aside.
// Returns what the merge itself found (the table bounds of `--templates` and `top_errors`
// reached by the merged totals), for the caller to report; the shards' own diagnostics are
// already in the output.
std::vector<core::Diagnostic> merge(const core::Partials& partials, core::Output& out);

}  // namespace obscore::logscan
