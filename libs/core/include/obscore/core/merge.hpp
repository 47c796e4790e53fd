// Partial outputs of sharded runs (`--shard K/N`) and what every `obscore merge` shares: the
// checks that the partials are one command's shards 1..N exactly once, results in path order,
// diagnostics de-duplicated (an input error outside the partition shows up in every shard) and
// sorted as an unsharded run sorts them. Each library merges its own summary on top.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::core {

struct Partial {
  std::string path;  // where it was read from, for messages
  Json document;     // the JSON envelope of one shard's run
};

struct Partials {
  std::string command;
  std::uint32_t count = 0;
  std::vector<Json> summaries;          // in shard order, without their "shard" member
  std::vector<Json> states;             // in shard order: each shard member's "state" (or null)
  std::vector<Json> results;            // all shards' results, stably sorted by "path"
  std::vector<Diagnostic> diagnostics;  // de-duplicated and sorted
  bool gate_tripped = false;            // some shard tripped its gate
};

// Throws Error(kUsage) naming the file for anything that is not a complete set of shards of one
// command's JSON output.
Partials gather_partials(const std::vector<Partial>& partials);

// The "shard" member a sharded run adds to its summary: {index (1-based), count, gate_tripped}.
Json shard_summary(const WalkOptions& walk, bool gate_tripped);

}  // namespace obscore::core
