// Micro-benchmark of libs/patterns' hot kernel: the built-in rule set over a Kotlin source file.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "obscore/config/document.hpp"
#include "obscore/patterns/patterns.hpp"

namespace {

using namespace obscore::patterns;

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
  for ([[maybe_unused]] auto _ : state) {
    auto m = set.scan("Screen.kt", src);
    benchmark::DoNotOptimize(m.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_RuleSetScanKotlin);

}  // namespace

BENCHMARK_MAIN();
