// Query paths: jq-style (".a.b[0].c", ".[\"k.with.dots\"]", ".a[-1]") and JSON Pointer.
#include <charconv>

#include <fmt/format.h>

#include "obscore/config/document.hpp"
#include "obscore/core/error.hpp"

namespace obscore::config {

namespace {

[[noreturn]] void bad_path(std::string_view expr, std::size_t at, std::string_view what) {
  throw core::Error(core::ErrorKind::kUsage,
                    fmt::format("invalid path '{}' at character {}: {}", expr, at + 1, what));
}

// A quoted member name starting at expr[i] (the quote); returns the index after the closing quote.
std::size_t quoted(std::string_view expr, std::size_t i, std::string& out) {
  char q = expr[i++];
  while (i < expr.size() && expr[i] != q) {
    if (expr[i] == '\\' && i + 1 < expr.size()) {
      char c = expr[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += expr[i];
    }
    ++i;
  }
  if (i >= expr.size()) bad_path(expr, i, "unterminated quote");
  return i + 1;
}

std::vector<PathStep> parse_pointer(std::string_view expr) {
  std::vector<PathStep> steps;
  std::size_t i = 1;
  while (true) {
    std::size_t slash = expr.find('/', i);
    std::string_view raw = expr.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    PathStep step;
    step.from_pointer = true;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~') {
        if (k + 1 < raw.size() && raw[k + 1] == '0') {
          step.key += '~';
        } else if (k + 1 < raw.size() && raw[k + 1] == '1') {
          step.key += '/';
        } else {
          bad_path(expr, i + k, "'~' must be followed by 0 or 1 in a JSON Pointer");
        }
        ++k;
      } else {
        step.key += raw[k];
      }
    }
    steps.push_back(std::move(step));
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  return steps;
}

}  // namespace

std::vector<PathStep> parse_path(std::string_view expr) {
  if (expr.empty() || expr == ".") return {};
  if (expr[0] == '/') return parse_pointer(expr);
  std::vector<PathStep> steps;
  std::size_t i = 0;
  bool need_separator = false;
  while (i < expr.size()) {
    char c = expr[i];
    if (c == '.') {
      ++i;
      if (i < expr.size() && (expr[i] == '"' || expr[i] == '\'')) {
        PathStep step;
        i = quoted(expr, i, step.key);
        steps.push_back(std::move(step));
      } else if (i < expr.size() && expr[i] != '.' && expr[i] != '[') {
        PathStep step;
        while (i < expr.size() && expr[i] != '.' && expr[i] != '[') step.key += expr[i++];
        steps.push_back(std::move(step));
      } else if (i < expr.size() && expr[i] == '.') {
        bad_path(expr, i, "empty member name");
      }
      need_separator = false;
      continue;
    }
    if (c == '[') {
      ++i;
      if (i < expr.size() && (expr[i] == '"' || expr[i] == '\'')) {
        PathStep step;
        i = quoted(expr, i, step.key);
        steps.push_back(std::move(step));
      } else {
        std::size_t close = expr.find(']', i);
        if (close == std::string_view::npos) bad_path(expr, i, "missing ']'");
        std::string_view num = expr.substr(i, close - i);
        PathStep step;
        step.is_index = true;
        auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), step.index);
        if (num.empty() || ec != std::errc() || end != num.data() + num.size()) {
          bad_path(expr, i, "an index must be an integer, a member name must be quoted");
        }
        step.key = std::string(num);
        steps.push_back(std::move(step));
        i = close;
      }
      if (i >= expr.size() || expr[i] != ']') bad_path(expr, i, "missing ']'");
      ++i;
      need_separator = false;
      continue;
    }
    if (need_separator || !steps.empty()) bad_path(expr, i, "expected '.' or '['");
    // A bare first member name: "a.b" means ".a.b".
    PathStep step;
    while (i < expr.size() && expr[i] != '.' && expr[i] != '[') step.key += expr[i++];
    steps.push_back(std::move(step));
    need_separator = true;
  }
  return steps;
}

const Json* find(const Json& root, const std::vector<PathStep>& steps, std::string* pointer) {
  const Json* node = &root;
  std::string p;
  for (const auto& step : steps) {
    if (node->is_object() && !step.is_index) {
      auto it = node->find(step.key);
      if (it == node->end()) return nullptr;
      node = &*it;
      p = pointer_append(p, step.key);
      continue;
    }
    if (!node->is_array()) return nullptr;
    long long index = step.index;
    if (step.from_pointer) {
      const std::string& k = step.key;
      if (k.empty() || (k.size() > 1 && k[0] == '0')) return nullptr;
      auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), index);
      if (ec != std::errc() || end != k.data() + k.size() || index < 0) return nullptr;
    } else if (!step.is_index) {
      return nullptr;
    }
    auto size = static_cast<long long>(node->size());
    if (index < 0) index += size;
    if (index < 0 || index >= size) return nullptr;
    node = &(*node)[static_cast<std::size_t>(index)];
    p = pointer_append(p, static_cast<std::size_t>(index));
  }
  if (pointer != nullptr) *pointer = std::move(p);
  return node;
}

}  // namespace obscore::config
