// The formats people read: a Markdown job summary (GitHub/GitLab render its tables and Mermaid
// diagrams), one self-contained HTML report (inline CSS, SVG and a little script; sortable tables
// that read the same without script), and Graphviz dot of the diagrams. All three collect the
// result rows (as the table does) and what the view's report hooks add, and render at finish().
// Nothing here depends on time or thread count: the same input gives the same bytes.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sink.hpp"

namespace obscore::core {

namespace {

constexpr std::size_t kMarkdownTop = 10;      // rows of each table in a job summary
constexpr std::size_t kMarkdownCell = 72;     // code points of one markdown cell
constexpr std::size_t kMarkdownDiagrams = 8;  // diagrams in a job summary
constexpr std::size_t kHtmlRows = 5000;       // result rows in the HTML report
constexpr std::size_t kSummaryRows = 24;      // rows of the summary table
constexpr std::size_t kSparkline = 48;        // characters of a sparkline

bool is_number(const Json& v) { return v.is_number(); }

// The summary's scalar facts as (key, text) pairs: nested objects of a few scalars are flattened
// one level ("counts.api_contracts"); arrays of objects are left to the report tables; the run's
// duration is left out so that two runs over the same input give the same report.
std::vector<std::pair<std::string, std::string>> summary_facts(const Json& summary, const std::vector<std::string>& keys) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!summary.is_object()) return out;
  if (!keys.empty()) {
    for (const auto& key : keys) {
      const Json* v = &summary;
      std::size_t start = 0;
      while (v != nullptr && start <= key.size()) {
        std::size_t dot = key.find('.', start);
        std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        v = v->is_object() && v->contains(part) ? &(*v)[part] : nullptr;
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      if (v != nullptr && !v->is_null() && !v->is_structured()) out.emplace_back(key, cell_text(*v));
    }
    return out;
  }
  auto scalar_text = [](const Json& v) -> std::optional<std::string> {
    if (v.is_null()) return std::nullopt;
    if (v.is_string() || v.is_number() || v.is_boolean()) return cell_text(v);
    if (v.is_array() && !v.empty() && v.size() <= 6 &&
        std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string() || e.is_number(); })) {
      std::string t;
      for (const auto& e : v) t += (t.empty() ? "" : ", ") + cell_text(e);
      return t;
    }
    return std::nullopt;
  };
  for (const auto& [key, value] : summary.items()) {
    if (key == "duration_ms" || key == "cache" || key == "shard") continue;
    if (auto t = scalar_text(value)) {
      out.emplace_back(key, *t);
    } else if (value.is_object() && !value.empty() && value.size() <= 8) {
      for (const auto& [k2, v2] : value.items()) {
        if (auto t2 = scalar_text(v2)) out.emplace_back(fmt::format("{}.{}", key, k2), *t2);
      }
    }
    if (out.size() >= kSummaryRows) break;
  }
  if (out.size() > kSummaryRows) out.resize(kSummaryRows);
  return out;
}

void sort_rows(std::vector<Json>& rows, int column, bool descending) {
  if (column < 0) return;
  auto c = static_cast<std::size_t>(column);
  std::stable_sort(rows.begin(), rows.end(), [&](const Json& a, const Json& b) {
    if (c >= a.size() || c >= b.size()) return false;
    return descending ? b[c] < a[c] : a[c] < b[c];
  });
}

// A sparkline of `values` in at most `width` characters (bins summed when there are more).
std::string sparkline(const std::vector<double>& values, std::size_t width) {
  static constexpr const char* kBars[] = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
  if (values.empty()) return {};
  std::vector<double> bins;
  if (values.size() <= width) {
    bins = values;
  } else {
    bins.assign(width, 0.0);
    for (std::size_t i = 0; i < values.size(); ++i) bins[i * width / values.size()] += values[i];
  }
  double top = *std::max_element(bins.begin(), bins.end());
  std::string out;
  for (double v : bins) {
    if (top <= 0 || v <= 0) {
      out += v <= 0 ? " " : kBars[0];
      continue;
    }
    auto level = static_cast<std::size_t>(std::max(0.0, std::ceil(v / top * 8.0) - 1.0));  // any count shows
    out += kBars[std::min<std::size_t>(level, 7)];
  }
  return out;
}

