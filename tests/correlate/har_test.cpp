// The HAR scanner: parts handed out exactly, strings with escapes and brackets skipped, key
// orders, truncated and non-HAR inputs.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "obscore/correlate/har.hpp"

namespace obscore::correlate {
namespace {

struct Seen {
  std::vector<std::pair<HarPart, std::string>> parts;
  HarScan scan;
};

Seen scan(std::string_view text) {
  Seen s;
  s.scan = scan_har(text, [&](HarPart kind, std::string_view part, std::size_t offset) {
    EXPECT_EQ(text.substr(offset, part.size()), part);
    s.parts.emplace_back(kind, std::string(part));
  });
  return s;
}

TEST(HarScan, PartsInDocumentOrder) {
  Seen s = scan(R"({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [{"id": "page_1", "title": "x"}],
    "entries": [ {"startedDateTime": "2023-11-14T22:13:20Z"} , {"a": [1, 2, {"b": null}]} ]}})");
  ASSERT_TRUE(s.scan.is_har);
  EXPECT_TRUE(s.scan.error.empty()) << s.scan.error;
  EXPECT_EQ(s.scan.pages, 1u);
  EXPECT_EQ(s.scan.entries, 2u);
  ASSERT_EQ(s.parts.size(), 4u);
  EXPECT_EQ(s.parts[0].first, HarPart::kCreator);
  EXPECT_EQ(s.parts[0].second, R"({"name": "WebInspector", "version": "537.36"})");
  EXPECT_EQ(s.parts[1].first, HarPart::kPage);
  EXPECT_EQ(s.parts[2].second, R"({"startedDateTime": "2023-11-14T22:13:20Z"})");
  EXPECT_EQ(s.parts[3].second, R"({"a": [1, 2, {"b": null}]})");
}

TEST(HarScan, StringsWithEscapesAndBracketsAreSkipped) {
  // Quotes, backslashes and brackets inside strings (and keys) must not end an entry.
  Seen s = scan(R"({"log":{"entries":[{"t":"}]\"{[","u":"\\"},{"k\"}":"\\\"]"},{"x":"\u0022}"}]}})");
  ASSERT_TRUE(s.scan.is_har) << s.scan.error;
  EXPECT_TRUE(s.scan.error.empty()) << s.scan.error;
  ASSERT_EQ(s.parts.size(), 3u);
  EXPECT_EQ(s.parts[0].second, R"({"t":"}]\"{[","u":"\\"})");
  EXPECT_EQ(s.parts[1].second, R"({"k\"}":"\\\"]"})");
  EXPECT_EQ(s.parts[2].second, R"({"x":"\u0022}"})");
}

TEST(HarScan, EscapesAtEveryPositionOfLongStrings) {
  // Short strings are scanned inline, long ones with memchr: an escape on either side of the
  // switch (and on it) must be honoured.
  for (int n = 0; n < 120; ++n) {
    std::string value = std::string(static_cast<std::size_t>(n), 'a') + R"(\"}]\\\")" + std::string(7, 'b') + R"(\\)";
    std::string entry = R"({"s":")";
    entry += value;
    entry += R"(","n":1})";
    std::string doc = R"({"log":{"entries":[)";
    doc += entry;
    doc += ',';
    doc += entry;
    doc += "]}}";
    Seen s = scan(doc);
    ASSERT_TRUE(s.scan.error.empty()) << n << ": " << s.scan.error;
    ASSERT_EQ(s.parts.size(), 2u) << n;
    EXPECT_EQ(s.parts[0].second, entry) << n;
  }
}

TEST(HarScan, AnyKeyOrderAndOtherMembers) {
  // Entries before pages, unknown members before and after log, CRLF whitespace.
  Seen s = scan("{\"comment\": {\"x\": [\"log\"]},\r\n \"log\": {\"entries\": [{\"i\": 0}],\r\n \"pages\": [], "
                "\"_custom\": [[{}]], \"version\": \"1.2\"}, \"z\": 1}\r\n");
  ASSERT_TRUE(s.scan.is_har);
  EXPECT_TRUE(s.scan.error.empty()) << s.scan.error;
  EXPECT_EQ(s.scan.entries, 1u);
  EXPECT_EQ(s.scan.pages, 0u);
}

TEST(HarScan, TruncatedFileKeepsTheEntriesBefore) {
  std::string doc = R"({"log": {"entries": [{"i": 0}, {"i": 1}, {"i": 2, "request": {"url": "htt)";
  Seen s = scan(doc);
  ASSERT_TRUE(s.scan.is_har);
  EXPECT_EQ(s.scan.entries, 2u);
  EXPECT_NE(s.scan.error.find("log.entries[2]"), std::string::npos) << s.scan.error;
  EXPECT_EQ(s.scan.error_offset, doc.find("{\"i\": 2"));
  // Cut right after an entry: the array is not closed.
  Seen t = scan(R"({"log": {"entries": [{"i": 0},)");
  EXPECT_EQ(t.scan.entries, 1u);
  EXPECT_FALSE(t.scan.error.empty());
  // Garbage between entries.
  Seen u = scan(R"({"log": {"entries": [{"i": 0} {"i": 1}]}})");
  EXPECT_EQ(u.scan.entries, 1u);
  EXPECT_NE(u.scan.error.find("expected ',' or ']'"), std::string::npos) << u.scan.error;
}

TEST(HarScan, NotHar) {
  for (std::string_view text :
       {std::string_view(R"({"eventId": "a", "timestamp": 1})" "\n" R"({"eventId": "b"})"),
        std::string_view(R"([{"log": {"entries": []}}])"), std::string_view(R"({"log": "started", "ts": 5})"),
        std::string_view(R"({"log": {"level": "info"}})"), std::string_view(""), std::string_view("{"),
        std::string_view("\x00\x01", 2)}) {
    Seen s = scan(text);
    EXPECT_FALSE(s.scan.is_har) << text;
    EXPECT_TRUE(s.scan.error.empty()) << text;
    EXPECT_EQ(s.scan.entries, 0u);
  }
}

TEST(HarScan, ManyEntries) {
  std::string doc = R"({"log": {"entries": [)";
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    doc += (i > 0 ? ",\n    " : "") + std::string(R"({"request": {"url": "https://x/a?q=\"]}"}, "n": )") +
           std::to_string(i) + "}";
  }
  doc += "]}}";
  std::size_t n = 0;
  HarScan r = scan_har(doc, [&](HarPart kind, std::string_view part, std::size_t) {
    n += kind == HarPart::kEntry && part.ends_with(std::to_string(n) + "}");
  });
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.entries, static_cast<std::size_t>(kN));
  EXPECT_EQ(n, static_cast<std::size_t>(kN));
}

}  // namespace
}  // namespace obscore::correlate
