// The `patterns` run: walk, read, scan every file in parallel, deliver findings in path order,
// then fold them into the derived structures (API contracts, state machines, data models,
// edge cases) and the summary.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {

namespace {

using core::Json;

struct Job {
  core::InputFile input;
  std::vector<Json> findings;
  std::vector<std::string> texts;  // serialised findings when the sink only needs text
  std::vector<core::Diagnostic> diagnostics;
  std::uint64_t bytes = 0;
  bool scanned = false;
};

const char* extract_key(Extract e) {
  switch (e) {
    case Extract::kFields: return "fields";
    case Extract::kStates: return "states";
    case Extract::kMethods: return "methods";
    case Extract::kNone: break;
  }
  return nullptr;
}

// "calls {method} {path}" with the captures filled in (absent ones become "").
std::string interpolate(const std::string& message, const Match& m) {
  if (message.find('{') == std::string::npos) return message;
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '{') {
      std::size_t close = message.find('}', i);
      if (close != std::string::npos) {
        std::string name = message.substr(i + 1, close - i - 1);
        auto it = std::find_if(m.captures.begin(), m.captures.end(),
                               [&](const auto& c) { return c.first == name; });
        if (it != m.captures.end()) {
          out += it->second.value_or("");
          i = close;
          continue;
        }
      }
    }
    out += message[i];
  }
  return out;
}

Json finding_json(const Rule& rule, const Match& m, const std::string& path) {
  Json j;
  j["rule_id"] = rule.id;
  j["category"] = rule.category;
  j["severity"] = core::to_string(rule.severity);
  j["path"] = core::sanitize_utf8(path);
  j["line"] = m.line;
  j["column"] = m.column;
  j["end_line"] = m.end_line;
  j["message"] = core::sanitize_utf8(interpolate(rule.message, m));
  j["text"] = core::sanitize_utf8(m.text);
  Json captures = Json::object();
  for (const auto& [name, value] : m.captures) {
    captures[name] = value ? Json(core::sanitize_utf8(*value)) : Json(nullptr);
  }
  j["captures"] = std::move(captures);
  if (rule.extract == Extract::kFields) {
    Json fields = Json::array();
    for (const auto& [name, type] : m.fields) {
      fields.push_back({{"name", core::sanitize_utf8(name)}, {"type", core::sanitize_utf8(type)}});
    }
    j["fields"] = std::move(fields);
  } else if (const char* key = extract_key(rule.extract)) {
    Json names = Json::array();
    for (const auto& n : m.names) names.push_back(core::sanitize_utf8(n));
    j[key] = std::move(names);
  }
  return j;
}

