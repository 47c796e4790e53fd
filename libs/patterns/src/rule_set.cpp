// RuleSet: rules grouped by file extension; comments and strings masked (offsets kept), one
// RE2::Set pass per file over the masked code, then each matched rule alone for positions and
// captures (read from the original text), rule contexts, then extraction of declaration members.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <tuple>
#include <map>
#include <set>
#include <unordered_map>

#include "obscore/core/output.hpp"
#include "obscore/core/regex_set.hpp"
#include "obscore/patterns/patterns.hpp"
#include "extract.hpp"
#include "helpers.hpp"
#include "naming.hpp"
#include "source.hpp"
#include "transitions.hpp"

namespace obscore::patterns {

namespace {

constexpr std::size_t kMaxStructural = 500;  // endpoint/request extractions per rule and file

// Records the request of match `m` (at `begin`) as a request helper when its URL is built from a
// parameter of the function that sends it.
void note_helper(const MaskedSource& src, Lang lang, std::size_t begin, const Match& m, FileFacts& facts) {
  const std::optional<std::string>* url = nullptr;
  for (const auto& [name, value] : m.captures) {
    if ((name == "path" || (name == "url" && url == nullptr)) && value && !value->empty()) url = &value;
  }
  if (url == nullptr) return;
  const std::string& expr = **url;
  // only an expression that names a variable can be built from a parameter
  if (names_in(expr).empty()) return;
  auto fn = enclosing_function(src.bare, lang, begin);
  if (!fn) return;
  std::size_t param = parameter_in(expr, *fn);
  if (param == kNpos) return;
  // `"$BASE/users/$id"` in `getUser(id)` is an endpoint of its own; a helper's URL is a
  // parameter named for one, or has no literal text besides it (`"$base$path"`, `base + p`).
  if (!path_like_name(fn->params[param]) && has_literal_letters(expr)) return;
  facts.request_helpers.push_back({m.line, std::move(*fn), param});
}

}  // namespace

struct RuleSet::Impl {
  struct Group {
    std::vector<std::size_t> rules;  // indices into rules_ of code-scope rules (the set's order)
    std::unique_ptr<core::RegexSet> set;
    std::vector<std::size_t> raw;    // comment- and all-scope rules, tried alone
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> by_extension;
  std::size_t generic = kNpos;  // group for other extensions (rules without languages)
  std::vector<std::unique_ptr<re2::RE2>> singles;
  std::vector<std::vector<std::pair<int, std::string>>> named;  // per rule: (group index, name)
  std::vector<int> submatches;                                  // per rule: groups to request
  std::vector<std::unique_ptr<re2::RE2>> conditions;            // per rule: file condition or null
};

RuleSet::RuleSet(std::vector<Rule> rules) : rules_(std::move(rules)), impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  for (auto & rule : rules_) {
    re2::RE2::Options opt;
    opt.set_log_errors(false);
    auto r = std::make_unique<re2::RE2>("(?m)" + rule.pattern, opt);
    if (!r->ok()) {
      throw RuleError("", "rule '" + rule.id + "': invalid regular expression: " + r->error());
    }
    std::vector<std::pair<int, std::string>> names;
    int max_index = 0;
    for (const auto& [name, index] : r->NamedCapturingGroups()) {
      names.emplace_back(index, name);
      max_index = std::max(max_index, index);
    }
    std::sort(names.begin(), names.end());
    impl.named.push_back(std::move(names));
    impl.submatches.push_back(max_index + 1);
    impl.singles.push_back(std::move(r));
    impl.conditions.push_back(rule.file_condition.empty()
                                ? nullptr
                                : std::make_unique<re2::RE2>("(?m)" + rule.file_condition, opt));
  }
  // Groups: one per extension any rule names, plus the generic one; identical rule lists share
  // a compiled set.
  std::map<std::string, std::vector<std::size_t>> lists;
  std::vector<std::size_t> generic;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].extensions.empty()) generic.push_back(i);
    for (const auto& ext : rules_[i].extensions) lists[ext];
  }
  for (auto& [ext, list] : lists) {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const auto& exts = rules_[i].extensions;
      if (exts.empty() || std::binary_search(exts.begin(), exts.end(), ext)) list.push_back(i);
    }
  }
  std::map<std::vector<std::size_t>, std::size_t> made;
  auto group_for = [&](const std::vector<std::size_t>& list) {
    auto [it, inserted] = made.emplace(list, impl.groups.size());
    if (inserted) {
      Impl::Group g;
      std::vector<std::string> regexes;  // owned here: entries view them
      for (std::size_t i : list) {
        if (rules_[i].scope == Scope::kCode) {
          g.rules.push_back(i);
          regexes.push_back("(?m)" + rules_[i].pattern);
        } else {
          g.raw.push_back(i);
        }
      }
      std::vector<core::RegexSet::Entry> entries;
      for (std::size_t k = 0; k < g.rules.size(); ++k) entries.push_back({rules_[g.rules[k]].id, regexes[k]});
      if (!entries.empty()) g.set = std::make_unique<core::RegexSet>(entries);
      impl.groups.push_back(std::move(g));
    }
    return it->second;
  };
  for (auto& [ext, list] : lists) impl.by_extension[ext] = group_for(list);
  if (!generic.empty()) impl.generic = group_for(generic);
}

RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

bool RuleSet::applies_to(std::string_view path) const {
  if (impl_->generic != kNpos) return true;
  return impl_->by_extension.contains(extension_of(path));
}

std::vector<Match> RuleSet::scan(std::string_view path, std::string_view text, bool* truncated,
                                 std::size_t max_matches_per_rule, FileFacts* facts,
                                 const ScanContext* context) const {
  std::vector<Match> out;
  if (truncated != nullptr) *truncated = false;
  const Lang lang = language_of(path);
  auto it = impl_->by_extension.find(extension_of(path));
  std::size_t gi = it != impl_->by_extension.end() ? it->second : impl_->generic;
  if (gi == kNpos) return out;
  const Impl::Group& group = impl_->groups[gi];
  MaskedSource masked = mask_source(text, lang);
  masked.context = context;
  const MaskedSource& src = masked;
  if (facts != nullptr) {
    collect_facts(src, lang, *facts);
    collect_state_writes(src, lang, *facts);
    collect_calls(src, lang, text, *facts);
    collect_url_functions(src, lang, *facts);
    collect_naming_policies(src, lang, *facts);
  }
  std::vector<std::size_t> candidates = group.raw;
  if (group.set) {
    std::vector<int> hit;
    group.set->match_line(src.code, hit);
    for (int local : hit) candidates.push_back(group.rules[static_cast<std::size_t>(local)]);
  }
  if (candidates.empty()) return out;
  std::sort(candidates.begin(), candidates.end());

  // Line starts, built only for files that matched.
  std::vector<std::size_t> line_starts{0};
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(text.data() + text.size() - p)))) != nullptr; ++p) {
    line_starts.push_back(static_cast<std::size_t>(p - text.data()) + 1);
  }
  auto line_of = [&](std::size_t offset) {
    return static_cast<std::size_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
  };

  std::vector<re2::StringPiece> groups;
  for (std::size_t ri : candidates) {
    const re2::RE2& regex = *impl_->singles[ri];
    const Rule& rule = rules_[ri];
    if (const auto& req = impl_->conditions[ri]; req && !re2::RE2::PartialMatch(src.code, *req)) continue;
    // Code rules match the masked text; offsets are the same in `text`.
    std::string_view subject = rule.scope == Scope::kCode ? std::string_view(src.code) : text;
    re2::StringPiece whole(subject.data(), subject.size());
    int n = impl_->submatches[ri];
    groups.assign(static_cast<std::size_t>(n), re2::StringPiece());
    std::size_t pos = 0, count = 0, structural = 0;
    const bool costly = rule.extract == Extract::kEndpoints || rule.extract == Extract::kRequest;
    std::size_t col_line = 0, col_offset = 0;
    int col_value = 1;
    while (pos <= subject.size() &&
           regex.Match(whole, pos, subject.size(), re2::RE2::UNANCHORED, groups.data(), n)) {
      auto begin = static_cast<std::size_t>(groups[0].data() - subject.data());
      std::size_t end = begin + groups[0].size();
      if (end == begin) {  // a zero-width match is not a finding
        pos = end + 1;
        continue;
      }
      pos = end;
      // Report from the first non-blank byte of the match.
      std::size_t first = begin;
      while (first < end && (subject[first] == ' ' || subject[first] == '\t' || subject[first] == '\n' || subject[first] == '\r')) ++first;
      if (rule.scope == Scope::kCode && src.in_string(first)) continue;
      if (rule.scope == Scope::kComments && !src.in_comment(first)) continue;
      if (rule.skip_call_arguments && in_call_arguments(src.bare, first)) continue;
      if (rule.skip_declarations && after_declaration(src.bare, first)) continue;
      std::size_t last = end;
      while (last > first && (subject[last - 1] == '\n' || subject[last - 1] == '\r' || subject[last - 1] == ' ')) --last;
      Match m;
      m.rule = ri;
      for (const auto& [index, name] : impl_->named[ri]) {
        const re2::StringPiece& g = groups[static_cast<std::size_t>(index)];
        if (g.data() == nullptr) {
          m.captures.emplace_back(name, std::nullopt);
        } else {
          auto gb = static_cast<std::size_t>(g.data() - subject.data());
          m.captures.emplace_back(name, clip(subject.substr(gb, g.size()), 400));
        }
      }
      // An empty `url_call` group names the method the match is an argument of
      // (`api.bookmarks(session = s, url = "...")` -> bookmarks); no such call, no match.
      bool orphan = false;
      for (auto& [name, value] : m.captures) {
        if (name != "url_call" || !value || !value->empty()) continue;
        value = enclosing_call(src.bare, begin);
        orphan = value->empty();
      }
      if (orphan) continue;
      // A contract whose URL is a local (`String url = String.format(EndPoints.CART, id);` then
      // `new StringRequest(Method.GET, url, ...)`) takes the value the local was last given.
      if (rule.category == "api_contract" && rule.extract == Extract::kNone) {
        for (auto& [name, value] : m.captures) {
          if (name != "path" || !value) continue;
          static const re2::RE2 kLocal(R"([a-z_]\w*)");
          // also the first term of a URL given a query (`url + "?filter=" + state`)
          static const re2::RE2 kLeading(R"(([a-z_]\w*)\s*\+\s*("[?&].*))");
          std::string local, rest;
          if (re2::RE2::FullMatch(*value, kLocal)) {
            local = *value;
          } else if (!re2::RE2::FullMatch(*value, kLeading, &local, &rest)) {
            continue;
          }
          if (auto v = local_value_of(src, local, begin); v && !v->empty()) {
            value = clip(rest.empty() ? *v : *v + " + " + rest, 400);
          }
        }
      }
      // Endpoint and request extraction reads the enclosing type or block: bounded per file so a
      // hostile file cannot make it quadratic.
      if (costly && ++structural > kMaxStructural) {
        if (truncated != nullptr) *truncated = true;
        break;
      }
      if (rule.extract != Extract::kNone && !extract(rule.extract, src, lang, begin, end, m)) continue;
      if (++count > max_matches_per_rule) {
        if (truncated != nullptr) *truncated = true;
        break;
      }
      std::size_t line = line_of(first);
      m.line = static_cast<int>(line);
      // Columns count code points of the original text from the line start; matches of one rule
      // come in order, so continue from the previous match on the same line.
      if (line != col_line || first < col_offset) {
        col_line = line;
        col_offset = line_starts[line - 1];
        col_value = 1;
      }
      for (std::size_t k = col_offset; k < first; ++k) {
        if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++col_value;
      }
      col_offset = first;
      m.column = col_value;
      m.end_line = static_cast<int>(last > first ? line_of(last - 1) : line);
      m.text = clip(text.substr(first, last - first), 400);
      // A request whose URL is built from a parameter of the function around it: a request
      // helper, whose call sites give the paths (see FileFacts::request_helpers).
      if (facts != nullptr && rule.category == "api_contract") note_helper(src, lang, begin, m, *facts);
      out.push_back(std::move(m));
    }
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return std::tie(a.line, a.column, a.rule) < std::tie(b.line, b.column, b.rule);
  });
  return out;
}

