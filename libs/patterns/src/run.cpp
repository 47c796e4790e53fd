// The `patterns` run: walk, read, scan every file in parallel, deliver findings in path order,
// then fold them into the derived structures (API contracts, state machines, data models,
// edge cases) and the summary.
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/patterns/patterns.hpp"
#include "extract.hpp"
#include "helpers.hpp"
#include "naming.hpp"
#include "source.hpp"
#include "transitions.hpp"

namespace obscore::patterns {

namespace {

using core::Json;

struct Job {
  core::InputFile input;
  FileFacts facts;
  std::string skipped;  // the reason the file's content says it is not the app's own ("" = scanned)
  std::vector<Json> findings;
  std::vector<std::string> texts;  // serialised findings when the sink only needs text
  std::uint64_t bytes = 0;
  bool scanned = false;
};

const char* extract_key(Extract e) {
  switch (e) {
    case Extract::kFields:
    case Extract::kPojo:
    case Extract::kWireFields: return "fields";
    case Extract::kStates: return "states";
    case Extract::kMethods: return "methods";
    case Extract::kNone:
    case Extract::kEndpoints:
    case Extract::kRequest: break;
  }
  return nullptr;
}

// Marks a constant whose value is one of several literals (see Resolver::choices).
constexpr char kChoice = '\x1e';

// True when a normalised path has a letter outside its {placeholders} (`/users/{id}`, not `/{id}`).
bool named_segment(std::string_view path) {
  int depth = 0;
  for (char c : path) {
    if (c == '{') ++depth;
    else if (c == '}' && depth > 0) --depth;
    else if (depth == 0 && std::isalpha(static_cast<unsigned char>(c)) != 0) return true;
  }
  return false;
}

bool swift_file(std::string_view path) { return path.ends_with(".swift"); }

// A bare identifier (`url`, `endpoint`): no dots, calls, literals or operators.
bool is_plain_name(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s.front())) || s.front() == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
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
  if (rule.extract == Extract::kFields || rule.extract == Extract::kPojo || rule.extract == Extract::kWireFields) {
    Json fields = Json::array();
    for (const auto& fd : m.fields) {
      Json x;
      x["name"] = core::sanitize_utf8(fd.name);
      x["type"] = fd.type ? Json(core::sanitize_utf8(*fd.type)) : Json(nullptr);
      x["wire_name"] = fd.wire_name ? Json(core::sanitize_utf8(*fd.wire_name)) : Json(nullptr);
      if (fd.wire_constant && !fd.wire_name) x["wire_constant"] = core::sanitize_utf8(*fd.wire_constant);
      fields.push_back(std::move(x));
    }
    j["fields"] = std::move(fields);
  } else if (rule.extract == Extract::kEndpoints) {
    Json eps = Json::array();
    for (const auto& e : m.endpoints) {
      eps.push_back({{"case", core::sanitize_utf8(e.name)},
                     {"method", e.method ? Json(core::sanitize_utf8(*e.method)) : Json(nullptr)},
                     {"path", core::sanitize_utf8(e.path)}});
    }
    j["endpoints"] = std::move(eps);
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

// "Get" (GetMapping), "post", ".put", "request" -> GET, POST, PUT, ANY.
std::string http_method(std::string m) {
  while (!m.empty() && (m.front() == '.' || m.front() == '"' || m.front() == '\'')) m.erase(0, 1);
  while (!m.empty() && (m.back() == '"' || m.back() == '\'')) m.pop_back();
  if (std::size_t dot = m.rfind('.'); dot != std::string::npos) m.erase(0, dot + 1);  // HTTPMethod.post
  for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::set<std::string> kVerbs = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"};
  if (m.empty()) return m;
  if (m == "UPLOAD") return "POST";  // Fuel.upload, AF.upload: a multipart or body POST
  if (m == "DOWNLOAD") return "GET";
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

// The facts of a run that the derived structures need across files (and across shards).
struct Facts {
  struct ConstantDef {
    std::string owner, expression, file;
    bool file_local = false;
    bool compile_time = false;
  };
  std::map<std::string, std::vector<ConstantDef>> constants;  // by name
  std::set<std::string> state_types;
  std::map<std::string, std::set<std::string>> state_type_files;  // type -> files holding it
  std::vector<std::tuple<std::string, std::vector<std::string>, std::string>> subtypes;  // type, parents, file
  // State writes in file order, files in output order (see transitions.hpp).
  std::vector<std::pair<std::string, StateWrite>> writes;
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> var_types;  // {file, var} -> type
  std::map<std::pair<std::string, int>, RequestHelper> helpers;  // {file, request line} -> helper
  std::vector<std::pair<std::string, CallSite>> calls;              // file, call
  std::vector<std::pair<std::string, NamingPolicy>> naming;         // file, policy
  std::map<std::string, std::vector<std::pair<std::string, UrlFunction>>> url_functions;  // name -> {file, f}
  std::map<std::string, std::set<std::string>> protocol_methods;    // Swift protocol -> default methods

  void add(const FileFacts& f, const std::string& file) {
    for (const auto& h : f.request_helpers) helpers.emplace(std::make_pair(file, h.line), h);
    for (const auto& c : f.calls) calls.emplace_back(file, c);
    for (const auto& n : f.naming_policies) naming.emplace_back(file, n);
    for (const auto& u : f.url_functions) url_functions[u.name].emplace_back(file, u);
    for (const auto& [protocol, method] : f.protocol_methods) protocol_methods[protocol].insert(method);
    for (const auto& c : f.constants) constants[c.name].push_back({c.owner, c.expression, file, c.file_local, c.compile_time});
    state_types.insert(f.state_types.begin(), f.state_types.end());
    for (const auto& t : f.state_types) state_type_files[t].insert(file);
    for (const auto& [type, parents] : f.subtypes) subtypes.emplace_back(type, parents, file);
    for (const auto& w : f.state_writes) writes.emplace_back(file, w);
    for (const auto& [var, type] : f.var_types) var_types.push_back({{file, var}, type});
  }

  Json to_json() const {
    Json c = Json::array();
    for (const auto& [name, defs] : constants) {
      for (const auto& d : defs) {
        c.push_back({{"name", core::sanitize_utf8(name)}, {"owner", core::sanitize_utf8(d.owner)},
                     {"expression", core::sanitize_utf8(d.expression)}, {"file", core::sanitize_utf8(d.file)},
                     {"file_local", d.file_local}, {"compile_time", d.compile_time}});
      }
    }
    Json s = Json::array();
    for (const auto& [type, parents, file] : subtypes) s.push_back({{"type", type}, {"parents", parents}, {"file", file}});
    Json w = Json::array();
    for (const auto& [file, x] : writes) {
      w.push_back({{"file", file}, {"type", x.type}, {"var", x.var}, {"value", x.value}, {"line", x.line},
                   {"offset", x.offset}, {"initial", x.initial}, {"blocks", x.blocks}, {"guard_type", x.guard_type},
                   {"guard_values", x.guard_values}, {"guard_offset", x.guard_offset}});
    }
    Json v = Json::array();
    for (const auto& [key, type] : var_types) v.push_back({{"file", key.first}, {"var", key.second}, {"type", type}});
    // state_types: the names, then "Name@file" for each file holding one (a type name has no '@')
    Json st = Json::array();
    for (const auto& t : state_types) st.push_back(core::sanitize_utf8(t));
    for (const auto& [t, files] : state_type_files) {
      for (const auto& file : files) st.push_back(core::sanitize_utf8(fmt::format("{}@{}", t, file)));
    }
    Json h = Json::array();
    for (const auto& [key, x] : helpers) {
      h.push_back({{"file", key.first}, {"line", x.line}, {"function", signature_json(x.function)}, {"param", x.param}});
    }
    Json calls_json = Json::array();
    for (const auto& [file, x] : calls) {
      Json cj = {{"file", file},          {"line", x.line},   {"callee", core::sanitize_utf8(x.callee)},
                 {"label", x.label},      {"index", x.index}, {"argument", core::sanitize_utf8(x.argument)}};
      if (x.caller_param >= 0) {
        cj["caller"] = signature_json(x.caller);
        cj["caller_param"] = x.caller_param;
      }
      calls_json.push_back(std::move(cj));
    }
    Json naming_json = Json::array();
    for (const auto& [file, n] : naming) {
      naming_json.push_back({{"file", file}, {"family", n.family}, {"style", n.style},
                             {"source", core::sanitize_utf8(n.source)}, {"line", n.line}, {"types", n.types}});
    }
    return {{"constants", std::move(c)},     {"state_types", std::move(st)}, {"subtypes", std::move(s)},
            {"state_writes", std::move(w)},  {"var_types", std::move(v)},    {"request_helpers", std::move(h)},
            {"calls", std::move(calls_json)}, {"naming_policies", std::move(naming_json)},
            {"protocol_methods", protocol_methods}, {"url_functions", url_functions_json()}};
  }

  Json url_functions_json() const {
    Json out = Json::array();
    for (const auto& [name, defs] : url_functions) {
      for (const auto& [file, f] : defs) {
        out.push_back({{"file", file}, {"owner", f.owner}, {"name", name}, {"params", f.params},
                       {"expression", core::sanitize_utf8(f.expression)}});
      }
    }
    return out;
  }

  static Json signature_json(const FunctionSig& f) {
    return {{"name", core::sanitize_utf8(f.name)}, {"params", f.params},           {"labels", f.labels},
            {"first_line", f.first_line},          {"last_line", f.last_line},     {"labelled", f.labelled},
            {"file_private", f.file_private}};
  }

  static FunctionSig signature_of(const Json& j) {
    FunctionSig f;
    if (!j.is_object()) return f;
    f.name = j.value("name", "");
    f.params = j.value("params", std::vector<std::string>{});
    f.labels = j.value("labels", std::vector<std::string>{});
    f.first_line = j.value("first_line", 0);
    f.last_line = j.value("last_line", 0);
    f.labelled = j.value("labelled", false);
    f.file_private = j.value("file_private", false);
    return f;
  }

  void add_json(const Json& j) {
    if (!j.is_object()) return;
    for (const auto& c : j.value("constants", Json::array())) {
      constants[c.value("name", "")].push_back({c.value("owner", ""), c.value("expression", ""),
                                                c.value("file", ""), c.value("file_local", false),
                                                c.value("compile_time", false)});
    }
    for (const auto& t : j.value("state_types", Json::array())) {
      std::string entry = t.get<std::string>();
      std::size_t at = entry.find('@');
      if (at == std::string::npos) {
        state_types.insert(entry);
      } else {
        state_type_files[entry.substr(0, at)].insert(entry.substr(at + 1));
      }
    }
    for (const auto& s : j.value("subtypes", Json::array())) {
      subtypes.emplace_back(s.value("type", ""), s.value("parents", std::vector<std::string>{}), s.value("file", ""));
    }
    for (const auto& x : j.value("state_writes", Json::array())) {
      StateWrite w;
      w.type = x.value("type", "");
      w.var = x.value("var", "");
      w.value = x.value("value", "");
      w.line = x.value("line", 0);
      w.offset = x.value("offset", std::size_t{0});
      w.initial = x.value("initial", false);
      w.blocks = x.value("blocks", std::vector<std::size_t>{});
      w.guard_type = x.value("guard_type", "");
      w.guard_values = x.value("guard_values", std::vector<std::string>{});
      w.guard_offset = x.value("guard_offset", std::size_t{0});
      writes.emplace_back(x.value("file", ""), std::move(w));
    }
    for (const auto& x : j.value("var_types", Json::array())) {
      var_types.push_back({{x.value("file", ""), x.value("var", "")}, x.value("type", "")});
    }
    for (const auto& x : j.value("request_helpers", Json::array())) {
      RequestHelper h;
      h.line = x.value("line", 0);
      h.function = signature_of(x.value("function", Json::object()));
      h.param = x.value("param", std::size_t{0});
      helpers.emplace(std::make_pair(x.value("file", ""), h.line), std::move(h));
    }
    for (const auto& x : j.value("calls", Json::array())) {
      CallSite c;
      c.line = x.value("line", 0);
      c.callee = x.value("callee", "");
      c.label = x.value("label", "");
      c.index = x.value("index", std::size_t{0});
      c.argument = x.value("argument", "");
      if (x.contains("caller")) {
        c.caller = signature_of(x["caller"]);
        c.caller_param = x.value("caller_param", -1);
      }
      calls.emplace_back(x.value("file", ""), std::move(c));
    }
    if (auto pm = j.find("protocol_methods"); pm != j.end() && pm->is_object()) {
      for (const auto& [protocol, methods] : pm->items()) {
        for (const auto& method : methods) protocol_methods[protocol].insert(method.get<std::string>());
      }
    }
    for (const auto& x : j.value("url_functions", Json::array())) {
      UrlFunction u{x.value("owner", ""), x.value("name", ""), x.value("params", std::vector<std::string>{}),
                    x.value("expression", "")};
      url_functions[u.name].emplace_back(x.value("file", ""), std::move(u));
    }
    for (const auto& x : j.value("naming_policies", Json::array())) {
      NamingPolicy n{x.value("family", ""), x.value("style", ""), x.value("source", ""), x.value("line", 0),
                     x.value("types", std::vector<std::string>{})};
      naming.emplace_back(x.value("file", ""), std::move(n));
    }
  }
};

// Evaluates path expressions against the code base's constants.
class Resolver {
 public:
  explicit Resolver(const Facts& facts) : facts_(facts) {}

  // The value of `expr` with unresolvable names as {name}; `resolved` is cleared when a name
  // other than a leading base URL could not be resolved.
  std::string evaluate(std::string_view expr, const std::string& file, bool& resolved, int depth = 0) const {
    std::string out;
    auto terms = split_plus(expr);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      std::string t = terms[i];
      while (!t.empty() && (t.back() == '!' || t.back() == '?')) t.pop_back();
      if (t.ends_with(".toString()")) t.erase(t.size() - 11);
      if (t.empty()) continue;
      if (t.front() == '"' || t.front() == '\'' || t.front() == '`') {
        out += literal(t, file, depth);
        continue;
      }
      if (auto v = call_value(t, file, resolved, depth)) {
        out += *v;
        continue;
      }
      if (auto v = lookup(t, file, depth)) {
        out += *v;
        continue;
      }
      std::string name = last_identifier(t);
      // A lower-case local or parameter (`id`) is a path parameter; a constant-like name
      // (UPPER_CASE or qualified) that is not found leaves the path unresolved.
      bool parameter = t == name && !name.empty() && std::islower(static_cast<unsigned char>(name[0])) &&
                       !looks_like_base(name);
      if (!parameter && !(i == 0 && terms.size() > 1 && looks_like_base(name))) resolved = false;
      out += "{" + name + "}";
      if (i == 0 && terms.size() > 1) out += "/";
    }
    return out;
  }

  // Java's `String.format(FMT, a, b)` (each %s/%d becomes {name} of its argument, a getter
  // named for its property: `shop.getId()` -> {id}) and `A.concat(B)` (A + B).
  std::optional<std::string> call_value(const std::string& t, const std::string& file, bool& resolved, int depth) const {
    if (depth > 8 || t.size() < 3 || t.back() != ')') return std::nullopt;
    static constexpr std::string_view kFormat = "String.format(";
    if (std::string_view(t).starts_with(kFormat)) {
      std::string_view inner = std::string_view(t).substr(kFormat.size(), t.size() - kFormat.size() - 1);
      auto args = split_args(inner);
      if (args.empty() || args[0].empty()) return std::nullopt;
      std::string format = evaluate(args[0], file, resolved, depth + 1);
      std::string out;
      std::size_t next = 1;
      for (std::size_t k = 0; k < format.size(); ++k) {
        if (format[k] == '%' && k + 1 < format.size()) {
          std::size_t j = k + 1;
          while (j < format.size() && (std::isdigit(static_cast<unsigned char>(format[j])) || format[j] == '$' ||
                                       format[j] == '.' || format[j] == 'l')) {
            ++j;
          }
          if (j < format.size() && (format[j] == 's' || format[j] == 'd')) {
            out += "{" + (next < args.size() ? argument_name(args[next]) : std::string("param")) + "}";
            ++next;
            k = j;
            continue;
          }
        }
        out += format[k];
      }
      return out;
    }
    if (auto v = url_function_value(t, file, resolved, depth)) return v;
    std::size_t dot = t.rfind(".concat(");
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    std::size_t open = dot + 7;
    int level = 0;
    std::size_t close = std::string::npos;
    for (std::size_t k = open; k < t.size(); ++k) {
      if (t[k] == '(') ++level;
      if (t[k] == ')' && --level == 0) {
        close = k;
        break;
      }
    }
    if (close != t.size() - 1) return std::nullopt;
    return evaluate(t.substr(0, dot), file, resolved, depth + 1) +
           evaluate(t.substr(open + 1, close - open - 1), file, resolved, depth + 1);
  }

  // `FreshNews.getUrlFreshNews(page)`: a function of the code base that only returns a URL
  // built from its parameters (UrlFunction) is its expression with the arguments in place.
  std::optional<std::string> url_function_value(const std::string& t, const std::string& file, bool& resolved,
                                                int depth) const {
    std::size_t open = t.find('(');
    if (open == std::string::npos || open == 0) return std::nullopt;
    std::string chain = t.substr(0, open);
    while (!chain.empty() && chain.back() == ' ') chain.pop_back();
    static const re2::RE2 kChain(R"((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)");
    if (!re2::RE2::FullMatch(chain, kChain)) return std::nullopt;
    std::size_t dot = chain.rfind('.');
    std::string name = dot == std::string::npos ? chain : chain.substr(dot + 1);
    std::string owner = dot == std::string::npos ? std::string() : last_identifier(chain.substr(0, dot));
    auto it = facts_.url_functions.find(name);
    if (it == facts_.url_functions.end()) return std::nullopt;
    const std::pair<std::string, UrlFunction>* pick = nullptr;
    int candidates = 0;
    // A lower-case receiver is a value (`subscription.urlString()`) whose type is not known here:
    // the function is taken when the code base has one of that name.
    if (!owner.empty() && std::islower(static_cast<unsigned char>(owner[0])) != 0) owner.clear();
    for (const auto& d : it->second) {
      if (!owner.empty() && d.second.owner != owner) continue;
      if (owner.empty() && d.first == file) {  // this file's own, first
        pick = &d;
        candidates = 1;
        break;
      }
      pick = &d;
      ++candidates;
    }
    if (pick == nullptr || candidates != 1) return std::nullopt;
    auto args = split_args(std::string_view(t).substr(open + 1, t.size() - open - 2));
    if (args.size() == 1 && trim_copy(args[0]).empty()) args.clear();
    const UrlFunction& f = pick->second;
    if (args.size() != f.params.size()) return std::nullopt;
    std::string expression = f.expression;
    for (std::size_t i = 0; i < args.size(); ++i) expression = substitute(expression, f.params[i], argument_value(args[i]));
    return evaluate(expression, pick->first, resolved, depth + 1);
  }

  // An argument's value: a Swift label left out (`topic: t` -> t), and the left side of a
  // fallback (`baseUrl ?? "?"`, `host ?: ""`), which is what the URL holds when it is sent.
  static std::string argument_value(std::string_view arg) {
    std::string a = trim_copy(arg);
    static const re2::RE2 kLabel(R"(^[A-Za-z_]\w*\s*:\s*([^:].*)$)");
    std::string rest;
    if (re2::RE2::FullMatch(a, kLabel, &rest)) a = trim_copy(rest);
    for (std::string_view op : {" ?? ", " ?: "}) {
      std::size_t at = a.find(op);
      if (at != std::string::npos && a.find('"') > at) a = trim_copy(std::string_view(a).substr(0, at));
    }
    return a;
  }

  // A format argument's name: its last identifier, a getter's property (`getId()` -> id).
  static std::string argument_name(std::string_view arg) {
    std::string name = last_identifier(arg);
    for (std::string_view verb : {"get", "is"}) {
      if (name.size() > verb.size() && name.starts_with(verb) &&
          std::isupper(static_cast<unsigned char>(name[verb.size()]))) {
        name.erase(0, verb.size());
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
        break;
      }
    }
    return name;
  }

  static std::vector<std::string> split_args(std::string_view s) { return split_top_level(s, ','); }

  // The name a path expression starts with: its first `+` operand when more follow, or the
  // first interpolation of a literal that opens with one (`"$X/a"`, `"${X}/a"`, `"\(x)/a"`).
  static std::string leading_name(std::string_view expr) {
    auto terms = split_plus(expr);
    if (terms.empty() || terms[0].empty()) return {};
    const std::string& t = terms[0];
    if (t.front() != '"' && t.front() != '\'' && t.front() != '`') return terms.size() > 1 ? t : std::string();
    std::string_view body(t);
    body.remove_prefix(body.starts_with(R"(""")") ? 3 : 1);
    std::size_t b = 0, e = 0;
    if (body.starts_with("${")) {
      b = 2;
      e = body.find('}');
    } else if (body.starts_with("\\(")) {
      b = 2;
      e = body.find(')');
    } else if (body.starts_with("$")) {
      b = e = 1;
      while (e < body.size() && (std::isalnum(static_cast<unsigned char>(body[e])) || body[e] == '_')) ++e;
    }
    if (e == std::string_view::npos || e <= b) return {};
    return std::string(body.substr(b, e - b));
  }

  // The absolute URL a path expression starts from when that is a constant of the code base
  // (`"$MAL_API_URL/anime"`, `BASE_URL + "/users"`, `"\(baseURL)/items"`): the contract's path is
  // then written relative to it, as Retrofit's and Moya's paths are relative to their base URL,
  // so one endpoint reads the same whichever library calls it.
  std::optional<std::string> base_url(std::string_view expr, const std::string& file) const {
    std::string name = leading_name(expr);
    if (name.empty()) return std::nullopt;
    auto v = lookup(name, file, 0);
    if (!v || v->find("://") == std::string::npos || v->find_first_of("{}") != std::string::npos) return std::nullopt;
    return v;
  }

  // The name a path expression starts with when that is a variable no constant gives
  // (`serverURL + "/index.php/login"`, `"\(server)/api/items"`, `"$host/feed"`): a base URL the
  // app reads at run time (a user's server), not a path parameter.
  std::optional<std::string> leading_variable(std::string_view expr, const std::string& file) const {
    std::string name = leading_name(expr);
    // a name or a chain of calls on one (`serverUrl.removeTrailingSlash()`, `url.trimEnd('/')`)
    static const re2::RE2 kName(R"([A-Za-z_]\w*(?:\([^()]*\))?(?:\.[A-Za-z_]\w*(?:\([^()]*\))?)*)");
    if (name.empty() || !re2::RE2::FullMatch(name, kName) || lookup(name, file, 0)) return std::nullopt;
    return last_identifier(name);
  }

  // A local chosen by a switch over literals (`let feedUrl = switch feedType { case .top:
  // "topstories.json" ... }`, Kotlin `val x = when (t) { A -> "a" ... }`): the variants of
  // `expr` with that term replaced by each literal; empty when no term is such a local.
  std::vector<std::string> choices(std::string_view expr, const std::string& file) const {
    auto terms = split_plus(expr);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      auto it = facts_.constants.find(terms[i]);
      if (it == facts_.constants.end()) continue;
      for (const auto& d : it->second) {
        if (d.file != file || d.expression.empty() || d.expression.front() != kChoice) continue;
        std::vector<std::string> out;
        std::size_t b = 1;
        while (b <= d.expression.size()) {
          std::size_t e = d.expression.find(kChoice, b);
          if (e == std::string::npos) e = d.expression.size();
          std::string v;
          for (std::size_t k = 0; k < terms.size(); ++k) {
            if (k > 0) v += " + ";
            v += k == i ? d.expression.substr(b, e - b) : terms[k];
          }
          out.push_back(std::move(v));
          b = e + 1;
        }
        return out;
      }
    }
    return {};
  }

 private:
  static bool looks_like_base(const std::string& name) {
    static const re2::RE2 kBase(R"((?i).*(url|host|base|server|domain|endpoint|api|root|origin).*)");
    return re2::RE2::FullMatch(name, kBase);
  }

  static std::string last_identifier(std::string_view t) {
    std::string best;
    for (std::size_t i = 0; i < t.size();) {
      if (std::isalpha(static_cast<unsigned char>(t[i])) || t[i] == '_') {
        std::size_t j = i;
        while (j < t.size() && (std::isalnum(static_cast<unsigned char>(t[j])) || t[j] == '_')) ++j;
        best = std::string(t.substr(i, j - i));
        i = j;
      } else {
        ++i;
      }
    }
    return best.empty() ? "param" : best;
  }

  static std::vector<std::string> split_plus(std::string_view expr) { return split_top_level(expr, '+'); }

  // `expr` cut at `sep` outside literals (Kotlin raw strings included) and brackets, trimmed.
  static std::vector<std::string> split_top_level(std::string_view expr, char sep) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    for (std::size_t i = 0; i < expr.size(); ++i) {
      char c = expr[i];
      if (c == '"' || c == '\'' || c == '`') {
        std::size_t j = i + 1;
        bool triple = expr.substr(i, 3) == R"(""")";
        if (triple) j = i + 3;
        while (j < expr.size()) {
          if (expr[j] == '\\') {
            j += 2;
            continue;
          }
          if (triple ? expr.substr(j, 3) == R"(""")" : expr[j] == c) break;
          ++j;
        }
        j = std::min(expr.size(), j + (triple ? 3 : 1));
        cur.append(expr.substr(i, j - i));
        i = j - 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
      if (c == sep && depth == 0) {
        out.push_back(trim_copy(cur));
        cur.clear();
        continue;
      }
      cur += c;
    }
    out.push_back(trim_copy(cur));
    return out;
  }

  static std::string trim_copy(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
  }

  // A string literal's text with interpolated constants substituted.
  std::string literal(std::string_view t, const std::string& file, int depth) const {
    std::size_t q = t.starts_with(R"(""")") ? 3 : 1;
    std::string_view body = t.substr(q, t.size() >= 2 * q ? t.size() - 2 * q : 0);
    std::string out;
    for (std::size_t i = 0; i < body.size();) {
      std::size_t start = i, name_b = 0, name_e = 0;
      if (body[i] == '$' && i + 1 < body.size() && body[i + 1] == '{') {
        std::size_t j = body.find('}', i);
        if (j == std::string_view::npos) j = body.size();
        name_b = i + 2;
        name_e = j;
        i = std::min(body.size(), j + 1);
      } else if (body[i] == '$' && i + 1 < body.size() && (std::isalpha(static_cast<unsigned char>(body[i + 1])) || body[i + 1] == '_')) {
        std::size_t j = i + 1;
        while (j < body.size() && (std::isalnum(static_cast<unsigned char>(body[j])) || body[j] == '_')) ++j;
        name_b = i + 1;
        name_e = j;
        i = j;
      } else if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '(') {
        std::size_t j = body.find(')', i);
        if (j == std::string_view::npos) j = body.size();
        name_b = i + 2;
        name_e = j;
        i = std::min(body.size(), j + 1);
      } else {
        out += body[i++];
        continue;
      }
      std::string_view name = body.substr(name_b, name_e - name_b);
      if (auto v = lookup(std::string(name), file, depth)) {
        out += *v;
      } else {
        out.append(body.substr(start, i - start));
      }
    }
    return out;
  }

