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
Runner setup_schema(CLI::App& sub);

// `obscore merge` of each sharding subcommand's outputs (the table's merge column).
void merge_ast(const core::Partials& partials, const Globals& g);
void merge_logscan(const core::Partials& partials, const Globals& g);
void merge_patterns(const core::Partials& partials, const Globals& g);
void merge_config(const core::Partials& partials, const Globals& g);  // "config lint", "config validate"

}  // namespace obscore::app
