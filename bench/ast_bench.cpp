// Micro-benchmarks of libs/ast's hot kernels: tree-sitter parsing alone, and parsing plus the
// metric walk, on deterministic generated sources (bytes/s).
#include <benchmark/benchmark.h>

#include <string>

#include "obscore/ast/ast.hpp"

namespace {

std::string python_source(int functions) {
  std::string s = "import os\n\n";
  for (int i = 0; i < functions; ++i) {
    s += "def f" + std::to_string(i) + "(a, b=1, *args, **kw):\n"
         "    # a comment\n"
         "    total = 0\n"
         "    for x in args:\n"
         "        if x and (x > b or x < -b):\n"
         "            total += x if x % 2 else -x\n"
         "        elif x == 0:\n"
         "            continue\n"
         "        else:\n"
         "            try:\n"
         "                total += int(kw.get('k', 0))\n"
         "            except (ValueError, TypeError):\n"
         "                pass\n"
         "    return [y for y in range(total) if y % 3]\n\n";
  }
  return s;
}

std::string java_source(int methods) {
  std::string s = "class Sample {\n";
  for (int i = 0; i < methods; ++i) {
    s += "  int m" + std::to_string(i) + "(int a, int b) {\n"
         "    int t = 0;\n"
         "    for (int k = 0; k < a; k++) {\n"
         "      if (k > b && k % 2 == 0 || k == 7) { t += k; } else if (k < 0) { t -= k; } else { t++; }\n"
         "      switch (k) { case 1: t++; break; case 2: t--; break; default: break; }\n"
         "    }\n"
         "    return t > 0 ? t : -t;\n"
         "  }\n";
  }
  return s + "}\n";
}

void BM_ParseOnlyPython(benchmark::State& state) {
  std::string src = python_source(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(obscore::ast::parse_only(src, obscore::ast::Language::kPython));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_ParseOnlyPython)->Arg(200);

void BM_AnalyzePython(benchmark::State& state) {
  std::string src = python_source(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) {
    auto m = obscore::ast::analyze_source(src, obscore::ast::Language::kPython);
    benchmark::DoNotOptimize(m.functions.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_AnalyzePython)->Arg(200);

void BM_AnalyzeJava(benchmark::State& state) {
  std::string src = java_source(static_cast<int>(state.range(0)));
  for ([[maybe_unused]] auto _ : state) {
    auto m = obscore::ast::analyze_source(src, obscore::ast::Language::kJava);
    benchmark::DoNotOptimize(m.functions.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * src.size()));
}
BENCHMARK(BM_AnalyzeJava)->Arg(200);

}  // namespace

BENCHMARK_MAIN();
