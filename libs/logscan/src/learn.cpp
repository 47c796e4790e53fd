// Format learning. The first lines are split into whitespace fields; the field position that
// holds a level word in most lines is the level field, and each field before it gets the most
// specific shape every such line agrees on (timestamps, numbers, or anything). A line starts a
// record when its typed fields up to the end of the timestamp have their shapes. Hand-written
// checks, no regex on the hot path.
#include "learn.hpp"

#include <emmintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace obscore::logscan {

namespace {

constexpr int kMaxFields = 16;
constexpr int kMaxLines = 200;

// The per-line checks of a learned header are small and called for every field of every line:
// inlined into LearnedFormat::parse (a call each cost as much as the check).
#define OBSCORE_HOT inline __attribute__((always_inline))

OBSCORE_HOT bool is_digit(char c) { return c >= '0' && c <= '9'; }

OBSCORE_HOT bool all_digits(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t) {
    if (!is_digit(c)) return false;
  }
  return true;
}

OBSCORE_HOT int num(std::string_view s, std::size_t pos, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i) v = v * 10 + (s[pos + static_cast<std::size_t>(i)] - '0');
  return v;
}

// True when s[pos..pos+n) are digits.
OBSCORE_HOT bool dig(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
  }
  return true;
}

// Brackets and trailing separators around a typed field: "[22327]", "12:00:00,", "(42):".
OBSCORE_HOT std::string_view trim_wrap(std::string_view t) {
  if (!t.empty() && is_digit(t.front()) && is_digit(t.back())) return t;  // the usual typed field
  while (!t.empty() && (t.front() == '[' || t.front() == '(' || t.front() == '<')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ']' || t.back() == ')' || t.back() == '>' || t.back() == ':' ||
                        t.back() == ',' || t.back() == ';')) {
    t.remove_suffix(1);
  }
  return t;
}

OBSCORE_HOT bool level_punct(char c) {
  switch (c) {
    case '[': case ']': case '(': case ')': case '{': case '}': case '<': case '>': case ':':
    case '|': case ',': case ';': case '-': case '=': case '"': case '\'': case '.': case '*':
      return true;
    default:
      return false;
  }
}

OBSCORE_HOT std::string_view trim_level(std::string_view t) {
  while (!t.empty() && level_punct(t.front())) t.remove_prefix(1);
  while (!t.empty() && level_punct(t.back())) t.remove_suffix(1);
  return t;
}


// "HH:MM:SS" with an optional [.,]fraction at s[pos]; the whole rest when `whole`.
bool clock_at(std::string_view s, std::size_t pos, bool whole, int& hh, int& mm, int& ss,
              std::size_t* end = nullptr) {
  if (!dig(s, pos, 2) || pos + 8 > s.size() || s[pos + 2] != ':' || !dig(s, pos + 3, 2) ||
      s[pos + 5] != ':' || !dig(s, pos + 6, 2)) {
    return false;
  }
  hh = num(s, pos, 2);
  mm = num(s, pos + 3, 2);
  ss = num(s, pos + 6, 2);
  std::size_t p = pos + 8;
  if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && is_digit(s[p + 1])) {
    ++p;
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  if (end != nullptr) *end = p;
  if (whole && p != s.size()) return false;
  return hh < 24 && mm < 60 && ss <= 60;
}

