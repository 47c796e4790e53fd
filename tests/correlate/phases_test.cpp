// The phases of correlate::run after attribution, each on a hand-built store with exact
// expected values: session ranks and output order, navigations after a call, the per-call sums,
// quantiles, the endpoint, flow and truth summaries, and one result record's JSON text.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "attribute.hpp"
#include "results.hpp"
#include "statistics.hpp"
#include "store_builder.hpp"

namespace obscore::correlate {
namespace {

using core::Json;
using testing::StoreBuilder;

// Links of every call, background unless set.
Attribution links_for(const Store& store) {
  Attribution attr;
  attr.links.resize(store.api.size());
  for (auto& l : attr.links) l = Link{-1, 1.0, kNoUiInWindow | kSession};
  return attr;
}

TEST(SessionRanks, OrderSessionsByNameAndLeaveOtherIdsAtZero) {
  StoreBuilder b;
  b.api({.id = "a1", .session = "s2", .t_ms = 0});
  b.api({.id = "a2", .session = "s1", .t_ms = 0});
  b.ui("u1", "s3", 0);
  const auto ranks = session_ranks(b.store);
  EXPECT_EQ(ranks[b.intern("s1")], 0u);
  EXPECT_EQ(ranks[b.intern("s2")], 1u);
  EXPECT_EQ(ranks[b.intern("s3")], 2u);
  EXPECT_EQ(ranks[b.intern("GET")], 0u);
  EXPECT_EQ(ranks.size(), b.store.strings.size());
}

TEST(OutputOrder, SessionSlicesFollowTheSessionNames) {
  StoreBuilder b;
  b.api({.id = "a0", .session = "zeta", .t_ms = 5});
  b.api({.id = "a1", .session = "alpha", .t_ms = 9});
  b.api({.id = "a2", .session = "zeta", .t_ms = 1});
  b.api({.id = "a3", .session = "alpha", .t_ms = 2});
  // attribute()'s order: session id (zeta was interned first), then time
  const std::vector<std::uint32_t> api_sorted{2, 0, 3, 1};
  EXPECT_EQ(output_order(b.store, api_sorted, session_ranks(b.store)),
            (std::vector<std::uint32_t>{3, 1, 2, 0}));
}

TEST(NavIndex, FirstNavigationOfTheSessionWithinTheWindowAfterTheResponse) {
  StoreBuilder b;
  b.nav("s1", 2000, "Cart");
  b.nav("s1", 1500, "Home");
  b.nav("s2", 1200, "Other");
  b.api({.id = "a0", .session = "s1", .t_ms = 1000, .end_ms = 1100});  // -> Home (1500)
  b.api({.id = "a1", .session = "s1", .t_ms = 1000, .end_ms = 1600});  // -> Cart (2000)
  b.api({.id = "a2", .session = "s1", .t_ms = 1000, .end_ms = 2100});  // none after
  b.api({.id = "a3", .session = "s1", .t_ms = 1400});                  // no end: from its start
  b.api({.id = "a4", .session = "s3", .t_ms = 1000});  // a session without navigations
  const NavIndex nav(b.store);
  auto to = [&](std::uint32_t i, std::int64_t window_ms) {
    const NavEvent* n = nav.after(b.store.api[i], window_ms * 1000);
    return n == nullptr ? std::string("-") : b.store.strings.name(n->to);
  };
  EXPECT_EQ(to(0, 3000), "Home");
  EXPECT_EQ(to(0, 300), "-");  // 400 ms later: beyond a 300 ms window
  EXPECT_EQ(to(1, 3000), "Cart");
  EXPECT_EQ(to(2, 3000), "-");
  EXPECT_EQ(to(3, 3000), "Home");
  EXPECT_EQ(to(4, 3000), "-");
}

TEST(ValuesAtQuantiles, NearestRank) {
  std::vector<double> v{5, 1, 4, 2, 3};
  auto q = values_at_quantiles(v, std::array<double, 3>{0.5, 0.95, 0.99});
  EXPECT_EQ(q, (std::array<double, 3>{3, 5, 5}));
  std::vector<double> empty;
  EXPECT_EQ(values_at_quantiles(empty, std::array<double, 1>{0.5}), (std::array<double, 1>{0}));
}

// Two UI events, four calls to two endpoints: one explicit link, one delay-model link, one
// thread link, one background call; truth for all four.
struct Scenario {
  StoreBuilder b;
  Attribution attr;
  Options options;
  Scenario() {
    b.ui("u1", "s1", 1000, "tap", "buy");
    b.ui("u2", "s1", 5000, "swipe", "", "", "", "Feed");
    b.api({.id = "a0",
           .session = "s1",
           .t_ms = 1100,
           .endpoint = "/cart",
           .end_ms = 1150,
           .truth = "u1"});
    b.api({.id = "a1",
           .session = "s1",
           .t_ms = 1300,
           .endpoint = "/cart",
           .status = 500,
           .end_ms = 1400,
           .truth = "u2"});
    b.api({.id = "a2",
           .session = "s1",
           .t_ms = 5200,
           .method = "POST",
           .endpoint = "/feed",
           .truth = "u2"});
    b.api({.id = "",
           .session = "s1",
           .t_ms = 9000,
           .endpoint = "/cart",
           .end_ms = 9030,
           .truth = "background"});
    b.nav("s1", 1200, "Cart");
    attr = links_for(b.store);
    attr.links[0] = {0, 1.0, kExplicitId | kSession};
    attr.links[1] = {0, 0.75, kDelayModel | kSession};
    attr.links[2] = {1, 0.9, kThread | kSession};
    options.truth_field = "cause";
  }
};

TEST(TallyCalls, SumsEndpointsFlowsSignalsAndTruth) {
  Scenario sc;
  const NavIndex nav(sc.b.store);
  Tally t = tally_calls(sc.b.store, sc.attr, nav, sc.options);
  EXPECT_EQ(t.attributed, 3u);
  EXPECT_EQ(t.explicit_links, 1u);
  EXPECT_EQ(t.thread_links, 1u);
  EXPECT_EQ(t.periodic, 0u);
  EXPECT_EQ(t.caused_total, 3u);
  EXPECT_EQ(t.caused_right, 2u);  // a1's truth is u2, its link u1
  EXPECT_EQ(t.bg_total, 1u);
  EXPECT_EQ(t.bg_right, 1u);
  auto& s = sc.b;
  const std::uint64_t cart = (std::uint64_t{s.intern("GET")} << 32) | s.intern("/cart");
  ASSERT_EQ(t.endpoints.size(), 2u);
  EXPECT_EQ(t.endpoints[cart].calls, 3u);
  EXPECT_EQ(t.endpoints[cart].attributed, 2u);
  std::vector<double> latency;
  for (const auto& part : t.endpoints[cart].latency)
    latency.insert(latency.end(), part.begin(), part.end());
  std::sort(latency.begin(), latency.end());
  EXPECT_EQ(latency, (std::vector<double>{30, 50, 100}));
  // a0 ends at 1150, the navigation to Cart at 1200 follows it; a1 ends after it
  const FlowKey buy_cart_nav{
      s.intern("tap"), s.intern("buy"), s.intern("GET"), s.intern("/cart"), 200, s.intern("Cart")};
  const FlowKey buy_cart_500{
      s.intern("tap"), s.intern("buy"), s.intern("GET"), s.intern("/cart"), 500, 0};
  const FlowKey swipe_feed{
      s.intern("swipe"), s.intern("Feed"), s.intern("POST"), s.intern("/feed"), 200, 0};
  EXPECT_EQ(t.flows.size(), 3u);
  EXPECT_EQ(t.flows[buy_cart_nav], 1u);
  EXPECT_EQ(t.flows[buy_cart_500], 1u);
  EXPECT_EQ(t.flows[swipe_feed], 1u);
}

TEST(Summary, EndpointsFlowsTruthAndSessions) {
  Scenario sc;
  const NavIndex nav(sc.b.store);
  Tally t = tally_calls(sc.b.store, sc.attr, nav, sc.options);
  EXPECT_EQ(count_sessions(sc.b.store), 1u);
  Json eps = endpoint_summary(sc.b.store, t, 20);
  EXPECT_EQ(
      eps.dump(),
      R"([{"endpoint":"GET /cart","calls":3,"attributed":2,"latency_ms":{"p50":50.0,"p95":100.0,"p99":100.0},)"
      R"("delay_ms":{"p50":300.0,"p95":300.0}},)"
      R"({"endpoint":"POST /feed","calls":1,"attributed":1,"latency_ms":null,"delay_ms":{"p50":200.0,"p95":200.0}}])");
  Json flows = flow_summary(sc.b.store, t, 2);  // three flows of one call each: by labels
  EXPECT_EQ(
      flows.dump(),
      R"([{"ui":"swipe Feed","api":"POST /feed","status":200,"navigation":null,"outcome":"success","count":1},)"
      R"({"ui":"tap buy","api":"GET /cart","status":200,"navigation":"Cart","outcome":"success","count":1}])");
  EXPECT_EQ(
      truth_summary(t, sc.options).dump(),
      R"({"field":"cause","caused":{"total":3,"correct":2,"accuracy":0.667},)"
      R"("background":{"total":1,"correct":1,"accuracy":1.0},"accuracy":0.75,"precision":0.667,"recall":0.667})");
}

TEST(Summary, DelayModelOrNullWithReason) {
  DelayModel m;
  m.mu = std::log(200.0);
  m.sigma = 0.5;
  m.background_per_ms = 0.001;
  m.calls_per_ui = 1.25;
  m.iterations = 7;
  Options o;
  o.window_us = 2'000'000;
  EXPECT_EQ(
      delay_model_summary(m, "", o).dump(),
      R"({"window_ms":2000.0,"iterations":7,"background_calls_per_minute":60.0,"calls_per_ui_event":1.25,)"
      R"("delay_ms":{"distribution":"lognormal","mu":5.298,"sigma":0.5,"p50":200.0,"p90":379.591,"p99":640.015}})");
  EXPECT_TRUE(delay_model_summary(m, "no API calls", o).is_null());
}

TEST(CallFormatter, OneResultAsCompactJson) {
  Scenario sc;
  CallFormatter f(sc.b.store, sc.attr, true);
  std::string text;
  f.append(1, text);
  EXPECT_EQ(
      text,
      R"({"api_id":"a1","ui_id":"u1","session":"s1","confidence":0.75,"delta_ms":300,"method":"GET",)"
      R"("url_template":"/cart","status":500,"reasons":["session","delay_model"],"truth":"u2"})");
  text.clear();
  f.append(3, text);  // no id: api-<input order>; background
  EXPECT_EQ(
      text,
      R"({"api_id":"api-3","ui_id":null,"session":"s1","confidence":1,"delta_ms":null,"method":"GET",)"
      R"("url_template":"/cart","status":200,"reasons":["session","no_ui_in_window"],"truth":"background"})");
  EXPECT_EQ(Json::parse(text).dump(), text);  // the text dump() makes of the same record
}

TEST(ResultLabels, UiLabelAndIds) {
  StoreBuilder b;
  b.ui("", "s1", 0, "", "", "", "", "Home");
  b.ui("u1", "s1", 0, "tap", "ok", "", "", "Home");
  EXPECT_EQ(ui_label(b.store, b.store.ui[0]), "ui Home");
  EXPECT_EQ(ui_label(b.store, b.store.ui[1]), "tap ok");
  EXPECT_EQ(ui_event_id(b.store, 0), "ui-0");
  EXPECT_EQ(ui_event_id(b.store, 1), "u1");
}

}  // namespace
}  // namespace obscore::correlate
