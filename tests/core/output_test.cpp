// The output layer: JSON envelope, NDJSON lines, CSV quoting, table layout, SARIF shape,
// atomic -o, UTF-8 sanitising.
#include "obscore/core/output.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "obscore/core/atomic_file.hpp"
#include "temp_dir.hpp"

using obscore::core::Format;
using obscore::core::Json;
using obscore::core::Output;
using obscore::core::OutputOptions;
using obscore::core::View;
using obscore::testing::TempDir;

namespace {

View test_view() {
  View v;
  v.columns = {{"name", false}, {"value", true}};
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    rows.push_back(Json::array({r["name"], r["value"]}));
  };
  v.findings = [](const Json& r, std::vector<obscore::core::Finding>& out) {
    if (r["value"].get<int>() > 5) {
      out.push_back({"test/big", "too big", r["name"].get<std::string>(), 3, 4,
                     obscore::core::Severity::kError});
    }
  };
  v.rules = {{"test/big", "value above 5"}};
  v.sort_column = 1;
  v.footer = [](const Json& s) { return "total " + s["total"].dump(); };
  return v;
}

std::string render(Format format, const std::vector<Json>& results, TempDir& t, int width = 0) {
  OutputOptions o;
  o.format = format;
  o.command = "test";
  o.path = t.path() + "/out";
  o.width = width;
  {
    Output out(o, test_view());
    for (const auto& r : results) out.result(r);
    out.finish({{"total", results.size()}},
               {{"bad.txt", 2, 5, obscore::core::Severity::kError, "broken"}});
  }
  std::ifstream in(o.path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Json> sample() {
  return {{{"name", "a,b"}, {"value", 3}}, {{"name", "say \"hi\""}, {"value", 9}}};
}

}  // namespace

TEST(Output, JsonEnvelopeHasStableKeyOrder) {
  TempDir t;
  Json doc = Json::parse(render(Format::kJson, sample(), t));
  std::vector<std::string> keys;
  for (auto& [k, v] : doc.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"tool", "version", "command", "schema_version",
                                            "summary", "results", "diagnostics"}));
  EXPECT_EQ(doc["tool"], "obscore");
  EXPECT_EQ(doc["command"], "test");
  EXPECT_EQ(doc["results"].size(), 2u);
  EXPECT_EQ(doc["results"][1]["value"], 9);
  EXPECT_EQ(doc["diagnostics"][0]["path"], "bad.txt");
  EXPECT_EQ(doc["diagnostics"][0]["line"], 2);
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "error");
}

TEST(Output, NdjsonOneObjectPerLineSummaryLast) {
  TempDir t;
  std::istringstream in(render(Format::kNdjson, sample(), t));
  std::vector<Json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["type"], "result");
  EXPECT_EQ(lines[0]["data"]["name"], "a,b");
  EXPECT_EQ(lines[2]["type"], "diagnostic");
  EXPECT_EQ(lines[3]["type"], "summary");
  EXPECT_EQ(lines[3]["data"]["total"], 2);
}

TEST(Output, CsvQuotesPerRfc4180) {
  TempDir t;
  EXPECT_EQ(render(Format::kCsv, sample(), t),
            "name,value\r\n\"a,b\",3\r\n\"say \"\"hi\"\"\",9\r\n");
}

TEST(Output, TableSortsAlignsAndFits) {
  TempDir t;
  std::string table = render(Format::kTable, sample(), t);
  EXPECT_EQ(table,
            "name      value\n"
            "say \"hi\"      9\n"
            "a,b           3\n"
            "total 2\n");
  std::string narrow = render(Format::kTable, {{{"name", std::string(40, 'x')}, {"value", 1}}}, t, 20);
  std::istringstream in(narrow);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_LE(row.size(), 22u);  // 20 columns; the ellipsis is 3 bytes, 1 column
  EXPECT_NE(row.find("\u2026"), std::string::npos);
}

TEST(Output, TableCellsAreOneLine) {
  TempDir t;
  std::string table = render(Format::kTable, {{{"name", "two\n  lines\tand\r\ntabs"}, {"value", 1}}}, t);
  EXPECT_EQ(table,
            "name                value\n"
            "two lines and tabs      1\n"
            "total 1\n");
}