// yyyy?mm?dd with separator `sep` at s[0]; fills y, m, d.
OBSCORE_HOT bool date_at(std::string_view s, char sep, int& y, int& m, int& d) {
  if (s.size() < 10 || !dig(s, 0, 4) || s[4] != sep || !dig(s, 5, 2) || s[7] != sep || !dig(s, 8, 2)) {
    return false;
  }
  y = num(s, 0, 4);
  m = num(s, 5, 2);
  d = num(s, 8, 2);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// Eight ASCII digits at p as their value, or -1 when one of them is not a digit: SWAR on one
// little-endian 64-bit load (two masks check the bytes, three multiplies combine them).
OBSCORE_HOT std::int64_t eight_digits(const char* p) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t kZeros = 0x3030303030303030ull, kHigh = 0xF0F0F0F0F0F0F0F0ull;
  if ((x & kHigh) != kZeros || ((x + 0x0606060606060606ull) & kHigh) != kZeros) return -1;
  x -= kZeros;
  x = (x * 10) + (x >> 8);
  x = (((x & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((x >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
  return static_cast<std::int64_t>(x);
}

OBSCORE_HOT std::int64_t epoch_of(std::string_view t) {
  std::size_t n = 0;
  if (t.size() >= 8 && eight_digits(t.data()) >= 0) n = 8;  // the common case skips 8 checks
  while (n < t.size() && is_digit(t[n])) ++n;
  if (n != 9 && n != 10 && n != 12 && n != 13 && n != 16 && n != 19) return kNoTime;
  if (n < t.size()) {  // a fraction after seconds only: 1117838570.123
    if (n > 10 || t[n] != '.' || !all_digits(t.substr(n + 1))) return kNoTime;
  }
  // The last eight digits in one SWAR step, the (1-11) before them one by one. Unsigned: 19
  // digits can exceed INT64_MAX before the division to seconds.
  std::uint64_t u = 0;
  for (std::size_t i = 0; i + 8 < n; ++i) u = u * 10 + static_cast<std::uint64_t>(t[i] - '0');
  u = u * 100'000'000ull + static_cast<std::uint64_t>(eight_digits(t.data() + n - 8));
  if (n >= 12) u /= n <= 13 ? 1000 : n == 16 ? 1000000 : 1000000000;
  if (u < 100'000'000 || u > 4'102'444'800) return kNoTime;  // 1973 .. 2100
  return static_cast<std::int64_t>(u);
}

OBSCORE_HOT bool is_kind(std::string_view raw, FieldKind k) {
  std::string_view t = trim_wrap(raw);
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  switch (k) {
    case FieldKind::kAny: return true;
    case FieldKind::kNumber: return all_digits(t);
    case FieldKind::kEpoch: return epoch_of(t) != kNoTime;
    case FieldKind::kIsoDateTime: {
      std::size_t used = 0;
      return t.size() >= 19 && (t[10] == 'T' || t[10] == '_') && parse_iso_time(t, &used) != kNoTime &&
             used == t.size();
    }
    case FieldKind::kDb2:
      return date_at(t, '-', y, m, d) && t.size() >= 19 && t[10] == '-' && dig(t, 11, 2) && t[13] == '.' &&
             dig(t, 14, 2) && t[16] == '.' && dig(t, 17, 2) &&
             (t.size() == 19 || (t[19] == '.' && all_digits(t.substr(20))));
    case FieldKind::kIsoDate:
      return t.size() == 10 && (date_at(t, '-', y, m, d) || date_at(t, '/', y, m, d));
    case FieldKind::kDotDate: return t.size() == 10 && date_at(t, '.', y, m, d);
    case FieldKind::kClock: return clock_at(t, 0, true, hh, mm, ss);
    case FieldKind::kMonth: return (t.size() == 3 || (t.size() > 3 && t.size() <= 9)) && month_index(t) != 0 &&
                                   t[0] >= 'A' && t[0] <= 'Z';
  }
  return false;
}

// Most specific first.
constexpr FieldKind kKindOrder[] = {FieldKind::kDb2,   FieldKind::kIsoDateTime, FieldKind::kIsoDate,
                                    FieldKind::kDotDate, FieldKind::kClock,     FieldKind::kEpoch,
                                    FieldKind::kMonth, FieldKind::kNumber};

std::uint32_t kind_mask(std::string_view field) {
  std::uint32_t m = 0;
  for (FieldKind k : kKindOrder) {
    if (is_kind(field, k)) m |= 1u << static_cast<unsigned>(k);
  }
  return m;
}

// The whitespace-separated fields of a line, cut 64 bytes at a time: SSE2 compares give the
// window's space/tab mask, from which the field starts (non-blank after blank) and ends (blank
// after non-blank) are bit masks; each field is then two bit scans. Never reads past the line.
class FieldCutter {
 public:
  explicit FieldCutter(std::string_view s) : p_(s.data()), n_(s.size()) {}
  // The next field as [start, end); false past the last one.
  bool next(std::size_t& start, std::size_t& end) {
    while (starts_ == 0) {
      if (!advance()) return false;
    }
    start = base_ + static_cast<std::size_t>(__builtin_ctzll(starts_));
    starts_ &= starts_ - 1;
    while (ends_ == 0) {
      if (!advance()) {  // unreachable: past the line's end is blank, so every field ends
        end = n_;
        return true;
      }
    }
    end = base_ + static_cast<std::size_t>(__builtin_ctzll(ends_));
    ends_ &= ends_ - 1;
    return true;
  }

 private:
  bool advance() {
    if (next_base_ > n_) return false;  // a window at n_ itself ends a field that fills the last one
    base_ = next_base_;
    next_base_ += 64;
    std::uint64_t m = 0;
    std::size_t i = 0;
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    for (; i < 64 && base_ + i + 16 <= n_; i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_ + base_ + i));
      auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab))));
      m |= static_cast<std::uint64_t>(bits) << i;
    }
    const std::size_t real = std::min<std::size_t>(64, n_ - base_);
    for (; i < real; ++i) {  // the line's last bytes
      if (p_[base_ + i] == ' ' || p_[base_ + i] == '\t') m |= std::uint64_t{1} << i;
    }
    if (real < 64) m |= ~std::uint64_t{0} << real;  // past the line's end counts as blank
    const std::uint64_t blank_before = (m << 1) | prev_blank_;
    starts_ = ~m & blank_before;
    ends_ = m & ~blank_before;
    prev_blank_ = m >> 63;
    return true;
  }
  const char* p_;
  std::size_t n_;
  std::size_t base_ = 0, next_base_ = 0;
  std::uint64_t starts_ = 0, ends_ = 0;
  std::uint64_t prev_blank_ = 1;  // before the line: blank
};