// Sink base of the three report formats: rows as the table collects them, plus the Report.
class ReportSink : public Sink {
 public:
  // `keep`: the result rows the format shows; memory stays bounded by it however many results
  // come (the top rows by the view's order, or the first ones when it has none).
  ReportSink(OutputOptions o, View v, std::size_t keep) : Sink(std::move(o), std::move(v)), keep_(keep) {}
  void result(const Json& r) override {
    ++results_;
    std::size_t before = rows_.size();
    if (view_.rows) view_.rows(r, rows_);
    total_rows_ += rows_.size() - before;
    if (rows_.size() >= 2 * keep_ + 4096) keep_top();
    if (view_.report_result) view_.report_result(r, report_);
  }
  void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    if (view_.report_summary) view_.report_summary(summary, report_);
    keep_top();
    for (auto& t : report_.tables) sort_rows(t.rows, t.sort_column, true);
    out_.write(render(summary, diagnostics));
    out_.commit();
  }

 protected:
  virtual std::string render(const Json& summary, const std::vector<Diagnostic>& diagnostics) = 0;
  std::string heading() const {
    return opt_.command.empty() ? std::string("obscore") : "obscore " + opt_.command;
  }
  std::size_t results_ = 0;
  std::vector<Json> rows_;    // at most keep_ after keep_top()
  std::size_t total_rows_ = 0;  // all the rows the results had
  Report report_;

 private:
  // Stable: the kept rows are those a full sort of every row would put first.
  void keep_top() {
    sort_rows(rows_, view_.sort_column, view_.sort_descending);
    if (rows_.size() > keep_) rows_.resize(keep_);
  }
  std::size_t keep_;
};

// ---------------------------------------------------------------------------------------------
// Markdown

std::string md_cell(const Json& v, const Column& c) {
  std::string t = sanitize_utf8(collapse_whitespace(cell_text(v)));
  t = c.path ? shorten_path(t, kMarkdownCell) : fit(t, kMarkdownCell);
  std::string out;
  for (char ch : t) {
    switch (ch) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '`': out += "\\`"; break;
      case '*': out += "\\*"; break;
      case '_': out += "\\_"; break;
      case '[': out += "\\["; break;
      default: out += ch;
    }
  }
  return out;
}

std::string md_table(const std::vector<Column>& columns, const std::vector<Json>& rows, std::size_t top,
                     std::size_t total = 0) {
  total = std::max(total, rows.size());
  std::string out = "|";
  for (const auto& c : columns) out += " " + md_cell(Json(c.name), Column{}) + " |";
  out += "\n|";
  for (const auto& c : columns) out += c.numeric ? " --: |" : " :-- |";
  out += "\n";
  for (std::size_t r = 0; r < rows.size() && r < top; ++r) {
    out += "|";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      out += " " + (i < rows[r].size() ? md_cell(rows[r][i], columns[i]) : std::string()) + " |";
    }
    out += "\n";
  }
  if (total > top) out += fmt::format("\n_… and {} more; the JSON output lists them all._\n", total - std::min(top, rows.size()));
  return out;
}

// Mermaid labels: one line, no characters that end a statement or start an entity.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : sanitize_utf8(collapse_whitespace(s))) {
    switch (c) {
      case '"': out += "'"; break;
      case ';': out += ","; break;
      case '#': out += "#35;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '\\': out += "/"; break;
      default: out += c;
    }
  }
  return fit(out, 80);
}

std::string mermaid(const Diagram& d) {
  std::string out;
  auto id_of = [&](const std::string& name) -> std::string {
    if (name == "[*]") return name;
    auto it = std::find(d.nodes.begin(), d.nodes.end(), name);
    return fmt::format("n{}", it - d.nodes.begin());
  };
  switch (d.kind) {
    case Diagram::Kind::kStates:
      out += "stateDiagram-v2\n";
      for (std::size_t i = 0; i < d.nodes.size(); ++i) out += fmt::format("    state \"{}\" as n{}\n", mermaid_text(d.nodes[i]), i);
      for (const auto& e : d.edges) {
        out += fmt::format("    {} --> {}", id_of(e.from), id_of(e.to));
        if (!e.label.empty()) out += ": " + mermaid_text(e.label);
        out += "\n";
      }
      break;
    case Diagram::Kind::kFlow:
      out += "flowchart LR\n";
      for (std::size_t i = 0; i < d.nodes.size(); ++i) out += fmt::format("    n{}[\"{}\"]\n", i, mermaid_text(d.nodes[i]));
      for (const auto& e : d.edges) {
        out += fmt::format("    {} -->", id_of(e.from));
        if (!e.label.empty()) out += "|\"" + mermaid_text(e.label) + "\"|";
        out += " " + id_of(e.to) + "\n";
      }
      break;
    case Diagram::Kind::kSequence: {
      out += "sequenceDiagram\n";
      for (std::size_t i = 0; i < d.nodes.size(); ++i) out += fmt::format("    participant n{} as {}\n", i, mermaid_text(d.nodes[i]));
      std::size_t note = 0;
      for (std::size_t k = 0; k < d.edges.size(); ++k) {
        for (; note < d.notes.size() && d.notes[note].first <= k; ++note) {
          out += fmt::format("    Note over n0,n{}: {}\n", d.nodes.empty() ? 0 : d.nodes.size() - 1, mermaid_text(d.notes[note].second));
        }
        const auto& e = d.edges[k];
        out += fmt::format("    {}{}{}: {}\n", id_of(e.from), e.reply ? "-->>" : "->>", id_of(e.to),
                           mermaid_text(e.label.empty() ? " " : e.label));
      }
      break;
    }
  }
  return out;
}

