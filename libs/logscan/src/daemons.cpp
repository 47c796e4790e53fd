// Header parsers for the logs of common daemons: PostgreSQL (any log_line_prefix that starts
// with a timestamp, or none), Redis, MySQL/MariaDB error logs, Docker's json-file driver and
// HTTP access logs (common/combined, severity derived from the status class).
#include <cstring>

#include "formats.hpp"

namespace obscore::logscan {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

bool dig(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
  }
  return true;
}

int num(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v * 10 + (s[pos + i] - '0');
  return v;
}

int month3(std::string_view s, std::size_t pos) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (pos + 3 > s.size()) return 0;
  for (int i = 0; i < 12; ++i) {
    if (std::strncmp(s.data() + pos, kMonths[i], 3) == 0) return i + 1;
  }
  return 0;
}

// "HH:MM:SS[.frac]" at pos; advances pos.
bool clock(std::string_view s, std::size_t& pos, int& hh, int& mm, int& ss) {
  if (!dig(s, pos, 2) || pos + 8 > s.size() || s[pos + 2] != ':' || !dig(s, pos + 3, 2) ||
      s[pos + 5] != ':' || !dig(s, pos + 6, 2)) {
    return false;
  }
  hh = num(s, pos, 2);
  mm = num(s, pos + 3, 2);
  ss = num(s, pos + 6, 2);
  pos += 8;
  if (pos + 1 < s.size() && (s[pos] == '.' || s[pos] == ',') && is_digit(s[pos + 1])) {
    ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
  }
  return hh < 24 && mm < 60 && ss <= 60;
}

// ---- PostgreSQL -------------------------------------------------------------------------------
struct PgWord {
  std::string_view word;
  LogLevel sev;
  bool secondary;
};
constexpr PgWord kPgWords[] = {
    {"LOG", LogLevel::kInfo, false},       {"ERROR", LogLevel::kError, false},
    {"FATAL", LogLevel::kFatal, false},    {"WARNING", LogLevel::kWarn, false},
    {"INFO", LogLevel::kInfo, false},      {"NOTICE", LogLevel::kNotice, false},
    {"PANIC", LogLevel::kFatal, false},    {"DEBUG1", LogLevel::kDebug, false},
    {"DEBUG2", LogLevel::kDebug, false},   {"DEBUG3", LogLevel::kDebug, false},
    {"DEBUG4", LogLevel::kDebug, false},   {"DEBUG5", LogLevel::kDebug, false},
    {"DETAIL", LogLevel::kNone, true},     {"HINT", LogLevel::kNone, true},
    {"CONTEXT", LogLevel::kNone, true},    {"STATEMENT", LogLevel::kNone, true},
    {"QUERY", LogLevel::kNone, true},      {"LOCATION", LogLevel::kNone, true},
};

// The severity word of a PostgreSQL line: "WORD:  " (two spaces, or the end of the line) at the
// start or after the prefix, which must then begin with a timestamp (ISO, optionally after "<"
// or "[", or epoch seconds with milliseconds, %n). Returns the entry and the message offset.
const PgWord* pg_word(std::string_view s, std::size_t& msg) {
  std::size_t start = 0;
  while (start < s.size() && (s[start] == '<' || s[start] == '[' || s[start] == ' ')) ++start;
  bool prefixed = dig(s, start, 4) && parse_iso_time(s.substr(start)) != kNoTime;
  if (!prefixed && dig(s, start, 10) && start + 10 < s.size() && s[start + 10] == '.') prefixed = true;
  const std::size_t limit = prefixed ? std::min<std::size_t>(s.size(), 400) : 1;
  for (std::size_t pos = 0; pos < limit; ++pos) {
    if (!is_upper(s[pos])) continue;
    if (pos > 0) {
      char b = s[pos - 1];
      if (b != ' ' && b != ':' && b != '>' && b != ']' && b != '\t') continue;
    }
    std::size_t q = pos;
    while (q < s.size() && (is_upper(s[q]) || is_digit(s[q]))) ++q;
    if (q >= s.size() || s[q] != ':' || (q + 1 < s.size() && s[q + 1] != ' ')) {
      pos = q;
      continue;
    }
    std::string_view w = s.substr(pos, q - pos);
    for (const auto& e : kPgWords) {
      if (e.word == w) {
        msg = q + 1;
        while (msg < s.size() && s[msg] == ' ') ++msg;
        return &e;
      }
    }
    pos = q;
  }
  return nullptr;
}

// ---- tiny JSON string scan (Docker) ---------------------------------------------------------
// The raw (still escaped) string value of top-level `key` in a one-line JSON object.
bool json_string(std::string_view s, std::string_view key, std::string_view& value) {
  std::size_t pos = 0;
  while ((pos = s.find(key, pos)) != std::string_view::npos) {
    std::size_t k = pos;
    pos += key.size();
    if (k == 0 || s[k - 1] != '"' || pos >= s.size() || s[pos] != '"') continue;
    std::size_t p = pos + 1;
    while (p < s.size() && s[p] == ' ') ++p;
    if (p >= s.size() || s[p] != ':') continue;
    ++p;
    while (p < s.size() && s[p] == ' ') ++p;
    if (p >= s.size() || s[p] != '"') return false;
    std::size_t v = ++p;
    while (p < s.size() && s[p] != '"') p += s[p] == '\\' ? 2 : 1;
    if (p > s.size()) return false;
    value = s.substr(v, p - v);
    return true;
  }
  return false;
}