// Splits the first fields of `line` (space/tab separated); returns how many.
int split_fields(std::string_view line, std::array<std::string_view, kMaxFields + 1>& out, int max) {
  int n = 0;
  std::size_t pos = 0;
  while (n < max) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos >= line.size()) break;
    std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    out[static_cast<std::size_t>(n++)] = line.substr(start, pos - start);
  }
  return n;
}

const char* kind_regex(FieldKind k) {
  switch (k) {
    case FieldKind::kAny: return R"(\S+)";
    case FieldKind::kNumber: return R"(\d+)";
    case FieldKind::kEpoch: return R"(\d{9,19}(?:\.\d+)?)";
    case FieldKind::kIsoDateTime:
      return R"(\d{4}-\d{2}-\d{2}[T_]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)";
    case FieldKind::kDb2: return R"(\d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}(?:\.\d+)?)";
    case FieldKind::kIsoDate: return R"(\d{4}[-/]\d{2}[-/]\d{2})";
    case FieldKind::kDotDate: return R"(\d{4}\.\d{2}\.\d{2})";
    case FieldKind::kClock: return R"(\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)";
    case FieldKind::kMonth: return R"([A-Z][a-z]{2,8})";
  }
  return R"(\S+)";
}

std::string build_regex(const LearnedFormat& f) {
  std::string re = "^";
  constexpr std::string_view kOpen = R"([\[(<]?)", kClose = R"([\])>]?[:,;]?)";
  const int n = static_cast<int>(f.fields.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0) re += R"(\s+)";
    FieldKind k = f.fields[static_cast<std::size_t>(i)];
    if (k == FieldKind::kAny) {
      re += kind_regex(k);
      continue;
    }
    const bool inner_ts = i > f.ts_field && i < f.ts_field + f.ts_count;  // not the first ts field
    if (!inner_ts) re += kOpen;
    if (i == f.ts_field) re += "(?P<ts>";
    re += kind_regex(k);
    if (i == f.ts_field + f.ts_count - 1 && f.ts_count > 0) re += ")";
    // Inside a multi-field timestamp the closing wrap comes after its last field only.
    if (!(i >= f.ts_field && i < f.ts_field + f.ts_count - 1)) re += kClose;
  }
  if (f.has_level) {
    if (n > 0) re += R"(\s+)";
    re += R"([^\w\s]*(?P<level>[A-Za-z]+)[^\w\s]*)";
  }
  re += R"(\s*(?P<msg>.*))";
  return re;
}

