// RuleSet: rules grouped by file extension, one RE2::Set pass per file, then each matched rule
// alone for positions and captures, then extraction of declaration members.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <tuple>
#include <map>
#include <unordered_map>

#include "obscore/core/output.hpp"
#include "obscore/core/regex_set.hpp"
#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {

namespace {

// ---- source text helpers (tolerant: any bytes, unbalanced brackets) ------------------------

constexpr std::size_t kNpos = std::string_view::npos;

// Skips a string or character literal that starts at text[i]; returns the index after it.
std::size_t skip_literal(std::string_view text, std::size_t i) {
  char q = text[i];
  bool triple = q == '"' && text.substr(i, 3) == "\"\"\"";
  std::size_t j = i + (triple ? 3 : 1);
  while (j < text.size()) {
    if (triple) {
      if (text.substr(j, 3) == "\"\"\"") return j + 3;
      ++j;
      continue;
    }
    char c = text[j];
    if (c == '\\') {
      j += 2;
      continue;
    }
    if (c == q) return j + 1;
    if (c == '\n' && q != '`') return j;  // unterminated: stop at the line end
    ++j;
  }
  return text.size();
}

// Skips a comment at text[i] ("//" or "/*"); returns i when there is none.
std::size_t skip_comment(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size() || text[i] != '/') return i;
  if (text[i + 1] == '/') {
    std::size_t nl = text.find('\n', i);
    return nl == kNpos ? text.size() : nl;
  }
  if (text[i + 1] == '*') {
    std::size_t end = text.find("*/", i + 2);
    return end == kNpos ? text.size() : end + 2;
  }
  return i;
}

// Skips a literal or comment starting at text[i]; returns i when there is none.
std::size_t skip_non_code(std::string_view text, std::size_t i) {
  char ch = text[i];
  if (ch == '"' || ch == '\'' || ch == '`') return skip_literal(text, i);
  return ch == '/' ? skip_comment(text, i) : i;
}

