// gitignore pattern parsing and matching (see gitignore(5)).
#include "obscore/core/ignore.hpp"


#include "obscore/core/glob.hpp"

namespace obscore::core {

IgnoreRules IgnoreRules::parse(std::string_view text, std::string base, std::string prefix) {
  IgnoreRules r;
  r.base_ = std::move(base);
  r.prefix_ = std::move(prefix);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Trailing spaces are ignored unless escaped with a backslash.
    while (!line.empty() && line.back() == ' ' &&
           !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') continue;
    Rule rule;
    if (line.front() == '!') {
      rule.negate = true;
      line.remove_prefix(1);
    } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
      line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
      rule.dir_only = true;
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    if (line.front() == '/') {
      rule.anchored = true;
      line.remove_prefix(1);
    } else if (line.find('/') != std::string_view::npos) {
      rule.anchored = true;
    }
    rule.pattern = std::string(line);
    if (rule.pattern.empty()) continue;
    r.rules_.push_back(std::move(rule));
  }
  return r;
}

std::optional<bool> IgnoreRules::match(std::string_view rel_path, bool is_dir) const {
  // Path relative to this file's directory.
  std::string joined;
  if (!prefix_.empty()) {
    joined = prefix_ + "/" + std::string(rel_path);
    rel_path = joined;
  }
  std::string_view local = rel_path;
  if (!base_.empty()) {
    if (local.size() <= base_.size() || local.substr(0, base_.size()) != base_ ||
        local[base_.size()] != '/') {
      return std::nullopt;
    }
    local.remove_prefix(base_.size() + 1);
  }
  std::string_view name = local;
  if (auto slash = local.rfind('/'); slash != std::string_view::npos) {
    name = local.substr(slash + 1);
  }
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    const Rule& rule = *it;
    if (rule.dir_only && !is_dir) continue;
    bool hit = rule.anchored ? glob_match(rule.pattern, local) : glob_match(rule.pattern, name);
    if (hit) return !rule.negate;
  }
  return std::nullopt;
}

}  // namespace obscore::core
