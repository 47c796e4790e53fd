// The attribution model. Calls of one session form a point process: background calls at rate
// lambda_b, plus calls caused by each UI event i at rate lambda_c * f(t - t_i), f a log-normal
// delay density (per endpoint, shrunk towards the global one). EM fits lambda_b, lambda_c and
// the log-normal parameters from the data; each call then goes to the component with the
// highest posterior (a UI event or background). A free-form histogram for f was tried first: its
// tail absorbed the background calls (a flat rate looks like a flat delay density), which cost 5
// points of accuracy; the parametric form keeps the mixture identifiable. Explicit ids and
// same-thread candidates decide first and feed the delay fit as confident links; periodic calls
// are background.
#include "attribute.hpp"

#include <spdlog/spdlog.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "obscore/core/error.hpp"
#include "obscore/core/tsan.hpp"

#include "attribute_phases.hpp"

namespace obscore::correlate {

std::vector<const char*> reason_names(std::uint32_t r) {
  std::vector<const char*> out;
  static constexpr std::pair<Reason, const char*> kNames[] = {{kExplicitId, "explicit_id"},
                                                          {kThread, "thread"},
                                                          {kSession, "session"},
                                                          {kDelayModel, "delay_model"},
                                                          {kOnlyCandidate, "only_candidate"},
                                                          {kRapidTaps, "rapid_taps"},
                                                          {kPeriodic, "periodic"},
                                                          {kNoUiInWindow, "no_ui_in_window"},
                                                          {kBackgroundRate, "background_rate"}};
  for (const auto& [bit, name] : kNames) {
    if (r & bit) out.push_back(name);
  }
  return out;
}

double DelayModel::quantile_ms(double z) const { return std::exp(mu + z * sigma); }

int Bins::of(std::int64_t delta_us) const {
  double ms = std::max(kMinMs, static_cast<double>(delta_us) / 1000.0);
  return std::clamp(static_cast<int>((std::log(ms) - lo) / step), 0, kBins - 1);
}

Bins make_bins(std::int64_t window_us) {
  Bins bins;
  bins.lo = std::log(kMinMs);
  double top = std::log(std::max(2.0, static_cast<double>(window_us) / 1000.0));
  bins.step = (top - bins.lo) / kBins;
  return bins;
}

void fill_table(double mu, double sigma, const Bins& bins, double* table) {
  const double norm = 1.0 / (sigma * std::sqrt(2.0 * M_PI));
  for (int b = 0; b < kBins; ++b) {
    double x = bins.center(b);
    double z = (x - mu) / sigma;
    table[b] = norm * std::exp(-0.5 * z * z - x);  // 1/(delta sigma sqrt(2 pi)) exp(...)
  }
}

namespace {

// Marks the runs of at least 5 calls at a steady interval in one session's calls to one
// endpoint (`calls`, `n` of them, in time order).
void mark_series(const Store& store, const std::uint32_t* calls, std::size_t n,
                 std::vector<char>& periodic) {
  if (n < 5) return;
  std::size_t start = 0;
  while (start + 4 < n) {
    std::int64_t ref = store.api[calls[start + 1]].t - store.api[calls[start]].t;
    if (ref < 500'000) {
      ++start;
      continue;
    }
    std::int64_t tol = std::max<std::int64_t>(ref / 20, 50'000);  // timers jitter by a few %
    std::size_t end = start + 1;
    while (end + 1 < n) {
      std::int64_t gap = store.api[calls[end + 1]].t - store.api[calls[end]].t;
      if (std::llabs(gap - ref) > tol) break;
      ++end;
    }
    if (end - start + 1 >= 5) {
      for (std::size_t k = start; k <= end; ++k) periodic[calls[k]] = 1;
      start = end + 1;
    } else {
      ++start;
    }
  }
}

// Recorders mostly write each session in time order, so the order is checked in one pass first;
// otherwise packed keys are sorted (comparing keys in one array, not records reached through an
// index).
template <class Record>
std::vector<std::uint32_t> sorted_by_session_time(const Records<Record>& records) {
  const std::size_t n = records.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  bool sorted = true;
  for (std::size_t k = 1; k < n && sorted; ++k) {
    sorted = std::tie(records[k - 1].session, records[k - 1].t) <=
             std::tie(records[k].session, records[k].t);
  }
  if (sorted) return order;
  struct Key {
    std::uint32_t session, index;
    std::int64_t t;
  };
  std::vector<Key> keys(n);
  for (std::size_t k = 0; k < n; ++k)
    keys[k] = {records[k].session, static_cast<std::uint32_t>(k), records[k].t};
  core::TaskEdges edges;
  auto before = [](const Key& a, const Key& b) {
    return std::tie(a.session, a.t, a.index) < std::tie(b.session, b.t, b.index);
  };
  edges.fork();
  tbb::parallel_sort(keys.begin(), keys.end(), core::TaskEdges::body(before));
  edges.joined();
  for (std::size_t k = 0; k < n; ++k) order[k] = keys[k].index;
  return order;
}

}  // namespace

std::vector<std::uint32_t> by_session_time(const Records<UiEvent>& records) {
  return sorted_by_session_time(records);
}
std::vector<std::uint32_t> by_session_time(const Records<ApiCall>& records) {
  return sorted_by_session_time(records);
}

UiIndex index_ui(const Store& store) {
  UiIndex ui;
  ui.sorted = by_session_time(store.ui);
  ui.t.resize(ui.sorted.size());
  for (std::size_t k = 0; k < ui.sorted.size(); ++k) ui.t[k] = store.ui[ui.sorted[k]].t;
  ui.session_range.assign(store.strings.size(), {0, 0});
  for (std::size_t k = 0; k < ui.sorted.size();) {
    std::uint32_t s = store.ui[ui.sorted[k]].session;
    std::size_t e = k;
    while (e < ui.sorted.size() && store.ui[ui.sorted[e]].session == s) ++e;
    ui.session_range[s] = {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(e)};
    k = e;
  }
  return ui;
}

ExplicitIds explicit_ids(const Store& store) {
  ExplicitIds ids;
  for (std::uint32_t i = 0; i < store.ui.size(); ++i) {
    const UiEvent& u = store.ui[i];
    if (!u.corr.empty()) ids.by_corr.emplace(store.text.get(u.corr), i);
    if (store.any_initiator && !u.id.empty()) ids.by_id.emplace(store.text.get(u.id), i);
  }
  return ids;
}

std::int64_t ExplicitIds::find(const Store& store, const ApiCall& a) const {
  if (!a.corr.empty()) {
    if (auto it = by_corr.find(store.text.get(a.corr));
        it != by_corr.end() && store.ui[it->second].session == a.session) {
      return it->second;
    }
  }
  if (!a.initiator.empty()) {
    if (auto it = by_id.find(store.text.get(a.initiator));
        it != by_id.end() && store.ui[it->second].session == a.session) {
      return it->second;
    }
  }
  return -1;
}

// Sessions in parallel: each session's calls (a slice of api_sorted, in time order) grouped by
// endpoint.
std::vector<char> periodic_calls(const Store& store, const std::vector<std::uint32_t>& api_sorted) {
  std::vector<char> periodic(store.api.size(), 0);
  std::vector<std::pair<std::size_t, std::size_t>> sessions;  // slices of api_sorted
  for (std::size_t k = 0; k < api_sorted.size();) {
    std::size_t e = k;
    while (e < api_sorted.size() &&
           store.api[api_sorted[e]].session == store.api[api_sorted[k]].session)
      ++e;
    sessions.emplace_back(k, e);
    k = e;
  }
  core::TaskEdges edges;
  auto mark_session = [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<std::uint32_t> calls;
    for (std::size_t si = range.begin(); si != range.end(); ++si) {
      auto [from, to] = sessions[si];
      calls.assign(api_sorted.begin() + static_cast<std::ptrdiff_t>(from),
                   api_sorted.begin() + static_cast<std::ptrdiff_t>(to));
      // by endpoint, time order kept within each
      std::stable_sort(calls.begin(), calls.end(), [&](std::uint32_t a, std::uint32_t b) {
        return store.api[a].endpoint < store.api[b].endpoint;
      });
      for (std::size_t g = 0; g < calls.size();) {
        std::size_t g_end = g;
        while (g_end < calls.size() &&
               store.api[calls[g_end]].endpoint == store.api[calls[g]].endpoint)
          ++g_end;
        mark_series(store, &calls[g], g_end - g, periodic);
        g = g_end;
      }
    }
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sessions.size(), 16),
                    core::TaskEdges::body(mark_session));
  edges.joined();
  return periodic;
}

double session_time_ms(const Store& store) {
  // A slot per interned id.
  std::vector<std::pair<std::int64_t, std::int64_t>> span(
      store.strings.size(),
      {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()});
  auto widen = [&](std::uint32_t s, std::int64_t t) {
    span[s].first = std::min(span[s].first, t);
    span[s].second = std::max(span[s].second, t);
  };
  for (const auto& u : store.ui) widen(u.session, u.t);
  for (const auto& a : store.api) widen(a.session, a.t);
  double total = 0;
  for (const auto& [first, last] : span) {
    if (first <= last) total += static_cast<double>(last - first) / 1000.0 + 1.0;
  }
  return total;
}

// Two parallel passes over blocks of the session-sorted calls: decide what explicit ids, threads
// and polling decide and count the rest's candidates; then, after a prefix sum over the blocks,
// fill the calls and their candidates' delay bins.
Candidates find_candidates(const Store& store, const Options& options, const UiIndex& ui,
                           const std::vector<std::uint32_t>& api_sorted, const ExplicitIds& ids,
                           const std::vector<char>& periodic, const Bins& bins,
                           Records<Link>& links) {
  const std::size_t n_api = api_sorted.size();
  constexpr std::size_t kBlock = 1u << 14;
  const std::size_t n_blocks = (n_api + kBlock - 1) / kBlock;
  Records<std::uint32_t> cand_lo(n_api), cand_count(n_api);  // filled for every call below
  std::vector<std::size_t> block_calls(n_blocks + 1, 0), block_cands(n_blocks + 1, 0);
  std::vector<std::vector<double>> block_hist(n_blocks);  // fixed links' delays, per block
  core::TaskEdges edges;
  auto decide_block = [&](std::size_t blk) {
    const std::size_t from = blk * kBlock, to = std::min(n_api, from + kBlock);
    std::int16_t fixed_bin[kBlock];  // delay bin of a fixed link, for the fit
    for (std::size_t idx = from; idx != to; ++idx) {
      cand_count[idx] = 0;
      fixed_bin[idx - from] = -1;
      const std::uint32_t ai = api_sorted[idx];
      const ApiCall& a = store.api[ai];
      Link& link = links[ai];
      auto [s_lo, s_hi] = ui.session_range[a.session];
      auto first =
          std::lower_bound(ui.t.begin() + s_lo, ui.t.begin() + s_hi, a.t - options.window_us);
      auto last = std::upper_bound(first, ui.t.begin() + s_hi, a.t);
      auto lo = static_cast<std::uint32_t>(first - ui.t.begin());
      auto hi = static_cast<std::uint32_t>(last - ui.t.begin());
      if (hi - lo > kMaxCandidates) lo = hi - static_cast<std::uint32_t>(kMaxCandidates);
      // 1. explicit ids (same session required)
      if (std::int64_t explicit_ui = ids.find(store, a); explicit_ui >= 0) {
        link = {explicit_ui, 1.0, kExplicitId | kSession};
        std::int64_t d = a.t - store.ui[static_cast<std::size_t>(explicit_ui)].t;
        if (d >= 0 && d <= options.window_us)
          fixed_bin[idx - from] = static_cast<std::int16_t>(bins.of(d));
        continue;
      }
      // 2. same thread: when some candidate ran on the call's thread, the latest such is the cause.
      if (a.thread != 0) {
        std::uint32_t same_count = 0, pick = hi;
        for (std::uint32_t k = hi; k-- > lo;) {
          if (store.ui[ui.sorted[k]].thread == a.thread) {
            if (same_count++ == 0) pick = k;
          }
        }
        if (same_count > 0) {
          link = {ui.sorted[pick], same_count == 1 ? 1.0 : 0.9, kThread | kSession};
          fixed_bin[idx - from] = static_cast<std::int16_t>(bins.of(a.t - ui.t[pick]));
          continue;
        }
      }
      // 3. polling
      if (periodic[ai]) {
        link = {-1, 0.9, kPeriodic | kSession};
        continue;
      }
      if (hi == lo) {
        link = {-1, 1.0, kNoUiInWindow | kSession};
        continue;
      }
      cand_lo[idx] = lo;
      cand_count[idx] = hi - lo;
    }
    std::size_t n_calls = 0, n_cands = 0;
    for (std::size_t idx = from; idx != to; ++idx) {
      n_calls += cand_count[idx] != 0;
      n_cands += cand_count[idx];
      if (fixed_bin[idx - from] >= 0) {
        if (block_hist[blk].empty()) block_hist[blk].assign(kBins, 0.0);
        block_hist[blk][static_cast<std::size_t>(fixed_bin[idx - from])] += 1.0;
      }
    }
    block_calls[blk + 1] = n_calls;
    block_cands[blk + 1] = n_cands;
  };
  edges.fork();
  tbb::parallel_for(std::size_t{0}, n_blocks, core::TaskEdges::body(decide_block));
  edges.joined();
  Candidates out;
  out.fixed_hist.assign(kBins, 0.0);
  for (const auto& h : block_hist) {
    for (std::size_t b = 0; b < h.size(); ++b) out.fixed_hist[b] += h[b];
  }
  std::vector<std::vector<double>>().swap(block_hist);
  for (std::size_t blk = 0; blk < n_blocks; ++blk) {
    block_calls[blk + 1] += block_calls[blk];
    block_cands[blk + 1] += block_cands[blk];
  }
  const std::size_t total_cands = block_cands[n_blocks];
  if (total_cands > std::numeric_limits<std::uint32_t>::max()) {
    throw core::Error(core::ErrorKind::kInput,
                      "more than 4 billion candidate pairs: narrow --window");
  }
  out.calls.resize(block_calls[n_blocks]);  // filled below
  out.bins.resize(total_cands);
  core::TaskEdges edges2;
  auto fill_block = [&](std::size_t blk) {
    std::size_t at = block_calls[blk], bins_at = block_cands[blk];
    for (std::size_t idx = blk * kBlock, to = std::min(n_api, idx + kBlock); idx != to; ++idx) {
      if (cand_count[idx] == 0) continue;
      Candidates::Call& c = out.calls[at++];
      c = Candidates::Call{api_sorted[idx], cand_lo[idx], cand_count[idx],
                           static_cast<std::uint32_t>(bins_at)};
      const std::int64_t t = store.api[c.api].t;
      for (std::uint32_t j = 0; j < c.count; ++j) {
        out.bins[bins_at + j] = static_cast<std::uint16_t>(bins.of(t - ui.t[c.lo + j]));
      }
      bins_at += c.count;
    }
  };
  edges2.fork();
  tbb::parallel_for(std::size_t{0}, n_blocks, core::TaskEdges::body(fill_block));
  edges2.joined();
  return out;
}

double fit_lognormals(const EStepSums& sums, double fixed_n, double fixed_s1, double fixed_s2,
                      double& mu, double& sigma, std::vector<double>& ep_mu,
                      std::vector<double>& ep_sigma) {
  double n = fixed_n, s1 = fixed_s1, s2 = fixed_s2;
  for (std::size_t e = 0; e < sums.n.size(); ++e) {
    n += sums.n[e];
    s1 += sums.s1[e];
    s2 += sums.s2[e];
  }
  if (n <= 0) return n;
  mu = s1 / n;
  double var = std::max(0.0025, s2 / n - mu * mu);
  sigma = std::sqrt(var);
  for (std::size_t e = 0; e < sums.n.size(); ++e) {
    double weight = sums.n[e] + kShrink;
    double m = (sums.s1[e] + kShrink * mu) / weight;
    double v = (sums.s2[e] + kShrink * (var + mu * mu)) / weight - m * m;
    ep_mu[e] = m;
    ep_sigma[e] = std::sqrt(std::max(0.0025, v));
  }
  return n;
}

namespace {

// The calls the fit looks at, packed together: the E-step streams through them on every
// iteration instead of gathering every stride-th call from the full arrays.
struct FitSample {
  std::size_t stride = 1;
  std::vector<std::uint32_t> at, ep;  // per sampled call: offset into `bins` (+ one end), endpoint
  std::vector<std::uint16_t> bins;
};

// Beyond a million calls the fit uses every stride-th one (sessions stay represented: calls are
// in session order); a million calls pin the parameters down far below the noise of the
// per-call decisions, and the final assignment still looks at every call.
FitSample sample_for_fit(const Candidates& cands, const std::vector<std::uint32_t>& ep_of_call) {
  constexpr std::size_t kFitCalls = 1'000'000;
  FitSample s;
  const std::size_t n_calls = cands.calls.size();
  s.stride = std::max<std::size_t>(1, (n_calls + kFitCalls - 1) / kFitCalls);
  const std::size_t fit_n = (n_calls + s.stride - 1) / s.stride;
  s.at.resize(fit_n + 1);
  s.ep.resize(fit_n);
  for (std::size_t kk = 0; kk < fit_n; ++kk) {
    const Candidates::Call& c = cands.calls[kk * s.stride];
    s.ep[kk] = ep_of_call[kk * s.stride];
    s.at[kk] = static_cast<std::uint32_t>(s.bins.size());
    s.bins.insert(s.bins.end(), cands.bins.begin() + c.bins_at,
                  cands.bins.begin() + c.bins_at + c.count);
  }
  s.at[fit_n] = static_cast<std::uint32_t>(s.bins.size());
  return s;
}

// One E-step in parallel: each worker sums responsibilities per endpoint, then the sums merge
// (and are scaled to all calls when the sample has a stride). The caused weight of each bin
// (lc * density) and each bin's ln delay are looked up, computed once per iteration (the same
// products and sums as computing them per candidate).
EStepSums e_step(const FitSample& sample, const Bins& bins, const std::vector<double>& tables,
                 const std::vector<double>& lb, const std::vector<double>& lc) {
  const std::size_t ne = lb.size();
  auto zeros = [ne] {
    return EStepSums{std::vector<double>(ne), std::vector<double>(ne), std::vector<double>(ne),
                     std::vector<double>(ne)};
  };
  std::vector<double> weight(tables.size());  // lc[e] * density, per endpoint and bin
  for (std::size_t e = 0; e < ne; ++e) {
    for (std::size_t b = 0; b < static_cast<std::size_t>(kBins); ++b) {
      weight[e * kBins + b] = lc[e] * tables[e * kBins + b];
    }
  }
  std::array<double, kBins> center{};
  for (int b = 0; b < kBins; ++b) center[static_cast<std::size_t>(b)] = bins.center(b);
  tbb::combinable<EStepSums> acc(zeros);
  core::TaskEdges edges;
  auto fit_chunk = [&](const tbb::blocked_range<std::size_t>& range) {
    EStepSums& a = acc.local();
    double wl[kMaxCandidates];
    for (std::size_t kk = range.begin(); kk != range.end(); ++kk) {
      const std::uint32_t e = sample.ep[kk];
      const std::uint16_t* cb = &sample.bins[sample.at[kk]];
      const std::uint32_t count = sample.at[kk + 1] - sample.at[kk];
      const double* we = &weight[static_cast<std::size_t>(e) * kBins];
      const double lbe = lb[e];
      double total = lbe;
      for (std::uint32_t j = 0; j < count; ++j) {
        wl[j] = we[cb[j]];
        total += wl[j];
      }
      // Summed in registers, stored once per call: the four accumulators are distinct vectors
      // the compiler cannot prove unaliased, so summing into them directly made every candidate
      // wait for the previous store.
      double w = 0, wx = 0, wxx = 0;
      for (std::uint32_t j = 0; j < count; ++j) {
        double x = center[cb[j]];
        w += wl[j];
        wx += wl[j] * x;
        wxx += wl[j] * x * x;
      }
      double inv = 1.0 / total;
      a.n[e] += w * inv;
      a.s1[e] += wx * inv;
      a.s2[e] += wxx * inv;
      a.bg[e] += lbe * inv;
    }
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sample.ep.size(), 1 << 12),
                    core::TaskEdges::body(fit_chunk));
  edges.joined();
  EStepSums sums = zeros();
  acc.combine_each([&](const EStepSums& a) {
    for (std::size_t e = 0; e < ne; ++e) {
      sums.n[e] += a.n[e];
      sums.s1[e] += a.s1[e];
      sums.s2[e] += a.s2[e];
      sums.bg[e] += a.bg[e];
    }
  });
  if (sample.stride > 1) {  // the fit saw one call in `stride`: scale its sums to all calls
    const auto f = static_cast<double>(sample.stride);
    for (std::size_t e = 0; e < ne; ++e) {
      sums.n[e] *= f;
      sums.s1[e] *= f;
      sums.s2[e] *= f;
      sums.bg[e] *= f;
    }
  }
  return sums;
}

}  // namespace

