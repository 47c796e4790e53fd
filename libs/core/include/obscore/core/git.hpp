// Asking git which files changed, for changed-only runs (`--changed-since REF`).
#pragma once

#include <string>
#include <unordered_set>

#include "obscore/core/error.hpp"

namespace obscore::core {

// Absolute real paths of the files that differ between `ref` and the work tree (committed,
// staged or not) plus untracked, not ignored files, in the repository that holds `dir`.
// Fails with git's own message when `ref` is unknown or `dir` is not in a repository.
Result<std::unordered_set<std::string>> git_changed_files(const std::string& ref,
                                                          const std::string& dir = ".");

// realpath(3) as a string; empty when the path does not resolve.
std::string real_path(const std::string& path);

}  // namespace obscore::core
