// `obscore patterns`: flags -> rule packs (YAML loaded through libs/config, rules validated by
// libs/patterns) and patterns::Options, then one call into libs/patterns.
#include <fmt/format.h>

#include "commands/commands.hpp"
#include "commands/yaml_input.hpp"
#include "obscore/core/read.hpp"
#include "obscore/patterns/patterns.hpp"

namespace obscore::app {

Runner setup_patterns(CLI::App& sub) {
  struct Flags {
    std::vector<std::string> inputs, rule_files;
    std::string fail_on, max_size = "4M";
    patterns::Options opt;
    bool no_builtin = false, no_ignore = false, list = false;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("inputs", f->inputs, "source files, directories, globs, or - for stdin");
  sub.add_option("--rules", f->rule_files, "YAML rule file (repeatable)")->allow_extra_args(false);
  sub.add_flag("--no-builtin", f->no_builtin, "do not load the built-in 'mobile' rule pack");
  sub.add_option("--category", f->opt.categories,
                 "report only this category (repeatable): business_rule, api_contract, "
                 "state_machine, data_model, user_flow, edge_case, or a rule file's own")
      ->allow_extra_args(false);
  sub.add_option("--fail-on", f->fail_on, "exit 1 if any finding is at or above SEVERITY (note, warning, error)");
  sub.add_option("--max-file-size", f->max_size, "skip larger files (bytes, or with K/M/G; default 4M)");
  sub.add_flag("--list-rules", f->list, "list the loaded rules (in the --format of every output) and exit");
  sub.add_flag("--all-files", f->opt.all_files,
               "also scan test sources, generated code and vendored or minified assets (skipped by "
               "default and counted under summary.skipped)");
  add_walk_flags(sub, f->opt.walk, f->no_ignore);
  add_shard_flag(sub, f->opt.walk);

  return [f](const Globals& g) {
    patterns::Options& o = f->opt;
    std::vector<patterns::Rule> rules;
    auto add = [&](std::string_view text, const std::string& origin) {
      load_yaml_documents(text, origin, [&](const core::Json& doc) { patterns::add_rules(doc, origin, rules); });
    };
    if (!f->no_builtin) add(patterns::builtin_pack("mobile"), "builtin:mobile");
    for (const auto& path : f->rule_files) {
      auto text = core::read_input(path, path == "-", core::ReadLimits{16u << 20, false});
      if (!text) throw core::Error(core::ErrorKind::kUsage, "--rules: " + text.error(), path);
      add(text->bytes(), path);
    }
    if (rules.empty()) {
      throw core::Error(core::ErrorKind::kUsage, "no rules: drop --no-builtin or add --rules FILE");
    }
    if (!f->fail_on.empty()) {
      o.fail_on = core::parse_severity(f->fail_on);
      if (!o.fail_on) {
        throw core::Error(core::ErrorKind::kUsage,
                          fmt::format("--fail-on: unknown severity '{}' (note, warning, error)", f->fail_on));
      }
    }
    auto size = core::parse_size(f->max_size);
    if (!size) throw core::Error(core::ErrorKind::kUsage, "--max-file-size: " + size.error());
    o.max_file_size = *size;
    if (f->list) {
      core::Output out(g.output_options("patterns"), patterns::make_rules_view());
      patterns::list_rules(rules, out);
      return core::ExitCode::kOk;
    }
    if (f->inputs.empty()) {
      throw core::Error(core::ErrorKind::kUsage, "no inputs: name source files or directories, or - for stdin");
    }
    o.walk.use_ignore_files = !f->no_ignore;
    o.progress = g.show_progress();
    patterns::RuleSet set(std::move(rules));
    core::Output out(g.output_options("patterns"), patterns::make_view(set));
    return finish(g, patterns::run(f->inputs, set, o, out));
  };
}

void merge_patterns(const core::Partials& partials, const Globals& g) {
  core::Output out(g.output_options("patterns"), patterns::make_view(patterns::RuleSet({})));
  patterns::merge(partials, out);
}

}  // namespace obscore::app
