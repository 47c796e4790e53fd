// The file-level runners of the `config` verbs: read inputs (mapped, gzip, stdin), pick strict
// JSON or YAML, convert or query or merge, and write; lint and validate walk trees in parallel.
#include "obscore/core/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>

#include "obscore/config/config.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"

namespace obscore::config {

namespace {

using core::Error;
using core::ErrorKind;

struct Input {
  std::string path;
  core::FileContent content;
  LoadOptions load;
};

LoadOptions options_for(const std::string& path, bool is_stdin, const ReadOptions& read) {
  LoadOptions o = read.load;
  o.json = read.syntax == Syntax::kJson || (read.syntax == Syntax::kAuto && !is_stdin && is_json_path(path));
  return o;
}

// Reads one input or explains in one line why not.
std::optional<std::string> read_one(const std::string& path, bool is_stdin, const ReadOptions& read,
                                    core::FileContent& content) {
  auto r = core::read_input(path, is_stdin, core::ReadLimits{read.max_file_size, true});
  if (!r) return r.error();
  content = std::move(*r);
  if (core::looks_binary(content.bytes())) return std::string("binary file (NUL bytes), not YAML or JSON");
  return std::nullopt;
}

Input open_input(const std::string& path, const ReadOptions& read) {
  Input in;
  in.path = path == "-" ? "<stdin>" : path;
  if (auto err = read_one(path, path == "-", read, in.content)) throw Error(ErrorKind::kInput, *err, in.path);
  in.load = options_for(path, path == "-", read);
  return in;
}

// JsonOut that prints documents one per line (or as one array), pretty when asked.
class DocumentWriter : public JsonOut {
 public:
  DocumentWriter(core::TextOutput& out, bool array, int indent) : out_(out), array_(array), indent_(indent) {
    if (array_) emit("[");
  }
  void begin_document() override {
    if (array_ && documents_ > 0) emit(",");
    if (!array_ && indent_ > 0) indenter_ = JsonIndenter(indent_);
  }
  void write(std::string_view text) override { emit(text); }
  void end_document() override {
    ++documents_;
    if (!array_) out_.write("\n");
  }
  void finish() {
    if (!array_) return;
    emit("]");
    out_.write("\n");
  }

 private:
  void emit(std::string_view text) {
    if (indent_ == 0) {
      out_.write(text);
      return;
    }
    pretty_.clear();
    indenter_.feed(text, pretty_);
    out_.write(pretty_);
  }

  core::TextOutput& out_;
  bool array_;
  int indent_;
  JsonIndenter indenter_{2};
  std::string pretty_;
  std::size_t documents_ = 0;
};

void write_value(const Json& v, const RawLookup& raw, const std::string& pointer, int indent, std::string& out) {
  if (indent == 0) {
    write_json(v, out, raw, pointer);
    return;
  }
  std::string compact;
  write_json(v, compact, raw, pointer);
  JsonIndenter ind(indent);
  ind.feed(compact, out);
}

std::vector<const Document*> load_for_overlay(const std::vector<std::string>& inputs, const ReadOptions& read,
                                            std::vector<std::string>& names, std::vector<LoadResult>& loaded,
                                            RunResult& result) {
  std::vector<const Document*> docs;
  loaded.reserve(inputs.size());
  for (const auto& path : inputs) {
    Input in = open_input(path, read);
    loaded.push_back(load(in.content.bytes(), in.path, in.load));
    core::throw_if_changed(in.content, in.path);
    auto& l = loaded.back();
    result.diagnostics.insert(result.diagnostics.end(), l.warnings.begin(), l.warnings.end());
    if (l.documents.size() > 1) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("{} documents in one file; merge takes one document per file (split the stream)",
                              l.documents.size()),
                  in.path);
    }
    if (l.documents.empty()) {
      result.diagnostics.push_back({in.path, 0, 0, core::Severity::kWarning, "empty: nothing to merge"});
      continue;
    }
    docs.push_back(&l.documents[0]);
    names.push_back(in.path);
  }
  if (docs.empty()) throw Error(ErrorKind::kInput, "no documents to merge");
  return docs;
}