  std::optional<std::string> lookup(const std::string& chain, const std::string& file, int depth) const {
    if (depth > 8) return std::nullopt;
    static const re2::RE2 kChainRe(R"((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)");
    if (!re2::RE2::FullMatch(chain, kChainRe)) return std::nullopt;
    std::size_t dot = chain.rfind('.');
    std::string name = dot == std::string::npos ? chain : chain.substr(dot + 1);
    std::string owner;
    if (dot != std::string::npos) {
      std::string head = chain.substr(0, dot);
      std::size_t d2 = head.rfind('.');
      owner = d2 == std::string::npos ? head : head.substr(d2 + 1);
      if (owner == "this" || owner == "self" || owner == "Companion") owner.clear();
    }
    auto it = facts_.constants.find(name);
    if (it == facts_.constants.end()) return std::nullopt;
    const Facts::ConstantDef* pick = nullptr;
    std::vector<const Facts::ConstantDef*> usable;
    for (const auto& d : it->second) {
      if (d.file_local && d.file != file) continue;
      // A function's local (file-local with no owner, see collect_facts) is read where it is in
      // scope, at the match (local_value_of), never by name from elsewhere: another function's
      // `urlString` is not this one's parameter. A qualified name is a member, never a top-level value.
      if (d.file_local && d.owner.empty()) continue;
      if (!owner.empty() && d.owner.empty()) continue;
      if (!d.expression.empty() && d.expression.front() == kChoice) continue;  // see choices()
      usable.push_back(&d);
    }
    for (const auto* d : usable) {  // the named owner, else this file, else the only one
      if (!owner.empty() && d->owner == owner) pick = d;
    }
    if (pick == nullptr && owner.empty()) {
      for (const auto* d : usable) {
        if (d->file == file) pick = d;
      }
    }
    if (pick == nullptr) {
      // An unqualified lower-case name is not another file's member (`let path = "...\(barcode)"`
      // in a function taking `barcode` is that parameter, not some type's `barcode` property);
      // a top-level value, or a constant-like UPPER_CASE name (imported statically), may be.
      if (owner.empty() && !name.empty() && std::islower(static_cast<unsigned char>(name[0]))) {
        // (a Kotlin `const val browse = "/v1/browse"` of an object is one under any name)
        std::erase_if(usable, [&](const Facts::ConstantDef* d) {
          return d->file != file && !d->owner.empty() && !d->compile_time;
        });
      }
      std::set<std::string> values;
      for (const auto* d : usable) values.insert(d->expression);
      if (values.size() == 1 && !usable.empty()) pick = usable.front();
    }
    if (pick == nullptr) return std::nullopt;
    bool resolved = true;
    std::string v = evaluate(pick->expression, pick->file, resolved, depth + 1);
    if (!resolved) return std::nullopt;
    return v;
  }

