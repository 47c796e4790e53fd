// RegexSet: RE2::Set with per-thread copies and the per-expression fallback when its DFA gives up.
// (Vectorscan was measured here and rejected: Debian's 5.4.9 drops matches in multi-pattern
// databases; see docs/ARCHITECTURE.md.)
#include "obscore/core/regex_set.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <unordered_map>

#include <fmt/format.h>

#include "obscore/core/error.hpp"

namespace obscore::core {

class RegexSet::Set : public re2::RE2::Set {
 public:
  using re2::RE2::Set::Set;
};

std::unique_ptr<RegexSet::Set> RegexSet::compile(const std::vector<std::string>& regexes, std::int64_t budget) {
  re2::RE2::Options opt;
  opt.set_log_errors(false);
  opt.set_max_mem(budget);
  auto set = std::make_unique<RegexSet::Set>(opt, re2::RE2::UNANCHORED);
  for (const auto& r : regexes) set->Add(r, nullptr);
  // RE2::Set checks at Compile() that its DFA fits the budget.
  if (!set->Compile()) return nullptr;
  return set;
}

RegexSet::RegexSet(const std::vector<Entry>& entries, std::int64_t max_mem, bool per_pattern) {
  max_mem_ = max_mem;
  if (entries.empty()) return;
  for (const auto& e : entries) {
    re2::RE2::Options single_opt;
    single_opt.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(re2::StringPiece(e.regex.data(), e.regex.size()), single_opt);
    if (!re->ok()) {
      throw Error(ErrorKind::kUsage, fmt::format("pattern '{}': invalid regular expression: {}", e.id, re->error()));
    }
    singles_.push_back(std::move(re));
    regexes_.emplace_back(e.regex);
  }
  if (per_pattern) {
    regexes_.clear();
    return;
  }
  // If the DFA does not fit the budget, try a bigger one, then match expression by expression.
  for (std::int64_t budget : {max_mem, max_mem * 4}) {
    if (auto set = compile(regexes_, budget)) {
      set_ = std::move(set);
      budget_ = budget;
      static std::atomic<std::uint64_t> generations{0};
      generation_ = ++generations;
      return;
    }
  }
  regexes_.clear();
}

const RegexSet::Set* RegexSet::thread_set() const {
  thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Set>> sets;
  auto& slot = sets[generation_];
  if (!slot) {
    slot = compile(regexes_, budget_);
    if (!slot) return set_.get();  // cannot happen: the same set compiled before
  }
  return slot.get();
}

RegexSet::~RegexSet() = default;

void RegexSet::match_line(std::string_view line, std::vector<int>& out) const {
  out.clear();
  if (singles_.empty()) return;
  re2::StringPiece text(line.data(), line.size());
  if (set_) {
    re2::RE2::Set::ErrorInfo info{};
    if (thread_set()->Match(text, &out, &info)) return;
    if (info.kind == re2::RE2::Set::kNoError) return;  // no expression matched
    // The set's DFA ran out of memory (or failed otherwise): never miss a match, test each
    // expression alone on this line.
    ++fallbacks_;
    out.clear();
  }
  for (std::size_t i = 0; i < singles_.size(); ++i) {
    if (re2::RE2::PartialMatch(text, *singles_[i])) out.push_back(static_cast<int>(i));
  }
}

}  // namespace obscore::core
