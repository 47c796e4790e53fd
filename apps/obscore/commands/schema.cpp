// `obscore schema [<cmd>]`: prints the JSON Schema (draft 2020-12) of a subcommand's JSON and
// NDJSON output, embedded in the binary at build time; without a name, lists the subcommands.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "commands/commands.hpp"
#include "obscore/core/atomic_file.hpp"
#include "schemas.hpp"

namespace obscore::app {

namespace {

std::string names() {
  std::string out;
  for (const auto& s : embedded_schemas()) out += fmt::format("{}{}", out.empty() ? "" : ", ", s.name);
  return out;
}

void write(const Globals& g, std::string_view text) {
  if (g.output.empty() || g.output == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
      if (errno == EPIPE) throw core::ReaderGone();  // `obscore schema ast | head`: not an error
      throw core::Error(core::ErrorKind::kInput, fmt::format("cannot write output: {}", std::strerror(errno)), "<stdout>");
    }
    return;
  }
  core::AtomicFile file(g.output);
  file.write(text);
  file.commit();
}

}  // namespace

Runner setup_schema(CLI::App& sub) {
  auto name = std::make_shared<std::string>();
  sub.add_option("command", *name, "the subcommand whose output schema to print (none: list them)")
      ->type_name("{" + [] {
        std::string list;
        for (const auto& s : embedded_schemas()) list += (list.empty() ? "" : ",") + std::string(s.name);
        return list;
      }() + "}");
  sub.footer(
      "Schemas are JSON Schema draft 2020-12, one per subcommand; each covers --format json (the "
      "envelope), every --format ndjson line ($defs/ndjson_line) and, where the subcommand has --shard, the partial outputs `obscore merge` reads ($defs/partial). "
      "They are also installed in share/obscore/schemas.");
  return [name](const Globals& g) {
    auto schemas = embedded_schemas();
    if (name->empty()) {
      std::string list;
      for (const auto& s : schemas) list += fmt::format("{}\n", s.name);
      write(g, list);
      return core::ExitCode::kOk;
    }
    auto it = std::find_if(schemas.begin(), schemas.end(), [&](const EmbeddedSchema& s) { return s.name == *name; });
    if (it == schemas.end()) {
      throw core::Error(core::ErrorKind::kUsage,
                        fmt::format("schema: no subcommand '{}' has a schema (known: {})", *name, names()));
    }
    write(g, it->text);
    return core::ExitCode::kOk;
  };
}

}  // namespace obscore::app
