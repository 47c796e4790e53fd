// Many regular expressions matched against one line in one pass: an RE2::Set (one DFA pass) plus
// each expression compiled alone, used when the set's DFA runs out of memory on a line, so no match
// is ever missed. Shared by logscan's `-e` patterns and the patterns rule packs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}  // namespace re2

namespace obscore::core {

class RegexSet {
 public:
  struct Entry {
    std::string_view id;     // named in the error for an invalid expression
    std::string_view regex;  // RE2 syntax
  };
  // Throws core::Error (usage) naming the entry's id for an invalid expression. `max_mem` is
  // RE2's budget for the set; a set whose DFA does not fit gets 4x the budget, then is given up
  // for expression-by-expression matching (slower, never wrong). `per_pattern` forces that mode.
  explicit RegexSet(const std::vector<Entry>& entries, std::int64_t max_mem = std::int64_t{256} << 20,
                    bool per_pattern = false);
  ~RegexSet();
  RegexSet(const RegexSet&) = delete;
  RegexSet& operator=(const RegexSet&) = delete;

  std::size_t size() const { return singles_.size(); }
  bool uses_set() const { return set_ != nullptr; }
  // Indices of the expressions that match `line` (out is cleared first).
  void match_line(std::string_view line, std::vector<int>& out) const;
  // Lines on which the set's DFA gave up and every expression was tried alone.
  std::uint64_t fallbacks() const { return fallbacks_; }
  // The DFA memory budget the set compiled with, and the largest one tried.
  std::int64_t budget() const { return budget_; }
  std::int64_t max_budget() const { return max_mem_ * 4; }

 private:
  class Set;  // an RE2::Set
  static std::unique_ptr<Set> compile(const std::vector<std::string>& regexes, std::int64_t budget);
  // The calling thread's own compiled copy of the set: RE2's DFA cache sits behind a
  // reader-writer lock, and sharing one set between threads cost 20 % of a run in lock traffic.
  const Set* thread_set() const;

  std::unique_ptr<Set> set_;
  std::vector<std::string> regexes_;
  std::int64_t budget_ = 0;
  std::int64_t max_mem_ = 0;
  std::uint64_t generation_ = 0;  // identifies this instance in the per-thread caches
  std::vector<std::unique_ptr<re2::RE2>> singles_;
  mutable std::atomic<std::uint64_t> fallbacks_{0};
};

}  // namespace obscore::core
