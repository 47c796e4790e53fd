// Output order, per-call sums and the summary of a correlate run (see statistics.hpp).
#include "statistics.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "obscore/core/output.hpp"
#include "obscore/core/tsan.hpp"

#include "overlap.hpp"

namespace obscore::correlate {

using core::Json;

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

std::vector<std::uint32_t> session_ranks(const Store& store) {
  std::vector<std::uint32_t> rank(store.strings.size(), 0);
  std::vector<std::uint32_t> ids;
  std::vector<bool> seen(store.strings.size(), false);
  auto add = [&](std::uint32_t s) {
    if (!seen[s]) ids.push_back(s);
    seen[s] = true;
  };
  for (const auto& a : store.api) add(a.session);
  for (const auto& u : store.ui) add(u.session);
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
    return store.strings.name(a) < store.strings.name(b);
  });
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

std::vector<std::uint32_t> output_order(const Store& store,
                                        const std::vector<std::uint32_t>& api_sorted,
                                        const std::vector<std::uint32_t>& ranks) {
  std::vector<std::pair<std::uint32_t, std::pair<std::size_t, std::size_t>>>
      slices;  // rank, [from, to)
  for (std::size_t k = 0; k < api_sorted.size();) {
    std::uint32_t s = store.api[api_sorted[k]].session;
    std::size_t e = k;
    while (e < api_sorted.size() && store.api[api_sorted[e]].session == s) ++e;
    slices.push_back({ranks[s], {k, e}});
    k = e;
  }
  std::sort(slices.begin(), slices.end());
  std::vector<std::uint32_t> order;
  order.reserve(api_sorted.size());
  for (const auto& [rank, range] : slices) {
    order.insert(order.end(), api_sorted.begin() + static_cast<std::ptrdiff_t>(range.first),
                 api_sorted.begin() + static_cast<std::ptrdiff_t>(range.second));
  }
  return order;
}

NavIndex::NavIndex(const Store& store)
    : store_(store), sorted_(store.nav.size()), slice_(store.strings.size(), {0, 0}) {
  std::iota(sorted_.begin(), sorted_.end(), 0u);
  std::sort(sorted_.begin(), sorted_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(store.nav[a].session, store.nav[a].t) <
           std::tie(store.nav[b].session, store.nav[b].t);
  });
  // A search per call looks at its own session's few navigations, not at all of them.
  for (std::uint32_t k = 0; k < sorted_.size();) {
    std::uint32_t s = store.nav[sorted_[k]].session, e = k;
    while (e < sorted_.size() && store.nav[sorted_[e]].session == s) ++e;
    slice_[s] = {k, e};
    k = e;
  }
}

const NavEvent* NavIndex::after(const ApiCall& a, std::int64_t window_us) const {
  if (sorted_.empty()) return nullptr;
  std::int64_t from = a.end != kNoTime ? a.end : a.t;
  auto [first, last] = slice_[a.session];
  auto begin = sorted_.begin() + first, end = sorted_.begin() + last;
  auto it = std::lower_bound(begin, end, from,
                             [&](std::uint32_t n, std::int64_t t) { return store_.nav[n].t < t; });
  if (it == end) return nullptr;
  const NavEvent& n = store_.nav[*it];
  if (n.t - from > window_us) return nullptr;
  return &n;
}

