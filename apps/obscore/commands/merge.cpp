// `obscore merge`: partial JSON outputs of `--shard K/N` runs -> the unsharded run's output,
// merged by the library that produced them.
#include "commands/commands.hpp"
#include "obscore/core/json.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/read.hpp"

namespace obscore::app {

Runner setup_merge(CLI::App& sub) {
  auto files = std::make_shared<std::vector<std::string>>();
  sub.add_option("partials", *files, "the JSON outputs of all N runs of `--shard K/N` (any order)")->required();
  return [files](const Globals& g) {
    std::vector<core::Partial> partials;
    for (const auto& path : *files) {
      auto text = core::read_input(path, path == "-", core::ReadLimits{});
      if (!text) throw core::Error(core::ErrorKind::kInput, text.error(), path);
      std::optional<core::TextPosition> deep;
      auto doc = core::parse_untrusted_json(text->bytes(), &deep);
      if (deep) throw core::Error(core::ErrorKind::kUsage, core::excess_nesting_message(), path, deep->line, deep->column);
      if (!doc) throw core::Error(core::ErrorKind::kUsage, "not JSON: merge reads the outputs of --format json runs", path);
      partials.push_back({path, std::move(*doc)});
    }
    core::Partials p = core::gather_partials(partials);
    // The subcommand is the first word of the recorded command ("config lint" -> config).
    std::string_view name = std::string_view(p.command).substr(0, p.command.find(' '));
    const Command* command = nullptr;
    std::string mergeable;
    for (const auto& c : commands()) {
      if (c.merge == nullptr) continue;
      mergeable += (mergeable.empty() ? "" : ", ") + std::string(c.name);
      if (name == c.name) command = &c;
    }
    if (command == nullptr) {
      throw core::Error(core::ErrorKind::kUsage,
                        "merge: outputs of `" + p.command + "` cannot be merged (" + mergeable + ")", files->front());
    }
    command->merge(p, g);
    return core::exit_code_for(core::RunResult{p.diagnostics, p.gate_tripped});
  };
}

}  // namespace obscore::app
