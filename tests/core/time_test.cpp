// core/time.hpp: civil-date arithmetic against known days, round trips, RFC 3339 text both ways.
#include "obscore/core/time.hpp"

#include <gtest/gtest.h>

namespace obscore::core {
namespace {

TEST(CivilDate, KnownDays) {
  static_assert(days_from_civil(1970, 1, 1) == 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(epoch_seconds(2023, 11, 14, 22, 13, 20), 1'700'000'000);
  CivilDate c = civil_from_days(19782);
  EXPECT_EQ(c.year, 2024);
  EXPECT_EQ(c.month, 2u);
  EXPECT_EQ(c.day, 29u);
}

TEST(CivilDate, RoundTripsOverFourHundredYearsEachWay) {
  constexpr std::int64_t kEra = 146097;  // days in 400 years
  for (std::int64_t day = -kEra * 2; day <= kEra * 2; day += 7) {
    CivilDate c = civil_from_days(day);
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), day) << day;
  }
}

TEST(Rfc3339, Formats) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1'700'000'000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339_ms(1'700'000'000'769'123), "2023-11-14T22:13:20.769Z");
  EXPECT_EQ(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, Forms) {
  EXPECT_EQ(parse_rfc3339_us("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_us("2023-11-14T22:13:20Z"), 1'700'000'000'000'000);
  EXPECT_EQ(parse_rfc3339_us("2023-11-14T22:13:20.769Z"), 1'700'000'000'769'000);
  EXPECT_EQ(parse_rfc3339_us("2023-11-14T23:13:20.769+01:00"), 1'700'000'000'769'000);
  EXPECT_EQ(parse_rfc3339_us("2023-11-14 22:13:20.123456"), 1'700'000'000'123'456);
  EXPECT_EQ(parse_rfc3339_us("2024-02-29T12:00:00-0230"), parse_rfc3339_us("2024-02-29T14:30:00Z"));
  EXPECT_FALSE(parse_rfc3339_us("2023-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_us("2023-11-14"));
  EXPECT_FALSE(parse_rfc3339_us("2023-11-14T22:13:20Zjunk"));
  EXPECT_FALSE(parse_rfc3339_us("1700000000"));
}

}  // namespace
}  // namespace obscore::core
