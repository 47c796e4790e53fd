// The `ast` run: walk, read, detect the language, analyse (or load from the cache) in
// parallel, deliver file results in path order, apply the gates, and summarise.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "cache.hpp"
#include "languages.hpp"
#include "obscore/ast/ast.hpp"
#include "obscore/core/git.hpp"
#include "obscore/core/hash.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/version.hpp"

namespace obscore::ast {

namespace {

using core::Json;

struct Job {
  core::InputFile input;
  std::optional<FileMetrics> metrics;
  Json json;                 // the file's result object, built in the parallel stage
  std::string text;          // or already serialised, when the sink only needs text
  std::size_t findings = 0;  // gate offenders in it
  bool cache_hit = false;
  bool skipped = false;
};

// Minified or generated code: long lines on average (foo.min.js, bundles).
bool looks_minified(std::string_view s) {
  if (s.size() < 4096) return false;
  std::size_t lines = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
  return s.size() / lines > 300;
}

Json function_json(const FunctionMetrics& f, bool explain) {
  Json j;
  j["name"] = f.name;
  j["qualified_name"] = f.qualified_name;
  j["kind"] = f.kind;
  j["start_line"] = f.start_line;
  j["end_line"] = f.end_line;
  if (f.first_line > 0) j["first_line"] = f.first_line;
  j["loc"] = f.loc;
  j["sloc"] = f.sloc;
  j["params"] = f.params;
  j["cyclomatic"] = f.cyclomatic;
  j["cognitive"] = f.cognitive;
  j["max_nesting"] = f.max_nesting;
  if (explain) {
    Json incs = Json::array();
    for (const auto& i : f.increments) {
      incs.push_back({{"line", i.line}, {"metric", i.metric}, {"amount", i.amount},
                      {"reason", i.reason}});
    }
    j["increments"] = std::move(incs);
  }
  return j;
}

// What was assumed to read the file: masks applied before the parse, regions re-parsed.
Json assumptions_json(const FileMetrics& m) {
  Json a = Json::array();
  for (const auto& x : m.assumptions) {
    a.push_back({{"line", x.line}, {"end_line", x.end_line}, {"kind", x.kind}, {"detail", x.detail}});
  }
  return a;
}

struct Gate {
  const char* rule;
  const char* metric;
  int limit;
  int FunctionMetrics::*field;
};

// The file's result object (with gate findings), built where the file was analysed so that
// only rendering remains for the serial, in-order stage.
void build_result(Job& job, bool explain, const std::vector<Gate>& gates, bool serialise) {
  const FileMetrics& m = *job.metrics;
  Json r;
  r["path"] = core::sanitize_utf8(job.input.path);
  r["language"] = language_name(m.language);
  r["lines"] = m.lines;
  r["sloc"] = m.sloc;
  r["parse_errors"] = m.parse_errors;
  if (explain) r["assumptions"] = assumptions_json(m);
  Json fns = Json::array();
  Json findings = Json::array();
  for (const auto& f : m.functions) {
    fns.push_back(function_json(f, explain));
    for (const auto& g : gates) {
      int value = f.*(g.field);
      if (value <= g.limit) continue;
      findings.push_back(
          {{"rule", g.rule},
           {"function", f.qualified_name},
           {"line", f.start_line},
           {"end_line", f.end_line},
           {"metric", g.metric},
           {"value", value},
           {"threshold", g.limit},
           {"message", fmt::format("{} has {} {} (limit {})", f.qualified_name,
                                   g.metric == std::string_view("max_nesting") ? "nesting depth"
                                                                               : g.metric,
                                   value, g.limit)}});
    }
  }
  job.findings = findings.size();
  r["functions"] = std::move(fns);
  r["findings"] = std::move(findings);
  if (serialise) {
    job.text = r.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  } else {
    job.json = std::move(r);
  }
}

std::vector<Gate> active_gates(const Gates& g) {
  std::vector<Gate> gates;
  if (g.max_cyclomatic) {
    gates.push_back({"max-cyclomatic", "cyclomatic", *g.max_cyclomatic, &FunctionMetrics::cyclomatic});
  }
  if (g.max_cognitive) {
    gates.push_back({"max-cognitive", "cognitive", *g.max_cognitive, &FunctionMetrics::cognitive});
  }
  if (g.max_nesting) {
    gates.push_back({"max-nesting", "max_nesting", *g.max_nesting, &FunctionMetrics::max_nesting});
  }
  return gates;
}

struct Stat {
  long long sum = 0;
  int max = 0;
  void add(int v) {
    sum += v;
    max = std::max(max, v);
  }
  Json json(std::size_t n) const {
    double mean = n == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(n);
    return {{"mean", std::round(mean * 100.0) / 100.0}, {"max", max}};
  }
};

// The run's totals, fed file by file in output order; the summary comes from them (a run and
// `obscore merge` of its shards build it the same way).
struct Totals {
  std::size_t files = 0, functions = 0, parse_errors = 0, skipped = 0, hits = 0, findings = 0;
  long long lines = 0, sloc = 0;
  bool cache_enabled = false;
  Stat cyclomatic, cognitive, nesting, loc;
  std::map<std::string, std::pair<int, int>> per_language;  // files, functions

