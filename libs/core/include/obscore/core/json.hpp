// The JSON value type every library builds its results with, and parsing JSON text that comes
// from outside (merge partials, verify batches). nlohmann/json recurses once per nesting level
// while it builds and copies values, so a document nested a hundred thousand levels deep
// overflows the stack; the depth is checked first, in one pass.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace obscore::core {

// Objects keep their keys in insertion order: outputs list fields in their documented order.
using Json = nlohmann::ordered_json;

// The deepest nesting of arrays and objects accepted, as config's YAML/JSON loader has it.
inline constexpr std::size_t kMaxJsonDepth = 1000;

struct TextPosition {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

// Where `text` first opens an array or object deeper than `max_depth` (brackets inside strings
// do not count), or nullopt. Does not validate anything else.
std::optional<TextPosition> find_excess_nesting(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

// The error message for find_excess_nesting's finding: "nesting deeper than 1000 levels".
std::string excess_nesting_message(std::size_t max_depth = kMaxJsonDepth);

// Parses untrusted JSON text: nullopt for invalid JSON and for nesting beyond kMaxJsonDepth
// (`too_deep` then holds where, when given).
std::optional<Json> parse_untrusted_json(std::string_view text, std::optional<TextPosition>* too_deep = nullptr);

}  // namespace obscore::core
