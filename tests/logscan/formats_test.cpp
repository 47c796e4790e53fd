// Header parsers, format detection, time and severity parsing.
#include "formats.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

using namespace obscore::logscan;

namespace {

Header parse_ok(FormatId f, std::string_view line) {
  Header h;
  EXPECT_TRUE(FormatParser(f, 2023).parse(line, h)) << line;
  return h;
}

}  // namespace

TEST(Time, CivilAndIso) {
  EXPECT_EQ(civil_to_epoch(1970, 1, 1, 0, 0, 0), 0);
  EXPECT_EQ(civil_to_epoch(2000, 3, 1, 0, 0, 0), 951868800);
  EXPECT_EQ(parse_iso_time("2023-01-02T03:04:05Z"), 1672628645);
  EXPECT_EQ(parse_iso_time("2023-01-02 03:04:05,123 INFO"), 1672628645);
  EXPECT_EQ(parse_iso_time("2023-01-02T05:04:05+02:00"), 1672628645);
  EXPECT_EQ(parse_iso_time("2023-01-02T00:04:05.5-0300"), 1672628645);
  EXPECT_EQ(parse_iso_time("2023/01/02 03:04:05"), 1672628645);
  EXPECT_EQ(parse_iso_time("2023-13-02 03:04:05"), kNoTime);
  EXPECT_EQ(parse_iso_time("hello"), kNoTime);
  std::size_t used = 0;
  parse_iso_time("2023-01-02 03:04:05.123456 rest", &used);
  EXPECT_EQ(used, 26u);
}

TEST(LogLevel, TokensAreNormalised) {
  EXPECT_EQ(parse_severity("WARNING"), LogLevel::kWarn);
  EXPECT_EQ(parse_severity("warn"), LogLevel::kWarn);
  EXPECT_EQ(parse_severity("Err"), LogLevel::kError);
  EXPECT_EQ(parse_severity("SEVERE"), LogLevel::kError);
  EXPECT_EQ(parse_severity("CRITICAL"), LogLevel::kFatal);
  EXPECT_EQ(parse_severity("notice"), LogLevel::kNotice);
  EXPECT_EQ(parse_severity("FINEST"), LogLevel::kTrace);
  EXPECT_EQ(parse_severity("hello"), std::nullopt);
  EXPECT_EQ(parse_severity(""), std::nullopt);
}

TEST(Formats, IsoLog4jVariants) {
  auto h = parse_ok(FormatId::kIso, "2015-10-18 18:01:47,978 INFO [main] org.Foo: hello");
  EXPECT_EQ(h.level, "INFO");
  EXPECT_EQ(h.ts, civil_to_epoch(2015, 10, 18, 18, 1, 47));
  EXPECT_EQ(parse_ok(FormatId::kIso, "2015-10-18 18:01:47,978 [main] WARN org.Foo - x").level, "WARN");
  EXPECT_EQ(parse_ok(FormatId::kIso, "2023-01-01 12:00:00,123 - app.db - ERROR - boom").level, "ERROR");
  EXPECT_EQ(parse_ok(FormatId::kIso, "[2023-01-01T12:00:00Z] DEBUG x").level, "DEBUG");
  EXPECT_EQ(parse_ok(FormatId::kIso, "2016-09-28 04:30:30, Info  CBS  Loaded").level, "Info");
  // A level word deep in the message is not the level.
  auto deep = parse_ok(FormatId::kIso, "2023-01-01 12:00:00 [main] org.Foo: upstream returned ERROR 502");
  EXPECT_EQ(deep.level, "");
  EXPECT_EQ(deep.severity, LogLevel::kNone);
  Header h2;
  EXPECT_FALSE(FormatParser(FormatId::kIso, 2023).parse("\tat org.Foo.bar(Foo.java:1)", h2));
}

TEST(Formats, Syslog) {
  auto a = parse_ok(FormatId::kSyslog3164, "<11>Jun 14 15:17:00 combo app[1]: disk error");
  EXPECT_EQ(a.level, "err");
  EXPECT_EQ(a.severity, LogLevel::kError);
  EXPECT_EQ(a.msg, "disk error");
  auto b = parse_ok(FormatId::kSyslog3164, "Jun  5 09:00:00 combo cron[2]: job");
  EXPECT_EQ(b.severity, LogLevel::kNone);
  EXPECT_EQ(b.ts, civil_to_epoch(2023, 6, 5, 9, 0, 0));
  auto c = parse_ok(FormatId::kSyslog5424,
                    "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time");
  EXPECT_EQ(c.level, "notice");
  EXPECT_EQ(c.ts, civil_to_epoch(2003, 8, 24, 12, 14, 15));
  EXPECT_EQ(c.msg, "%% It's time");
  auto d = parse_ok(FormatId::kSyslog5424, "<13>1 - host app - - [id@1 a=\"]\"] started");
  EXPECT_EQ(d.msg, "started");
}