std::string md_diagnostic(const Diagnostic& d) {
  std::string where = d.path;
  if (d.line > 0) where += fmt::format(":{}", d.line);
  if (d.column > 0) where += fmt::format(":{}", d.column);
  std::string text = md_cell(Json(d.message), Column{});
  return fmt::format("- **{}**{} {}\n", to_string(d.severity),
                     where.empty() ? std::string() : " `" + shorten_path(sanitize_utf8(where), 60) + "`", text);
}

class MarkdownSink : public ReportSink {
 public:
  MarkdownSink(OutputOptions o, View v) : ReportSink(std::move(o), std::move(v), kMarkdownTop) {}

 protected:
  std::string render(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    std::string md = "## " + heading() + "\n\n";
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : diagnostics) {
      errors += d.severity == Severity::kError;
      warnings += d.severity == Severity::kWarning;
    }
    md += fmt::format("{} {}; {} errors, {} warnings.\n\n", total_rows_, view_.rows_title, errors, warnings);
    auto facts = summary_facts(summary, view_.summary_keys);
    if (!facts.empty()) {
      md += "| summary | |\n| :-- | --: |\n";
      for (const auto& [k, v] : facts) md += "| " + md_cell(Json(k), Column{}) + " | " + md_cell(Json(v), Column{}) + " |\n";
      md += "\n";
    }
    if (!rows_.empty() && !view_.columns.empty()) {
      std::size_t top = view_.top != 0 ? std::min(view_.top, kMarkdownTop) : kMarkdownTop;
      if (view_.sort_column >= 0) {
        md += fmt::format("### Top {} {} by {}\n\n", std::min(top, rows_.size()), view_.rows_title,
                          view_.columns[static_cast<std::size_t>(view_.sort_column)].name);
      } else {
        md += fmt::format("### {}\n\n", capitalised(view_.rows_title));
      }
      md += md_table(view_.columns, rows_, top, total_rows_) + "\n";
    }
    for (const auto& t : report_.tables) {
      if (t.rows.empty()) continue;
      md += "### " + t.title + "\n\n" + md_table(t.columns, t.rows, kMarkdownTop) + "\n";
    }
    if (!report_.series.empty()) {
      md += "### Timeline\n\n| | records | first | last |\n| :-- | :-- | :-- | :-- |\n";
      for (std::size_t i = 0; i < report_.series.size() && i < kMarkdownTop; ++i) {
        const auto& s = report_.series[i];
        if (s.values.empty() || s.labels.empty()) continue;
        md += fmt::format("| {} | `{}` | {} | {} |\n", md_cell(Json(s.title), Column{"", false, true}),
                          sparkline(s.values[0], kSparkline), md_cell(Json(s.labels.front()), Column{}),
                          md_cell(Json(s.labels.back()), Column{}));
      }
      if (report_.series.size() > kMarkdownTop) md += fmt::format("\n_… and {} more files._\n", report_.series.size() - kMarkdownTop);
      md += "\n";
    }
    std::size_t drawn = 0;
    for (const auto& d : report_.diagrams) {
      if (d.kind == Diagram::Kind::kFlow) continue;  // the sequence diagrams tell the same flows
      if (drawn++ == kMarkdownDiagrams) {
        md += fmt::format("_… and {} more diagrams; --format html draws them all._\n\n", report_.diagrams.size() - kMarkdownDiagrams);
        break;
      }
      md += "### " + md_cell(Json(d.title), Column{}) + "\n\n```mermaid\n" + mermaid(d) + "```\n\n";
    }
    if (!diagnostics.empty()) {
      md += fmt::format("### Diagnostics ({})\n\n", diagnostics.size());
      for (std::size_t i = 0; i < diagnostics.size() && i < 2 * kMarkdownTop; ++i) md += md_diagnostic(diagnostics[i]);
      if (diagnostics.size() > 2 * kMarkdownTop) md += fmt::format("- … and {} more\n", diagnostics.size() - 2 * kMarkdownTop);
      md += "\n";
    }
    md += fmt::format("<sub>obscore {}</sub>\n", opt_.tool_version);
    return md;
  }

 private:
  static std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
  }
};

