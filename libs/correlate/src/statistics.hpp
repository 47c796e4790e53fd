// The phases of a correlate run after attribution that compute something: the output order,
// the per-call sums (endpoints, flows, signals, --truth) and the summary built from them. Each
// is a function of its inputs alone, so each has a unit test on a hand-built store
// (tests/correlate/phases_test.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "obscore/core/json.hpp"

#include "attribute.hpp"
#include "model.hpp"

namespace obscore::correlate {

struct OverlapCheck;

// Each interned session id's rank when the sessions are ordered by name (the ids of strings
// that are not sessions get 0): the output sorts integers, not names.
std::vector<std::uint32_t> session_ranks(const Store& store);

// Result order: sessions by name, then time and input order. `api_sorted` is attribute()'s
// order (session id, time, input order): its per-session slices are reordered by rank.
std::vector<std::uint32_t> output_order(const Store& store,
                                        const std::vector<std::uint32_t>& api_sorted,
                                        const std::vector<std::uint32_t>& ranks);

// Navigations by (session, time), each session's slice found by its interned id.
class NavIndex {
 public:
  explicit NavIndex(const Store& store);
  // The first navigation of the call's session at or after the call's end (its start when the
  // end is unknown), no later than `window_us` after it; nullptr when there is none.
  const NavEvent* after(const ApiCall& a, std::int64_t window_us) const;

 private:
  const Store& store_;
  std::vector<std::uint32_t> sorted_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>>
      slice_;  // per session id: [from, to) of sorted_
};

// A flow: UI action, UI target (element, else screen), method, endpoint, status, screen
// navigated to (0: none), all interned ids.
using FlowKey = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t, std::int32_t,
                           std::uint32_t>;
struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const;
};

struct EndpointStats {
  std::size_t calls = 0, attributed = 0;
  // Latencies and delays (ms), in parts (one per thread that summed some): percentiles do not
  // depend on the order of the values, so they are joined only for the endpoints listed.
  std::vector<std::vector<double>> latency, delay;
};

// The sums over all calls.
struct Tally {
  std::unordered_map<FlowKey, std::size_t, FlowKeyHash> flows;
  std::unordered_map<std::uint64_t, EndpointStats> endpoints;  // key: method id << 32 | endpoint id
  std::size_t attributed = 0, explicit_links = 0, thread_links = 0, periodic = 0;
  std::size_t caused_total = 0, caused_right = 0, bg_total = 0, bg_right = 0;  // --truth
};

// Sums every call (in parallel shares that merge). `truth`: tally accuracy against the field
// read with --truth.
Tally tally_calls(const Store& store, const Attribution& attr, const NavIndex& nav,
                  const Options& options);

// Distinct session ids among the UI events and calls.
std::size_t count_sessions(const Store& store);

// The values of `v` at the ascending quantiles `qs` (nearest rank), reordering `v`: each
// selection searches only above the previous one.
template <std::size_t N>
std::array<double, N> values_at_quantiles(std::vector<double>& v, const std::array<double, N>& qs) {
  std::array<double, N> out{};
  if (v.empty()) return out;
  auto from = v.begin();
  for (std::size_t i = 0; i < N; ++i) {
    const double rank = qs[i] * static_cast<double>(v.size() - 1);
    auto k = v.begin() + static_cast<std::ptrdiff_t>(std::llround(rank));
    if (k < from) k = from;  // (qs ascending: only by rounding)
    std::nth_element(from, k, v.end());
    out[i] = *k;
    from = k;
  }
  return out;
}

// summary.endpoints: the `top` endpoints with most calls (ties by name), with latency p50/p95/p99
// and delay p50/p95 (ms, rounded to 3 decimals). Consumes the endpoints' values.
core::Json endpoint_summary(const Store& store, Tally& tally, std::size_t top);

// summary.flows: the `top` most frequent flows (ties by labels, then ids).
core::Json flow_summary(const Store& store, const Tally& tally, std::size_t top);

// summary.delay_model: the fitted model, or null when the overlap checks said why it was not
// fitted.
core::Json delay_model_summary(const DelayModel& model, const std::string& model_reason,
                               const Options& options);

// summary.truth (only with --truth).
core::Json truth_summary(const Tally& tally, const Options& options);

// The whole summary, in its documented key order (duration_ms is set by the caller).
core::Json build_summary(const Store& store, const Attribution& attr, OverlapCheck& overlap,
                         Tally& tally, const Options& options);

double round3(double v);

}  // namespace obscore::correlate
