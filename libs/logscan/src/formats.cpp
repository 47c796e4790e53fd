// Header parsers for each log format, format detection and timestamp parsing. Every parser
// is a small hand-written scanner over the line: no allocation, no regex (except --header).
#include "formats.hpp"

#include <re2/re2.h>

#include "learn.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "obscore/core/time.hpp"

namespace obscore::logscan {

namespace {

constexpr const char* kFormatNames[] = {
    "docker", "json",   "logfmt", "syslog5424", "syslog3164", "apache",   "nginx",
    "access", "logcat", "hdfs",   "spark",      "python",     "redis",    "mysql",
    "postgres", "iso",  "custom", "plain",      "learned"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

void skip_spaces(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
}


// HH:MM:SS with an optional fraction (.ddd or ,ddd); advances pos.
bool clock_time(std::string_view s, std::size_t& pos, int& hh, int& mm, int& ss) {
  if (!digits(s, pos, 2, hh) || !expect(s, pos, ':') || !digits(s, pos, 2, mm) ||
      !expect(s, pos, ':') || !digits(s, pos, 2, ss)) {
    return false;
  }
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',') && pos + 1 < s.size() &&
      is_digit(s[pos + 1])) {
    ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
  }
  return hh < 24 && mm < 60 && ss <= 60;
}

bool is_punct(char c) {
  switch (c) {
    case '[': case ']': case '(': case ')': case '{': case '}': case '<': case '>': case ':':
    case '|': case ',': case ';': case '-': case '=': case '"': case '\'':
      return true;
    default:
      return false;
  }
}

std::string_view trim_punct(std::string_view t) {
  while (!t.empty() && is_punct(t.front())) t.remove_prefix(1);
  while (!t.empty() && (is_punct(t.back()) || t.back() == '.')) t.remove_suffix(1);
  return t;
}

// The level among the first few tokens of `rest` (after a timestamp): e.g. "INFO [main] x",
// "[main] INFO x", "- name - WARNING - x". Fills level and msg.
void scan_level(std::string_view rest, Header& h, int max_tokens = 3) {
  std::size_t pos = 0;
  // Fast path (log4j, logback): an upper-case level word right after the timestamp.
  while (pos < rest.size() && rest[pos] == ' ') ++pos;
  std::size_t q = pos;
  while (q < rest.size() && q - pos < 9 && rest[q] >= 'A' && rest[q] <= 'Z') ++q;
  if (q >= pos + 3 && q < rest.size() && (rest[q] == ' ' || rest[q] == ']' || rest[q] == ':')) {
    std::string_view tok = rest.substr(pos, q - pos);
    if (int fast = fast_level_index(tok); fast >= 0) {
      h.level = tok;
      h.severity = kFastSeverity[fast];
      h.fast_level = fast;
      while (q < rest.size() && (rest[q] == ' ' || rest[q] == '\t' || rest[q] == '-' ||
                                 rest[q] == ':' || rest[q] == '|' || rest[q] == ']')) {
        ++q;
      }
      h.msg = rest.substr(q);
      return;
    }
    if (auto sev = parse_severity(tok)) {
      h.level = tok;
      h.severity = *sev;
      while (q < rest.size() && (rest[q] == ' ' || rest[q] == '\t' || rest[q] == '-' ||
                                 rest[q] == ':' || rest[q] == '|' || rest[q] == ']')) {
        ++q;
      }
      h.msg = rest.substr(q);
      return;
    }
  }
  pos = 0;
  int seen = 0;
  while (pos < rest.size() && seen < max_tokens) {
    while (pos < rest.size() && (rest[pos] == ' ' || rest[pos] == '\t')) ++pos;
    std::size_t start = pos;
    while (pos < rest.size() && rest[pos] != ' ' && rest[pos] != '\t') ++pos;
    std::string_view tok = trim_punct(rest.substr(start, pos - start));
    if (tok.empty()) continue;  // a lone separator ("-", "|") is not a token
    ++seen;
    if (tok.size() >= 3 && tok.size() <= 11 && is_alpha(tok[0])) {
      if (auto sev = parse_severity(tok)) {
        h.level = tok;
        h.severity = *sev;
        std::size_t m = pos;
        while (m < rest.size() && (rest[m] == ' ' || rest[m] == '\t' || rest[m] == '-' ||
                                   rest[m] == ':' || rest[m] == '|' || rest[m] == ']')) {
          ++m;
        }
        h.msg = rest.substr(m);
        return;
      }
    }
  }
  h.msg = rest;
}

// ---- JSON lines: a shallow scan of the top-level object's keys -------------------------------
// Skips a JSON value starting at s[pos] (string, number, literal, nested object/array).
bool skip_value(std::string_view s, std::size_t& pos) {
  if (pos >= s.size()) return false;
  char c = s[pos];
  if (c == '"') {
    for (++pos; pos < s.size(); ++pos) {
      if (s[pos] == '\\') {
        ++pos;
      } else if (s[pos] == '"') {
        ++pos;
        return true;
      }
    }
    return false;
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    for (; pos < s.size(); ++pos) {
      char d = s[pos];
      if (d == '"') {
        if (!skip_value(s, pos)) return false;
        --pos;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) {
          ++pos;
          return true;
        }
      }
    }
    return false;
  }
  while (pos < s.size() && std::strchr(",}] \t", s[pos]) == nullptr) ++pos;
  return true;
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

std::int64_t parse_epoch_number(std::string_view v) {
  // Seconds, or milliseconds / microseconds / nanoseconds when the number is larger.
  double d = 0;
  bool any = false;
  std::size_t i = 0;
  for (; i < v.size() && is_digit(v[i]); ++i) {
    d = d * 10 + (v[i] - '0');
    any = true;
  }
  if (!any) return kNoTime;
  while (d > 1e11) d /= 1000;
  return static_cast<std::int64_t>(d);
}

bool parse_json(std::string_view line, Header& h) {
  std::size_t pos = 0;
  skip_spaces(line, pos);
  if (pos >= line.size() || line[pos] != '{') return false;
  ++pos;
  bool any_key = false;
  for (;;) {
    skip_spaces(line, pos);
    if (pos >= line.size()) return any_key;
    if (line[pos] == '}') return true;
    if (line[pos] != '"') return false;
    std::size_t kstart = pos;
    if (!skip_value(line, pos)) return false;
    std::string_view key = line.substr(kstart + 1, pos - kstart - 2);
    skip_spaces(line, pos);
    if (!expect(line, pos, ':')) return false;
    skip_spaces(line, pos);
    std::size_t vstart = pos;
    if (!skip_value(line, pos)) return false;
    std::string_view value = line.substr(vstart, pos - vstart);
    any_key = true;
    if (key == "level" || key == "lvl" || key == "severity" || key == "levelname" ||
        key == "log.level" || key == "loglevel" || key == "@l" || key == "log_level") {
      if (!value.empty() && is_digit(value[0])) {
        // pino / bunyan numeric levels.
        int n = static_cast<int>(parse_epoch_number(value));
        h.level = value;
        h.severity = n >= 60 ? LogLevel::kFatal : n >= 50 ? LogLevel::kError
                     : n >= 40 ? LogLevel::kWarn : n >= 30 ? LogLevel::kInfo
                     : n >= 20 ? LogLevel::kDebug : LogLevel::kTrace;
      } else {
        h.level = unquote(value);
        if (auto s = parse_severity(h.level)) h.severity = *s;
      }
    } else if (key == "time" || key == "ts" || key == "timestamp" || key == "@timestamp" ||
               key == "@t" || key == "datetime" || key == "date") {
      std::string_view v = unquote(value);
      h.ts = !v.empty() && is_digit(v[0]) && v.find('-') == std::string_view::npos
                 ? parse_epoch_number(v)
                 : parse_iso_time(v);
    } else if (key == "msg" || key == "message" || key == "@m" || key == "@mt") {
      h.msg = unquote(value);
    }
    skip_spaces(line, pos);
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
}

// ---- logfmt ---------------------------------------------------------------------------------
bool parse_logfmt(std::string_view line, Header& h) {
  std::size_t pos = 0;
  int pairs = 0;
  bool has_level_or_time = false;
  while (pos < line.size()) {
    skip_spaces(line, pos);
    std::size_t kstart = pos;
    while (pos < line.size() && (std::isalnum(static_cast<unsigned char>(line[pos])) ||
                                 line[pos] == '_' || line[pos] == '.' || line[pos] == '-' ||
                                 line[pos] == '@')) {
      ++pos;
    }
    if (pos == kstart || pos >= line.size() || line[pos] != '=') {
      if (pairs == 0) return false;
      break;  // free text after the pairs
    }
    std::string_view key = line.substr(kstart, pos - kstart);
    ++pos;
    std::size_t vstart = pos;
    if (pos < line.size() && line[pos] == '"') {
      for (++pos; pos < line.size() && line[pos] != '"'; ++pos) {
        if (line[pos] == '\\') ++pos;
      }
      if (pos < line.size()) ++pos;
    } else {
      while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    }
    std::string_view value = unquote(line.substr(vstart, pos - vstart));
    ++pairs;
    if (key == "level" || key == "lvl" || key == "severity" || key == "loglevel") {
      h.level = value;
      if (auto s = parse_severity(value)) h.severity = *s;
      has_level_or_time = true;
    } else if (key == "time" || key == "ts" || key == "t" || key == "timestamp") {
      h.ts = parse_iso_time(value);
      if (h.ts == kNoTime && !value.empty() && is_digit(value[0])) h.ts = parse_epoch_number(value);
      has_level_or_time = true;
    } else if (key == "msg" || key == "message") {
      h.msg = value;
    }
  }
  return pairs >= 2 && has_level_or_time;
}

// ---- syslog ---------------------------------------------------------------------------------
constexpr const char* kSyslogSeverity[] = {"emerg",  "alert", "crit", "err",
                                           "warning", "notice", "info", "debug"};
constexpr LogLevel kSyslogMap[] = {LogLevel::kFatal, LogLevel::kFatal, LogLevel::kFatal,
                                   LogLevel::kError, LogLevel::kWarn,  LogLevel::kNotice,
                                   LogLevel::kInfo,  LogLevel::kDebug};

// <PRI> at pos: returns the severity (0-7) or -1.
int parse_pri(std::string_view s, std::size_t& pos) {
  if (pos >= s.size() || s[pos] != '<') return -1;
  std::size_t p = pos + 1;
  int v = 0, n = 0;
  while (p < s.size() && is_digit(s[p]) && n < 3) {
    v = v * 10 + (s[p] - '0');
    ++p;
    ++n;
  }
  if (n == 0 || p >= s.size() || s[p] != '>' || v > 191) return -1;
  pos = p + 1;
  return v % 8;
}

void set_syslog_level(Header& h, int sev) {
  if (sev < 0) return;
  h.level = kSyslogSeverity[sev];
  h.severity = kSyslogMap[sev];
}

bool parse_syslog5424(std::string_view s, Header& h) {
  std::size_t pos = 0;
  int sev = parse_pri(s, pos);
  if (sev < 0) return false;
  int version = 0;
  if (!digits(s, pos, 1, version) || version == 0 || !expect(s, pos, ' ')) return false;
  if (pos < s.size() && s[pos] == '-') {
    ++pos;
  } else {
    std::size_t used = 0;
    h.ts = parse_iso_time(s.substr(pos), &used);
    if (h.ts == kNoTime) return false;
    pos += used;
  }
  set_syslog_level(h, sev);
  // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
  for (int field = 0; field < 4 && pos < s.size(); ++field) {
    skip_spaces(s, pos);
    while (pos < s.size() && s[pos] != ' ') ++pos;
  }
  skip_spaces(s, pos);
  if (pos < s.size() && s[pos] == '[') {
    // SD-ELEMENTs; a ']' inside a quoted PARAM-VALUE does not end the element.
    while (pos < s.size() && s[pos] == '[') {
      bool quoted = false;
      for (++pos; pos < s.size() && (quoted || s[pos] != ']'); ++pos) {
        if (s[pos] == '\\') {
          ++pos;
        } else if (s[pos] == '"') {
          quoted = !quoted;
        }
      }
      ++pos;
    }
  } else if (pos < s.size() && s[pos] == '-') {
    ++pos;
  }
  skip_spaces(s, pos);
  h.msg = pos < s.size() ? s.substr(pos) : std::string_view();
  return true;
}

// "Mmm dd hh:mm:ss" at pos (dd may be space-padded).
bool bsd_time(std::string_view s, std::size_t& pos, int year, std::int64_t& ts) {
  if (pos + 15 > s.size()) return false;
  int mon = month_index(s.substr(pos, 3));
  if (mon == 0 || s[pos + 3] != ' ') return false;
  pos += 4;
  int day = 0;
  if (s[pos] == ' ') {
    ++pos;
    if (!digits(s, pos, 1, day)) return false;
  } else if (!digits(s, pos, 2, day)) {
    return false;
  }
  int hh, mm, ss;
  if (!expect(s, pos, ' ') || !clock_time(s, pos, hh, mm, ss)) return false;
  ts = civil_to_epoch(year, mon, day, hh, mm, ss);
  return true;
}

bool parse_syslog3164(std::string_view s, Header& h, int year) {
  std::size_t pos = 0;
  int sev = parse_pri(s, pos);
  if (!bsd_time(s, pos, year, h.ts)) return false;
  set_syslog_level(h, sev);
  skip_spaces(s, pos);
  // HOST TAG: MSG
  while (pos < s.size() && s[pos] != ' ') ++pos;
  skip_spaces(s, pos);
  std::size_t colon = s.find(": ", pos);
  h.msg = colon == std::string_view::npos ? s.substr(pos) : s.substr(colon + 2);
  return true;
}

// ---- Apache / nginx error logs --------------------------------------------------------------
bool parse_apache(std::string_view s, Header& h, int /*year*/) {
  // [Sun Dec 04 04:47:44 2005] [error] msg   |   [Fri Sep 09 10:42:29.902022 2011] [core:error] ...
  std::size_t pos = 0;
  if (!expect(s, pos, '[') || pos + 4 > s.size() || !is_alpha(s[pos])) return false;
  pos += 3;
  if (!expect(s, pos, ' ')) return false;
  int mon = month_index(s.substr(pos, 3));
  if (mon == 0) return false;
  pos += 3;
  int day, hh, mm, ss, year;
  if (!expect(s, pos, ' ')) return false;
  if (pos < s.size() && s[pos] == ' ') ++pos;
  std::size_t dpos = pos;
  if (!digits(s, pos, 2, day)) {
    pos = dpos;
    if (!digits(s, pos, 1, day)) return false;
  }
  if (!expect(s, pos, ' ') || !clock_time(s, pos, hh, mm, ss) || !expect(s, pos, ' ') ||
      !digits(s, pos, 4, year) || !expect(s, pos, ']')) {
    return false;
  }
  h.ts = civil_to_epoch(year, mon, day, hh, mm, ss);
  skip_spaces(s, pos);
  if (pos < s.size() && s[pos] == '[') {
    std::size_t close = s.find(']', pos);
    if (close != std::string_view::npos) {
      std::string_view tag = s.substr(pos + 1, close - pos - 1);
      if (auto colon = tag.rfind(':'); colon != std::string_view::npos) tag = tag.substr(colon + 1);
      // Apache 2.4 trace levels: trace1..trace8.
      std::string_view base = tag.starts_with("trace") ? tag.substr(0, 5) : tag;
      if (auto sev = parse_severity(base)) {
        h.level = tag;
        h.severity = *sev;
        pos = close + 1;
      }
    }
  }
  skip_spaces(s, pos);
  h.msg = s.substr(std::min(pos, s.size()));
  return true;
}

bool parse_nginx(std::string_view s, Header& h) {
  // 2011/09/09 10:42:29 [error] 1234#0: *1 msg
  std::size_t pos = 0;
  int y, mo, d, hh, mm, ss;
  if (!digits(s, pos, 4, y) || !expect(s, pos, '/') || !digits(s, pos, 2, mo) ||
      !expect(s, pos, '/') || !digits(s, pos, 2, d) || !expect(s, pos, ' ') ||
      !clock_time(s, pos, hh, mm, ss) || !expect(s, pos, ' ') || !expect(s, pos, '[')) {
    return false;
  }
  std::size_t close = s.find(']', pos);
  if (close == std::string_view::npos) return false;
  std::string_view tag = s.substr(pos, close - pos);
  auto sev = parse_severity(tag);
  if (!sev) return false;
  h.ts = civil_to_epoch(y, mo, d, hh, mm, ss);
  h.level = tag;
  h.severity = *sev;
  pos = close + 1;
  skip_spaces(s, pos);
  h.msg = s.substr(pos);
  return true;
}

// ---- Android logcat -------------------------------------------------------------------------
LogLevel logcat_severity(char c) {
  switch (c) {
    case 'V': return LogLevel::kTrace;
    case 'D': return LogLevel::kDebug;
    case 'I': return LogLevel::kInfo;
    case 'W': return LogLevel::kWarn;
    case 'E': return LogLevel::kError;
    case 'F':
    case 'A': return LogLevel::kFatal;
    default: return LogLevel::kNone;
  }
}

bool parse_logcat(std::string_view s, Header& h, int year) {
  // threadtime: 03-17 16:13:38.811  1702  2395 D Tag: msg
  // time:       03-17 16:13:38.811 D/Tag( 1702): msg
  std::size_t pos = 0;
  int mo, d, hh, mm, ss;
  if (!digits(s, pos, 2, mo) || !expect(s, pos, '-') || !digits(s, pos, 2, d) ||
      !expect(s, pos, ' ') || !clock_time(s, pos, hh, mm, ss) || mo < 1 || mo > 12) {
    return false;
  }
  skip_spaces(s, pos);
  if (pos + 1 < s.size() && s[pos + 1] == '/' && logcat_severity(s[pos]) != LogLevel::kNone) {
    h.level = s.substr(pos, 1);
    h.severity = logcat_severity(s[pos]);
  } else {
    int fields = 0;
    while (fields < 2) {  // PID TID
      std::size_t start = pos;
      while (pos < s.size() && is_digit(s[pos])) ++pos;
      if (pos == start) return false;
      skip_spaces(s, pos);
      ++fields;
    }
    if (pos + 1 >= s.size() || s[pos + 1] != ' ' || logcat_severity(s[pos]) == LogLevel::kNone) {
      return false;
    }
    h.level = s.substr(pos, 1);
    h.severity = logcat_severity(s[pos]);
  }
  h.ts = civil_to_epoch(year, mo, d, hh, mm, ss);
  // The message follows the tag: "Tag: msg" (threadtime) or "/Tag( 1702): msg" (time).
  h.msg = s.substr(pos + 2);
  std::size_t colon = h.msg.substr(0, 128).find(": ");
  if (colon != std::string_view::npos) h.msg.remove_prefix(colon + 2);
  return true;
}

// ---- Hadoop/HDFS and Spark compact styles ---------------------------------------------------
// The tail shared by the compact Hadoop styles: "LEVEL component: msg" after the timestamp.
bool compact_tail(std::string_view s, std::size_t pos, Header& h, std::int64_t ts) {
  std::size_t lstart = pos;
  while (pos < s.size() && is_alpha(s[pos])) ++pos;
  auto sev = parse_severity(s.substr(lstart, pos - lstart));
  if (!sev) return false;
  h.level = s.substr(lstart, pos - lstart);
  h.severity = *sev;
  h.ts = ts;
  skip_spaces(s, pos);
  h.msg = s.substr(pos);
  return true;
}

bool parse_hdfs(std::string_view s, Header& h) {
  // 081109 203615 148 INFO dfs.DataNode$PacketResponder: msg
  std::size_t pos = 0;
  int y, mo, d, hh, mm, ss;
  if (!digits(s, pos, 2, y) || !digits(s, pos, 2, mo) || !digits(s, pos, 2, d) ||
      !expect(s, pos, ' ') || !digits(s, pos, 2, hh) || !digits(s, pos, 2, mm) ||
      !digits(s, pos, 2, ss) || !expect(s, pos, ' ') || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return false;
  }
  std::size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos == start) return false;
  skip_spaces(s, pos);
  return compact_tail(s, pos, h, civil_to_epoch(2000 + y, mo, d, hh, mm, ss));
}

bool parse_spark(std::string_view s, Header& h) {
  // 17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: msg
  std::size_t pos = 0;
  int y, mo, d, hh, mm, ss;
  if (!digits(s, pos, 2, y) || !expect(s, pos, '/') || !digits(s, pos, 2, mo) ||
      !expect(s, pos, '/') || !digits(s, pos, 2, d) || !expect(s, pos, ' ') ||
      !clock_time(s, pos, hh, mm, ss) || !expect(s, pos, ' ')) {
    return false;
  }
  return compact_tail(s, pos, h, civil_to_epoch(2000 + y, mo, d, hh, mm, ss));
}

// ---- Python logging's default "LEVEL:logger:message" ----------------------------------------
bool parse_python(std::string_view s, Header& h) {
  static constexpr const char* kLevels[] = {"DEBUG:", "INFO:", "WARNING:", "ERROR:", "CRITICAL:"};
  for (const char* l : kLevels) {
    std::size_t n = std::strlen(l);
    if (s.size() > n && s.compare(0, n, l) == 0) {
      h.level = s.substr(0, n - 1);
      h.severity = *parse_severity(h.level);
      std::size_t colon = s.find(':', n);
      h.msg = colon == std::string_view::npos ? s.substr(n) : s.substr(colon + 1);
      return true;
    }
  }
  return false;
}

// 16-byte equality as two 8-byte loads (no memcmp call on the hot path).
bool same16(const char* a, const char* b) {
  std::uint64_t a0, a1, b0, b1;
  std::memcpy(&a0, a, 8);
  std::memcpy(&a1, a + 8, 8);
  std::memcpy(&b0, b, 8);
  std::memcpy(&b1, b + 8, 8);
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

bool parse_iso(std::string_view s, Header& h) {
  // Consecutive records share "YYYY-MM-DD HH:MM": when this line starts like the previous one
  // (and that one had no UTC offset), only the seconds are parsed.
  thread_local char last_prefix[16];
  thread_local std::int64_t last_minute = kNoTime;
  std::size_t pos = 0;
  bool bracket = expect(s, pos, '[');
  std::size_t used = 0;
  if (last_minute != kNoTime && s.size() >= pos + 19 &&
      same16(s.data() + pos, last_prefix) && s[pos + 16] == ':' &&
      is_digit(s[pos + 17]) && is_digit(s[pos + 18])) {
    std::size_t p = pos + 19;
    if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && is_digit(s[p + 1])) {
      ++p;
      while (p < s.size() && is_digit(s[p])) ++p;
    }
    bool offset = p < s.size() && (s[p] == 'Z' || ((s[p] == '+' || s[p] == '-') && p + 1 < s.size() && is_digit(s[p + 1])));
    if (!offset) {
      int ss = (s[pos + 17] - '0') * 10 + (s[pos + 18] - '0');
      if (ss <= 60) {
        h.ts = last_minute + ss;
        used = p - pos;
      }
    }
  }
  if (used == 0) {
    h.ts = parse_iso_time(s.substr(pos), &used);
    if (h.ts == kNoTime) return false;
    // Remember the minute when nothing follows the seconds (and fraction): no offset, so the
    // text alone determines the time.
    std::size_t p = pos + 19;
    if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && is_digit(s[p + 1])) {
      ++p;
      while (p < s.size() && is_digit(s[p])) ++p;
    }
    if (used >= 19 && pos + used == p) {
      std::memcpy(last_prefix, s.data() + pos, 16);
      last_minute = h.ts - ((h.ts % 60) + 60) % 60;
    } else {
      last_minute = kNoTime;
    }
  }
  pos += used;
  if (bracket) expect(s, pos, ']');
  scan_level(s.substr(pos), h);
  return true;
}

