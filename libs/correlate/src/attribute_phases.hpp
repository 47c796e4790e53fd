// The phases of attribute(), declared for their unit tests (tests/correlate/attribute_test.cpp):
// index the UI events, find explicit ids, mark polling, decide what ids and threads decide and
// collect the rest's candidates, fit the delay model by EM, assign by posterior.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attribute.hpp"
#include "model.hpp"

namespace obscore::correlate {

constexpr int kBins = 4096;  // fine bins of ln(delay) for table lookups
constexpr std::size_t kMaxCandidates = 64;
constexpr double kShrink = 50.0;  // pseudo-calls pulling an endpoint towards the global fit
constexpr std::int64_t kRapidUs = 300'000;  // UI events this close together are rapid taps
constexpr double kMinMs = 0.5;

// Bins of ln(delay in ms) from kMinMs to the window.
struct Bins {
  double lo = 0, step = 0;  // ln(ms) of bin 0's lower edge, bin width in ln(ms)
  int of(std::int64_t delta_us) const;
  double center(int b) const { return lo + (b + 0.5) * step; }  // ln(ms)
};
Bins make_bins(std::int64_t window_us);

// Log-normal density per ms at each bin's centre, into `table` (kBins values).
void fill_table(double mu, double sigma, const Bins& bins, double* table);

// Indices of `records` ordered by (session, time, index).
std::vector<std::uint32_t> by_session_time(const Records<UiEvent>& records);
std::vector<std::uint32_t> by_session_time(const Records<ApiCall>& records);

// The UI events by (session, time): their times in that order, and each session's slice.
struct UiIndex {
  std::vector<std::uint32_t> sorted;  // Store::ui indices
  std::vector<std::int64_t> t;        // times, in `sorted` order
  std::vector<std::pair<std::uint32_t, std::uint32_t>>
      session_range;  // per interned id: [from, to)
};
UiIndex index_ui(const Store& store);

// UI events by correlation id, and by their own id when some call names its initiator.
struct ExplicitIds {
  std::unordered_map<std::string_view, std::uint32_t> by_corr, by_id;
  // The UI event a call names (by correlation id, else initiator) in its own session, or -1.
  std::int64_t find(const Store& store, const ApiCall& a) const;
};
ExplicitIds explicit_ids(const Store& store);

// Marks (1) the calls in runs of at least 5 to one endpoint of one session at a steady interval
// (>= 0.5 s, within 5 % or 50 ms): polling. `api_sorted`: by_session_time(store.api).
std::vector<char> periodic_calls(const Store& store, const std::vector<std::uint32_t>& api_sorted);

// Milliseconds of session time, summed over sessions (first to last event, + 1 ms each): the
// exposure of the background rate.
double session_time_ms(const Store& store);

// The calls the delay model decides, each with its candidate UI events' delay bins.
struct Candidates {
  struct Call {
    std::uint32_t api;
    std::uint32_t lo;     // first candidate in UiIndex::sorted
    std::uint32_t count;  // candidates (the latest kMaxCandidates in the window)
    std::uint32_t bins_at;
  };
  Records<Call> calls;             // in api_sorted order
  Records<std::uint16_t> bins;     // delay bin of each candidate, in UiIndex::sorted order per call
  std::vector<double> fixed_hist;  // delay bins of the links decided by ids and threads (kBins)
};

// Decides every call that explicit ids, threads, polling or an empty window decide (into `links`)
// and collects the other calls' candidates: the UI events of the call's session in
// [t - window, t].
Candidates find_candidates(const Store& store, const Options& options, const UiIndex& ui,
                           const std::vector<std::uint32_t>& api_sorted, const ExplicitIds& ids,
                           const std::vector<char>& periodic, const Bins& bins,
                           Records<Link>& links);

// The fitted mixture: per endpoint (dense index) a log-normal delay table and the caused and
// background rates; the global log-normal and rates for the summary.
struct DelayFit {
  std::vector<std::uint32_t> ep_of_call;  // dense endpoint index of each Candidates::calls entry
  std::vector<double> tables;             // kBins per endpoint
  std::vector<double> lc, lb;             // caused calls per UI event, background calls per ms
  DelayModel model;
};

// Sums of one E-step per endpoint: the responsibilities of the candidates (n), weighted by ln
// delay (s1) and its square (s2), and of background (bg).
struct EStepSums {
  std::vector<double> n, s1, s2, bg;
};

// The M-step for the delay densities: the global log-normal (`mu`, `sigma`; variance floored at
// 0.0025) from all sums, the fixed links' (`fixed_*`) included, then each endpoint's, shrunk
// towards the global one by kShrink pseudo-calls. Returns the total responsibility n; when it is
// not positive nothing is changed.
double fit_lognormals(const EStepSums& sums, double fixed_n, double fixed_s1, double fixed_s2,
                      double& mu, double& sigma, std::vector<double>& ep_mu,
                      std::vector<double>& ep_sigma);

// EM over the candidates (one call in `stride` beyond a million calls), at most 30 iterations.
DelayFit fit_delay_model(const Store& store, const Candidates& cands, const Bins& bins,
                         double session_ms);

// Each candidate-scored call to the component with the highest posterior (a UI event or
// background).
void assign_by_posterior(const Candidates& cands, const DelayFit& fit, const UiIndex& ui,
                         Records<Link>& links);

}  // namespace obscore::correlate