RawLookup overlaid_raw(const Overlaid& m, const std::vector<const Document*>& docs) {
  bool any = std::any_of(docs.begin(), docs.end(), [](const Document* d) { return !d->raw_numbers.empty(); });
  if (!any) return {};
  return [&m, &docs](const std::string& pointer) -> const std::string* {
    Origin o = m.origin_of(pointer);
    const auto& raw = docs[o.source]->raw_numbers;
    auto it = raw.find(o.pointer);
    return it == raw.end() ? nullptr : &it->second;
  };
}

bool accept_config_file(std::string_view path, const void*) {
  auto ends = [&](std::string_view ext) {
    if (path.size() < ext.size()) return false;
    std::string_view tail = path.substr(path.size() - ext.size());
    return std::equal(tail.begin(), tail.end(), ext.begin(), [](char a, char b) { return (a | 0x20) == b; });
  };
  return ends(".yaml") || ends(".yml") || ends(".json") || ends(".yaml.gz") || ends(".yml.gz") || ends(".json.gz");
}

core::WalkResult walk_configs(const std::vector<std::string>& inputs, const core::WalkOptions& walk) {
  core::WalkOptions w = walk;
  w.accept = accept_config_file;
  return core::walk(inputs, w);
}

std::string display_path(const core::InputFile& f) { return f.is_stdin ? "<stdin>" : f.path; }

core::Severity parse_level(const std::string& s) { return core::parse_severity(s).value_or(core::Severity::kNote); }



// Reads every config file of `walked` in parallel and runs `check` on its text; `deliver` gets
// the files that could be read, in path order, with their size (a file that could not be read is
// a diagnostic of the run).
struct FileRead {
  std::string path;
  std::size_t bytes = 0;
  bool unread = false;
};

void for_each_config_file(core::ItemRun& run, const core::WalkResult& walked, const ReadOptions& read,
                          const std::function<void(std::size_t, std::string_view, const std::string&,
                                                   const LoadOptions&, const Consumed&)>& check,
                          const std::function<void(std::size_t, FileRead&)>& deliver) {
  std::vector<FileRead> reads(walked.files.size());
  auto work = [&](std::size_t i, std::vector<core::Diagnostic>& diagnostics) {
    const core::InputFile& f = walked.files[i];
    FileRead& r = reads[i];
    r.path = display_path(f);
    core::FileContent content;
    if (auto err = read_one(f.path, f.is_stdin, read, content)) {
      diagnostics.push_back(core::read_failure(r.path, *err));
      r.unread = true;
      return;
    }
    r.bytes = content.bytes().size();
    check(i, content.bytes(), r.path, options_for(f.path, f.is_stdin, read),
          [&content](std::size_t done) { content.release(0, done); });
  };
  run.for_each(
      reads.size(), [&](std::size_t i) { return core::ItemPlace{display_path(walked.files[i])}; }, work,
      [&](std::size_t i) {
        if (!reads[i].unread) deliver(i, reads[i]);
      });
}

}  // namespace

RunResult run_to_json(const std::vector<std::string>& inputs, const ToJsonOptions& options, core::TextOutput& out) {
  RunResult result;
  DocumentWriter writer(out, options.array, options.indent);
  for (const auto& path : inputs) {
    Input in = open_input(path, options.read);
    const core::FileContent& content = in.content;
    ConvertResult r = convert_to_json(in.content.bytes(), in.path, in.load, writer,
                                      [&content](std::size_t done) { content.release(0, done); });
    core::throw_if_changed(content, in.path);
    result.diagnostics.insert(result.diagnostics.end(), r.warnings.begin(), r.warnings.end());
  }
  writer.finish();
  return result;
}

