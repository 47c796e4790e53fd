// The shared result of a run, its exit code, and the per-item run skeleton (see run.hpp).
#include "obscore/core/run.hpp"

#include <exception>
#include <new>

#include <fmt/format.h>

#include "obscore/core/merge.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::core {

ExitCode exit_code_for(const RunResult& result) {
  return worst(exit_code_for(result.diagnostics), result.gate_tripped ? ExitCode::kGate : ExitCode::kOk);
}

long long elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

ItemRun::ItemRun(RunResult& result, std::string_view progress_label, bool show_progress)
    : result_(result),
      started_(std::chrono::steady_clock::now()),
      label_(progress_label),
      show_progress_(show_progress) {}

void ItemRun::for_each(std::size_t n, const Place& place, const Analyse& analyse, const Deliver& deliver,
                       std::size_t in_flight) {
  std::vector<std::vector<Diagnostic>> diagnostics(n);
  std::vector<char> failed(n, 0);
  Progress progress(show_progress_, label_, n);
  auto work = [&](std::size_t i) {
    auto fail = [&](std::string message) {
      ItemPlace at = place(i);
      diagnostics[i].push_back({std::move(at.path), at.line, 0, Severity::kError, std::move(message)});
      failed[i] = 1;
    };
    try {
      analyse(i, diagnostics[i]);
    } catch (const Error& e) {
      fail(e.what());
    } catch (const std::bad_alloc&) {
      fail("out of memory while analysing this input");
    } catch (const std::exception& e) {
      fail(fmt::format("internal error: {}", e.what()));
    }
  };
  auto hand_over = [&](std::size_t i) {
    progress.advance();
    for (auto& d : diagnostics[i]) result_.diagnostics.push_back(std::move(d));
    std::vector<Diagnostic>().swap(diagnostics[i]);
    if (!failed[i]) deliver(i);
  };
  for_each_ordered(n, work, hand_over, in_flight);
  progress.finish();
}

void ItemRun::finish(Json& summary, const WalkOptions* walk, bool gate_tripped) {
  sort_diagnostics(result_.diagnostics);
  summary["duration_ms"] = elapsed_ms(started_);
  if (walk != nullptr && walk->sharded) summary["shard"] = shard_summary(*walk, gate_tripped);
}

}  // namespace obscore::core