std::size_t FlowKeyHash::operator()(const FlowKey& k) const {
  const auto& [a, b, c, d, e, f] = k;
  std::uint64_t h = 0x9e3779b97f4a7c15ull;
  for (std::uint64_t v :
       {std::uint64_t{a}, std::uint64_t{b}, std::uint64_t{c}, std::uint64_t{d},
        static_cast<std::uint64_t>(static_cast<std::uint32_t>(e)), std::uint64_t{f}}) {
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return static_cast<std::size_t>(h);
}

namespace {

bool is_background_truth(std::string_view t) {
  return t.empty() || t == "background" || t == "null" || t == "none" || t == "-";
}

// One thread's share of the sums: endpoints in a vector indexed by a per-thread slot (calls hit
// a few hundred endpoints: one small-map lookup per call, then plain vector appends).
struct LocalEndpoint {
  std::size_t calls = 0, attributed = 0;
  std::vector<double> latency, delay;
};
struct LocalTally {
  std::unordered_map<FlowKey, std::size_t, FlowKeyHash> flows;
  std::unordered_map<std::uint64_t, LocalEndpoint> endpoints;
  std::size_t attributed = 0, explicit_links = 0, thread_links = 0, periodic = 0;
  std::size_t caused_total = 0, caused_right = 0, bg_total = 0, bg_right = 0;
};

}  // namespace

Tally tally_calls(const Store& store, const Attribution& attr, const NavIndex& nav,
                  const Options& options) {
  const bool truth = !options.truth_field.empty();
  auto tally_call = [&](std::size_t i, LocalTally& t) {
    const ApiCall& a = store.api[i];
    const Link& link = attr.links[i];
    auto& ep = t.endpoints[(static_cast<std::uint64_t>(a.method) << 32) | a.endpoint];
    ++ep.calls;
    if (a.end != kNoTime && a.end >= a.t)
      ep.latency.push_back(static_cast<double>(a.end - a.t) / 1000.0);
    if (link.reasons & kExplicitId) ++t.explicit_links;
    if (link.reasons & kThread) ++t.thread_links;
    if (link.reasons & kPeriodic) ++t.periodic;
    if (link.ui >= 0) {
      ++t.attributed;
      ++ep.attributed;
      const UiEvent& u = store.ui[static_cast<std::size_t>(link.ui)];
      ep.delay.push_back(static_cast<double>(a.t - u.t) / 1000.0);
      const NavEvent* n = nav.after(a, options.nav_window_us);
      t.flows[{u.action, u.element != 0 ? u.element : u.screen, a.method, a.endpoint, a.status,
               n != nullptr ? n->to : 0u}]++;
    }
    if (truth) {
      std::string_view want = store.text.get(a.truth);
      if (is_background_truth(want)) {
        ++t.bg_total;
        t.bg_right += link.ui < 0;
      } else {
        ++t.caused_total;
        t.caused_right +=
            link.ui >= 0 && store.text.get(store.ui[static_cast<std::size_t>(link.ui)].id) == want;
      }
    }
  };
  // The sums do not depend on the order of the calls: each thread sums its share in input order.
  tbb::combinable<LocalTally> tallies;
  {
    core::TaskEdges edges;
    auto tally_range = [&](const tbb::blocked_range<std::size_t>& r) {
      LocalTally& t = tallies.local();
      for (std::size_t k = r.begin(); k != r.end(); ++k) tally_call(k, t);
    };
    edges.fork();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, store.api.size(), 1u << 15),
                      core::TaskEdges::body(tally_range));
    edges.joined();
  }
  Tally total;
  tallies.combine_each([&](LocalTally& t) {
    for (const auto& [key, count] : t.flows) total.flows[key] += count;
    for (auto& [key, e] : t.endpoints) {
      EndpointStats& into = total.endpoints[key];
      into.calls += e.calls;
      into.attributed += e.attributed;
      into.latency.push_back(std::move(e.latency));
      into.delay.push_back(std::move(e.delay));
    }
    total.attributed += t.attributed;
    total.explicit_links += t.explicit_links;
    total.thread_links += t.thread_links;
    total.periodic += t.periodic;
    total.caused_total += t.caused_total;
    total.caused_right += t.caused_right;
    total.bg_total += t.bg_total;
    total.bg_right += t.bg_right;
  });
  return total;
}

