// Pattern files: one [ID=]REGEX per line, or YAML loaded by the caller (through libs/config)
// and handed over as data: a list of {id, regex} mappings or of "[ID=]REGEX" strings, a
// mapping of id: regex, or either under a top-level `patterns:` key.
#include <fmt/format.h>

#include "obscore/logscan/logscan.hpp"

namespace obscore::logscan {

bool looks_like_yaml_patterns(std::string_view text, std::string_view path) {
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return true;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  return text.substr(first).starts_with("patterns:") || text.substr(first).starts_with("- ");
}

std::vector<Pattern> parse_pattern_data(const core::Json& document) {
  const core::Json* root = &document;
  std::string base;
  if (document.is_object() && document.contains("patterns")) {
    root = &document["patterns"];
    base = "/patterns";
  }
  std::vector<Pattern> out;
  if (root->is_null()) return out;
  if (root->is_array()) {
    for (std::size_t i = 0; i < root->size(); ++i) {
      const core::Json& item = (*root)[i];
      std::string where = fmt::format("{}/{}", base, i);
      if (item.is_string()) {
        out.push_back(parse_pattern_arg(item.get<std::string>()));
      } else if (item.is_object()) {
        const char* key = item.contains("regex") ? "regex" : "pattern";
        if (!item.contains(key) || !item[key].is_string()) {
          throw RuleError(where, fmt::format("pattern {}: needs a 'regex' string", i + 1));
        }
        std::string re = item[key].get<std::string>();
        if (item.contains("id") && !item["id"].is_string()) {
          throw RuleError(where + "/id", fmt::format("pattern {}: 'id' must be a string", i + 1));
        }
        out.push_back({item.contains("id") ? item["id"].get<std::string>() : re, re});
        where += std::string("/") + key;
      } else {
        throw RuleError(where, fmt::format("pattern {}: expected a string or a mapping", i + 1));
      }
      if (out.back().regex.empty()) throw RuleError(where, fmt::format("pattern {}: empty regex", i + 1));
    }
  } else if (root->is_object()) {
    for (const auto& [key, value] : root->items()) {
      if (!value.is_string()) {
        throw RuleError(fmt::format("{}/{}", base, key), fmt::format("pattern '{}': the value must be a regex string", key));
      }
      out.push_back({key, value.get<std::string>()});
    }
  } else {
    throw RuleError(base, "expected a list or a mapping of patterns");
  }
  return out;
}

}  // namespace obscore::logscan