bool parse_custom(const re2::RE2& re, std::string_view s, Header& h, int year) {
  const int n = re.NumberOfCapturingGroups();
  std::array<re2::StringPiece, 16> groups;
  if (n + 1 > static_cast<int>(groups.size())) return false;
  if (!re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::ANCHOR_START,
                groups.data(), n + 1)) {
    return false;
  }
  const auto& names = re.NamedCapturingGroups();
  auto group = [&](const char* name) -> std::string_view {
    auto it = names.find(name);
    if (it == names.end()) return {};
    const auto& g = groups[static_cast<std::size_t>(it->second)];
    return {g.data(), g.size()};
  };
  h.level = group("level");
  if (auto sev = parse_severity(h.level)) h.severity = *sev;
  std::string_view ts = group("ts");
  if (!ts.empty()) h.ts = parse_any_time(ts, year);
  auto msg = group("msg");
  h.msg = msg.data() != nullptr ? msg : s;
  return true;
}

}  // namespace

int month_index(std::string_view m) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (m.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (std::strncmp(m.data(), kMonths[i], 3) == 0) return i + 1;
  }
  return 0;
}

const char* severity_name(LogLevel s) {
  static constexpr const char* kNames[] = {"trace", "debug", "info", "notice",
                                           "warn",  "error", "fatal", "none"};
  return kNames[static_cast<int>(s)];
}

