// Turns the command line's inputs (files, directories, globs, `-`) into a sorted, de-duplicated
// list of files, the way ripgrep does: recursive, .gitignore/.ignore aware, hidden files and
// symlinks skipped unless asked for, symlink loops detected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "obscore/core/diagnostic.hpp"

namespace obscore::core {

struct WalkOptions {
  bool use_ignore_files = true;       // honour .gitignore and .ignore (`--no-ignore` clears it)
  bool hidden = false;                // descend into / list dot-files (`--hidden`)
  bool follow_symlinks = false;       // `--follow`
  std::vector<std::string> include;   // `--include GLOB`: keep only files that match one
  std::vector<std::string> exclude;   // `--exclude GLOB`: drop files and directories that match
  // Keeps a file found by walking a directory (not one named explicitly); empty = keep all.
  // Used to select files by extension, e.g. the languages `ast` knows.
  bool (*accept)(std::string_view path, const void* ctx) = nullptr;
  const void* accept_ctx = nullptr;
  // `--shard K/N`: keep only the files of shard `shard_index` (0-based) of `shard_count`, chosen
  // by a stable hash of the displayed path (stdin belongs to shard 0). The shards of one input
  // set are disjoint and cover it, on any machine, whatever else the set holds.
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 1;
  bool sharded = false;  // --shard was given (even 1/1): the output carries its shard member
};

// The shard (0-based) of a displayed path among `count`: FNV-1a 64 of its bytes, modulo count.
std::uint32_t shard_of(std::string_view path, std::uint32_t count);

// "K/N" with 1 <= K <= N <= 65536 -> {K - 1, N}; nullopt when malformed.
std::optional<std::pair<std::uint32_t, std::uint32_t>> parse_shard(std::string_view spec);

struct InputFile {
  std::string path;        // as displayed: the argument, or argument + '/' + relative path
  bool is_stdin = false;   // `-`
  bool explicit_arg = false;  // named on the command line (not found by walking)
};

struct WalkResult {
  std::vector<InputFile> files;      // sorted by path, de-duplicated; stdin first
  std::vector<Diagnostic> diagnostics;  // missing paths (errors), symlink loops (warnings)
};

// Expands `inputs`. Never throws for a bad input: it becomes a diagnostic.
WalkResult walk(const std::vector<std::string>& inputs, const WalkOptions& options);

}  // namespace obscore::core
