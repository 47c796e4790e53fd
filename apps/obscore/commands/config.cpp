// `obscore config <verb>`: flags -> options, then one call into libs/config per verb.
#include <limits>

#include <fmt/format.h>

#include "commands/commands.hpp"
#include "obscore/config/tools.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/terminal.hpp"

namespace obscore::app {

namespace {

struct ReadFlags {
  bool yaml_1_1 = false, allow_duplicates = false;
  std::string syntax = "auto", max_size = "0";
  std::size_t max_depth = 1000, max_alias_nodes = 1'000'000;
};

void add_read_flags(CLI::App& verb, ReadFlags& f) {
  verb.add_flag("--yaml-1.1", f.yaml_1_1, "YAML 1.1 scalars: yes/no/on/off booleans, 0755 octal, 1:30 base 60");
  verb.add_flag("--allow-duplicate-keys", f.allow_duplicates,
                "keep the last of duplicate keys (with a warning) instead of failing");
  verb.add_option("--input-format", f.syntax,
                  "auto (strict JSON for .json files, YAML otherwise), yaml, or json (strict RFC 8259)")
      ->check(CLI::IsMember({"auto", "yaml", "json"}));
  verb.add_option("--max-depth", f.max_depth, "deepest nesting accepted (default 1000)")->check(whole_number(1, 1'000'000));
  verb.add_option("--max-alias-nodes", f.max_alias_nodes,
                  "nodes that aliases may copy in, in total (default 1000000; beyond: alias bomb)")
      ->check(whole_number(0, std::numeric_limits<int>::max()));
}

config::ReadOptions read_options(const ReadFlags& f) {
  config::ReadOptions r;
  r.load.yaml_1_1 = f.yaml_1_1;
  r.load.allow_duplicate_keys = f.allow_duplicates;
  r.load.max_depth = f.max_depth;
  r.load.max_alias_nodes = f.max_alias_nodes;
  r.syntax = f.syntax == "yaml" ? config::Syntax::kYaml : f.syntax == "json" ? config::Syntax::kJson : config::Syntax::kAuto;
  auto size = core::parse_size(f.max_size);
  if (!size) throw core::Error(core::ErrorKind::kUsage, "--max-file-size: " + size.error());
  r.max_file_size = *size;
  return r;
}

// Pretty by default on a terminal, compact otherwise; --indent/--compact decide explicitly.
int indent_for(const Globals& g, int indent, bool compact) {
  if (compact) return 0;
  if (indent >= 0) return indent;
  return g.output.empty() && core::is_terminal(stdout) ? 2 : 0;
}

config::MergeOptions merge_options(const std::string& lists) {
  auto m = config::parse_merge_lists(lists);
  if (!m) throw core::Error(core::ErrorKind::kUsage, fmt::format("--lists: '{}' is not replace, append or merge-by=KEY", lists));
  return *m;
}

}  // namespace

Runner setup_config(CLI::App& sub) {
  sub.require_subcommand(1);
  struct Flags {
    ReadFlags read;
    std::vector<std::string> inputs;
    std::string file, expr, lists = "replace", fail_on = "error", to = "json";
    bool array = false, compact = false, raw = false, explain = false, no_ignore = false;
    int indent = -1;
    core::WalkOptions walk;
  };
  auto f = std::make_shared<Flags>();
  auto add_indent = [&](CLI::App* v) {
    v->add_option("--indent", f->indent, "pretty-print with N spaces (default: 2 on a terminal, else compact)")
        ->check(whole_number(0, 16));
    v->add_flag("--compact", f->compact, "one line per JSON value");
  };

  CLI::App* to_json = sub.add_subcommand("to-json", "YAML or JSON to JSON, streamed (one value per document)");
  to_json->add_option("inputs", f->inputs, "files, or - for stdin")->required();
  to_json->add_flag("--array", f->array, "wrap all documents in one JSON array");
  add_indent(to_json);
  add_read_flags(*to_json, f->read);

  CLI::App* to_yaml = sub.add_subcommand("to-yaml", "JSON or YAML to block-style YAML");
  to_yaml->add_option("inputs", f->inputs, "files, or - for stdin")->required();
  add_read_flags(*to_yaml, f->read);

  CLI::App* get = sub.add_subcommand("get", "print the value at a path (.a.b[0].c or /a/b/0/c); exit 1 if absent");
  get->add_option("file", f->file, "file, or - for stdin")->required();
  get->add_option("expr", f->expr, "path: .a.b[0].c, .[\"dotted.key\"], . for the root, or a JSON Pointer")
      ->required();
  get->add_flag("-r,--raw", f->raw, "print strings without quotes");
  add_indent(get);
  add_read_flags(*get, f->read);

  CLI::App* merge = sub.add_subcommand("merge", "deep-merge BASE with OVERLAYs (later wins)");
  merge->add_option("inputs", f->inputs, "BASE OVERLAY...")->required();
  merge->add_option("--lists", f->lists, "lists: replace (default), append, or merge-by=KEY");
  merge->add_flag("--explain", f->explain, "list every leaf with the file:line:col it came from");
  merge->add_option("--to", f->to, "output json (default) or yaml")->check(CLI::IsMember({"json", "yaml"}));
  add_indent(merge);
  add_read_flags(*merge, f->read);

  CLI::App* lint = sub.add_subcommand("lint", "lint YAML/JSON files: duplicate keys, YAML 1.1 ambiguities, aliases, tabs");
  lint->add_option("inputs", f->inputs, "files, directories, globs, or - for stdin")->required();
  lint->add_option("--fail-on", f->fail_on, "exit 1 when a finding is at or above: error (default), warning, note, never")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  add_walk_flags(*lint, f->walk, f->no_ignore);
  add_shard_flag(*lint, f->walk);
  add_read_flags(*lint, f->read);

  CLI::App* validate = sub.add_subcommand("validate", "parse every YAML/JSON file in parallel; exit 3 if any is invalid");
  validate->add_option("inputs", f->inputs, "files, directories, globs, or - for stdin")->required();
  add_walk_flags(*validate, f->walk, f->no_ignore);
  add_shard_flag(*validate, f->walk);
  add_read_flags(*validate, f->read);

  for (CLI::App* v : {to_json, to_yaml, get, merge, lint, validate}) {
    v->fallthrough();
    v->add_option("--max-file-size", f->read.max_size, "refuse larger inputs (bytes, or with K/M/G; default: no limit)");
  }

  return [f, to_json, to_yaml, get, merge, lint, validate](const Globals& g) {
    config::ReadOptions read = read_options(f->read);
    int indent = indent_for(g, f->indent, f->compact);
    if (get->parsed()) f->inputs = {f->file};
    if (merge->parsed() && f->inputs.size() < 2) {
      throw core::Error(core::ErrorKind::kUsage, "merge needs BASE and at least one OVERLAY");
    }
    if (merge->parsed() && f->explain) {
      core::Output out(g.output_options("config merge"), config::make_explain_view());
      return finish(g, config::run_merge_explain(f->inputs, {read, merge_options(f->lists), false, 0}, out));
    }
    if (to_json->parsed() || to_yaml->parsed() || get->parsed() || merge->parsed()) {
      auto out = config::open_text_output(g.output, f->inputs);
      config::RunResult r;
      if (to_json->parsed()) {
        r = config::run_to_json(f->inputs, {read, f->array, indent}, *out);
      } else if (to_yaml->parsed()) {
        r = config::run_to_yaml(f->inputs, {read}, *out);
      } else if (get->parsed()) {
        r = config::run_get(f->inputs.front(), f->expr, {read, f->raw, indent}, *out);
      } else {
        r = config::run_merge(f->inputs, {read, merge_options(f->lists), f->to == "yaml", indent}, *out);
      }
      out->commit();
      return finish(g, r);
    }
    config::FilesOptions o;
    o.read = read;
    o.walk = f->walk;
    o.walk.use_ignore_files = !f->no_ignore;
    o.progress = g.show_progress();
    if (lint->parsed()) {
      o.gate = f->fail_on != "never";
      o.fail_on = core::parse_severity(f->fail_on).value_or(core::Severity::kError);
      core::Output out(g.output_options("config lint"), config::make_lint_view());
      return finish(g, config::run_lint(f->inputs, o, out));
    }
    core::Output out(g.output_options("config validate"), config::make_validate_view());
    return finish(g, config::run_validate(f->inputs, o, out));
  };
}

void merge_config(const core::Partials& partials, const Globals& g) {
  if (partials.command == "config lint") {
    core::Output out(g.output_options("config lint"), config::make_lint_view());
    config::merge_lint(partials, out);
  } else if (partials.command == "config validate") {
    core::Output out(g.output_options("config validate"), config::make_validate_view());
    config::merge_validate(partials, out);
  } else {
    throw core::Error(core::ErrorKind::kUsage, "merge: outputs of `" + partials.command +
                                                   "` cannot be merged (config lint, config validate)");
  }
}

}  // namespace obscore::app
