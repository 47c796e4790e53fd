// Learned formats, the general timestamp parser, the level-word share, the daemon formats and
// template consolidation.
#include "learn.hpp"

#include <gtest/gtest.h>

#include "formats.hpp"
#include "scanner.hpp"

using namespace obscore::logscan;

namespace {

std::string lines(std::initializer_list<const char*> ls) {
  std::string s;
  for (const char* l : ls) s += std::string(l) + "\n";
  return s;
}

Header parse_ok(FormatId f, std::string_view line) {
  Header h;
  EXPECT_TRUE(FormatParser(f, 2023).parse(line, h)) << line;
  return h;
}

}  // namespace

TEST(AnyTime, Shapes) {
  const std::int64_t t = civil_to_epoch(2005, 6, 3, 15, 42, 50);
  EXPECT_EQ(parse_any_time("1117813370", 2000), 1117813370);
  EXPECT_EQ(parse_any_time("1117813370123", 2000), 1117813370);  // ms
  EXPECT_EQ(parse_any_time("2005-06-03-15.42.50.675872", 2000), t);
  EXPECT_EQ(parse_any_time("2005.06.03 15:42:50", 2000), t);
  EXPECT_EQ(parse_any_time("2005-06-03 15:42:50,123", 2000), t);
  EXPECT_EQ(parse_any_time("2005-06-03T15:42:50Z", 2000), t);
  EXPECT_EQ(parse_any_time("Jun  3 15:42:50", 2005), t);
  EXPECT_EQ(parse_any_time("[Jun 3 15:42:50]", 2005), t);
  EXPECT_EQ(parse_any_time("hello", 2005), kNoTime);
  EXPECT_EQ(parse_any_time("12345", 2005), kNoTime);  // too short for an epoch
}

TEST(Learn, BlueGeneShape) {
  auto s = lines({"- 1118770203 2005.06.14 R21-M1 2005-06-14-10.30.03.118604 R21-M1 RAS KERNEL INFO ok",
                  "KERNDTLB 1118770222 2005.06.14 R30-M0 2005-06-14-10.30.22.773019 R30-M0 RAS KERNEL FATAL bad",
                  "- 1118770301 2005.06.14 NULL 2005-06-14-10.31.01.559102 NULL RAS MMCS ERROR x"});
  auto f = learn_format(s, 2023);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->fields.size(), 8u);
  EXPECT_EQ(f->fields[1], FieldKind::kEpoch);
  EXPECT_EQ(f->fields[2], FieldKind::kDotDate);
  EXPECT_EQ(f->fields[4], FieldKind::kDb2);
  EXPECT_EQ(f->ts_field, 1);
  Header h;
  ASSERT_TRUE(f->parse("APPSEV 1118770460 2005.06.14 R21 2005-06-14-10.33.40.129554 R21 RAS APP FAILURE node down", h, 2023));
  EXPECT_EQ(h.level, "FAILURE");
  EXPECT_EQ(h.severity, LogLevel::kError);
  EXPECT_EQ(h.ts, 1118770460);
  EXPECT_EQ(h.msg, "node down");
  // A line whose typed fields do not fit is a continuation.
  EXPECT_FALSE(f->parse("  at something else entirely here and there", h, 2023));
  // The timestamp decides: a bad epoch is a continuation; once it fits, the typed fields after it
  // (the dot date, the DB2 stamp) are not checked again.
  EXPECT_FALSE(f->parse("- 11187x0460 2005.06.14 R21 2005-06-14-10.33.40.129554 R21 RAS APP ERROR x", h, 2023));
  ASSERT_TRUE(f->parse("- 1118770460 2005-06-14 R21 2005-06-14T10:33:40 R21 RAS APP ERROR late", h, 2023));
  EXPECT_EQ(h.level, "ERROR");
  EXPECT_EQ(h.ts, 1118770460);
}

TEST(Learn, EpochDigitsInOneStep) {
  // Seconds, milliseconds, micro- and nanoseconds, with a fraction after seconds; every length
  // goes through the eight-digit SWAR step and the digits before it.
  const char* shapes[] = {"100000000", "1118770460", "1118770460123", "1118770460123456", "1118770460123456789",
                          "1118770460.5"};
  const std::int64_t want[] = {100000000, 1118770460, 1118770460, 1118770460, 1118770460, 1118770460};
  for (std::size_t i = 0; i < std::size(shapes); ++i) {
    EXPECT_EQ(parse_any_time(shapes[i], 2000), want[i]) << shapes[i];
  }
  EXPECT_EQ(parse_any_time("11187704a0", 2000), kNoTime);
  EXPECT_EQ(parse_any_time("1118770/60", 2000), kNoTime);  // '/' is one below '0'
  EXPECT_EQ(parse_any_time("1118770:60", 2000), kNoTime);  // ':' is one above '9'
  EXPECT_EQ(parse_any_time("99999999", 2000), kNoTime);    // eight digits: no epoch length
}