  const Facts& facts_;
};

// Folds findings (in output order) into the derived structures.
class Derived {
 public:
  void add(const Json& f) {
    const auto& category = f["category"].get_ref<const std::string&>();
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

  void finish(const Facts& facts) {
    finish_models(facts);
    finish_apis(facts);
    finish_machines(facts);
  }

  Json api_contracts() const { return Json(apis_); }
  Json state_machines() const { return Json(machines_); }
  Json data_models() const { return Json(models_); }
  Json edge_cases() const { return Json(edges_); }

 private:
  struct Pending {
    std::string method, expression, file, rule_id, name;
    int line = 0;
    bool default_method = false;  // GET because the call gives none
    bool via_helper = false;      // a call site of a request helper
    std::string conforms;         // an endpoint type's protocols (comma-separated), for a default method
  };
  struct Hint {
    std::string file, method;  // method "" = a request that uses the default (GET)
    int line = 0;
  };

  void add_api(const Json& f) {
    const auto& file = f["path"].get_ref<const std::string&>();
    int line = f["line"].get<int>();
    if (f.contains("endpoints")) {
      for (const auto& e : f["endpoints"]) {
        Pending p;
        p.method = e["method"].is_string() ? http_method(e["method"].get<std::string>()) : "";
        p.expression = e["path"].get<std::string>();
        p.file = file;
        p.line = line;
        p.rule_id = f["rule_id"].get<std::string>();
        p.name = e["case"].get<std::string>();
        p.conforms = capture(f, "conforms");
        pending_.push_back(std::move(p));
      }
      return;
    }
    std::string method = http_method(capture(f, "method"));
    if (method.empty()) method = http_method(capture(f, "verb"));
    if (std::string endpoint_case = capture(f, "case"); !endpoint_case.empty()) {
      if (!method.empty()) case_methods_[endpoint_case].insert(method);
      return;
    }
    if (std::string url_method = capture(f, "url_method"); !url_method.empty()) {
      if (!method.empty()) url_methods_[url_method].insert(method);
      return;
    }
    std::string path = capture(f, "path");
    if (path.empty()) path = capture(f, "url");
    if (std::string call = capture(f, "url_call"); !call.empty()) {
      // resolved against the Retrofit @Url methods in finish_apis
      pending_.push_back({"", path, file, f["rule_id"].get<std::string>(), call, line, false, false, ""});
      return;
    }
    if (path.empty()) {
      if (!method.empty()) {
        hints_.push_back({file, method, line});
      } else if (!capture(f, "request").empty()) {
        hints_.push_back({file, "", line});
      }
      return;
    }
    bool by_default = method.empty() && !capture(f, "default_get").empty();
    if (by_default) method = "GET";
    if (method.empty() && !capture(f, "default_post").empty()) method = "POST";  // a form submission
    pending_.push_back({method, path, file, f["rule_id"].get<std::string>(), "", line, by_default, false, ""});
  }

  void finish_apis(const Facts& facts) {
    Resolver resolver(facts);
    // A URL built from a local chosen by a switch over literals is one contract per literal.
    {
      std::vector<Pending> expanded;
      expanded.reserve(pending_.size());
      for (auto& p : pending_) {
        auto variants = p.name.empty() ? resolver.choices(p.expression, p.file) : std::vector<std::string>{};
        if (variants.empty()) {
          expanded.push_back(std::move(p));
          continue;
        }
        for (auto& v : variants) {
          Pending q = p;
          q.expression = std::move(v);
          expanded.push_back(std::move(q));
        }
      }
      pending_ = std::move(expanded);
    }
    // Cases of a path enum (swift-path-enum) take their methods from their call sites, one
    // contract per method; a case no call site gives a method is no contract.
    {
      std::vector<Pending> expanded;
      for (auto& p : pending_) {
        if (p.rule_id == "retrofit-url-call") {
          // a URL passed to a Retrofit method with an @Url parameter: that method's verbs
          auto it = url_methods_.find(p.name);
          if (it == url_methods_.end()) continue;
          for (const auto& method : it->second) {
            Pending copy = p;
            copy.method = method;
            copy.name.clear();
            expanded.push_back(std::move(copy));
          }
          continue;
        }
        if (p.rule_id != "swift-path-enum") {
          expanded.push_back(std::move(p));
          continue;
        }
        auto it = case_methods_.find(p.name);
        if (it == case_methods_.end()) continue;
        for (const auto& method : it->second) {
          Pending copy = p;
          copy.method = method;
          expanded.push_back(std::move(copy));
        }
      }
      pending_ = std::move(expanded);
    }
    std::set<std::tuple<std::string, int, std::string, std::string>> seen;
    // One contract per endpoint: the same method, path and host declared again (a Retrofit
    // interface's Rx and Call variants of one call, two call sites of one URL, in one file or
    // several) is listed once, at its first declaration; every declaration stays a finding.
    // Server routes are kept per file, so a server route and a client call of one path are both
    // kept.
    std::set<std::tuple<std::string, std::string, std::string, std::string>> endpoints;
    // Where a request is sent by itself (a rule's match): a call there is that request, not a
    // call of a helper of the same name (`client.get("$BASE/x")` on a Ktor client is no call of
    // the app's own `get(path)`).
    request_lines_.clear();
    for (const auto& p : pending_) request_lines_.emplace(p.file, p.line);
    helper_names_.clear();
    for (const auto& [key, h] : facts.helpers) helper_names_.emplace(key.first, h.function.name);
    verb_arguments_.clear();
    for (const auto& [file, call] : facts.calls) {
      const std::string& a = call.argument;
      std::string verb;
      if (a.size() >= 5 && a.front() == '"' && a.back() == '"') {
        verb = http_method(a.substr(1, a.size() - 2));
      } else if (std::size_t dot = a.rfind('.'); dot != std::string::npos && a.find_first_of("\"( ") == std::string::npos) {
        verb = http_method(a.substr(dot + 1));  // an enum constant: HttpMethod.Post, Method.POST, .put
      }
      if (!verb.empty() && verb != "ANY") verb_arguments_[{file, call.line, call.callee}].emplace_back(call.index, call.label, verb);
    }
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      Pending& p = pending_[i];
      const bool bare_url = p.method.empty() && p.name.empty();  // a URL with no method of its own
      if (p.method.empty() && !p.name.empty()) {
        // An endpoint type without a method property: the file's one request method, if it
        // sets exactly one (`func GET(endpoint:)` with `request.httpMethod = "GET"`).
        // A file that sends its requests without setting any method (`URLRequest(url:
        // makeURL(endpoint))` then `dataTaskPublisher(for:)`) sends them all with GET.
        std::set<std::string> methods;
        bool request = false;
        for (const auto& h : hints_) {
          if (h.file != p.file) continue;
          if (!h.method.empty()) methods.insert(h.method);
          request = true;
        }
        if (methods.size() == 1) p.method = *methods.begin();
        if (methods.empty() && request) p.method = "GET";
        // else the default of a protocol it conforms to (one method among them)
        if (p.method.empty() && !p.conforms.empty()) {
          std::set<std::string> defaults;
          for (const auto& protocol : split_names(p.conforms)) {
            auto it = facts.protocol_methods.find(protocol.substr(protocol.rfind('.') + 1));
            if (it == facts.protocol_methods.end()) continue;
            for (const auto& m : it->second) defaults.insert(http_method(m));
          }
          if (defaults.size() == 1) p.method = *defaults.begin();
        }
      } else if (p.method.empty()) {
        // A URL with no method of its own takes the first method set on a request within 25
        // lines after it (before the next such URL); a request using it without one means GET.
        int next_url = std::numeric_limits<int>::max();
        for (std::size_t k = i + 1; k < pending_.size(); ++k) {
          if (pending_[k].file == p.file && pending_[k].method.empty() && pending_[k].line > p.line) {
            next_url = pending_[k].line;
            break;
          }
        }
        bool request = false;
        for (const auto& h : hints_) {
          if (h.file != p.file || h.line < p.line || h.line > p.line + 25 || h.line >= next_url) continue;
          if (!h.method.empty()) {
            p.method = h.method;
            break;
          }
          request = true;
        }
        if (p.method.empty() && request) p.method = "GET";
        if (p.method.empty()) continue;  // a URL that no request was tied to: not a contract
      }
      const std::vector<std::string>* helper_params = nullptr;  // a helper no call gives a path
      if (!p.via_helper && p.name.empty()) {
        // A request helper's own request names no endpoint: its call sites do (appended).
        auto h = facts.helpers.find({p.file, p.line});
        if (h != facts.helpers.end() && expand_helper(h->second, Pending(p), facts)) continue;
        if (h != facts.helpers.end()) helper_params = &h->second.function.params;
      }
      bool resolved = true;
      std::string raw = p.expression;
      std::string value = resolver.evaluate(raw, p.file, resolved);
      std::string host;
      bool plain_literal = raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'' || raw.front() == '`') &&
                           raw.find(raw.front(), 1) == raw.size() - 1 && raw.find("${") == std::string::npos &&
                           raw.find("\\(") == std::string::npos && raw.find('$') == std::string::npos;
      Json a;
      a["method"] = p.method.empty() ? Json(nullptr) : Json(p.method);
      bool no_path = !resolved && value.find_first_not_of("{}/") != std::string::npos &&
                     value.front() == '{' && value.find('/') == std::string::npos;
      std::string path = normalize_path(value, &host);
      // Code left in a path (a quote, a parenthesis, a `+` of an expression not understood, as
      // in `... + (isLink ? "url=" : "text=") + content`) is no path: the expression is reported.
      if (path.find_first_of("\"'()+;") != std::string::npos) {
        no_path = true;
        resolved = false;
      }
      // a host the app reads at run time (`{hostname}:{port}`, `{host}`) is the user's server,
      // like a base URL no constant gives: no host of its own
      if (host.find('{') != std::string::npos) host.clear();
      std::optional<std::string> base = resolver.base_url(raw, p.file);
      if (!base && host.empty()) {
        if (auto lead = resolver.leading_variable(raw, p.file)) {
          std::string segment = "/{" + *lead + "}/";
          if (path.starts_with(segment)) path.erase(0, segment.size() - 1);
        }
      }
      if (base) {
        std::string base_host;
        std::string base_path = normalize_path(*base, &base_host);
        // (a constant with nothing but a query after it, `SEARCH_URL + "?" + q`, is an endpoint's
        // whole URL, not a base: its path stays)
        if (base_host == host && base_path != "/" && path.starts_with(base_path) && path.size() > base_path.size() &&
            path[base_path.size()] == '/') {
          path = path.substr(base_path.size());
        }
      }
      // A URL that is only a variable (`URL(string: rawValue)`) describes no contract.
      if (resolved && p.name.empty() && value.size() > 2 && value.front() == '{' && value.back() == '}' &&
          value.find('}') == value.size() - 1) {
        continue;
      }
      // Neither does one that is a single name no constant of the code base gives (a parameter
      // or a local: `Request.Builder().url(url)` in a download helper).
      if (!resolved && p.name.empty() && is_plain_name(raw)) continue;
      // A URL made of variables only (`URL(string: baseURL + path)` in a generic request
      // builder) names no endpoint of its own: the callers' endpoint types report them.
      if (bare_url) {
        std::string rest;
        int depth = 0;
        for (char c : value) {
          if (c == '{') ++depth;
          else if (c == '}' && depth > 0) --depth;
          else if (depth == 0 && c != '/') rest += c;
        }
        if (rest.empty()) continue;
        // `URL(string: baseURL + path)` with a base constant and a path that is a property:
        // the last operand, a name that is not a constant of the code base, is the endpoint's.
        std::size_t plus = raw.rfind('+');
        if (plus != std::string::npos && raw.find('"') == std::string::npos) {
          std::string last = raw.substr(plus + 1);
          last.erase(0, last.find_first_not_of(" \t"));
          last.erase(last.find_last_not_of(" \t") + 1);
          bool ignored = true;
          std::string v = resolver.evaluate(last, p.file, ignored);
          if (v.size() > 2 && v.front() == '{' && v.find('}') == v.size() - 1) continue;
        }
      }
      if (no_path && p.default_method) continue;  // AF.request(Router.x): the endpoint type reports it
      // A helper's call site gives a path with a name of its own (not `{id}`, not a bare constant
      // no code defines).
      if (p.via_helper && (no_path || !named_segment(path))) continue;
      // Nor does a helper no call gives a path whose URL has no name of its own and holds the
      // helper's parameter (`"\(host)\(path)"`); `"\(server)/\(topic)"` built by a URL function
      // from a value the helper was given (`channel.link()`) is that value's endpoint.
      if (helper_params != nullptr && !named_segment(path) &&
          std::any_of(helper_params->begin(), helper_params->end(),
                      [&](const std::string& param) { return path.find("{" + param + "}") != std::string::npos; })) {
        continue;
      }
      a["path"] = no_path ? Json(nullptr) : Json(core::sanitize_utf8(path));
      a["host"] = host.empty() ? Json(nullptr) : Json(core::sanitize_utf8(host));
      a["expression"] = plain_literal ? Json(nullptr) : Json(core::sanitize_utf8(raw));
      a["resolved"] = resolved;
      a["name"] = p.name.empty() ? Json(nullptr) : Json(p.name);
      a["file"] = p.file;
      a["line"] = p.line;
      a["rule_id"] = p.rule_id;
      if (!seen.emplace(p.file, p.line, p.method, path + p.name).second) continue;
      // A client call of one endpoint from several files (two versions of a Retrofit interface,
      // one URL built in three screens) is one contract of the app; a server route stays its
      // file's own.
      const bool server = p.rule_id == "express-route" || p.rule_id == "spring-mapping" || p.rule_id == "ktor-route";
      if (!endpoints.emplace(server ? p.file : std::string(), p.method, no_path ? "\n" + raw : path, host).second) {
        continue;
      }
      apis_.push_back(std::move(a));
    }
  }

  // Appends one contract per call site of `helper` (the function that sends request `site` to a
  // URL built from its parameter), following helpers that hand a path parameter of their own on
  // to another (three levels). False when no call gives it a path.
  bool expand_helper(const RequestHelper& helper, const Pending& site, const Facts& facts) {
    struct Level {
      FunctionSig fn;
      std::size_t param;
      std::string expression, file;
      int depth;
      std::string method;  // given by a call on the way (`request(url, "POST")`), else the site's
    };
    // A helper that takes its HTTP method as a parameter (`redditApiRequest(url, method)`,
    // `requestWithBody(url, verb:)`): the verb a call passes there is the request's method.
    auto method_param = [](const FunctionSig& fn) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < fn.params.size(); ++i) {
        std::string n = fn.params[i];
        for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (n == "method" || n == "verb" || n == "httpmethod" || n == "requestmethod" || n == "http_method") return i;
      }
      return std::nullopt;
    };
    auto verb_at = [&](const std::string& file, const CallSite& call, const FunctionSig& fn) -> std::string {
      auto mp = method_param(fn);
      if (!mp) return {};
      const std::string& mlabel = *mp < fn.labels.size() ? fn.labels[*mp] : fn.params[*mp];
      auto it = verb_arguments_.find({file, call.line, call.callee});
      if (it == verb_arguments_.end()) return {};
      for (const auto& [index, label, verb] : it->second) {
        if (fn.labelled ? label == mlabel && (!mlabel.empty() || index == *mp) : label.empty() ? index == *mp : label == fn.params[*mp]) {
          return verb;
        }
      }
      return {};
    };
    std::vector<Level> work{{helper.function, helper.param, site.expression, site.file, 0, {}}};
    std::set<std::tuple<std::string, std::string, std::size_t>> visited{{site.file, helper.function.name, helper.param}};
    bool any = false;
    std::size_t budget = 4096;  // call sites looked at per helper
    while (!work.empty()) {
      Level level = std::move(work.back());
      work.pop_back();
      if (level.param >= level.fn.params.size()) continue;
      const std::string& param = level.fn.params[level.param];
      const std::string& label = level.param < level.fn.labels.size() ? level.fn.labels[level.param] : param;
      for (const auto& [file, call] : facts.calls) {
        if (call.callee != level.fn.name) continue;
        if (budget-- == 0) return any;
        // the function's own body (a recursive call, the request itself)
        if (file == level.file && call.line >= level.fn.first_line && call.line <= level.fn.last_line) continue;
        // a private helper is called from its own file; a Swift argument carries its label
        if (level.fn.file_private && file != level.file) continue;
        // a file with a helper of that name of its own calls that one (`get("app/version")` in a
        // class with its own `get(path)` is not another class's `get(sUrl)`)
        if (file != level.file && helper_names_.contains({file, level.fn.name})) continue;
        if (request_lines_.contains({file, call.line})) continue;
        // Swift calls Swift; Kotlin and Java call each other
        if (swift_file(file) != swift_file(level.file)) continue;
        bool given = level.fn.labelled ? call.label == label && (!label.empty() || call.index == level.param)
                     : call.label.empty() ? call.index == level.param
                                          : call.label == param;
        if (!given) continue;
        std::string expression = substitute(level.expression, param, call.argument);
        std::string method = level.method.empty() ? verb_at(file, call, level.fn) : level.method;
        if (call.caller_param >= 0) {
          if (level.depth < 3 && visited.emplace(file, call.caller.name, static_cast<std::size_t>(call.caller_param)).second) {
            work.push_back({call.caller, static_cast<std::size_t>(call.caller_param), expression, file, level.depth + 1, method});
          }
          continue;
        }
        Pending q;
        q.method = method.empty() ? site.method : method;
        q.expression = std::move(expression);
        q.file = file;
        q.line = call.line;
        q.rule_id = site.rule_id;
        q.via_helper = true;
        pending_.push_back(std::move(q));
        any = true;
      }
    }
    return any;
  }

  void add_state(const Json& f) {
    std::string name = capture(f, "name");
    if (name.empty()) return;
    const auto& file = f["path"].get_ref<const std::string&>();
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
    m["kind"] = f.contains("states") ? "enum" : !capture(f, "typedef").empty() ? "typedef" : "declared";
    m["associated_values"] = !capture(f, "associated_values").empty();
    m["owner"] = capture(f, "owner");
    m["reason"] = f["message"];
    m["confidence"] = "high";
    m["file"] = file;
    m["line"] = f["line"];
    m["rule_id"] = f["rule_id"];
    machines_.push_back(std::move(m));
  }

  void finish_machines(const Facts& facts) {
    // An enum or a typedef is a state machine by its use, not its name: some value of it is held
    // in mutable state (facts.state_types). A name declared in several files (a nested `Mode`
    // in many views) is matched with the holders of its own file only.
    std::map<std::string, std::set<std::string>> declared_in;
    for (const auto& m : machines_) {
      if (m["kind"] != "declared") declared_in[m["name"].get<std::string>()].insert(m["file"].get<std::string>());
    }
    auto held_as = [&](const std::string& key, const std::string& file, bool unique) {
      if (!facts.state_types.contains(key)) return false;
      auto it = facts.state_type_files.find(key);
      if (it == facts.state_type_files.end()) return true;  // facts of a shard that kept no files
      return it->second.contains(file) || unique;
    };
    // A holder written `Outer.Name` is the machine's when Outer is the type it is nested in.
    // An unqualified holder in another file names a nested enum only through an import of
    // `Outer.Name` (Kotlin, Java: recorded as `Outer.Name` by the facts), which Swift does not
    // have: elsewhere it is another type of that name.
    auto held = [&](const std::string& name, const std::string& file, const std::string& owner) {
      return held_as(name, file, declared_in[name].size() <= 1 && owner.empty()) ||
             (!owner.empty() && held_as(owner + "." + name, file, true));
    };
    std::vector<Json> kept;
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& m : machines_) {
      std::string name = m["name"].get<std::string>();
      const auto& file = m["file"].get_ref<const std::string&>();
      if (!seen.emplace(file, name).second) continue;
      if (m["kind"] == "typedef") {
        // An @IntDef/@StringDef annotation type declares a set of states by its structure, as
        // a sealed hierarchy does; held in a field that changes, it is certainly one.
        if (held(name, file, m["owner"].get<std::string>())) {
          m["reason"] = "typedef held in a field that changes";
        } else {
          m["reason"] = "typedef (an annotation type over int or String constants)";
          m["confidence"] = "medium";
        }
      } else if (m["kind"] == "enum") {
        if (!held(name, file, m["owner"].get<std::string>())) continue;
        m["reason"] = m["associated_values"].get<bool>() ? "enum with associated values held in mutable state"
                                                         : "enum held in mutable state";
      }
      m.erase("kind");
      m.erase("associated_values");
      m.erase("owner");
      kept.push_back(std::move(m));
    }
    machines_ = std::move(kept);
    // Subtypes (`object Loading : LoginState()`, `implements A, B`) become states of every
    // machine they extend: the one in their own file when there is one, else every one by name.
    std::multimap<std::string, std::size_t> index;
    for (std::size_t i = 0; i < machines_.size(); ++i) index.emplace(machines_[i]["name"].get<std::string>(), i);
    for (const auto& [type, parents, file] : facts.subtypes) {
      for (const auto& parent : parents) {
        auto range = index.equal_range(parent);
        if (range.first == range.second) continue;
        bool local = false;
        for (auto it = range.first; it != range.second; ++it) {
          if (machines_[it->second]["file"] == file) local = true;
        }
        for (auto it = range.first; it != range.second; ++it) {
          Json& m = machines_[it->second];
          if (local && m["file"] != file) continue;
          if (m["name"] == type) continue;
          Json& states = m["states"];
          if (std::find(states.begin(), states.end(), Json(type)) == states.end()) states.push_back(type);
        }
      }
    }
    // Transitions, from where the states are written (transitions.cpp).
    std::vector<WriteIn> writes;
    writes.reserve(facts.writes.size());
    for (const auto& [file, w] : facts.writes) writes.push_back({&file, &w});
    for (auto& m : machines_) {
      std::vector<std::string> states = m["states"].get<std::vector<std::string>>(), others;
      std::set<std::string> namesake_files;  // files of other machines of the same name
      for (const auto& o : machines_) {
        if (&o == &m) continue;
        if (o["name"] == m["name"]) {
          namesake_files.insert(o["file"].get<std::string>());
          continue;
        }
        for (const auto& st : o["states"]) others.push_back(st.get<std::string>());
      }
      // Two machines of one name (in different files): each takes its own file's writes, and
      // the writes of files that neither is declared in.
      std::vector<WriteIn> own = writes;
      if (!namesake_files.empty()) {
        const auto& file = m["file"].get_ref<const std::string&>();
        std::erase_if(own, [&](const WriteIn& w) { return *w.file != file && namesake_files.contains(*w.file); });
      }
      m["transitions"] = machine_transitions(m["name"].get<std::string>(), states, own, facts.var_types, others);
    }
  }

  // Wire names given as constants (@ColumnInfo(name = COLUMN_NAME)) resolved against the run's
  // constants; unresolved ones keep `wire_constant` and a null wire_name.
  void finish_models(const Facts& facts) {
    Resolver resolver(facts);
    for (auto& m : models_) {
      for (auto& field : m["fields"]) {
        if (!field.contains("wire_constant")) continue;
        bool resolved = true;
        std::string v = resolver.evaluate(field["wire_constant"].get<std::string>(), m["file"].get<std::string>(), resolved);
        if (resolved && v.find('{') == std::string::npos) {
          field["wire_name"] = v;
          field.erase("wire_constant");
        }
      }
    }
    apply_naming_policies(facts);
  }

  // A naming policy of the code base gives the wire name of every field no annotation names, in
  // the models it applies to (see NamingPolicy); the field's `wire_policy` says which.
  void apply_naming_policies(const Facts& facts) {
    if (facts.naming.empty()) return;
    auto family_of = [](const std::string& file) {
      std::string ext = extension_of(file);
      return ext == "swift" ? std::string("swift") : ext == "kt" || ext == "java" ? std::string("jvm") : std::string();
    };
    // the model names each model's fields refer to (`let memory: Memory?`, `[Item]`, `List<Tag>`)
    std::map<std::string, std::set<std::string>> refers;
    std::set<std::string> model_names;
    for (const auto& m : models_) model_names.insert(m["name"].get<std::string>());
    for (const auto& m : models_) {
      auto& out = refers[m["name"].get<std::string>()];
      for (const auto& f : m["fields"]) {
        if (!f["type"].is_string()) continue;
        std::string t = f["type"].get<std::string>(), word;
        for (char c : t + " ") {
          if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
            word += c;
          } else {
            if (model_names.contains(word)) out.insert(word);
            word.clear();
          }
        }
      }
    }
    // policies for named types (`@JsonNaming` on a class, a coder that decodes given types) come
    // before those for a whole code base or package
    std::vector<const std::pair<std::string, NamingPolicy>*> order;
    for (const auto& p : facts.naming) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return !a->second.types.empty() && b->second.types.empty();
    });
    for (const auto* entry : order) {
      const auto& [file, policy] = *entry;
      std::set<std::string> scope(policy.types.begin(), policy.types.end());
      // (a JVM mapper's policy is given to every Java and Kotlin model: which of them a Retrofit
      // converter or a Gson call sends is not followed; a model that is never sent, an EventBus
      // event, gets a wire name nothing uses)
      for (std::vector<std::string> work(scope.begin(), scope.end()); !work.empty();) {
        std::string n = std::move(work.back());
        work.pop_back();
        for (const auto& r : refers[n]) {
          if (scope.insert(r).second) work.push_back(r);
        }
      }
      // a Swift package's sources (`Kit/Sources/Kit/...`) are decoded by its own coder
      std::string package;
      if (std::size_t at = file.find("/Sources/"); policy.family == "swift" && at != std::string::npos) {
        std::size_t end = file.find('/', at + 9);
        if (end != std::string::npos) package = file.substr(0, end + 1);
      }
      for (auto& m : models_) {
        const auto& mfile = m["file"].get_ref<const std::string&>();
        if (family_of(mfile) != policy.family || m["rule_id"] == "swift-data-model") continue;
        if (!scope.empty() ? !scope.contains(m["name"].get<std::string>()) : !mfile.starts_with(package)) continue;
        for (auto& field : m["fields"]) {
          if (!field["wire_name"].is_null() || field.contains("wire_constant") || field.contains("wire_policy")) continue;
          std::string name = field["name"].get<std::string>();
          std::string wire = apply_naming(policy.style, name);
          if (wire.empty() || wire == name) continue;
          field["wire_name"] = wire;
          field["wire_policy"] = fmt::format("{} ({}:{})", policy.source, file, policy.line);
        }
      }
    }
  }

  void add_model(const Json& f) {
    std::string name = capture(f, "name");
    if (name.empty()) return;
    const auto& file = f["path"].get_ref<const std::string&>();
    // Two rules matching one declaration give the same fields; two types of one name in one
    // file (`extension DBModel { @Model class Country }` beside `extension ApiModel { struct
    // Country }`) are both kept.
    std::string field_names;
    if (f.contains("fields")) {
      for (const auto& fd : f["fields"]) field_names += fd.value("name", std::string()) + ",";
    }
    if (!model_keys_.emplace(file, name, field_names).second) return;
    Json m;
    m["name"] = name;
    m["fields"] = f.contains("fields") ? f["fields"] : Json::array();
    m["file"] = file;
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
  std::vector<Pending> pending_;
  std::set<std::pair<std::string, int>> request_lines_;  // (file, line) of every request match
  std::set<std::pair<std::string, std::string>> helper_names_;  // (file, function name) of every request helper
  // HTTP verbs passed as arguments (literals or constants), by (file, call line, callee):
  // (index, label, verb)
  std::map<std::tuple<std::string, int, std::string>, std::vector<std::tuple<std::size_t, std::string, std::string>>> verb_arguments_;
  std::vector<Hint> hints_;
  std::map<std::string, std::set<std::string>> case_methods_;  // endpoint case -> methods its call sites give
  std::map<std::string, std::set<std::string>> url_methods_;   // Retrofit @Url method -> its verbs
  std::set<std::tuple<std::string, std::string, std::string>> model_keys_;
};