RunResult run_to_yaml(const std::vector<std::string>& inputs, const ToYamlOptions& options, core::TextOutput& out) {
  RunResult result;
  std::size_t documents = 0;
  std::string text;
  for (const auto& path : inputs) {
    Input in = open_input(path, options.read);
    LoadResult loaded = load(in.content.bytes(), in.path, in.load);
    core::throw_if_changed(in.content, in.path);
    result.diagnostics.insert(result.diagnostics.end(), loaded.warnings.begin(), loaded.warnings.end());
    for (const auto& doc : loaded.documents) {
      text.clear();
      if (documents++ > 0) text += "---\n";
      write_yaml(doc.value, text, raw_lookup(doc.raw_numbers));
      out.write(text);
    }
  }
  return result;
}

RunResult run_get(const std::string& input, const std::string& expr, const GetOptions& options, core::TextOutput& out) {
  std::vector<PathStep> steps = parse_path(expr);
  RunResult result;
  Input in = open_input(input, options.read);
  LoadResult loaded = load(in.content.bytes(), in.path, in.load);
  core::throw_if_changed(in.content, in.path);
  result.diagnostics = std::move(loaded.warnings);
  std::string text;
  for (std::size_t i = 0; i < loaded.documents.size(); ++i) {
    const Document& doc = loaded.documents[i];
    std::string pointer;
    const Json* node = find(doc.value, steps, &pointer);
    if (node == nullptr) {
      result.gate_tripped = true;
      std::string where = loaded.documents.size() > 1 ? fmt::format(" (document {})", i + 1) : std::string();
      result.diagnostics.push_back({in.path, 0, 0, core::Severity::kWarning,
                                    fmt::format("path '{}' not found{}", expr, where)});
      continue;
    }
    text.clear();
    if (options.raw && node->is_string()) {
      text += node->get_ref<const std::string&>();
    } else {
      write_value(*node, raw_lookup(doc.raw_numbers), pointer, options.indent, text);
    }
    text += '\n';
    out.write(text);
  }
  if (loaded.documents.empty()) {
    result.gate_tripped = true;
    result.diagnostics.push_back({in.path, 0, 0, core::Severity::kWarning, "no document: nothing to query"});
  }
  return result;
}

RunResult run_overlay(const std::vector<std::string>& inputs, const OverlayRunOptions& options, core::TextOutput& out) {
  RunResult result;
  std::vector<std::string> names;
  std::vector<LoadResult> loaded;
  auto docs = load_for_overlay(inputs, options.read, names, loaded, result);
  Overlaid m = overlay(docs, options.overlay);
  RawLookup raw = overlaid_raw(m, docs);
  std::string text;
  if (options.yaml_output) {
    write_yaml(m.value, text, raw);
  } else {
    write_value(m.value, raw, "", options.indent, text);
    text += '\n';
  }
  out.write(text);
  return result;
}

RunResult run_overlay_explain(const std::vector<std::string>& inputs, const OverlayRunOptions& options,
                            core::Output& out) {
  RunResult result;
  std::vector<std::string> names;
  std::vector<LoadResult> loaded;
  auto docs = load_for_overlay(inputs, options.read, names, loaded, result);
  Overlaid m = overlay(docs, options.overlay);
  RawLookup raw = overlaid_raw(m, docs);
  std::size_t leaves = 0;
  std::vector<std::size_t> per_source(docs.size());
  // Depth-first over the result, leaves (scalars and empty collections) in document order.
  struct Item {
    const Json* node;
    std::string pointer;
  };
  std::vector<Item> stack{{&m.value, ""}};
  while (!stack.empty()) {
    Item it = std::move(stack.back());
    stack.pop_back();
    const Json& v = *it.node;
    if ((v.is_object() || v.is_array()) && !v.empty()) {
      std::vector<Item> children;
      if (v.is_object()) {
        for (const auto& [k, child] : v.items()) children.push_back({&child, pointer_append(it.pointer, k)});
      } else {
        for (std::size_t i = 0; i < v.size(); ++i) children.push_back({&v[i], pointer_append(it.pointer, i)});
      }
      for (auto c = children.rbegin(); c != children.rend(); ++c) stack.push_back(std::move(*c));
      continue;
    }
    Origin o = m.origin_of(it.pointer);
    Mark mark = docs[o.source]->mark(o.pointer);
    std::string value_text;
    write_json(v, value_text, raw, it.pointer);
    Json r = Json::object();
    r["path"] = it.pointer;
    r["value"] = Json::parse(value_text, nullptr, false);
    if (r["value"].is_discarded()) r["value"] = value_text;
    r["file"] = names[o.source];
    r["line"] = mark.line;
    r["column"] = mark.column;
    out.result(r);
    ++leaves;
    ++per_source[o.source];
  }
  Json summary = Json::object();
  Json sources = Json::array();
  for (std::size_t s = 0; s < names.size(); ++s) sources.push_back({{"file", names[s]}, {"leaves", per_source[s]}});
  summary["sources"] = std::move(sources);
  summary["leaves"] = leaves;
  out.finish(summary, result.diagnostics);
  return result;
}