TEST(Learn, FieldsAfterAFileNamePrefix) {
  auto s = lines({"nova-api.log.1 2017-05-16 00:00:00.008 25746 INFO nova.api [req-1] GET",
                  "nova-api.log.1 2017-05-16 00:00:01.100 25746 WARNING nova.api [req-2] slow",
                  "Traceback (most recent call last):",
                  "nova-compute.log.1 2017-05-16 00:00:02.000 2931 ERROR nova.compute [-] failed"});
  Detection d = detect(s, 2023);
  ASSERT_EQ(d.format, FormatId::kLearned);
  ASSERT_TRUE(d.learned);
  EXPECT_EQ(d.learned->ts_count, 2);
  EXPECT_NE(d.learned->header_regex.find("(?P<level>"), std::string::npos);
  Header h;
  FormatParser p(FormatId::kLearned, 2023, nullptr, &*d.learned);
  ASSERT_TRUE(p.parse("nova-api.log.1 2017-05-16 00:00:00.008 25746 INFO nova.api [req-1] GET", h));
  EXPECT_EQ(h.ts, civil_to_epoch(2017, 5, 16, 0, 0, 0));
  EXPECT_EQ(h.fast_level, 0);
  EXPECT_FALSE(p.parse("Traceback (most recent call last):", h));
}

TEST(Learn, NothingToLearnWithoutALevelField) {
  // Level words at no consistent position: no format is learned (the gate reports the file).
  auto s = lines({"job 17 finished with ERROR code 3", "retry 18 after WARN", "ERROR in job 19",
                  "job 20 done", "all good"});
  EXPECT_FALSE(learn_format(s, 2023));
  EXPECT_EQ(detect(s, 2023).format, FormatId::kPlain);
  auto share = level_word_share(s);
  EXPECT_EQ(share.lines, 5u);
  EXPECT_EQ(share.with_level_words, 3u);
  // Lower-case words count only where a level would be written.
  EXPECT_EQ(level_word_share("an error occurred\nerror: disk\n[warn] x\n").with_level_words, 2u);
}

TEST(Learn, BuiltInFormatsWithLevelsAreKept) {
  auto s = lines({"2015-10-18 18:01:47,978 INFO [main] org.Foo: a", "2015-10-18 18:01:48,000 WARN [main] org.Foo: b"});
  EXPECT_EQ(detect(s, 2023).format, FormatId::kIso);
}

TEST(Learn, SingleLettersAreNotLevelsOfLearnedFormats) {
  EXPECT_FALSE(learned_severity("E"));
  EXPECT_EQ(learned_severity("failure"), LogLevel::kError);
  EXPECT_EQ(learned_severity("Crit"), LogLevel::kFatal);
}

TEST(Daemons, Postgres) {
  auto h = parse_ok(FormatId::kPostgres, "2026-12-06 20:20:16.063 UTC [22327] postgres@postgres ERROR:  division by zero");
  EXPECT_EQ(h.level, "ERROR");
  EXPECT_EQ(h.msg, "division by zero");
  EXPECT_EQ(h.ts, civil_to_epoch(2026, 12, 6, 20, 20, 16));
  EXPECT_EQ(parse_ok(FormatId::kPostgres, "LOG:  database system is ready").severity, LogLevel::kInfo);
  EXPECT_EQ(parse_ok(FormatId::kPostgres, "2026-12-06 20:20:22 UTC [1]: [1-1] user=a,db=b,app=psql,client=[local] FATAL:  x").severity,
            LogLevel::kFatal);
  Header d;
  EXPECT_FALSE(FormatParser(FormatId::kPostgres, 2023).parse("2026-12-06 20:20:16.063 UTC [22327] a@b DETAIL:  Key (a)=(1)", d));
  EXPECT_TRUE(postgres_secondary("2026-12-06 20:20:16.063 UTC [22327] a@b STATEMENT:  select 1/0"));
  EXPECT_FALSE(FormatParser(FormatId::kPostgres, 2023).parse("\t  values (7, 10);", d));
}