// ---------------------------------------------------------------------------------------------
// Graphviz dot

std::string dot_id(std::string_view s) {
  std::string out = "\"";
  for (char c : sanitize_utf8(collapse_whitespace(s))) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class DotSink : public ReportSink {
 public:
  DotSink(OutputOptions o, View v) : ReportSink(std::move(o), std::move(v), 0) {}

 protected:
  std::string render(const Json&, const std::vector<Diagnostic>&) override {
    std::string out;
    std::size_t k = 0;
    for (const auto& d : report_.diagrams) {
      if (d.kind == Diagram::Kind::kSequence) continue;  // dot has no sequence diagrams: kFlow says it
      out += fmt::format("digraph g{} {{\n  label={};\n  labelloc=t;\n  rankdir=LR;\n", k++, dot_id(d.title));
      out += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n";
      bool initial = std::any_of(d.edges.begin(), d.edges.end(), [](const auto& e) { return e.from == "[*]"; });
      if (initial) out += "  \"[*]\" [shape=point, width=0.15, label=\"\"];\n";
      for (const auto& n : d.nodes) out += "  " + dot_id(n) + ";\n";
      for (const auto& e : d.edges) {
        out += "  " + dot_id(e.from) + " -> " + dot_id(e.to);
        if (!e.label.empty()) out += " [label=" + dot_id(e.label) + "]";
        out += ";\n";
      }
      out += "}\n";
    }
    if (k == 0) out = fmt::format("digraph g0 {{\n  label={};\n}}\n", dot_id(heading() + ": no diagrams found"));
    return out;
  }
};

// ---------------------------------------------------------------------------------------------
// HTML

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : sanitize_utf8(s)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A number for SVG coordinates: fixed, short, locale-free.
std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string html_table(const std::string& id, const std::vector<Column>& columns, const std::vector<Json>& rows,
                       std::size_t limit, int sorted_column, bool descending, std::size_t total = 0) {
  total = std::max(total, rows.size());
  std::string out = fmt::format("<table class=\"sortable\" id=\"{}\">\n<thead><tr>", id);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    out += "<th";
    if (c.numeric) out += " data-num";
    if (static_cast<int>(i) == sorted_column) out += descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"";
    out += "><button type=\"button\">" + html_escape(c.name) + "</button></th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < rows.size() && r < limit; ++r) {
    out += "<tr>";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const Json& v = i < rows[r].size() ? rows[r][i] : Json();
      std::string text = collapse_whitespace(cell_text(v));
      if (columns[i].numeric || is_number(v)) {
        out += "<td class=\"n\"";
        if (is_number(v)) out += " data-v=\"" + dump(v) + "\"";
        out += ">" + html_escape(text) + "</td>";
      } else if (columns[i].path) {
        // Right to left so that a narrow cell cuts the path's start, never its file name; the
        // text itself is kept left to right.
        out += R"(<td class="p" title=")" + html_escape(text) + R"("><bdo dir="ltr">)" + html_escape(text) + "</bdo></td>";
      } else {
        out += "<td>" + html_escape(fit(text, 300)) + "</td>";
      }
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  if (total > limit) {
    out += fmt::format("<p class=\"more\">Showing the first {} of {} rows; the JSON output lists them all.</p>\n", limit,
                       total);
  }
  return out;
}

// A bar chart of a series: one bar per bucket for each line, the later lines drawn over the
// earlier (errors over records), with the axis ends labelled.
std::string svg_chart(const Series& s) {
  constexpr double kW = 880, kH = 140, kLeft = 48, kBottom = 22, kTop = 8;
  if (s.values.empty() || s.labels.empty()) return {};
  std::size_t n = s.labels.size();
  double top = 0;
  for (const auto& line : s.values) {
    for (double v : line) top = std::max(top, v);
  }
  if (top <= 0) top = 1;
  double plot_w = kW - kLeft - 8, plot_h = kH - kBottom - kTop;
  double bw = plot_w / static_cast<double>(n);
  static constexpr const char* kColours[] = {"#8aa4c8", "#d9534f", "#f0ad4e", "#5cb85c"};
  std::string out = fmt::format(
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title>{}</title>",
      kW, kH, kW, kH, html_escape(s.title));
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>)", kLeft, kTop + plot_h, kW - 8, kTop + plot_h);
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="ax">{}</text>)", kLeft - 4, kTop + 10, cell_text(Json(top)));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="ax">0</text>)", kLeft - 4, kTop + plot_h);
  for (std::size_t l = 0; l < s.values.size(); ++l) {
    const char* colour = kColours[std::min<std::size_t>(l, 3)];
    for (std::size_t i = 0; i < n && i < s.values[l].size(); ++i) {
      double v = s.values[l][i];
      if (v <= 0) continue;
      double h = std::max(1.0, v / top * plot_h);
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>)",
                         num(kLeft + static_cast<double>(i) * bw), num(kTop + plot_h - h), num(std::max(0.5, bw - 0.5)), num(h),
                         colour, html_escape(s.labels[i]), l < s.names.size() ? html_escape(s.names[l]) : "", cell_text(Json(v)));
    }
  }
  out += fmt::format(R"(<text x="{}" y="{}" class="ax">{}</text>)", kLeft, kH - 6, html_escape(s.labels.front()));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="ax">{}</text>)", kW - 8, kH - 6, html_escape(s.labels.back()));
  out += "</svg>\n<p class=\"legend\">";
  for (std::size_t l = 0; l < s.names.size(); ++l) {
    out += fmt::format("<span style=\"color:{}\">&#9632;</span> {} ", kColours[std::min<std::size_t>(l, 3)], html_escape(s.names[l]));
  }
  return out + "</p>\n";
}

