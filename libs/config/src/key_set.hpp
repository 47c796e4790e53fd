// The keys of one mapping, for duplicate detection: a short list (most mappings are small),
// turned into a hash table past 16 keys. Cleared, it keeps its capacity for the next mapping.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "obscore/config/document.hpp"

namespace obscore::config::detail {

class KeySet {
 public:
  // Inserts `key`; returns where it first was when it is there already.
  const Mark* insert(std::string_view key, Mark m) {
    if (large_.empty()) {
      for (const auto& entry : small_) {
        if (entry.first == key) return &entry.second;
      }
      if (small_.size() < kSmall) {
        small_.emplace_back(std::string(key), m);
        return nullptr;
      }
      for (auto& [k, first] : small_) large_.emplace(std::move(k), first);
      small_.clear();
    }
    auto [it, inserted] = large_.try_emplace(std::string(key), m);
    return inserted ? nullptr : &it->second;
  }

  void clear() {
    small_.clear();
    large_.clear();
  }

 private:
  static constexpr std::size_t kSmall = 16;
  std::vector<std::pair<std::string, Mark>> small_;
  std::unordered_map<std::string, Mark> large_;
};

}  // namespace obscore::config::detail
