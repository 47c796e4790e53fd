// RFC 3339 formatting and parsing over core/time.hpp's civil-date arithmetic.
#include "obscore/core/time.hpp"

#include <fmt/format.h>

namespace obscore::core {

namespace {

// Floor division and its remainder, for negative times too.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string format_rfc3339(std::int64_t seconds) {
  const std::int64_t days = floor_div(seconds, 86400);
  const std::int64_t secs = seconds - days * 86400;
  const CivilDate c = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, secs / 3600, (secs / 60) % 60,
                     secs % 60);
}

std::string format_rfc3339_ms(std::int64_t micros) {
  const std::int64_t seconds = floor_div(micros, 1'000'000);
  const std::int64_t frac = micros - seconds * 1'000'000;
  const std::int64_t days = floor_div(seconds, 86400);
  const std::int64_t secs = seconds - days * 86400;
  const CivilDate c = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day, secs / 3600,
                     secs % 3600 / 60, secs % 60, frac / 1000);
}

std::optional<std::int64_t> parse_rfc3339_us(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t frac_us = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    std::int64_t scale = 100000;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (scale > 0) frac_us += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (pos < s.size()) {
    char z = s[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      int oh = 0, om = 0;
      if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < s.size() && s[mpos] == ':') ++mpos;
      if (!digits(s, mpos, 2, om)) return std::nullopt;
      offset_s = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (z == '+' ? 1 : -1);
      pos = mpos + 2;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  std::int64_t secs = epoch_seconds(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, sec) - offset_s;
  return secs * 1'000'000 + frac_us;
}

}  // namespace obscore::core
