// Attribution: explicit ids, threads, polling detection, and an EM-fitted delay model.
#pragma once

#include <cstdint>
#include <vector>

#include "model.hpp"

namespace obscore::correlate {

enum Reason : std::uint32_t {
  kExplicitId = 1u << 0,
  kThread = 1u << 1,
  kDelayModel = 1u << 2,
  kOnlyCandidate = 1u << 3,
  kRapidTaps = 1u << 4,
  kPeriodic = 1u << 5,
  kNoUiInWindow = 1u << 6,
  kBackgroundRate = 1u << 7,
  kSession = 1u << 8,
};

// The names of the set bits, strongest first.
std::vector<const char*> reason_names(std::uint32_t reasons);

struct Link {
  std::int64_t ui = -1;   // index into Store::ui, -1 = background
  double confidence = 0;  // posterior probability of the chosen cause (or of background)
  std::uint32_t reasons = 0;
};

// The learned delay distribution (log-normal: ln delay ~ N(mu, sigma^2), delay in ms) and rates.
struct DelayModel {
  double mu = 0;
  double sigma = 1;
  double background_per_ms = 0;  // background calls per ms of session time
  double calls_per_ui = 0;       // caused calls per UI event
  int iterations = 0;
  double quantile_ms(double z) const;  // at a standard-normal quantile z (0 = median)
};

struct Attribution {
  Records<Link> links;  // one per Store::api entry (every one assigned by attribute())
  DelayModel model;
  std::vector<std::uint32_t> api_sorted;  // Store::api indices by (session id, time, input order)
};

Attribution attribute(const Store& store, const Options& options);

}  // namespace obscore::correlate
