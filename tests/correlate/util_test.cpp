// Durations, RFC 3339 times, time units and URL templates.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <random>

#include "obscore/correlate/correlate.hpp"

namespace obscore::correlate {
namespace {

TEST(Duration, Units) {
  EXPECT_EQ(parse_duration_us("5s"), 5'000'000);
  EXPECT_EQ(parse_duration_us("5"), 5'000'000);
  EXPECT_EQ(parse_duration_us("250ms"), 250'000);
  EXPECT_EQ(parse_duration_us("1.5s"), 1'500'000);
  EXPECT_EQ(parse_duration_us("2m"), 120'000'000);
  EXPECT_EQ(parse_duration_us("100us"), 100);
  EXPECT_FALSE(parse_duration_us("fast"));
  EXPECT_FALSE(parse_duration_us("5 parsecs"));
  EXPECT_FALSE(parse_duration_us("-1s"));
  EXPECT_FALSE(parse_duration_us(""));
}

TEST(TimeUnit, Names) {
  EXPECT_EQ(parse_time_unit("ms"), TimeUnit::kMillis);
  EXPECT_EQ(parse_time_unit("auto"), TimeUnit::kAuto);
  EXPECT_FALSE(parse_time_unit("minutes"));
}

TEST(UrlTemplate, MasksIdsAndDropsHostAndQuery) {
  EXPECT_EQ(url_template("https://api.example.com/users/42/orders?x=1"), "/users/{id}/orders");
  EXPECT_EQ(url_template("/posts/123e4567-e89b-12d3-a456-426614174000/like"), "/posts/{uuid}/like");
  EXPECT_EQ(url_template("/objects/5f8d0d55b54764421b7156c9"), "/objects/{id}");
  EXPECT_EQ(url_template("/v2/auth/login#frag"), "/v2/auth/login");
  EXPECT_EQ(url_template("/files/ab12cd34ef"), "/files/{id}");
  EXPECT_EQ(url_template("/v1/session"), "/v1/session");
  EXPECT_EQ(url_template("https://h"), "/");
  EXPECT_EQ(url_template("search"), "/search");
}

// The fast path prints exactly what std::to_chars prints for the rounded double.
TEST(Round3, SameTextAsToChars) {
  auto reference = [](double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::round(v * 1000.0) / 1000.0);
    return std::string(buf, end);
  };
  std::vector<double> values = {0, -0.0, 0.0004, -0.0004, 0.0005, 0.001, 0.01, 0.1, 0.5, 1, 1.5, 0.904, 119.82,
                                99999.9994, 99999.9996, 1e5, 123456.789, 1e6, 1e15, 1e300, -1e6, -2.5, -0.001,
                                10000, 12000, 100000, 3e-7, 4999.9995, 5000};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> small(-2e5, 2e5), unit(0, 1);
  std::uniform_int_distribution<std::int64_t> millis(-200'000'000, 200'000'000);
  for (int i = 0; i < 200000; ++i) {
    values.push_back(small(rng));
    values.push_back(unit(rng));
    values.push_back(static_cast<double>(millis(rng)) / 1000.0);  // delta_ms as computed: us / 1000
  }
  for (double v : values) {
    std::string fast;
    append_round3(fast, v);
    ASSERT_EQ(fast, reference(v)) << "value " << v;
  }
}

}  // namespace
}  // namespace obscore::correlate