  void add_file(const std::string& language, long long file_lines, long long file_sloc, std::size_t errors) {
    ++files;
    lines += file_lines;
    sloc += file_sloc;
    parse_errors += errors;
    ++per_language[language].first;
  }
  void add_function(const std::string& language, int cyclo, int cogn, int nest, int length) {
    ++functions;
    ++per_language[language].second;
    cyclomatic.add(cyclo);
    cognitive.add(cogn);
    nesting.add(nest);
    loc.add(length);
  }
  Json summary(long long duration_ms) const {
    Json summary;
    summary["files"] = files;
    summary["skipped"] = skipped;
    summary["functions"] = functions;
    summary["lines"] = lines;
    summary["sloc"] = sloc;
    summary["parse_errors"] = parse_errors;
    Json langs = Json::object();
    for (const auto& [name, counts] : per_language) {
      langs[name] = {{"files", counts.first}, {"functions", counts.second}};
    }
    summary["languages"] = std::move(langs);
    summary["cyclomatic"] = cyclomatic.json(functions);
    summary["cognitive"] = cognitive.json(functions);
    summary["max_nesting"] = nesting.json(functions);
    summary["loc"] = loc.json(functions);
    summary["findings"] = findings;
    summary["cache"] = {{"enabled", cache_enabled}, {"hits", hits}, {"misses", files - hits}};
    summary["duration_ms"] = duration_ms;
    return summary;
  }
};

std::string options_fingerprint(const RunOptions& o) {
  return fmt::format("explain={} closures={}", o.explain ? 1 : 0, o.closure_rows ? "rows" : "merge");
}

struct AcceptCtx {
  std::optional<Language> lang;
};

bool accept_source(std::string_view path, const void* ctx) {
  const auto* c = static_cast<const AcceptCtx*>(ctx);
  auto lang = language_for_path(path);
  if (!lang) return false;
  if (!c->lang) return true;
  // --lang typescript also takes .tsx? No: a forced language selects its own extensions;
  // C, C++ and Objective-C share headers (a .h file is C here: its content is not read yet).
  bool header = *lang == Language::kC && path.ends_with(".h");
  return *lang == *c->lang ||
         (header && (*c->lang == Language::kCpp || *c->lang == Language::kObjC)) ||
         (*c->lang == Language::kCpp && *lang == Language::kC);
}

}  // namespace

core::View make_tree_view() {
  core::View v;
  v.columns = {{"path", false, true}, {"language", false}, {"tree", false}};
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    rows.push_back(Json::array({r["path"], r["language"], r["tree"]}));
  };
  return v;
}