// States and flows: layers by distance from the first node (the initial state or the first
// source), nodes stacked in each layer, edges as curves; edges that go back loop below.
std::string svg_graph(const Diagram& d, std::size_t id) {
  std::vector<std::string> nodes;
  bool initial = false;
  for (const auto& e : d.edges) initial = initial || e.from == "[*]";
  if (initial) nodes.emplace_back("[*]");
  for (const auto& n : d.nodes) nodes.push_back(n);
  auto index = [&](const std::string& name) -> std::size_t {
    auto it = std::find(nodes.begin(), nodes.end(), name);
    if (it == nodes.end()) {
      nodes.push_back(name);
      return nodes.size() - 1;
    }
    return static_cast<std::size_t>(it - nodes.begin());
  };
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (const auto& e : d.edges) edges.emplace_back(index(e.from), index(e.to));
  // Layers: the longest path from a node nothing leads to, once the edges that close a cycle
  // (found depth-first, sources first) are set aside; they are drawn as back edges.
  const std::size_t n = nodes.size();
  std::vector<bool> has_in(n, false), back(edges.size(), false);
  for (auto [a, b] : edges) {
    if (a != b) has_in[b] = true;
  }
  std::vector<int> colour(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < n; ++i) {
    if (!has_in[i]) roots.push_back(i);
  }
  for (std::size_t i = 0; i < n; ++i) roots.push_back(i);  // then whatever a cycle hides
  for (std::size_t r : roots) {
    if (colour[r] != 0) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{r, 0}};  // node, next edge index
    colour[r] = 1;
    while (!stack.empty()) {
      auto& [u, k] = stack.back();
      if (k == edges.size()) {
        colour[u] = 2;
        stack.pop_back();
        continue;
      }
      std::size_t e = k++;
      if (edges[e].first != u) continue;
      std::size_t v = edges[e].second;
      if (colour[v] == 1) {
        back[e] = true;  // closes a cycle (or a loop on itself)
      } else if (colour[v] == 0) {
        colour[v] = 1;
        stack.emplace_back(v, 0);
      }
    }
  }
  std::vector<int> layer(n, 0);
  for (std::size_t round = 0; round < n; ++round) {  // longest path: relax n times at most
    bool changed = false;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      auto [a, b] = edges[e];
      if (back[e] || a == b || layer[b] >= layer[a] + 1) continue;
      layer[b] = layer[a] + 1;
      changed = true;
    }
    if (!changed) break;
  }
  // States no transition touches: a column of their own after the others.
  std::vector<bool> touched(n, false);
  for (auto [a, b] : edges) touched[a] = touched[b] = true;
  int last = 0;
  for (int l : layer) last = std::max(last, l);
  for (std::size_t i = 0; i < n; ++i) {
    if (!touched[i] && !edges.empty()) layer[i] = last + 1;
  }
  std::map<int, std::vector<std::size_t>> columns;
  for (std::size_t i = 0; i < n; ++i) columns[layer[i]].push_back(i);
  constexpr double kNodeH = 28, kGapY = 22, kGapX = 70, kMargin = 16, kTopLane = 40;
  std::vector<double> width(n), x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    width[i] = nodes[i] == "[*]" ? 14 : 16 + 7.2 * static_cast<double>(std::min<std::size_t>(display_width(nodes[i]), 40));
  }
  double cx = kMargin, height = 0;
  for (const auto& [l, members] : columns) {
    double col_w = 0;
    for (auto i : members) col_w = std::max(col_w, width[i]);
    double cy = kTopLane;  // room above the first row for edges that skip a column
    for (auto i : members) {
      x[i] = cx + (col_w - width[i]) / 2;
      y[i] = cy;
      cy += kNodeH + kGapY;
    }
    height = std::max(height, cy);
    cx += col_w + kGapX;
  }
  double total_w = cx - kGapX + kMargin, total_h = height + 40;
  std::string out = fmt::format(
      "<svg class=\"diagram\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title>{}</title><defs><marker id=\"arrow{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>",
      num(total_w), num(total_h), num(total_w), num(total_h), html_escape(d.title), id);
  const std::string arrow = fmt::format("url(#arrow{})", id);
  for (std::size_t k = 0; k < edges.size(); ++k) {
    auto [a, b] = edges[k];
    const std::string& label = d.edges[k].label;
    double ay = y[a] + kNodeH / 2, by = y[b] + kNodeH / 2;
    std::string path;
    double lx = 0, ly = 0;
    if (a == b) {  // a loop above the node
      double mx = x[a] + width[a] / 2;
      path = fmt::format("M{},{} C{},{} {},{} {},{}", num(mx - 6), num(y[a]), num(mx - 20), num(y[a] - 26), num(mx + 20),
                         num(y[a] - 26), num(mx + 6), num(y[a]));
      lx = mx;
      ly = y[a] - 24;
    } else if (layer[b] > layer[a] + 1) {  // skips a column: over the top, clear of the nodes between
      double sx = x[a] + width[a] / 2, tx = x[b] + width[b] / 2;
      double lane = 10 + 5 * static_cast<double>(k % 4);
      path = fmt::format("M{},{} C{},{} {},{} {},{}", num(sx), num(y[a]), num(sx), num(lane), num(tx), num(lane), num(tx), num(y[b]));
      lx = (sx + tx) / 2;
      ly = lane + 10;
    } else if (layer[b] > layer[a]) {  // forward: right side to left side
      double sx = x[a] + width[a], tx = x[b];
      path = fmt::format("M{},{} C{},{} {},{} {},{}", num(sx), num(ay), num(sx + kGapX / 2), num(ay), num(tx - kGapX / 2),
                         num(by), num(tx), num(by));
      lx = (sx + tx) / 2;
      ly = (ay + by) / 2 - 4;
    } else {  // back or within a column: below, bottom to bottom
      double sx = x[a] + width[a] / 2, tx = x[b] + width[b] / 2;
      double bottom = std::max(y[a], y[b]) + kNodeH + 18 + 6 * static_cast<double>(k % 4);
      path = fmt::format("M{},{} C{},{} {},{} {},{}", num(sx), num(y[a] + kNodeH), num(sx), num(bottom), num(tx), num(bottom),
                         num(tx), num(y[b] + kNodeH));
      lx = (sx + tx) / 2;
      ly = bottom - 2;
    }
    out += fmt::format(R"(<path d="{}" fill="none" stroke="#555" marker-end="{}"/>)", path, arrow);
    if (!label.empty()) {
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" class="el">{}</text>)", num(lx), num(ly),
                         html_escape(fit(label, 40)));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (nodes[i] == "[*]") {
      out += fmt::format(R"(<circle cx="{}" cy="{}" r="7" fill="#333"><title>initial state</title></circle>)", num(x[i] + 7),
                         num(y[i] + kNodeH / 2));
      continue;
    }
    out += fmt::format(
        "<g class=\"node\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#eef3fa\" stroke=\"#4a6fa5\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
        num(x[i]), num(y[i]), num(width[i]), num(kNodeH), num(x[i] + width[i] / 2), num(y[i] + kNodeH / 2 + 4),
        html_escape(fit(nodes[i], 40)));
  }
  return out + "</svg>\n";
}

