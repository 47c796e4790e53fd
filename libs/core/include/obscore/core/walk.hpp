// Turns the command line's inputs (files, directories, globs, `-`) into a sorted, de-duplicated
// list of files, the way ripgrep does: recursive, .gitignore/.ignore aware, hidden files and
// symlinks skipped unless asked for, symlink loops detected.
#pragma once

#include <cstdint>
#include <string>
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
};

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