core::View make_explain_view() {
  core::View v;
  v.columns = {{"path", false}, {"value", false}, {"source", false}};
  v.rows_title = "leaves";
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    std::string value = r["value"].is_string() ? r["value"].get<std::string>() : r["value"].dump();
    rows.push_back(Json::array({r["path"].get<std::string>().empty() ? "/" : r["path"], value,
                                fmt::format("{}:{}:{}", r["file"].get<std::string>(), r["line"].get<int>(),
                                            r["column"].get<int>())}));
  };
  v.footer = [](const Json& s) { return fmt::format("{} leaves", s["leaves"].get<std::size_t>()); };
  return v;
}

RunResult run_lint(const std::vector<std::string>& inputs, const FilesOptions& options, core::Output& out) {
  RunResult result;
  core::ItemRun file_run(result, "config lint", options.progress);
  core::WalkResult walked = walk_configs(inputs, options.walk);
  result.diagnostics = std::move(walked.diagnostics);
  std::vector<std::vector<LintFinding>> findings(walked.files.size());
  std::size_t files = 0, bytes = 0, files_with = 0;
  std::size_t by_level[3] = {0, 0, 0};
  std::map<std::string, std::size_t> by_rule;
  auto check = [&](std::size_t i, std::string_view text, const std::string& path, const LoadOptions& load_options,
                   const Consumed&) { findings[i] = lint(text, path, load_options);
  };
  auto deliver = [&](std::size_t i, FileRead& read) {
    ++files;
    bytes += read.bytes;
    if (!findings[i].empty()) ++files_with;
    for (const auto& f : findings[i]) {
      Json r = Json::object();
      r["path"] = read.path;
      r["line"] = f.mark.line;
      r["column"] = f.mark.column;
      r["rule"] = f.rule;
      r["severity"] = core::to_string(f.severity);
      r["message"] = f.message;
      out.result(r);
      ++by_level[static_cast<int>(f.severity)];
      ++by_rule[f.rule];
      if (options.gate && static_cast<int>(f.severity) >= static_cast<int>(options.fail_on)) {
        result.gate_tripped = true;
      }
    }
    findings[i].clear();
  };
  for_each_config_file(file_run, walked, options.read, check, deliver);
  Json summary = Json::object();
  summary["files"] = files;
  summary["files_with_findings"] = files_with;
  summary["findings"] = by_level[0] + by_level[1] + by_level[2];
  summary["errors"] = by_level[2];
  summary["warnings"] = by_level[1];
  summary["notes"] = by_level[0];
  Json rules = Json::object();
  for (const auto& [k, n] : by_rule) rules[k] = n;
  summary["rules"] = std::move(rules);
  summary["bytes"] = bytes;
  file_run.finish(summary, &options.walk, result.gate_tripped);
  out.finish(summary, result.diagnostics);
  return result;
}