// The timestamp fields: the first epoch, ISO date-time or DB2 stamp, date + clock, or
// month + day + clock (syslog).
void choose_timestamp(LearnedFormat& f) {
  const auto& k = f.fields;
  for (std::size_t i = 0; i < k.size(); ++i) {
    if (k[i] == FieldKind::kEpoch || k[i] == FieldKind::kIsoDateTime || k[i] == FieldKind::kDb2) {
      f.ts_field = static_cast<int>(i);
      f.ts_count = 1;
      return;
    }
    if ((k[i] == FieldKind::kIsoDate || k[i] == FieldKind::kDotDate) && i + 1 < k.size() &&
        k[i + 1] == FieldKind::kClock) {
      f.ts_field = static_cast<int>(i);
      f.ts_count = 2;
      return;
    }
    if (k[i] == FieldKind::kMonth && i + 2 < k.size() && k[i + 1] == FieldKind::kNumber &&
        k[i + 2] == FieldKind::kClock) {
      f.ts_field = static_cast<int>(i);
      f.ts_count = 3;
      return;
    }
  }
}

template <typename Fn>
void for_each_line(std::string_view sample, Fn fn) {
  std::size_t pos = 0;
  int lines = 0;
  while (pos < sample.size() && lines < kMaxLines) {
    std::size_t nl = sample.find('\n', pos);
    if (nl == std::string_view::npos) nl = sample.size();
    std::string_view line = sample.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++lines;
    fn(line);
  }
}

}  // namespace

const char* field_kind_name(FieldKind k) {
  switch (k) {
    case FieldKind::kAny: return "any";
    case FieldKind::kNumber: return "number";
    case FieldKind::kEpoch: return "epoch";
    case FieldKind::kIsoDateTime: return "iso-datetime";
    case FieldKind::kDb2: return "db2";
    case FieldKind::kIsoDate: return "date";
    case FieldKind::kDotDate: return "dot-date";
    case FieldKind::kClock: return "clock";
    case FieldKind::kMonth: return "month";
  }
  return "any";
}

std::optional<LogLevel> learned_severity(std::string_view token) {
  return token.size() >= 3 ? parse_severity(token) : std::nullopt;
}

std::int64_t parse_any_time(std::string_view s, int year) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '[')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ']')) s.remove_suffix(1);
  if (s.empty()) return kNoTime;
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (all_digits(s.substr(0, std::min<std::size_t>(s.size(), 9))) && s.size() >= 9 &&
      (s.size() < 10 || s[4] != '-')) {
    std::int64_t e = epoch_of(s);
    if (e != kNoTime) return e;
  }
  if (is_kind(s, FieldKind::kDb2)) {
    date_at(s, '-', y, m, d);
    return civil_to_epoch(y, m, d, num(s, 11, 2), num(s, 14, 2), num(s, 17, 2));
  }
  if (s.size() >= 19 && date_at(s, '.', y, m, d) && (s[10] == ' ' || s[10] == '-' || s[10] == 'T') &&
      clock_at(s, 11, false, hh, mm, ss)) {
    return civil_to_epoch(y, m, d, hh, mm, ss);
  }
  std::int64_t iso = parse_iso_time(s);
  if (iso != kNoTime) return iso;
  // Mmm dd HH:MM:SS (syslog; the day may be space-padded), optionally followed by the year.
  int mon = month_index(s);
  if (mon != 0 && s[0] >= 'A' && s[0] <= 'Z') {
    std::size_t p = 3;
    while (p < s.size() && s[p] != ' ') ++p;  // full month names
    while (p < s.size() && s[p] == ' ') ++p;
    std::size_t dstart = p;
    while (p < s.size() && is_digit(s[p])) ++p;
    if (p == dstart || p - dstart > 2) return kNoTime;
    d = num(s, dstart, static_cast<int>(p - dstart));
    while (p < s.size() && s[p] == ' ') ++p;
    std::size_t end = 0;
    if (!clock_at(s, p, false, hh, mm, ss, &end)) return kNoTime;
    int yy = year;
    if (end + 5 <= s.size() && s[end] == ' ' && dig(s, end + 1, 4)) yy = num(s, end + 1, 4);
    return civil_to_epoch(yy, mon, d, hh, mm, ss);
  }
  return kNoTime;
}

