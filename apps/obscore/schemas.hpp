// The JSON Schemas of schemas/ (one per subcommand), compiled into the binary by
// cmake/EmbedSchemas.cmake so that `obscore schema <cmd>` needs no installed files.
#pragma once

#include <span>
#include <string_view>

namespace obscore::app {

struct EmbeddedSchema {
  std::string_view name;  // the subcommand: "ast", "config", ...
  std::string_view text;  // the file's bytes, exactly as in schemas/<name>.schema.json
};

// In the order of the subcommand table.
std::span<const EmbeddedSchema> embedded_schemas();

}  // namespace obscore::app