std::string capture(const Json& f, const char* name) {
  const Json& c = f["captures"];
  auto it = c.find(name);
  if (it == c.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'' || s.front() == '`') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

// "Get" (GetMapping), "post", ".put", "request" -> GET, POST, PUT, ANY.
std::string http_method(std::string m) {
  while (!m.empty() && (m.front() == '.' || m.front() == '"' || m.front() == '\'')) m.erase(0, 1);
  while (!m.empty() && (m.back() == '"' || m.back() == '\'')) m.pop_back();
  for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::set<std::string> kVerbs = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"};
  if (m.empty()) return m;
  return kVerbs.contains(m) ? m : "ANY";
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::size_t b = cur.find_first_not_of(" \t\r\n'\"`");
    std::size_t e = cur.find_last_not_of(" \t\r\n'\"`");
    if (b != std::string::npos) {
      std::string name = cur.substr(b, e - b + 1);
      std::size_t dot = name.rfind('.');
      if (dot != std::string::npos) name.erase(0, dot + 1);
      if (!name.empty()) out.push_back(name);
    }
    cur.clear();
  };
  for (char c : list) {
    if (c == ',' || c == '|') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

// Folds findings (in output order) into the derived structures.
class Derived {
 public:
  void add(const Json& f) {
    const std::string& category = f["category"].get_ref<const std::string&>();
    if (category == "api_contract") {
      add_api(f);
    } else if (category == "state_machine") {
      add_state(f);
    } else if (category == "data_model") {
      add_model(f);
    } else if (category == "edge_case") {
      add_edge(f);
    }
  }

  void finish() {
    // Attach subtypes (`class Loading : LoginState()`) to the machine they extend: the one in
    // the same file if there is one, else every machine of that name.
    for (const auto& [parent, subs] : subtypes_) {
      auto range = machine_index_.equal_range(parent);
      if (range.first == range.second) continue;
      for (const auto& [child, file] : subs) {
        bool local = false;
        for (auto it = range.first; it != range.second; ++it) {
          if (machines_[it->second]["file"] == file) local = true;
        }
        for (auto it = range.first; it != range.second; ++it) {
          Json& m = machines_[it->second];
          if (local && m["file"] != file) continue;
          Json& states = m["states"];
          if (std::find(states.begin(), states.end(), Json(child)) == states.end()) states.push_back(child);
        }
      }
    }
  }

  Json api_contracts() const { return Json(apis_); }
  Json state_machines() const { return Json(machines_); }
  Json data_models() const { return Json(models_); }
  Json edge_cases() const { return Json(edges_); }

 private:
  void add_api(const Json& f) {
    std::string method = http_method(capture(f, "method"));
    std::string path = unquote(capture(f, "path"));
    if (path.empty()) path = unquote(capture(f, "url"));
    const std::string& file = f["path"].get_ref<const std::string&>();
    int line = f["line"].get<int>();
    if (path.empty()) {
      // A method with no path (Swift `request.httpMethod = "POST"`) belongs to the closest
      // earlier contract of the same file that has none, within 20 lines.
      if (method.empty()) return;
      for (auto it = apis_.rbegin(); it != apis_.rend(); ++it) {
        if ((*it)["file"] != file) break;
        if (line - (*it)["line"].get<int>() > 20) break;
        if ((*it)["method"].is_null()) {
          (*it)["method"] = method;
          return;
        }
      }
      return;
    }
    Json a;
    a["method"] = method.empty() ? Json(nullptr) : Json(method);
    a["path"] = path;
    a["file"] = file;
    a["line"] = line;
    a["rule_id"] = f["rule_id"];
    apis_.push_back(std::move(a));
  }

  void add_state(const Json& f) {
    std::string name = capture(f, "name");
    if (name.empty()) return;
    std::string parent = capture(f, "parent");
    const std::string& file = f["path"].get_ref<const std::string&>();
    if (!parent.empty()) {
      subtypes_[parent].emplace_back(name, file);
      return;
    }
    Json m;
    m["name"] = name;
    Json states = Json::array();
    if (f.contains("states")) {
      for (const auto& s : f["states"]) states.push_back(s);
    }
    for (const auto& s : split_names(capture(f, "states"))) {
      if (std::find(states.begin(), states.end(), Json(s)) == states.end()) states.push_back(s);
    }
    m["states"] = std::move(states);
    m["file"] = file;
    m["line"] = f["line"];
    m["rule_id"] = f["rule_id"];
    machine_index_.emplace(name, machines_.size());
    machines_.push_back(std::move(m));
  }

  void add_model(const Json& f) {
    std::string name = capture(f, "name");
    if (name.empty()) return;
    Json m;
    m["name"] = name;
    m["fields"] = f.contains("fields") ? f["fields"] : Json::array();
    m["file"] = f["path"];
    m["line"] = f["line"];
    m["rule_id"] = f["rule_id"];
    models_.push_back(std::move(m));
  }

  void add_edge(const Json& f) {
    Json e;
    std::string expression = capture(f, "expression");
    e["expression"] = expression.empty() ? f["text"] : Json(expression);
    std::string kind = capture(f, "kind");
    e["kind"] = kind.empty() ? f["rule_id"] : Json(kind);
    Json boundaries = Json::array();
    for (const char* key : {"bound", "low", "high"}) {
      for (auto& v : boundary_values(capture(f, key))) {
        if (std::find(boundaries.begin(), boundaries.end(), Json(v)) == boundaries.end()) {
          boundaries.push_back(v);
        }
      }
    }
    e["boundaries"] = std::move(boundaries);
    e["file"] = f["path"];
    e["line"] = f["line"];
    e["rule_id"] = f["rule_id"];
    edges_.push_back(std::move(e));
  }

  std::vector<Json> apis_, machines_, models_, edges_;
  std::multimap<std::string, std::size_t> machine_index_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> subtypes_;
};

struct AcceptCtx {
  const RuleSet* rules;
};

core::Severity finding_severity(const Json& f) {
  return core::parse_severity(f["severity"].get_ref<const std::string&>()).value_or(core::Severity::kNote);
}

// The run's totals, fed with the findings in output order; the summary comes from them (a run
// and `obscore merge` of its shards build it the same way).
struct Tally {
  std::size_t files = 0, with_findings = 0, findings = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::size_t> per_category, per_rule;
  std::array<std::size_t, 3> per_severity{};
  Derived derived;

  void add(const Json& f) {
    ++findings;
    ++per_category[f["category"].get<std::string>()];
    ++per_rule[f["rule_id"].get<std::string>()];
    ++per_severity[static_cast<std::size_t>(finding_severity(f))];
    derived.add(f);
  }

  Json summary(std::size_t rules, core::Output& out) {
    derived.finish();
    Json summary;
    summary["files"] = files;
    summary["files_with_findings"] = with_findings;
    summary["bytes"] = bytes;
    summary["rules"] = rules;
    summary["findings"] = findings;
    summary["categories"] = Json(per_category);
    summary["severities"] = {{"error", per_severity[static_cast<std::size_t>(core::Severity::kError)]},
                             {"warning", per_severity[static_cast<std::size_t>(core::Severity::kWarning)]},
                             {"note", per_severity[static_cast<std::size_t>(core::Severity::kNote)]}};
    summary["by_rule"] = Json(per_rule);
    Json api = derived.api_contracts(), machines = derived.state_machines(), models = derived.data_models(),
         edges = derived.edge_cases();
    summary["counts"] = {{"api_contracts", api.size()},
                         {"state_machines", machines.size()},
                         {"data_models", models.size()},
                         {"edge_cases", edges.size()}};
    if (out.streams_records()) {
      for (const auto& [type, list] : {std::pair<const char*, const Json*>{"api_contract", &api},
                                       {"state_machine", &machines},
                                       {"data_model", &models},
                                       {"edge_case", &edges}}) {
        for (const auto& item : *list) out.record(type, item);
      }
    } else {
      summary["api_contracts"] = std::move(api);
      summary["state_machines"] = std::move(machines);
      summary["data_models"] = std::move(models);
      summary["edge_cases"] = std::move(edges);
    }
    return summary;
  }
};

bool accept_file(std::string_view path, const void* ctx) {
  return static_cast<const AcceptCtx*>(ctx)->rules->applies_to(path);
}

}  // namespace

core::View make_view(const RuleSet& rules) {
  core::View v;
  v.columns = {{"path", false}, {"line", true},     {"column", true},
               {"rule", false}, {"category", false}, {"severity", false}, {"text", false}};
  v.rows = [](const Json& f, std::vector<Json>& rows) {
    rows.push_back(Json::array({f["path"], f["line"], f["column"], f["rule_id"], f["category"],
                                f["severity"], f["text"]}));
  };
  std::vector<core::Severity> levels;
  for (const auto& r : rules.rules()) levels.push_back(r.severity);
  v.findings = [](const Json& f, std::vector<core::Finding>& out) {
    core::Finding x;
    x.rule_id = f["rule_id"].get<std::string>();
    x.message = f["message"].get<std::string>();
    if (x.message.empty()) x.message = f["text"].get<std::string>();
    x.path = f["path"].get<std::string>();
    x.line = f["line"].get<int>();
    x.end_line = f["end_line"].get<int>();
    x.column = f["column"].get<int>();
    x.level = finding_severity(f);
    out.push_back(std::move(x));
  };
  for (const auto& r : rules.rules()) {
    v.rules.emplace_back(r.id, r.description.empty() ? r.category + ": " + r.message : r.description);
  }
  v.footer = [](const Json& s) {
    std::string cats;
    for (const auto& [k, n] : s["categories"].items()) {
      cats += fmt::format("{}{} {}", cats.empty() ? "" : ", ", n.get<std::size_t>(), k);
    }
    return fmt::format("{} files, {} with findings, {} findings ({}); {} API contracts, {} state "
                       "machines, {} data models, {} edge cases; {} ms",
                       s["files"].get<std::size_t>(), s["files_with_findings"].get<std::size_t>(),
                       s["findings"].get<std::size_t>(), cats.empty() ? "none" : cats,
                       s["counts"]["api_contracts"].get<std::size_t>(),
                       s["counts"]["state_machines"].get<std::size_t>(),
                       s["counts"]["data_models"].get<std::size_t>(),
                       s["counts"]["edge_cases"].get<std::size_t>(), s["duration_ms"].get<long long>());
  };
  return v;
}

Result run(const std::vector<std::string>& inputs, const RuleSet& rules,
                            const Options& options, core::Output& out) {
  auto started = std::chrono::steady_clock::now();
  Result result;
  AcceptCtx ctx{&rules};
  core::WalkOptions walk_options = options.walk;
  walk_options.accept = accept_file;
  walk_options.accept_ctx = &ctx;
  core::WalkResult walked = core::walk(inputs, walk_options);
  result.diagnostics = std::move(walked.diagnostics);

  std::vector<Job> jobs(walked.files.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].input = walked.files[i];
  std::set<std::string> categories(options.categories.begin(), options.categories.end());
  const bool serialise = !out.needs_structure();

  auto work = [&](std::size_t i) {
    Job& job = jobs[i];
    const std::string& path = job.input.path;
    auto diag = [&](core::Severity sev, std::string msg) {
      job.diagnostics.push_back({path, 0, 0, sev, std::move(msg)});
    };
    try {
      core::ReadLimits limits;
      limits.max_bytes = options.max_file_size;
      auto content = core::read_input(path, job.input.is_stdin, limits);
      if (!content) {
        job.diagnostics.push_back(core::read_failure(path, content.error()));
        return;
      }
      std::string_view bytes = content->bytes();
      if (core::looks_binary(bytes)) {
        diag(core::Severity::kWarning, "skipped: binary file");
        return;
      }
      job.bytes = bytes.size();
      job.scanned = true;
      bool truncated = false;
      auto matches = rules.scan(path, bytes, &truncated);
      if (content->truncated()) {
        diag(core::Severity::kError, std::string(core::kChangedWhileRead));
        return;
      }
      if (truncated) {
        diag(core::Severity::kWarning, "a rule matched more than 10000 times; later matches of it "
                                       "in this file are not reported");
      }
      for (const auto& m : matches) {
        const Rule& rule = rules.rules()[m.rule];
        if (!categories.empty() && !categories.contains(rule.category)) continue;
        Json f = finding_json(rule, m, path);
        job.findings.push_back(std::move(f));
      }
      if (serialise) {
        for (const auto& f : job.findings) {
          job.texts.push_back(f.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace));
        }
      }
    } catch (const std::exception& e) {
      job.findings.clear();
      job.texts.clear();
      diag(core::Severity::kError, fmt::format("internal error while scanning: {}", e.what()));
    }
  };

  Tally tally;
  core::Progress progress(options.progress, "patterns", jobs.size());
  auto deliver = [&](std::size_t i) {
    Job& job = jobs[i];
    progress.advance();
    for (auto& d : job.diagnostics) result.diagnostics.push_back(std::move(d));
    if (!job.scanned) return;
    ++tally.files;
    tally.bytes += job.bytes;
    if (!job.findings.empty()) ++tally.with_findings;
    for (std::size_t k = 0; k < job.findings.size(); ++k) {
      const Json& f = job.findings[k];
      ++result.findings;
      if (options.fail_on && finding_severity(f) >= *options.fail_on) result.gate_tripped = true;
      tally.add(f);
      if (serialise) {
        out.result_text(std::move(job.texts[k]));
      } else {
        out.result(f);
      }
    }
    job = Job{};
  };
  core::for_each_ordered(jobs.size(), work, deliver);
  progress.finish();

  Json summary = tally.summary(rules.rules().size(), out);
  summary["duration_ms"] = core::elapsed_ms(started);
  if (options.walk.sharded) summary["shard"] = core::shard_summary(options.walk, result.gate_tripped);
  core::sort_diagnostics(result.diagnostics);
  out.finish(summary, result.diagnostics);
  return result;
}