std::string svg_sequence(const Diagram& d, std::size_t id) {
  constexpr double kColW = 210, kTopY = 40, kStep = 30, kMargin = 20;
  const std::size_t n = std::max<std::size_t>(d.nodes.size(), 1);
  auto column = [&](const std::string& name) {
    auto it = std::find(d.nodes.begin(), d.nodes.end(), name);
    return static_cast<double>(it == d.nodes.end() ? 0 : it - d.nodes.begin());
  };
  auto rows = static_cast<double>(d.edges.size() + d.notes.size());
  double w = kMargin * 2 + kColW * static_cast<double>(n), h = kTopY + kStep * (rows + 1) + 10;
  std::string out = fmt::format(
      "<svg class=\"diagram\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title>{}</title><defs><marker id=\"arrow{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>",
      num(w), num(h), num(w), num(h), html_escape(d.title), id);
  const std::string arrow = fmt::format("url(#arrow{})", id);
  auto cx = [&](double c) { return kMargin + kColW * c + kColW / 2; };
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    double x = cx(static_cast<double>(i));
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#bbb" stroke-dasharray="4 3"/>)", num(x), kTopY,
                       num(x), num(h - 6));
    out += fmt::format("<rect x=\"{}\" y=\"8\" width=\"{}\" height=\"26\" rx=\"4\" fill=\"#eef3fa\" stroke=\"#4a6fa5\"/>"
                       "<text x=\"{}\" y=\"26\" text-anchor=\"middle\">{}</text>",
                       num(x - kColW / 2 + 10), num(kColW - 20), num(x), html_escape(fit(d.nodes[i], 26)));
  }
  double y = kTopY + kStep;
  std::size_t note = 0;
  for (std::size_t k = 0; k < d.edges.size(); ++k) {
    for (; note < d.notes.size() && d.notes[note].first <= k; ++note) {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\" fill=\"#fff8dc\" stroke=\"#d4c17f\"/>"
                         "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"el\">{}</text>",
                         num(kMargin), num(y - 14), num(w - 2 * kMargin), num(w / 2), num(y), html_escape(fit(d.notes[note].second, 90)));
      y += kStep;
    }
    const auto& e = d.edges[k];
    double x1 = cx(column(e.from)), x2 = cx(column(e.to));
    if (x1 == x2) {
      out += fmt::format(R"(<path d="M{},{} h30 v12 h-30" fill="none" stroke="#555" marker-end="{}"/>)", num(x1), num(y - 6), arrow);
    } else {
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555"{} marker-end="{}"/>)", num(x1), num(y),
                         num(x2), num(y), e.reply ? " stroke-dasharray=\"5 3\"" : "", arrow);
    }
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" class="el">{}</text>)", num(x1 == x2 ? x1 + 60 : (x1 + x2) / 2),
                       num(y - 5), html_escape(fit(e.label, 34)));
    y += kStep;
  }
  return out + "</svg>\n";
}

