// Shell completion generated from the CLI11 app itself, so it never drifts from the flags.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace obscore::app {

// A bash completion script for `app` and all its nested subcommands: subcommand names, every
// option (an ancestor's options are valid below it), the choices of options that validate
// against a set (--format json|ndjson|...), and file names for the other values.
std::string bash_completion(const CLI::App& app);

}  // namespace obscore::app