TEST(Output, NdjsonRecordsOnlyInNdjson) {
  TempDir t;
  for (Format f : {Format::kNdjson, Format::kJson}) {
    OutputOptions o;
    o.format = f;
    o.command = "test";
    o.path = t.path() + "/rec";
    {
      Output out(o, test_view());
      EXPECT_EQ(out.streams_records(), f == Format::kNdjson);
      out.record("thing", {{"k", 1}});
      out.finish({{"total", 0}}, {});
    }
    std::ifstream in(o.path);
    std::string first;
    std::getline(in, first);
    if (f == Format::kNdjson) {
      EXPECT_EQ(first, R"({"type":"thing","data":{"k":1}})");
    } else {
      EXPECT_EQ(first.find("thing"), std::string::npos);
    }
  }
}

TEST(Output, AppendJsonStringEscapesAndRepairs) {
  std::string out;
  obscore::core::append_json_string(out, "plain");
  obscore::core::append_json_string(out, "q\"b\\n\n\x01");
  obscore::core::append_json_string(out, "caf\xe9");
  EXPECT_EQ(out, "\"plain\"\"q\\\"b\\\\n\\n\\u0001\"\"caf\xef\xbf\xbd\"");
  EXPECT_EQ(Json::parse("[" + std::string("\"x\"") + "]")[0], "x");
}

TEST(Output, JsonStreamsAfterEarlySummaryAndSpillsOtherwise) {
  TempDir t;
  for (bool early : {true, false}) {
    OutputOptions o;
    o.format = Format::kJson;
    o.command = "test";
    o.path = t.path() + "/big.json";
    const std::string payload(1000, 'x');
    const int n = 40000;  // 40 MB of results: beyond the in-memory limit
    {
      Output out(o, test_view());
      if (early) out.early_summary({{"total", n}});
      for (int i = 0; i < n; ++i) out.result_text(R"({"name":")" + payload + R"(","value":)" + std::to_string(i) + "}");
      out.finish({{"total", early ? -1 : n}}, {});
    }
    std::ifstream in(o.path);
    Json doc = Json::parse(in);
    EXPECT_EQ(doc["summary"]["total"], n);  // the early summary wins
    ASSERT_EQ(doc["results"].size(), static_cast<std::size_t>(n));
    EXPECT_EQ(doc["results"][n - 1]["value"], n - 1);
    EXPECT_EQ(doc.begin().key(), "tool");
  }
}