constexpr std::string_view kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#222}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:18px 0 6px}
.meta{color:#666;margin:0 0 12px}
table{border-collapse:collapse;margin:6px 0 4px;font-size:13px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f4f6f8;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.p{max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;direction:rtl;text-align:left}td.p bdo{unicode-bidi:bidi-override}
th button{all:unset;cursor:pointer;font-weight:600}th[aria-sort=descending] button::after{content:" \25BE"}th[aria-sort=ascending] button::after{content:" \25B4"}
table.kv td:first-child{color:#555}.more,.legend{color:#666;font-size:12px}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}svg .ax,svg .el{font-size:11px;fill:#444}
.diag li{margin:2px 0}.error{color:#b00}.warning{color:#a60}
figure{margin:10px 0 18px}figcaption{font-weight:600;margin-bottom:4px}
)";

// Sorting on a header click: numbers by data-v, text by locale; a second click reverses.
constexpr std::string_view kScript = R"(
(function(){
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function(th, col){
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function(){
        var numeric = th.hasAttribute('data-num');
        var desc = th.getAttribute('aria-sort') !== 'descending';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(a, b){
          var x = a.cells[col], y = b.cells[col];
          var r;
          if (numeric) {
            var u = parseFloat(x.getAttribute('data-v')), v = parseFloat(y.getAttribute('data-v'));
            if (isNaN(u)) u = -Infinity; if (isNaN(v)) v = -Infinity;
            r = u - v;
          } else {
            r = x.textContent.localeCompare(y.textContent);
          }
          return desc ? -r : r;
        });
        rows.forEach(function(row){ body.appendChild(row); });
        heads.forEach(function(h){ h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
      });
    });
  });
})();
)";

