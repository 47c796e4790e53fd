// Record splitting, counting, patterns (including the DFA out-of-memory fallback), templates.
#include "scanner.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "obscore/core/error.hpp"

using namespace obscore::logscan;

namespace {

ScanStats scan(std::string_view text, FormatId f, const obscore::core::RegexSet* patterns = nullptr,
               bool templates = false) {
  FormatParser parser(f, 2023);
  ScanContext ctx{&parser, patterns, templates, true};
  Scanner s(ctx);
  s.feed(text, true);
  s.finish();
  return s.stats();
}

constexpr const char* kLog =
    "2015-10-18 18:01:47,978 INFO [main] a: started\n"
    "2015-10-18 18:01:49,228 ERROR [main] a: failed: ERROR 42\n"
    "java.lang.RuntimeException: ERROR\n"
    "\tat a.b(c.java:1)\n"
    "2015-10-18 18:02:00,000 INFO [main] a: upstream returned ERROR 502\n";

}  // namespace

TEST(Scanner, RecordsLevelsAndContinuations) {
  auto s = scan(kLog, FormatId::kIso);
  EXPECT_EQ(s.lines, 5u);
  EXPECT_EQ(s.records, 3u);
  EXPECT_EQ(s.continuation_lines, 2u);
  EXPECT_EQ(s.severity[static_cast<int>(LogLevel::kError)], 1u);
  EXPECT_EQ(s.severity[static_cast<int>(LogLevel::kInfo)], 2u);
  EXPECT_EQ(s.first_ts, civil_to_epoch(2015, 10, 18, 18, 1, 47));
  EXPECT_EQ(s.last_ts, civil_to_epoch(2015, 10, 18, 18, 2, 0));
  EXPECT_EQ(s.minutes.size(), 2u);
}

TEST(Scanner, CrlfAndMissingFinalNewline) {
  std::string crlf;
  for (char c : std::string(kLog)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  crlf.pop_back();
  crlf.pop_back();  // no final CRLF
  auto s = scan(crlf, FormatId::kIso);
  EXPECT_EQ(s.lines, 5u);
  EXPECT_EQ(s.records, 3u);
  EXPECT_EQ(s.levels.size(), 2u);
}

TEST(Scanner, TextBeforeTheFirstHeaderIsItsOwnRecord) {
  auto s = scan("orphan line\n2015-10-18 18:01:47 WARN x\n", FormatId::kIso);
  EXPECT_EQ(s.records, 2u);
  EXPECT_EQ(s.severity[7], 1u);
  EXPECT_EQ(s.severity[static_cast<int>(LogLevel::kWarn)], 1u);
}

TEST(Scanner, EmptyInput) {
  auto s = scan("", FormatId::kIso);
  EXPECT_EQ(s.lines, 0u);
  EXPECT_EQ(s.records, 0u);
}

TEST(Scanner, PatternsCountLinesAndRecords) {
  obscore::core::RegexSet p({{"err", "ERROR"}, {"num", R"(\b\d{3}\b)"}, {"none", "zzz"}});
  auto s = scan(kLog, FormatId::kIso, &p);
  EXPECT_EQ(s.patterns[0][1], 3u);  // lines with ERROR
  EXPECT_EQ(s.patterns[0][0], 2u);  // records: the ERROR record and the INFO "ERROR 502" one
  EXPECT_EQ(s.patterns[1][1], 3u);  // 978, 228 (after ','), and 000/502
  EXPECT_EQ(s.patterns[2][0], 0u);
}

TEST(Scanner, PatternByPatternFallbackGivesTheSameCounts) {
  // Patterns whose DFA explodes: the pattern-by-pattern mode (used when the set's DFA cannot
  // fit, or runs out of memory on a line) must count exactly what the set and each pattern alone
  // count.
  std::vector<Pattern> pats;
  pats.reserve(8);
  for (int i = 0; i < 8; ++i) {
    pats.push_back({"p" + std::to_string(i), "[ab]*a[ab]{" + std::to_string(12 + i) + "}c" + std::to_string(i)});
  }
  std::string text;
  unsigned x = 12345;
  for (int l = 0; l < 64; ++l) {
    for (int i = 0; i < 3000; ++i) {
      x = x * 1103515245u + 12345u;
      text += (x >> 16) % 2 ? 'a' : 'b';
    }
    text += "c" + std::to_string(l % 8) + "\n";
  }
  obscore::core::RegexSet small(regex_entries(pats), std::int64_t{256} << 20, /*per_pattern=*/true);
  obscore::core::RegexSet big(regex_entries(pats));
  auto s_small = scan(text, FormatId::kPlain, &small);
  auto s_big = scan(text, FormatId::kPlain, &big);
  EXPECT_FALSE(small.uses_set());
  EXPECT_TRUE(big.uses_set());
  obscore::core::RegexSet tiny(regex_entries(pats), 20000);  // the DFA does not fit this budget: 4x does
  EXPECT_TRUE(tiny.uses_set());
  EXPECT_EQ(tiny.budget(), 80000);
  EXPECT_EQ(big.fallbacks(), 0u);
  auto s_tiny = scan(text, FormatId::kPlain, &tiny);  // RE2 resets a full DFA cache: no fallback
  std::size_t total = 0;
  for (std::size_t i = 0; i < pats.size(); ++i) {
    re2::RE2 alone(pats[i].regex);
    std::uint64_t expected = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      if (re2::RE2::PartialMatch(text.substr(pos, nl - pos), alone)) ++expected;
      pos = nl + 1;
    }
    EXPECT_EQ(s_small.patterns[i][1], expected) << i;
    EXPECT_EQ(s_big.patterns[i][1], expected) << i;
    EXPECT_EQ(s_tiny.patterns[i][1], expected) << i;
    total += expected;
  }
  EXPECT_GT(total, 0u);
}

