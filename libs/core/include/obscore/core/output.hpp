// The output layer: libraries hand over result objects in order; --format picks the sink
// (json envelope, streamed ndjson, csv, aligned table, SARIF 2.1.0; for people: a Markdown job
// summary with Mermaid diagrams, a self-contained HTML report, Graphviz dot of the diagrams). Output goes to stdout or
// atomically to -o FILE (temp file + rename; an interrupted run leaves nothing behind).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"

namespace obscore::core {

enum class Format { kJson, kNdjson, kCsv, kTable, kSarif, kMarkdown, kHtml, kDot };

// Parses "json", "ndjson", "csv", "table", "sarif", "markdown", "html", "dot".
std::optional<Format> parse_format(std::string_view name);

struct Column {
  std::string name;
  bool numeric = false;  // right-aligned in tables
  bool path = false;     // shortened from the left (`…/dir/file.swift`) when it does not fit
};

// A diagram a command found: a state machine, a flow graph (what leads to what, with counts),
// or a sequence of messages between participants.
struct Diagram {
  enum class Kind { kStates, kFlow, kSequence };
  struct Edge {
    std::string from, to;  // states: "[*]" is the initial pseudo-state
    std::string label;
    bool reply = false;    // sequence: a response (dashed)
  };
  Kind kind = Kind::kStates;
  std::string title;               // "LoginState (app/LoginViewModel.kt:6)"
  std::vector<std::string> nodes;  // states, or participants left to right
  std::vector<Edge> edges;         // transitions, or messages top to bottom
  std::vector<std::pair<std::size_t, std::string>> notes;  // sequence: a note before edge K
};

// Values over time (a histogram), drawn as a sparkline (markdown) or an SVG chart (html).
struct Series {
  std::string title;                        // a file, or "all files"
  std::vector<std::string> labels;          // one per bucket (its start)
  std::vector<std::string> names;           // the lines: "records", "errors"
  std::vector<std::vector<double>> values;  // per name, one value per bucket
};

// A table beside the results (top templates, endpoints, per-file overview).
struct Table {
  std::string title;
  std::vector<Column> columns;
  std::vector<Json> rows;  // JSON arrays, one value per column
  int sort_column = -1;    // initial order (descending) in html; markdown keeps the given order
};

// What the report formats (markdown, html, dot) draw beyond the result rows.
struct Report {
  std::vector<Table> tables;
  std::vector<Diagram> diagrams;
  std::vector<Series> series;
};

// A finding for SARIF (and for gates): a rule that a location broke.
struct Finding {
  std::string rule_id;
  std::string message;
  std::string path;
  int line = 0;
  int end_line = 0;
  Severity level = Severity::kWarning;
  int column = 0;  // 1-based, in Unicode code points; 0 when unknown
};

// How one command's results look in the row-based formats and in SARIF.
struct View {
  std::vector<Column> columns;
  // Appends the rows (JSON arrays, one value per column) that one result contributes.
  std::function<void(const Json& result, std::vector<Json>& rows)> rows;
  // Appends the SARIF findings of one result (optional).
  std::function<void(const Json& result, std::vector<Finding>& out)> findings;
  // SARIF rule descriptions: id -> short description.
  std::vector<std::pair<std::string, std::string>> rules;
  // Table only: sort by this column (descending when sort_descending), keep the first `top`.
  int sort_column = -1;
  bool sort_descending = true;
  std::size_t top = 0;  // 0 = all
  // Table only: the summary line under the table.
  std::function<std::string(const Json& summary)> footer;
  // Report formats: what the results add up to (called per result, in order) and what the
  // summary holds (called once, at the end). Either may be empty.
  std::function<void(const Json& result, Report& report)> report_result;
  std::function<void(const Json& summary, Report& report)> report_summary;
  // The summary facts a report shows, as dotted paths ("cognitive.max"); empty: every scalar
  // of the summary (nested objects one level deep), timings and caches left out.
  std::vector<std::string> summary_keys;
  // The result rows' name in reports ("functions", "findings", "files").
  std::string rows_title = "results";
  // True when report_summary can draw diagrams (state machines, flows): `--format dot` is
  // refused for views without them.
  bool has_diagrams = false;
};

struct OutputOptions {
  Format format = Format::kJson;
  std::string path;        // empty = stdout
  bool color = false;      // table header/emphasis colour
  int width = 0;           // table width to fit (0 = unlimited)
  std::string command;     // "ast", ...
  std::string tool_version;
  // Called with the run's diagnostics just before a table is written, so that on a terminal
  // they can be shown above it (the caller then does not print them again).
  std::function<void(const std::vector<Diagnostic>&)> before_table;
};

class Sink;

// Receives results in their final order and renders them. Throws Error(kInput) when the
// output file cannot be created or written.
class Output {
 public:
  Output(OutputOptions options, View view);
  ~Output();  // without finish(): discards a temp file, writes nothing more
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void result(const Json& result);
  // True when the sink needs result objects (table, csv, sarif); false when it only writes their
  // JSON text (json, ndjson), so callers may serialise results in parallel and pass the text
  // to result_text().
  bool needs_structure() const;
  // One result as compact JSON object text (as dump() makes it); only when !needs_structure().
  void result_text(std::string_view text);
  // For callers that format many results in parallel: how the sink frames each result's text
  // in its output (NDJSON wraps it in a record, JSON separates by commas), so that whole blocks
  // can be formatted framed and written at once by results_framed(). Only when !needs_structure().
  struct Framing {
    std::string_view prefix, suffix;
  };
  Framing framing() const;
  // `count` results, each written as framing().prefix + text + framing().suffix, concatenated.
  void results_framed(std::string_view block, std::size_t count);
  // Hands over the summary before the results when the caller knows it already: JSON then streams
  // the results instead of holding them until finish() (whose summary argument is then unused).
  // Only before the first result.
  void early_summary(const Json& summary);
  // NDJSON only: writes one `{"type": TYPE, "data": ...}` line (derived records such as
  // `patterns`' API contracts); the other formats carry that data in the summary instead.
  bool streams_records() const;
  void record(std::string_view type, const Json& data);
  // Writes the summary and diagnostics, flushes, and renames -o's temp file into place.
  void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics);

