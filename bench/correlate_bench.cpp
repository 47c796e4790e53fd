// Micro-benchmarks of libs/correlate's per-record kernels: URL templating (every API call) and
// RFC 3339 timestamp parsing.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "obscore/core/time.hpp"
#include "obscore/correlate/correlate.hpp"

namespace {

void BM_UrlTemplate(benchmark::State& state) {
  std::vector<std::string> urls;
  urls.reserve(1024);
  for (int i = 0; i < 1024; ++i) {
    urls.push_back("https://api.example.com/v2/users/" + std::to_string(100000 + i * 7919) + "/orders/" +
                   "3f2b8c1e-9d4a-4b6e-8f00-" + std::to_string(100000000000 + i) + "?page=" + std::to_string(i % 9));
  }
  for ([[maybe_unused]] auto _ : state) {
    for (const auto& u : urls) benchmark::DoNotOptimize(obscore::correlate::url_template(u));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * urls.size()));
}
BENCHMARK(BM_UrlTemplate);

void BM_ParseRfc3339(benchmark::State& state) {
  std::vector<std::string> stamps;
  stamps.reserve(1024);
  for (int i = 0; i < 1024; ++i) {
    stamps.push_back("2024-03-" + std::to_string(10 + i % 18) + "T" + std::to_string(10 + i % 13) + ":" +
                     std::to_string(10 + i % 49) + ":" + std::to_string(10 + i % 47) + "." +
                     std::to_string(100 + i % 899) + "+02:00");
  }
  for ([[maybe_unused]] auto _ : state) {
    for (const auto& s : stamps) benchmark::DoNotOptimize(obscore::core::parse_rfc3339_us(s));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stamps.size()));
}
BENCHMARK(BM_ParseRfc3339);

}  // namespace

BENCHMARK_MAIN();