// Files skipped as not the app's own code: reason -> {count, first path}.
using Skipped = std::map<std::string, std::pair<std::size_t, std::string>>;

struct AcceptCtx {
  const RuleSet* rules;
  const std::vector<std::string>* inputs;
  bool all_files = false;
  Skipped* skipped;
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
  Facts facts;
  Skipped skipped;

  void add(const Json& f) {
    ++findings;
    ++per_category[f["category"].get<std::string>()];
    ++per_rule[f["rule_id"].get<std::string>()];
    ++per_severity[static_cast<std::size_t>(finding_severity(f))];
    derived.add(f);
  }

  Json summary(std::size_t rules, core::Output& out, bool with_facts) {
    derived.finish(facts);
    Json summary;
    summary["files"] = files;
    Json skip = Json::object();
    std::size_t skipped_files = 0;
    for (const auto& [reason, entry] : skipped) {
      skip[reason] = {{"files", entry.first}, {"example", core::sanitize_utf8(entry.second)}};
      skipped_files += entry.first;
    }
    summary["skipped_files"] = skipped_files;
    summary["skipped"] = std::move(skip);
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
    if (with_facts) summary["facts"] = facts.to_json();  // for `obscore merge` of shards
    return summary;
  }
};

// The path below the input directory it was found in.
std::string_view relative_to_input(std::string_view path, const std::vector<std::string>& inputs) {
  std::size_t best = 0;
  for (const auto& in : inputs) {
    std::string_view dir(in);
    while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
    if (dir.size() > best && path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/') {
      best = dir.size() + 1;
    }
  }
  return path.substr(best);
}