// A level word among the first tokens of a container's line (after an optional timestamp).
void inner_level(std::string_view text, Header& h) {
  std::size_t pos = 0;
  std::size_t used = 0;
  if (parse_iso_time(text, &used) != kNoTime) pos = used;
  for (int tokens = 0; tokens < 3 && pos < text.size(); ++tokens) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') ++pos;
    std::string_view tok = text.substr(start, pos - start);
    while (!tok.empty() && std::strchr("[]<>():|-=", tok.front()) != nullptr) tok.remove_prefix(1);
    while (!tok.empty() && std::strchr("[]<>():|-=,", tok.back()) != nullptr) tok.remove_suffix(1);
    if (tok.size() < 3) continue;
    if (auto sev = parse_severity(tok)) {
      h.level = tok;
      h.severity = *sev;
      return;
    }
  }
}

}  // namespace

bool postgres_secondary(std::string_view line) {
  std::size_t msg = 0;
  const PgWord* w = pg_word(line, msg);
  return w != nullptr && w->secondary;
}

bool parse_postgres(std::string_view s, Header& h) {
  std::size_t msg = 0;
  const PgWord* w = pg_word(s, msg);
  if (w == nullptr || w->secondary) return false;
  std::size_t start = 0;
  while (start < s.size() && (s[start] == '<' || s[start] == '[' || s[start] == ' ')) ++start;
  if (dig(s, start, 4)) {
    h.ts = parse_iso_time(s.substr(start));
  } else if (dig(s, start, 10)) {
    std::int64_t t = 0;
    for (std::size_t i = 0; i < 10; ++i) t = t * 10 + (s[start + i] - '0');
    h.ts = t;
  }
  h.level = w->word;
  h.severity = w->sev;
  h.msg = s.substr(msg);
  return true;
}

bool parse_redis(std::string_view s, Header& h, int year) {
  // 23798:M 06 Dec 2026 20:20:34.968 * msg     (Redis 3+; roles M S C X)
  // [23798] 06 Dec 20:20:34.968 # msg          (Redis 2)
  std::size_t pos = 0;
  bool old = false;
  if (pos < s.size() && s[pos] == '[') {
    old = true;
    ++pos;
  }
  std::size_t p0 = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos == p0 || pos >= s.size()) return false;
  if (old) {
    if (s[pos] != ']') return false;
    ++pos;
  } else {
    if (s[pos] != ':' || pos + 2 >= s.size() || std::strchr("MSCX", s[pos + 1]) == nullptr) return false;
    pos += 2;
  }
  if (pos >= s.size() || s[pos] != ' ' || !dig(s, pos + 1, 2) || pos + 7 > s.size() || s[pos + 3] != ' ') return false;
  int day = num(s, pos + 1, 2);
  int mon = month3(s, pos + 4);
  if (mon == 0) return false;
  pos += 7;
  if (pos >= s.size() || s[pos] != ' ') return false;
  ++pos;
  int y = year;
  if (!old) {
    if (!dig(s, pos, 4) || pos + 4 >= s.size() || s[pos + 4] != ' ') return false;
    y = num(s, pos, 4);
    pos += 5;
  }
  int hh, mm, ss;
  if (!clock(s, pos, hh, mm, ss) || pos + 2 >= s.size() || s[pos] != ' ' || s[pos + 2] != ' ') return false;
  switch (s[pos + 1]) {
    case '.': h.level = "debug"; h.severity = LogLevel::kDebug; break;
    case '-': h.level = "verbose"; h.severity = LogLevel::kDebug; break;
    case '*': h.level = "notice"; h.severity = LogLevel::kNotice; break;
    case '#': h.level = "warning"; h.severity = LogLevel::kWarn; break;
    default: return false;
  }
  h.ts = civil_to_epoch(y, mon, day, hh, mm, ss);
  h.msg = s.substr(pos + 3);
  return true;
}

