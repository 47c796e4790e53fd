// The netscan run: scan, order by address then port, hand results to the output layer.
#include <algorithm>
#include <chrono>

#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {

RunResult run(std::vector<Target> targets, const ScanOptions& options, core::Output& out) {
  auto started = std::chrono::steady_clock::now();
  ScanStats stats;
  std::vector<Result> results = scan(targets, options, &stats);
  std::stable_sort(results.begin(), results.end(), [](const Result& a, const Result& b) {
    if (!(a.target.address == b.target.address)) return a.target.address < b.target.address;
    return a.target.port < b.target.port;
  });
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  std::size_t healthy = 0, unhealthy = 0;
  bool inventory = false;
  for (const auto& r : results) {
    ++counts[static_cast<int>(r.state)];
    if (!r.target.name.empty()) {
      inventory = true;
      (r.healthy ? healthy : unhealthy) += 1;
    }
    out.result(to_json(r));
  }
  Json summary = Json::object();
  summary["targets"] = results.size();
  summary["open"] = counts[static_cast<int>(State::kOpen)];
  summary["closed"] = counts[static_cast<int>(State::kClosed)];
  summary["filtered"] = counts[static_cast<int>(State::kFiltered)];
  summary["unreachable"] = counts[static_cast<int>(State::kUnreachable)];
  summary["errors"] = counts[static_cast<int>(State::kError)];
  if (inventory) {
    summary["healthy"] = healthy;
    summary["unhealthy"] = unhealthy;
  }
  summary["concurrency"] = stats.effective_concurrency;
  summary["local_retries"] = stats.local_retries;
  summary["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  out.finish(summary, {});
  RunResult r;
  r.gate_tripped = unhealthy > 0;
  return r;
}

}  // namespace obscore::netscan
