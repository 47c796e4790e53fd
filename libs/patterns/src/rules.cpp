// Rule documents -> validated Rule values. The command loads the YAML (through libs/config) and
// hands the data here; every problem names a JSON Pointer so it can be shown as file:line:col.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "builtin_packs.hpp"
#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {

namespace {

using core::Json;

// Language names a rule may use instead of extensions.
struct LanguageExtensions {
  std::string_view name;
  std::vector<std::string_view> extensions;
};

const std::vector<LanguageExtensions>& language_table() {
  static const std::vector<LanguageExtensions> kTable = {
      {"kotlin", {"kt", "kts"}},
      {"java", {"java"}},
      {"swift", {"swift"}},
      {"typescript", {"ts", "tsx", "mts", "cts"}},
      {"javascript", {"js", "jsx", "mjs", "cjs"}},
      {"python", {"py", "pyi"}},
      {"go", {"go"}},
      {"rust", {"rs"}},
      {"c", {"c", "h"}},
      {"cpp", {"cc", "cpp", "cxx", "hpp", "hh", "hxx", "h"}},
      {"csharp", {"cs"}},
      {"ruby", {"rb"}},
      {"php", {"php"}},
      {"scala", {"scala"}},
      {"dart", {"dart"}},
      {"objc", {"m", "mm", "h"}},
  };
  return kTable;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::string& require_string(const Json& rule, const char* key, const std::string& where) {
  const Json& v = rule.at(key);
  if (!v.is_string()) throw RuleError(fmt::format("{}/{}", where, key), fmt::format("'{}' must be a string", key));
  return v.get_ref<const std::string&>();
}

}  // namespace

std::string_view builtin_pack(std::string_view name) {
  for (const auto& p : kBuiltinPacks) {
    if (p.name == name) return p.text;
  }
  return {};
}

std::vector<std::string> builtin_pack_names() {
  std::vector<std::string> names;
  for (const auto& p : kBuiltinPacks) names.emplace_back(p.name);
  return names;
}

void add_rules(const Json& document, const std::string& origin, std::vector<Rule>& rules) {
  const Json* list = &document;
  std::string base;
  if (document.is_object()) {
    for (const auto& [key, value] : document.items()) {
      if (key != "rules" && key != "name" && key != "description" && key != "version") {
        throw RuleError("/" + key, fmt::format("unknown key '{}' (a rule file has rules, and "
                                               "optionally name, description, version)", key), true);
      }
    }
    if (!document.contains("rules")) throw RuleError("", "no 'rules' list");
    list = &document["rules"];
    base = "/rules";
  } else if (document.is_null()) {
    return;  // an empty file: no rules
  }
  if (!list->is_array()) throw RuleError(base, "expected a list of rules");
  std::set<std::string> ids;
  for (const auto& r : rules) ids.insert(r.id);
  static const std::set<std::string> kKeys = {"id", "category", "languages", "pattern", "message",
                                              "severity", "description", "extract", "scope",
                                              "not_in", "requires"};
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    std::string where = fmt::format("{}/{}", base, i);
    if (!item.is_object()) throw RuleError(where, "a rule must be a mapping with id and pattern");
    for (const auto& [key, value] : item.items()) {
      if (!kKeys.contains(key)) {
        throw RuleError(fmt::format("{}/{}", where, key),
                        fmt::format("unknown key '{}' (known: id, category, languages, pattern, "
                                    "message, severity, description, extract, scope, not_in, requires)", key), true);
      }
    }
    for (const char* key : {"id", "pattern"}) {
      if (!item.contains(key)) throw RuleError(where, fmt::format("rule {} has no '{}'", i + 1, key));
    }
    Rule rule;
    rule.origin = origin;
    rule.id = require_string(item, "id", where);
    if (rule.id.empty() || rule.id.find_first_of(" \t\r\n") != std::string::npos) {
      throw RuleError(where + "/id", fmt::format("rule id '{}' must be one word", rule.id));
    }
    if (!ids.insert(rule.id).second) {
      auto other = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == rule.id; });
      throw RuleError(where + "/id",
                      other != rules.end() && other->origin != origin
                          ? fmt::format("duplicate rule id '{}' (already defined by {})", rule.id, other->origin)
                          : fmt::format("duplicate rule id '{}'", rule.id));
    }
    rule.pattern = require_string(item, "pattern", where);
    if (rule.pattern.empty()) throw RuleError(where + "/pattern", "empty pattern");
    re2::RE2::Options opt;
    opt.set_log_errors(false);
    re2::RE2 re("(?m)" + rule.pattern, opt);
    if (!re.ok()) {
      throw RuleError(where + "/pattern",
                      fmt::format("rule '{}': invalid regular expression: {}", rule.id, re.error()));
    }
    rule.category = item.contains("category") ? require_string(item, "category", where) : "custom";
    rule.message = item.contains("message") ? require_string(item, "message", where) : rule.id;
    if (item.contains("description")) rule.description = require_string(item, "description", where);
    if (item.contains("severity")) {
      const std::string& s = require_string(item, "severity", where);
      auto sev = core::parse_severity(s);
      if (!sev) {
        throw RuleError(where + "/severity",
                        fmt::format("unknown severity '{}' (note, warning, error)", s));
      }
      rule.severity = *sev;
    }
    if (item.contains("extract")) {
      const std::string& e = require_string(item, "extract", where);
      if (e == "fields") {
        rule.extract = Extract::kFields;
      } else if (e == "states") {
        rule.extract = Extract::kStates;
      } else if (e == "methods") {
        rule.extract = Extract::kMethods;
      } else if (e == "endpoints") {
        rule.extract = Extract::kEndpoints;
      } else if (e == "request") {
        rule.extract = Extract::kRequest;
      } else if (e == "pojo") {
        rule.extract = Extract::kPojo;
      } else if (e == "wire_fields") {
        rule.extract = Extract::kWireFields;
      } else if (e != "none") {
        throw RuleError(where + "/extract",
                        fmt::format("unknown extract '{}' (fields, pojo, wire_fields, states, methods, "
                                    "endpoints, request, none)", e));
      }
    }
    if (item.contains("scope")) {
      const std::string& sc = require_string(item, "scope", where);
      if (sc == "code") {
        rule.scope = Scope::kCode;
      } else if (sc == "comments") {
        rule.scope = Scope::kComments;
      } else if (sc == "all") {
        rule.scope = Scope::kAll;
      } else {
        throw RuleError(where + "/scope", fmt::format("unknown scope '{}' (code, comments, all)", sc));
      }
    }
    if (item.contains("not_in")) {
      const Json& not_in_list = item["not_in"];
      if (!not_in_list.is_array()) throw RuleError(where + "/not_in", "'not_in' must be a list");
      for (std::size_t k = 0; k < not_in_list.size(); ++k) {
        std::string w = fmt::format("{}/not_in/{}", where, k);
        if (!not_in_list[k].is_string()) throw RuleError(w, "expected call_arguments or declarations");
        const auto& v = not_in_list[k].get_ref<const std::string&>();
        if (v == "call_arguments") {
          rule.skip_call_arguments = true;
        } else if (v == "declarations") {
          rule.skip_declarations = true;
        } else {
          throw RuleError(w, fmt::format("unknown context '{}' (call_arguments, declarations)", v));
        }
      }
    }
    if (item.contains("requires")) {
      rule.file_condition = require_string(item, "requires", where);
      re2::RE2 req("(?m)" + rule.file_condition, opt);
      if (!req.ok()) {
        throw RuleError(where + "/requires",
                        fmt::format("rule '{}': invalid regular expression: {}", rule.id, req.error()));
      }
    }
    if (item.contains("languages")) {
      const Json& langs = item["languages"];
      std::vector<std::string> names;
      if (langs.is_string()) {
        names.push_back(langs.get<std::string>());
      } else if (langs.is_array()) {
        for (std::size_t k = 0; k < langs.size(); ++k) {
          if (!langs[k].is_string()) {
            throw RuleError(fmt::format("{}/languages/{}", where, k), "a language must be a string");
          }
          names.push_back(langs[k].get<std::string>());
        }
      } else {
        throw RuleError(where + "/languages", "'languages' must be a list of names or extensions");
      }
      for (const auto& raw : names) {
        std::string name = lower(raw);
        if (name == "*" || name == "any") {
          rule.extensions.clear();
          break;
        }
        if (name.starts_with("*.")) name.erase(0, 2);
        if (name.starts_with(".")) name.erase(0, 1);
        auto lang = std::find_if(language_table().begin(), language_table().end(),
                                 [&](const LanguageExtensions& l) { return l.name == name; });
        if (lang != language_table().end()) {
          for (auto ext : lang->extensions) rule.extensions.emplace_back(ext);
        } else if (!name.empty() && name.find_first_of("/ \t") == std::string::npos) {
          rule.extensions.push_back(name);
        } else {
          throw RuleError(where + "/languages", fmt::format("bad language or extension '{}'", raw));
        }
      }
      std::sort(rule.extensions.begin(), rule.extensions.end());
      rule.extensions.erase(std::unique(rule.extensions.begin(), rule.extensions.end()),
                            rule.extensions.end());
    }
    rules.push_back(std::move(rule));
  }
}

}  // namespace obscore::patterns