bool parse_mysql(std::string_view s, Header& h) {
  // 2026-12-06T20:20:16.123456Z 0 [System] [MY-010116] [Server] msg   (MySQL 8)
  // 2026-12-06 20:20:16 0 [Note] msg                                   (MariaDB 10+)
  // 161206 20:20:16 [Note] msg, 161206  9:05:01 [ERROR] msg             (MySQL 5.5, old MariaDB)
  std::size_t pos = 0;
  if (dig(s, 0, 6) && s.size() > 7 && s[6] == ' ') {
    int y = 2000 + num(s, 0, 2), mo = num(s, 2, 2), d = num(s, 4, 2);
    pos = 7;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    std::size_t hs = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    if (pos == hs || pos - hs > 2 || pos >= s.size() || s[pos] != ':' || !dig(s, pos + 1, 2) ||
        pos + 6 > s.size() || s[pos + 3] != ':' || !dig(s, pos + 4, 2) || mo < 1 || mo > 12) {
      return false;
    }
    h.ts = civil_to_epoch(y, mo, d, num(s, hs, pos - hs), num(s, pos + 1, 2), num(s, pos + 4, 2));
    pos += 6;
  } else {
    std::size_t used = 0;
    h.ts = parse_iso_time(s, &used);
    if (h.ts == kNoTime) return false;
    pos = used;
  }
  while (pos < s.size() && s[pos] == ' ') ++pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;  // thread id
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos >= s.size() || s[pos] != '[') return false;
  std::size_t close = s.find(']', pos);
  if (close == std::string_view::npos || close - pos > 10) return false;
  std::string_view tag = s.substr(pos + 1, close - pos - 1);
  LogLevel sev;
  if (tag == "Note") {
    sev = LogLevel::kInfo;
  } else if (tag == "System") {
    sev = LogLevel::kNotice;
  } else if (tag == "Warning") {
    sev = LogLevel::kWarn;
  } else if (tag == "ERROR" || tag == "Error") {
    sev = LogLevel::kError;
  } else if (auto p = parse_severity(tag)) {
    sev = *p;
  } else {
    return false;
  }
  h.level = tag;
  h.severity = sev;
  pos = close + 1;
  // MySQL 8: "[MY-010116] [Server]" after the level.
  for (int tags = 0; tags < 2; ++tags) {
    std::size_t p = pos;
    while (p < s.size() && s[p] == ' ') ++p;
    if (p >= s.size() || s[p] != '[') break;
    std::size_t c = s.find(']', p);
    if (c == std::string_view::npos || c - p > 24 || s.substr(p + 1, c - p - 1).find(' ') != std::string_view::npos) break;
    if (tags == 0 && s.compare(p, 4, "[MY-") != 0) break;
    pos = c + 1;
  }
  while (pos < s.size() && s[pos] == ' ') ++pos;
  h.msg = s.substr(pos);
  return true;
}

bool parse_docker(std::string_view s, Header& h) {
  // {"log":"text\n","stream":"stdout","time":"2026-12-06T20:20:34.968123456Z"}
  std::size_t pos = 0;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos >= s.size() || s[pos] != '{') return false;
  std::string_view log, stream, time;
  if (!json_string(s, "log", log) || !json_string(s, "stream", stream)) return false;
  if (json_string(s, "time", time)) h.ts = parse_iso_time(time);
  while (log.size() >= 2 && log.substr(log.size() - 2) == "\\n") log.remove_suffix(2);
  if (log.size() >= 2 && log.substr(log.size() - 2) == "\\r") log.remove_suffix(2);
  h.msg = log;
  inner_level(log, h);
  return true;
}

bool parse_access(std::string_view s, Header& h) {
  // host ident user [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 ["referer" "agent"]
  std::size_t pos = 0;
  for (int field = 0; field < 3; ++field) {
    std::size_t start = pos;
    while (pos < s.size() && s[pos] != ' ') ++pos;
    if (pos == start || pos >= s.size()) return false;
    ++pos;
  }
  if (pos >= s.size() || s[pos] != '[' || !dig(s, pos + 1, 2) || pos + 28 > s.size()) return false;
  std::size_t t = pos + 1;
  int d = num(s, t, 2), mon = month3(s, t + 3), y = 0, hh, mm, ss;
  if (s[t + 2] != '/' || mon == 0 || s[t + 6] != '/' || !dig(s, t + 7, 4) || s[t + 11] != ':') return false;
  y = num(s, t + 7, 4);
  std::size_t c = t + 12;
  if (!clock(s, c, hh, mm, ss)) return false;
  std::int64_t ts = civil_to_epoch(y, mon, d, hh, mm, ss);
  if (c + 6 <= s.size() && s[c] == ' ' && (s[c + 1] == '+' || s[c + 1] == '-') && dig(s, c + 2, 4)) {
    int off = num(s, c + 2, 2) * 3600 + num(s, c + 4, 2) * 60;
    ts -= s[c + 1] == '+' ? off : -off;
    c += 6;
  }
  if (c + 2 >= s.size() || s[c] != ']' || s[c + 1] != ' ' || s[c + 2] != '"') return false;
  std::size_t req = c + 2;
  std::size_t p = req + 1;
  while (p < s.size() && s[p] != '"') p += s[p] == '\\' ? 2 : 1;
  if (p + 5 > s.size() || s[p + 1] != ' ' || !dig(s, p + 2, 3)) return false;
  char cls = s[p + 2];
  static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  if (cls < '1' || cls > '5') return false;
  h.level = kClasses[cls - '1'];
  h.severity = cls == '5' ? LogLevel::kError : cls == '4' ? LogLevel::kWarn : LogLevel::kInfo;
  h.ts = ts;
  h.msg = s.substr(req);
  return true;
}

}  // namespace obscore::logscan