class HtmlSink : public ReportSink {
 public:
  HtmlSink(OutputOptions o, View v) : ReportSink(std::move(o), std::move(v), kHtmlRows) {}

 protected:
  std::string render(const Json& summary, const std::vector<Diagnostic>& diagnostics) override {
    std::string title = html_escape(heading()) + " report";
    std::string h =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        title + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : diagnostics) {
      errors += d.severity == Severity::kError;
      warnings += d.severity == Severity::kWarning;
    }
    h += "<header><h1>" + title + "</h1>\n";
    h += fmt::format("<p class=\"meta\">obscore {} &middot; {} {} &middot; {} errors, {} warnings</p></header>\n",
                     html_escape(opt_.tool_version), total_rows_, html_escape(view_.rows_title), errors, warnings);
    auto facts = summary_facts(summary, view_.summary_keys);
    if (!facts.empty()) {
      h += "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"kv\"><tbody>\n";
      for (const auto& [k, v] : facts) h += "<tr><td>" + html_escape(k) + "</td><td>" + html_escape(v) + "</td></tr>\n";
      h += "</tbody></table></section>\n";
    }
    if (!report_.series.empty()) {
      h += "<section id=\"timeline\"><h2>Timeline</h2>\n";
      for (const auto& s : report_.series) {
        h += "<figure><figcaption>" + html_escape(s.title) + "</figcaption>\n" + svg_chart(s) + "</figure>\n";
      }
      h += "</section>\n";
    }
    if (!report_.diagrams.empty()) {
      h += "<section id=\"diagrams\"><h2>Diagrams</h2>\n";
      for (std::size_t k = 0; k < report_.diagrams.size(); ++k) {
        const auto& d = report_.diagrams[k];
        h += "<figure><figcaption>" + html_escape(d.title) + "</figcaption>\n" +
             (d.kind == Diagram::Kind::kSequence ? svg_sequence(d, k) : svg_graph(d, k)) + "</figure>\n";
      }
      h += "</section>\n";
    }
    for (std::size_t i = 0; i < report_.tables.size(); ++i) {
      const auto& t = report_.tables[i];
      h += fmt::format("<section id=\"table-{}\"><h2>{} ({})</h2>\n", i, html_escape(t.title), t.rows.size());
      h += html_table(fmt::format("t{}", i), t.columns, t.rows, kHtmlRows, t.sort_column, true) + "</section>\n";
    }
    if (!view_.columns.empty()) {
      std::string name = view_.rows_title;
      if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
      h += fmt::format("<section id=\"results\"><h2>{} ({})</h2>\n", html_escape(name), total_rows_);
      h += html_table("results-table", view_.columns, rows_, kHtmlRows, view_.sort_column, view_.sort_descending, total_rows_) +
           "</section>\n";
    }
    h += fmt::format("<section id=\"diagnostics\"><h2>Diagnostics ({})</h2>\n", diagnostics.size());
    if (diagnostics.empty()) {
      h += "<p>None.</p>\n";
    } else {
      h += "<ul class=\"diag\">\n";
      for (const auto& d : diagnostics) {
        std::string where = d.path;
        if (d.line > 0) where += fmt::format(":{}", d.line);
        if (d.column > 0) where += fmt::format(":{}", d.column);
        h += fmt::format("<li><span class=\"{0}\">{0}</span> <code>{1}</code> {2}</li>\n", to_string(d.severity),
                         html_escape(where), html_escape(d.message));
      }
      h += "</ul>\n";
    }
    h += "</section>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
    return h;
  }
};

}  // namespace

std::unique_ptr<Sink> make_markdown_sink(OutputOptions o, View v) {
  return std::make_unique<MarkdownSink>(std::move(o), std::move(v));
}
std::unique_ptr<Sink> make_html_sink(OutputOptions o, View v) {
  return std::make_unique<HtmlSink>(std::move(o), std::move(v));
}
std::unique_ptr<Sink> make_dot_sink(OutputOptions o, View v) {
  return std::make_unique<DotSink>(std::move(o), std::move(v));
}

}  // namespace obscore::core
