// obscore correlate: attributes each API call of a recorded test session to the UI event that
// caused it, or to `background`; never many-to-many. Signals, strongest first: explicit ids
// (correlation id, W3C traceparent, HAR _initiator), same session (required), same thread, and
// the time since the UI event scored by a per-endpoint delay distribution learned from the data
// (EM over a mixture of "caused by one of the recent UI events" and a background rate); periodic
// calls to one endpoint are background. Navigations right after a response make flows.
// Inputs: NDJSON, JSON arrays, HAR 1.2. Definitions: man/obscore-correlate.1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"

namespace obscore::correlate {

enum class Role { kUi, kApi, kNav, kMixed };  // kMixed: records carry a `type` field

struct Input {
  std::string path;  // "-" for stdin
  Role role = Role::kMixed;
};

enum class TimeUnit { kAuto, kSeconds, kMillis, kMicros, kNanos };
std::optional<TimeUnit> parse_time_unit(std::string_view s);

// "5s", "250ms", "1.5s", "2m", "100us"; a plain number is seconds. nullopt when invalid.
std::optional<std::int64_t> parse_duration_us(std::string_view s);


// URL -> endpoint template: path only, numeric / UUID / hex / long mixed segments masked
// ("https://h/users/42/orders?x=1" -> "/users/{id}/orders").
std::string url_template(std::string_view url);

// Appends v rounded to 3 decimals as JSON, exactly as std::to_chars prints the rounded double
// (shortest form), faster: the result records carry two such numbers each.
void append_round3(std::string& out, double v);

struct Options {
  std::vector<Input> inputs;
  std::vector<std::pair<std::string, std::string>> field_map;  // --map KEY=FIELD
  TimeUnit time_unit = TimeUnit::kAuto;
  std::int64_t window_us = 5'000'000;      // --window
  std::int64_t nav_window_us = 3'000'000;  // --nav-window
  std::int64_t ui_offset_us = 0;           // --ui-offset: added to UI event times
  std::string truth_field;                 // --truth FIELD
  bool group_by_ui = false;                // --group-by ui
  bool strict = false;                     // stop at the first malformed record
  std::size_t top = 20;                    // flows and endpoints listed in the summary
};

// The keys --map accepts.
std::vector<std::string> map_keys();

using RunResult = core::RunResult;

core::View make_view(const Options& options);

// Reads every input, attributes, writes results and the summary to `out`. Malformed records
// become diagnostics (the record is skipped); throws core::Error for unusable options.
RunResult run(const Options& options, core::Output& out);

}  // namespace obscore::correlate
