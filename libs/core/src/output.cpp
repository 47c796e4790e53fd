// Sinks for every --format. Results arrive in final order; JSON buffers the serialised results
// (the envelope puts the summary first), NDJSON and CSV stream, table and SARIF collect.
#include "obscore/core/output.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sink.hpp"
#include "obscore/version.hpp"

namespace obscore::core {

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

std::string cell_text(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return fmt::format("{:.2f}", v.get<double>());
  return dump(v);
}

Json envelope_head(const OutputOptions& o) {
  Json j;
  j["tool"] = "obscore";
  j["version"] = o.tool_version;
  j["command"] = o.command;
  j["schema_version"] = 2;
  return j;
}

std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;  // count code points
  return w;
}

std::string fit(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) return std::string(s);
  std::string out;
  std::size_t w = 0;
  for (char i : s) {
    auto c = static_cast<unsigned char>(i);
    if ((c & 0xC0) != 0x80) {
      if (w + 1 >= width) break;
      ++w;
    }
    out += i;
  }
  return out + "\u2026";
}

std::string wrap(std::string_view text, std::size_t width) {
  std::string out;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::size_t indent = line.find_first_not_of(' ');
    indent = indent == std::string_view::npos ? 0 : std::min<std::size_t>(indent, 8);
    bool first = true;
    while (width > indent + 8 && display_width(line) > (first ? width : width - indent)) {
      std::size_t limit = first ? width : width - indent;
      // The byte offset of code point `limit`, then the last space at or before it.
      std::size_t at = 0;
      for (std::size_t cp = 0; at < line.size() && cp < limit; ++at) {
        if ((static_cast<unsigned char>(line[at]) & 0xC0) != 0x80) ++cp;
      }
      while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
      std::size_t cut = line.rfind(' ', at);
      if (cut == std::string_view::npos || cut <= indent) break;  // one long word: leave it whole
      if (!first) out.append(indent, ' ');
      out.append(line.substr(0, cut));
      out += '\n';
      line.remove_prefix(cut + 1);
      first = false;
    }
    if (!first) out.append(indent, ' ');
    out.append(line);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string shorten_path(std::string_view path, std::size_t width) {
  if (display_width(path) <= width) return std::string(path);
  if (width == 0) return {};
  // Keep whole trailing components while they fit after "…/"; at least the file name's end.
  std::size_t keep = path.size();  // start of the kept tail
  std::size_t budget = width - 1;  // the ellipsis
  for (;;) {
    std::size_t slash = keep == 0 ? std::string_view::npos : path.rfind('/', keep - 1);
    if (slash == std::string_view::npos) break;
    if (display_width(path.substr(slash)) > budget) break;
    keep = slash;
  }
  if (keep < path.size() && path[keep] == '/') return "\u2026" + std::string(path.substr(keep));
  // The file name alone is too long: its last width-1 code points.
  std::size_t i = path.size(), w = 0;
  while (i > 0 && w < budget) {
    --i;
    if ((static_cast<unsigned char>(path[i]) & 0xC0) != 0x80) ++w;
  }
  return "\u2026" + std::string(path.substr(i));
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    bool ws = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {

std::string uri_encode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::strchr("-._~/", c) != nullptr) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

namespace {

class JsonSink : public Sink {
 public:
  using Sink::Sink;
  ~JsonSink() override {
    if (spill_ != nullptr) std::fclose(spill_);
  }
  void result(const Json& r) override { result_text(dump(r)); }
  bool needs_structure() const override { return false; }
  // The envelope puts the summary first, so results wait: in memory up to kSpillBytes, then in
  // an unnamed temporary file, so memory stays bounded however many results there are.
  void result_text(std::string_view text) override {
    if (count_++ != 0) emit(",");
    emit(text);
  }
  // Each result preceded by a comma; the very first one's is dropped.
  Output::Framing framing() const override { return {",", ""}; }
  void results_framed(std::string_view block, std::size_t count) override {
    if (count == 0) return;
    if (count_ == 0) block.remove_prefix(1);
    count_ += count;
    emit(block);
  }
  void early_summary(const Json& summary) override {
    if (count_ != 0 || head_written_) return;
    write_head(summary);
  }
  void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    if (!head_written_) write_head(summary);
    if (spill_ != nullptr) {
      if (std::fflush(spill_) != 0 || std::fseek(spill_, 0, SEEK_SET) != 0) spill_failed();
      std::string chunk(1 << 20, '\0');
      std::size_t n = 0;
      while ((n = std::fread(chunk.data(), 1, chunk.size(), spill_)) > 0) out_.write(std::string_view(chunk.data(), n));
      if (std::ferror(spill_)) spill_failed();
    }
    out_.write(buffer_);
    Json diags = Json::array();
    for (const auto& d : diagnostics) diags.push_back(to_json(d));
    out_.write("],\"diagnostics\":");
    out_.write(dump(diags));
    out_.write("}\n");
    out_.commit();
  }

 private:
  static constexpr std::size_t kSpillBytes = 32u << 20;
  void write_head(const Json& summary) {
    Json head = envelope_head(opt_);
    head["summary"] = summary;
    std::string text = dump(head);
    text.pop_back();  // reopen the object
    text += ",\"results\":[";
    out_.write(text);
    head_written_ = true;
  }
  // Result text: written when the summary came early (streaming), buffered otherwise.
  void emit(std::string_view text) {
    if (head_written_) {
      out_.write(text);
      return;
    }
    buffer_ += text;
    if (buffer_.size() >= kSpillBytes) spill();
  }
  void spill() {
    if (spill_ == nullptr) spill_ = std::tmpfile();
    if (spill_ == nullptr || std::fwrite(buffer_.data(), 1, buffer_.size(), spill_) != buffer_.size()) spill_failed();
    buffer_.clear();
  }
  [[noreturn]] void spill_failed() {
    throw Error(ErrorKind::kInput, fmt::format("cannot buffer results in a temporary file: {}", std::strerror(errno)));
  }
  std::string buffer_;
  std::FILE* spill_ = nullptr;
  std::size_t count_ = 0;
  bool head_written_ = false;
};

class NdjsonSink : public Sink {
 public:
  using Sink::Sink;
  void result(const Json& r) override { result_text(dump(r)); }
  bool needs_structure() const override { return false; }
  void result_text(std::string_view text) override {
    out_.write(kPrefix);
    out_.write(text);
    out_.write(kSuffix);
    flush_now_and_then();
  }
  Output::Framing framing() const override { return {kPrefix, kSuffix}; }
  void results_framed(std::string_view block, std::size_t) override {
    out_.write(block);
    flush_now_and_then();
  }
  bool streams_records() const override { return true; }
  void record(std::string_view type, const Json& data) override {
    Json line;
    line["type"] = type;
    line["data"] = data;
    out_.write(dump(line) + "\n");
  }
  void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    for (const auto& d : diagnostics) {
      Json line;
      line["type"] = "diagnostic";
      line["data"] = to_json(d);
      out_.write(dump(line) + "\n");
    }
    Json line;
    line["type"] = "summary";
    Json head = envelope_head(opt_);
    for (auto& [k, v] : head.items()) line[k] = v;
    line["data"] = summary;
    out_.write(dump(line) + "\n");
    out_.commit();
  }

 private:
  static constexpr std::string_view kPrefix = R"({"type":"result","data":)";
  static constexpr std::string_view kSuffix = "}\n";
  std::int64_t last_flush_ms_ = 0;
  // Streamed for readers of a pipe, but not one flush per line: at most every 50 ms. The
  // coarse clock (a few ms resolution) costs a memory read, not a clock read, per record.
  void flush_now_and_then() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    std::int64_t ms = static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
    if (ms - last_flush_ms_ >= 50) {
      out_.flush();
      last_flush_ms_ = ms;
    }
  }
};