TEST(Scanner, InvalidPatternIsAUsageError) {
  std::vector<Pattern> bad{{"bad", "(unclosed"}};
  EXPECT_THROW(obscore::core::RegexSet{regex_entries(bad)}, obscore::core::Error);
}

TEST(Templates, MaskingKeepsWordsAndMasksValues) {
  std::string storage;
  std::vector<std::string_view> t;
  mask_tokens("user=bob took 1234 ms from 10.0.0.1 path /var/log/x 'quoted' 0xdeadbeef", storage, t);
  std::string joined;
  for (auto x : t) joined += std::string(x) + " ";
  // key=value: the value is a field of its own, digits or not.
  EXPECT_EQ(joined, "user=<*> took <*> ms from <*> path <*> <*> <*> ");
  mask_tokens("id=42 done", storage, t);
  EXPECT_EQ(t[0], "id=<*>");
}

TEST(Templates, SimilarMessagesGroup) {
  TemplateMiner m;
  m.add("connection to db1 closed by peer", LogLevel::kInfo, 10);
  m.add("connection to db2 closed by peer", LogLevel::kWarn, 20);
  m.add("request 12 took 40 ms", LogLevel::kInfo, 30);
  m.add("request 99 took 7 ms", LogLevel::kInfo, 5);
  ASSERT_EQ(m.clusters().size(), 2u);
  EXPECT_EQ(m.clusters()[0].text(), "connection to <*> closed by peer");
  EXPECT_EQ(m.clusters()[0].stats.count, 2u);
  EXPECT_EQ(m.clusters()[1].text(), "request <*> took <*> ms");
  EXPECT_EQ(m.clusters()[1].stats.first_seen, 5);
  EXPECT_EQ(m.clusters()[1].stats.last_seen, 30);
}

TEST(Patterns, ArgumentAndFileSyntax) {
  auto a = parse_pattern_arg("timeout=timed? ?out");
  EXPECT_EQ(a.id, "timeout");
  EXPECT_EQ(a.regex, "timed? ?out");
  auto b = parse_pattern_arg(R"(\d+=x)");
  EXPECT_EQ(b.id, R"(\d+=x)");
  EXPECT_EQ(b.regex, R"(\d+=x)");
  auto list = parse_pattern_lines("# comment\n\nerr=ERROR\r\nWARN\n", "p.txt");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "err");
  EXPECT_EQ(list[1].regex, "WARN");
}

