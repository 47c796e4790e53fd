// The obscore application: global options, the subcommand table, error -> exit code mapping.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>

#include <CLI/CLI.hpp>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::app {

// Global options, shared by every subcommand.
struct Globals {
  std::string format;   // empty = table on a terminal, json otherwise
  std::string output;   // -o FILE
  int threads = 0;      // 0 = all cores
  bool quiet = false;
  int verbose = 0;
  std::string color = "auto";
  // Set once the diagnostics were printed (above a terminal table) so finish() does not repeat them.
  std::shared_ptr<bool> reported = std::make_shared<bool>(false);

  // Output options for `command`, resolving the default format and colour.
  core::OutputOptions output_options(const std::string& command) const;
  bool show_progress() const;
  bool color_stderr() const;
};

// Prints each diagnostic on stderr: errors always, warnings unless -q, notes only with -v. On a
// terminal without -v, kSummariseFrom or more of one kind become one line with their count.
inline constexpr std::size_t kSummariseFrom = 4;
void report(const Globals& g, const std::vector<core::Diagnostic>& diagnostics);

// Reports a run's diagnostics and returns its exit code (core::exit_code_for).
core::ExitCode finish(const Globals& g, const core::RunResult& result);

// The input-walking flags every subcommand that reads trees shares: --no-ignore, --hidden,
// -L/--follow, --include, --exclude. `no_ignore` is stored separately (it negates a default).
void add_walk_flags(CLI::App& sub, core::WalkOptions& walk, bool& no_ignore);

// `--shard K/N` for subcommands whose partial outputs `obscore merge` combines.
void add_shard_flag(CLI::App& sub, core::WalkOptions& walk);

// A whole number in [lo, hi], checked with a message that names the limits as integers (CLI11's
// Range and PositiveNumber print doubles, and PositiveNumber refuses 0 with "not in range 0 to ...").
CLI::Validator whole_number(long long lo, long long hi);

// One subcommand: adds itself to the app and returns the function that runs it.
using Runner = std::function<core::ExitCode(const Globals&)>;
// `obscore merge` of a subcommand's `--shard K/N` outputs: writes the unsharded run's output
// (partials.command may name a verb: "config lint").
using Merger = void (*)(const core::Partials& partials, const Globals& g);
struct Command {
  const char* name;
  const char* summary;
  Runner (*setup)(CLI::App& sub);
  Merger merge;  // nullptr: the subcommand has no --shard
};

// The subcommand table, in help order.
std::span<const Command> commands();

int run(int argc, char** argv);

}  // namespace obscore::app