 private:
  std::unique_ptr<Sink> sink_;
};

class Writer;

// Text written as it is, not as results (config's converted documents): to stdout, or atomically
// to -o FILE like Output. Throws Error(kInput) when the file cannot be created or written.
class TextOutput {
 public:
  explicit TextOutput(const std::string& path);  // empty or "-": stdout
  ~TextOutput();  // without commit(): discards a temp file
  TextOutput(const TextOutput&) = delete;
  TextOutput& operator=(const TextOutput&) = delete;

  void write(std::string_view text);
  // Flushes, and renames -o's temp file into place.
  void commit();

 private:
  std::unique_ptr<Writer> writer_;
};

// Throws Error(kUsage) naming `output` when it is the same file as one of `inputs` (by device
// and inode, so another spelling of the path is caught too): an input is never overwritten.
// Inputs that do not exist yet, "-" and an empty output are fine.
void refuse_output_among_inputs(const std::string& output, const std::vector<std::string>& inputs);

// Appends `s` as a JSON string literal (quotes included), invalid UTF-8 replaced by U+FFFD: for
// hot paths that write result text without building a Json value.
void append_json_string(std::string& out, std::string_view s);

// Runs of spaces, tabs and line breaks become one space; leading and trailing ones go.
std::string collapse_whitespace(std::string_view s);

// `path` shortened from the left to at most `width` code points, keeping the file name whole when
// it fits (`…/Tests/WebSocketTests.swift`); a file name longer than `width` keeps its end.
std::string shorten_path(std::string_view path, std::size_t width);

// RFC 4180 field quoting.
std::string csv_escape(std::string_view field);

// Replaces invalid UTF-8 with U+FFFD so any path or message can go into JSON.
std::string sanitize_utf8(std::string_view s);

}  // namespace obscore::core
