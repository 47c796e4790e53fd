// The successive matches of one RE2 in a text. RE2 has no match iterator; the extractor's scans
// each wrote the loop out (match from a position, step past the match, offsets from pointers).
//
//   for (Matches<3> m(re, text); m.next();) use(m.begin(), m[1], m.offset(2));
#pragma once

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace obscore::patterns {

// N: the groups wanted, the whole match (group 0) included. Each match starts where the previous
// one ended, one character later after an empty match (so an empty match cannot repeat forever).
template <int N>
class Matches {
 public:
  Matches(const re2::RE2& re, std::string_view text) : re_(re), text_(text) {}

  bool next() {
    if (pos_ >= text_.size()) return false;
    re2::StringPiece in(text_.data(), text_.size());
    if (!re_.Match(in, pos_, text_.size(), re2::RE2::UNANCHORED, groups_.data(), N)) return false;
    begin_ = offset(0);
    pos_ = begin_ + std::max<std::size_t>(groups_[0].size(), 1);
    return true;
  }

  // Where the current match begins and ends in the text.
  std::size_t begin() const { return begin_; }
  std::size_t end() const { return begin_ + groups_[0].size(); }
  // Group i of the current match (empty when the group did not take part).
  std::string_view operator[](int i) const { return {groups_[i].data(), groups_[i].size()}; }
  // Where group i begins in the text; npos when it did not take part.
  std::size_t offset(int i) const {
    return groups_[i].data() == nullptr ? std::string_view::npos
                                        : static_cast<std::size_t>(groups_[i].data() - text_.data());
  }

 private:
  const re2::RE2& re_;
  std::string_view text_;
  std::array<re2::StringPiece, N> groups_{};
  std::size_t pos_ = 0;
  std::size_t begin_ = 0;
};

}  // namespace obscore::patterns
