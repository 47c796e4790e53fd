// The `correlate` run as a list of phases: read, attribute, check that the inputs line up, order
// the results, sum the calls (endpoints, flows, signals, truth), build the summary, write the
// results (per API call, or per UI event with --group-by ui). The phases live in read.cpp,
// attribute.cpp, overlap.cpp, statistics.cpp and results.cpp; here also the report formats' view.
#include <algorithm>
#include <chrono>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "attribute.hpp"
#include "model.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/run.hpp"
#include "overlap.hpp"
#include "results.hpp"
#include "statistics.hpp"

namespace obscore::correlate {

namespace {

using core::Json;

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

namespace {

// Options that make no run at all.
void check_options(const Options& options) {
  if (options.inputs.empty())
    throw core::Error(core::ErrorKind::kUsage, "no inputs: give --ui and --api, or --events");
  if (options.window_us <= 0)
    throw core::Error(core::ErrorKind::kUsage, "--window must be positive");
}

// -vv: how long each phase took.
class PhaseClock {
 public:
  PhaseClock() : last_(std::chrono::steady_clock::now()) {}
  void done(const char* name) {
    auto now = std::chrono::steady_clock::now();
    spdlog::debug("correlate: {} {} ms", name,
                  std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_;
};

// The readers' and the overlap checks' diagnostics, with a count of the skipped records when only
// the first ones were listed, in the order of core::sort_diagnostics.
std::vector<core::Diagnostic> run_diagnostics(Store& store, OverlapCheck& overlap) {
  std::vector<core::Diagnostic> all = std::move(store.diagnostics);
  all.insert(all.end(), overlap.diagnostics.begin(), overlap.diagnostics.end());
  if (store.skipped > 1000) {
    all.push_back(
        {"", 0, 0, core::Severity::kError,
         fmt::format("{} malformed records skipped in all (the first 1000 per chunk are listed)",
                     store.skipped)});
  }
  core::sort_diagnostics(all);
  return all;
}

}  // namespace

// The run, phase by phase; `-vv` logs each phase's time.
RunResult run(const Options& options, core::Output& out) {
  const auto started = std::chrono::steady_clock::now();
  PhaseClock clock;
  check_options(options);

  // Read every input: records with their strings interned, per-record problems as diagnostics.
  Store store;
  read_inputs(options, store);
  clock.done("read");

  // Attribute: a link (a UI event, or background) and its reasons for every call.
  Attribution attr = attribute(store, options);
  clock.done("attribute");

  // Check that the inputs line up (sessions, clocks, windows, ids).
  OverlapCheck overlap = check_overlap(store, attr, options);
  clock.done("overlap");

  // Statistics: the output order (sessions by name, then time), the sums over the calls
  // (endpoints, flows, signals, truth) and the summary built from them.
  const std::vector<std::uint32_t> ranks = session_ranks(store);
  const std::vector<std::uint32_t> order = output_order(store, attr.api_sorted, ranks);
  const NavIndex navigations(store);
  Tally tally = tally_calls(store, attr, navigations, options);
  Json summary = build_summary(store, attr, overlap, tally, options);
  summary["duration_ms"] = core::elapsed_ms(started);
  clock.done("statistics");

  // Results: the summary first (JSON then streams its results), one record per call or per UI
  // event.
  out.early_summary(summary);
  if (options.group_by_ui) {
    write_ui_results(store, attr, order, ranks, out);
  } else {
    write_call_results(store, attr, order, options, out);
  }
  clock.done("results");

  // Diagnostics and the end of the output.
  RunResult result;
  result.diagnostics = run_diagnostics(store, overlap);
  out.finish(summary, result.diagnostics);
  return result;
}

}  // namespace obscore::correlate
