// The subcommands' setup functions; app.cpp lists them in its one explicit table.
#pragma once

#include "app.hpp"

namespace obscore::app {

Runner setup_ast(CLI::App& sub);
Runner setup_logscan(CLI::App& sub);
Runner setup_patterns(CLI::App& sub);
Runner setup_correlate(CLI::App& sub);
Runner setup_config(CLI::App& sub);
Runner setup_crypto(CLI::App& sub);
Runner setup_netscan(CLI::App& sub);
Runner setup_merge(CLI::App& sub);

}  // namespace obscore::app