TEST(Formats, WebServerErrorLogs) {
  auto a = parse_ok(FormatId::kApache, "[Sun Dec 04 04:47:44 2005] [error] mod_jk child");
  EXPECT_EQ(a.level, "error");
  EXPECT_EQ(a.msg, "mod_jk child");
  auto b = parse_ok(FormatId::kApache, "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 1] x");
  EXPECT_EQ(b.level, "error");
  auto c = parse_ok(FormatId::kNginx, "2011/09/09 10:42:29 [crit] 1234#0: *3 SSL failed");
  EXPECT_EQ(c.severity, LogLevel::kFatal);
}

TEST(Formats, LogcatHdfsSparkPython) {
  auto a = parse_ok(FormatId::kLogcat, "03-17 16:13:38.811  1702  2395 D WindowManager: x");
  EXPECT_EQ(a.level, "D");
  EXPECT_EQ(a.msg, "x");  // the message follows the tag
  EXPECT_EQ(parse_ok(FormatId::kLogcat, "03-17 16:13:38.811 E/Tag( 1702): boom").severity,
            LogLevel::kError);
  EXPECT_EQ(parse_ok(FormatId::kHdfs, "081109 203615 148 INFO dfs.DataNode: x").ts,
            civil_to_epoch(2008, 11, 9, 20, 36, 15));
  EXPECT_EQ(parse_ok(FormatId::kSpark, "17/06/09 20:10:41 ERROR executor.Executor: x").level, "ERROR");
  auto p = parse_ok(FormatId::kPython, "WARNING:root:disk almost full");
  EXPECT_EQ(p.severity, LogLevel::kWarn);
  EXPECT_EQ(p.msg, "disk almost full");
}

TEST(Formats, JsonAndLogfmt) {
  auto a = parse_ok(FormatId::kJson,
                    R"({"time":"2023-01-02T03:04:06Z","level":"error","msg":"db down","err":{"level":"fatal"}})");
  EXPECT_EQ(a.level, "error");
  EXPECT_EQ(a.msg, "db down");
  EXPECT_EQ(a.ts, 1672628646);
  auto b = parse_ok(FormatId::kJson, R"({"level":50,"time":1672628648000,"msg":"pino"})");
  EXPECT_EQ(b.severity, LogLevel::kError);
  EXPECT_EQ(b.ts, 1672628648);
  Header h;
  EXPECT_FALSE(FormatParser(FormatId::kJson, 2023).parse("not json", h));
  auto c = parse_ok(FormatId::kLogfmt, R"(time=2023-01-02T03:04:05Z level=warn msg="slow request" d=2)");
  EXPECT_EQ(c.level, "warn");
  EXPECT_EQ(c.msg, "slow request");
  EXPECT_FALSE(FormatParser(FormatId::kLogfmt, 2023).parse("just some text here", h));
}

TEST(Formats, CustomHeaderRegex) {
  re2::RE2 re(R"((?P<ts>\S+ \S+)\|(?P<level>[A-Z])\|(?P<msg>.*))");
  FormatParser p(FormatId::kCustom, 2023, &re);
  Header h;
  ASSERT_TRUE(p.parse("2023-01-01 10:00:00|E|disk full", h));
  EXPECT_EQ(h.level, "E");
  EXPECT_EQ(h.msg, "disk full");
  EXPECT_EQ(h.ts, civil_to_epoch(2023, 1, 1, 10, 0, 0));
  EXPECT_FALSE(p.parse("more detail", h));
}

TEST(Formats, DetectionPicksTheBestMatch) {
  EXPECT_EQ(detect_format("2011/09/09 10:42:29 [error] 1#0: x\n2011/09/09 10:42:30 [warn] 1#0: y\n", 2023),
            FormatId::kNginx);
  EXPECT_EQ(detect_format("{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"warn\",\"msg\":\"b\"}\n", 2023),
            FormatId::kJson);
  EXPECT_EQ(detect_format("2015-10-18 18:01:47,978 INFO [main] a\n\tat x\n", 2023), FormatId::kIso);
  EXPECT_EQ(detect_format("hello\nworld\n", 2023), FormatId::kPlain);
  EXPECT_EQ(detect_format("", 2023), FormatId::kPlain);
  EXPECT_EQ(parse_format_name("log4j"), FormatId::kIso);
  EXPECT_EQ(parse_format_name("custom"), std::nullopt);
}