bool accept_file(std::string_view path, const void* ctx_ptr) {
  const auto* ctx = static_cast<const AcceptCtx*>(ctx_ptr);
  if (!ctx->rules->applies_to(path)) return false;
  if (ctx->all_files) return true;
  if (auto reason = skip_reason(relative_to_input(path, *ctx->inputs))) {
    auto& entry = (*ctx->skipped)[*reason];
    if (entry.first++ == 0) entry.second = std::string(path);
    return false;
  }
  return true;
}

// A file whose opening comment says a tool wrote it (`// THIS CODE IS GENERATED BY greenDAO, DO
// NOT EDIT.`, `// Generated by the protocol buffer compiler.  DO NOT EDIT!`, `AUTO-GENERATED FILE`,
// `@generated`, `// Generated using SwiftGen`): a comment line among the first 15 lines. "Generated
// by" a person's name, or "the generated converter", is not such a mark.
bool looks_generated(std::string_view bytes) {
  static const re2::RE2 kMarker(
      R"((?i)^\s*(?://+|/\*+|\*|#)[^\n]*(?:\bdo not (?:edit|modify)\b|\bauto-?generated\b|@generated\b|\bautomatically generated\b|\b(?:code|file) (?:is |was )?generated by\b|\bgenerated (?:by|using|with) (?:the )?(?:swiftgen|sourcery|apollo|protoc|protocol buffer|openapi|swagger|r\.swift|greendao|realm|moshi|kapt|ksp)\b))");
  std::size_t end = 0;
  for (int line = 0; line < 15 && end < bytes.size() && end < 4096; ++line) {
    std::size_t nl = bytes.find('\n', end);
    if (nl == std::string_view::npos) nl = bytes.size();
    if (re2::RE2::PartialMatch(re2::StringPiece(bytes.data() + end, nl - end), kMarker)) return true;
    end = nl + 1;
  }
  return false;
}

