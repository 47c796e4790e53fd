// The phases of correlate's attribute(), each on a hand-built store with exact expected values:
// delay bins, the UI index, explicit ids, polling, session time, what ids / threads / empty
// windows decide and the candidates of the rest, the M-step, the EM fit and the assignment.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "attribute_phases.hpp"
#include "store_builder.hpp"

namespace obscore::correlate {
namespace {

using testing::StoreBuilder;

TEST(Bins, LogDelayFromHalfAMillisecondToTheWindow) {
  const Bins bins = make_bins(5'000'000);
  EXPECT_DOUBLE_EQ(bins.lo, std::log(0.5));
  EXPECT_DOUBLE_EQ(bins.step, (std::log(5000.0) - std::log(0.5)) / kBins);
  EXPECT_EQ(bins.of(0), 0);      // below 0.5 ms: the first bin
  EXPECT_EQ(bins.of(-7000), 0);  // negative delays too
  EXPECT_EQ(bins.of(5'000'000), kBins - 1);
  EXPECT_EQ(bins.of(60'000'000), kBins - 1);
  EXPECT_EQ(bins.of(1000), static_cast<int>(std::log(2.0) / bins.step));
  EXPECT_DOUBLE_EQ(bins.center(0), std::log(0.5) + 0.5 * bins.step);
}

TEST(FillTable, LogNormalDensityPerMillisecond) {
  const Bins bins = make_bins(5'000'000);
  std::vector<double> table(kBins);
  fill_table(std::log(100.0), 0.5, bins, table.data());
  for (int b : {0, 1000, 2048, 4095}) {
    const double x = bins.center(b), z = (x - std::log(100.0)) / 0.5;
    const double want = std::exp(-0.5 * z * z) / (std::exp(x) * 0.5 * std::sqrt(2 * M_PI));
    EXPECT_NEAR(table[static_cast<std::size_t>(b)], want, want * 1e-12);
  }
}

TEST(IndexUi, EventsBySessionAndTimeWithEachSessionsSlice) {
  StoreBuilder b;
  b.ui("u0", "s1", 300);
  b.ui("u1", "s2", 100);
  b.ui("u2", "s1", 200);
  b.ui("u3", "s1", 200);
  const UiIndex ui = index_ui(b.store);
  EXPECT_EQ(ui.sorted,
            (std::vector<std::uint32_t>{2, 3, 0, 1}));  // s1 (interned first), time, input order
  EXPECT_EQ(ui.t, (std::vector<std::int64_t>{200'000, 200'000, 300'000, 100'000}));
  EXPECT_EQ(ui.session_range[b.intern("s1")], (std::pair<std::uint32_t, std::uint32_t>{0, 3}));
  EXPECT_EQ(ui.session_range[b.intern("s2")], (std::pair<std::uint32_t, std::uint32_t>{3, 4}));
  EXPECT_EQ(ui.session_range[b.intern("tap")], (std::pair<std::uint32_t, std::uint32_t>{0, 0}));
}

TEST(ExplicitIds, CorrelationIdThenInitiatorInTheCallsOwnSession) {
  StoreBuilder b;
  b.ui("u0", "s1", 0, "tap", "", "", "c-1");
  b.ui("u1", "s1", 0);
  b.api({.id = "a0", .session = "s1", .corr = "c-1"});
  b.api({.id = "a1", .session = "s2", .corr = "c-1"});  // other session
  b.api(
      {.id = "a2", .session = "s1", .corr = "c-9", .initiator = "u1"});  // unknown corr, initiator
  b.api({.id = "a3", .session = "s1"});
  const ExplicitIds ids = explicit_ids(b.store);
  EXPECT_EQ(ids.find(b.store, b.store.api[0]), 0);
  EXPECT_EQ(ids.find(b.store, b.store.api[1]), -1);
  EXPECT_EQ(ids.find(b.store, b.store.api[2]), 1);
  EXPECT_EQ(ids.find(b.store, b.store.api[3]), -1);
}

TEST(PeriodicCalls, RunsOfFiveAtASteadyIntervalOfHalfASecondOrMore) {
  StoreBuilder b;
  for (int k = 0; k < 6; ++k)
    b.api({.id = "p",
           .session = "s1",
           .t_ms = 10'000 + k * 1000 + (k % 2) * 20,
           .endpoint = "/poll"});
  for (int k = 0; k < 6; ++k)
    b.api({.id = "f", .session = "s1", .t_ms = 10'000 + k * 100, .endpoint = "/fast"});
  for (int k = 0; k < 4; ++k)
    b.api({.id = "s", .session = "s1", .t_ms = 10'000 + k * 2000, .endpoint = "/short"});
  b.api({.id = "x",
         .session = "s2",
         .t_ms = 16'000,
         .endpoint = "/poll"});  // same endpoint, other session
  const std::vector<char> periodic = periodic_calls(b.store, by_session_time(b.store.api));
  std::vector<char> want(b.store.api.size(), 0);
  std::fill(want.begin(), want.begin() + 6, 1);
  EXPECT_EQ(periodic, want);
}

TEST(SessionTimeMs, FirstToLastEventOfEachSessionPlusOne) {
  StoreBuilder b;
  b.ui("u0", "s1", 1000);
  b.api({.id = "a0", .session = "s1", .t_ms = 3500});
  b.api({.id = "a1", .session = "s2", .t_ms = 7000});
  EXPECT_DOUBLE_EQ(session_time_ms(b.store), (2500.0 + 1.0) + (0.0 + 1.0));
  EXPECT_DOUBLE_EQ(session_time_ms(StoreBuilder{}.store), 0.0);
}

TEST(FindCandidates, IdsThreadsAndEmptyWindowsDecideTheRestKeepTheirCandidates) {
  StoreBuilder b;
  b.ui("u0", "s1", 1000, "tap", "", "main");
  b.ui("u1", "s1", 1200, "tap", "", "", "c-1");
  b.ui("u2", "s1", 1300);
  b.ui("u3", "s2", 1000);
  b.api({.id = "a0", .session = "s1", .t_ms = 1250, .corr = "c-1"});     // explicit -> u1
  b.api({.id = "a1", .session = "s1", .t_ms = 1350, .thread = "main"});  // thread -> u0
  b.api({.id = "a2", .session = "s1", .t_ms = 1400});                    // u0 u1 u2
  b.api({.id = "a3", .session = "s1", .t_ms = 9000});                    // nothing in [4 s, 9 s]
  b.api({.id = "a4", .session = "s2", .t_ms = 900, .corr = "c-1"});      // c-1 is s1's; u3 is later
  b.api({.id = "a5", .session = "s1", .t_ms = 1300});  // u0 u1 u2 (u2 at the same time)
  Options o;                                           // 5 s window
  const Bins bins = make_bins(o.window_us);
  const UiIndex ui = index_ui(b.store);
  const std::vector<std::uint32_t> api_sorted = by_session_time(b.store.api);
  Records<Link> links(b.store.api.size());
  const Candidates c = find_candidates(b.store, o, ui, api_sorted, explicit_ids(b.store),
                                       std::vector<char>(b.store.api.size(), 0), bins, links);
  EXPECT_EQ(links[0].ui, 1);
  EXPECT_EQ(links[0].confidence, 1.0);
  EXPECT_EQ(links[0].reasons, kExplicitId | kSession);
  EXPECT_EQ(links[1].ui, 0);
  EXPECT_EQ(links[1].confidence, 1.0);
  EXPECT_EQ(links[1].reasons, kThread | kSession);
  EXPECT_EQ(links[3].ui, -1);
  EXPECT_EQ(links[3].reasons, kNoUiInWindow | kSession);
  EXPECT_EQ(links[4].ui, -1);
  EXPECT_EQ(links[4].reasons, kNoUiInWindow | kSession);
  ASSERT_EQ(c.calls.size(), 2u);  // a5 (1300) before a2 (1400)
  EXPECT_EQ(c.calls[0].api, 5u);
  EXPECT_EQ(c.calls[0].lo, 0u);
  EXPECT_EQ(c.calls[0].count, 3u);
  EXPECT_EQ(c.calls[0].bins_at, 0u);
  EXPECT_EQ(c.calls[1].api, 2u);
  EXPECT_EQ(c.calls[1].count, 3u);
  EXPECT_EQ(c.calls[1].bins_at, 3u);
  std::vector<std::uint16_t> want_bins;
  for (int d : {300, 100, 0, 400, 200, 100})
    want_bins.push_back(static_cast<std::uint16_t>(bins.of(d * std::int64_t{1000})));
  EXPECT_EQ(std::vector<std::uint16_t>(c.bins.begin(), c.bins.end()), want_bins);
  std::vector<double> want_hist(kBins, 0.0);
  want_hist[static_cast<std::size_t>(bins.of(50'000))] += 1;   // a0: 50 ms after u1
  want_hist[static_cast<std::size_t>(bins.of(350'000))] += 1;  // a1: 350 ms after u0
  EXPECT_EQ(c.fixed_hist, want_hist);
}

TEST(FitLognormals, GlobalFitThenEndpointsShrunkTowardsIt) {
  const double x = std::log(100.0);
  EStepSums sums{{50, 0}, {50 * x, 0}, {50 * x * x, 0}, {0, 0}};
  double mu = 0, sigma = 0;
  std::vector<double> ep_mu(2), ep_sigma(2);
  // fixed links: 50 at ln 400
  const double y = std::log(400.0);
  const double n = fit_lognormals(sums, 50, 50 * y, 50 * y * y, mu, sigma, ep_mu, ep_sigma);
  EXPECT_DOUBLE_EQ(n, 100);
  EXPECT_DOUBLE_EQ(mu, (x + y) / 2);
  const double var = (x * x + y * y) / 2 - mu * mu;  // ln 4 squared over 4
  EXPECT_NEAR(sigma, std::sqrt(var), 1e-12);
  // endpoint 0: 50 calls at x and 50 pseudo-calls from the global fit
  EXPECT_DOUBLE_EQ(ep_mu[0], (50 * x + 50 * mu) / 100);
  EXPECT_NEAR(ep_sigma[0],
              std::sqrt((50 * x * x + 50 * (var + mu * mu)) / 100 - ep_mu[0] * ep_mu[0]), 1e-12);
  // endpoint 1: no calls, the global fit itself
  EXPECT_DOUBLE_EQ(ep_mu[1], mu);
  EXPECT_NEAR(ep_sigma[1], sigma, 1e-12);
  // Nothing to fit: nothing changes.
  EStepSums none{{0}, {0}, {0}, {0}};
  double mu2 = 1, sigma2 = 2;
  std::vector<double> m2{3}, s2{4};
  EXPECT_EQ(fit_lognormals(none, 0, 0, 0, mu2, sigma2, m2, s2), 0);
  EXPECT_EQ(mu2, 1);
  EXPECT_EQ(sigma2, 2);
  EXPECT_EQ(m2[0], 3);
  EXPECT_EQ(s2[0], 4);
}

TEST(FitDelayModel, OneDelayForEveryCallGivesItsBinAndTheFloorWidth) {
  StoreBuilder b;
  Candidates c;
  const Bins bins = make_bins(5'000'000);
  for (int k = 0; k < 200; ++k) {
    b.ui("u", "s1", k * std::int64_t{10'000});
    const std::uint32_t a = b.api({.id = "a", .session = "s1", .t_ms = k * std::int64_t{10'000} + 100});
    c.calls.push_back({a, static_cast<std::uint32_t>(k), 1, static_cast<std::uint32_t>(k)});
    c.bins.push_back(static_cast<std::uint16_t>(bins.of(100'000)));
  }
  c.fixed_hist.assign(kBins, 0.0);
  const DelayFit fit = fit_delay_model(b.store, c, bins, session_time_ms(b.store));
  EXPECT_NEAR(fit.model.mu, bins.center(bins.of(100'000)), 1e-9);
  EXPECT_NEAR(fit.model.sigma, 0.05, 1e-9);  // all delays in one bin: the variance floor
  EXPECT_GE(fit.model.iterations, 2);
  EXPECT_NEAR(fit.model.calls_per_ui, 1.0, 1e-3);  // every UI event caused its call
  EXPECT_EQ(fit.ep_of_call, std::vector<std::uint32_t>(200, 0));
  ASSERT_EQ(fit.tables.size(), static_cast<std::size_t>(kBins));
  EXPECT_EQ(fit.lb.size(), 1u);
}

TEST(AssignByPosterior, HighestComponentWinsWithItsShareAsConfidence) {
  UiIndex ui;
  ui.sorted = {0, 1, 2};
  ui.t = {0, 100'000, 1'000'000};
  Candidates c;
  c.calls.push_back({0, 0, 2, 0});  // candidates u0 (bin 10), u1 (bin 20)
  c.calls.push_back({1, 2, 1, 2});  // u2 (bin 20): below the background rate
  c.calls.push_back({2, 2, 1, 3});  // u2 (bin 10)
  c.bins = {10, 20, 20, 10};
  DelayFit fit;
  fit.ep_of_call = {0, 0, 0};
  fit.tables.assign(kBins, 0.0);
  fit.tables[10] = 3;
  fit.tables[20] = 0.5;
  fit.lb = {1};
  fit.lc = {1};
  Records<Link> links(3);
  assign_by_posterior(c, fit, ui, links);
  EXPECT_EQ(links[0].ui, 0);
  EXPECT_DOUBLE_EQ(links[0].confidence, 3 / 4.5);
  EXPECT_EQ(links[0].reasons, kSession | kDelayModel | kRapidTaps);  // u1 100 ms after u0
  EXPECT_EQ(links[1].ui, -1);
  EXPECT_DOUBLE_EQ(links[1].confidence, 1 / 1.5);
  EXPECT_EQ(links[1].reasons, kSession | kBackgroundRate);
  EXPECT_EQ(links[2].ui, 2);
  EXPECT_DOUBLE_EQ(links[2].confidence, 0.75);
  EXPECT_EQ(links[2].reasons, kSession | kDelayModel | kOnlyCandidate);
}

}  // namespace
}  // namespace obscore::correlate