std::vector<std::string> boundary_values(std::string_view literal) {
  std::string s;
  for (char c : trim(literal)) {
    if (c != '_') s += c;
  }
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  if (s.empty()) return {};
  long long value = 0;
  int decimals = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::size_t i = 2;
    while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) {
      if (value > (1LL << 58)) return {};
      value = value * 16 + (std::isdigit(static_cast<unsigned char>(s[i])) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
      ++i;
    }
    if (i == 2) return {};
    s.erase(i);
  } else {
    std::size_t i = 0;
    bool dot = false;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || (s[i] == '.' && !dot))) {
      if (s[i] == '.') {
        dot = true;
      } else {
        if (value > 100000000000000000LL) return {};
        value = value * 10 + (s[i] - '0');
        if (dot) ++decimals;
      }
      ++i;
    }
    if (i == 0 || (dot && decimals == 0)) return {};
    std::string_view rest = std::string_view(s).substr(i);  // type suffix: L, f, d, u, UL
    if (!rest.empty() && rest.find_first_not_of("lLfFdDuU") != std::string_view::npos) return {};
  }
  if (negative) value = -value;
  auto show = [&](long long v) {
    if (decimals == 0) return std::to_string(v);
    long long scale = 1;
    for (int k = 0; k < decimals; ++k) scale *= 10;
    std::string sign = v < 0 ? "-" : "";
    long long a = v < 0 ? -v : v;
    std::string frac = std::to_string(a % scale);
    frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
    return sign + std::to_string(a / scale) + "." + frac;
  };
  return {show(value - 1), show(value), show(value + 1)};
}

}  // namespace obscore::patterns
