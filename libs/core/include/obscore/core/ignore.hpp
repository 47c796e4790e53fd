// .gitignore / .ignore rules of one directory, with the full gitignore pattern syntax:
// comments, `!` negation, trailing `/` (directories only), anchoring by a leading or inner
// '/', `**`, escapes and trailing-space trimming.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace obscore::core {

class IgnoreRules {
 public:
  // Parses the text of one ignore file that lives in directory `base` (relative to the walk
  // root, "" for the root itself; '/'-separated, no trailing slash). For an ignore file in an
  // ancestor of the walk root, `base` is "" and `prefix` is the root's path relative to the
  // file's directory (e.g. "src/lib"), which is put in front of every path matched.
  static IgnoreRules parse(std::string_view text, std::string base, std::string prefix = {});

  // The verdict of the last matching rule for `rel_path` (relative to the walk root):
  // true = ignored, false = re-included by `!`, nullopt = no rule matched.
  std::optional<bool> match(std::string_view rel_path, bool is_dir) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::string pattern;  // without leading '/', '!' or trailing '/'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // contains a '/' other than a trailing one: match the full path
  };
  std::string base_;
  std::string prefix_;
  std::vector<Rule> rules_;
};

}  // namespace obscore::core
