// Micro-benchmarks of libs/logscan's hot kernels: format detection, header parsing per line,
// the multi-pattern line matcher and the patterns rule set over a source file.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "formats.hpp"
#include "obscore/config/config.hpp"
#include "obscore/logscan/logscan.hpp"
#include "obscore/logscan/patterns.hpp"
#include "scanner.hpp"

namespace {

using namespace obscore::logscan;

std::vector<std::string> iso_lines(int n) {
  static const char* kLevels[] = {"INFO", "DEBUG", "WARN", "ERROR"};
  std::vector<std::string> out;
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
  for (auto _ : state) benchmark::DoNotOptimize(detect_format(sample, 2024));
}
BENCHMARK(BM_DetectFormat);

void BM_ParseIsoHeader(benchmark::State& state) {
  auto lines = iso_lines(4096);
  FormatParser parser(FormatId::kIso, 2024);
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  for (auto _ : state) {
    for (const auto& l : lines) {
      Header h;
      benchmark::DoNotOptimize(parser.parse(l, h));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseIsoHeader);

void BM_PatternSetMatch(benchmark::State& state) {
  auto lines = iso_lines(4096);
  std::vector<Pattern> patterns = {{"timeout", "took [0-9]{3} ms"}, {"user", "user=u1[0-9]+"},
                                   {"worker7", R"(\[worker-7\])"},   {"err", "ERROR"},
                                   {"req", "request [0-9]+5 "},      {"svc", "Service - request"},
                                   {"none", "no such text"},         {"debug", "DEBUG .* took 9"}};
  PatternSet set(patterns);
  std::vector<int> hits;
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  for (auto _ : state) {
    for (const auto& l : lines) set.match_line(l, hits);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_PatternSetMatch);

void BM_RuleSetScanKotlin(benchmark::State& state) {
  std::vector<Rule> rules;
  auto pack = obscore::config::load(builtin_pack("mobile"), "builtin:mobile");
  for (const auto& doc : pack.documents) add_rules(doc.value, "builtin:mobile", rules);
  RuleSet set(std::move(rules));
  std::string src;
  for (int i = 0; i < 300; ++i) {
    src += "class Screen" + std::to_string(i) + "ViewModel : ViewModel() {\n"
           "  fun load(id: Int) { require(id > 0) { \"bad id\" }\n"
           "    _state.value = UiState.Loading\n"
           "    api.get(\"/users/$id\").onFailure { _state.value = UiState.Error(it) }\n  }\n}\n";
  }
  for (auto _ : state) {
    auto m = set.scan("Screen.kt", src);
    benchmark::DoNotOptimize(m.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_RuleSetScanKotlin);

}  // namespace

BENCHMARK_MAIN();