std::size_t count_sessions(const Store& store) {
  std::size_t sessions = 0;  // a flag per interned id, not a 6M-insert set
  std::vector<char> seen(store.strings.size(), 0);
  auto count = [&](std::uint32_t s) {
    sessions += seen[s] == 0;
    seen[s] = 1;
  };
  for (const auto& u : store.ui) count(u.session);
  for (const auto& a : store.api) count(a.session);
  return sessions;
}

Json endpoint_summary(const Store& store, Tally& tally, std::size_t top) {
  std::vector<std::pair<std::string, EndpointStats*>> eps;
  for (auto& [k, v] : tally.endpoints) {
    eps.emplace_back(store.strings.name(static_cast<std::uint32_t>(k >> 32)) + " " +
                         store.strings.name(static_cast<std::uint32_t>(k & 0xffffffffu)),
                     &v);
  }
  std::sort(eps.begin(), eps.end(), [](const auto& a, const auto& b) {
    return a.second->calls != b.second->calls ? a.second->calls > b.second->calls
                                              : a.first < b.first;
  });
  // Percentiles of the listed endpoints, each endpoint on its own core (millions of values).
  const std::size_t listed = std::min<std::size_t>(eps.size(), top);
  struct Percentiles {
    std::array<double, 3> latency{};  // p50 p95 p99
    std::array<double, 2> delay{};    // p50 p95
    bool any_latency = false, any_delay = false;
  };
  std::vector<Percentiles> pct(listed);
  {
    core::TaskEdges edges;
    auto join = [](std::vector<std::vector<double>>& parts) {
      std::vector<double> all;
      for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
      std::vector<std::vector<double>>().swap(parts);
      return all;
    };
    auto percentiles = [&](std::size_t k) {
      auto& s = *eps[k].second;
      std::vector<double> latency = join(s.latency), delay = join(s.delay);
      pct[k] = {values_at_quantiles(latency, std::array<double, 3>{0.5, 0.95, 0.99}),
                values_at_quantiles(delay, std::array<double, 2>{0.5, 0.95}), !latency.empty(),
                !delay.empty()};
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, listed, core::TaskEdges::body(percentiles));
    edges.joined();
  }
  Json out = Json::array();
  for (std::size_t k = 0; k < listed; ++k) {
    const auto& s = *eps[k].second;
    const Percentiles& p = pct[k];
    Json e;
    e["endpoint"] = core::sanitize_utf8(eps[k].first);
    e["calls"] = s.calls;
    e["attributed"] = s.attributed;
    e["latency_ms"] = !p.any_latency ? Json(nullptr)
                                     : Json{{"p50", round3(p.latency[0])},
                                            {"p95", round3(p.latency[1])},
                                            {"p99", round3(p.latency[2])}};
    e["delay_ms"] = !p.any_delay ? Json(nullptr)
                                 : Json{{"p50", round3(p.delay[0])}, {"p95", round3(p.delay[1])}};
    out.push_back(std::move(e));
  }
  return out;
}

Json flow_summary(const Store& store, const Tally& tally, std::size_t top) {
  struct Flow {
    std::string ui, api, nav;
    std::int32_t status;
    std::size_t count;
    FlowKey key;  // the last tie-break: labels can coincide
  };
  std::vector<Flow> flows;
  for (const auto& [key, count] : tally.flows) {
    const auto& [action, target, method, endpoint, status, nav] = key;
    std::string act = store.strings.name(action).empty() ? "ui" : store.strings.name(action);
    const std::string& tgt = store.strings.name(target);
    flows.push_back({tgt.empty() ? act : fmt::format("{} {}", act, tgt),
                     fmt::format("{} {}", store.strings.name(method), store.strings.name(endpoint)),
                     store.strings.name(nav), status, count, key});
  }
  std::sort(flows.begin(), flows.end(), [](const Flow& a, const Flow& b) {
    return a.count != b.count ? a.count > b.count
                              : std::tie(a.ui, a.api, a.status, a.nav, a.key) <
                                    std::tie(b.ui, b.api, b.status, b.nav, b.key);
  });
  Json out = Json::array();
  for (std::size_t k = 0; k < flows.size() && k < top; ++k) {
    const Flow& f = flows[k];
    out.push_back({{"ui", core::sanitize_utf8(f.ui)},
                   {"api", core::sanitize_utf8(f.api)},
                   {"status", f.status},
                   {"navigation", f.nav.empty() ? Json(nullptr) : Json(core::sanitize_utf8(f.nav))},
                   {"outcome", f.status >= 400 || f.status == 0 ? "error" : "success"},
                   {"count", f.count}});
  }
  return out;
}