core::View make_lint_view() {
  core::View v;
  v.columns = {{"path", false, true}, {"line", true}, {"column", true}, {"severity", false}, {"rule", false},
               {"message", false}};
  v.rows_title = "findings";
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    rows.push_back(Json::array({r["path"], r["line"], r["column"], r["severity"], r["rule"], r["message"]}));
  };
  v.findings = [](const Json& r, std::vector<core::Finding>& out) {
    core::Finding f;
    f.rule_id = r["rule"].get<std::string>();
    f.message = r["message"].get<std::string>();
    f.path = r["path"].get<std::string>();
    f.line = r["line"].get<int>();
    f.end_line = f.line;
    f.column = r["column"].get<int>();
    f.level = parse_level(r["severity"].get<std::string>());
    out.push_back(std::move(f));
  };
  for (const auto& rule : lint_rules()) v.rules.emplace_back(std::string(rule.id), std::string(rule.description));
  v.footer = [](const Json& s) {
    return fmt::format("{} files, {} findings ({} errors, {} warnings); {} ms", s["files"].get<std::size_t>(),
                       s["findings"].get<std::size_t>(), s["errors"].get<std::size_t>(),
                       s["warnings"].get<std::size_t>(), s["duration_ms"].get<long long>());
  };
  return v;
}

RunResult run_validate(const std::vector<std::string>& inputs, const FilesOptions& options, core::Output& out) {
  RunResult result;
  core::ItemRun file_run(result, "config validate", options.progress);
  core::WalkResult walked = walk_configs(inputs, options.walk);
  result.diagnostics = std::move(walked.diagnostics);
  struct Outcome {
    std::size_t documents = 0;
    std::optional<core::Diagnostic> invalid;  // syntax or semantic error
  };
  std::vector<Outcome> outcomes(walked.files.size());
  auto check = [&](std::size_t i, std::string_view text, const std::string& path, const LoadOptions& load_options,
                   const Consumed& consumed) {
    try {
      outcomes[i].documents = validate(text, path, load_options, consumed);
    } catch (const Error& e) {
      outcomes[i].invalid = core::Diagnostic{path, e.line(), e.column(), core::Severity::kError, e.what()};
    }
  };
  std::size_t files = 0, valid = 0, invalid = 0, bytes = 0;
  auto deliver = [&](std::size_t i, FileRead& read) {
    ++files;
    bytes += read.bytes;
    Outcome& o = outcomes[i];
    Json r = Json::object();
    r["path"] = read.path;
    r["valid"] = !o.invalid;
    r["documents"] = o.documents;
    r["line"] = o.invalid ? Json(o.invalid->line) : Json(nullptr);
    r["column"] = o.invalid ? Json(o.invalid->column) : Json(nullptr);
    r["error"] = o.invalid ? Json(o.invalid->message) : Json(nullptr);
    out.result(r);
    if (o.invalid) {
      ++invalid;
      result.diagnostics.push_back(std::move(*o.invalid));
    } else {
      ++valid;
    }
  };
  for_each_config_file(file_run, walked, options.read, check, deliver);
  Json summary = Json::object();
  summary["files"] = files;
  summary["valid"] = valid;
  summary["invalid"] = invalid;
  summary["bytes"] = bytes;
  file_run.finish(summary, &options.walk, false);
  out.finish(summary, result.diagnostics);
  return result;
}

core::View make_validate_view() {
  core::View v;
  v.columns = {{"path", false, true}, {"valid", false}, {"documents", true}, {"error", false}};
  v.rows_title = "files";
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    std::string error;
    if (!r["valid"].get<bool>()) {
      error = fmt::format("{}:{}: {}", r["line"].get<int>(), r["column"].get<int>(), r["error"].get<std::string>());
    }
    rows.push_back(Json::array({r["path"], r["valid"].get<bool>() ? "yes" : "NO", r["documents"], error}));
  };
  v.footer = [](const Json& s) {
    return fmt::format("{} files, {} valid, {} invalid; {} ms", s["files"].get<std::size_t>(),
                       s["valid"].get<std::size_t>(), s["invalid"].get<std::size_t>(),
                       s["duration_ms"].get<long long>());
  };
  return v;
}

