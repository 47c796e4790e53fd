// Untrusted JSON: a one-pass depth check before nlohmann/json parses (see json.hpp).
#include "obscore/core/json.hpp"

#include <string>

namespace obscore::core {

std::optional<TextPosition> find_excess_nesting(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped byte cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        TextPosition at{1, 1};
        std::size_t line_start = 0;
        for (std::size_t k = 0; k < i; ++k) {
          if (text[k] == '\n') {
            ++at.line;
            line_start = k + 1;
          }
        }
        at.column = static_cast<int>(i - line_start + 1);
        return at;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string excess_nesting_message(std::size_t max_depth) {
  return "nesting deeper than " + std::to_string(max_depth) + " levels";
}

std::optional<Json> parse_untrusted_json(std::string_view text, std::optional<TextPosition>* too_deep) {
  auto deep = find_excess_nesting(text);
  if (too_deep != nullptr) *too_deep = deep;
  if (deep) return std::nullopt;
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

}  // namespace obscore::core
