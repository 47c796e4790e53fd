// In-order delivery from parallel work, for any thread count.
#include "obscore/core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

using obscore::core::for_each_ordered;
using obscore::core::ThreadLimit;

namespace {

std::vector<std::size_t> run(int threads, std::size_t n) {
  ThreadLimit limit(threads);
  std::vector<std::size_t> squares(n), delivered;
  for_each_ordered(
      n, [&](std::size_t i) { squares[i] = i * i; },
      [&](std::size_t i) { delivered.push_back(squares[i]); });
  return delivered;
}

}  // namespace

TEST(Parallel, DeliversInInputOrderForAnyThreadCount) {
  auto one = run(1, 1000);
  auto two = run(2, 1000);
  auto four = run(4, 1000);
  ASSERT_EQ(one.size(), 1000u);
  for (std::size_t i = 0; i < one.size(); ++i) ASSERT_EQ(one[i], i * i);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, four);
}

TEST(Parallel, ZeroItemsIsFine) { EXPECT_TRUE(run(2, 0).empty()); }

TEST(Parallel, BoundedInFlight) {
  ThreadLimit limit(2);
  std::atomic<int> in_flight{0}, peak{0};
  for_each_ordered(
      200,
      [&](std::size_t) {
        int now = ++in_flight;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
      },
      [&](std::size_t) { --in_flight; }, 8);
  EXPECT_LE(peak.load(), 8);
}
