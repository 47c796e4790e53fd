// Micro-benchmarks of libs/config: the streaming YAML -> JSON converter, validation without a
// tree, and the positioned tree builder, on a deterministic generated config (bytes/s).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <iterator>
#include <string>

#include "obscore/config/document.hpp"

namespace {

std::string config_text(int services) {
  std::string s = "defaults: &defaults\n  retries: 3\n  timeout: 2.5s\n  enabled: true\nservices:\n";
  for (int i = 0; i < services; ++i) {
    fmt::format_to(std::back_inserter(s),
                   "  - name: service-{0}\n"
                   "    <<: *defaults\n"
                   "    port: {1}\n"
                   "    ratio: 0.{2}\n"
                   "    hosts: [\"h{0}a.example\", \"h{0}b.example\"]\n"
                   "    labels: {{team: core, tier: \"{3}\"}}\n"
                   "    description: |\n      Service number {0}\n      spans two lines\n",
                   i, 8000 + i % 1000, i % 97, i % 3);
  }
  return s;
}

class Sink : public obscore::config::JsonOut {
 public:
  void begin_document() override {}
  void write(std::string_view text) override { bytes += text.size(); }
  void end_document() override {}
  std::size_t bytes = 0;
};

void BM_ConvertToJson(benchmark::State& state) {
  std::string text = config_text(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) {
    Sink sink;
    obscore::config::convert_to_json(text, "bench.yaml", {}, sink);
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ConvertToJson)->Arg(2000);

void BM_Validate(benchmark::State& state) {
  std::string text = config_text(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(obscore::config::validate(text, "bench.yaml", {}));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Validate)->Arg(2000);

void BM_LoadTree(benchmark::State& state) {
  std::string text = config_text(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) {
    auto r = obscore::config::load(text, "bench.yaml");
    benchmark::DoNotOptimize(r.documents.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LoadTree)->Arg(2000);

}  // namespace

BENCHMARK_MAIN();
