// The rule packs compiled into the binary (generated from libs/patterns/rules/*.yaml).
#pragma once

#include <string_view>

namespace obscore::patterns {

struct BuiltinPack {
  std::string_view name;
  std::string_view text;
};

extern const BuiltinPack kBuiltinPacks[1];

}  // namespace obscore::patterns
