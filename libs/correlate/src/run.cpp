// The `correlate` run: read, attribute, then results (per API call, or per UI event with
// --group-by ui), flows, per-endpoint statistics, the learned delay model and, with --truth,
// accuracy against the recorded causes.
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <initializer_list>
#include <unordered_map>
#include <cmath>
#include <tuple>
#include <numeric>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "attribute.hpp"
#include "model.hpp"
#include "overlap.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/time.hpp"
#include "obscore/core/tsan.hpp"

namespace obscore::correlate {

namespace {

using core::Json;

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// The values at quantiles `qs` (ascending) of `v`, reordering it: each selection searches only
// above the previous one.
template <std::size_t N>
std::array<double, N> values_at_quantiles(std::vector<double>& v, const std::array<double, N>& qs) {
  std::array<double, N> out{};
  if (v.empty()) return out;
  auto from = v.begin();
  for (std::size_t i = 0; i < N; ++i) {
    auto k = v.begin() + static_cast<std::ptrdiff_t>(qs[i] * static_cast<double>(v.size() - 1) + 0.5);
    if (k < from) k = from;  // (qs ascending: only by rounding)
    std::nth_element(from, k, v.end());
    out[i] = *k;
    from = k;
  }
  return out;
}

std::string ui_label(const Store& s, const UiEvent& u) {
  std::string action = s.strings.name(u.action);
  std::string target = s.strings.name(u.element);
  if (target.empty()) target = s.strings.name(u.screen);
  if (action.empty()) action = "ui";
  return target.empty() ? action : action + " " + target;
}

std::string store_ui_id(const Store& store, std::int64_t i) {
  const UiEvent& u = store.ui[static_cast<std::size_t>(i)];
  return u.id.empty() ? fmt::format("ui-{}", u.order) : std::string(store.text.get(u.id));
}

bool is_background_truth(std::string_view t) {
  return t.empty() || t == "background" || t == "null" || t == "none" || t == "-";
}

// The report formats' view of the summary: per-endpoint latency, the flows as a table, as one
// sequence diagram (the top flows, tap -> call -> response -> navigation) and as a flow graph.
void flow_report(const Json& s, core::Report& report) {
  constexpr std::size_t kSequenceFlows = 5;
  core::Table endpoints{"Endpoints",
                        {{"endpoint", false}, {"calls", true}, {"attributed", true}, {"p50 ms", true}, {"p95 ms", true},
                         {"p99 ms", true}, {"delay p50 ms", true}},
                        {},
                        1};
  for (const auto& e : s.value("endpoints", Json::array())) {
    const Json& lat = e["latency_ms"];
    Json delay = e["delay_ms"].is_object() ? e["delay_ms"].value("p50", Json()) : Json();
    endpoints.rows.push_back(Json::array({e["endpoint"], e["calls"], e["attributed"], lat.is_object() ? lat["p50"] : Json(),
                                          lat.is_object() ? lat["p95"] : Json(), lat.is_object() ? lat["p99"] : Json(), delay}));
  }
  core::Table flows{"Flows",
                    {{"UI event", false}, {"API call", false}, {"status", true}, {"navigation", false}, {"outcome", false},
                     {"count", true}},
                    {},
                    5};
  core::Diagram sequence;
  sequence.kind = core::Diagram::Kind::kSequence;
  sequence.title = "Top flows: UI event, API call, response, navigation";
  sequence.nodes = {"User", "App", "API"};
  core::Diagram graph;
  graph.kind = core::Diagram::Kind::kFlow;
  graph.title = "Flows: UI event -> API call -> outcome";
  auto node = [&](const std::string& name) {
    if (std::find(graph.nodes.begin(), graph.nodes.end(), name) == graph.nodes.end()) graph.nodes.push_back(name);
    return name;
  };
  std::size_t k = 0;
  for (const auto& f : s.value("flows", Json::array())) {
    std::string ui = f["ui"].get<std::string>(), api = f["api"].get<std::string>();
    std::string status = f["status"].is_number() ? std::to_string(f["status"].get<int>()) : std::string("no status");
    std::string nav = f["navigation"].is_string() ? f["navigation"].get<std::string>() : std::string();
    std::string outcome = f["outcome"].is_string() ? f["outcome"].get<std::string>() : std::string();
    std::size_t count = f["count"].get<std::size_t>();
    flows.rows.push_back(Json::array({ui, api, f["status"], f["navigation"], f["outcome"], count}));
    if (k < kSequenceFlows) {
      sequence.notes.emplace_back(sequence.edges.size(), fmt::format("flow {}: {} times", k + 1, count));
      sequence.edges.push_back({"User", "App", ui, false});
      sequence.edges.push_back({"App", "API", api, false});
      sequence.edges.push_back({"API", "App", status, true});
      if (!nav.empty()) sequence.edges.push_back({"App", "User", "navigate " + nav + (outcome.empty() ? "" : " (" + outcome + ")"), true});
    }
    std::string end = nav.empty() ? status : "screen " + nav;
    graph.edges.push_back({node(ui), node(api), fmt::format("{}x", count), false});
    graph.edges.push_back({node(api), node(end), fmt::format("{}x", count), false});
    ++k;
  }
  report.tables.push_back(std::move(endpoints));
  report.tables.push_back(std::move(flows));
  if (!sequence.edges.empty()) {
    report.diagrams.push_back(std::move(sequence));
    report.diagrams.push_back(std::move(graph));
  }
}

}  // namespace

core::View make_view(const Options& options) {
  core::View v;
  if (options.group_by_ui) {
    v.columns = {{"session", false}, {"time", false}, {"ui_id", false}, {"ui", false}, {"api_calls", true}, {"endpoints", false}};
    v.rows = [](const Json& r, std::vector<Json>& rows) {
      std::string eps;
      for (const auto& c : r["api_calls"]) {
        if (!eps.empty()) eps += ", ";
        eps += c["method"].get<std::string>() + " " + c["url_template"].get<std::string>();
      }
      rows.push_back(Json::array({r["session"], r["time"], r["ui_id"], r["ui"], r["api_calls"].size(), eps}));
    };
  } else {
    v.columns = {{"session", false}, {"api_id", false},     {"method", false}, {"url_template", false},
                 {"status", true},   {"ui_id", false},      {"delta_ms", true}, {"confidence", true},
                 {"reasons", false}};
    v.rows = [](const Json& r, std::vector<Json>& rows) {
      std::string reasons;
      for (const auto& x : r["reasons"]) reasons += (reasons.empty() ? "" : ",") + x.get<std::string>();
      rows.push_back(Json::array({r["session"], r["api_id"], r["method"], r["url_template"], r["status"],
                                  r["ui_id"].is_null() ? Json("background") : r["ui_id"], r["delta_ms"],
                                  r["confidence"], reasons}));
    };
  }
  v.footer = [](const Json& s) {
    std::string flows;
    for (const auto& f : s["flows"]) {
      if (flows.size() > 600) break;
      flows += fmt::format("\n  {:>6}x  {} -> {} ({}){}", f["count"].get<std::size_t>(), f["ui"].get<std::string>(),
                           f["api"].get<std::string>(), f["status"].get<int>(),
                           f["navigation"].is_null() ? std::string()
                                                     : fmt::format(" -> navigate {} ({})", f["navigation"].get<std::string>(),
                                                                   f["outcome"].get<std::string>()));
    }
    return fmt::format("{} API calls, {} UI events, {} sessions: {} attributed ({:.1f} %), {} background; {} ms{}",
                       s["api_calls"].get<std::size_t>(), s["ui_events"].get<std::size_t>(),
                       s["sessions"].get<std::size_t>(), s["attributed"].get<std::size_t>(),
                       s["correlation_rate"].get<double>() * 100.0, s["background"].get<std::size_t>(),
                       s["duration_ms"].get<long long>(), flows.empty() ? "" : "\nflows:" + flows);
  };
  v.rows_title = options.group_by_ui ? "UI events" : "API calls";
  v.summary_keys = {"ui_events", "api_calls", "navigations", "sessions", "attributed", "background", "correlation_rate",
                    "by_signal.explicit_id", "by_signal.thread", "by_signal.periodic", "by_signal.delay_model",
                    "skipped_records"};
  v.has_diagrams = true;
  v.report_summary = [](const Json& s, core::Report& report) { flow_report(s, report); };
  return v;
}

RunResult run(const Options& options, core::Output& out) {
  auto started = std::chrono::steady_clock::now();
  RunResult result;
  if (options.inputs.empty()) throw core::Error(core::ErrorKind::kUsage, "no inputs: give --ui and --api, or --events");
  if (options.window_us <= 0) throw core::Error(core::ErrorKind::kUsage, "--window must be positive");
  auto phase = [last = started](const char* name) mutable {
    auto now = std::chrono::steady_clock::now();
    spdlog::debug("correlate: {} {} ms", name, std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count());
    last = now;
  };
  Store store;
  read_inputs(options, store);
  phase("read");
  Attribution attr = attribute(store, options);
  phase("attribute");
  OverlapCheck overlap = check_overlap(store, attr, options);  // inputs that do not line up
  phase("overlap");

  // Results in a stable order: session name, time, input order.
  auto session_name = [&](std::uint32_t s) -> const std::string& { return store.strings.name(s); };
  // Sessions ranked by name once, so the 5M-row sort compares integers.
  std::vector<std::uint32_t> session_rank(store.strings.size(), 0);
  {
    std::vector<std::uint32_t> ids;
    std::vector<bool> seen(store.strings.size(), false);
    for (const auto& a : store.api) {
      if (!seen[a.session]) ids.push_back(a.session);
      seen[a.session] = true;
    }
    for (const auto& u : store.ui) {
      if (!seen[u.session]) ids.push_back(u.session);
      seen[u.session] = true;
    }
    std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return session_name(a) < session_name(b); });
    for (std::uint32_t r = 0; r < ids.size(); ++r) session_rank[ids[r]] = r;
  }
  // Output order: sessions by name, then time and input order. attribute() sorted the calls by
  // session id already; reordering its per-session slices by name is linear.
  std::vector<std::uint32_t> order;
  order.reserve(store.api.size());
  {
    std::vector<std::pair<std::uint32_t, std::pair<std::size_t, std::size_t>>> slices;  // rank, [from, to)
    const auto& sorted = attr.api_sorted;
    for (std::size_t k = 0; k < sorted.size();) {
      std::uint32_t s = store.api[sorted[k]].session;
      std::size_t e = k;
      while (e < sorted.size() && store.api[sorted[e]].session == s) ++e;
      slices.push_back({session_rank[s], {k, e}});
      k = e;
    }
    std::sort(slices.begin(), slices.end());
    for (const auto& [rank, range] : slices) {
      order.insert(order.end(), sorted.begin() + static_cast<std::ptrdiff_t>(range.first),
                   sorted.begin() + static_cast<std::ptrdiff_t>(range.second));
    }
  }
  auto api_id = [&](std::uint32_t i) {
    const ApiCall& a = store.api[i];
    return a.id.empty() ? fmt::format("api-{}", a.order) : std::string(store.text.get(a.id));
  };
  auto ui_id = [&](std::int64_t i) { return store_ui_id(store, i); };

  // Navigations by (session, time) for flows.
  std::vector<std::uint32_t> nav_sorted(store.nav.size());
  std::iota(nav_sorted.begin(), nav_sorted.end(), 0u);
  std::sort(nav_sorted.begin(), nav_sorted.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(store.nav[a].session, store.nav[a].t) < std::tie(store.nav[b].session, store.nav[b].t);
  });
  // Each session's slice of nav_sorted: a search per call looks at its own session's few
  // navigations, not at all of them (millions of calls x a 1M-entry binary search).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> nav_slice(store.strings.size(), {0, 0});
  for (std::uint32_t k = 0; k < nav_sorted.size();) {
    std::uint32_t s = store.nav[nav_sorted[k]].session, e = k;
    while (e < nav_sorted.size() && store.nav[nav_sorted[e]].session == s) ++e;
    nav_slice[s] = {k, e};
    k = e;
  }
  auto navigation_after = [&](const ApiCall& a) -> const NavEvent* {
    std::int64_t from = a.end != kNoTime ? a.end : a.t;
    auto [first, last] = nav_slice[a.session];
    auto begin = nav_sorted.begin() + first, end = nav_sorted.begin() + last;
    auto it = std::lower_bound(begin, end, from, [&](std::uint32_t n, std::int64_t t) { return store.nav[n].t < t; });
    if (it == end) return nullptr;
    const NavEvent& n = store.nav[*it];
    if (n.t - from > options.nav_window_us) return nullptr;
    return &n;
  };

  // Flows and endpoints keyed by interned ids; their labels are built only for the summary.
  using FlowKey = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t, std::int32_t, std::uint32_t>;
  struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const {
      const auto& [a, b, c, d, e, f] = k;
      std::uint64_t h = 0x9e3779b97f4a7c15ull;
      for (std::uint64_t v : {std::uint64_t{a}, std::uint64_t{b}, std::uint64_t{c}, std::uint64_t{d},
                              static_cast<std::uint64_t>(static_cast<std::uint32_t>(e)), std::uint64_t{f}}) {
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
      }
      return static_cast<std::size_t>(h);
    }
  };
  struct EndpointStats {
    std::size_t calls = 0, attributed = 0;
    std::vector<double> latency, delay;
    std::vector<std::vector<double>> parts_latency, parts_delay;  // each thread's values
  };
  // Statistics, flows and truth: sums over the calls, so each thread sums its share and the
  // shares merge (percentiles do not depend on the order of the values).
  struct Tally {
    std::unordered_map<FlowKey, std::size_t, FlowKeyHash> flows;  // one lookup per attributed call
    std::unordered_map<std::uint64_t, EndpointStats> endpoints;
    std::size_t attributed = 0, explicit_links = 0, thread_links = 0, periodic = 0;
    std::size_t caused_total = 0, caused_right = 0, bg_total = 0, bg_right = 0;  // --truth
  };
  const bool truth = !options.truth_field.empty();
  auto tally_call = [&](std::uint32_t i, Tally& t) {
    const ApiCall& a = store.api[i];
    const Link& link = attr.links[i];
    auto& ep = t.endpoints[(static_cast<std::uint64_t>(a.method) << 32) | a.endpoint];
    ++ep.calls;
    if (a.end != kNoTime && a.end >= a.t) ep.latency.push_back(static_cast<double>(a.end - a.t) / 1000.0);
    if (link.reasons & kExplicitId) ++t.explicit_links;
    if (link.reasons & kThread) ++t.thread_links;
    if (link.reasons & kPeriodic) ++t.periodic;
    if (link.ui >= 0) {
      ++t.attributed;
      ++ep.attributed;
      const UiEvent& u = store.ui[static_cast<std::size_t>(link.ui)];
      ep.delay.push_back(static_cast<double>(a.t - u.t) / 1000.0);
      const NavEvent* nav = navigation_after(a);
      t.flows[{u.action, u.element != 0 ? u.element : u.screen, a.method, a.endpoint, a.status,
               nav != nullptr ? nav->to : 0u}]++;
    }
    if (truth) {
      std::string_view want = store.text.get(a.truth);
      if (is_background_truth(want)) {
        ++t.bg_total;
        t.bg_right += link.ui < 0;
      } else {
        ++t.caused_total;
        t.caused_right += link.ui >= 0 && store.text.get(store.ui[static_cast<std::size_t>(link.ui)].id) == want;
      }
    }
  };
  tbb::combinable<Tally> tallies;
  {
    core::TaskEdges edges;
    auto tally_range = [&](const tbb::blocked_range<std::size_t>& r) {
      Tally& t = tallies.local();
      for (std::size_t k = r.begin(); k != r.end(); ++k) tally_call(order[k], t);
    };
    edges.fork();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, order.size(), 1u << 15), core::TaskEdges::body(tally_range));
    edges.joined();
  }
  Tally total;
  tallies.combine_each([&](Tally& t) {
    for (const auto& [key, count] : t.flows) total.flows[key] += count;
    for (auto& [key, e] : t.endpoints) {
      EndpointStats& into = total.endpoints[key];
      into.calls += e.calls;
      into.attributed += e.attributed;
      // the values themselves are joined only for the endpoints listed, on their own core
      into.parts_latency.push_back(std::move(e.latency));
      into.parts_delay.push_back(std::move(e.delay));
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
  const std::size_t attributed = total.attributed, explicit_links = total.explicit_links,
                    thread_links = total.thread_links, periodic = total.periodic;
  const std::size_t caused_total = total.caused_total, caused_right = total.caused_right,
                    bg_total = total.bg_total, bg_right = total.bg_right, linked_right = caused_right;
  auto& flow_counts = total.flows;
  auto& endpoint_stats = total.endpoints;
  std::vector<std::vector<std::uint32_t>> per_ui;  // --group-by ui: each UI event's calls in output order
  if (options.group_by_ui) {
    per_ui.resize(store.ui.size());
    for (std::uint32_t i : order) {
      if (attr.links[i].ui >= 0) per_ui[static_cast<std::size_t>(attr.links[i].ui)].push_back(i);
    }
  }
  std::size_t sessions = 0;  // distinct session ids (interned: a flag per id, not a 6M-insert set)
  {
    std::vector<char> seen(store.strings.size(), 0);
    auto count = [&](std::uint32_t s) {
      sessions += seen[s] == 0;
      seen[s] = 1;
    };
    for (const auto& u : store.ui) count(u.session);
    for (const auto& a : store.api) count(a.session);
  }
  Json summary;
  summary["ui_events"] = store.ui.size();
  summary["api_calls"] = store.api.size();
  summary["navigations"] = store.nav.size();
  summary["sessions"] = sessions;
  summary["attributed"] = attributed;
  summary["background"] = store.api.size() - attributed;
  summary["correlation_rate"] = store.api.empty() ? 0.0 : round3(static_cast<double>(attributed) / static_cast<double>(store.api.size()));
  summary["by_signal"] = {{"explicit_id", explicit_links}, {"thread", thread_links}, {"periodic", periodic},
                          {"delay_model", attributed - explicit_links - thread_links}};
  summary["skipped_records"] = store.skipped;
  summary["delay_model"] = !overlap.model_reason.empty() ? Json(nullptr) : Json{{"window_ms", static_cast<double>(options.window_us) / 1000.0},
                            {"iterations", attr.model.iterations},
                            {"background_calls_per_minute", round3(attr.model.background_per_ms * 60000.0)},
                            {"calls_per_ui_event", round3(attr.model.calls_per_ui)},
                            {"delay_ms", {{"distribution", "lognormal"},
                                          {"mu", round3(attr.model.mu)},
                                          {"sigma", round3(attr.model.sigma)},
                                          {"p50", round3(attr.model.quantile_ms(0.0))},
                                          {"p90", round3(attr.model.quantile_ms(1.2815516))},
                                          {"p99", round3(attr.model.quantile_ms(2.3263479))}}}};
  summary["delay_model_reason"] = overlap.model_reason.empty() ? Json(nullptr) : Json(overlap.model_reason);
  summary["overlap"] = std::move(overlap.summary);
  summary["inputs"] = std::move(overlap.inputs);
  std::vector<std::pair<std::string, EndpointStats*>> eps;
  for (auto& [k, v] : endpoint_stats) {
    eps.emplace_back(store.strings.name(static_cast<std::uint32_t>(k >> 32)) + " " +
                         store.strings.name(static_cast<std::uint32_t>(k & 0xffffffffu)),
                     &v);
  }
  std::sort(eps.begin(), eps.end(), [](const auto& a, const auto& b) {
    return a.second->calls != b.second->calls ? a.second->calls > b.second->calls : a.first < b.first;
  });
  // Percentiles of the listed endpoints, each endpoint on its own core (millions of values).
  const std::size_t listed = std::min<std::size_t>(eps.size(), options.top);
  std::vector<std::array<double, 5>> pct(listed);  // latency p50 p95 p99, delay p50 p95
  {
    core::TaskEdges edges;
    auto percentiles = [&](std::size_t k) {
      auto& s = *eps[k].second;
      for (auto& part : s.parts_latency) s.latency.insert(s.latency.end(), part.begin(), part.end());
      for (auto& part : s.parts_delay) s.delay.insert(s.delay.end(), part.begin(), part.end());
      auto latency = values_at_quantiles(s.latency, std::array<double, 3>{0.5, 0.95, 0.99});
      auto delay = values_at_quantiles(s.delay, std::array<double, 2>{0.5, 0.95});
      pct[k] = {latency[0], latency[1], latency[2], delay[0], delay[1]};
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, listed, core::TaskEdges::body(percentiles));
    edges.joined();
  }
  Json ep_json = Json::array();
  for (std::size_t k = 0; k < listed; ++k) {
    const auto& s = *eps[k].second;
    Json e;
    e["endpoint"] = core::sanitize_utf8(eps[k].first);
    e["calls"] = s.calls;
    e["attributed"] = s.attributed;
    e["latency_ms"] = s.latency.empty() ? Json(nullptr)
                                        : Json{{"p50", round3(pct[k][0])}, {"p95", round3(pct[k][1])}, {"p99", round3(pct[k][2])}};
    e["delay_ms"] = s.delay.empty() ? Json(nullptr) : Json{{"p50", round3(pct[k][3])}, {"p95", round3(pct[k][4])}};
    ep_json.push_back(std::move(e));
  }
  summary["endpoints"] = std::move(ep_json);
  struct Flow {
    std::string ui, api, nav;
    std::int32_t status;
    std::size_t count;
    FlowKey key;  // the last tie-break: labels can coincide
  };
  std::vector<Flow> flow_list;
  for (const auto& [key, count] : flow_counts) {
    const auto& [action, target, method, endpoint, status, nav] = key;
    std::string act = store.strings.name(action).empty() ? "ui" : store.strings.name(action);
    const std::string& tgt = store.strings.name(target);
    flow_list.push_back({tgt.empty() ? act : act + " " + tgt,
                         store.strings.name(method) + " " + store.strings.name(endpoint), store.strings.name(nav), status, count,
                         key});
  }
  std::sort(flow_list.begin(), flow_list.end(), [](const Flow& a, const Flow& b) {
    return a.count != b.count ? a.count > b.count
                              : std::tie(a.ui, a.api, a.status, a.nav, a.key) < std::tie(b.ui, b.api, b.status, b.nav, b.key);
  });
  Json flow_json = Json::array();
  for (std::size_t k = 0; k < flow_list.size() && k < options.top; ++k) {
    const Flow& f = flow_list[k];
    flow_json.push_back({{"ui", core::sanitize_utf8(f.ui)},
                         {"api", core::sanitize_utf8(f.api)},
                         {"status", f.status},
                         {"navigation", f.nav.empty() ? Json(nullptr) : Json(core::sanitize_utf8(f.nav))},
                         {"outcome", f.status >= 400 || f.status == 0 ? "error" : "success"},
                         {"count", f.count}});
  }
  summary["flows"] = std::move(flow_json);
  if (truth) {
    auto ratio = [](std::size_t a, std::size_t b) { return b == 0 ? Json(nullptr) : Json(round3(static_cast<double>(a) / static_cast<double>(b))); };
    summary["truth"] = {{"field", options.truth_field},
                        {"caused", {{"total", caused_total}, {"correct", caused_right}, {"accuracy", ratio(caused_right, caused_total)}}},
                        {"background", {{"total", bg_total}, {"correct", bg_right}, {"accuracy", ratio(bg_right, bg_total)}}},
                        {"accuracy", ratio(caused_right + bg_right, caused_total + bg_total)},
                        {"precision", ratio(linked_right, attributed)},
                        {"recall", ratio(caused_right, caused_total)}};
  }
  summary["duration_ms"] = core::elapsed_ms(started);
  phase("statistics");
  out.early_summary(summary);
  // Result records as JSON text, formatted in parallel blocks and handed over in order.
  if (!options.group_by_ui) {
    const bool serialise = !out.needs_structure();
    auto integer = [](std::string& r, std::int64_t v) {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
      r.append(buf, end);
    };
    // Reason lists as JSON text, one per combination of reason bits.
    std::vector<std::string> reason_text(1u << 9);
    static_assert(kSession < (1u << 9));
    for (std::uint32_t bits = 0; bits < reason_text.size(); ++bits) {
      std::string& t = reason_text[bits];
      t = "[";
      for (const char* n : reason_names(bits)) {
        if (t.size() > 1) t += ',';
        t += '"';
        t += n;
        t += '"';
      }
      t += ']';
    }
    // Interned names (sessions, methods, URL templates) as JSON strings, escaped once.
    std::vector<std::string> quoted(store.strings.size());
    for (std::uint32_t id = 0; id < quoted.size(); ++id) core::append_json_string(quoted[id], store.strings.name(id));
    // Appends one result's JSON text to `r`.
    auto format = [&](std::uint32_t i, std::string& r) {
      const ApiCall& a = store.api[i];
      const Link& link = attr.links[i];
      r += std::string_view("{\"api_id\":");
      if (a.id.empty()) {
        core::append_json_string(r, api_id(i));
      } else {
        core::append_json_string(r, store.text.get(a.id));
      }
      r += std::string_view(",\"ui_id\":");
      if (link.ui < 0) {
        r += std::string_view("null");
      } else if (const UiEvent& u = store.ui[static_cast<std::size_t>(link.ui)]; !u.id.empty()) {
        core::append_json_string(r, store.text.get(u.id));
      } else {
        core::append_json_string(r, store_ui_id(store, link.ui));
      }
      r += std::string_view(",\"session\":");
      r += quoted[a.session];
      r += std::string_view(",\"confidence\":");
      append_round3(r, link.confidence);
      r += std::string_view(",\"delta_ms\":");
      if (link.ui >= 0) {
        append_round3(r, static_cast<double>(a.t - store.ui[static_cast<std::size_t>(link.ui)].t) / 1000.0);
      } else {
        r += std::string_view("null");
      }
      r += std::string_view(",\"method\":");
      r += quoted[a.method];
      r += std::string_view(",\"url_template\":");
      r += quoted[a.endpoint];
      r += std::string_view(",\"status\":");
      integer(r, a.status);
      r += std::string_view(",\"reasons\":");
      r += reason_text[link.reasons];
      if (truth) {
        r += std::string_view(",\"truth\":");
        core::append_json_string(r, store.text.get(a.truth));
      }
      r += '}';
    };
    // Blocks of results are formatted on all cores (a batch of them at a time) while the previous
    // batch is written. JSON and NDJSON take each block as one framed text (one write per block);
    // the other formats get each result's text parsed back.
    constexpr std::size_t kBlock = 1u << 14;
    const std::size_t n_blocks = (order.size() + kBlock - 1) / kBlock;
    const std::size_t batch = 4 * static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
    const core::Output::Framing framing = serialise ? out.framing() : core::Output::Framing{};
    struct Block {
      std::string text;
      std::vector<std::size_t> ends;  // end of each result's text (only when parsed back)
    };
    auto format_batch = [&](std::size_t first_block, std::vector<Block>& blocks) {
      std::size_t last_block = std::min(n_blocks, first_block + batch);
      blocks.resize(last_block - first_block);
      core::TaskEdges edges;
      auto format_block = [&](std::size_t blk) {
        Block& b = blocks[blk - first_block];
        b.text.clear();
        b.ends.clear();
        std::size_t from = blk * kBlock, to = std::min(order.size(), from + kBlock);
        for (std::size_t k = from; k < to; ++k) {
          b.text += framing.prefix;
          format(order[k], b.text);
          b.text += framing.suffix;
          if (!serialise) b.ends.push_back(b.text.size());
        }
      };
      edges.fork();
      tbb::parallel_for(first_block, last_block, core::TaskEdges::body(format_block));
      edges.joined();
    };
    std::vector<Block> current, next;
    if (n_blocks > 0) format_batch(0, current);
    for (std::size_t first = 0; first < n_blocks; first += batch) {
      tbb::task_group tg;
      core::TaskEdges ahead;
      auto format_ahead = [&, first] { format_batch(first + batch, next); };
      ahead.fork();
      if (first + batch < n_blocks) tg.run(core::TaskEdges::body(format_ahead));
      for (std::size_t blk = 0; blk < current.size(); ++blk) {
        const Block& b = current[blk];
        std::size_t count = std::min(order.size(), (first + blk + 1) * kBlock) - (first + blk) * kBlock;
        if (serialise) {
          out.results_framed(b.text, count);
          continue;
        }
        std::string_view t = b.text;
        std::size_t prev = 0;
        for (std::size_t end : b.ends) {
          out.result(Json::parse(t.substr(prev, end - prev)));
          prev = end;
        }
      }
      tg.wait();
      ahead.joined();
      std::swap(current, next);
    }
  }
  if (options.group_by_ui) {
    std::vector<std::uint32_t> ui_order(store.ui.size());
    std::iota(ui_order.begin(), ui_order.end(), 0u);
    std::sort(ui_order.begin(), ui_order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const UiEvent& x = store.ui[a];
      const UiEvent& y = store.ui[b];
      return std::tie(session_rank[x.session], x.t, x.order) < std::tie(session_rank[y.session], y.t, y.order);
    });
    for (std::uint32_t u : ui_order) {
      const UiEvent& e = store.ui[u];
      Json r;
      r["ui_id"] = core::sanitize_utf8(ui_id(u));
      r["session"] = core::sanitize_utf8(session_name(e.session));
      r["time"] = core::format_rfc3339_ms(e.t);
      r["ui"] = core::sanitize_utf8(ui_label(store, e));
      r["screen"] = core::sanitize_utf8(store.strings.name(e.screen));
      Json calls = Json::array();
      for (std::uint32_t i : per_ui[u]) {
        const ApiCall& a = store.api[i];
        calls.push_back({{"api_id", core::sanitize_utf8(api_id(i))},
                         {"method", store.strings.name(a.method)},
                         {"url_template", core::sanitize_utf8(store.strings.name(a.endpoint))},
                         {"status", a.status},
                         {"delta_ms", round3(static_cast<double>(a.t - e.t) / 1000.0)},
                         {"confidence", round3(attr.links[i].confidence)}});
      }
      r["api_calls"] = std::move(calls);
      out.result(r);
    }
  }

  phase("results");
  result.diagnostics = std::move(store.diagnostics);
  result.diagnostics.insert(result.diagnostics.end(), overlap.diagnostics.begin(), overlap.diagnostics.end());
  if (store.skipped > 1000) {
    result.diagnostics.push_back({"", 0, 0, core::Severity::kError,
                                  fmt::format("{} malformed records skipped in all (the first 1000 per chunk are listed)", store.skipped)});
  }
  core::sort_diagnostics(result.diagnostics);
  out.finish(summary, result.diagnostics);
  return result;
}

}  // namespace obscore::correlate
