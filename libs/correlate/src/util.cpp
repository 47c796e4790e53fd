// Small parsers: durations, RFC 3339 times, time units, URL templates.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "obscore/correlate/correlate.hpp"

namespace obscore::correlate {

std::optional<TimeUnit> parse_time_unit(std::string_view s) {
  if (s == "auto") return TimeUnit::kAuto;
  if (s == "s") return TimeUnit::kSeconds;
  if (s == "ms") return TimeUnit::kMillis;
  if (s == "us") return TimeUnit::kMicros;
  if (s == "ns") return TimeUnit::kNanos;
  return std::nullopt;
}

std::optional<std::int64_t> parse_duration_us(std::string_view s) {
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(v) || v < 0) return std::nullopt;
  std::string_view unit(end);
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1e6;
  } else if (unit == "ms") {
    scale = 1e3;
  } else if (unit == "us") {
    scale = 1;
  } else if (unit == "m" || unit == "min") {
    scale = 60e6;
  } else if (unit == "h") {
    scale = 3600e6;
  } else {
    return std::nullopt;
  }
  double us = v * scale;
  if (us > 9e18) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(us));
}

namespace {

bool is_id_segment(std::string_view seg) {
  if (seg.empty()) return false;
  bool all_digits = true, all_hex = true;
  int digit_count = 0;
  for (char c : seg) {
    bool d = c >= '0' && c <= '9';
    all_digits &= d;
    all_hex &= d || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    digit_count += d;
  }
  if (all_digits) return true;
  if (seg.size() == 36 && seg[8] == '-' && seg[13] == '-' && seg[18] == '-' && seg[23] == '-') return true;  // UUID
  if (all_hex && seg.size() >= 16) return true;  // hashes, object ids
  return seg.size() >= 8 && digit_count >= 2 && digit_count * 4 >= static_cast<int>(seg.size());  // mixed ids
}

}  // namespace

std::string url_template(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::size_t path = url.find('/', scheme + 3);
    url = path == std::string_view::npos ? std::string_view("/") : url.substr(path);
  }
  std::size_t q = url.find_first_of("?#");
  if (q != std::string_view::npos) url = url.substr(0, q);
  if (url.empty()) return "/";
  std::string out;
  std::size_t pos = 0;
  while (pos <= url.size()) {
    std::size_t slash = url.find('/', pos);
    std::string_view seg = url.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (seg.size() == 36 && is_id_segment(seg) && seg[8] == '-') {
      out += "{uuid}";
    } else if (is_id_segment(seg)) {
      out += "{id}";
    } else {
      out += seg;
    }
    if (slash == std::string_view::npos) break;
    out += '/';
    pos = slash + 1;
  }
  if (out.empty() || out[0] != '/') out.insert(out.begin(), '/');
  return out;
}

// Below 1e5 the shortest form of a value rounded to 3 decimals is that decimal, trailing zeros
// dropped: fixed notation is never longer than scientific there, and decimals of at most 15
// significant digits round-trip exactly.
void append_round3(std::string& out, double v) {
  const double x = std::round(v * 1000.0) / 1000.0;
  char buf[32];
  if (!(std::fabs(x) < 1e5)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    out.append(buf, end);
    return;
  }
  std::int64_t k = std::llround(x * 1000.0);
  char* p = buf;
  if (k < 0 || (k == 0 && std::signbit(x))) *p++ = '-';
  k = k < 0 ? -k : k;
  p = std::to_chars(p, buf + sizeof buf, k / 1000).ptr;
  if (int frac = static_cast<int>(k % 1000); frac != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + frac / 100);
    if (frac % 100 != 0) *p++ = static_cast<char>('0' + frac / 10 % 10);
    if (frac % 10 != 0) *p++ = static_cast<char>('0' + frac % 10);
  }
  out.append(buf, p);
}

}  // namespace obscore::correlate
