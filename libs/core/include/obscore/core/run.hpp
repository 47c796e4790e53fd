// What every run returns, and the pieces of a run's skeleton that every subcommand shares: the
// exit code of a result, and the elapsed time that summaries report as duration_ms.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/error.hpp"

namespace obscore::core {

struct RunResult {
  std::vector<Diagnostic> diagnostics;  // per input, sorted by path and position
  bool gate_tripped = false;            // a threshold, --fail-on or a verification failed
  std::size_t findings = 0;             // what the gate counted (0 where a command has none)
};

// The highest of: 3/4 from the diagnostics' severities, 1 when the gate tripped, else 0.
ExitCode exit_code_for(const RunResult& result);

// Whole milliseconds since `start` (steady clock), as summaries report duration_ms.
long long elapsed_ms(std::chrono::steady_clock::time_point start);

}  // namespace obscore::core
