// `obscore correlate`: flags -> correlate::Options, then one call into libs/correlate.
#include <limits>

#include <fmt/format.h>

#include "commands/commands.hpp"
#include "obscore/correlate/correlate.hpp"

namespace obscore::app {

namespace {

std::int64_t duration_flag(const std::string& flag, const std::string& value) {
  auto us = correlate::parse_duration_us(value);
  if (!us) {
    throw core::Error(core::ErrorKind::kUsage,
                      fmt::format("{}: '{}' is not a duration (e.g. 5s, 250ms, 1.5s)", flag, value));
  }
  return *us;
}

}  // namespace

Runner setup_correlate(CLI::App& sub) {
  struct Flags {
    std::vector<std::string> ui, api, nav, events, maps;
    std::string window = "5s", nav_window = "3s", ui_offset = "0", time_unit = "auto", group_by = "api";
    correlate::Options opt;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("--ui", f->ui, "UI events (NDJSON or JSON array; - for stdin)")->allow_extra_args(false);
  sub.add_option("--api", f->api, "API calls (NDJSON, JSON array or HAR 1.2)")->allow_extra_args(false);
  sub.add_option("--nav", f->nav, "navigation events")->allow_extra_args(false);
  sub.add_option("--events", f->events, "mixed events with a type field (ui, network, navigation)")
      ->allow_extra_args(false);
  sub.add_option("--window", f->window, "longest delay from a UI event to a call it caused (default 5s)");
  sub.add_option("--nav-window", f->nav_window, "navigation after a response that completes a flow (default 3s)");
  sub.add_option("--ui-offset", f->ui_offset, "add this to UI times (clock skew between recorders; e.g. -120ms)");
  sub.add_option("--map", f->maps, "KEY=FIELD: read KEY (id, session, time, end, thread, correlation, screen, "
                                   "action, element, method, url, status, ...) from FIELD")
      ->allow_extra_args(false);
  sub.add_option("--time-unit", f->time_unit, "unit of numeric times: auto|s|ms|us|ns (default auto, per file)")
      ->check(CLI::IsMember({"auto", "s", "ms", "us", "ns"}));
  sub.add_option("--truth", f->opt.truth_field, "API field holding the true cause id: report accuracy");
  sub.add_option("--group-by", f->group_by, "results per api call (default) or per ui event")
      ->check(CLI::IsMember({"api", "ui"}));
  sub.add_option("--top", f->opt.top, "flows and endpoints listed in the summary (default 20)")
      ->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_flag("--strict", f->opt.strict, "stop at the first malformed record");

  return [f](const Globals& g) {
    correlate::Options& o = f->opt;
    for (const auto& p : f->ui) o.inputs.push_back({p, correlate::Role::kUi});
    for (const auto& p : f->api) o.inputs.push_back({p, correlate::Role::kApi});
    for (const auto& p : f->nav) o.inputs.push_back({p, correlate::Role::kNav});
    for (const auto& p : f->events) o.inputs.push_back({p, correlate::Role::kMixed});
    if (f->events.empty() && (f->ui.empty() || f->api.empty())) {
      throw core::Error(core::ErrorKind::kUsage, "give --ui FILE and --api FILE (and optionally --nav), or --events FILE");
    }
    std::size_t stdin_count = 0;
    for (const auto& in : o.inputs) stdin_count += in.path == "-";
    if (stdin_count > 1) throw core::Error(core::ErrorKind::kUsage, "only one input can be - (stdin)");
    for (const auto& m : f->maps) {
      auto eq = m.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == m.size()) {
        throw core::Error(core::ErrorKind::kUsage, fmt::format("--map: expected KEY=FIELD, got '{}'", m));
      }
      o.field_map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    o.window_us = duration_flag("--window", f->window);
    o.nav_window_us = duration_flag("--nav-window", f->nav_window);
    std::string off = f->ui_offset;
    bool negative = !off.empty() && off[0] == '-';
    o.ui_offset_us = duration_flag("--ui-offset", negative ? off.substr(1) : off) * (negative ? -1 : 1);
    o.time_unit = *correlate::parse_time_unit(f->time_unit);
    o.group_by_ui = f->group_by == "ui";
    core::Output out(g.output_options("correlate"), correlate::make_view(o));
    return finish(g, correlate::run(o, out));
  };
}

}  // namespace obscore::app
