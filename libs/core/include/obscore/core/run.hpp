// What every run returns, and the skeleton of a run that every per-file (or per-item) subcommand
// shares: items analysed in parallel and delivered in order, a progress line, the diagnostics
// of each item gathered and sorted, duration_ms and the shard block in the summary, and the
// exit code of the result.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"
#include "obscore/core/terminal.hpp"

namespace obscore::core {

struct WalkOptions;

struct RunResult {
  std::vector<Diagnostic> diagnostics;  // per input, sorted by path and position
  bool gate_tripped = false;            // a threshold, --fail-on or a verification failed
  std::size_t findings = 0;             // what the gate counted (0 where a command has none)
};

// The highest of: 3/4 from the diagnostics' severities, 1 when the gate tripped, else 0.
ExitCode exit_code_for(const RunResult& result);

// Whole milliseconds since `start` (steady clock), as summaries report duration_ms.
long long elapsed_ms(std::chrono::steady_clock::time_point start);

// Where an item's diagnostics point when its analysis fails: a file, or a line of one input.
struct ItemPlace {
  std::string path;
  int line = 0;
};

// One run over items (files, or the lines of a batch), started when constructed:
//
//   core::ItemRun run(result, "ast", options.progress);
//   run.for_each(files.size(), place, analyse, deliver);
//   run.finish(summary, &options.walk, result.findings > 0);
//   out.finish(summary, result.diagnostics);
class ItemRun {
 public:
  ItemRun(RunResult& result, std::string_view progress_label, bool show_progress);

  using Analyse = std::function<void(std::size_t i, std::vector<Diagnostic>& diagnostics)>;
  using Deliver = std::function<void(std::size_t i)>;
  using Place = std::function<ItemPlace(std::size_t i)>;

  // Runs analyse(i, diagnostics) for every i < n in parallel (at most about `in_flight` items at
  // once; 0: the pool's own bound) and deliver(i) on one thread in increasing i, after item i's
  // diagnostics joined the run's and the progress line advanced. An exception from analyse(i)
  // becomes an error diagnostic at place(i) (a core::Error keeps its message; anything else is
  // "internal error: ...") and item i is not delivered; the other items go on.
  void for_each(std::size_t n, const Place& place, const Analyse& analyse, const Deliver& deliver,
                std::size_t in_flight = 0);

  // The end of the run: the diagnostics sorted by path and position; summary["duration_ms"] set
  // (where the summary has the key already, in its place); summary["shard"] when `walk` is given
  // and sharded, saying whether this shard's gate tripped.
  void finish(Json& summary, const WalkOptions* walk = nullptr, bool gate_tripped = false);

 private:
  RunResult& result_;
  std::chrono::steady_clock::time_point started_;
  std::string label_;
  bool show_progress_;
};

}  // namespace obscore::core
