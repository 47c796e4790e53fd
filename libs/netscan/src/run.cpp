// The netscan run: scan, order by address then port, hand results to the output layer.
#include <algorithm>
#include <chrono>

#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {

RunResult run(const TargetList& targets, const ScanOptions& options, core::Output& out) {
  auto started = std::chrono::steady_clock::now();
  ScanStats stats;
  // NDJSON streams each result as it is final (completion order); the other formats get them
  // sorted by address, then port.
  bool stream = out.streams_records();
  ResultCallback done;
  if (stream) done = [&](std::size_t i, const Result& r, const Banner* b) { out.result(to_json(targets, i, r, b)); };
  ScanResults scanned = scan(targets, options, &stats, done);
  const std::vector<Result>& results = scanned.results;
  auto before = [&](std::size_t a, std::size_t b) {
    if (!targets.same_address(a, b) && !(targets.address(a) == targets.address(b))) {
      return targets.address(a) < targets.address(b);
    }
    return targets.port(a) < targets.port(b);
  };
  // Usually in order already (one host, ascending ports): then no index is needed.
  bool sorted = true;
  for (std::size_t i = 1; i < results.size() && sorted; ++i) sorted = !before(i, i - 1);
  std::vector<std::uint32_t> order(stream || sorted ? 0 : results.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), before);
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  std::size_t healthy = 0, unhealthy = 0;
  bool inventory = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    ++counts[static_cast<int>(r.state)];
    if (targets.service(i) != nullptr) {
      inventory = true;
      (r.healthy ? healthy : unhealthy) += 1;
    }
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
      core::elapsed_ms(started);
  // The summary is known before the results are written: JSON streams them instead of holding
  // 65535 records.
  if (!stream) {
    out.early_summary(summary);
    for (std::size_t k = 0; k < results.size(); ++k) {
      std::size_t i = sorted ? k : order[k];
      out.result(to_json(targets, i, results[i], scanned.banner(results[i])));
    }
  }
  out.finish(summary, {});
  RunResult r;
  r.gate_tripped = unhealthy > 0;
  return r;
}

}  // namespace obscore::netscan