DelayFit fit_delay_model(const Store& store, const Candidates& cands, const Bins& bins,
                         double session_ms) {
  DelayFit fit;
  const double n_ui = std::max<double>(1.0, static_cast<double>(store.ui.size()));
  const double exposure_ms = std::max(1.0, session_ms);
  // Sufficient statistics of the fixed links (explicit ids, threads): sum, sum of squares of ln d.
  double fixed_n = 0, fixed_s1 = 0, fixed_s2 = 0;
  for (int b = 0; b < kBins; ++b) {
    const double h = cands.fixed_hist[static_cast<std::size_t>(b)];
    if (h == 0) continue;
    double x = bins.center(b);
    fixed_n += h;
    fixed_s1 += h * x;
    fixed_s2 += h * x * x;
  }
  // Start: the nearest-preceding delays (what an as-of join would pick), as a log-normal.
  double mu = std::log(200.0), sigma = 1.0;
  {
    double n = fixed_n, s1 = fixed_s1, s2 = fixed_s2;
    for (const auto& c : cands.calls) {
      double x = bins.center(cands.bins[c.bins_at + c.count - 1]);
      n += 1;
      s1 += x;
      s2 += x * x;
    }
    if (n > 1) {
      mu = s1 / n;
      sigma = std::sqrt(std::max(0.01, s2 / n - mu * mu));
    }
  }
  // Endpoints that have time-only calls, each with its own log-normal, shrunk to the global fit.
  std::vector<std::int32_t> ep_index(store.strings.size(), -1);
  fit.ep_of_call.resize(cands.calls.size());
  std::int32_t n_eps = 0;
  for (std::size_t k = 0; k < cands.calls.size(); ++k) {
    std::uint32_t ep = store.api[cands.calls[k].api].endpoint;
    if (ep_index[ep] < 0) ep_index[ep] = n_eps++;
    fit.ep_of_call[k] = static_cast<std::uint32_t>(ep_index[ep]);
  }
  const auto ne = static_cast<std::size_t>(n_eps);
  std::vector<double> ep_mu(ne, mu), ep_sigma(ne, sigma);
  fit.tables.resize(ne * kBins);
  // Rates per endpoint too: an endpoint that is only ever polled or pushed in the background gets
  // a background rate and no caused rate, instead of a delay density stretched to mimic one.
  std::vector<double> ep_calls(ne, 0.0);
  for (std::size_t k = 0; k < cands.calls.size(); ++k) ep_calls[fit.ep_of_call[k]] += 1.0;
  fit.lb.resize(ne);
  fit.lc.resize(ne);
  for (std::size_t e = 0; e < ne; ++e) {
    fit.lb[e] = 0.1 * (ep_calls[e] + 1) / exposure_ms;
    fit.lc[e] = 0.9 * (ep_calls[e] + 1) / n_ui;
  }
  auto fill_tables = [&] {
    for (std::size_t e = 0; e < ne; ++e)
      fill_table(ep_mu[e], ep_sigma[e], bins, &fit.tables[e * kBins]);
  };
  const FitSample sample = sample_for_fit(cands, fit.ep_of_call);
  double lambda_b = 0, lambda_c = 0;  // totals over endpoints, for the summary
  double prev_mu = mu, prev_sigma = sigma;
  constexpr int kIterations = 30;
  for (int it = 0; it < kIterations; ++it) {
    fill_tables();
    const EStepSums sums = e_step(sample, bins, fit.tables, fit.lb, fit.lc);
    const double n = fit_lognormals(sums, fixed_n, fixed_s1, fixed_s2, mu, sigma, ep_mu, ep_sigma);
    if (n <= 0) break;
    double bg_total = 0;
    for (std::size_t e = 0; e < ne; ++e) {
      fit.lc[e] = std::max(1e-12, sums.n[e] / n_ui);
      fit.lb[e] = std::max(1e-15, sums.bg[e] / exposure_ms);
      bg_total += sums.bg[e];
    }
    double change =
        std::fabs(lambda_c - n / n_ui) / std::max(1e-9, n / n_ui) +
        std::fabs(lambda_b - bg_total / exposure_ms) / std::max(1e-15, bg_total / exposure_ms) +
        std::fabs(mu - prev_mu) + std::fabs(sigma - prev_sigma);
    lambda_c = n / n_ui;
    lambda_b = bg_total / exposure_ms;
    prev_mu = mu;
    prev_sigma = sigma;
    fit.model.iterations = it + 1;
    if (it > 0 && change < 1e-3) break;  // converged
  }
  fill_tables();
  fit.model.mu = mu;
  fit.model.sigma = sigma;
  fit.model.background_per_ms = lambda_b;
  fit.model.calls_per_ui = lambda_c;
  return fit;
}

