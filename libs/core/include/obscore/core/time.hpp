// Civil dates and RFC 3339 times: days since 1970-01-01 <-> year/month/day in the proleptic
// Gregorian calendar (Howard Hinnant's algorithms, exact for every int64 day count in use), and
// the RFC 3339 UTC text every output uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace obscore::core {

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
};

// Days since 1970-01-01 of a civil date (month 1-12, day 1-31; not checked).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The civil date of a day count since 1970-01-01.
constexpr CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// Seconds since the epoch of a civil date and time of day (UTC).
constexpr std::int64_t epoch_seconds(std::int64_t y, unsigned mo, unsigned d, int hh, int mm, int ss) noexcept {
  return days_from_civil(y, mo, d) * 86400 + std::int64_t{hh} * 3600 + std::int64_t{mm} * 60 + ss;
}

// "2024-03-01T12:00:05Z" for seconds since the epoch (floor for negative values).
std::string format_rfc3339(std::int64_t seconds);

// "2024-03-01T12:00:05.123Z" for microseconds since the epoch (milliseconds shown, truncated
// toward negative infinity).
std::string format_rfc3339_ms(std::int64_t micros);

// Microseconds since the epoch of an RFC 3339 time ("2024-03-01T12:00:05.123456+02:00"; 'T', 't'
// or a space between date and time; ',' accepted for '.'; digits beyond microseconds ignored;
// no zone = UTC). nullopt for anything else, including trailing text.
std::optional<std::int64_t> parse_rfc3339_us(std::string_view s);

}  // namespace obscore::core
