// The `correlate` run: read, attribute, then results (per API call, or per UI event with
// --group-by ui), flows, per-endpoint statistics, the learned delay model and, with --truth,
// accuracy against the recorded causes.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "attribute.hpp"
#include "model.hpp"
#include "obscore/core/error.hpp"

namespace obscore::correlate {

namespace {

using core::Json;

std::string rfc3339(std::int64_t us) {
  std::int64_t secs = us >= 0 ? us / 1'000'000 : -((-us + 999'999) / 1'000'000);
  std::int64_t frac = us - secs * 1'000'000;
  std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  std::int64_t rem = secs - days * 86400;
  // civil_from_days
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto doe = static_cast<unsigned>(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rem / 3600, rem % 3600 / 60,
                     rem % 60, frac / 1000);
}

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  std::size_t k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

Json reasons_json(std::uint32_t r) {
  Json a = Json::array();
  for (const char* n : reason_names(r)) a.push_back(n);
  return a;
}

std::string ui_label(const Store& s, const UiEvent& u) {
  std::string action = s.strings.name(u.action);
  std::string target = s.strings.name(u.element);
  if (target.empty()) target = s.strings.name(u.screen);
  if (action.empty()) action = "ui";
  return target.empty() ? action : action + " " + target;
}

bool is_background_truth(std::string_view t) {
  return t.empty() || t == "background" || t == "null" || t == "none" || t == "-";
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
  return v;
}

RunResult run(const Options& options, core::Output& out) {
  auto started = std::chrono::steady_clock::now();
  RunResult result;
  if (options.inputs.empty()) throw core::Error(core::ErrorKind::kUsage, "no inputs: give --ui and --api, or --events");
  if (options.window_us <= 0) throw core::Error(core::ErrorKind::kUsage, "--window must be positive");
  Store store;
  read_inputs(options, store);
  Attribution attr = attribute(store, options);

  // Results in a stable order: session name, time, input order.
  auto session_name = [&](std::uint32_t s) -> const std::string& { return store.strings.name(s); };
  std::vector<std::uint32_t> order(store.api.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const ApiCall& x = store.api[a];
    const ApiCall& y = store.api[b];
    int c = session_name(x.session).compare(session_name(y.session));
    if (c != 0) return c < 0;
    return std::tie(x.t, x.order) < std::tie(y.t, y.order);
  });
  auto api_id = [&](std::uint32_t i) {
    const ApiCall& a = store.api[i];
    return a.id.empty() ? fmt::format("api-{}", a.order) : std::string(store.text.get(a.id));
  };
  auto ui_id = [&](std::int64_t i) {
    const UiEvent& u = store.ui[static_cast<std::size_t>(i)];
    return u.id.empty() ? fmt::format("ui-{}", u.order) : std::string(store.text.get(u.id));
  };

  // Navigations by (session, time) for flows.
  std::vector<std::uint32_t> nav_sorted(store.nav.size());
  std::iota(nav_sorted.begin(), nav_sorted.end(), 0u);
  std::sort(nav_sorted.begin(), nav_sorted.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(store.nav[a].session, store.nav[a].t) < std::tie(store.nav[b].session, store.nav[b].t);
  });
  auto navigation_after = [&](const ApiCall& a) -> const NavEvent* {
    std::int64_t from = a.end != kNoTime ? a.end : a.t;
    auto it = std::lower_bound(nav_sorted.begin(), nav_sorted.end(), std::pair(a.session, from),
                               [&](std::uint32_t n, const std::pair<std::uint32_t, std::int64_t>& key) {
                                 return std::tie(store.nav[n].session, store.nav[n].t) < std::tie(key.first, key.second);
                               });
    if (it == nav_sorted.end()) return nullptr;
    const NavEvent& n = store.nav[*it];
    if (n.session != a.session || n.t - from > options.nav_window_us) return nullptr;
    return &n;
  };

  struct FlowKey {
    std::string ui, api;
    int status;
    std::string nav;
    bool operator<(const FlowKey& o) const { return std::tie(ui, api, status, nav) < std::tie(o.ui, o.api, o.status, o.nav); }
  };
  std::map<FlowKey, std::size_t> flows;
  struct EndpointStats {
    std::size_t calls = 0, attributed = 0;
    std::vector<double> latency, delay;
  };
  std::map<std::string, EndpointStats> endpoints;
  std::size_t attributed = 0, explicit_links = 0, thread_links = 0, periodic = 0;
  // --truth
  std::size_t caused_total = 0, caused_right = 0, bg_total = 0, bg_right = 0, linked_right = 0;
  const bool truth = !options.truth_field.empty();

  std::vector<std::vector<std::uint32_t>> per_ui;
  if (options.group_by_ui) per_ui.resize(store.ui.size());
  const bool serialise = !out.needs_structure();
  for (std::uint32_t i : order) {
    const ApiCall& a = store.api[i];
    const Link& link = attr.links[i];
    std::string method = store.strings.name(a.method);
    const std::string& tmpl = store.strings.name(a.endpoint);
    auto& ep = endpoints[method + " " + tmpl];
    ++ep.calls;
    if (a.end != kNoTime && a.end >= a.t) ep.latency.push_back(static_cast<double>(a.end - a.t) / 1000.0);
    if (link.reasons & kExplicitId) ++explicit_links;
    if (link.reasons & kThread) ++thread_links;
    if (link.reasons & kPeriodic) ++periodic;
    Json r;
    r["api_id"] = core::sanitize_utf8(api_id(i));
    std::optional<double> delta;
    if (link.ui >= 0) {
      ++attributed;
      ++ep.attributed;
      const UiEvent& u = store.ui[static_cast<std::size_t>(link.ui)];
      delta = static_cast<double>(a.t - u.t) / 1000.0;
      ep.delay.push_back(*delta);
      const NavEvent* nav = navigation_after(a);
      flows[{ui_label(store, u), method + " " + tmpl, a.status, nav != nullptr ? store.strings.name(nav->to) : std::string()}]++;
      if (options.group_by_ui) per_ui[static_cast<std::size_t>(link.ui)].push_back(i);
    }
    if (truth) {
      std::string_view t = store.text.get(a.truth);
      bool bg = is_background_truth(t);
      if (bg) {
        ++bg_total;
        bg_right += link.ui < 0;
      } else {
        ++caused_total;
        if (link.ui >= 0 && ui_id(link.ui) == t) {
          ++caused_right;
          ++linked_right;
        }
      }
    }
    if (options.group_by_ui) continue;
    r["ui_id"] = link.ui >= 0 ? Json(core::sanitize_utf8(ui_id(link.ui))) : Json(nullptr);
    r["session"] = core::sanitize_utf8(session_name(a.session));
    r["time"] = rfc3339(a.t);
    r["confidence"] = round3(link.confidence);
    r["delta_ms"] = delta ? Json(round3(*delta)) : Json(nullptr);
    r["method"] = method;
    r["url_template"] = core::sanitize_utf8(tmpl);
    r["status"] = a.status;
    r["reasons"] = reasons_json(link.reasons);
    if (truth) r["truth"] = core::sanitize_utf8(store.text.get(a.truth));
    if (serialise) {
      out.result_text(r.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace));
    } else {
      out.result(r);
    }
  }
  if (options.group_by_ui) {
    std::vector<std::uint32_t> ui_order(store.ui.size());
    std::iota(ui_order.begin(), ui_order.end(), 0u);
    std::sort(ui_order.begin(), ui_order.end(), [&](std::uint32_t a, std::uint32_t b) {
      int c = session_name(store.ui[a].session).compare(session_name(store.ui[b].session));
      if (c != 0) return c < 0;
      return std::tie(store.ui[a].t, store.ui[a].order) < std::tie(store.ui[b].t, store.ui[b].order);
    });
    for (std::uint32_t u : ui_order) {
      const UiEvent& e = store.ui[u];
      Json r;
      r["ui_id"] = core::sanitize_utf8(ui_id(u));
      r["session"] = core::sanitize_utf8(session_name(e.session));
      r["time"] = rfc3339(e.t);
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

  std::set<std::uint32_t> sessions;
  for (const auto& u : store.ui) sessions.insert(u.session);
  for (const auto& a : store.api) sessions.insert(a.session);
  Json summary;
  summary["ui_events"] = store.ui.size();
  summary["api_calls"] = store.api.size();
  summary["navigations"] = store.nav.size();
  summary["sessions"] = sessions.size();
  summary["attributed"] = attributed;
  summary["background"] = store.api.size() - attributed;
  summary["correlation_rate"] = store.api.empty() ? 0.0 : round3(static_cast<double>(attributed) / static_cast<double>(store.api.size()));
  summary["by_signal"] = {{"explicit_id", explicit_links}, {"thread", thread_links}, {"periodic", periodic},
                          {"delay_model", attributed - explicit_links - thread_links}};
  summary["skipped_records"] = store.skipped;
  summary["delay_model"] = {{"window_ms", static_cast<double>(options.window_us) / 1000.0},
                            {"iterations", attr.model.iterations},
                            {"background_calls_per_minute", round3(attr.model.background_per_ms * 60000.0)},
                            {"calls_per_ui_event", round3(attr.model.calls_per_ui)},
                            {"delay_ms", {{"distribution", "lognormal"},
                                          {"mu", round3(attr.model.mu)},
                                          {"sigma", round3(attr.model.sigma)},
                                          {"p50", round3(attr.model.quantile_ms(0.0))},
                                          {"p90", round3(attr.model.quantile_ms(1.2815516))},
                                          {"p99", round3(attr.model.quantile_ms(2.3263479))}}}};
  std::vector<std::pair<std::string, EndpointStats*>> eps;
  for (auto& [k, v] : endpoints) eps.emplace_back(k, &v);
  std::stable_sort(eps.begin(), eps.end(), [](const auto& a, const auto& b) { return a.second->calls > b.second->calls; });
  Json ep_json = Json::array();
  for (std::size_t k = 0; k < eps.size() && k < options.top; ++k) {
    auto& s = *eps[k].second;
    Json e;
    e["endpoint"] = core::sanitize_utf8(eps[k].first);
    e["calls"] = s.calls;
    e["attributed"] = s.attributed;
    e["latency_ms"] = s.latency.empty() ? Json(nullptr)
                                        : Json{{"p50", round3(percentile(s.latency, 0.5))},
                                               {"p95", round3(percentile(s.latency, 0.95))},
                                               {"p99", round3(percentile(s.latency, 0.99))}};
    e["delay_ms"] = s.delay.empty() ? Json(nullptr)
                                    : Json{{"p50", round3(percentile(s.delay, 0.5))}, {"p95", round3(percentile(s.delay, 0.95))}};
    ep_json.push_back(std::move(e));
  }
  summary["endpoints"] = std::move(ep_json);
  std::vector<std::pair<FlowKey, std::size_t>> flow_list(flows.begin(), flows.end());
  std::stable_sort(flow_list.begin(), flow_list.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  Json flow_json = Json::array();
  for (std::size_t k = 0; k < flow_list.size() && k < options.top; ++k) {
    const auto& [key, count] = flow_list[k];
    flow_json.push_back({{"ui", core::sanitize_utf8(key.ui)},
                         {"api", core::sanitize_utf8(key.api)},
                         {"status", key.status},
                         {"navigation", key.nav.empty() ? Json(nullptr) : Json(core::sanitize_utf8(key.nav))},
                         {"outcome", key.status >= 400 || key.status == 0 ? "error" : "success"},
                         {"count", count}});
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
  summary["duration_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  result.diagnostics = std::move(store.diagnostics);
  if (store.skipped > 1000) {
    result.diagnostics.push_back({"", 0, 0, core::Severity::kError,
                                  fmt::format("{} malformed records skipped in all (the first 1000 per chunk are listed)", store.skipped)});
  }
  core::sort_diagnostics(result.diagnostics);
  out.finish(summary, result.diagnostics);
  return result;
}

}  // namespace obscore::correlate
