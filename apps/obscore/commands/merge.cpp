// `obscore merge`: partial JSON outputs of `--shard K/N` runs -> the unsharded run's output,
// merged by the library that produced them.
#include "commands/commands.hpp"
#include "obscore/ast/ast.hpp"
#include "obscore/config/tools.hpp"
#include "obscore/core/json.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/read.hpp"
#include "obscore/logscan/logscan.hpp"
#include "obscore/patterns/patterns.hpp"

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
    core::Partials p = core::gather_partials(std::move(partials));
    if (p.command == "ast") {
      core::Output out(g.output_options("ast"), ast::make_view(ast::RunOptions{}));
      ast::merge(p, out);
    } else if (p.command == "patterns") {
      core::Output out(g.output_options("patterns"), patterns::make_view(patterns::RuleSet({})));
      patterns::merge(p, out);
    } else if (p.command == "logscan") {
      core::Output out(g.output_options("logscan"), logscan::make_view());
      report(g, logscan::merge(p, out));
    } else if (p.command == "config lint") {
      core::Output out(g.output_options("config lint"), config::make_lint_view());
      config::merge_lint(p, out);
    } else if (p.command == "config validate") {
      core::Output out(g.output_options("config validate"), config::make_validate_view());
      config::merge_validate(p, out);
    } else {
      throw core::Error(core::ErrorKind::kUsage,
                        "merge: outputs of `" + p.command + "` cannot be merged (ast, patterns, logscan, config lint/validate)",
                        files->front());
    }
    return core::worst(core::exit_code_for(p.diagnostics), p.gate_tripped ? core::ExitCode::kGate : core::ExitCode::kOk);
  };
}

}  // namespace obscore::app