std::optional<LogLevel> parse_severity(std::string_view token) {
  // Case-insensitive comparison against a small table, by length first (hot path).
  struct Entry {
    std::string_view word;
    LogLevel sev;
  };
  static constexpr Entry kWords[] = {
      {"trace", LogLevel::kTrace},   {"trc", LogLevel::kTrace},      {"finest", LogLevel::kTrace},
      {"finer", LogLevel::kTrace},   {"verbose", LogLevel::kTrace},  {"debug", LogLevel::kDebug},
      {"dbg", LogLevel::kDebug},     {"fine", LogLevel::kDebug},     {"info", LogLevel::kInfo},
      {"inf", LogLevel::kInfo},      {"information", LogLevel::kInfo},
      {"informational", LogLevel::kInfo},                            {"notice", LogLevel::kNotice},
      {"warn", LogLevel::kWarn},     {"warning", LogLevel::kWarn},   {"wrn", LogLevel::kWarn},
      {"error", LogLevel::kError},   {"err", LogLevel::kError},      {"severe", LogLevel::kError},
      {"fatal", LogLevel::kFatal},   {"critical", LogLevel::kFatal}, {"crit", LogLevel::kFatal},
      {"alert", LogLevel::kFatal},   {"emerg", LogLevel::kFatal},    {"emergency", LogLevel::kFatal},
      {"panic", LogLevel::kFatal},   {"ftl", LogLevel::kFatal},      {"failure", LogLevel::kError},
  };
  if (token.size() < 3 || token.size() > 13) return std::nullopt;
  // Fast path: the common upper-case spellings.
  if (token.size() == 4) {
    if (token == "INFO") return LogLevel::kInfo;
    if (token == "WARN") return LogLevel::kWarn;
  } else if (token.size() == 5) {
    if (token == "ERROR") return LogLevel::kError;
    if (token == "DEBUG") return LogLevel::kDebug;
    if (token == "TRACE") return LogLevel::kTrace;
    if (token == "FATAL") return LogLevel::kFatal;
  }
  switch (token[0] | 0x20) {  // every level word starts with one of these letters
    case 't': case 'f': case 'v': case 'd': case 'i': case 'n': case 'w': case 'e': case 's':
    case 'c': case 'a': case 'p':
      break;
    default:
      return std::nullopt;
  }
  for (const auto& e : kWords) {
    if (e.word.size() != token.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < token.size() && same; ++i) {
      same = (token[i] | 0x20) == e.word[i];
    }
    if (same) return e.sev;
  }
  return std::nullopt;
}

