// Do the inputs line up? Per session (interned id): the UI events' and the calls' time ranges,
// the calls that had a UI event of their session within --window (from the attribution's
// reasons), summed per thread over the records and merged. Then, in order: session ids on one
// side only, no shared session, sessions on one side only, time ranges that do not intersect
// (with the likely cause: epoch units, non-epoch times, a time-zone or clock offset), sessions
// without a call in the window, explicit ids that never meet. One diagnostic per kind found.
#include "overlap.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include "obscore/core/tsan.hpp"

namespace obscore::correlate {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kEpoch2000Us = 946'684'800'000'000;  // 2000-01-01T00:00:00Z

struct Range {
  std::uint64_t n = 0;
  std::int64_t lo = kMax, hi = kMin;
  void add(std::int64_t t) {
    ++n;
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  void add(const Range& r) {
    n += r.n;
    lo = std::min(lo, r.lo);
    hi = std::max(hi, r.hi);
  }
  std::int64_t mid() const { return lo / 2 + hi / 2; }
};

struct SessionAcc {
  Range ui, api;
  std::uint64_t in_window = 0;  // calls that had a UI event of the session within the window
  std::uint64_t periodic = 0;   // polling: decided before the window was looked at
};

struct Totals {
  std::vector<SessionAcc> sessions;
  std::uint64_t api_with_ids = 0, explicit_links = 0, ui_with_corr = 0;
};

std::string time_text(std::int64_t us) {
  auto secs = static_cast<std::time_t>(us >= 0 ? us / 1'000'000 : -((-us + 999'999) / 1'000'000));
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) return fmt::format("{} us", us);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

// "250 ms", "7.2 s", "3 min", "1 h", "2.5 h" (magnitude only).
std::string span_text(std::int64_t us) {
  double a = std::fabs(static_cast<double>(us));
  if (a < 1e6) return fmt::format("{:.0f} ms", a / 1e3);
  if (a < 120e6) return fmt::format("{:.3g} s", a / 1e6);
  if (a < 7200e6) return fmt::format("{:.3g} min", a / 60e6);
  if (a < 3 * 86400e6) return fmt::format("{:.3g} h", a / 3600e6);
  return fmt::format("{:.4g} days", a / 86400e6);
}

// A value for --ui-offset: seconds with up to 3 decimals ("3600s", "-7.25s").
std::string offset_flag(std::int64_t us) {
  std::string s = fmt::format("{:.3f}", static_cast<double>(us) / 1e6);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "s";
}

const char* unit_word(TimeUnit u) {
  switch (u) {
    case TimeUnit::kSeconds: return "seconds";
    case TimeUnit::kMillis: return "milliseconds";
    case TimeUnit::kMicros: return "microseconds";
    case TimeUnit::kNanos: return "nanoseconds";
    case TimeUnit::kAuto: break;
  }
  return "";
}

std::string count_of(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string quoted_names(const Store& store, const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (std::size_t k = 0; k < ids.size() && k < 3; ++k) {
    std::string name = core::sanitize_utf8(store.strings.name(ids[k]).substr(0, 40));
    out += fmt::format("{}'{}'", k == 0 ? "" : ", ", name);
  }
  if (ids.size() > 3) out += fmt::format(" and {} more", ids.size() - 3);
  return out;
}

// The inputs of one role, named for a message ("api.har", "a.ndjson and 2 more").
std::string files_of(const Store& store, Role role) {
  std::vector<const Store::InputInfo*> files;
  for (const auto& in : store.inputs) {
    if ((role == Role::kUi && in.ui > 0) || (role == Role::kApi && in.api > 0)) files.push_back(&in);
  }
  if (files.empty()) return role == Role::kUi ? "the UI events" : "the API calls";
  std::string out = files.front()->path == "-" ? "stdin" : files.front()->path;
  if (files.size() > 1) out += fmt::format(" and {} more", files.size() - 1);
  return out;
}

// Why two time ranges do not meet, as a phrase; `offset` = API minus UI times (a median).
std::string time_cause(const Store& store, TimeUnit forced, std::int64_t ui_offset, const Range& ui, const Range& api,
                       std::int64_t offset) {
  const std::int64_t um = ui.mid(), am = api.mid();
  if (um > 0 && am > 0) {
    const double ratio = static_cast<double>(std::max(um, am)) / static_cast<double>(std::min(um, am));
    for (double k : {1e3, 1e6, 1e9}) {
      // Scaled by k, the smaller side's times land on the other's (within a day of clock or
      // zone difference): numbers in another unit, not merely another origin.
      const double scaled = static_cast<double>(std::min(um, am)) * k;
      if (ratio > k / 4 && ratio < k * 4 && std::fabs(scaled - static_cast<double>(std::max(um, am))) < 86400e6) {
        std::string units;
        for (const auto& in : store.inputs) {
          if (in.unit == TimeUnit::kAuto || (in.ui == 0 && in.api == 0)) continue;
          units += fmt::format("{}{} read as {}", units.empty() ? "" : ", ", in.path, unit_word(in.unit));
        }
        return fmt::format("the {} times are about {:.0f} times the {} times: their epoch numbers are in different "
                           "units ({}); {}",
                           um > am ? "UI" : "API", k, um > am ? "API" : "UI", units,
                           forced != TimeUnit::kAuto
                               ? fmt::format("--time-unit {} applies to every input: without it each file's unit is "
                                             "detected from its numbers", unit_word(forced))
                               : std::string("a file's numbers are not in the unit their magnitude suggests: convert "
                                             "them to one unit"));
      }
    }
  }
  const bool ui_epoch = ui.lo >= kEpoch2000Us, api_epoch = api.lo >= kEpoch2000Us;
  if (ui_epoch != api_epoch) {
    const Range& rel = ui_epoch ? api : ui;
    return fmt::format("the {} times begin at {}: not epoch times but times since the start of a recording? "
                       "(the other side's begin at {})",
                       ui_epoch ? "API" : "UI", time_text(rel.lo), time_text(ui_epoch ? ui.lo : api.lo));
  }
  constexpr std::int64_t kQuarterHour = 900'000'000;
  const std::int64_t a = offset < 0 ? -offset : offset;
  const std::int64_t off_grid = std::min(a % kQuarterHour, kQuarterHour - a % kQuarterHour);
  if (a >= kQuarterHour && a <= 26 * 3600'000'000LL && off_grid <= 120'000'000) {
    const std::int64_t zone = (a + kQuarterHour / 2) / kQuarterHour * kQuarterHour * (offset < 0 ? -1 : 1);
    return fmt::format("the API times are {} {} than the UI times, close to a whole quarter hour: a time-zone "
                       "offset (local times written without a UTC offset?); try --ui-offset {}",
                       span_text(offset), offset > 0 ? "later" : "earlier", offset_flag(ui_offset + zone));
  }
  return fmt::format("the API times are {} {} than the UI times: the two recorders' clocks differ, or the files "
                     "are from different runs; try --ui-offset {} if the clocks differ",
                     span_text(offset), offset > 0 ? "later" : "earlier", offset_flag(ui_offset + offset));
}

}  // namespace

OverlapCheck check_overlap(const Store& store, const Attribution& attr, const Options& options) {
  OverlapCheck out;
  const std::size_t n_strings = store.strings.size();
  // 1. Per-session counters, summed per thread.
  auto fresh = [n_strings] { return Totals{std::vector<SessionAcc>(n_strings), 0, 0, 0}; };
  tbb::combinable<Totals> parts(fresh);
  {
    core::TaskEdges edges;
    auto calls = [&](const tbb::blocked_range<std::size_t>& r) {
      Totals& t = parts.local();
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const ApiCall& a = store.api[i];
        const Link& link = attr.links[i];
        SessionAcc& s = t.sessions[a.session];
        s.api.add(a.t);
        s.in_window += link.ui >= 0 || (link.reasons & kBackgroundRate) != 0;
        s.periodic += (link.reasons & kPeriodic) != 0;
        t.api_with_ids += !a.corr.empty() || !a.initiator.empty();
        t.explicit_links += (link.reasons & kExplicitId) != 0;
      }
    };
    auto events = [&](const tbb::blocked_range<std::size_t>& r) {
      Totals& t = parts.local();
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const UiEvent& u = store.ui[i];
        t.sessions[u.session].ui.add(u.t);
        t.ui_with_corr += !u.corr.empty();
      }
    };
    edges.fork();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, store.api.size(), 1u << 16), core::TaskEdges::body(calls));
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, store.ui.size(), 1u << 16), core::TaskEdges::body(events));
    edges.joined();
  }
  Totals total = fresh();
  parts.combine_each([&](const Totals& t) {
    for (std::size_t s = 0; s < n_strings; ++s) {
      const SessionAcc& from = t.sessions[s];
      if (from.ui.n == 0 && from.api.n == 0) continue;
      SessionAcc& into = total.sessions[s];
      into.ui.add(from.ui);
      into.api.add(from.api);
      into.in_window += from.in_window;
      into.periodic += from.periodic;
    }
    total.api_with_ids += t.api_with_ids;
    total.explicit_links += t.explicit_links;
    total.ui_with_corr += t.ui_with_corr;
  });

  // 2. Sessions on each side, shared sessions' ranges and windows.
  std::vector<std::uint32_t> ui_only, api_only, disjoint, no_window;
  std::vector<std::int64_t> offsets;  // per shared session: first call minus first UI event
  std::size_t ui_sessions = 0, api_sessions = 0, shared = 0;
  std::uint64_t calls_ui_only = 0, calls_in_window = 0, calls_no_window = 0, calls_disjoint = 0;
  Range ui_all, api_all, ui_shared, api_shared;
  for (std::uint32_t s = 0; s < n_strings; ++s) {
    const SessionAcc& acc = total.sessions[s];
    ui_sessions += acc.ui.n > 0;
    api_sessions += acc.api.n > 0;
    ui_all.add(acc.ui);
    api_all.add(acc.api);
    calls_in_window += acc.in_window;
    if (acc.ui.n > 0 && acc.api.n == 0) ui_only.push_back(s);
    if (acc.api.n > 0 && acc.ui.n == 0) {
      api_only.push_back(s);
      calls_ui_only += acc.api.n;
    }
    if (acc.ui.n == 0 || acc.api.n == 0) continue;
    ++shared;
    ui_shared.add(acc.ui);
    api_shared.add(acc.api);
    offsets.push_back(acc.api.lo - acc.ui.lo);
    if (acc.api.hi < acc.ui.lo || acc.api.lo > acc.ui.hi + options.window_us) {
      disjoint.push_back(s);
      calls_disjoint += acc.api.n;
    } else if (acc.in_window == 0 && acc.api.n > acc.periodic) {
      no_window.push_back(s);
      calls_no_window += acc.api.n;
    }
  }
  auto median = [](std::vector<std::int64_t>& v) {
    if (v.empty()) return std::int64_t{0};
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
  };

  const std::size_t n_ui = store.ui.size(), n_api = store.api.size();
  const core::Severity severity = options.allow_unmatched ? core::Severity::kWarning : core::Severity::kError;
  const std::string accept = options.allow_unmatched ? "" : " (--allow-unmatched accepts this)";
  std::vector<std::string> problems;
  // `certain`: false for what can happen in sound inputs too (a session whose few calls are all
  // background): a warning, listed, never exit 3.
  auto report = [&](const char* kind, std::string message, bool certain = true) {
    problems.emplace_back(kind);
    out.diagnostics.push_back({"", 0, 0, certain ? severity : core::Severity::kWarning,
                               certain ? std::move(message) + accept : std::move(message)});
  };
  const std::string ui_files = files_of(store, Role::kUi), api_files = files_of(store, Role::kApi);
  bool pageref = false;
  for (const auto& in : store.inputs) pageref |= in.sessions_from_pageref;
  const std::string pageref_note = pageref ? " (the HAR's sessions are its page ids, pageref)" : "";
  const std::string session_fix = "name the session field with --map session=FIELD, or --no-sessions when both "
                                  "files hold one session";

  // 3. The checks, when both sides have records (an empty side is reported by the reader).
  if (n_ui > 0 && n_api > 0) {
    const bool ui_ids = store.ui_without_session < n_ui, api_ids = store.api_without_session < n_api;
    bool sessions_comparable = true;
    if (ui_ids != api_ids) {
      sessions_comparable = false;
      report("session_ids_one_side",
             fmt::format("{} carry session ids ({}{}) but {} carry none (they are in session 'default'): "
                         "{} of {} calls are in a session without UI events and background; {}",
                         ui_ids ? "UI events" : "API calls",
                         count_of(ui_ids ? ui_sessions : api_sessions, "session", "sessions"),
                         !ui_ids && pageref ? ": HAR page ids from pageref" : "",
                         ui_ids ? "the API calls (" + api_files + ")" : "the UI events (" + ui_files + ")",
                         calls_ui_only, n_api, session_fix));
    } else if (shared == 0) {
      sessions_comparable = false;
      std::vector<std::uint32_t> ui_ids_list, api_ids_list;
      for (std::uint32_t s = 0; s < n_strings; ++s) {
        if (total.sessions[s].ui.n > 0) ui_ids_list.push_back(s);
        if (total.sessions[s].api.n > 0) api_ids_list.push_back(s);
      }
      report("no_shared_sessions",
             fmt::format("no session has both UI events and API calls: the UI events' {} ({}) and the API "
                         "calls' {} ({}){} never meet, so all {} calls are background; the two files use "
                         "different session ids or come from different runs: {}",
                         count_of(ui_sessions, "session", "sessions"), quoted_names(store, ui_ids_list),
                         count_of(api_sessions, "session", "sessions"), quoted_names(store, api_ids_list),
                         pageref_note, n_api, session_fix));
    } else if (!ui_only.empty() || !api_only.empty()) {
      std::string parts_text;
      if (!api_only.empty()) {
        parts_text = fmt::format("{} of {} API sessions have no UI event ({}; their {} calls are background)",
                                 api_only.size(), api_sessions, quoted_names(store, api_only), calls_ui_only);
      }
      if (!ui_only.empty()) {
        parts_text += fmt::format("{}{} of {} UI sessions have no API call ({})", parts_text.empty() ? "" : "; ",
                                  ui_only.size(), ui_sessions, quoted_names(store, ui_only));
      }
      report("sessions_one_side",
             fmt::format("sessions on one side only: {}{}; a recorder missed sessions, or the files cover different "
                         "runs",
                         parts_text, pageref_note));
    }
    // Time: over shared sessions, or over everything when sessions cannot be compared.
    if (!sessions_comparable) {
      if (api_all.hi < ui_all.lo || api_all.lo > ui_all.hi + options.window_us) {
        report("time_ranges_disjoint",
               fmt::format("the times do not overlap either: UI events {} .. {}, API calls {} .. {}; {}",
                           time_text(ui_all.lo), time_text(ui_all.hi), time_text(api_all.lo), time_text(api_all.hi),
                           time_cause(store, options.time_unit, options.ui_offset_us, ui_all, api_all, api_all.lo - ui_all.lo)));
      }
    } else if (!disjoint.empty()) {
      std::int64_t offset = median(offsets);
      report("time_ranges_disjoint",
             fmt::format("in {} of {} shared sessions ({}) the API calls' times do not overlap the UI events' "
                         "({} calls, all background): UI events {} .. {}, API calls {} .. {}; {}",
                         disjoint.size(), shared, quoted_names(store, disjoint), calls_disjoint,
                         time_text(ui_shared.lo), time_text(ui_shared.hi), time_text(api_shared.lo),
                         time_text(api_shared.hi), time_cause(store, options.time_unit, options.ui_offset_us, ui_shared, api_shared, offset)));
    }
    if (sessions_comparable && !no_window.empty()) {
      // No call of any session within the window is a mismatch; some sessions without one may
      // be sessions whose calls are all background.
      report("no_call_in_window",
             fmt::format("in {} of {} shared sessions ({}) no API call comes within --window ({}) after a UI event "
                         "of its session ({} calls, all background): the recorders' clocks are skewed (--ui-offset) "
                         "or the window is too short (--window)",
                         no_window.size(), shared, quoted_names(store, no_window), span_text(options.window_us),
                         calls_no_window),
             calls_in_window == 0);
    }
    // Explicit ids that exist on both sides but never meet.
    const bool ui_has_keys = total.ui_with_corr > 0 || store.any_initiator;
    if (total.api_with_ids > 0 && ui_has_keys && total.explicit_links == 0 && sessions_comparable) {
      report("ids_disjoint",
             fmt::format("{} API calls carry a correlation id, trace id or initiator and {} UI events a correlation "
                         "id, but none names a UI event of its session: the two recorders write different ids (a "
                         "trace id on one side, a span or request id on the other?) or --map points at the wrong "
                         "field",
                         total.api_with_ids, total.ui_with_corr));
    }
  }

  // 4. The delay model: fitted from something, or null with the reason.
  if (attr.model.iterations == 0) {
    if (n_api == 0) {
      out.model_reason = "no API calls";
    } else if (n_ui == 0) {
      out.model_reason = "no UI events";
    } else {
      out.model_reason = fmt::format("no API call has a UI event of its session within --window ({}) and none is "
                                     "linked by an explicit id or a thread: nothing to fit",
                                     span_text(options.window_us));
    }
  }

  for (const auto& in : store.inputs) {
    out.inputs.push_back({{"path", core::sanitize_utf8(in.path)},
                          {"format", core::sanitize_utf8(in.format)},
                          {"ui_events", in.ui},
                          {"api_calls", in.api},
                          {"navigations", in.nav}});
  }
  out.summary = {{"ui_sessions", ui_sessions},
                 {"api_sessions", api_sessions},
                 {"shared_sessions", shared},
                 {"ui_only_sessions", ui_only.size()},
                 {"api_only_sessions", api_only.size()},
                 {"calls_in_api_only_sessions", calls_ui_only},
                 {"sessions_disjoint_in_time", disjoint.size()},
                 {"sessions_without_call_in_window", no_window.size()},
                 {"calls_within_window", calls_in_window},
                 {"problems", problems}};
  return out;
}

}  // namespace obscore::correlate