TEST(Daemons, RedisMysqlDockerAccess) {
  auto r = parse_ok(FormatId::kRedis, "23798:M 06 Dec 2026 20:20:34.968 * Ready to accept connections");
  EXPECT_EQ(r.level, "notice");
  EXPECT_EQ(r.msg, "Ready to accept connections");
  EXPECT_EQ(parse_ok(FormatId::kRedis, "23798:C 06 Dec 2026 20:20:34.968 # oO0Oo").severity, LogLevel::kWarn);
  EXPECT_EQ(parse_ok(FormatId::kRedis, "[4021] 06 Dec 20:20:34.968 - Accepted").severity, LogLevel::kDebug);
  auto m = parse_ok(FormatId::kMysql, "2026-12-06T20:20:16.123456Z 0 [System] [MY-010116] [Server] starting");
  EXPECT_EQ(m.level, "System");
  EXPECT_EQ(m.msg, "starting");
  EXPECT_EQ(parse_ok(FormatId::kMysql, "2026-12-06 20:45:35 0 [Note] InnoDB: ok").severity, LogLevel::kInfo);
  EXPECT_EQ(parse_ok(FormatId::kMysql, "161206  9:05:01 [ERROR] bad").ts, civil_to_epoch(2016, 12, 6, 9, 5, 1));
  auto d = parse_ok(FormatId::kDocker, R"({"log":"2023-01-01T00:00:00Z ERROR boom\n","stream":"stderr","time":"2023-01-01T00:00:00.5Z"})");
  EXPECT_EQ(d.severity, LogLevel::kError);
  EXPECT_EQ(parse_ok(FormatId::kDocker, R"({"log":"hello\n","stream":"stderr","time":"2023-01-01T00:00:00.5Z"})").severity,
            LogLevel::kNone);  // stderr is not a level
  auto a = parse_ok(FormatId::kAccess, R"(10.0.0.7 - alice [06/Dec/2023:21:45:46 +0100] "POST /x HTTP/1.1" 503 197 "-" "UA")");
  EXPECT_EQ(a.level, "5xx");
  EXPECT_EQ(a.severity, LogLevel::kError);
  EXPECT_EQ(a.ts, civil_to_epoch(2023, 12, 6, 20, 45, 46));
  EXPECT_EQ(parse_ok(FormatId::kAccess, R"(h - - [06/Dec/2023:21:45:46 +0000] "GET / HTTP/1.1" 404 0)").severity, LogLevel::kWarn);
}

TEST(Templates, FoldsOnlyWhereAPositionVaries) {
  TemplateMiner m;
  for (const char* user : {"alice", "bob", "carol", "dave"}) {
    m.add(std::string("Invalid user ") + user + " from 10.0.0.1", LogLevel::kInfo, kNoTime);
  }
  // Two values only: constants of two events, not a variable.
  m.add("Task Transitioned from NEW to SCHEDULED", LogLevel::kInfo, kNoTime);
  m.add("Task Transitioned from SCHEDULED to RUNNING", LogLevel::kInfo, kNoTime);
  m.add("setLightsOn(true)", LogLevel::kInfo, kNoTime);
  m.add("setLightsOn(false)", LogLevel::kInfo, kNoTime);
  auto map = m.consolidate();
  ASSERT_EQ(map.size(), 8u);
  EXPECT_EQ(map[0], map[3]);
  ASSERT_EQ(m.clusters().size(), 5u);
  EXPECT_EQ(m.clusters()[0].text(), "Invalid user <*> from <*>");
  EXPECT_EQ(m.clusters()[0].stats.count, 4u);
  // A new user joins the folded template directly.
  EXPECT_EQ(m.add("Invalid user eve from 10.0.0.9", LogLevel::kInfo, kNoTime), 0);
  // Header fields before the message are not part of it.
  TemplateMiner h;
  int a = h.add("[main] org.apache.Foo: Created job 1", LogLevel::kInfo, kNoTime);
  int b = h.add("[pool-2 thread] org.apache.Foo: Created job 2", LogLevel::kInfo, kNoTime);
  EXPECT_EQ(a, b);
  EXPECT_EQ(h.clusters()[0].text(), "Created job <*>");
}