namespace {

// Sums the named counters of the partial summaries, in the order given.
Json summed(const std::vector<Json>& summaries, std::initializer_list<const char*> keys) {
  Json out = Json::object();
  for (const char* k : keys) {
    std::size_t total = 0;
    for (const auto& s : summaries) total += s.value(k, std::size_t{0});
    out[k] = total;
  }
  return out;
}

long long slowest(const std::vector<Json>& summaries) {
  long long ms = 0;
  for (const auto& s : summaries) ms = std::max(ms, s.value("duration_ms", 0LL));
  return ms;
}

void merge_lint(const core::Partials& p, core::Output& out) {
  for (const auto& r : p.results) out.result(r);
  Json summary = summed(p.summaries, {"files", "files_with_findings", "findings", "errors", "warnings", "notes"});
  std::map<std::string, std::size_t> by_rule;
  for (const auto& s : p.summaries) {
    Json rules = s.value("rules", Json::object());  // named: items() would dangle on a temporary
    for (const auto& [rule, n] : rules.items()) by_rule[rule] += n.get<std::size_t>();
  }
  Json rules = Json::object();
  for (const auto& [k, n] : by_rule) rules[k] = n;
  summary["rules"] = std::move(rules);
  summary["bytes"] = summed(p.summaries, {"bytes"})["bytes"];
  summary["duration_ms"] = slowest(p.summaries);
  out.finish(summary, p.diagnostics);
}

void merge_validate(const core::Partials& p, core::Output& out) {
  for (const auto& r : p.results) out.result(r);
  Json summary = summed(p.summaries, {"files", "valid", "invalid", "bytes"});
  summary["duration_ms"] = slowest(p.summaries);
  out.finish(summary, p.diagnostics);
}

OverlayOptions overlay_options(const std::string& lists) {
  auto o = parse_overlay_lists(lists);
  if (!o) throw Error(ErrorKind::kUsage, fmt::format("--lists: '{}' is not replace, append or merge-by=KEY", lists));
  return *o;
}

core::OutputOptions for_verb(core::OutputOptions output, std::string_view verb) {
  output.command = fmt::format("config {}", verb);
  return output;
}

}  // namespace

void merge(const core::Partials& partials, core::OutputOptions output) {
  if (partials.command == "config lint") {
    core::Output out(std::move(output), make_lint_view());
    merge_lint(partials, out);
  } else if (partials.command == "config validate") {
    core::Output out(std::move(output), make_validate_view());
    merge_validate(partials, out);
  } else {
    throw Error(ErrorKind::kUsage, "merge: outputs of `" + partials.command +
                                       "` cannot be merged (config lint, config validate)");
  }
}

RunResult run(const Request& request, core::OutputOptions output) {
  const std::vector<std::string>& inputs = request.inputs;
  switch (request.verb) {
    case Verb::kLint:
    case Verb::kValidate: {
      FilesOptions files = request.files;
      files.read = request.read;
      if (request.verb == Verb::kLint) {
        core::Output out(for_verb(std::move(output), "lint"), make_lint_view());
        return run_lint(inputs, files, out);
      }
      core::Output out(for_verb(std::move(output), "validate"), make_validate_view());
      return run_validate(inputs, files, out);
    }
    case Verb::kOverlay:
      if (inputs.size() < 2) throw Error(ErrorKind::kUsage, "merge needs BASE and at least one OVERLAY");
      if (request.explain) {
        core::Output out(for_verb(std::move(output), "merge"), make_explain_view());
        return run_overlay_explain(inputs, {request.read, overlay_options(request.lists), false, 0}, out);
      }
      break;
    default:
      break;
  }
  OverlayOptions overlay;
  if (request.verb == Verb::kOverlay) overlay = overlay_options(request.lists);
  if (request.verb == Verb::kGet && inputs.size() != 1) throw Error(ErrorKind::kUsage, "get reads one file");
  core::TextOutput out(output.path);
  RunResult result;
  switch (request.verb) {
    case Verb::kToJson:
      result = run_to_json(inputs, {request.read, request.array, request.indent}, out);
      break;
    case Verb::kToYaml:
      result = run_to_yaml(inputs, {request.read}, out);
      break;
    case Verb::kGet:
      result = run_get(inputs.front(), request.expr, {request.read, request.raw, request.indent}, out);
      break;
    default:
      result = run_overlay(inputs, {request.read, overlay, request.yaml_output, request.indent}, out);
      break;
  }
  out.commit();
  return result;
}

}  // namespace obscore::config
