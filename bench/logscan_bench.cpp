// Micro-benchmarks of libs/logscan's hot kernels: format detection, header parsing per line and
// the multi-pattern line matcher.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "formats.hpp"
#include "obscore/logscan/logscan.hpp"
#include "scanner.hpp"

namespace {

using namespace obscore::logscan;

std::vector<std::string> iso_lines(int n) {
  static constexpr const char* kLevels[] = {"INFO", "DEBUG", "WARN", "ERROR"};
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back("2024-03-01T12:" + std::to_string(10 + i % 50) + ":" + std::to_string(10 + i % 49) +
                  ".123Z " + kLevels[i % 4] + " [worker-" + std::to_string(i % 8) +
                  "] com.example.Service - request " + std::to_string(i) + " took " + std::to_string(i % 997) +
                  " ms user=u" + std::to_string(i % 131));
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

void BM_DetectFormat(benchmark::State& state) {
  std::string sample = joined(iso_lines(64));
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(detect_format(sample, 2024));
}
BENCHMARK(BM_DetectFormat);

void BM_ParseIsoHeader(benchmark::State& state) {
  auto lines = iso_lines(4096);
  FormatParser parser(FormatId::kIso, 2024);
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  for ([[maybe_unused]] auto _ : state) {
    for (const auto& l : lines) {
      Header h;
      benchmark::DoNotOptimize(parser.parse(l, h));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseIsoHeader);

void BM_RegexSetMatch(benchmark::State& state) {
  auto lines = iso_lines(4096);
  std::vector<Pattern> patterns = {{"timeout", "took [0-9]{3} ms"}, {"user", "user=u1[0-9]+"},
                                   {"worker7", R"(\[worker-7\])"},   {"err", "ERROR"},
                                   {"req", "request [0-9]+5 "},      {"svc", "Service - request"},
                                   {"none", "no such text"},         {"debug", "DEBUG .* took 9"}};
  obscore::core::RegexSet set(regex_entries(patterns));
  std::vector<int> hits;
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  for ([[maybe_unused]] auto _ : state) {
    for (const auto& l : lines) set.match_line(l, hits);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_RegexSetMatch);

}  // namespace

BENCHMARK_MAIN();
