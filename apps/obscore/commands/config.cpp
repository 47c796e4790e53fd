// `obscore config <verb>`: flags -> a config::Request, then one call into libs/config.
#include <limits>

#include "commands/commands.hpp"
#include "obscore/config/config.hpp"
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

  return [f, to_json, to_yaml, get, merge, lint](const Globals& g) {
    config::Request r;
    r.verb = to_json->parsed()  ? config::Verb::kToJson
             : to_yaml->parsed() ? config::Verb::kToYaml
             : get->parsed()     ? config::Verb::kGet
             : merge->parsed()   ? config::Verb::kOverlay
             : lint->parsed()    ? config::Verb::kLint
                                 : config::Verb::kValidate;
    r.inputs = get->parsed() ? std::vector<std::string>{f->file} : f->inputs;
    r.expr = f->expr;
    r.read = read_options(f->read);
    r.array = f->array;
    r.raw = f->raw;
    r.indent = indent_for(g, f->indent, f->compact);
    r.lists = f->lists;
    r.explain = f->explain;
    r.yaml_output = f->to == "yaml";
    r.files.walk = f->walk;
    r.files.walk.use_ignore_files = !f->no_ignore;
    r.files.progress = g.show_progress();
    r.files.gate = f->fail_on != "never";
    r.files.fail_on = core::parse_severity(f->fail_on).value_or(core::Severity::kError);
    return finish(g, config::run(r, g.output_options("config")));
  };
}

void merge_config(const core::Partials& partials, const Globals& g) {
  config::merge(partials, g.output_options(partials.command));
}

}  // namespace obscore::app
