// The shared result of a run and its exit code.
#include "obscore/core/run.hpp"

namespace obscore::core {

ExitCode exit_code_for(const RunResult& result) {
  return worst(exit_code_for(result.diagnostics), result.gate_tripped ? ExitCode::kGate : ExitCode::kOk);
}

long long elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace obscore::core