class CsvSink : public Sink {
 public:
  CsvSink(OutputOptions o, View v) : Sink(std::move(o), std::move(v)) {
    std::string header;
    for (std::size_t i = 0; i < view_.columns.size(); ++i) {
      if (i != 0) header += ',';
      header += csv_escape(view_.columns[i].name);
    }
    out_.write(header + "\r\n");
  }
  void result(const Json& r) override {
    if (!view_.rows) return;
    rows_.clear();
    view_.rows(r, rows_);
    for (const auto& row : rows_) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i != 0) line += ',';
        const Json& v = row[i];
        // Full precision in CSV: it is for machines.
        line += csv_escape(v.is_number_float() ? dump(v) : cell_text(v));
      }
      out_.write(line + "\r\n");
    }
  }
  void finish(const Json&, const std::vector<Diagnostic>&) override { out_.commit(); }

 private:
  std::vector<Json> rows_;
};

class TableSink : public Sink {
 public:
  using Sink::Sink;
  void result(const Json& r) override {
    if (view_.rows) view_.rows(r, rows_);
  }
  void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    if (opt_.before_table) opt_.before_table(diagnostics);
    if (view_.sort_column >= 0) {
      auto c = static_cast<std::size_t>(view_.sort_column);
      std::stable_sort(rows_.begin(), rows_.end(), [&](const Json& a, const Json& b) {
        return view_.sort_descending ? b[c] < a[c] : a[c] < b[c];
      });
    }
    if (view_.top != 0 && rows_.size() > view_.top) rows_.resize(view_.top);
    const std::size_t n = view_.columns.size();
    std::vector<std::vector<std::string>> cells;
    cells.reserve(rows_.size());
    std::vector<std::size_t> width(n, 0);
    for (std::size_t i = 0; i < n; ++i) width[i] = view_.columns[i].name.size();
    for (const auto& row : rows_) {
      std::vector<std::string> line(n);
      for (std::size_t i = 0; i < n && i < row.size(); ++i) {
        line[i] = sanitize_utf8(collapse_whitespace(cell_text(row[i])));  // a cell is one line
        width[i] = std::max(width[i], display_width(line[i]));
      }
      cells.push_back(std::move(line));
    }
    // Fit the terminal: shrink the widest text columns, never below 8 characters, and a path
    // column never below "…/" and its longest file name (up to 40), so no file name is cut.
    if (opt_.width > 0) {
      std::vector<std::size_t> floor(n, 8);
      for (std::size_t i = 0; i < n; ++i) {
        if (!view_.columns[i].path) continue;
        for (const auto& line : cells) {
          std::size_t slash = line[i].rfind('/');
          std::size_t name = display_width(slash == std::string::npos ? line[i] : line[i].substr(slash + 1));
          floor[i] = std::max(floor[i], std::min<std::size_t>(name + 2, 40));
        }
        floor[i] = std::min(floor[i], width[i]);
      }
      auto total = [&] {
        std::size_t t = n > 0 ? 2 * (n - 1) : 0;
        for (auto w : width) t += w;
        return t;
      };
      // Then numeric columns down to their widest value (their headers abbreviated, at least 4),
      // then the other text columns down to 4, and only then paths down to 8.
      std::vector<std::size_t> value_width(n, 0);
      for (const auto& line : cells) {
        for (std::size_t i = 0; i < n; ++i) value_width[i] = std::max(value_width[i], display_width(line[i]));
      }
      auto shrink = [&](auto eligible, auto lowest) {
        while (total() > static_cast<std::size_t>(opt_.width)) {
          std::size_t widest = n;
          for (std::size_t i = 0; i < n; ++i) {
            if (!eligible(i) || width[i] <= lowest(i)) continue;
            if (widest == n || width[i] > width[widest]) widest = i;
          }
          if (widest == n) return;
          --width[widest];
        }
      };
      shrink([&](std::size_t i) { return !view_.columns[i].numeric; }, [&](std::size_t i) { return floor[i]; });
      shrink([&](std::size_t i) { return view_.columns[i].numeric; },
             [&](std::size_t i) { return std::max<std::size_t>(value_width[i], 4); });
      shrink([&](std::size_t i) { return !view_.columns[i].numeric && !view_.columns[i].path; },
             [](std::size_t) { return std::size_t{4}; });
      shrink([&](std::size_t i) { return view_.columns[i].path; }, [](std::size_t) { return std::size_t{8}; });
    }
    std::string text;
    auto emit_row = [&](const std::vector<std::string>& line, bool header) {
      std::string row;
      for (std::size_t i = 0; i < n; ++i) {
        std::string cell = view_.columns[i].path ? shorten_path(line[i], width[i]) : fit(line[i], width[i]);
        std::size_t pad = width[i] - display_width(cell);
        bool right = view_.columns[i].numeric && !header;
        if (right) row.append(pad, ' ');
        row += cell;
        if (!right && i + 1 < n) row.append(pad, ' ');
        if (i + 1 < n) row += "  ";
      }
      while (!row.empty() && row.back() == ' ') row.pop_back();
      if (header && opt_.color) row = "\x1b[1m" + row + "\x1b[0m";
      text += row + "\n";
    };
    std::vector<std::string> header;
    for (const auto& c : view_.columns) header.push_back(c.name);
    emit_row(header, true);
    for (const auto& line : cells) emit_row(line, false);
    if (view_.footer) text += wrap(view_.footer(summary), static_cast<std::size_t>(std::max(opt_.width, 0)));
    out_.write(text);
    out_.commit();
  }

 private:
  std::vector<Json> rows_;
};