std::vector<std::string> format_names() {
  std::vector<std::string> out;
  for (const char* n : kFormatNames) {
    if (std::string_view(n) != "custom" && std::string_view(n) != "learned") out.emplace_back(n);
  }
  return out;
}

const char* format_name(FormatId f) { return kFormatNames[static_cast<int>(f)]; }

std::optional<FormatId> parse_format_name(std::string_view name) {
  for (int i = 0; i < static_cast<int>(std::size(kFormatNames)); ++i) {
    if (name == kFormatNames[i] && name != "custom" && name != "learned") return static_cast<FormatId>(i);
  }
  if (name == "log4j" || name == "iso8601") return FormatId::kIso;
  if (name == "syslog") return FormatId::kSyslog3164;
  if (name == "android") return FormatId::kLogcat;
  if (name == "jsonl" || name == "ndjson") return FormatId::kJson;
  if (name == "postgresql" || name == "pg") return FormatId::kPostgres;
  if (name == "mariadb") return FormatId::kMysql;
  if (name == "clf" || name == "combined" || name == "common") return FormatId::kAccess;
  return std::nullopt;
}

bool FormatParser::parse(std::string_view line, Header& h) const {
  h = Header{};
  switch (id_) {
    case FormatId::kJson: return parse_json(line, h);
    case FormatId::kLogfmt: return parse_logfmt(line, h);
    case FormatId::kSyslog5424: return parse_syslog5424(line, h);
    case FormatId::kSyslog3164: return parse_syslog3164(line, h, year_);
    case FormatId::kApache: return parse_apache(line, h, year_);
    case FormatId::kNginx: return parse_nginx(line, h);
    case FormatId::kLogcat: return parse_logcat(line, h, year_);
    case FormatId::kHdfs: return parse_hdfs(line, h);
    case FormatId::kSpark: return parse_spark(line, h);
    case FormatId::kPython: return parse_python(line, h);
    case FormatId::kIso: return parse_iso(line, h);
    case FormatId::kCustom: return custom_ != nullptr && parse_custom(*custom_, line, h, year_);
    case FormatId::kPlain: h.msg = line; return true;
    case FormatId::kDocker: return parse_docker(line, h);
    case FormatId::kAccess: return parse_access(line, h);
    case FormatId::kRedis: return parse_redis(line, h, year_);
    case FormatId::kMysql: return parse_mysql(line, h);
    case FormatId::kPostgres: return parse_postgres(line, h);
    case FormatId::kLearned: return learned_ != nullptr && learned_->parse(line, h, year_);
  }
  return false;
}