// The time of one timestamp field of kind `k` (already checked to have that shape), or of a
// date field followed by its clock field.
std::int64_t field_time(FieldKind k, std::string_view t, std::string_view clock_field, int year) {
  t = trim_wrap(t);
  switch (k) {
    case FieldKind::kEpoch: return epoch_of(t);
    case FieldKind::kDb2:
      return civil_to_epoch(num(t, 0, 4), num(t, 5, 2), num(t, 8, 2), num(t, 11, 2), num(t, 14, 2),
                            num(t, 17, 2));
    case FieldKind::kIsoDate:
    case FieldKind::kDotDate: {
      std::string_view c = trim_wrap(clock_field);
      return civil_to_epoch(num(t, 0, 4), num(t, 5, 2), num(t, 8, 2), num(c, 0, 2), num(c, 3, 2), num(c, 6, 2));
    }
    default: return parse_any_time(t, year);
  }
}

bool LearnedFormat::parse(std::string_view line, Header& h, int year) const {
  // One pass over the fields: each typed field is checked as soon as it is cut, so a
  // continuation line is rejected at its first field.
  struct Field {
    const char* data;
    std::size_t size;
    std::string_view view() const { return {data, size}; }
  };
  Field fv[kMaxFields + 1];  // not zeroed: only [0, got) is read
  const int n = static_cast<int>(fields.size());
  const int want = n + (has_level ? 1 : 0);
  int got = 0;
  bool typed = false;
  std::int64_t epoch = kNoTime;
  {
    // Fields are cut on whitespace bit masks (FieldCutter), never past the level field: the
    // ~100-byte prefix of a BlueGene-style header costs two 64-byte windows.
    FieldCutter cut(line);
    std::size_t start = 0, stop = 0;
    while (got < want && cut.next(start, stop)) {
      std::string_view tok(line.data() + start, stop - start);
      if (got < n) {
        FieldKind k = fields[static_cast<std::size_t>(got)];
        if (k == FieldKind::kEpoch) {
          typed = true;
          epoch = epoch_of(trim_wrap(tok));
          if (epoch == kNoTime) return false;
        } else if (k != FieldKind::kAny && (ts_count == 0 || got < ts_field + ts_count)) {
          // Once the timestamp's fields have their shapes, the typed fields after them are not
          // checked again (the timestamp marks the record's start).
          typed = true;
          if (!is_kind(tok, k)) return false;
        }
      }
      fv[got++] = {tok.data(), tok.size()};
    }
  }
  if (got < n) return false;
  auto f = [&](int i) { return fv[i].view(); };
  std::size_t rest = n == 0 ? 0 : static_cast<std::size_t>(f(n - 1).end() - line.begin());
  if (has_level && got > n) {
    std::string_view raw = f(n);
    std::string_view tok = trim_level(raw);
    const int fast = fast_level_index(tok);  // the usual upper-case words: no table search
    auto sev = fast >= 0 ? std::optional<LogLevel>(kFastSeverity[fast]) : learned_severity(tok);
    if (sev) {
      h.level = tok;
      h.severity = *sev;
      h.fast_level = fast;
      rest = static_cast<std::size_t>(raw.end() - line.begin());
    } else if (!typed) {
      return false;  // nothing but the level marks a header here
    }
  } else if (!typed) {
    return false;
  }
  if (ts_count > 0) {
    std::string_view first = f(ts_field);
    std::string_view last = f(ts_field + ts_count - 1);
    FieldKind k = fields[static_cast<std::size_t>(ts_field)];
    if (ts_count == 3) {  // month day clock
      std::string_view span(first.data(), static_cast<std::size_t>(last.end() - first.begin()));
      h.ts = parse_any_time(trim_wrap(span), year);
    } else if (k == FieldKind::kEpoch) {
      h.ts = epoch;
    } else {
      h.ts = field_time(k, first, last, year);
    }
  }
  while (rest < line.size() && (line[rest] == ' ' || line[rest] == '\t' || line[rest] == ':' ||
                                line[rest] == '-' || line[rest] == '|')) {
    ++rest;
  }
  h.msg = line.substr(rest);
  return true;
}