void print_tree(const std::string& path, std::optional<Language> lang, core::Output& out) {
  auto content = core::read_input(path, path == "-", core::ReadLimits{});
  if (!content) throw core::Error(core::ErrorKind::kInput, content.error(), path);
  if (!lang) lang = language_for_path(path, content->bytes());
  if (!lang) {
    throw core::Error(core::ErrorKind::kUsage, "cannot tell the language: pass --lang", path);
  }
  std::string tree = syntax_tree(content->bytes(), *lang);
  core::throw_if_changed(*content, path);
  Json r;
  r["path"] = path == "-" ? "<stdin>" : path;
  r["language"] = language_name(*lang);
  r["tree"] = std::move(tree);
  out.result(r);
  out.finish(Json{{"files", 1}}, {});
}

std::optional<SortKey> parse_sort_key(std::string_view name) {
  if (name == "cognitive") return SortKey::kCognitive;
  if (name == "cyclomatic") return SortKey::kCyclomatic;
  if (name == "nesting" || name == "max_nesting") return SortKey::kNesting;
  if (name == "loc") return SortKey::kLoc;
  if (name == "sloc") return SortKey::kSloc;
  if (name == "params") return SortKey::kParams;
  if (name == "name") return SortKey::kName;
  return std::nullopt;
}

core::View make_view(const RunOptions& options) {
  core::View v;
  v.columns = {{"path", false, true},      {"line", true},       {"function", false},
               {"cyclomatic", true}, {"cognitive", true},  {"nesting", true},
               {"loc", true},        {"sloc", true},       {"params", true}};
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    for (const auto& f : r["functions"]) {
      rows.push_back(Json::array({r["path"], f["start_line"], f["qualified_name"],
                                  f["cyclomatic"], f["cognitive"], f["max_nesting"], f["loc"],
                                  f["sloc"], f["params"]}));
    }
  };
  v.findings = [](const Json& r, std::vector<core::Finding>& out) {
    for (const auto& f : r["findings"]) {
      out.push_back({std::string("ast/") + f["rule"].get<std::string>(),
                     f["message"].get<std::string>(), r["path"].get<std::string>(),
                     f["line"].get<int>(), f["end_line"].get<int>(), core::Severity::kError});
    }
  };
  v.rules = {{"ast/max-cyclomatic", "function cyclomatic complexity above --max-cyclomatic"},
             {"ast/max-cognitive", "function cognitive complexity above --max-cognitive"},
             {"ast/max-nesting", "function nesting depth above --max-nesting"}};
  switch (options.sort) {
    case SortKey::kCognitive: v.sort_column = 4; break;
    case SortKey::kCyclomatic: v.sort_column = 3; break;
    case SortKey::kNesting: v.sort_column = 5; break;
    case SortKey::kLoc: v.sort_column = 6; break;
    case SortKey::kSloc: v.sort_column = 7; break;
    case SortKey::kParams: v.sort_column = 8; break;
    case SortKey::kName:
      v.sort_column = 2;
      v.sort_descending = false;
      break;
  }
  v.top = options.top;
  v.rows_title = "functions";
  v.summary_keys = {"files",          "functions",      "lines",        "sloc",           "parse_errors",
                    "cyclomatic.mean", "cyclomatic.max", "cognitive.mean", "cognitive.max", "max_nesting.max",
                    "findings"};
  // The per-file overview of the report formats: each file's size and its worst function.
  v.report_result = [](const Json& r, core::Report& report) {
    if (report.tables.empty()) {
      report.tables.push_back({"Files by their most complex function",
                               {{"path", false, true}, {"language", false}, {"functions", true}, {"max cognitive", true},
                                {"max cyclomatic", true}, {"max nesting", true}, {"sloc", true}, {"parse errors", true}},
                               {},
                               3});
    }
    int cognitive = 0, cyclomatic = 0, nesting = 0;
    for (const auto& f : r["functions"]) {
      cognitive = std::max(cognitive, f["cognitive"].get<int>());
      cyclomatic = std::max(cyclomatic, f["cyclomatic"].get<int>());
      nesting = std::max(nesting, f["max_nesting"].get<int>());
    }
    report.tables.front().rows.push_back(Json::array({r["path"], r["language"], r["functions"].size(), cognitive, cyclomatic,
                                                      nesting, r["sloc"], r["parse_errors"]}));
  };
  v.footer = [](const Json& s) {
    return fmt::format(
        "{} files, {} functions, {} lines; cyclomatic mean {:.2f} max {}; cognitive mean {:.2f} "
        "max {}; {} findings; {} ms",
        s["files"].get<int>(), s["functions"].get<int>(), s["lines"].get<long long>(),
        s["cyclomatic"]["mean"].get<double>(), s["cyclomatic"]["max"].get<int>(),
        s["cognitive"]["mean"].get<double>(), s["cognitive"]["max"].get<int>(),
        s["findings"].get<int>(), s["duration_ms"].get<long long>());
  };
  return v;
}