FormatId detect_format(std::string_view sample, int year) {
  constexpr int kCandidates = static_cast<int>(FormatId::kIso) + 1;
  std::array<int, kCandidates> hits{};
  std::size_t pos = 0;
  int lines = 0;
  Header h;
  while (pos < sample.size() && lines < 200) {
    std::size_t nl = sample.find('\n', pos);
    if (nl == std::string_view::npos) nl = sample.size();
    std::string_view line = sample.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++lines;
    for (int f = 0; f < kCandidates; ++f) {
      auto id = static_cast<FormatId>(f);
      if (FormatParser(id, year).parse(line, h) || (id == FormatId::kPostgres && postgres_secondary(line))) {
        ++hits[static_cast<std::size_t>(f)];
      }
    }
  }
  int best = -1, best_hits = 0;
  for (int f = 0; f < kCandidates; ++f) {
    if (hits[static_cast<std::size_t>(f)] > best_hits) {
      best = f;
      best_hits = hits[static_cast<std::size_t>(f)];
    }
  }
  return best < 0 ? FormatId::kPlain : static_cast<FormatId>(best);
}

std::int64_t civil_to_epoch(int y, int m, int d, int hh, int mm, int ss) {
  // Consecutive log lines share their date: remember the last one.
  thread_local int last_y = -1, last_m = -1, last_d = -1;
  thread_local std::int64_t last_days = 0;
  const std::int64_t time_of_day = std::int64_t{hh} * 3600 + std::int64_t{mm} * 60 + ss;
  if (y == last_y && m == last_m && d == last_d) return last_days * 86400 + time_of_day;
  last_y = y;
  last_m = m;
  last_d = d;
  const std::int64_t days = core::days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  last_days = days;
  return days * 86400 + time_of_day;
}

std::int64_t parse_iso_time(std::string_view s, std::size_t* used) {
  std::size_t pos = 0;
  int y, mo, d, hh, mm, ss;
  if (!digits(s, pos, 4, y)) return kNoTime;
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return kNoTime;
  char sep = s[pos++];
  if (!digits(s, pos, 2, mo) || !expect(s, pos, sep) || !digits(s, pos, 2, d)) return kNoTime;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != ' ' && s[pos] != '_')) return kNoTime;
  ++pos;
  if (!clock_time(s, pos, hh, mm, ss)) return kNoTime;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return kNoTime;
  std::int64_t t = civil_to_epoch(y, mo, d, hh, mm, ss);
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-') && pos + 3 <= s.size() &&
             is_digit(s[pos + 1])) {
    int sign = s[pos] == '+' ? 1 : -1;
    std::size_t p = pos + 1;
    int oh = 0, om = 0;
    if (digits(s, p, 2, oh)) {
      if (p < s.size() && s[p] == ':') ++p;
      std::size_t q = p;
      if (!digits(s, q, 2, om)) om = 0;
      else p = q;
      t -= sign * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
      pos = p;
    }
  }
  if (used != nullptr) *used = pos;
  return t;
}

}  // namespace obscore::logscan