std::optional<LearnedFormat> learn_format(std::string_view sample, int year) {
  (void)year;
  struct Line {
    std::array<std::string_view, kMaxFields + 1> f;
    int n = 0;
  };
  std::vector<Line> lines;
  for_each_line(sample, [&](std::string_view line) {
    Line l;
    l.n = split_fields(line, l.f, kMaxFields);
    lines.push_back(l);
  });
  if (lines.size() < 2) return std::nullopt;
  // 1. The field position holding a level word in most lines (ties: the earlier one).
  std::array<int, kMaxFields> count{};
  for (const auto& l : lines) {
    for (int i = 0; i < l.n; ++i) {
      if (learned_severity(trim_level(l.f[static_cast<std::size_t>(i)]))) ++count[static_cast<std::size_t>(i)];
    }
  }
  int best = -1;
  for (int i = 0; i < kMaxFields; ++i) {
    if (best < 0 || count[static_cast<std::size_t>(i)] > count[static_cast<std::size_t>(best)]) best = i;
  }
  const int hits = count[static_cast<std::size_t>(best)];
  if (hits < 2 || hits * 4 < static_cast<int>(lines.size())) return std::nullopt;
  // 2. The shape of each field before it: the most specific one all level lines agree on.
  std::vector<std::uint32_t> masks(static_cast<std::size_t>(best), ~0u);
  for (const auto& l : lines) {
    if (l.n <= best || !learned_severity(trim_level(l.f[static_cast<std::size_t>(best)]))) continue;
    for (int i = 0; i < best; ++i) masks[static_cast<std::size_t>(i)] &= kind_mask(l.f[static_cast<std::size_t>(i)]);
  }
  LearnedFormat f;
  f.has_level = true;
  for (int i = 0; i < best; ++i) {
    FieldKind kind = FieldKind::kAny;
    for (FieldKind k : kKindOrder) {
      if (masks[static_cast<std::size_t>(i)] & (1u << static_cast<unsigned>(k))) {
        kind = k;
        break;
      }
    }
    f.fields.push_back(kind);
  }
  choose_timestamp(f);
  // 3. Most lines the learned header accepts must carry a level there.
  int accepted = 0, with_level = 0;
  Header h;
  for_each_line(sample, [&](std::string_view line) {
    h = Header{};
    if (f.parse(line, h, 2000)) {
      ++accepted;
      if (h.severity != LogLevel::kNone) ++with_level;
    }
  });
  if (accepted == 0 || with_level * 2 < accepted) return std::nullopt;
  // Without a typed field only the level word marks a header: it must be in most lines.
  bool typed = false;
  for (FieldKind k : f.fields) typed = typed || k != FieldKind::kAny;
  if (!typed && hits * 2 < static_cast<int>(lines.size())) return std::nullopt;
  f.header_regex = build_regex(f);
  return f;
}

Detection detect(std::string_view sample, int year) {
  Detection d;
  d.format = detect_format(sample, year);
  FormatParser parser(d.format, year);
  int lines = 0, accepted = 0, with_level = 0;
  Header h;
  for_each_line(sample, [&](std::string_view line) {
    ++lines;
    if (d.format != FormatId::kPlain && parser.parse(line, h)) {
      ++accepted;
      if (h.severity != LogLevel::kNone) ++with_level;
    }
  });
  if (accepted * 2 >= lines && with_level * 2 >= accepted) return d;
  auto learned = learn_format(sample, year);
  if (!learned) return d;
  int learned_levels = 0;
  for_each_line(sample, [&](std::string_view line) {
    h = Header{};
    if (learned->parse(line, h, year) && h.severity != LogLevel::kNone) ++learned_levels;
  });
  if (learned_levels <= with_level) return d;
  d.format = FormatId::kLearned;
  d.learned = std::move(learned);
  return d;
}

LevelWordShare level_word_share(std::string_view sample) {
  LevelWordShare s;
  for_each_line(sample, [&](std::string_view line) {
    ++s.lines;
    std::size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && !((line[pos] | 0x20) >= 'a' && (line[pos] | 0x20) <= 'z')) ++pos;
      std::size_t start = pos;
      while (pos < line.size() && (line[pos] | 0x20) >= 'a' && (line[pos] | 0x20) <= 'z') ++pos;
      std::string_view w = line.substr(start, pos - start);
      if (w.size() < 3 || w.size() > 8 || !learned_severity(w)) continue;
      bool upper = true;
      for (char c : w) upper = upper && c >= 'A' && c <= 'Z';
      char before = start > 0 ? line[start - 1] : ' ';
      char after = pos < line.size() ? line[pos] : ' ';
      bool marked = before == '[' || before == '<' || before == '|' || before == '=' || after == ':' ||
                    after == ']' || after == '>' || after == '|';
      if (upper || marked) {
        ++s.with_level_words;
        break;
      }
    }
  });
  return s;
}

}  // namespace obscore::logscan