RunResult run(const std::vector<std::string>& inputs, const RunOptions& options,
              core::Output& out) {
  RunResult result;
  core::ItemRun file_run(result, "ast", options.progress);  // from here, the run's duration

  // 1. Inputs.
  AcceptCtx accept_ctx{options.lang};
  core::WalkOptions walk_options = options.walk;
  walk_options.accept = accept_source;
  walk_options.accept_ctx = &accept_ctx;
  core::WalkResult walked = core::walk(inputs, walk_options);
  result.diagnostics = std::move(walked.diagnostics);

  if (!options.changed_since.empty()) {
    auto changed = core::git_changed_files(options.changed_since);
    if (!changed) {
      throw core::Error(core::ErrorKind::kUsage,
                        fmt::format("--changed-since: {}", changed.error()));
    }
    std::erase_if(walked.files, [&](const core::InputFile& f) {
      return !f.is_stdin && !changed->contains(core::real_path(f.path));
    });
  }

  std::vector<Job> jobs(walked.files.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].input = walked.files[i];

  std::optional<Cache> cache;
  if (options.use_cache) cache.emplace(options.cache_dir);
  const std::string fingerprint = options_fingerprint(options);
  AnalyzeOptions analyze_options{options.explain, options.closure_rows};
  const auto gates = active_gates(options.gates);
  const bool serialise = !out.needs_structure();

  // 2. Per-file work (parallel); what goes wrong becomes the file's diagnostics.
  auto work = [&](std::size_t i, std::vector<core::Diagnostic>& diagnostics) {
    Job& job = jobs[i];
    const std::string& path = job.input.path;
    auto diag = [&](core::Severity sev, std::string msg, int line = 0, int col = 0) {
      diagnostics.push_back({path, line, col, sev, std::move(msg)});
    };
    core::ReadLimits limits;
    limits.max_bytes = options.max_file_size;
    auto content = core::read_input(path, job.input.is_stdin, limits);
    if (!content) {
      diagnostics.push_back(core::read_failure(path, content.error()));
      job.skipped = diagnostics.back().severity == core::Severity::kWarning;
      return;
    }
    std::string_view bytes = content->bytes();
    std::optional<Language> lang = options.lang;
    if (!lang) lang = language_for_path(path, bytes);
    if (!lang) {
      diag(core::Severity::kError,
           job.input.is_stdin ? "cannot tell the language of standard input: pass --lang"
                              : "cannot tell the language from the file name: pass --lang");
      return;
    }
    if (core::looks_binary(bytes)) {
      diag(core::Severity::kWarning, "skipped: binary file");
      job.skipped = true;
      return;
    }
    if (looks_minified(bytes)) {
      diag(core::Severity::kWarning, "skipped: minified or generated code (long lines)");
      job.skipped = true;
      return;
    }
    std::string key;
    if (cache) {
      key = core::sha256_hex({kVersion, kGitRevision, fingerprint, language_name(*lang), bytes});
      if (auto hit = cache->load(key)) {
        job.metrics = std::move(hit);
        job.cache_hit = true;
      }
    }
    if (!job.metrics) {
      job.metrics = analyze_source(bytes, *lang, analyze_options);
      if (content->truncated()) {
        diag(core::Severity::kError, std::string(core::kChangedWhileRead));
        job.metrics.reset();
        return;
      }
      if (job.metrics->parse_aborted) {
        // Not cached: a later version's parser may do better.
        diag(core::Severity::kWarning, "skipped: the parser gave up (its error recovery went beyond its budget; "
                                       "binary or corrupted text?)");
        job.metrics.reset();
        job.skipped = true;
        return;
      }
      if (cache) cache->store(key, *job.metrics);
    }
    build_result(job, options.explain, gates, serialise);
    if (job.metrics->parse_errors > 0) {
      diag(core::Severity::kWarning,
           fmt::format("syntax error ({} error node{} in the tree); metrics come from the "
                       "recovered tree",
                       job.metrics->parse_errors, job.metrics->parse_errors == 1 ? "" : "s"),
           job.metrics->first_error_line, job.metrics->first_error_column);
    }
  };

  // 3. In-order delivery: file results, findings, running totals.
  Totals totals;
  totals.cache_enabled = cache.has_value();
  auto deliver = [&](std::size_t i) {
    Job& job = jobs[i];
    if (job.skipped) ++totals.skipped;
    if (!job.metrics) return;
    const FileMetrics& m = *job.metrics;
    const std::string language = language_name(m.language);
    totals.hits += job.cache_hit ? 1 : 0;
    totals.add_file(language, m.lines, m.sloc, static_cast<std::size_t>(m.parse_errors));
    for (const auto& f : m.functions) totals.add_function(language, f.cyclomatic, f.cognitive, f.max_nesting, f.loc);
    result.findings += job.findings;
    totals.findings += job.findings;
    if (serialise) {
      out.result_text(std::move(job.text));
    } else {
      out.result(job.json);
    }
    job.json = Json();  // bounded memory: delivered results are not kept
    job.text = std::string();
    job.metrics.reset();
  };
  file_run.for_each(jobs.size(), [&](std::size_t i) { return core::ItemPlace{jobs[i].input.path}; }, work, deliver);

  // 4. Summary.
  Json summary = totals.summary(0);
  file_run.finish(summary, &options.walk, result.findings > 0);
  out.finish(summary, result.diagnostics);
  result.gate_tripped = result.findings > 0;
  return result;
}

void merge(const core::Partials& p, core::Output& out) {
  Totals totals;
  long long duration = 0;
  for (const auto& s : p.summaries) {
    totals.skipped += s.value("skipped", std::size_t{0});
    if (s.contains("cache")) {
      totals.hits += s["cache"].value("hits", std::size_t{0});
      totals.cache_enabled = totals.cache_enabled || s["cache"].value("enabled", false);
    }
    duration = std::max(duration, s.value("duration_ms", 0LL));
  }
  for (const auto& r : p.results) {
    const std::string language = r.value("language", "");
    totals.add_file(language, r.value("lines", 0LL), r.value("sloc", 0LL), r.value("parse_errors", std::size_t{0}));
    for (const auto& f : r.value("functions", Json::array())) {
      totals.add_function(language, f.value("cyclomatic", 0), f.value("cognitive", 0), f.value("max_nesting", 0),
                          f.value("loc", 0));
    }
    totals.findings += r.contains("findings") ? r["findings"].size() : 0;
    out.result(r);
  }
  out.finish(totals.summary(duration), p.diagnostics);
}

}  // namespace obscore::ast