void merge(const core::Partials& p, core::Output& out) {
  Tally tally;
  long long duration = 0;
  std::size_t rules = 0;
  for (const auto& s : p.summaries) {
    tally.files += s.value("files", std::size_t{0});
    tally.bytes += s.value("bytes", std::uint64_t{0});
    tally.with_findings += s.value("files_with_findings", std::size_t{0});
    rules = s.value("rules", rules);
    duration = std::max(duration, s.value("duration_ms", 0LL));
  }
  for (const auto& f : p.results) {
    tally.add(f);
    out.result(f);
  }
  Json summary = tally.summary(rules, out);
  summary["duration_ms"] = duration;
  out.finish(summary, p.diagnostics);
}

core::View make_rules_view() {
  core::View v;
  v.columns = {{"id", false}, {"category", false}, {"severity", false}, {"languages", false}, {"origin", false}};
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    std::string langs;
    for (const auto& e : r["languages"]) langs += (langs.empty() ? "" : ",") + e.get<std::string>();
    rows.push_back(Json::array({r["id"], r["category"], r["severity"], langs.empty() ? "*" : langs, r["origin"]}));
  };
  v.footer = [](const Json& s) { return fmt::format("{} rules", s.value("rules", 0)); };
  return v;
}

void list_rules(const std::vector<Rule>& rules, core::Output& out) {
  std::map<std::string, std::size_t> categories;
  for (const auto& r : rules) {
    Json j;
    j["id"] = r.id;
    j["category"] = r.category;
    j["severity"] = core::to_string(r.severity);
    j["languages"] = r.extensions;
    j["origin"] = r.origin;
    j["description"] = r.description.empty() ? Json(nullptr) : Json(r.description);
    out.result(j);
    ++categories[r.category];
  }
  Json summary;
  summary["rules"] = rules.size();
  summary["categories"] = categories;
  out.finish(summary, {});
}

}  // namespace obscore::patterns