// Blocks of framed results (parallel formatters) write exactly what one result_text() per
// result writes, in JSON (with and without an early summary) and NDJSON, mixed with single calls.
TEST(Output, FramedBlocksEqualSingleResults) {
  TempDir t;
  for (Format format : {Format::kJson, Format::kNdjson}) {
    for (bool early : {true, false}) {
      auto write = [&](bool framed) {
        OutputOptions o;
        o.format = format;
        o.command = "test";
        o.path = t.path() + "/framed.out";
        {
          Output out(o, test_view());
          if (early) out.early_summary({{"total", 7}});
          auto text = [](int i) { return R"({"name":"r)" + std::to_string(i) + R"(","value":)" + std::to_string(i) + "}"; };
          if (!framed) {
            for (int i = 0; i < 7; ++i) out.result_text(text(i));
          } else {
            Output::Framing f = out.framing();
            auto block = [&](int from, int to) {
              std::string b;
              for (int i = from; i < to; ++i) b += std::string(f.prefix) + text(i) + std::string(f.suffix);
              out.results_framed(b, static_cast<std::size_t>(to - from));
            };
            block(0, 3);
            block(3, 3);  // an empty block changes nothing
            out.result_text(text(3));
            block(4, 7);
          }
          out.finish({{"total", 7}}, {});
        }
        std::ifstream in(o.path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
      };
      std::string single = write(false);
      EXPECT_EQ(write(true), single);
      EXPECT_NE(single.find("\"r6\""), std::string::npos);
    }
  }
}

TEST(Output, SarifCarriesFindingsAndRules) {
  TempDir t;
  Json doc = Json::parse(render(Format::kSarif, sample(), t));
  EXPECT_EQ(doc["version"], "2.1.0");
  const Json& run = doc["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "obscore");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "test/big");
  ASSERT_EQ(run["results"].size(), 1u);
  EXPECT_EQ(run["results"][0]["ruleId"], "test/big");
  EXPECT_EQ(run["results"][0]["level"], "error");
  const Json& loc = run["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "say%20%22hi%22");
  EXPECT_EQ(loc["region"]["startLine"], 3);
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false);
}

TEST(Output, AtomicFileLeavesNothingWhenNotCommitted) {
  TempDir t;
  std::string path = t.path() + "/result.json";
  std::ofstream(path) << "old";
  {
    obscore::core::AtomicFile f(path);
    f.write("partial");
  }
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "old");
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(t.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(Output, UnwritableOutputDirectoryThrows) {
  OutputOptions o;
  o.path = "/nonexistent-dir/out.json";
  EXPECT_THROW(Output(o, test_view()), obscore::core::Error);
}

TEST(Output, InvalidUtf8IsReplaced) {
  EXPECT_EQ(obscore::core::sanitize_utf8("ok\xff" "x"), "ok\xEF\xBF\xBDx");
  EXPECT_EQ(obscore::core::sanitize_utf8("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(obscore::core::sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(obscore::core::sanitize_utf8("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(Output, ParseFormat) {
  EXPECT_EQ(obscore::core::parse_format("ndjson"), Format::kNdjson);
  EXPECT_EQ(obscore::core::parse_format("yaml"), std::nullopt);
}

TEST(Output, PathsAreShortenedFromTheLeftKeepingTheFileName) {
  using obscore::core::shorten_path;
  EXPECT_EQ(shorten_path("Sources/App/Tests/WebSocketTests.swift", 60), "Sources/App/Tests/WebSocketTests.swift");
  EXPECT_EQ(shorten_path("Sources/App/Tests/WebSocketTests.swift", 30), "\u2026/Tests/WebSocketTests.swift");
  EXPECT_EQ(shorten_path("Sources/App/Tests/WebSocketTests.swift", 24), "\u2026/WebSocketTests.swift");
  // A file name longer than the width keeps its end (the extension), never its start.
  EXPECT_EQ(shorten_path("a/VeryLongFileNameIndeed.swift", 10), "\u2026eed.swift");
  EXPECT_EQ(shorten_path("dir/\u00e9t\u00e9/caf\u00e9.kt", 10), "\u2026/caf\u00e9.kt");
}

TEST(Output, TableShortensPathColumnsFromTheLeft) {
  TempDir t;
  OutputOptions o;
  o.format = Format::kTable;
  o.path = t.path() + "/out";
  o.width = 40;
  View v;
  v.columns = {{"path", false, true}, {"n", true}};
  v.rows = [](const Json& r, std::vector<Json>& rows) { rows.push_back(Json::array({r["path"], r["n"]})); };
  {
    Output out(o, v);
    out.result({{"path", "Sources/NetworkingKit/Internal/Transport/WebSocketTests.swift"}, {"n", 1}});
    out.finish(Json::object(), {});
  }
  std::ifstream in(o.path);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(row.rfind("\u2026/", 0), 0u) << row;
  EXPECT_NE(row.find("/WebSocketTests.swift"), std::string::npos) << row;
}

TEST(Output, ParseFormatKnowsTheReportFormats) {
  EXPECT_EQ(obscore::core::parse_format("markdown"), Format::kMarkdown);
  EXPECT_EQ(obscore::core::parse_format("html"), Format::kHtml);
  EXPECT_EQ(obscore::core::parse_format("dot"), Format::kDot);
}

namespace {

View report_view() {
  View v = test_view();
  v.rows_title = "things";
  v.has_diagrams = true;
  v.report_summary = [](const Json&, obscore::core::Report& report) {
    obscore::core::Diagram d;
    d.title = "Door";
    d.nodes = {"Closed", "Open"};
    d.edges = {{"[*]", "Closed", "", false}, {"Closed", "Open", "push", false}, {"Open", "Closed", "pull", false}};
    report.diagrams.push_back(d);
    report.series.push_back({"all", {"t0", "t1", "t2"}, {"records"}, {{1, 0, 8}}});
  };
  return v;
}

std::string render_report(Format format, TempDir& t) {
  OutputOptions o;
  o.format = format;
  o.command = "test";
  o.path = t.path() + "/report";
  {
    Output out(o, report_view());
    for (const auto& r : sample()) out.result(r);
    out.finish({{"total", 2}, {"duration_ms", 17}}, {{"bad.txt", 2, 5, obscore::core::Severity::kError, "broken | <b>"}});
  }
  std::ifstream in(o.path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(Output, MarkdownHasSummaryTopRowsDiagramsAndDiagnostics) {
  TempDir t;
  std::string md = render_report(Format::kMarkdown, t);
  EXPECT_EQ(md.rfind("## obscore test\n", 0), 0u) << md;
  EXPECT_NE(md.find("| total | 2 |"), std::string::npos) << md;
  EXPECT_EQ(md.find("duration_ms"), std::string::npos) << "timings make reports differ run to run";
  // Sorted by the view's column, descending: 9 before 3.
  EXPECT_LT(md.find("say \"hi\""), md.find("a,b")) << md;
  EXPECT_NE(md.find("```mermaid\nstateDiagram-v2\n"), std::string::npos) << md;
  EXPECT_NE(md.find("[*] --> n0"), std::string::npos) << md;
  EXPECT_NE(md.find("n0 --> n1: push"), std::string::npos) << md;
  EXPECT_NE(md.find("`\u2581 \u2588`"), std::string::npos) << md;  // the sparkline: 1, 0, 8
  EXPECT_NE(md.find("broken \\| &lt;b&gt;"), std::string::npos) << md;  // cells cannot break the table
  EXPECT_EQ(render_report(Format::kMarkdown, t), md) << "same input, same bytes";
}

TEST(Output, HtmlIsSelfContainedWithSortableTablesAndSvg) {
  TempDir t;
  std::string html = render_report(Format::kHtml, t);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos) << "nothing is loaded from elsewhere";
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"sortable\" id=\"results-table\">"), std::string::npos);
  EXPECT_NE(html.find("data-v=\"9\""), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"diagram\""), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(html.find("broken | &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos) << "input text is escaped";
}

TEST(Output, DotDrawsDiagramsAndIsRefusedWithoutThem) {
  TempDir t;
  std::string dot = render_report(Format::kDot, t);
  EXPECT_EQ(dot.rfind("digraph g0 {", 0), 0u) << dot;
  EXPECT_NE(dot.find("\"Closed\" -> \"Open\" [label=\"push\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"[*]\" [shape=point"), std::string::npos) << dot;
  OutputOptions o;
  o.format = Format::kDot;
  o.command = "test";
  o.path = t.path() + "/none";
  try {
    Output out(o, test_view());
    FAIL() << "a view without diagrams accepted --format dot";
  } catch (const obscore::core::Error& e) {
    EXPECT_EQ(e.kind(), obscore::core::ErrorKind::kUsage);
  }
  EXPECT_FALSE(std::filesystem::exists(o.path));
}

TEST(Output, ReportsKeepTheTopRowsOfManyResults) {
  TempDir t;
  OutputOptions o;
  o.format = Format::kMarkdown;
  o.command = "test";
  o.path = t.path() + "/many.md";
  {
    Output out(o, test_view());  // sorted by value, descending
    for (int i = 0; i < 20000; ++i) out.result({{"name", "n" + std::to_string(i)}, {"value", (i * 7919) % 20000}});
    out.finish({{"total", 20000}}, {});
  }
  std::ifstream in(o.path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string md = ss.str();
  EXPECT_NE(md.find("20000 results;"), std::string::npos) << md;
  // The ten largest values of all 20000, whatever order they came in.
  for (int v = 19999; v > 19989; --v) EXPECT_NE(md.find("| " + std::to_string(v) + " |"), std::string::npos) << v;
  EXPECT_EQ(md.find("| 19989 |"), std::string::npos);
  EXPECT_NE(md.find("_… and 19990 more; the JSON output lists them all._"), std::string::npos) << md;
}