TEST(Patterns, CountLikeGrepOnCrlfLines) {
  // CRLF lines, a match at a line's last byte, '$' before CRLF, an empty-matching pattern, and
  // two patterns that overlap on the same lines (a combination that loses matches in Debian's
  // Vectorscan 5.4.9 multi-pattern databases).
  std::vector<Pattern> pats{{"num", R"(\d+)"}, {"end", "done"}, {"dot", "a.c"},
                            {"empty", "x*"}, {"crlf", "ok$"}, {"word", R"(\bid=\w+)"}};
  std::string text = "id=7 abc done\r\nnothing here\r\nok\r\naxc id=z\r\n";
  obscore::core::RegexSet ps(regex_entries(pats));
  auto s = scan(text, FormatId::kPlain, &ps);
  EXPECT_EQ(s.patterns[0][1], 1u);  // \d+
  EXPECT_EQ(s.patterns[1][1], 1u);  // done (ends at the line's last byte before CRLF)
  EXPECT_EQ(s.patterns[2][1], 2u);  // abc, axc
  EXPECT_EQ(s.patterns[3][1], 4u);  // x* matches every line
  EXPECT_EQ(s.patterns[4][1], 1u);  // ok$ on a CRLF line
  EXPECT_EQ(s.patterns[5][1], 2u);
}

TEST(Patterns, OverlappingPatternsOnTheSameLines) {
  std::vector<Pattern> pats{{"ip", R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)"}, {"timeout", "timed? ?out"}};
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += "connection to 10." + std::to_string(i % 256) + ".1." + std::to_string(i % 200) +
            ":5432 timed out after " + std::to_string(i) + "s\n";
    text += "request from 192.168.0." + std::to_string(i % 250) + " ok\n";
  }
  obscore::core::RegexSet ps(regex_entries(pats));
  auto s = scan(text, FormatId::kPlain, &ps);
  EXPECT_EQ(s.patterns[0][1], 1000u);
  EXPECT_EQ(s.patterns[1][1], 500u);
}

namespace {

TEST(Templates, TableIsBoundedAndCountsWhatItDrops) {
  TemplateMiner m(3);
  for (const char* msg : {"alpha one", "bravo two", "charlie three", "delta four", "echo five", "alpha one"}) {
    m.add(msg, LogLevel::kInfo, kNoTime);
  }
  EXPECT_EQ(m.clusters().size(), 3u);
  EXPECT_EQ(m.dropped(), 2u);  // delta, echo; the second "alpha one" joins its template
  TemplateMiner other(3);
  other.add("foxtrot six", LogLevel::kInfo, kNoTime);
  other.add("alpha one", LogLevel::kInfo, kNoTime);
  other.add("golf seven", LogLevel::kWarn, kNoTime);
  m.merge(std::move(other));
  EXPECT_EQ(m.clusters().size(), 3u);
  EXPECT_EQ(m.dropped(), 4u);  // + foxtrot and golf, which found the merged table full
  EXPECT_EQ(m.clusters()[0].stats.count, 3u);
}

TEST(ScanStats, ErrorMessageTableMergeIsBounded) {
  ScanStats a, b;
  for (std::uint64_t k = 0; k < ScanStats::kMaxTopErrors; ++k) a.top_errors[k].count = 1;
  b.top_errors[0].count = 5;                           // known: merged
  b.top_errors[ScanStats::kMaxTopErrors].count = 7;    // new, table full: dropped
  b.top_errors_dropped = 2;
  a.merge(std::move(b));
  EXPECT_EQ(a.top_errors.size(), ScanStats::kMaxTopErrors);
  EXPECT_EQ(a.top_errors[0].count, 6u);
  EXPECT_EQ(a.top_errors_dropped, 9u);
}

}  // namespace