class SarifSink : public Sink {
 public:
  using Sink::Sink;
  void result(const Json& r) override {
    if (view_.findings) view_.findings(r, findings_);
  }
  void finish(const Json&, const std::vector<Diagnostic>& diagnostics) override {
    Json rules = Json::array();
    for (const auto& [id, text] : view_.rules) {
      rules.push_back({{"id", id}, {"shortDescription", {{"text", text}}}});
    }
    Json results = Json::array();
    for (const auto& f : findings_) {
      Json region;
      region["startLine"] = std::max(1, f.line);
      if (f.column > 0) region["startColumn"] = f.column;
      if (f.end_line >= f.line && f.end_line > 0) region["endLine"] = f.end_line;
      results.push_back(
          {{"ruleId", f.rule_id},
           {"level", f.level == Severity::kError     ? "error"
                     : f.level == Severity::kWarning ? "warning"
                                                     : "note"},
           {"message", {{"text", sanitize_utf8(f.message)}}},
           {"locations",
            Json::array({{{"physicalLocation",
                           {{"artifactLocation", {{"uri", uri_encode(f.path)}}},
                            {"region", region}}}}})}});
    }
    Json notes = Json::array();
    bool ok = true;
    for (const auto& d : diagnostics) {
      if (d.severity == Severity::kError) ok = false;
      Json n;
      n["level"] = d.severity == Severity::kError ? "error" : "warning";
      n["message"] = {{"text", sanitize_utf8(d.message)}};
      if (!d.path.empty()) {
        Json loc;
        loc["physicalLocation"]["artifactLocation"]["uri"] = uri_encode(d.path);
        if (d.line > 0) loc["physicalLocation"]["region"]["startLine"] = d.line;
        n["locations"] = Json::array({loc});
      }
      notes.push_back(n);
    }
    Json run;
    run["tool"]["driver"] = {{"name", "obscore"},
                             {"semanticVersion", opt_.tool_version},
                             {"rules", rules}};
    run["columnKind"] = "unicodeCodePoints";
    run["invocations"] = Json::array(
        {{{"executionSuccessful", ok}, {"toolExecutionNotifications", notes}}});
    run["results"] = results;
    Json doc;
    doc["version"] = "2.1.0";
    doc["runs"] = Json::array({run});
    out_.write(doc.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace) + "\n");
    out_.commit();
  }

 private:
  std::vector<Finding> findings_;
};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "json") return Format::kJson;
  if (name == "ndjson") return Format::kNdjson;
  if (name == "csv") return Format::kCsv;
  if (name == "table") return Format::kTable;
  if (name == "sarif") return Format::kSarif;
  if (name == "markdown") return Format::kMarkdown;
  if (name == "html") return Format::kHtml;
  if (name == "dot") return Format::kDot;
  return std::nullopt;
}

