// `obscore ast`: flags -> ast::RunOptions, then one call into libs/ast.
#include <cstdio>
#include <limits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "obscore/ast/ast.hpp"
#include "obscore/core/read.hpp"

namespace obscore::app {

Runner setup_ast(CLI::App& sub) {
  struct Flags {
    std::vector<std::string> inputs;
    std::string lang, sort = "cognitive", max_size = "4M", print_tree, closures = "merge";
    ast::RunOptions opt;
    bool no_ignore = false, no_cache = false;
    int max_cyclomatic = -1, max_cognitive = -1, max_nesting = -1;  // -1: no gate
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("inputs", f->inputs, "files, directories, globs, or - for stdin");
  sub.add_option("--lang", f->lang, "force the language (python, java, kotlin, swift, javascript, "
                                    "typescript, tsx, go, c, cpp, rust)");
  sub.add_option("--max-cyclomatic", f->max_cyclomatic,
                 "gate: functions above N are findings (exit 1)")->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_option("--max-cognitive", f->max_cognitive,
                 "gate: functions above N are findings (exit 1)")->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_option("--max-nesting", f->max_nesting,
                 "gate: functions nested deeper than N are findings (exit 1)")->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_flag("--explain", f->opt.explain,
               "list every increment with its line and reason, and per file what was assumed "
               "(masks applied before the parse, regions re-parsed after a syntax error)");
  sub.add_option("--closures", f->closures,
                 "anonymous closures and lambdas: merge (count towards the enclosing function, as "
                 "Sonar, detekt and PMD do; default) or rows (a row each, as ESLint and lizard do)")
      ->check(CLI::IsMember({"merge", "rows"}));
  sub.add_option("--sort", f->sort, "table order: cognitive|cyclomatic|nesting|loc|sloc|params|name")
      ->check(CLI::IsMember({"cognitive", "cyclomatic", "nesting", "loc", "sloc", "params", "name"}));
  sub.add_option("--top", f->opt.top, "table: show only the N worst functions")
      ->check(whole_number(0, std::numeric_limits<int>::max()));
  sub.add_option("--max-file-size", f->max_size, "skip larger files (bytes, or with K/M/G; default 4M)");
  sub.add_flag("--no-cache", f->no_cache, "do not read or write the result cache");
  sub.add_option("--cache-dir", f->opt.cache_dir, "cache directory (default $XDG_CACHE_HOME/obscore/ast)");
  sub.add_option("--changed-since", f->opt.changed_since,
                 "only files that differ from this git ref (plus untracked ones)");
  add_walk_flags(sub, f->opt.walk, f->no_ignore);
  add_shard_flag(sub, f->opt.walk);
  sub.add_option("--print-tree", f->print_tree, "print the syntax tree of FILE (result {path, language, tree}) and exit (debugging)");

  return [f](const Globals& g) {
    ast::RunOptions& o = f->opt;
    if (!f->lang.empty()) {
      o.lang = ast::parse_language(f->lang);
      if (!o.lang) {
        throw core::Error(core::ErrorKind::kUsage,
                          fmt::format("--lang: unknown language '{}' (known: python, java, kotlin, "
                                      "swift, javascript, typescript, tsx, go, c, cpp, rust)",
                                      f->lang));
      }
    }
    auto size = core::parse_size(f->max_size);
    if (!size) throw core::Error(core::ErrorKind::kUsage, "--max-file-size: " + size.error());
    o.max_file_size = *size;
    o.sort = *ast::parse_sort_key(f->sort);
    o.use_cache = !f->no_cache;
    o.closure_rows = f->closures == "rows";
    if (f->max_cyclomatic >= 0) o.gates.max_cyclomatic = f->max_cyclomatic;
    if (f->max_cognitive >= 0) o.gates.max_cognitive = f->max_cognitive;
    if (f->max_nesting >= 0) o.gates.max_nesting = f->max_nesting;
    o.walk.use_ignore_files = !f->no_ignore;
    o.progress = g.show_progress();
    if (!f->print_tree.empty()) {
      core::Output out(g.output_options("ast"), ast::make_tree_view());
      ast::print_tree(f->print_tree, o.lang, out);
      return core::ExitCode::kOk;
    }
    if (f->inputs.empty()) {
      throw core::Error(core::ErrorKind::kUsage,
                        "no inputs: name files, directories or globs, or - for stdin");
    }
    core::Output out(g.output_options("ast"), ast::make_view(o));
    ast::RunResult r = ast::run(f->inputs, o, out);
    spdlog::info("ast: {} findings, {} diagnostics", r.findings, r.diagnostics.size());
    return finish(g, r);
  };
}

void merge_ast(const core::Partials& partials, const Globals& g) {
  core::Output out(g.output_options("ast"), ast::make_view(ast::RunOptions{}));
  ast::merge(partials, out);
}

}  // namespace obscore::app
