// YAML inputs of the subcommands (pattern files, rule packs): loaded through libs/config, each
// document handed to a feature library as plain data; problems become usage errors (exit 2)
// at the file's line and column.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "obscore/core/diagnostic.hpp"

namespace obscore::app {

// Calls `use` for every document of the YAML (or JSON) stream `text`. A syntax error, a
// duplicate key or a core::DataError thrown by `use` is rethrown as core::Error(kUsage)
// naming path:line:col.
void load_yaml_documents(std::string_view text, const std::string& path,
                         const std::function<void(const core::Json&)>& use);

}  // namespace obscore::app
