// obscore patterns: business-logic analysis of source trees with regex rule packs. All rules
// for a file's language run in one RE2::Set pass; only rules that matched are run again alone
// to recover positions and named captures. Declarations that a rule marks for extraction
// (`extract: fields | states | methods`) get their parameter list or body read, and the
// findings are folded into derived structures: API contracts, state machines, data models and
// edge cases with their boundary values. Rule-pack format: man/obscore-patterns.1.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::patterns {

// A rule file or pack that is not valid: names the JSON Pointer of the offending value.
using RuleError = core::DataError;

// What to read from the declaration a rule matched (the parameter list or body that follows).
enum class Extract { kNone, kFields, kStates, kMethods };

struct Rule {
  std::string id;
  std::string category;          // business_rule, api_contract, state_machine, data_model, ...
  std::vector<std::string> extensions;  // lower-case, without the dot; empty = every file
  std::string pattern;           // RE2 syntax; ^ and $ match at line breaks
  std::string message;           // may name captures: "calls {method} {path}"
  std::string description;       // longer text for SARIF and --list-rules
  core::Severity severity = core::Severity::kNote;
  Extract extract = Extract::kNone;
  std::string origin;            // pack name or rule file
};

// Parses one rule document, `{rules: [...]}` or a bare list, appending to `rules`. Checks every
// key, compiles every pattern, refuses ids already in `rules`. Throws RuleError.
void add_rules(const core::Json& document, const std::string& origin, std::vector<Rule>& rules);

// The rule packs built into the binary: their YAML text ("" when unknown) and names.
std::string_view builtin_pack(std::string_view name);
std::vector<std::string> builtin_pack_names();

// One match of one rule.
struct Match {
  std::size_t rule = 0;      // index into the rule list
  int line = 0;              // 1-based
  int column = 0;            // 1-based, in Unicode code points
  int end_line = 0;
  std::string text;          // the matched text, trimmed, at most 400 bytes
  std::vector<std::pair<std::string, std::optional<std::string>>> captures;  // named groups
  // From `extract`: field {name, type} pairs, or state / method names.
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> names;
};

// Compiled rules: one multi-pattern set per distinct language group.
class RuleSet {
 public:
  explicit RuleSet(std::vector<Rule> rules);  // throws RuleError for an invalid pattern
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  const std::vector<Rule>& rules() const { return rules_; }
  // True when some rule applies to a file with this name (by extension).
  bool applies_to(std::string_view path) const;
  // Scans one file's text. Matches come sorted by line, column, rule. `truncated` is set when a
  // rule hit max_matches_per_rule and later matches were dropped.
  std::vector<Match> scan(std::string_view path, std::string_view text, bool* truncated = nullptr,
                          std::size_t max_matches_per_rule = 10000) const;

 private:
  struct Impl;
  std::vector<Rule> rules_;
  std::unique_ptr<Impl> impl_;
};

// Boundary values to test around a numeric literal compared against: 10 -> 9, 10, 11;
// 0.5 -> 0.4, 0.5, 0.6 (one unit of the literal's last digit). Empty when `literal` is not a
// number. Hex (0x10), Kotlin/Java suffixes (10L, 1.5f) and underscores are understood.
std::vector<std::string> boundary_values(std::string_view literal);

struct Options {
  core::WalkOptions walk;
  std::vector<std::string> categories;  // keep only these (empty = all)
  std::optional<core::Severity> fail_on;
  std::uint64_t max_file_size = 4u << 20;
  bool progress = false;
};

using Result = core::RunResult;

core::View make_view(const RuleSet& rules);

// `--list-rules`: one result per rule {id, category, severity, languages, origin, description}
// in load order, and the summary {rules, categories}; the table shows one row per rule.
core::View make_rules_view();
void list_rules(const std::vector<Rule>& rules, core::Output& out);

// Walks the inputs, scans every file in parallel, hands findings to `out` in path order, then
// the derived structures and the summary.
Result run(const std::vector<std::string>& inputs, const RuleSet& rules,
                            const Options& options, core::Output& out);

// `obscore merge`: the output of the unsharded run from its shards' partial outputs (findings
// in path order, totals and derived structures recomputed; duration_ms is the slowest shard's).
void merge(const core::Partials& partials, core::Output& out);

}  // namespace obscore::patterns
