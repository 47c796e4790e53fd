// Scalar resolution shared by the tree loader, the streaming JSON writer and the linter: the
// YAML 1.2 core schema (or 1.1's rules), explicit !!tags, and numbers turned into canonical
// JSON text without a detour through double where that would lose digits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "obscore/core/diagnostic.hpp"

namespace obscore::config::detail {

enum class ScalarKind { kNull, kTrue, kFalse, kInt, kFloat, kString, kSpecialFloat };

struct Scalar {
  ScalarKind kind = ScalarKind::kString;
  // kInt / kFloat: canonical JSON number text; kSpecialFloat: ".inf", "-.inf" or ".nan" (JSON
  // has none, so they become these strings). Empty for the other kinds.
  std::string number;
  // The number does not survive int64/uint64/double: `number` is the exact value.
  bool exact = false;
};

// An untagged plain scalar.
Scalar resolve_plain(std::string_view s, bool yaml_1_1);

// A scalar with its tag ("" for none, "!" for the non-specific tag, or the expanded tag such as
// "tag:yaml.org,2002:int"); quoted scalars are strings unless a tag says otherwise. Returns the
// resolution, or sets `error` ("!!int value 'x' is not an integer") and returns nullopt.
std::optional<Scalar> resolve(std::string_view text, bool plain, std::string_view tag, bool yaml_1_1,
                              std::string& error);

// Why a collection cannot carry `tag` (a core-schema tag of another kind), or nullopt.
std::optional<std::string> collection_tag_error(bool is_map, std::string_view tag);

// The text a scalar has as a mapping key (JSON keys are strings): the text itself for strings,
// "null"/"true"/"false", or the canonical number.
std::string key_string(const Scalar& s, std::string_view text);

// The nlohmann value of a resolved scalar whose text is `text` (for kString).
core::Json to_json_value(const Scalar& s, std::string_view text);

// Appends a double as nlohmann's dump() writes it (shortest round-trip form, "1.0" for integral
// values), so the streaming and the tree writers agree byte for byte.
void append_double(std::string& out, double v);

// The lint rules about scalars that YAML 1.1 and 1.2 read differently.
bool is_yaml11_boolean(std::string_view s);    // yes/no/on/off/y/n in any of their spellings
bool is_octal_ambiguous(std::string_view s);   // 0755: decimal in 1.2, octal in 1.1
bool is_sexagesimal(std::string_view s);       // 1:30 or 190:20:30.15: base 60 in 1.1 only

}  // namespace obscore::config::detail