// LearnedFormat::parse cuts fields on 64-byte whitespace masks: fields that cross a window, runs
// of spaces and tabs, a line that ends exactly at a window edge, and a level field that is the
// line's last bytes must all read as a plain split on spaces and tabs does.
TEST(Learn, FieldsAcrossWindowEdges) {
  auto s = lines({"- 1118770203 2005.06.14 R21 2005-06-14-10.30.03.118604 R21 RAS KERNEL INFO ok",
                  "- 1118770222 2005.06.14 R30 2005-06-14-10.30.22.773019 R30 RAS KERNEL FATAL bad",
                  "- 1118770301 2005.06.14 R31 2005-06-14-10.31.01.559102 R31 RAS MMCS ERROR x"});
  auto f = learn_format(s, 2023);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->fields.size(), 8u);
  for (std::size_t pad = 0; pad < 140; ++pad) {
    for (const char* gap : {" ", "\t", "  \t ", "\t\t"}) {
      // A long free field (field 3) moves the level across the window edges as pad grows.
      std::string node = "R" + std::string(pad, 'x');
      std::string line = std::string("-") + gap + "1118770460" + gap + "2005.06.14" + gap + node + gap +
                         "2005-06-14-10.33.40.129554" + gap + "R21" + gap + "RAS" + gap + "APP" + gap + "WARN";
      for (const char* tail : {"", " node  down", "\tx", " "}) {
        std::string l = line + tail;
        Header h;
        ASSERT_TRUE(f->parse(l, h, 2023)) << l;
        EXPECT_EQ(h.level, "WARN") << l;
        EXPECT_EQ(h.severity, LogLevel::kWarn);
        EXPECT_EQ(h.fast_level, 1);
        EXPECT_EQ(h.ts, 1118770460);
        std::string_view want = tail;
        while (!want.empty() && (want.front() == ' ' || want.front() == '\t')) want.remove_prefix(1);
        EXPECT_EQ(h.msg, want) << l;
      }
      // Cut before the level: the typed fields still read, the level is missing.
      Header h;
      std::string cut = line.substr(0, line.size() - 4);
      ASSERT_TRUE(f->parse(cut, h, 2023)) << cut;
      EXPECT_EQ(h.severity, LogLevel::kNone);
      // Too few fields: not a header.
      EXPECT_FALSE(f->parse(line.substr(0, line.find("2005-06-14-10")), h, 2023));
    }
  }
  Header h;
  EXPECT_FALSE(f->parse("", h, 2023));
  EXPECT_FALSE(f->parse(std::string(64, ' '), h, 2023));
  EXPECT_FALSE(f->parse(std::string(128, 'x'), h, 2023));
}

// message_key copies 16-byte blocks without digits whole and folds the others byte by byte: the
// key must be that of the byte-by-byte fold wherever the digit runs fall.
TEST(MessageKey, DigitRunsFoldWhereverTheyFall) {
  auto reference = [](std::string_view msg) {
    std::string folded;
    bool in_digits = false;
    for (char c : msg.substr(0, 512)) {
      bool digit = c >= '0' && c <= '9';
      if (!(digit && in_digits)) folded += digit ? '0' : c;
      in_digits = digit;
    }
    return std::hash<std::string_view>{}(folded);
  };
  std::string base = "connection to host timed out after seconds, retry attempt; \xc3\xa9t\xc3\xa9 \x80\xff/";
  for (std::size_t at = 0; at < 80; ++at) {
    for (const char* run : {"7", "42", "123456789012345678901234567890", "0x1f"}) {
      std::string m = base;
      m.insert(std::min(at, m.size()), run);
      EXPECT_EQ(message_key(m), reference(m)) << m;
    }
  }
  std::string long_msg(600, 'a');
  for (std::size_t i = 0; i < long_msg.size(); i += 37) long_msg[i] = '9';
  EXPECT_EQ(message_key(long_msg), reference(long_msg));
  EXPECT_EQ(message_key("timeout after 31s"), message_key("timeout after 7s"));
  EXPECT_NE(message_key("timeout after 31s"), message_key("timeout after s"));
}

TEST(AnyTime, EpochDigitCounts) {
  EXPECT_EQ(parse_any_time("111781337", 2000), 111781337);                // 9 digits: seconds
  EXPECT_EQ(parse_any_time("1117813370.5", 2000), 1117813370);            // a fraction after seconds
  EXPECT_EQ(parse_any_time("1117813370123456", 2000), 1117813370);        // us
  EXPECT_EQ(parse_any_time("1117813370123456789", 2000), 1117813370);     // ns
  EXPECT_EQ(parse_any_time("9999999999999999999", 2000), kNoTime);       // past INT64_MAX, past 2100
  EXPECT_EQ(parse_any_time("4102444801", 2000), kNoTime);                 // after 2100
  EXPECT_EQ(parse_any_time("11178133701", 2000), kNoTime);                // 11 digits: no unit
}