Output::Output(OutputOptions options, View view) {
  if (options.tool_version.empty()) options.tool_version = kVersion;
  switch (options.format) {
    case Format::kJson: sink_ = std::make_unique<JsonSink>(std::move(options), std::move(view)); break;
    case Format::kNdjson: sink_ = std::make_unique<NdjsonSink>(std::move(options), std::move(view)); break;
    case Format::kCsv: sink_ = std::make_unique<CsvSink>(std::move(options), std::move(view)); break;
    case Format::kTable: sink_ = std::make_unique<TableSink>(std::move(options), std::move(view)); break;
    case Format::kSarif: sink_ = std::make_unique<SarifSink>(std::move(options), std::move(view)); break;
    case Format::kMarkdown: sink_ = make_markdown_sink(std::move(options), std::move(view)); break;
    case Format::kHtml: sink_ = make_html_sink(std::move(options), std::move(view)); break;
    case Format::kDot:
      if (!view.has_diagrams) {
        throw Error(ErrorKind::kUsage, fmt::format("--format dot draws state machines (patterns) and flows "
                                                   "(correlate); {} has no diagrams", options.command));
      }
      sink_ = make_dot_sink(std::move(options), std::move(view));
      break;
  }
}

Output::~Output() = default;

Output::Framing Output::framing() const { return sink_->framing(); }