void assign_by_posterior(const Candidates& cands, const DelayFit& fit, const UiIndex& ui,
                         Records<Link>& links) {
  core::TaskEdges edges;
  auto assign_range = [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t k = range.begin(); k != range.end(); ++k) {
      const Candidates::Call& c = cands.calls[k];
      const std::uint32_t e = fit.ep_of_call[k];
      const double* fe = &fit.tables[static_cast<std::size_t>(e) * kBins];
      double total = fit.lb[e], best = fit.lb[e];
      std::int64_t best_j = -1;
      for (std::uint32_t j = 0; j < c.count; ++j) {
        double wj = fit.lc[e] * fe[cands.bins[c.bins_at + j]];
        total += wj;
        if (wj > best) {
          best = wj;
          best_j = j;
        }
      }
      Link& link = links[c.api];
      link.confidence = best / total;
      link.reasons = kSession;
      if (best_j < 0) {
        link.ui = -1;
        link.reasons |= kBackgroundRate;
        continue;
      }
      std::uint32_t pos = c.lo + static_cast<std::uint32_t>(best_j);
      link.ui = ui.sorted[pos];
      link.reasons |= kDelayModel;
      if (c.count == 1) link.reasons |= kOnlyCandidate;
      bool rapid = (pos > c.lo && ui.t[pos] - ui.t[pos - 1] <= kRapidUs) ||
                   (pos + 1 < c.lo + c.count && ui.t[pos + 1] - ui.t[pos] <= kRapidUs);
      if (rapid) link.reasons |= kRapidTaps;
    }
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cands.calls.size(), 1 << 14),
                    core::TaskEdges::body(assign_range));
  edges.joined();
}