// A script file of a few very long lines: minified, not written by hand.
bool looks_minified(std::string_view path, std::string_view bytes) {
  Lang lang = language_of(path);
  if (lang != Lang::kScript || bytes.size() < 4096) return false;
  std::size_t lines = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
  return bytes.size() / lines > 300;
}

}  // namespace

namespace {

std::string where(const Json& x) {
  return fmt::format("{}:{}", x.value("file", std::string()), x.value("line", 0));
}

// The report formats' view of the derived structures: endpoints and models as tables, each state
// machine as a diagram of its states and the transitions found between them.
void derived_report(const Json& s, core::Report& report) {
  core::Table apis{"API endpoints", {{"method", false}, {"path", false}, {"host", false}, {"where", false, true}}, {}, -1};
  for (const auto& a : s.value("api_contracts", Json::array())) {
    Json path = a["path"].is_null() ? a.value("expression", Json()) : a["path"];
    apis.rows.push_back(Json::array({a["method"], path, a["host"], where(a)}));
  }
  core::Table models{"Data models", {{"model", false}, {"fields", true}, {"wire names", false}, {"where", false, true}}, {}, -1};
  for (const auto& m : s.value("data_models", Json::array())) {
    std::string names;
    for (const auto& f : m["fields"]) {
      if (names.size() > 120) {
        names += ", …";
        break;
      }
      std::string n = f["wire_name"].is_string() ? f["wire_name"].get<std::string>() : f["name"].get<std::string>();
      names += (names.empty() ? "" : ", ") + n;
    }
    models.rows.push_back(Json::array({m["name"], m["fields"].size(), names, where(m)}));
  }
  core::Table machines{"State machines",
                       {{"machine", false}, {"states", true}, {"transitions", true}, {"confidence", false}, {"reason", false},
                        {"where", false, true}},
                       {},
                       -1};
  for (const auto& m : s.value("state_machines", Json::array())) {
    core::Diagram d;
    d.kind = core::Diagram::Kind::kStates;
    d.title = fmt::format("{} ({})", m["name"].get<std::string>(), where(m));
    for (const auto& st : m["states"]) d.nodes.push_back(st.get<std::string>());
    const Json transitions = m.value("transitions", Json::array());
    for (const auto& t : transitions) {
      d.edges.push_back({t["from"].is_null() ? std::string("[*]") : t["from"].get<std::string>(), t["to"].get<std::string>(),
                         t.value("trigger", std::string()), false});
    }
    machines.rows.push_back(Json::array({m["name"], m["states"].size(), transitions.size(), m["confidence"], m["reason"], where(m)}));
    report.diagrams.push_back(std::move(d));
  }
  report.tables.push_back(std::move(apis));
  report.tables.push_back(std::move(machines));
  report.tables.push_back(std::move(models));
}

}  // namespace