// The index of the bracket that closes text[open], or kNpos (unbalanced, or beyond `limit`).
std::size_t match_close(std::string_view text, std::size_t open, std::size_t limit) {
  char o = text[open];
  char c = o == '(' ? ')' : o == '{' ? '}' : o == '[' ? ']' : '>';
  int depth = 0;
  std::size_t end = std::min(text.size(), open + limit);
  for (std::size_t i = open; i < end;) {
    char ch = text[i];
    if (o == '<' && (ch == '"' || ch == '\'' || ch == '`')) return kNpos;  // not a generic list
    if (std::size_t j = skip_non_code(text, i); j != i) {
      i = j;
      continue;
    }
    if (ch == o) {
      ++depth;
    } else if (ch == c && !(c == '>' && i > 0 && text[i - 1] == '-')) {
      if (--depth == 0) return i;
    }
    ++i;
  }
  return kNpos;
}

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == kNpos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Splits [b, e) at top-level occurrences of `sep` (brackets, literals and comments respected).
std::vector<std::string_view> split_top(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size();) {
    char ch = text[i];
    if (std::size_t j = skip_non_code(text, i); j != i) {
      i = j;
      continue;
    }
    if (ch == '(' || ch == '[' || ch == '{' || ch == '<') ++depth;
    if ((ch == ')' || ch == ']' || ch == '}' || (ch == '>' && (i == 0 || text[i - 1] != '-'))) && depth > 0) --depth;
    if (ch == sep && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
    ++i;
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The statements directly inside a body (its text without the braces): split at line breaks
// and ';' outside brackets; nested blocks are dropped and flag their statement.
struct Statement {
  std::string text;
  bool has_body = false;
};

std::vector<Statement> body_statements(std::string_view body) {
  std::vector<Statement> out;
  Statement cur;
  int paren = 0;
  auto flush = [&] {
    std::string_view t = trim(cur.text);
    if (!t.empty()) out.push_back({std::string(t), cur.has_body});
    cur = Statement{};
  };
  for (std::size_t i = 0; i < body.size();) {
    char ch = body[i];
    if (ch == '"' || ch == '\'' || ch == '`') {
      std::size_t j = skip_literal(body, i);
      cur.text.append(body.substr(i, j - i));
      i = j;
      continue;
    }
    if (ch == '/') {
      std::size_t j = skip_comment(body, i);
      if (j != i) {
        i = j;
        continue;
      }
    }
    if (ch == '{') {
      std::size_t close = match_close(body, i, body.size());
      cur.has_body = true;
      i = close == kNpos ? body.size() : close + 1;
      continue;
    }
    if (ch == '(' || ch == '[') ++paren;
    if ((ch == ')' || ch == ']') && paren > 0) --paren;
    if ((ch == '\n' || ch == ';') && paren == 0) {
      flush();
      ++i;
      continue;
    }
    cur.text += ch;
    ++i;
  }
  flush();
  return out;
}

// Where a declaration's parameter list or body opens: the match's own last '(' or '{', or the
// first one after it (generics and supertypes skipped), within a short distance.
std::size_t find_opening(std::string_view text, std::size_t match_begin, std::size_t match_end) {
  std::string_view m = trim(text.substr(match_begin, match_end - match_begin));
  if (!m.empty() && (m.back() == '{' || m.back() == '(')) {
    return text.rfind(m.back(), match_end - 1);
  }
  std::size_t limit = std::min(text.size(), match_end + 600);
  for (std::size_t i = match_end; i < limit; ++i) {
    char ch = text[i];
    if (ch == '(' || ch == '{') return i;
    if (ch == '<') {
      std::size_t close = match_close(text, i, 300);
      if (close == kNpos) return kNpos;
      i = close;
      continue;
    }
    if (ch == ';' || ch == '=' || ch == '}') return kNpos;
  }
  return kNpos;
}

// Where a type's body opens: the match's own last '{', or the first '{' after it with
// constructor parameters, generics and supertype arguments skipped.
std::size_t find_body(std::string_view text, std::size_t match_begin, std::size_t match_end) {
  std::string_view m = trim(text.substr(match_begin, match_end - match_begin));
  if (!m.empty() && m.back() == '{') return text.rfind('{', match_end - 1);
  std::size_t limit = std::min(text.size(), match_end + 2000);
  for (std::size_t i = match_end; i < limit; ++i) {
    char ch = text[i];
    if (ch == '{') return i;
    if (ch == '(' || ch == '<') {
      std::size_t close = match_close(text, i, 64 * 1024);
      if (close == kNpos) return kNpos;
      i = close;
      continue;
    }
    if (ch == ';' || ch == '=' || ch == '}') return kNpos;
  }
  return kNpos;
}

// Leading annotations and modifiers of a declaration.
const char* const kModifiers =
    R"(^((?:(?:@\w+(?:\.\w+)*(?:\((?:[^()]|\([^()]*\))*\))?|public|private|protected|internal|open|override|final|lateinit|lazy|weak|unowned|fileprivate|nonisolated|readonly|transient|volatile|abstract|suspend|async|mutating|inline|required|convenience|dynamic|optional|vararg|crossinline|noinline|export|declare|default|synchronized|native|strictfp|sealed|data|private\(set\)|public\(set\)|internal\(set\))\s+)*))";

std::string strip_modifiers(std::string_view s, bool* is_private = nullptr, bool* is_static = nullptr) {
  static const re2::RE2 mods(kModifiers);
  re2::StringPiece in(s.data(), s.size());
  re2::StringPiece all;
  if (re2::RE2::PartialMatch(in, mods, &all)) {
    std::string_view m(all.data(), all.size());
    if (is_private != nullptr) {
      *is_private = m.find("private ") != kNpos || m.find("fileprivate") != kNpos ||
                    m.find("protected ") != kNpos;
    }
    s.remove_prefix(all.size());
  }
  if (is_static != nullptr) *is_static = s.starts_with("static ") || s.starts_with("class var ") ||
                                         s.starts_with("class let ") || s.starts_with("companion ");
  return std::string(trim(s));
}

// One parameter or field declaration -> {name, type}; empty name when it is not one.
std::pair<std::string, std::string> parse_declaration(std::string_view decl) {
  static const re2::RE2 kotlin_swift(R"(^(?:(?:val|var|let)\s+)?`?([A-Za-z_]\w*)`?\??\s*:\s*(.+?)\s*(?:=.*)?$)");
  static const re2::RE2 java(R"(^((?:final\s+)?[A-Za-z_][\w.]*(?:\s*<.*>)?(?:\s*\[\s*\])*(?:\.\.\.)?)\s+([A-Za-z_]\w*)\s*(?:=.*)?$)");
  std::string s = strip_modifiers(decl);
  if (s.empty()) return {};
  std::string name, type;
  re2::StringPiece in(s);
  if (re2::RE2::FullMatch(in, kotlin_swift, &name, &type)) return {name, core::collapse_whitespace(type)};
  if (re2::RE2::FullMatch(in, java, &type, &name)) return {name, core::collapse_whitespace(type)};
  return {};
}

std::vector<std::pair<std::string, std::string>> extract_fields(std::string_view text, std::size_t open) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t close = match_close(text, open, 64 * 1024);
  if (close == kNpos) return fields;
  std::string_view inner = text.substr(open + 1, close - open - 1);
  if (text[open] == '(') {
    for (auto part : split_top(inner, ',')) {
      auto f = parse_declaration(trim(part));
      if (!f.first.empty()) fields.push_back(std::move(f));
    }
    return fields;
  }
  static const re2::RE2 skip(R"(^(?:fun|func|init|deinit|case|class|struct|enum|interface|object|companion|return|if|for|while|switch|get|set|subscript|typealias|import|package|constructor|static|@)\b)");
  for (const auto& st : body_statements(inner)) {
    if (st.has_body) continue;  // computed properties, methods, nested types
    bool is_static = false;
    std::string s = strip_modifiers(st.text, nullptr, &is_static);
    if (is_static || s.empty() || re2::RE2::PartialMatch(s, skip)) continue;
    if (s.find('(') != kNpos && s.find('(') < s.find_first_of(":=")) continue;  // a call or method
    while (!s.empty() && (s.back() == ',' || s.back() == ';')) s.pop_back();
    auto f = parse_declaration(s);
    if (!f.first.empty()) fields.push_back(std::move(f));
  }
  return fields;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string leading_identifier(std::string_view s) {
  s = trim(s);
  while (s.starts_with("@")) {  // annotations on an enum constant
    std::size_t sp = s.find_first_of(" \t\n");
    if (sp == kNpos) return {};
    s = trim(s.substr(sp));
  }
  std::size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_')) ++n;
  std::string_view id = s.substr(0, n);
  return is_identifier(id) ? std::string(id) : std::string();
}

std::vector<std::string> extract_states(std::string_view text, std::size_t open) {
  std::vector<std::string> states;
  std::size_t close = match_close(text, open, 256 * 1024);
  if (close == kNpos) return states;
  std::string_view inner = text.substr(open + 1, close - open - 1);
  auto statements = body_statements(inner);
  bool swift = std::any_of(statements.begin(), statements.end(), [](const Statement& s) {
    return s.text.starts_with("case ") || s.text.starts_with("indirect case ");
  });
  if (swift) {
    for (const auto& st : statements) {
      std::string_view t = st.text;
      if (t.starts_with("indirect ")) t.remove_prefix(9);
      if (!t.starts_with("case ")) continue;
      for (auto part : split_top(t.substr(5), ',')) {
        std::string id = leading_identifier(part);
        if (!id.empty()) states.push_back(std::move(id));
      }
    }
    return states;
  }
  // Kotlin / Java / TypeScript enums: the constants before the first top-level ';'.
  std::string_view constants = inner;
  auto semis = split_top(inner, ';');
  if (!semis.empty()) constants = semis.front();
  static const re2::RE2 keyword(R"(^(?:fun|val|var|private|public|protected|internal|override|companion|abstract|static|final|init|constructor)\b)");
  for (auto part : split_top(constants, ',')) {
    std::string_view p = trim(part);
    // drop leading comments
    while (p.starts_with("//") || p.starts_with("/*")) {
      std::size_t j = skip_comment(p, 0);
      p = trim(p.substr(j));
    }
    if (p.empty() || re2::RE2::PartialMatch(re2::StringPiece(p.data(), p.size()), keyword)) continue;
    std::string id = leading_identifier(p);
    if (!id.empty()) states.push_back(std::move(id));
  }
  return states;
}

std::vector<std::string> extract_methods(std::string_view text, std::size_t open) {
  std::vector<std::string> methods;
  std::size_t close = match_close(text, open, 512 * 1024);
  if (close == kNpos) return methods;
  static const re2::RE2 fun(R"(^(?:fun|func)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?`?([A-Za-z_]\w*)`?\s*[(<])");
  static const re2::RE2 java(R"(^(?:<[^>]*>\s*)?[\w.<>\[\], ?]+\s+([A-Za-z_]\w*)\s*\()");
  static const re2::RE2 ts(R"(^(?:async\s+)?([A-Za-z_]\w*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{=]*)?$)");
  static const re2::RE2 not_method(R"(^(?:return|new|if|else|for|while|switch|catch|throw|do|try|super|this)\b)");
  for (const auto& st : body_statements(text.substr(open + 1, close - open - 1))) {
    if (!st.has_body) continue;
    bool is_private = false;
    std::string s = strip_modifiers(st.text, &is_private);
    if (is_private || s.empty() || re2::RE2::PartialMatch(s, not_method)) continue;
    std::string name;
    if (re2::RE2::PartialMatch(s, fun, &name) || re2::RE2::PartialMatch(s, ts, &name) ||
        (s.find('=') == kNpos && re2::RE2::PartialMatch(s, java, &name))) {
      if (name != "init" && name != "constructor") methods.push_back(std::move(name));
    }
  }
  return methods;
}

// The language group of a path: its lower-case extension ("" when none).
std::string extension_of(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  std::string_view name = slash == kNpos ? path : path.substr(slash + 1);
  std::size_t dot = name.find_last_of('.');
  if (dot == kNpos || dot == 0) return {};
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::string clip(std::string_view s, std::size_t max) {
  s = trim(s);
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return std::string(s.substr(0, cut)) + "…";
}

}  // namespace

struct RuleSet::Impl {
  struct Group {
    std::vector<std::size_t> rules;  // indices into rules_
    std::unique_ptr<core::RegexSet> set;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> by_extension;
  std::size_t generic = kNpos;  // group for other extensions (rules without languages)
  std::vector<std::unique_ptr<re2::RE2>> singles;
  std::vector<std::vector<std::pair<int, std::string>>> named;  // per rule: (group index, name)
  std::vector<int> submatches;                                  // per rule: groups to request
};

RuleSet::RuleSet(std::vector<Rule> rules) : rules_(std::move(rules)), impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    re2::RE2::Options opt;
    opt.set_log_errors(false);
    auto r = std::make_unique<re2::RE2>("(?m)" + rules_[i].pattern, opt);
    if (!r->ok()) {
      throw RuleError("", "rule '" + rules_[i].id + "': invalid regular expression: " + r->error());
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
      std::vector<std::string> regexes;
      regexes.reserve(list.size());
      for (std::size_t i : list) regexes.push_back("(?m)" + rules_[i].pattern);
      std::vector<core::RegexSet::Entry> entries;
      for (std::size_t k = 0; k < list.size(); ++k) entries.push_back({rules_[list[k]].id, regexes[k]});
      impl.groups.push_back({list, std::make_unique<core::RegexSet>(entries)});
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
                                 std::size_t max_matches_per_rule) const {
  std::vector<Match> out;
  if (truncated != nullptr) *truncated = false;
  auto it = impl_->by_extension.find(extension_of(path));
  std::size_t gi = it != impl_->by_extension.end() ? it->second : impl_->generic;
  if (gi == kNpos) return out;
  const Impl::Group& group = impl_->groups[gi];
  std::vector<int> hit;
  group.set->match_line(text, hit);
  if (hit.empty()) return out;
  std::sort(hit.begin(), hit.end());

  // Line starts, built only for files that matched.
  std::vector<std::size_t> line_starts{0};
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(text.data() + text.size() - p)))) != nullptr; ++p) {
    line_starts.push_back(static_cast<std::size_t>(p - text.data()) + 1);
  }
  auto line_of = [&](std::size_t offset) {
    return static_cast<std::size_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
  };

  re2::StringPiece whole(text.data(), text.size());
  std::vector<re2::StringPiece> groups;
  for (int local : hit) {
    std::size_t ri = group.rules[static_cast<std::size_t>(local)];
    const re2::RE2& regex = *impl_->singles[ri];
    const Rule& rule = rules_[ri];
    int n = impl_->submatches[ri];
    groups.assign(static_cast<std::size_t>(n), re2::StringPiece());
    std::size_t pos = 0, count = 0;
    std::size_t col_line = 0, col_offset = 0;
    int col_value = 1;
    while (pos <= text.size() &&
           regex.Match(whole, pos, text.size(), re2::RE2::UNANCHORED, groups.data(), n)) {
      std::size_t begin = static_cast<std::size_t>(groups[0].data() - text.data());
      std::size_t end = begin + groups[0].size();
      if (end == begin) {  // a zero-width match is not a finding
        pos = end + 1;
        continue;
      }
      if (++count > max_matches_per_rule) {
        if (truncated != nullptr) *truncated = true;
        break;
      }
      // Report from the first non-blank byte of the match.
      std::size_t first = begin;
      while (first < end && (text[first] == ' ' || text[first] == '\t' || text[first] == '\n' || text[first] == '\r')) ++first;
      std::size_t last = end;
      while (last > first && (text[last - 1] == '\n' || text[last - 1] == '\r' || text[last - 1] == ' ')) --last;
      Match m;
      m.rule = ri;
      std::size_t line = line_of(first);
      m.line = static_cast<int>(line);
      // Columns count code points from the line start; matches of one rule come in order, so
      // continue from the previous match on the same line (one pass over a long line, not one
      // per match).
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
      for (const auto& [index, name] : impl_->named[ri]) {
        const re2::StringPiece& g = groups[static_cast<std::size_t>(index)];
        if (g.data() == nullptr) {
          m.captures.emplace_back(name, std::nullopt);
        } else {
          m.captures.emplace_back(name, clip(std::string_view(g.data(), g.size()), 400));
        }
      }
      if (rule.extract == Extract::kFields) {
        std::size_t open = find_opening(text, begin, end);
        if (open != kNpos) m.fields = extract_fields(text, open);
      } else if (rule.extract != Extract::kNone) {
        std::size_t open = find_body(text, begin, end);
        if (open != kNpos) {
          m.names = rule.extract == Extract::kMethods ? extract_methods(text, open) : extract_states(text, open);
        }
      }
      out.push_back(std::move(m));
      pos = end;
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