void Output::results_framed(std::string_view block, std::size_t count) { sink_->results_framed(block, count); }

void Output::result(const Json& result) { sink_->result(result); }

bool Output::needs_structure() const { return sink_->needs_structure(); }

void Output::result_text(std::string_view text) { sink_->result_text(text); }

bool Output::streams_records() const { return sink_->streams_records(); }

void Output::early_summary(const Json& summary) { sink_->early_summary(summary); }

void Output::record(std::string_view type, const Json& data) { sink_->record(type, data); }

void Output::finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) {
  sink_->finish(summary, diagnostics);
}

void append_json_string(std::string& out, std::string_view s) {
  // Fast path: nothing to escape or repair (ids, names, templates nearly always).
  bool plain = true;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    plain &= u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
  }
  if (plain) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  std::string clean;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      clean = sanitize_utf8(s);
      s = clean;
      break;
    }
  }
  out += '"';
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += fmt::format("\\u{:04x}", u);
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string csv_escape(std::string_view field) {
  std::string f = sanitize_utf8(field);
  if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (valid && len >= 2) {
      // Reject overlong forms, surrogates and values above U+10FFFF.
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (len == 2) valid = c >= 0xC2;
      if (len == 3) valid = !(c == 0xE0 && b1 < 0xA0) && !(c == 0xED && b1 >= 0xA0);
      if (len == 4) valid = !(c == 0xF0 && b1 < 0x90) && !(c == 0xF4 && b1 >= 0x90) && c <= 0xF4;
    }
    if (!valid) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

TextOutput::TextOutput(const std::string& path) : writer_(std::make_unique<Writer>(path)) {}

TextOutput::~TextOutput() = default;

void TextOutput::write(std::string_view text) { writer_->write(text); }

void TextOutput::commit() { writer_->commit(); }

void refuse_output_among_inputs(const std::string& output, const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return;
  struct stat out_st {};
  if (::stat(output.c_str(), &out_st) != 0) return;
  for (const auto& in : inputs) {
    struct stat in_st {};
    if (in != "-" && ::stat(in.c_str(), &in_st) == 0 && S_ISREG(in_st.st_mode) &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
      throw Error(ErrorKind::kUsage, "the output is one of the inputs (" + in + "); write elsewhere and rename",
                  output);
    }
  }
}

}  // namespace obscore::core