core::View make_view(const RuleSet& rules) {
  core::View v;
  v.columns = {{"path", false, true}, {"line", true},     {"column", true},
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
    std::string skipped;
    const Json reasons = s.value("skipped", Json::object());
    for (const auto& [reason, e] : reasons.items()) {
      skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", e.value("files", std::size_t{0}), reason);
    }
    return fmt::format("{} files, {} with findings, {} findings ({}); {} API contracts, {} state "
                       "machines, {} data models, {} edge cases; skipped: {} (--all-files scans them); {} ms",
                       s["files"].get<std::size_t>(), s["files_with_findings"].get<std::size_t>(),
                       s["findings"].get<std::size_t>(), cats.empty() ? "none" : cats,
                       s["counts"]["api_contracts"].get<std::size_t>(),
                       s["counts"]["state_machines"].get<std::size_t>(),
                       s["counts"]["data_models"].get<std::size_t>(),
                       s["counts"]["edge_cases"].get<std::size_t>(), skipped.empty() ? "none" : skipped,
                       s["duration_ms"].get<long long>());
  };
  v.rows_title = "findings";
  v.summary_keys = {"files",  "files_with_findings",   "findings", "counts.api_contracts", "counts.state_machines",
                    "counts.data_models", "counts.edge_cases", "skipped_files"};
  v.has_diagrams = true;
  v.report_summary = [](const Json& s, core::Report& report) { derived_report(s, report); };
  return v;
}