Json delay_model_summary(const DelayModel& model, const std::string& model_reason,
                         const Options& options) {
  if (!model_reason.empty()) return Json(nullptr);
  return Json{{"window_ms", static_cast<double>(options.window_us) / 1000.0},
              {"iterations", model.iterations},
              {"background_calls_per_minute", round3(model.background_per_ms * 60000.0)},
              {"calls_per_ui_event", round3(model.calls_per_ui)},
              {"delay_ms",
               {{"distribution", "lognormal"},
                {"mu", round3(model.mu)},
                {"sigma", round3(model.sigma)},
                {"p50", round3(model.quantile_ms(0.0))},
                {"p90", round3(model.quantile_ms(1.2815516))},
                {"p99", round3(model.quantile_ms(2.3263479))}}}};
}

Json truth_summary(const Tally& t, const Options& options) {
  auto ratio = [](std::size_t a, std::size_t b) {
    return b == 0 ? Json(nullptr) : Json(round3(static_cast<double>(a) / static_cast<double>(b)));
  };
  // A link is right only when its call was caused and it names the cause: precision's numerator
  // is caused_right.
  return {{"field", options.truth_field},
          {"caused",
           {{"total", t.caused_total},
            {"correct", t.caused_right},
            {"accuracy", ratio(t.caused_right, t.caused_total)}}},
          {"background",
           {{"total", t.bg_total},
            {"correct", t.bg_right},
            {"accuracy", ratio(t.bg_right, t.bg_total)}}},
          {"accuracy", ratio(t.caused_right + t.bg_right, t.caused_total + t.bg_total)},
          {"precision", ratio(t.caused_right, t.attributed)},
          {"recall", ratio(t.caused_right, t.caused_total)}};
}

Json build_summary(const Store& store, const Attribution& attr, OverlapCheck& overlap, Tally& tally,
                   const Options& options) {
  Json summary;
  summary["ui_events"] = store.ui.size();
  summary["api_calls"] = store.api.size();
  summary["navigations"] = store.nav.size();
  summary["sessions"] = count_sessions(store);
  summary["attributed"] = tally.attributed;
  summary["background"] = store.api.size() - tally.attributed;
  summary["correlation_rate"] =
      store.api.empty()
          ? 0.0
          : round3(static_cast<double>(tally.attributed) / static_cast<double>(store.api.size()));
  summary["by_signal"] = {
      {"explicit_id", tally.explicit_links},
      {"thread", tally.thread_links},
      {"periodic", tally.periodic},
      {"delay_model", tally.attributed - tally.explicit_links - tally.thread_links}};
  summary["skipped_records"] = store.skipped;
  summary["delay_model"] = delay_model_summary(attr.model, overlap.model_reason, options);
  summary["delay_model_reason"] =
      overlap.model_reason.empty() ? Json(nullptr) : Json(overlap.model_reason);
  summary["overlap"] = std::move(overlap.summary);
  summary["inputs"] = std::move(overlap.inputs);
  summary["endpoints"] = endpoint_summary(store, tally, options.top);
  summary["flows"] = flow_summary(store, tally, options.top);
  if (!options.truth_field.empty()) summary["truth"] = truth_summary(tally, options);
  return summary;
}

}  // namespace obscore::correlate