// The attribution, phase by phase; -vv logs each phase's time.
Attribution attribute(const Store& store, const Options& options) {
  using Clock = std::chrono::steady_clock;
  const auto t_start = Clock::now();
  Attribution result;
  result.links.resize(store.api.size());  // every call is decided by one phase below
  const Bins bins = make_bins(options.window_us);

  // Index: UI events and calls by (session, time); UI events by correlation id and own id.
  const UiIndex ui = index_ui(store);
  result.api_sorted = by_session_time(store.api);
  const ExplicitIds ids = explicit_ids(store);
  const auto t_sorted = Clock::now();

  // Polling: runs of calls to one endpoint at a steady interval are background.
  const std::vector<char> periodic = periodic_calls(store, result.api_sorted);
  const auto t_periodic = Clock::now();

  // Explicit ids, threads, polling and empty windows decide; the other calls keep their
  // candidates (the UI events of their session within the window).
  Candidates cands =
      find_candidates(store, options, ui, result.api_sorted, ids, periodic, bins, result.links);
  const auto t_candidates = Clock::now();

  // EM: per-endpoint log-normal delays and rates, from the candidates and the decided links.
  DelayFit fit = fit_delay_model(store, cands, bins, session_time_ms(store));
  const auto t_fit = Clock::now();

  // Each remaining call to the component with the highest posterior.
  assign_by_posterior(cands, fit, ui, result.links);
  result.model = fit.model;

  auto ms = [](auto a, auto b) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
  };
  spdlog::debug(
      "correlate: attribute: sort {} ms, periodic {} ms, candidates {} ms, EM {} ms ({} "
      "iterations), assign {} ms",
      ms(t_start, t_sorted), ms(t_sorted, t_periodic), ms(t_periodic, t_candidates),
      ms(t_candidates, t_fit), result.model.iterations, ms(t_fit, Clock::now()));
  return result;
}

}  // namespace obscore::correlate