Result run(const std::vector<std::string>& inputs, const RuleSet& rules,
                            const Options& options, core::Output& out) {
  Result result;
  core::ItemRun file_run(result, "patterns", options.progress);  // from here, the run's duration
  Tally tally;
  AcceptCtx ctx{&rules, &inputs, options.all_files, &tally.skipped};
  core::WalkOptions walk_options = options.walk;
  walk_options.accept = accept_file;
  walk_options.accept_ctx = &ctx;
  core::WalkResult walked = core::walk(inputs, walk_options);
  result.diagnostics = std::move(walked.diagnostics);

  std::vector<Job> jobs(walked.files.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].input = walked.files[i];
  std::set<std::string> categories(options.categories.begin(), options.categories.end());
  const bool serialise = !out.needs_structure();
  // Before the scan, from every Swift file of the run: the protocols that refine Codable (a model
  // may conform through a protocol declared in another file) and the declared classes and
  // structs (under --shard, another shard's files are not seen).
  ScanContext context;
  {
    std::map<std::string, std::set<std::string>> refines;
    core::ReadLimits limits;
    limits.max_bytes = options.max_file_size;
    for (const Job& job : jobs) {
      if (job.input.is_stdin || !job.input.path.ends_with(".swift")) continue;
      if (auto content = core::read_input(job.input.path, false, limits)) {
        add_swift_protocols(content->bytes(), refines, &context.swift_types);
      }
    }
    context.codable_protocols = codable_protocols(refines);
  }

  auto work = [&](std::size_t i, std::vector<core::Diagnostic>& diagnostics) {
    Job& job = jobs[i];
    const std::string& path = job.input.path;
    auto diag = [&](core::Severity sev, std::string msg) {
      diagnostics.push_back({path, 0, 0, sev, std::move(msg)});
    };
    core::ReadLimits limits;
    limits.max_bytes = options.max_file_size;
    auto content = core::read_input(path, job.input.is_stdin, limits);
    if (!content) {
      diagnostics.push_back(core::read_failure(path, content.error()));
      return;
    }
    std::string_view bytes = content->bytes();
    if (core::looks_binary(bytes)) {
      diag(core::Severity::kWarning, "skipped: binary file");
      return;
    }
    if (!options.all_files && !job.input.explicit_arg) {
      if (looks_minified(path, bytes)) {
        job.skipped = "minified files";
        return;
      }
      if (language_of(path) != Lang::kOther && looks_generated(bytes)) {
        job.skipped = "generated code (header)";
        return;
      }
    }
    job.bytes = bytes.size();
    job.scanned = true;
    bool truncated = false;
    auto matches = rules.scan(path, bytes, &truncated, 10000, &job.facts, &context);
    if (content->truncated()) {
      diag(core::Severity::kError, std::string(core::kChangedWhileRead));
      return;
    }
    if (truncated) {
      diag(core::Severity::kWarning, "a rule matched more than 10000 times (or needed more than 500 "
                                     "endpoint/request extractions); later matches of it in this "
                                     "file are not reported");
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
  };

  auto deliver = [&](std::size_t i) {
    Job& job = jobs[i];
    if (!job.skipped.empty()) {
      auto& entry = tally.skipped[job.skipped];
      if (entry.first++ == 0) entry.second = job.input.path;
    }
    if (!job.scanned) return;
    tally.facts.add(job.facts, job.input.path);
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
  file_run.for_each(jobs.size(), [&](std::size_t i) { return core::ItemPlace{jobs[i].input.path}; }, work, deliver);

  Json summary = tally.summary(rules.rules().size(), out, options.walk.sharded);
  file_run.finish(summary, &options.walk, result.gate_tripped);
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
    if (s.contains("facts")) tally.facts.add_json(s["facts"]);
    const Json skipped = s.value("skipped", Json::object());
    for (const auto& [reason, entry] : skipped.items()) {
      auto& e = tally.skipped[reason];
      if (e.first == 0) e.second = entry.value("example", "");
      e.first += entry.value("files", std::size_t{0});
    }
    duration = std::max(duration, s.value("duration_ms", 0LL));
  }
  // Shards hold disjoint files, and an unsharded run lists them by path: a stable sort by file
  // puts the state writes in the unsharded order (each file's own writes keep theirs), so the
  // machines' transitions come out the same.
  std::stable_sort(tally.facts.writes.begin(), tally.facts.writes.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& f : p.results) {
    tally.add(f);
    out.result(f);
  }
  Json summary = tally.summary(rules, out, false);
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
