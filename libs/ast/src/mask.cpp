// Same-length masks before the parse (see mask.hpp). Each rule names the construct it hides;
// tests/ast/realworld_test.cpp has a snippet per rule that fails to parse without it.
#include "mask.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <array>
#include <cstring>
#include <map>

#include <fmt/format.h>

namespace obscore::ast {

namespace {

inline bool ident_start(char c) {
  return static_cast<unsigned char>((c | 0x20) - 'a') < 26 || c == '_';
}
inline bool ident_char(char c) { return ident_start(c) || static_cast<unsigned char>(c - '0') < 10; }
bool upper_ident(std::string_view w) {
  if (w.empty() || !(w[0] == '_' || (w[0] >= 'A' && w[0] <= 'Z'))) return false;
  bool letter = false;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    if (!ident_char(c)) return false;
    letter = letter || (c >= 'A' && c <= 'Z');
  }
  return letter;
}

class Masker {
 public:
  Masker(std::string_view src, std::string& storage) : src_(src), storage_(storage) {}

  char at(std::size_t i) const { return i < src_.size() ? text()[i] : '\0'; }
  std::string_view text() const { return copied_ ? std::string_view(storage_) : src_; }
  std::size_t size() const { return src_.size(); }

  // Blanks [b, e) (newlines kept) as `rule`.
  // `counted` false: another edit of a place already counted (the closing part of a wrapper,
  // the rest of a replaced word).
  void blank(std::size_t b, std::size_t e, const char* rule, bool counted = true) {
    copy();
    for (std::size_t i = b; i < e && i < storage_.size(); ++i) {
      if (storage_[i] != '\n' && storage_[i] != '\r') storage_[i] = ' ';
    }
    note(b, rule, counted);
  }
  void put(std::size_t pos, std::string_view with, const char* rule, bool counted = true) {
    copy();
    for (std::size_t i = 0; i < with.size() && pos + i < storage_.size(); ++i) storage_[pos + i] = with[i];
    note(pos, rule, counted);
  }

  int line_at(std::size_t pos) {
    // Rules fire in any order across passes: the newline offsets are indexed once (only for a
    // file where a rule fired) and searched.
    if (!indexed_) {
      for (std::size_t k = src_.find('\n'); k != std::string_view::npos; k = src_.find('\n', k + 1)) newlines_.push_back(k);
      indexed_ = true;
    }
    return static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) - newlines_.begin()) + 1;
  }

  void report(std::vector<FileMetrics::Assumption>& out) {
    std::sort(tallies_.begin(), tallies_.end(), [](const auto& a, const auto& b) { return std::strcmp(a.first, b.first) < 0; });
    for (const auto& [rule, t] : tallies_) {
      out.push_back({t.first, t.last, "mask",
                     fmt::format("{} ({} place{})", rule, t.count, t.count == 1 ? "" : "s")});
    }
  }

  bool changed() const { return copied_; }

 private:
  void copy() {
    if (!copied_) {
      storage_.assign(src_);
      copied_ = true;
    }
  }
  void note(std::size_t pos, const char* rule, bool counted) {
    int line = line_at(pos);
    Tally* found = nullptr;
    for (auto& [r, t] : tallies_) {
      if (r == rule || std::strcmp(r, rule) == 0) found = &t;
    }
    if (found == nullptr) found = &tallies_.emplace_back(rule, Tally{}).second;
    auto& t = *found;
    if (!counted && t.count > 0) {
      t.last = std::max(t.last, line);
      return;
    }
    if (t.count++ == 0) t.first = line;
    t.last = std::max(t.last, line);
  }

  struct Tally {
    int first = 0, last = 0, count = 0;
  };
  std::string_view src_;
  std::string& storage_;
  bool copied_ = false;
  std::vector<std::pair<const char*, Tally>> tallies_;  // few kinds per file: a linear scan
  std::vector<std::size_t> newlines_;
  bool indexed_ = false;
};

// Skips spaces, tabs and line breaks.
std::size_t skip_ws(std::string_view s, std::size_t p) {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')) ++p;
  return p;
}

bool is_word_at(std::string_view s, std::size_t p, std::string_view w) {
  return s.compare(p, w.size(), w) == 0 && (p == 0 || !ident_char(s[p - 1])) &&
         (p + w.size() >= s.size() || !ident_char(s[p + w.size()]));
}

std::size_t word_end(std::string_view s, std::size_t p) {
  while (p < s.size() && ident_char(s[p])) ++p;
  return p;
}

// The next position a character scan looks at: past a whole identifier at once (the scans'
// word rules match only where a word starts, via is_word_at or a preceding-character check),
// and past the blanks after it (no rule starts on a space or a tab).
inline std::size_t next_pos(std::string_view s, std::size_t p) {
  p = p < s.size() && ident_char(s[p]) ? word_end(s, p) : p + 1;
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  return p;
}

// Calls fn(begin, end) for every line (end excludes the newline).
template <typename Fn>
void for_each_line(std::string_view s, Fn fn) {
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t nl = s.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? s.size() : nl;
    fn(pos, end);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

std::size_t skip_spaces(std::string_view s, std::size_t i, std::size_t end) {
  while (i < end && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

// Backwards from `p` (not below `floor`) past spaces and tabs: the position after the last other
// character.
std::size_t skip_spaces_back(std::string_view s, std::size_t p, std::size_t floor) {
  while (p > floor && (s[p - 1] == ' ' || s[p - 1] == '\t')) --p;
  return p;
}

// Backwards from `p` (not below `floor`) past spaces, tabs and line breaks.
std::size_t skip_ws_back(std::string_view s, std::size_t p, std::size_t floor) {
  while (p > floor && (s[p - 1] == ' ' || s[p - 1] == '\t' || s[p - 1] == '\n' || s[p - 1] == '\r')) --p;
  return p;
}

// What a line scan finds at s[p]: code, a character or string literal (p is moved to its closing
// quote, so the scan's ++p goes past it), or the start of a comment (the rest of the line).
enum class CodeAt { kCode, kLiteral, kComment };
CodeAt code_at(std::string_view s, std::size_t& p, std::size_t end) {
  char c = s[p];
  if (c == '"' || c == '\'') {
    for (++p; p < end && s[p] != c; ++p) {
      if (s[p] == '\\') ++p;
    }
    return CodeAt::kLiteral;
  }
  if (c == '/' && p + 1 < end && (s[p + 1] == '/' || s[p + 1] == '*')) return CodeAt::kComment;
  return CodeAt::kCode;
}

// The end of a balanced (...) group starting at s[i] == '(' (within `limit`), or npos.
std::size_t paren_end(std::string_view s, std::size_t i, std::size_t limit) {
  int depth = 0;
  for (; i < limit; ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {  // skip a literal
      char q = c;
      for (++i; i < limit && s[i] != q; ++i) {
        if (s[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

// The end of a balanced {...} block starting at s[i] == '{' (within `limit`), or npos.
// Literals and comments are skipped.
std::size_t brace_end(std::string_view s, std::size_t i, std::size_t limit) {
  int depth = 0;
  for (; i < limit; ++i) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      for (++i; i < limit && s[i] != c && s[i] != '\n'; ++i) {
        if (s[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '/' && i + 1 < limit && s[i + 1] == '/') {
      i = s.find('\n', i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '/' && i + 1 < limit && s[i + 1] == '*') {
      i = s.find("*/", i + 2);
      if (i == std::string_view::npos) return i;
      ++i;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

std::string_view trim_view(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\n' || t.front() == '\r')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
  return t;
}

// The start of the line holding s[i].
std::size_t line_begin(std::string_view s, std::size_t i) {
  std::size_t nl = i == 0 ? std::string_view::npos : s.rfind('\n', i - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// ---- Swift ----------------------------------------------------------------------------------

// True when the line holding s[p] is an `if` / `while` condition (`if`, `} else if`, `while`
// first), or continues a condition list (the line before ends with `,`).
bool swift_condition_line(std::string_view s, std::size_t p) {
  std::size_t b = line_begin(s, p);
  std::size_t k = skip_spaces(s, b, p);
  if (k < p && s[k] == '}') k = skip_spaces(s, k + 1, p);
  if (is_word_at(s, k, "else")) k = skip_spaces(s, k + 4, p);
  if (is_word_at(s, k, "if") || is_word_at(s, k, "while")) return true;
  std::size_t prev = skip_ws_back(s, b, 0);
  return prev > 0 && s[prev - 1] == ',';
}

// A closure's head: an empty capture list `{ [] in` is blanked; implicitly unwrapped parameter
// types `{ (alert: UIAlertAction!) in` become optionals (`UIAlertAction?`).
void mask_swift_closure_head(Masker& m, std::string_view s, std::size_t open) {
  std::size_t k = skip_ws(s, open + 1);
  if (k + 1 < s.size() && s[k] == '[' && s[k + 1] == ']') {
    std::size_t in = skip_ws(s, k + 2);
    if (is_word_at(s, in, "in")) m.blank(k, k + 2, "Swift closure with an empty capture list `{ [] in`");
    return;
  }
  if (k >= s.size() || s[k] != '(') return;
  std::size_t close = paren_end(s, k, std::min(s.size(), k + 400));
  if (close == std::string_view::npos || !is_word_at(s, skip_ws(s, close), "in")) return;
  for (std::size_t q = k + 1; q + 1 < close; ++q) {
    if (s[q] == '!' && ident_char(s[q - 1]) && (s[q + 1] == ')' || s[q + 1] == ',' || s[q + 1] == ' ')) {
      m.put(q, "?", "Swift implicitly unwrapped parameter type in a closure head");
    }
  }
}

// A trailing closure's label on the line after the closing brace (`Button { ... }` / `label: {
// ... }`, SwiftUI's multiple trailing closures): the grammar ends the statement at the line
// break. The label's line is moved up behind the brace and its line left blank, so the file
// keeps its length and line count (what the label's line holds is reported one line up).
void mask_swift_trailing_labels(Masker& m) {
  std::string_view s = m.text();
  std::size_t prev_end = std::string_view::npos;  // end of the previous line (its '\n')
  char prev_last = '\0';
  for_each_line(s, [&](std::size_t b, std::size_t e) {
    std::size_t i = skip_spaces(s, b, e);
    std::size_t w = i;
    while (w < e && ident_char(s[w])) ++w;
    const std::size_t brace = w + 2 < e ? skip_spaces(s, w + 1, e) : e;
    if (prev_last == '}' && prev_end + 1 == b && w > i && ident_start(s[i]) && brace < e && s[w] == ':' &&
        s[w + 1] == ' ' && s[brace] == '{' && i > b && !is_word_at(s, i, "case") && !is_word_at(s, i, "default")) {
      std::size_t end = e;
      if (end > b && s[end - 1] == '\r') --end;
      std::string moved;
      moved += ' ';
      moved.append(s.substr(i, end - i));
      moved += '\n';
      moved.append(i - b - 1, ' ');
      // the region from the previous line's break to the end of this line's text
      m.put(prev_end, moved, "Swift trailing-closure label on the line after the brace");
      s = m.text();
    }
    std::size_t last = e;
    while (last > b && (s[last - 1] == ' ' || s[last - 1] == '\t' || s[last - 1] == '\r')) --last;
    prev_last = last > b ? s[last - 1] : '\0';
    prev_end = e;
  });
}

void mask_swift(Masker& m) {
  std::string_view s = m.text();
  bool in_multiline_string = false;
  for_each_line(s, [&](std::size_t b, std::size_t e) {
    std::string_view line = s.substr(b, e - b);
    std::size_t quotes = 0;
    for (std::size_t p = line.find(R"(""")"); p != std::string_view::npos; p = line.find(R"(""")", p + 3)) ++quotes;
    bool was_in = in_multiline_string;
    if (quotes % 2 == 1) in_multiline_string = !in_multiline_string;
    if (was_in) return;
    std::size_t i = skip_spaces(s, b, e);
    // Compilation directives between members or statements: the branches then read as
    // consecutive members (both are measured).
    if (i < e && s[i] == '#') {
      std::size_t w = i + 1;
      while (w < e && ident_char(s[w])) ++w;
      std::string_view word = s.substr(i + 1, w - i - 1);
      if ((word == "if" || word == "elseif" || word == "else" || word == "endif" ||
           word == "error" || word == "warning") &&
          (w == e || !ident_char(s[w]))) {
        m.blank(i, e, "Swift compilation directive line (#if/#elseif/#else/#endif/#error/#warning)");
        return;
      }
    }
  });
  mask_swift_trailing_labels(m);
  s = m.text();
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '@' && ident_start(s[i + 1])) {
      // @Name() with empty arguments (property wrappers: `@Option() var x`).
      std::size_t w = i + 1;
      while (w < s.size() && (ident_char(s[w]) || s[w] == '.')) ++w;
      if (w + 1 < s.size() && s[w] == '(' && s[w + 1] == ')') {
        m.blank(w, w + 2, "Swift attribute with empty arguments @Name()");
      }
      i = w - 1;
      continue;
    }
    if (c == '(' && s.compare(i, 4, "(())") == 0) {
      m.put(i + 1, "0 ", "Swift void value () as the only argument");
      i += 3;
      continue;
    }
    if (c == ':' && s.compare(i, 4, ": ()") == 0 && i + 4 < s.size() && (s[i + 4] == ',' || s[i + 4] == ')') &&
        i > 0 && ident_char(s[i - 1])) {
      m.put(i + 2, "0 ", "Swift void value () as a labelled argument");
      i += 3;
      continue;
    }
    if (c == '{') {
      mask_swift_closure_head(m, s, i);
      s = m.text();
      continue;
    }
    if (c == ';' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) {
      // `self.alpha = 0 ;`, `return ;`: a blank before a statement's semicolon breaks the
      // grammar's scanner; the semicolon moves before the blanks (`0; `).
      std::size_t k = skip_spaces_back(s, i, 0);
      if (k > 0 && s[k - 1] != '\n' && s[k - 1] != '\r') {
        std::string moved(i + 1 - k, ' ');
        moved[0] = ';';
        m.put(k, moved, "Swift blank before a semicolon");
        s = m.text();
      }
      continue;
    }
    if (c == '#' && s[i + 1] == '_' && (i == 0 || !ident_char(s[i - 1]))) {
      m.blank(i, i + 1, "Swift underscored macro expression #_name");
      continue;
    }
    if (!ident_start(c) || (i > 0 && (ident_char(s[i - 1]) || s[i - 1] == '.'))) continue;
    std::size_t w = i;
    while (w < s.size() && ident_char(s[w])) ++w;
    std::string_view word = s.substr(i, w - i);
    if (word == "await" && swift_condition_line(s, i)) {
      // `if let v = try? await load() {`, `if await model.ready {`: an awaited expression in an
      // `if`/`while` condition reads as a call with a trailing closure; `await` adds no metric
      // and is blanked there.
      m.blank(i, w, "Swift await in an if/while condition");
    } else if (word == "associatedtype") {
      // `associatedtype T: A, B`: the conformances become a composition `A& B`.
      std::size_t eol = s.find('\n', w);
      if (eol == std::string_view::npos) eol = s.size();
      std::size_t colon = s.find(':', w);
      if (colon != std::string_view::npos && colon < eol) {
        std::size_t stop = s.find(" where ", colon);
        if (stop == std::string_view::npos || stop > eol) stop = eol;
        std::size_t eq = s.find('=', colon);
        if (eq != std::string_view::npos && eq < stop) stop = eq;
        std::size_t slash = s.find("//", colon);
        if (slash != std::string_view::npos && slash < stop) stop = slash;
        int depth = 0;
        for (std::size_t k = colon; k < stop; ++k) {
          if (s[k] == '<') ++depth;
          if (s[k] == '>') --depth;
          if (s[k] == ',' && depth == 0) m.put(k, "&", "Swift associatedtype with several conformances");
        }
        s = m.text();
      }
    } else if (word == "nonisolated" && s.compare(w, 8, "(unsafe)") == 0) {
      m.blank(w, w + 8, "Swift nonisolated(unsafe)");
    } else if (word == "in" && s.compare(w, 5, " try ") == 0) {
      m.blank(w + 1, w + 4, "Swift try after for-in");
    } else if (word == "throws" && w < s.size() && s[w] == '(') {
      std::size_t close = paren_end(s, w, std::min(s.size(), w + 200));
      if (close != std::string_view::npos) m.blank(w, close, "Swift typed throws throws(E)");
    } else if ((word == "sending" || word == "consume" || word == "borrowing" || word == "consuming") &&
               w < s.size() && s[w] == ' ') {
      // Ownership modifiers and operators newer than the grammar: `x: sending T`, `_ = consume x`.
      std::size_t before = i;
      before = skip_spaces_back(s, before, 0);
      char prev = before > 0 ? s[before - 1] : '\0';
      std::size_t after = skip_spaces(s, w, s.size());
      bool next_ok = after < s.size() && (ident_start(s[after]) || s[after] == '@' || s[after] == '(');
      if (next_ok && (prev == ':' || prev == '=' || prev == '(' || prev == ',' ||
                      (prev == '>' && before >= 2 && s[before - 2] == '-'))) {
        m.blank(i, w, "Swift ownership keyword (sending/consume/borrowing/consuming)");
      }
    }
    i = w - 1;
  }
}

// ---- C and C++ ------------------------------------------------------------------------------

constexpr std::array<std::string_view, 38> kCKeywords = {
    "if", "for", "while", "switch", "return", "sizeof", "do", "else", "case", "default", "goto",
    "catch", "try", "throw", "new", "delete", "static_assert", "alignof", "decltype", "typeof",
    "defined", "static", "extern", "inline", "const", "volatile", "struct", "union", "enum",
    "class", "typedef", "template", "namespace", "using", "operator", "public", "private",
    "protected"};
constexpr std::array<std::string_view, 16> kCTypeKeywords = {
    "void", "int", "char", "short", "long", "unsigned", "signed", "float", "double", "bool",
    "auto", "_Bool", "size_t", "register", "virtual", "constexpr"};

// Both keyword lists, sorted once, searched by bisection (asked for nearly every word of a file).
const std::vector<std::string_view>& sorted_keywords() {
  static const std::vector<std::string_view> kAll = [] {
    std::vector<std::string_view> v(kCKeywords.begin(), kCKeywords.end());
    v.insert(v.end(), kCTypeKeywords.begin(), kCTypeKeywords.end());
    std::sort(v.begin(), v.end());
    return v;
  }();
  return kAll;
}

bool is_keyword(std::string_view w) {
  if (w.size() < 2 || w.size() > 13 || (!(w[0] >= 'a' && w[0] <= 'w') && w[0] != '_')) return false;
  const auto& all = sorted_keywords();
  return std::binary_search(all.begin(), all.end(), w);
}

// Per line: is its start inside a function body or a block (statement position), and is the
// line code (not a comment continuation, a preprocessor line or inside a literal)?
struct CLine {
  std::size_t begin = 0, end = 0;
  bool in_block = false;
  bool code = true;
  bool drop = false;  // a directive of a conditional group that splits a statement or declaration, or a later branch of it
  bool directive = false;  // a preprocessor directive line (or a continuation of one)
  bool in_enum = false;    // its start is inside an enum body
  bool in_init = false;    // its start is inside a file-level initialiser (`= {`)
};

// The code of a declaration head: comments, literals and `template <...>` parameter lists left
// out (their words and parentheses are not the head's: `template <class T> void f(T) {` is a
// function, a `(` in a doc comment does not end the head).
std::string head_code(std::string_view h) {
  std::string out;
  out.reserve(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    if (c == '/' && i + 1 < h.size() && h[i + 1] == '*') {
      std::size_t close = h.find("*/", i + 2);
      if (close == std::string_view::npos) break;
      i = close + 1;
      out += ' ';
      continue;
    }
    if (c == '/' && i + 1 < h.size() && h[i + 1] == '/') {
      std::size_t nl = h.find('\n', i);
      if (nl == std::string_view::npos) break;
      i = nl;
      out += ' ';
      continue;
    }
    if (c == '"' && (h.compare(i, 3, "\"C\"") == 0 || h.compare(i, 5, "\"C++\"") == 0)) {
      // the linkage of `extern "C"` is kept
      std::size_t n = h[i + 2] == '"' ? 3 : 5;
      out += h.substr(i, n);
      i += n - 1;
      continue;
    }
    if (c == '"') {
      for (++i; i < h.size() && h[i] != '"'; ++i) {
        if (h[i] == '\\') ++i;
      }
      out += "\"\"";
      continue;
    }
    if (c == 't' && (i == 0 || !ident_char(h[i - 1])) && h.compare(i, 8, "template") == 0) {
      std::size_t lt = skip_ws(h, i + 8);
      if (lt < h.size() && h[lt] == '<') {
        int depth = 0;
        std::size_t k = lt;
        for (; k < h.size(); ++k) {
          if (h[k] == '<') ++depth;
          if (h[k] == '>' && --depth == 0) break;
        }
        out += "template ";
        i = k;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// Whether the conditional group whose `#if` line ends at `from` has branches made of whole
// statements: in each, braces and parentheses balance (never closing what the branch did not
// open), the branch does not begin with `else` and ends a statement (`;` or `}`) or is empty.
bool group_self_contained(std::string_view s, std::size_t from) {
  // `from` ends the directive's first line: skip its continuation lines.
  while (from < s.size()) {
    std::size_t z = from;
    if (z > 0 && s[z - 1] == '\r') --z;
    if (z == 0 || s[z - 1] != '\\') break;
    std::size_t nl = s.find('\n', from + 1);
    from = nl == std::string_view::npos ? s.size() : nl;
  }
  int depth = 0;  // nested #if groups
  int braces = 0, parens = 0;
  bool first_token = true, ok = true;
  char last = 0;
  auto end_branch = [&] {
    if (braces != 0 || parens != 0 || (last != 0 && last != ';' && last != '}')) ok = false;
    braces = parens = 0;
    first_token = true;
    last = 0;
  };
  std::size_t pos = from;
  bool line_start = true;
  std::size_t limit = std::min(s.size(), from + 200000);
  while (pos < limit && ok) {
    char c = s[pos];
    if (line_start) {
      std::size_t i = skip_spaces(s, pos, limit);
      if (i < limit && s[i] == '#') {
        std::size_t d = skip_spaces(s, i + 1, limit);
        std::size_t de = word_end(s, d);
        std::string_view dir = s.substr(d, de - d);
        if (dir == "if" || dir == "ifdef" || dir == "ifndef") {
          ++depth;
        } else if (dir == "endif") {
          if (depth == 0) {
            end_branch();
            return ok;
          }
          --depth;
        } else if (depth == 0 && (dir == "else" || dir == "elif" || dir == "elifdef" || dir == "elifndef")) {
          end_branch();
        }
        // Skip the directive with its continuations (and a comment it leaves open).
        while (pos < limit) {
          std::size_t nl = s.find('\n', pos);
          if (nl == std::string_view::npos) return false;
          std::size_t open = s.substr(pos, nl - pos).rfind("/*");
          if (open != std::string_view::npos && s.substr(pos + open, nl - pos - open).find("*/") == std::string_view::npos) {
            std::size_t close = s.find("*/", pos + open + 2);
            if (close == std::string_view::npos) return false;
            nl = s.find('\n', close);
            if (nl == std::string_view::npos) return false;
          }
          std::size_t z = nl;
          if (z > pos && s[z - 1] == '\r') --z;
          pos = nl + 1;
          if (z == 0 || s[z - 1] != '\\') break;
        }
        continue;
      }
      line_start = false;
    }
    if (c == '\n') {
      line_start = true;
      ++pos;
      continue;
    }
    if (c == '/' && pos + 1 < limit && s[pos + 1] == '/') {
      std::size_t nl = s.find('\n', pos);
      pos = nl == std::string_view::npos ? limit : nl;
      continue;
    }
    if (c == '/' && pos + 1 < limit && s[pos + 1] == '*') {
      std::size_t close = s.find("*/", pos + 2);
      if (close == std::string_view::npos) return false;
      // Newlines inside the comment do not start directive lines.
      pos = close + 2;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
      continue;
    }
    if (depth == 0) {
      // A branch starts a statement: not `else`, not an operator continuing an expression.
      if (first_token && (is_word_at(s, pos, "else") ||
                          !(ident_start(c) || c == '{' || c == '(' || c == '*' || c == ';' ||
                            s.compare(pos, 2, "++") == 0 || s.compare(pos, 2, "--") == 0))) {
        ok = false;
      }
      first_token = false;
      if (c == '{') ++braces;
      if (c == '}' && --braces < 0) ok = false;
      if (c == '(') ++parens;
      if (c == ')' && --parens < 0) ok = false;
      last = c;
    }
    if (c == '"' || c == '\'') {
      for (++pos; pos < limit && s[pos] != c && s[pos] != '\n'; ++pos) {
        if (s[pos] == '\\') ++pos;
      }
    }
    ++pos;
  }
  return false;
}

// The characters c_lines acts on (comments, literals, braces, statement ends); every other
// character only moves the last code character seen.
constexpr std::array<bool, 256> kLineEvent = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'/', '"', '\'', '{', '}', ';'}) t[c] = true;
  return t;
}();

std::vector<CLine> c_lines(std::string_view s) {
  std::vector<CLine> lines;
  std::vector<bool> stack;  // true: a block (function body, statement block); false: class/namespace/initialiser
  std::vector<bool> enums;  // per open brace: an enum body
  std::vector<bool> inits;  // per open brace: a file-level initialiser
  std::size_t head = 0;     // where the current statement head starts
  bool in_comment = false, preproc = false, preproc_drop = false, leading_comment = false;
  char last_sig = ';';  // the last code character before the current line (comments, directives left out)
  struct Cond {
    bool cut;  // later branches are left out
    bool later_branch = false;
  };
  std::vector<Cond> conds;
  auto dropping = [&] {
    return std::any_of(conds.begin(), conds.end(), [](const Cond& c) { return c.cut && c.later_branch; });
  };
  for_each_line(s, [&](std::size_t b, std::size_t e) {
    CLine l{b, e, !stack.empty() && stack.back(), !in_comment && !preproc};
    l.in_enum = !enums.empty() && enums.back();
    l.in_init = !inits.empty() && inits.back();
    std::size_t i = skip_spaces(s, b, e);
    if (!in_comment && !preproc && i < e && s[i] == '#') {
      preproc = true;
      l.code = false;
      std::size_t d = skip_spaces(s, i + 1, e);
      std::size_t de = d;
      while (de < e && ident_char(s[de])) ++de;
      std::string_view directive = s.substr(d, de - d);
      bool in_block = !stack.empty() && stack.back();
      preproc_drop = dropping();
      if (directive == "if" || directive == "ifdef" || directive == "ifndef") {
        // A group whose every branch is whole statements is left to the grammar (each branch
        // is read and measured, as lizard does); only a group that splits a statement is cut
        // to its first branch.
        // Outside blocks, a group that opens in the middle of a declaration is cut the same
        // way: after `=`, `(`, `,`, an operator or a template head (`using T =` then `#ifdef`
        // with one type per branch), after `namespace` (one name per branch), and after a `)`
        // when the branch continues a constructor's initialiser list (`, member(x)`). Elsewhere
        // the grammar reads the branches (the directive rules below handle the partial ones).
        bool splits = false;
        if (in_block) {
          splits = !(std::strchr(";{}", last_sig) != nullptr && group_self_contained(s, e));
        } else if (std::strchr("=(,<>|&+-*/?", last_sig) != nullptr) {
          splits = true;
        } else if (last_sig == ')') {
          splits = skip_ws(s, e) < s.size() && s[skip_ws(s, e)] == ',';
        } else if (last_sig == 'e') {
          std::size_t k = b;
          k = skip_ws_back(s, k, 0);
          splits = k >= 9 && is_word_at(s, k - 9, "namespace");
        }
        conds.push_back({!preproc_drop && splits});
        preproc_drop = preproc_drop || conds.back().cut;
      } else if (directive == "elif" || directive == "else" || directive == "elifdef" || directive == "elifndef") {
        if (!conds.empty() && conds.back().cut) {
          conds.back().later_branch = true;
          preproc_drop = true;
        }
      } else if (directive == "endif") {
        if (!conds.empty()) {
          preproc_drop = preproc_drop || conds.back().cut;
          conds.pop_back();
        }
      }
    }
    if (preproc) {
      preproc = e > b && (s[e - 1] == '\\' || (s[e - 1] == '\r' && e - 1 > b && s[e - 2] == '\\'));
      // A block comment opened on a directive line and left open (`#endif /* a ||` on one
      // line, `b */` on the next): the lines after it are comment, not code.
      for (std::size_t k = b; k + 1 < e; ++k) {
        if (s[k] == '"' || s[k] == '\'') {
          char q = s[k];
          for (++k; k < e && s[k] != q; ++k) {
            if (s[k] == '\\') ++k;
          }
          continue;
        }
        if (s[k] == '/' && s[k + 1] == '/') break;
        if (s[k] == '/' && s[k + 1] == '*') {
          std::size_t close = s.find("*/", k + 2);
          if (close == std::string_view::npos || close + 2 > e) {
            if (!preproc) {
              in_comment = true;
              leading_comment = true;
            }
            break;
          }
          k = close + 1;
        }
      }
      l.drop = preproc_drop;
      l.directive = true;
      lines.push_back(l);
      head = e;
      return;
    }
    if (!in_comment && dropping()) {
      // A later #elif/#else branch inside a block: only the first branch is read (as lizard
      // does), so an if/else chain split across branches stays one statement.
      l.drop = true;
      l.code = false;
      lines.push_back(l);
      return;
    }
    for (; i < e; ++i) {
      char c = s[i];
      if (in_comment) {
        if (c != '*') {  // straight to the next `*`
          const void* star = std::memchr(s.data() + i, '*', e - i);
          if (star == nullptr) {
            i = e - 1;
            continue;
          }
          i = static_cast<std::size_t>(static_cast<const char*>(star) - s.data());
          c = '*';
        }
        if (c == '*' && i + 1 < e && s[i + 1] == '/') {
          in_comment = false;
          ++i;
          // A comment before a declaration is not part of its head (its words and
          // parentheses would be read as the head's).
          if (leading_comment) head = i + 1;
        }
        continue;
      }
      auto head_blank = [&] {
        return s.substr(head, i - head).find_first_not_of(" \t\r\n") == std::string_view::npos;
      };
      if (c == '/' && i + 1 < e && s[i + 1] == '/') {
        if (head_blank()) head = e;
        break;
      }
      if (c == '/' && i + 1 < e && s[i + 1] == '*') {
        in_comment = true;
        leading_comment = head_blank();
        ++i;
        continue;
      }
      if (c == '"' || c == '\'') {
        char q = c;
        for (++i; i < e && s[i] != q; ++i) {
          if (s[i] == '\\') ++i;
        }
        last_sig = q;
        continue;
      }
      if (!kLineEvent[static_cast<unsigned char>(c)]) {
        // A run of characters no state follows: the last one not blank is the last code seen.
        std::size_t j = i + 1;
        while (j < e && !kLineEvent[static_cast<unsigned char>(s[j])]) ++j;
        std::size_t k = j;
        while (k > i && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r')) --k;
        if (k > i) last_sig = s[k - 1];
        i = j - 1;
        continue;
      }
      last_sig = c;
      if (c == '{') {
        bool in_block = !stack.empty() && stack.back();
        bool block = true;  // inside a block everything stays a block; else a function body...
        std::size_t hf = head;
        while (hf < i && (s[hf] == ' ' || s[hf] == '\t' || s[hf] == '\n' || s[hf] == '\r')) ++hf;
        if (in_block && hf < i && (s[hf] == 'c' || s[hf] == 's')) {
          // ...except a local class (`struct mock : base {` in a test body): its members are
          // declarations.
          std::string code = head_code(s.substr(head, i - head));
          std::size_t f = code.find_first_not_of(" \t\r\n");
          if (f != std::string::npos && (code.compare(f, 6, "class ") == 0 || code.compare(f, 7, "struct ") == 0) &&
              code.find('=') == std::string::npos && code.find('(') == std::string::npos) {
            block = false;
          }
        } else {
          std::string code = head_code(s.substr(head, i - head));
          std::string_view h = code;
          // `void f(struct q* h) {` is a function body: a keyword counts before the first `(`
          // or after the last `)` (`MACRO(x)` before `namespace a {`).
          std::size_t last_paren = h.rfind(')');
          std::string_view tail = last_paren == std::string_view::npos ? std::string_view() : h.substr(last_paren + 1);
          h = h.substr(0, h.find('('));
          for (std::string_view kw : {"class ", "struct ", "union ", "namespace ", "enum "}) {
            for (std::string_view part : {h, tail}) {
              std::size_t p = part.find(kw);
              if (p != std::string_view::npos && (p == 0 || !ident_char(part[p - 1]))) block = false;
            }
          }
          std::size_t last = h.find_last_not_of(" \t\r\n");
          // `extern "C" {` (not `extern "C" int f() {`).
          if (last != std::string_view::npos && h[last] == '"' &&
              (h.substr(0, last + 1).ends_with("extern \"C\"") || h.substr(0, last + 1).ends_with("extern \"C++\""))) {
            block = false;
          }
          // ...unless a type or namespace body, or an initialiser (`= {`, `({`, `[] = {`).
          if (last == std::string_view::npos || h[last] == '=' || h[last] == ',' || h[last] == '(' ||
              h[last] == '[') {
            block = false;
          }
        }
        bool is_enum = false;
        if (!in_block && !block) {
          std::string_view h = s.substr(head, i - head);
          std::size_t p = h.find("enum");
          is_enum = p != std::string_view::npos && (p == 0 || !ident_char(h[p - 1])) &&
                    (p + 4 >= h.size() || !ident_char(h[p + 4]));
        }
        bool is_init = false;
        if (!in_block && !block) {
          std::size_t k = i;
          k = skip_ws_back(s, k, 0);
          is_init = k > 0 && s[k - 1] == '=';
        }
        stack.push_back(block);
        enums.push_back(is_enum);
        inits.push_back(is_init);
        head = i + 1;
      } else if (c == '}') {
        if (!stack.empty()) stack.pop_back();
        if (!enums.empty()) enums.pop_back();
        if (!inits.empty()) inits.pop_back();
        head = i + 1;
      } else if (c == ';') {
        head = i + 1;
      }
    }
    lines.push_back(l);
  });
  return lines;
}

// Whether the code before line `li` ends a statement or declaration (so a macro invocation on
// line li stands alone): the previous non-blank line is a directive or comment, or ends with
// ; { } ) : or a comment.
bool after_statement_end(std::string_view s, const std::vector<CLine>& lines, std::size_t li) {
  while (li-- > 0) {
    const CLine& l = lines[li];
    std::string_view t = s.substr(l.begin, l.end - l.begin);
    std::size_t first = t.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (!l.code || l.drop) return true;
    if (t.compare(first, 2, "//") == 0 || t.compare(first, 2, "/*") == 0 || t[first] == '*') return true;
    std::size_t cut = t.find("//");
    if (cut != std::string_view::npos && t.find('"') == std::string_view::npos) t = t.substr(0, cut);
    std::size_t last = t.find_last_not_of(" \t\r");
    if (last == std::string_view::npos) return true;
    char c = t[last];
    if (upper_ident(t.substr(first, last + 1 - first))) return true;  // another lone macro name
    if (t.compare(first, 8, "template") == 0 && t[last] == '>') return true;  // `template <...>` head
    return c == ';' || c == '{' || c == '}' || c == ')' || c == ':' || (c == '/' && last > 0 && t[last - 1] == '*');
  }
  return true;
}




bool continued(std::string_view s, const CLine& l) {
  std::size_t e = l.end;
  if (e > l.begin && s[e - 1] == '\r') --e;
  return e > l.begin && s[e - 1] == '\\';
}

// Where the code before s[p] ends (past spaces and line breaks), or npos when a comment or a
// directive line comes between.
std::size_t code_end_before(std::string_view s, std::size_t p) {
  std::size_t b = p;
  bool crossed = false;
  while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r')) {
    crossed = crossed || s[b - 1] == '\n';
    --b;
  }
  if (b == 0) return std::string_view::npos;
  if (crossed) {
    std::size_t ls = s.rfind('\n', b - 1);
    ls = ls == std::string_view::npos ? 0 : ls + 1;
    std::string_view prev = s.substr(ls, b - ls);
    if (prev.find("//") != std::string_view::npos || prev.find("*/") != std::string_view::npos ||
        (skip_spaces(s, ls, b) < b && s[skip_spaces(s, ls, b)] == '#')) {
      return std::string_view::npos;
    }
  }
  return b;
}

// Preprocessor lines the grammar cannot read where they stand.
void mask_c_directives(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const CLine& l = lines[li];
    if (!l.directive || l.drop) continue;
    bool first = li == 0 || !lines[li - 1].directive || !continued(s, lines[li - 1]);
    // Block comments inside a directive continued with `\`: tree-sitter-c's directive body token
    // ends at `/*`, so a commented multi-line #define falls apart.
    if (continued(s, l) || !first) {
      for (std::size_t p = l.begin; p + 1 < l.end; ++p) {
        if (s[p] == '"' || s[p] == '\'') {
          char q = s[p];
          for (++p; p < l.end && s[p] != q; ++p) {
            if (s[p] == '\\') ++p;
          }
          continue;
        }
        if (s[p] == '/' && s[p + 1] == '*') {
          std::size_t close = s.find("*/", p + 2);
          if (close == std::string_view::npos) break;
          // Blanked line by line: the `\` that continues each line stays.
          for (std::size_t a = p; a < close + 2;) {
            std::size_t nl = std::min(s.find('\n', a), close + 2);
            std::size_t z = nl;
            if (nl < close + 2) {
              if (z > a && s[z - 1] == '\r') --z;
              if (z > a && s[z - 1] == '\\') --z;
            }
            if (z > a) m.blank(a, z, "C/C++ comment inside a multi-line directive", a == p);
            a = nl + 1;
          }
          p = close + 1;
          if (p >= l.end) break;
        }
      }
    }
    if (!first) continue;
    std::size_t d = skip_spaces(s, skip_spaces(s, l.begin, l.end) + 1, l.end);
    std::size_t de = word_end(s, d);
    std::string_view directive = s.substr(d, de - d);
    // #define/#undef between enumerators (X-macro tables): the enumerator list admits no
    // definition; the directive is left out (the invocation between enumerators stays masked
    // by the lone-macro rule).
    // `#include "list.h"` inside a file-level initialiser or an enum body (an X-macro table): the
    // grammar takes no directive there; the include goes (its entries are not this file's code).
    if ((l.in_enum || l.in_init) && directive == "include" && !continued(s, l)) {
      m.blank(l.begin, l.end, "C/C++ #include inside an initialiser or enum body");
      continue;
    }
    if (l.in_enum && (directive == "define" || directive == "undef")) {
      std::size_t k = li;
      while (true) {
        m.blank(lines[k].begin, lines[k].end, "C/C++ #define or #undef between enumerators", k == li);
        if (!continued(s, lines[k]) || k + 1 >= lines.size()) break;
        ++k;
      }
      continue;
    }
    // `__has_include(<x.h>)` / `__has_include("x.h")` in a condition: the grammar's directive
    // expressions have neither `<path>` nor strings; the path becomes a placeholder name `_`
    // (the condition is not evaluated).
    if (directive == "if" || directive == "elif") {
      for (std::size_t k = li; k < lines.size(); ++k) {
        for (std::size_t p = lines[k].begin; p + 1 < lines[k].end; ++p) {
          if (s[p] == ':' && s[p + 1] == ':' && p > lines[k].begin && ident_char(s[p - 1]) && p + 2 < lines[k].end &&
              ident_start(s[p + 2])) {
            // `__has_cpp_attribute(clang::lifetimebound)`: a scoped name in a condition.
            m.put(p, "__", "C/C++ scoped attribute name in a condition");
            ++p;
            continue;
          }
          if (s[p] == '"') {
            // `LIB_HAS_WARNING("-Wvariadic-macros", 4, 0, 0)`: a string literal in a condition
            // (the grammar's directive expressions have none) becomes a placeholder name `_`;
            // `("x.h")` is the __has_include form below.
            std::size_t q = p + 1;
            while (q < lines[k].end && s[q] != '"') q += s[q] == '\\' ? 2 : 1;
            if (q < lines[k].end && !(s[p - 1] == '(' && q + 1 < lines[k].end && s[q + 1] == ')')) {
              m.put(p, "_", "C/C++ string literal in a condition");
              m.blank(p + 1, q + 1, "C/C++ string literal in a condition", false);
              p = q;
            }
            continue;
          }
          if (s[p] != '(' || (s[p + 1] != '<' && s[p + 1] != '"')) continue;
          char close = s[p + 1] == '<' ? '>' : '"';
          std::size_t gt = p + 2;
          while (gt < lines[k].end && s[gt] != close && s[gt] != '(' && s[gt] != ')' && s[gt] != ' ') ++gt;
          if (gt + 1 < lines[k].end && s[gt] == close && s[gt + 1] == ')') {
            m.put(p + 1, "_", "C/C++ __has_include(<path>) in a condition");
            m.blank(p + 2, gt + 1, "C/C++ __has_include(<path>) in a condition", false);
          }
        }
        if (!continued(s, lines[k])) break;
      }
    }
    // `#ifdef __cplusplus` / `extern "C" {` / `#endif` ... `#ifdef __cplusplus` / `}` / `#endif`:
    // a linkage block opened and closed in two conditional groups; the grammar cannot close a
    // brace in another group, so both groups are left out (a linkage block changes no metric).
    if ((directive == "if" || directive == "ifdef" || directive == "ifndef") && !l.in_block && !continued(s, l) &&
        li + 2 < lines.size() && lines[li + 1].code && !lines[li + 1].directive && lines[li + 2].directive) {
      std::string_view body = s.substr(lines[li + 1].begin, lines[li + 1].end - lines[li + 1].begin);
      std::size_t cut = body.find("//");
      if (cut != std::string_view::npos) body = body.substr(0, cut);
      std::string compact;  // the line without spaces and comments (`} /* extern "C" */`)
      for (std::size_t q = 0; q < body.size(); ++q) {
        if (body.compare(q, 2, "/*") == 0) {
          std::size_t close = body.find("*/", q + 2);
          if (close == std::string_view::npos) break;
          q = close + 1;
          continue;
        }
        if (body[q] != ' ' && body[q] != '\t' && body[q] != '\r') compact += body[q];
      }
      std::size_t ei = skip_spaces(s, lines[li + 2].begin, lines[li + 2].end);
      std::size_t ed = skip_spaces(s, ei + 1, lines[li + 2].end);
      if ((compact == "extern\"C\"{" || compact == "extern\"C++\"{" || compact == "}") && is_word_at(s, ed, "endif")) {
        for (std::size_t k = li; k <= li + 2; ++k) {
          m.blank(lines[k].begin, lines[k].end, "C/C++ extern \"C\" block opened and closed in conditional groups", k != li);
        }
        continue;
      }
    }
    // `Limiter(int n) :` / `#if !defined(NDEBUG)` / `max_(n),` / `#endif` / `allowed_(n) {`: a
    // conditional group of member initialisers; the grammar admits no directive inside the
    // list. The directive lines go and the first branch is read (as inside function bodies).
    if ((directive == "if" || directive == "ifdef" || directive == "ifndef") && !l.in_block && !continued(s, l)) {
      std::size_t before = code_end_before(s, l.begin);
      bool list = before != std::string_view::npos && (s[before - 1] == ',' ||
                  (s[before - 1] == ':' && (before < 2 || s[before - 2] != ':')));
      std::size_t k = li + 1;
      int inits = 0;
      bool ok = list;
      for (; ok && k < lines.size() && k < li + 40; ++k) {
        const CLine& b = lines[k];
        std::size_t i = skip_spaces(s, b.begin, b.end);
        if (b.directive) {
          std::size_t dd = skip_spaces(s, i + 1, b.end);
          if (is_word_at(s, dd, "if") || is_word_at(s, dd, "ifdef") || is_word_at(s, dd, "ifndef")) {
            ok = false;  // nested groups: left to the parser
          } else if (is_word_at(s, dd, "endif")) {
            break;
          }
          continue;
        }
        if (i >= b.end || !b.code || s.compare(i, 2, "//") == 0) continue;
        // One initialiser a line: `[,] name(args)[,]` or `name{args}`.
        std::size_t q = i;
        if (s[q] == ',') q = skip_spaces(s, q + 1, b.end);
        std::size_t ne = word_end(s, q);
        std::size_t open = skip_spaces(s, ne, b.end);
        if (ne == q || open >= b.end || (s[open] != '(' && s[open] != '{')) {
          ok = false;
          break;
        }
        ++inits;
      }
      if (ok && inits > 0 && k < lines.size() && k < li + 40) {
        std::size_t after = k + 1 < lines.size() ? skip_ws(s, lines[k].end) : s.size();
        if (after < s.size() && (ident_start(s[after]) || s[after] == '{' || s[after] == ',')) {
          const char* rule = "C++ conditional member initialisers (#if branch kept, directive lines left out)";
          bool later = false;
          for (std::size_t j = li; j <= k; ++j) {
            const CLine& b = lines[j];
            std::size_t i = skip_spaces(s, b.begin, b.end);
            if (b.directive) {
              std::size_t dd = skip_spaces(s, i + 1, b.end);
              if (is_word_at(s, dd, "else") || is_word_at(s, dd, "elif")) later = true;
              m.blank(b.begin, b.end, rule, j == li);
            } else if (later) {
              m.blank(b.begin, b.end, rule, false);
            }
          }
          continue;
        }
      }
    }
    // `#ifdef X` / attribute lines / `#endif` before a declaration at file or class level: the
    // attribute belongs to the declaration that follows the group, so the two directive lines are
    // left out and the attribute is read with it.
    if ((directive == "if" || directive == "ifdef" || directive == "ifndef") && !l.in_block && !continued(s, l)) {
      std::size_t k = li + 1;
      bool attrs_only = true;
      int code_lines = 0;
      for (; k < lines.size() && k < li + 6; ++k) {
        const CLine& b = lines[k];
        std::size_t i = skip_spaces(s, b.begin, b.end);
        if (i >= b.end) continue;
        if (b.directive) break;
        if (!b.code || s.compare(i, 2, "//") == 0 ||
            (s.compare(i, 2, "/*") == 0 && s.substr(i, b.end - i).find("*/") != std::string_view::npos)) {
          continue;
        }
        ++code_lines;
        std::size_t w = word_end(s, i);
        std::string_view word = s.substr(i, w - i);
        std::string_view rest = s.substr(i, b.end - i);
        bool attr = word == "__attribute__" || word == "__declspec" || rest.substr(0, 2) == "[[" ||
                    (upper_ident(word) && word.size() >= 3) || word == "static" || word == "inline" ||
                    word == "constexpr" || word == "extern" || word == "__inline" || word == "__forceinline";
        if (!attr || rest.find(';') != std::string_view::npos || rest.find('{') != std::string_view::npos) {
          attrs_only = false;
        }
      }
      if (!attrs_only || code_lines == 0 || k >= lines.size() || k == li + 6) continue;
      const CLine& end = lines[k];
      std::size_t ei = skip_spaces(s, end.begin, end.end);
      std::size_t ed = skip_spaces(s, ei + 1, end.end);
      if (!is_word_at(s, ed, "endif") || k + 1 >= lines.size()) continue;
      const CLine& next = lines[k + 1];
      std::size_t ni = skip_spaces(s, next.begin, next.end);
      if (next.directive || !next.code || ni >= next.end) continue;
      if (ident_start(s[ni])) {
        m.blank(l.begin, l.end, "C/C++ conditional attribute before a declaration (#if and #endif lines left out)");
        m.blank(end.begin, end.end, "C/C++ conditional attribute before a declaration (#if and #endif lines left out)", false);
        continue;
      }
      // `void log(const char* f, ...)` / `#if` / `__attribute__((format(...)))` / `#endif` / `;`:
      // the attribute after the declarator, before its `;` or body.
      std::size_t before = code_end_before(s, l.begin);
      if ((s[ni] == ';' || s[ni] == '{') && before != std::string_view::npos && s[before - 1] == ')') {
        m.blank(l.begin, l.end, "C/C++ conditional attribute after a declarator (#if and #endif lines left out)");
        m.blank(end.begin, end.end, "C/C++ conditional attribute after a declarator (#if and #endif lines left out)", false);
      }
    }
  }
}

// Whether the `{` at s[b] (on a line ending at `le`) opens a statement block: it ends the line,
// or its block closes and is not followed by what ends an expression (`;`, `,`, `)`, `.`, `-`),
// as `LIB_TRY { flush(); }` is and the braced initialiser `NAME{1, 2};` is not.
bool block_opener_brace(std::string_view s, std::size_t b, std::size_t le) {
  std::size_t r = skip_spaces(s, b + 1, le);
  if (r >= le || s[r] == '\r' || s.compare(r, 2, "//") == 0 || s.compare(r, 2, "/*") == 0) return true;
  std::size_t end = brace_end(s, b, std::min(s.size(), b + (std::size_t{1} << 16)));
  if (end == std::string_view::npos) return false;
  std::size_t n = skip_ws(s, end);
  return n >= s.size() || std::strchr(";,).-", s[n]) == nullptr;
}

constexpr std::array<std::string_view, 18> kTypeArgWords = {
    "const", "volatile", "unsigned", "signed", "char", "short", "int", "long", "float", "double",
    "void", "bool", "_Bool", "size_t", "struct", "union", "enum", "int64_t"};

// Statement-level macro forms inside function bodies.
void mask_c_statements(Masker& m, std::string_view s, const std::vector<CLine>& lines, bool cpp) {
  for (const CLine& l : lines) {
    if (!l.code) continue;
    // The same right after a `{` on the line (`void f(){LIB_TRY{work();`, as a formatter that
    // took the macros for expressions leaves it).
    for (std::size_t q = s.find('{', l.begin); q < l.end; q = s.find('{', q + 1)) {
      std::size_t i = skip_spaces(s, q + 1, l.end);
      if (i >= l.end || !ident_start(s[i])) continue;
      std::size_t w = word_end(s, i);
      std::string_view word = s.substr(i, w - i);
      std::size_t b = skip_spaces(s, w, l.end);
      if (upper_ident(word) && word.find('_') != std::string_view::npos && !is_keyword(word) && b < l.end &&
          s[b] == '{' && code_at(s, q, l.end) == CodeAt::kCode && block_opener_brace(s, b, l.end)) {
        m.blank(i, w, "C/C++ macro opening a block NAME {");
      }
    }
    if (!l.in_block) continue;
    std::size_t i = skip_spaces(s, l.begin, l.end);
    if (i < l.end && s[i] == '}') i = skip_spaces(s, i + 1, l.end);
    // A lone macro opening a block (`LIB_TRY {`; MSVC's `__try` is the grammar's own).
    if (i < l.end && ident_start(s[i])) {
      std::size_t w = word_end(s, i);
      std::string_view word = s.substr(i, w - i);
      std::size_t b = skip_spaces(s, w, l.end);
      if (upper_ident(word) && word.find('_') != std::string_view::npos &&
          !is_keyword(word) && b < l.end && s[b] == '{' && block_opener_brace(s, b, l.end)) {
        m.blank(i, w, "C/C++ macro opening a block NAME {");
      }
    }
    for (std::size_t p = l.begin; p < l.end; p = next_pos(s, p)) {
      const CodeAt at = code_at(s, p, l.end);
      if (at == CodeAt::kLiteral) continue;
      if (at == CodeAt::kComment) break;
      char c = s[p];
      // `x = typename T::value_type(b)`: `typename` before a functional cast in an expression,
      // which the grammar has in declarations only; the keyword goes.
      if (cpp && c == 't' && is_word_at(s, p, "typename")) {
        std::size_t q = p;
        q = skip_spaces_back(s, q, l.begin);
        const bool after_return = q >= 6 && is_word_at(s, q - 6, "return");
        if (after_return || (q > l.begin && std::strchr("=([,", s[q - 1]) != nullptr)) {
          m.blank(p, p + 8, "C++ typename in an expression");
        }
        p += 7;
        continue;
      }
      // `if MACRO (cond)`: a macro that expands to `constexpr` (or nothing) between `if` and
      // its condition.
      if (c == 'i' && is_word_at(s, p, "if")) {
        std::size_t n = skip_spaces(s, p + 2, l.end);
        std::size_t ne = word_end(s, n);
        std::size_t open = skip_spaces(s, ne, l.end);
        std::string_view word = s.substr(n, ne - n);
        if (ne > n && open < l.end && s[open] == '(' && word != "constexpr" && word != "consteval" &&
            !is_keyword(word)) {
          m.blank(n, ne, "C/C++ macro between if and its condition");
        }
        p += 1;
        continue;
      }
      if (c != '(' && c != ',') continue;
      // The argument after `(` or `,` of a macro call.
      std::size_t a = skip_spaces(s, p + 1, l.end);
      if (a >= l.end || !ident_start(s[a])) continue;
      if (cpp) {
        // A reference type as an argument (`CHECK_THROWS_AS(f(), lib::type_error&)`): a
        // (qualified) name ending with `&` ends no expression. It becomes a placeholder name `_`.
        std::size_t q = a;
        while (q < l.end && (ident_char(s[q]) || s[q] == ':' || s[q] == ' ' || s[q] == '\t')) ++q;
        std::size_t amp = q;
        while (q < l.end && s[q] == '&' && q - amp < 2) ++q;
        std::size_t after = skip_spaces(s, q, l.end);
        if (q > amp && after < l.end && (s[after] == ',' || s[after] == ')')) {
          m.put(a, "_", "C++ reference type as a macro argument");
          m.blank(a + 1, q, "C++ reference type as a macro argument", false);
          p = q - 1;
          continue;
        }
      }
      {
        // Cheap filter first: the argument's first word must be `throw` or a type word.
        std::string_view first = s.substr(a, word_end(s, a) - a);
        if (first != "throw" &&
            std::find(kTypeArgWords.begin(), kTypeArgWords.end(), first) == kTypeArgWords.end()) {
          continue;
        }
      }
      if (cpp && is_word_at(s, a, "throw") && a + 5 < l.end && s[a + 5] == ' ') {
        // `EXPECT_THROW(throw x, E)`: throw as an expression argument.
        m.blank(a, a + 5, "C++ throw expression as a macro argument");
        continue;
      }
      if (c == '(') {
        // Only a call's parenthesis: an identifier before it that is not an operator keyword.
        std::size_t q = p;
        q = skip_spaces_back(s, q, l.begin);
        std::size_t ws = q;
        while (ws > l.begin && ident_char(s[ws - 1])) --ws;
        std::string_view callee = s.substr(ws, q - ws);
        if (callee.empty() || !ident_start(callee[0]) || is_keyword(callee) || callee == "__typeof__" ||
            callee == "__alignof__" || callee == "_Alignof" || callee == "offsetof" || callee == "__typeof") {
          continue;
        }
      }
      // A type as an argument (`va_arg(ap, int)`, `ACCESS_ONCE(const char*, p)`): only type
      // words and `*`, ending the argument. It becomes a placeholder name `_`.
      std::size_t q = a;
      bool builtin = false, tagged = false;
      while (q < l.end) {
        if (s[q] == '*' || s[q] == ' ' || s[q] == '\t') {
          ++q;
          continue;
        }
        if (!ident_start(s[q])) break;
        std::size_t we = word_end(s, q);
        std::string_view w = s.substr(q, we - q);
        if (tagged) {
          tagged = false;  // the tag's name
        } else if (std::find(kTypeArgWords.begin(), kTypeArgWords.end(), w) != kTypeArgWords.end()) {
          tagged = w == "struct" || w == "union" || w == "enum";
          builtin = builtin || !tagged;
        } else {
          builtin = false;
          break;
        }
        q = we;
      }
      if (builtin && q < l.end && (s[q] == ',' || s[q] == ')') && q > a) {
        m.put(a, "_", "C/C++ type as a macro argument");
        m.blank(a + 1, q, "C/C++ type as a macro argument", false);
      }
    }
  }
}

// Declaration-level macro forms outside function bodies.
void mask_c_declarations(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  for (const auto& l : lines) {
    if (!l.code) continue;
    for (std::size_t p = l.begin; p < l.end; p = next_pos(s, p)) {
      const CodeAt at = code_at(s, p, l.end);
      if (at == CodeAt::kLiteral) continue;
      if (at == CodeAt::kComment) break;
      char c = s[p];
      // `(WINAPI *name)(`: a calling-convention macro in a function pointer declarator.
      if (c == '(') {
        std::size_t w = skip_spaces(s, p + 1, l.end);
        std::size_t we = word_end(s, w);
        std::size_t star = skip_spaces(s, we, l.end);
        if (we > w && upper_ident(s.substr(w, we - w)) && we - w >= 3 && star < l.end && s[star] == '*') {
          std::size_t n = skip_spaces(s, star + 1, l.end);
          std::size_t ne = word_end(s, n);
          std::size_t close = skip_spaces(s, ne, l.end);
          if (ne > n && ident_start(s[n]) && close < l.end && s[close] == ')') {
            std::size_t open = skip_ws(s, close + 1);
            if (open < s.size() && s[open] == '(') {
              m.blank(w, we, "C/C++ calling-convention macro in a function pointer declarator");
            }
          }
        }
        continue;
      }
      // `__declspec(align(8))`: the grammar knows `__declspec(name)` only.
      if (c == '_' && is_word_at(s, p, "__declspec")) {
        std::size_t open = skip_spaces(s, p + 10, l.end);
        if (open < l.end && s[open] == '(') {
          std::size_t close = paren_end(s, open, l.end);
          std::size_t a = skip_spaces(s, open + 1, l.end);
          std::size_t ae = word_end(s, a);
          if (close != std::string_view::npos && skip_spaces(s, ae, l.end) != close - 1) {
            m.blank(p, close, "C/C++ __declspec with arguments");
            p = close - 1;
            continue;
          }
        }
      }
      // `typedef RET WINAPI name(`: a calling convention in a function type.
      if (c == 't' && is_word_at(s, p, "typedef")) {
        std::size_t w1 = skip_spaces(s, p + 7, l.end), w1e = word_end(s, w1);
        std::size_t w2 = skip_spaces(s, w1e, l.end), w2e = word_end(s, w2);
        std::size_t w3 = skip_spaces(s, w2e, l.end), w3e = word_end(s, w3);
        std::size_t open = skip_spaces(s, w3e, l.end);
        if (w1e > w1 && w2e > w2 && w3e > w3 && open < l.end && s[open] == '(' &&
            upper_ident(s.substr(w2, w2e - w2)) && w2e - w2 >= 3 && !is_keyword(s.substr(w1, w1e - w1))) {
          m.blank(w2, w2e, "C/C++ calling-convention macro in a declaration");
        }
        p += 6;
        continue;
      }
      // `class EXPORT_MACRO Name {` / `struct API Name : Base`: an export macro before the name.
      if (!l.in_block && (is_word_at(s, p, "class") || is_word_at(s, p, "struct"))) {
        std::size_t w = skip_spaces(s, word_end(s, p), l.end);
        std::size_t we = word_end(s, w);
        std::size_t n = skip_spaces(s, we, l.end);
        std::size_t ne = word_end(s, n);
        if (we > w && upper_ident(s.substr(w, we - w)) && we - w >= 3 && n < l.end && s[n] == '(') {
          // `class VISIBILITY("default") Name`: the macro with its arguments.
          std::size_t close = paren_end(s, n, l.end);
          if (close != std::string_view::npos) {
            std::size_t nn = skip_spaces(s, close, l.end);
            std::size_t nne = word_end(s, nn);
            std::size_t after = skip_ws(s, nne);
            if (nne > nn && ident_start(s[nn]) && after < s.size() &&
                (s[after] == '{' || (s[after] == ':' && (after + 1 >= s.size() || s[after + 1] != ':')) ||
                 is_word_at(s, after, "final"))) {
              m.blank(w, close, "C/C++ export macro between class and its name");
            }
          }
        }
        if (we > w && upper_ident(s.substr(w, we - w)) && we - w >= 3 && ne > n && ident_start(s[n])) {
          std::size_t after = skip_ws(s, ne);
          if (after < s.size() && s[after] == '<') {  // a specialisation `class API Name<T*> {`
            int depth = 0;
            std::size_t q = after;
            for (; q < s.size() && q < after + 500; ++q) {
              if (s[q] == '<') ++depth;
              if (s[q] == '>' && --depth == 0) break;
            }
            after = skip_ws(s, q + 1);
          }
          bool head = after < s.size() && (s[after] == '{' || (s[after] == ':' && (after + 1 >= s.size() || s[after + 1] != ':')) ||
                                           is_word_at(s, after, "final"));
          if (head) m.blank(w, we, "C/C++ export macro between class and its name");
        }
        p = word_end(s, p) - 1;
        continue;
      }
    }
  }
}

// Arguments that read as expressions (`mu_`, `*mu`, `this->mu_`, `a, b`), not as parameter
// declarations (`int n`, `const char* p`): no name follows another name or a `*`/`&` after one.
bool expression_args(std::string_view a) {
  bool any = false;
  char last = 0;  // 'w' after a name, '*' after a name and pointer/reference marks, else 0
  for (std::size_t i = 0; i < a.size();) {
    char c = a[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    any = true;
    if (ident_start(c)) {
      if (last == 'w' || last == '*') return false;
      i = word_end(a, i);
      last = 'w';
    } else if ((c == '*' || c == '&') && (last == 'w' || last == '*')) {
      last = '*';
      ++i;
    } else if (c == ':' && i + 1 < a.size() && a[i + 1] == ':') {
      last = 0;
      i += 2;
    } else {
      last = 0;
      ++i;
    }
  }
  return any;
}

// Is the upper-case macro call s[p, close) (its `(` at `open`) an attribute after a declarator?
// After `)` of a parameter list or a qualifier (`const`, `override`): when a `;`, `{`, `:`
// (constructor initialisers), `=` (`= 0`, `= default`) or another such macro follows. After a
// name (a member or variable): when its arguments are expressions and `;`, `=`, `,` or `{`
// follows, so an upper-case function's parameter list (`Result MAKE(int n) {`) is never one.
bool annotation_after_declarator(std::string_view s, std::size_t p, std::size_t open, std::size_t close) {
  std::size_t b = code_end_before(s, p);
  if (b == std::string_view::npos) return false;
  std::size_t after = skip_ws(s, close);
  if (after >= s.size()) return false;
  char f = s[after];
  bool colon = f == ':' && (after + 1 >= s.size() || s[after + 1] != ':');
  bool chain = false;
  if (ident_start(f)) {
    std::size_t fe = word_end(s, after);
    std::string_view next = s.substr(after, fe - after);
    std::size_t fo = skip_spaces(s, fe, s.size());
    chain = next == "override" || next == "final" || next == "const" || next == "noexcept" ||
            (upper_ident(next) && next.size() >= 4 && fo < s.size() && s[fo] == '(');
  }
  char pc = s[b - 1];
  if (pc == ')') return f == ';' || f == '{' || f == '=' || colon || chain;
  if (pc == ']') {  // an array member `T stats_[N] GUARDED_BY(mu);`
    return (f == ';' || f == '=' || f == '{' || chain) && expression_args(s.substr(open + 1, close - open - 2));
  }
  if (!ident_char(pc)) return false;
  std::size_t wb = b;
  while (wb > 0 && ident_char(s[wb - 1])) --wb;
  std::string_view prev = s.substr(wb, b - wb);
  if (prev == "const" || prev == "override" || prev == "final" || prev == "noexcept") {
    return f == ';' || f == '{' || f == '=' || colon || chain;
  }
  if (is_keyword(prev) || upper_ident(prev) || !ident_start(prev[0])) return false;
  return (f == ';' || f == '=' || f == ',' || f == '{' || chain) && expression_args(s.substr(open + 1, close - open - 2));
}

// C++ forms outside function bodies: modules, macros before a destructor, macros in parameter
// lists, empty-brace default arguments.
void mask_cpp_declarations(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  for (const auto& l : lines) {
    if (!l.code) continue;
    std::size_t i = skip_spaces(s, l.begin, l.end);
    if (!l.in_block && i < l.end) {
      // C++20 module declarations (`export module fmt;`, `module;`, `import std;`): the grammar
      // has no modules; they declare nothing measured.
      std::size_t w = i;
      if (is_word_at(s, w, "export")) w = skip_spaces(s, w + 6, l.end);
      if (is_word_at(s, w, "module") || is_word_at(s, w, "import")) {
        std::size_t n = skip_spaces(s, w + 6, l.end);
        std::size_t semi = s.find(';', n);
        if (n < l.end && (ident_start(s[n]) || s[n] == ';' || s[n] == '<' || s[n] == ':' || s[n] == '"') &&
            semi != std::string_view::npos && semi < l.end && s.substr(n, semi - n).find_first_of("(){}=") == std::string_view::npos) {
          m.blank(i, semi + 1, "C++20 module declaration");
          continue;
        }
      }
      // `export` before a declaration, a namespace, a template or a block of declarations.
      if (is_word_at(s, i, "export")) {
        std::size_t n = skip_spaces(s, i + 6, l.end);
        if (n < l.end && (ident_start(s[n]) || s[n] == '{')) m.blank(i, i + 6, "C++20 export before a declaration");
      }
    }
    for (std::size_t p = l.begin; p < l.end; p = next_pos(s, p)) {
      const CodeAt at = code_at(s, p, l.end);
      if (at == CodeAt::kLiteral) continue;
      if (at == CodeAt::kComment) break;
      char c = s[p];
      // `= {}` as a default argument (`const specs& s = {})`): the grammar reads `{}` there as
      // a compound literal missing its type; `0` stands for it.
      if (c == '=' && !l.in_block) {
        std::size_t b = skip_spaces(s, p + 1, l.end);
        if (b + 1 < l.end && s[b] == '{' && s[b + 1] == '}') {
          std::size_t after = skip_ws(s, b + 2);
          if (after < s.size() && (s[after] == ')' || s[after] == ',')) m.put(b, "0 ", "C++ {} as a default argument");
          continue;
        }
      }
      // `) = delete;`: the grammar reads some deleted declarations as a variable initialised by a
      // delete expression; the clause goes (the declaration has no body to measure).
      if (c == '=' && !l.in_block) {
        std::size_t n = skip_spaces(s, p + 1, l.end);
        std::size_t b = p;
        b = skip_spaces_back(s, b, l.begin);
        if (b > l.begin && s[b - 1] == ')' && is_word_at(s, n, "delete") && skip_spaces(s, n + 6, l.end) < l.end &&
            s[skip_spaces(s, n + 6, l.end)] == ';') {
          m.blank(p, n + 6, "C++ = delete after a declaration");
          p = n + 5;
          continue;
        }
      }
      // `(Class::*member)` / `T Class::*field;`: a pointer-to-member declarator becomes a plain
      // pointer.
      if (c == ':' && s.compare(p, 3, "::*") == 0 && p > l.begin && ident_char(s[p - 1]) && p + 3 < l.end &&
          (ident_start(s[p + 3]) || s[p + 3] == ')')) {
        std::size_t q = p;
        while (q > l.begin && ident_char(s[q - 1])) --q;
        std::size_t b = q;
        b = skip_spaces_back(s, b, l.begin);
        if (b > l.begin && (ident_char(s[b - 1]) || s[b - 1] == '(')) {
          m.blank(q, p + 2, "C++ pointer-to-member declarator");
          p += 2;
          continue;
        }
      }
      if (c == '(') {
        std::size_t n = skip_spaces(s, p + 1, l.end);
        std::size_t q = n;
        while (q < l.end && (ident_char(s[q]) || (s[q] == ':' && q + 1 < l.end && s[q + 1] == ':' && s[q + 2] != '*'))) {
          q += s[q] == ':' ? 2 : 1;
        }
        if (q > n && ident_start(s[n]) && s.compare(q, 3, "::*") == 0) {
          m.blank(n, q + 2, "C++ pointer-to-member declarator");
          p = q + 2;
          continue;
        }
      }
      // `decltype(a, b)`: the grammar takes one expression there; the comma becomes `+`.
      if (c == 'd' && is_word_at(s, p, "decltype")) {
        std::size_t open = skip_spaces(s, p + 8, l.end);
        if (open < l.end && s[open] == '(') {
          std::size_t close = paren_end(s, open, std::min(s.size(), open + 2000));
          int depth = 0;
          for (std::size_t q = open; close != std::string_view::npos && q < close; ++q) {
            char ch = s[q];
            if (ch == '(' || ch == '[' || ch == '{' || ch == '<') ++depth;
            if (ch == ')' || ch == ']' || ch == '}' || ch == '>') --depth;
            if (ch == '"' || ch == '\'') break;
            if (ch == ',' && depth == 1) m.put(q, "+", "C++ comma expression in decltype");
          }
        }
        p += 7;
        continue;
      }
      // Pointer-to-member access `obj->*pm` / `obj.*pm`: the grammar has neither operator; a
      // comma stands for it (same operands, no decision).
      if ((c == '-' && s.compare(p, 3, "->*") == 0) ||
          (c == '.' && p + 1 < l.end && s[p + 1] == '*' && p > l.begin && (ident_char(s[p - 1]) || s[p - 1] == ')'))) {
        std::size_t len = c == '-' ? 3 : 2;
        std::size_t tok = p;  // `1.*2` is a number times 2
        while (tok > l.begin && ident_char(s[tok - 1])) --tok;
        std::size_t n = skip_spaces(s, p + len, l.end);
        if (!(tok < p && s[tok] >= '0' && s[tok] <= '9') && n < l.end && (ident_start(s[n]) || s[n] == '(')) {
          m.put(p, ",", "C++ pointer-to-member operator ->* or .*");
          m.blank(p + 1, p + len, "C++ pointer-to-member operator ->* or .*", false);
        }
        p += len - 1;
        continue;
      }
      if (!ident_start(c) || (p > l.begin && (ident_char(s[p - 1]) || s[p - 1] == ':' || s[p - 1] == '.'))) continue;
      std::size_t we = word_end(s, p);
      std::string_view word = s.substr(p, we - p);
      // `unsigned(x)`: a functional cast to a sized type, which the grammar reads as the start
      // of a C cast inside parentheses; it becomes a call.
      if ((word == "unsigned" || word == "signed" || word == "short" || word == "long") && we < l.end &&
          s[we] == '(' && p > l.begin && std::strchr("(=,<>|&+-*/%^!~?: \t[{", s[p - 1]) != nullptr) {
        std::size_t q = p;
        q = skip_spaces_back(s, q, l.begin);
        if (q > l.begin && !ident_char(s[q - 1]) && s[q - 1] != '<' && s[q - 1] != ',') {
          m.put(p, "_", "C++ functional cast to a sized type unsigned(x)");
        }
        p = we - 1;
        continue;
      }
      // `new T*[n]`: an array of pointers, which the grammar's new-declarator cannot take; the
      // `*` goes (the same allocation, no decision).
      if (word == "new") {
        std::size_t t = skip_spaces(s, we, l.end);
        std::size_t cv = t;  // `new const T*[n]`: the qualifier goes with the `*`
        while (is_word_at(s, t, "const") || is_word_at(s, t, "volatile")) t = skip_spaces(s, word_end(s, t), l.end);
        std::size_t q = t;
        while (q < l.end && (ident_char(s[q]) || (s[q] == ':' && q + 1 < l.end && s[q + 1] == ':'))) q += s[q] == ':' ? 2 : 1;
        if (q < l.end && s[q] == '<') {
          int depth = 0;
          for (; q < l.end; ++q) {
            if (s[q] == '<') ++depth;
            if (s[q] == '>' && --depth == 0) break;
          }
          ++q;
        }
        std::size_t st = skip_spaces(s, std::min(q, l.end), l.end);
        std::size_t e = st;
        while (e < l.end && (s[e] == '*' || s[e] == ' ')) ++e;
        if (q > t && t < l.end && ident_start(s[t]) && st < l.end && s[st] == '*' && e < l.end && s[e] == '[') {
          m.blank(st, e, "C++ new of an array of pointers new T*[n]");
          if (cv < t) m.blank(cv, t, "C++ new of an array of pointers new T*[n]", false);
        }
        p = we - 1;
        continue;
      }
      // `typename T::type()` as an expression (a value-initialised temporary): the keyword goes.
      if (word == "typename") {
        std::size_t q = we;
        q = skip_spaces(s, q, l.end);
        while (q < l.end && (ident_char(s[q]) || s[q] == ':')) ++q;
        if (q > we && q < l.end && (s[q] == '(' || s[q] == '{')) {
          std::size_t b = p;
          b = skip_ws_back(s, b, 0);
          if (b > 0 && (s[b - 1] == '(' || s[b - 1] == ',' || s[b - 1] == '<')) {
            m.blank(p, we, "C++ typename before a temporary T::type()");
          }
        }
        p = we - 1;
        continue;
      }
      // `typedef [typename] MACRO(args) Name;`: a macro naming a type becomes `_`.
      if (word == "typedef") {
        std::size_t n = skip_spaces(s, we, l.end);
        if (is_word_at(s, n, "typename")) n = skip_spaces(s, n + 8, l.end);
        std::size_t ne = word_end(s, n);
        std::size_t open = skip_spaces(s, ne, l.end);
        if (ne > n && upper_ident(s.substr(n, ne - n)) && ne - n >= 4 && open < l.end && s[open] == '(') {
          std::size_t close = paren_end(s, open, l.end);
          std::size_t name = close == std::string_view::npos ? l.end : skip_spaces(s, close, l.end);
          if (name < l.end && ident_start(s[name])) {
            m.put(n, "_", "C/C++ macro naming a type in a typedef");
            m.blank(n + 1, close, "C/C++ macro naming a type in a typedef", false);
          }
        }
        p = we - 1;
        continue;
      }
      // `using typename Base::type;`: the keyword goes (same declaration).
      if (word == "using") {
        std::size_t n = skip_spaces(s, we, l.end);
        if (is_word_at(s, n, "typename")) m.blank(n, n + 8, "C++ using typename");
        p = we - 1;
        continue;
      }
      // `extern template auto f<char>(x) -> char;`: an explicit instantiation declaration.
      if (word == "extern" && !l.in_block) {
        std::size_t n = skip_spaces(s, we, l.end);
        if (is_word_at(s, n, "template")) {
          std::size_t after = skip_spaces(s, n + 8, l.end);
          if (after < l.end && s[after] != '<') m.blank(p, n + 8, "C++ extern template declaration");
        }
        p = we - 1;
        continue;
      }
      // `template class vec<int>;`: an explicit instantiation of a class, which the grammar has
      // for functions only; without the keyword it reads as a declaration of the specialisation.
      if (word == "template" && !l.in_block) {
        std::size_t n = skip_spaces(s, we, l.end);
        if (is_word_at(s, n, "class") || is_word_at(s, n, "struct") || is_word_at(s, n, "union")) {
          std::size_t semi = s.find_first_of(";{", n);
          if (semi != std::string_view::npos && s[semi] == ';') m.blank(p, we, "C++ explicit instantiation of a class template");
        }
        p = we - 1;
        continue;
      }
      // `enum : unsigned {`: an unnamed enumeration with a base type becomes `enum _:unsigned {`.
      if (word == "enum") {
        std::size_t n = we;
        if (n + 2 < l.end && s[n] == ' ' && s[n + 1] == ':' && s[n + 2] == ' ' && n + 3 < l.end && ident_start(s[n + 3])) {
          m.put(n + 1, "_:", "C++ unnamed enum with a base type");
        }
        p = we - 1;
        continue;
      }
      // <inttypes.h>'s format macros: PRId64, PRIuPTR, SCNx32, ...
      const bool format_macro = word.size() >= 5 && (word.starts_with("PRI") || word.starts_with("SCN")) &&
                                std::strchr("diouxX", word[3]) != nullptr;
      {
        // `"text " NAME_MACRO " more"`, `"%" PRIu64, n`: a macro expanding to a string after a
        // literal. Between two literals any name is one (`"a" EURO "b"`); a name touching the
        // next quote is that literal's prefix (`L"x"`, `u8"x"`), not a macro.
        std::size_t b = p;
        b = skip_spaces_back(s, b, l.begin);
        std::size_t n = skip_spaces(s, we, l.end);
        const bool macro_like = (upper_ident(word) && word.size() >= 4 && word.find('_') != std::string_view::npos) || format_macro;
        const bool after_literal = b > l.begin && s[b - 1] == '"';
        std::size_t last = we;  // `"a" EURO EURO "b"`: a run of names between two literals
        std::size_t z = n;
        while (z < l.end && ident_start(s[z]) && !is_keyword(s.substr(z, word_end(s, z) - z))) {
          last = word_end(s, z);
          z = skip_spaces(s, last, l.end);
        }
        const bool between = after_literal && z > last && z < l.end && s[z] == '"' && !is_keyword(word);
        if ((after_literal && macro_like &&
             (n >= l.end || s[n] == '"' || s[n] == ',' || s[n] == ')' || s[n] == ';' || s.compare(n, 2, "//") == 0)) ||
            between) {
          std::size_t e = between ? last : we;
          if (e - p >= 2) {
            m.put(p, "\"\"", "C/C++ macro between string literals");
            m.blank(p + 2, e, "C/C++ macro between string literals", false);
          } else {
            m.blank(p, e, "C/C++ macro between string literals");
          }
          p = e - 1;
          continue;
        }
      }
      if (!l.in_block && upper_ident(word) && word.size() >= 4 && word.find('_') != std::string_view::npos) {
        std::size_t n = skip_spaces(s, we, l.end);
        std::size_t b = p;
        b = skip_spaces_back(s, b, l.begin);
        // `void f(int n) LIB_NO_INLINE;`, `bool operator==(const A&) const LIB_NOEXCEPT {`: an
        // attribute macro after a function declarator.
        std::size_t qb = b;  // before a qualifier after the `)`
        for (std::string_view q : {"const", "override", "final", "noexcept"}) {
          if (b - l.begin > q.size() && s.compare(b - q.size(), q.size(), q) == 0 && !ident_char(s[b - q.size() - 1])) {
            qb = b - q.size();
            qb = skip_spaces_back(s, qb, l.begin);
            break;
          }
        }
        std::size_t nn = skip_ws(s, we);  // `Ctor(const A& a) LIB_NOEXCEPT` / `: a_(a) {`
        // `const char* what() const LIB_NOEXCEPT override;`: virt-specifiers after the macro
        for (std::string_view q : {"override", "final"}) {
          if (is_word_at(s, nn, q)) {
            nn = skip_ws(s, nn + q.size());
            break;
          }
        }
        bool after_paren = qb > l.begin && s[qb - 1] == ')';
        if (!after_paren && qb == l.begin) {  // the declarator ends the line before (`f(const T& x)`, then `LIB_NOEXCEPT {`)
          std::size_t pb = skip_ws_back(s, l.begin, 0);
          after_paren = pb > 0 && s[pb - 1] == ')';
        }
        if (after_paren && nn < s.size() &&
            (s[nn] == ';' || s[nn] == '{' || s[nn] == '=' || (s[nn] == ':' && (nn + 1 >= s.size() || s[nn + 1] != ':')))) {
          m.blank(p, we, "C/C++ attribute macro after a function declarator");
          p = we - 1;
          continue;
        }
        // `static const char* names[] LIB_LEVEL_NAMES;`: a macro standing for an array's
        // initialiser (`= {...}`); the declaration of an array of unknown bound remains.
        if (b > l.begin && s[b - 1] == ']' && nn < s.size() && s[nn] == ';') {
          m.blank(p, we, "C/C++ macro standing for an initialiser");
          p = we - 1;
          continue;
        }
        // `void f() LOCKS_EXCLUDED(mu) {`, `Lock(Mutex* mu) ACQUIRE(mu) : mu_(mu) {`,
        // `int n_ GUARDED_BY(mu_);`: an attribute macro with arguments (thread-safety
        // annotations and the like) after a declarator, also on the declarator's next line.
        if (n < l.end && s[n] == '(') {
          std::size_t close = paren_end(s, n, std::min(s.size(), n + 1000));
          if (close != std::string_view::npos && annotation_after_declarator(s, p, n, close)) {
            m.blank(p, close, "C/C++ attribute macro after a declarator");
            p = close - 1;
            continue;
          }
        }
        // `FMT_API ~buffered_file();`: a specifier macro before a destructor.
        if (n < l.end && s[n] == '~') {
          m.blank(p, we, "C/C++ attribute or calling-convention macro in a declaration");
        } else if (n < l.end && (s[n] == ',' || s[n] == ')') && p > l.begin) {
          // `const T& value LIB_LIFETIMEBOUND,`: an attribute macro after a parameter's name.
          // Only after a type and a name (`T& name MACRO`), not a name after its type alone
          // (`bool IS_SET,` in a template parameter list).
          std::size_t q = p;
          q = skip_spaces_back(s, q, l.begin);
          std::size_t nb = q;
          while (nb > l.begin && ident_char(s[nb - 1])) --nb;
          std::size_t before = nb;
          before = skip_spaces_back(s, before, l.begin);
          bool named = before > l.begin && (ident_char(s[before - 1]) || s[before - 1] == '*' || s[before - 1] == '&' ||
                                            s[before - 1] == '>');
          if (q < p && nb < q && named && !is_keyword(s.substr(nb, q - nb))) {
            m.blank(p, we, "C/C++ attribute macro after a parameter");
          }
        }
      }
      p = we - 1;
    }
  }
}

// The line holding s[p] when s[p] is code (not in a comment, literal or directive), else null.
// Lines that begin inside a block comment count as not code.
const CLine* code_line_of(std::string_view s, const std::vector<CLine>& lines, std::size_t p) {
  auto li = std::upper_bound(lines.begin(), lines.end(), p, [](std::size_t pos, const CLine& l) { return pos < l.begin; });
  if (li == lines.begin()) return nullptr;
  const CLine& l = *(li - 1);
  if (!l.code) return nullptr;
  for (std::size_t k = l.begin; k < p; ++k) {
    CodeAt at = code_at(s, k, l.end);
    if (at == CodeAt::kComment || (at == CodeAt::kLiteral && k >= p)) return nullptr;
  }
  return &l;
}

// C prototypes with an attribute macro after the declarator (`jv f(const char*, ...)
// LIB_PRINTF_LIKE(1, 2);`): the macro and its arguments go. (C++ has the wider rule of
// mask_cpp_declarations.)
void mask_c_attribute_after_prototype(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  for (const CLine& l : lines) {
    if (!l.code || l.in_block) continue;
    for (std::size_t p = s.find(')', l.begin); p != std::string_view::npos && p < l.end; p = s.find(')', p + 1)) {
      std::size_t w = skip_spaces(s, p + 1, l.end);
      if (w >= l.end || !ident_start(s[w])) continue;
      std::size_t we = word_end(s, w);
      std::string_view word = s.substr(w, we - w);
      if (!upper_ident(word) || word.size() < 4 || word.find('_') == std::string_view::npos) continue;
      std::size_t open = skip_spaces(s, we, l.end);
      std::size_t close = open < l.end && s[open] == '(' ? paren_end(s, open, l.end) : we;
      if (close == std::string_view::npos) continue;
      std::size_t after = skip_spaces(s, close, l.end);
      if (after < l.end && (s[after] == ';' || s[after] == '{')) {
        m.blank(w, close, "C attribute macro after a prototype's declarator");
        p = close - 1;
      }
    }
  }
}

// Microsoft calling conventions (`int __stdcall f(`): tree-sitter-cpp (unlike the C grammar) does
// not take them before a declarator name; they carry no decision and are blanked wherever they are code.
void mask_ms_calling_conventions(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  for (std::string_view kw : {"__stdcall", "__cdecl", "__fastcall", "__thiscall", "__vectorcall", "__clrcall"}) {
    for (std::size_t p = s.find(kw); p != std::string_view::npos; p = s.find(kw, p + kw.size())) {
      if (!is_word_at(s, p, kw) || code_line_of(s, lines, p) == nullptr) continue;
      m.blank(p, p + kw.size(), "C/C++ Microsoft calling convention (__stdcall, __cdecl, ...)");
    }
  }
}

// `t.operator[](i)`, `p->operator==(q)` and, in a body, `operator()<T>(x)`: an explicit call of
// an operator function, which the grammar has only as a declarator name. The operator's symbol
// becomes `_`s, so the call reads as a call of a member named `operator__`. Found by one search
// for the word, so files without it pay nothing more.
void mask_cpp_operator_calls(Masker& m, std::string_view s, const std::vector<CLine>& lines) {
  constexpr std::string_view kWord = "operator";
  for (std::size_t p = s.find(kWord); p != std::string_view::npos; p = s.find(kWord, p + kWord.size())) {
    const std::size_t q = p + kWord.size();
    if ((p > 0 && ident_char(s[p - 1])) || (q < s.size() && ident_char(s[q]))) continue;
    const std::size_t sym = skip_spaces(s, q, s.size());
    std::size_t se = sym;
    if (s.compare(sym, 2, "()") == 0 || s.compare(sym, 2, "[]") == 0) {
      se = sym + 2;
    } else {
      while (se < s.size() && std::strchr("+-*/%^&|~!=<>", s[se]) != nullptr && s[se] != '\0') ++se;
    }
    if (se == sym) continue;  // `x.operator bool()`: a conversion, which the grammar reads
    std::size_t b = p;
    b = skip_spaces_back(s, b, 0);
    const bool member = (b >= 1 && s[b - 1] == '.') || (b >= 2 && s[b - 2] == '-' && s[b - 1] == '>');
    const CLine* l = code_line_of(s, lines, p);
    if (l == nullptr) continue;
    const std::size_t after = skip_spaces(s, se, l->end);
    const bool template_call = l->in_block && se == sym + 2 && s[sym] == '(' && after < l->end && s[after] == '<';
    if (!member && !template_call) continue;
    m.put(q, std::string(se - q, '_'), "C++ explicit call of an operator function (t.operator[](i))");
  }
}

void mask_c_family(Masker& m, bool cpp) {
  std::string_view s = m.text();
  auto lines = c_lines(s);
  for (const CLine& l : lines) {
    if (!l.drop) continue;
    m.blank(l.begin, l.end, "C/C++ conditional group splitting a statement or declaration (#if branch kept, later branches left out)");
    // A comment the blanked directive opened and left open goes with it.
    std::size_t open = std::string_view::npos;
    for (std::size_t k = l.begin; k + 1 < l.end; ++k) {
      if (s[k] == '/' && s[k + 1] == '*') {
        std::size_t close = s.find("*/", k + 2);
        if (close == std::string_view::npos || close + 2 > l.end) {
          open = k;
          break;
        }
        k = close + 1;
      }
    }
    if (open != std::string_view::npos) {
      std::size_t close = s.find("*/", open + 2);
      m.blank(l.end, close == std::string_view::npos ? s.size() : close + 2,
              "C/C++ conditional group splitting a statement or declaration (#if branch kept, later branches left out)", false);
    }
  }
  mask_c_directives(m, s, lines);
  mask_c_statements(m, s, lines, cpp);
  mask_c_declarations(m, s, lines);
  if (!cpp) mask_c_attribute_after_prototype(m, s, lines);
  if (cpp) {
    mask_ms_calling_conventions(m, s, lines);
    mask_cpp_declarations(m, s, lines);
    mask_cpp_operator_calls(m, s, lines);
  }
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const CLine& l = lines[li];
    if (!l.code) continue;
    std::size_t i = skip_spaces(s, l.begin, l.end);
    if (i >= l.end) continue;
    std::size_t w = i;
    while (w < l.end && ident_char(s[w])) ++w;
    std::string_view word = s.substr(i, w - i);
    if (word.empty() || is_keyword(word)) continue;
    std::size_t after = skip_spaces(s, w, l.end);
    // Rest of the line after a balanced (args), spanning up to 30 lines for a lone invocation.
    std::size_t close = std::string_view::npos;
    if (after < l.end && s[after] == '(') {
      std::size_t limit = lines[std::min(lines.size() - 1, li + 30)].end;
      close = paren_end(s, after, limit);
    }
    auto rest_blank = [&](std::size_t from) {
      std::size_t le = s.find('\n', from);
      if (le == std::string_view::npos) le = s.size();
      std::size_t r = skip_spaces(s, from, le);
      return r >= le || s[r] == '\r' || s.compare(r, 2, "//") == 0 || s.compare(r, 2, "/*") == 0;
    };
    if (close != std::string_view::npos) {
      std::size_t r = skip_spaces(s, close, s.size());
      std::size_t le = s.find('\n', close);
      if (le == std::string_view::npos) le = s.size();
      const std::size_t close_le = le;  // the end of the line the invocation closes on
      if ((r >= le || s[r] == '\r') && le < s.size()) {
        // The brace alone on the next line (`TEST_CASE("x")` then `{`, Allman style).
        std::size_t r2 = skip_spaces(s, le + 1, s.size());
        if (r2 < s.size() && s[r2] == '{') {
          r = r2;
          le = s.find('\n', r2);
          if (le == std::string_view::npos) le = s.size();
        }
      }
      // Statement-position `NAME(args) {`: a function-like macro used as a block
      // (`TEST("x") {`, `run_with_period(100) {`, `list_foreach(q, &h) {`).
      if (l.in_block && r < le && s[r] == '{' && block_opener_brace(s, r, le)) {
        // Followed by `else`, the macro stands for `if` (`LIB_IF_CONSTEXPR (c) { } else { }`):
        // it becomes one, so the branch is counted and the `else` has its `if`.
        std::size_t end = brace_end(s, r, std::min(s.size(), r + (std::size_t{1} << 20)));
        if (word.size() >= 2 && end != std::string_view::npos && is_word_at(s, skip_ws(s, end), "else")) {
          m.put(i, "if", "C/C++ macro standing for if (followed by else)");
          m.blank(i + 2, w, "C/C++ macro standing for if (followed by else)", false);
          continue;
        }
        m.blank(i, close, "C/C++ function-like macro used as a block NAME(args) {");
        continue;
      }
      // `TEST(suite, enum) {` at file level: a keyword as a bare argument of a test macro
      // (the grammar reads the invocation as a function head with parameters) becomes `_`.
      if (!l.in_block && upper_ident(word) && r < le && s[r] == '{') {
        std::size_t a = after + 1;
        while (a < close - 1) {
          std::size_t as = skip_ws(s, a);
          std::size_t ae = word_end(s, as);
          std::size_t sep = skip_ws(s, ae);
          if (ae > as && sep < close && (s[sep] == ',' || sep == close - 1) && is_keyword(s.substr(as, ae - as))) {
            m.put(as, "_", "C/C++ keyword as a test macro argument");
            m.blank(as + 1, ae, "C/C++ keyword as a test macro argument", false);
          }
          std::size_t comma = s.find(',', a);
          if (comma == std::string_view::npos || comma >= close) break;
          a = comma + 1;
        }
        // `MATCHER(IsOk, "") {`, `TEST_CASE("name", "[tag]") {`: a string literal argument and
        // its comma go, as the grammar reads the arguments as parameters.
        std::size_t prev_comma = std::string_view::npos;
        for (std::size_t q = after + 1; q + 1 < close;) {
          std::size_t as = skip_ws(s, q);
          if (as + 1 >= close) break;
          std::size_t ae = as;
          if (s[as] == '"') {
            ae = as + 1;
            while (ae < close && s[ae] != '"') ae += s[ae] == '\\' ? 2 : 1;
            ++ae;
          }
          std::size_t next = ae;
          int depth = 0;
          while (next + 1 < close && !(depth == 0 && s[next] == ',')) {
            if (s[next] == '(' || s[next] == '<' || s[next] == '[') ++depth;
            if (s[next] == ')' || s[next] == '>' || s[next] == ']') --depth;
            if (s[next] == '"' || s[next] == '\'') {
              char quote = s[next];
              for (++next; next + 1 < close && s[next] != quote; ++next) {
                if (s[next] == '\\') ++next;
              }
            }
            ++next;
          }
          // `TEST_CASE("name" * doctest::skip())`: an argument that begins with a string literal
          // goes whole (decorators after the name).
          if (s[as] == '"' && skip_ws(s, ae) != next && next > ae) {
            ae = next;
            ae = skip_ws_back(s, ae, as);
          }
          bool literal = s[as] == '"' && skip_ws(s, ae) == next;
          if (literal) {
            std::size_t from = prev_comma != std::string_view::npos ? prev_comma : as;
            std::size_t to = prev_comma != std::string_view::npos || next + 1 >= close ? ae : next + 1;
            m.blank(from, to, "C/C++ string literal as a test macro argument");
          } else {
            prev_comma = next + 1 < close ? next : std::string_view::npos;
          }
          q = next + 1;
        }
      }
      // `EXPORT(static int f(int a)) {` / `EXPORT(void f(void));` at file level: a macro wrapped
      // around a declaration; the wrapper goes, the declaration is read.
      if (!l.in_block && upper_ident(word)) {
        std::size_t inner = skip_spaces(s, after + 1, close);
        std::size_t ie = word_end(s, inner);
        std::string_view first = s.substr(inner, ie - inner);
        bool decl_start = first == "static" || first == "extern" || first == "inline" || first == "const" ||
                          first == "struct" || first == "union" || first == "enum" ||
                          std::find(kCTypeKeywords.begin(), kCTypeKeywords.end(), first) != kCTypeKeywords.end();
        std::string_view args = s.substr(after + 1, close - after - 2);
        std::size_t inner_paren = args.find('(');
        if (decl_start && inner_paren != std::string_view::npos &&
            args.substr(0, inner_paren).find(',') == std::string_view::npos && (r >= le || s[r] == '{' || s[r] == ';')) {
          m.blank(i, after + 1, "C/C++ macro wrapped around a declaration NAME(decl)");
          m.blank(close - 1, close, "C/C++ macro wrapped around a declaration NAME(decl)", false);
          continue;
        }
      }
      // `NAME(args);` standing alone at file or class level (`DECLARE_KIND(signed char, k);`,
      // `MOCK_METHOD(int, f, (int));`): it expands to declarations; with no type before it
      // the grammar reads it as a broken declaration.
      if (!l.in_block && upper_ident(word) && word.size() >= 3 && r < le && s[r] == ';' && rest_blank(r + 1) &&
          after_statement_end(s, lines, li)) {
        m.blank(i, close, "C/C++ macro invocation standing for declarations");
        continue;
      }
      // A lone macro invocation without `;` (`DEFINE_LIST(x)`, `FMT_PRAGMA(...)`): it expands
      // to declarations or statements the grammar cannot see.
      if (upper_ident(word) && rest_blank(close)) {
        std::size_t next = skip_spaces(s, close_le, s.size());
        while (next < s.size() && (s[next] == '\n' || s[next] == '\r' || s[next] == ' ' || s[next] == '\t')) ++next;
        bool next_brace = next < s.size() && s[next] == '{';
        // `CHECK(x)` continued on the next line (`<< "message";`, `.Times(1);`) is an expression.
        bool continues = next < s.size() && std::strchr(".-<>=+|&?:,;^%/", s[next]) != nullptr &&
                         s.compare(next, 2, "//") != 0 && s.compare(next, 2, "/*") != 0;
        if (after_statement_end(s, lines, li) && !next_brace && !continues) {
          m.blank(i, close, "C/C++ macro invocation standing for declarations or statements");
          continue;
        }
      }
    } else if (cpp && upper_ident(word) && word.size() >= 6 && !l.in_block && after < l.end && s[after] == ':' &&
               (after + 1 >= l.end || s[after + 1] != ':') && rest_blank(after + 1)) {
      // `LIB_PRIVATE_UNLESS_TESTED:` in a class body: a macro standing for an access specifier
      // (a label cannot stand outside a function) becomes `public`.
      m.put(i, "public", "C++ macro standing for an access specifier");
      m.blank(i + 6, w, "C++ macro standing for an access specifier", false);
      continue;
    } else if (upper_ident(word) && word.size() >= 3 && after >= l.end && !l.in_block) {
      // A lone upper-case word at file or class level (`FMT_BEGIN_NAMESPACE`, a fields macro).
      if (after_statement_end(s, lines, li)) {
        m.blank(i, w, "C/C++ lone macro name standing for declarations");
        continue;
      }
    } else if (upper_ident(word) && word.size() >= 3 && word.find('_') != std::string_view::npos &&
               after >= l.end && l.in_block && after_statement_end(s, lines, li)) {
      // A lone upper-case word between statements (`DECLARE_LOCALS`): it expands to
      // declarations or statements. Not when the next code line continues it (`= x;`, `(a)`).
      std::size_t k = li + 1;
      while (k < lines.size() && (!lines[k].code || skip_spaces(s, lines[k].begin, lines[k].end) >= lines[k].end)) ++k;
      std::size_t n = k < lines.size() ? skip_spaces(s, lines[k].begin, lines[k].end) : s.size();
      if (n >= s.size() || ident_start(s[n]) || s[n] == '}' || s[n] == '*' || s[n] == '{') {
        m.blank(i, w, "C/C++ lone macro name standing for statements");
        continue;
      }
    }
  }
  // Declaration heads with more type words than C allows: upper-case ones are attribute or
  // calling-convention macros (`static DWORD WINAPI f(`, `UV_THREAD_LOCAL int x`).
  s = m.text();
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const CLine& l = lines[li];
    if (!l.code) continue;
    std::size_t i = skip_spaces(s, l.begin, l.end);
    struct Word {
      std::size_t b, e;
    };
    std::vector<Word> words;
    bool builtin = false;
    bool storage = false;  // static/extern: not a constructor
    bool ok = false;
    bool pointer = false;
    char end_char = 0;
    std::size_t p = i;
    while (p < l.end) {
      p = skip_spaces(s, p, l.end);
      while (p < l.end && (s[p] == '*' || s[p] == '&')) {
        pointer = true;
        p = skip_spaces(s, p + 1, l.end);
      }
      if (p >= l.end) break;
      if (s[p] == '(' || s[p] == '=' || s[p] == ';' || s[p] == '[') {
        ok = !words.empty();
        end_char = s[p];
        break;
      }
      if (!ident_start(s[p])) break;
      std::size_t w = p;
      while (w < l.end && (ident_char(s[w]) || (s[w] == ':' && w + 1 < l.end && s[w + 1] == ':'))) {
        w += s[w] == ':' ? 2 : 1;
        // `sink<M>::sink`: template arguments inside a qualified name (closed on the line,
        // followed by `::`).
        if (w < l.end && s[w] == '<' && cpp) {
          std::size_t a = w + 1;
          int depth = 1;
          while (a < l.end && depth > 0 && std::strchr(";{}()\"'", s[a]) == nullptr) {
            if (s[a] == '<') ++depth;
            if (s[a] == '>') --depth;
            ++a;
          }
          if (depth == 0 && a + 1 < l.end && s[a] == ':' && s[a + 1] == ':') w = a;
        }
      }
      std::string_view word = s.substr(p, w - p);
      if (word == "struct" || word == "union" || word == "enum" || word == "class" ||
          word == "typedef" || word == "return" || word == "template" || word == "using" ||
          word == "namespace" || word == "operator" || word == "case" || word == "goto" ||
          word == "else" || word == "if" || word == "while" || word == "for" || word == "do" ||
          word == "switch" || word == "sizeof" || word == "new" || word == "delete" || word == "throw") {
        break;  // not a plain declaration head
      }
      if (std::find(kCTypeKeywords.begin(), kCTypeKeywords.end(), word) != kCTypeKeywords.end()) {
        builtin = true;
      } else if (word == "static" || word == "extern" || word == "thread_local" || word == "_Thread_local" ||
                 word == "__thread") {
        storage = true;
      } else if (!is_keyword(word)) {
        words.push_back({p, w});
      }
      p = w;
    }
    if (!ok && p >= l.end && !l.in_block && !words.empty() && (builtin || words.size() >= 2) && li + 1 < lines.size()) {
      // `void LIB_INLINE` with the declarator on the next line (`ns::sink<M>::set(`): the last
      // word is a specifier macro, not the declared name.
      std::string_view last = s.substr(words.back().b, words.back().e - words.back().b);
      const CLine& next = lines[li + 1];
      std::size_t n = skip_spaces(s, next.begin, next.end);
      std::size_t ne = n;
      while (ne < next.end && (ident_char(s[ne]) || s[ne] == ':' || s[ne] == '<' || s[ne] == '>' || s[ne] == ',' ||
                               s[ne] == ' ' || s[ne] == '~')) {
        ++ne;
      }
      if (upper_ident(last) && last.size() >= 4 && last.find('_') != std::string_view::npos && next.code &&
          n < next.end && ident_start(s[n]) && ne < next.end && s[ne] == '(') {
        m.blank(words.back().b, words.back().e, "C/C++ attribute or calling-convention macro in a declaration");
      }
      continue;
    }
    if (!ok || words.size() < 2) continue;
    // The last word is the declared name; the others are types or decorations.
    std::size_t types = words.size() - 1 + (builtin ? 1 : 0);
    if (cpp && !storage && !builtin && words.size() >= 3 && end_char == '(' && !pointer && !l.in_block &&
        std::all_of(words.begin(), words.end() - 1, [&](const Word& w) {
          std::string_view x = s.substr(w.b, w.e - w.b);
          return upper_ident(x) && x.size() >= 4 && x.find('_') != std::string_view::npos;
        })) {
      // `LIB_CONSTEVAL LIB_INLINE name(`: a constructor behind several specifier macros.
      for (std::size_t k = 0; k + 1 < words.size(); ++k) {
        m.blank(words[k].b, words[k].e, "C/C++ attribute or calling-convention macro in a declaration");
      }
      continue;
    }
    if (types == 1 && words.size() == 2 && end_char == '(' && !pointer && !l.in_block) {
      // `FMT_CONSTEXPR name(`: a constructor behind a specifier macro (C++ only: in C, and
      // after static/extern, `UPPER_TYPE name(` is a function returning that type).
      if (!cpp || storage) continue;
      std::string_view word = s.substr(words[0].b, words[0].e - words[0].b);
      if (upper_ident(word) && word.size() >= 4 && word.find('_') != std::string_view::npos) {
        m.blank(words[0].b, words[0].e, "C/C++ attribute or calling-convention macro in a declaration");
      }
      continue;
    }
    for (std::size_t k = 0; k + 1 < words.size() && types > 1; ++k) {
      std::string_view word = s.substr(words[k].b, words[k].e - words[k].b);
      if (upper_ident(word) && word.size() >= 3) {
        m.blank(words[k].b, words[k].e, "C/C++ attribute or calling-convention macro in a declaration");
        --types;
      }
    }
  }
  // Specifier macros anywhere in a declaration head outside function bodies
  // (`FMT_EXPORT template <...>`, `template <...> FMT_CONSTEXPR void f()`, `FMT_API FMT_FUNC auto`):
  // an upper-case word with an underscore followed by another word.
  s = m.text();
  for (const CLine& l : lines) {
    if (!l.code || l.in_block) continue;
    for (std::size_t p = l.begin; p < l.end; ++p) {
      if (!ident_start(s[p]) || (p > l.begin && (ident_char(s[p - 1]) || s[p - 1] == ':' || s[p - 1] == '.' || s[p - 1] == '>'))) continue;
      std::size_t w = p;
      while (w < l.end && ident_char(s[w])) ++w;
      std::string_view word = s.substr(p, w - p);
      std::size_t n = skip_spaces(s, w, l.end);
      if (upper_ident(word) && word.size() >= 4 && word.find('_') != std::string_view::npos && n > w &&
          n < l.end && ident_start(s[n])) {
        std::size_t ne = n;
        while (ne < l.end && ident_char(s[ne])) ++ne;
        std::string_view next = s.substr(n, ne - n);
        // Not `TYPE_T name;`-like: the next word must be a keyword, or be followed by a word.
        std::size_t after = skip_spaces(s, ne, l.end);
        if (is_keyword(next) || next == "template" || next == "auto" ||
            (after < l.end && (ident_start(s[after]) || s[after] == '*' || s[after] == '&' || s[after] == ':'))) {
          m.blank(p, w, "C/C++ attribute or calling-convention macro in a declaration");
        }
      }
      p = w;
    }
  }
  // A pointer or reference type as a template parameter's default (`typename P = const T*>`):
  // the grammar reads `T*>` as an expression; the default goes (it changes no metric).
  s = m.text();
  if (cpp) {
    for (std::size_t p = s.find("template"); p != std::string_view::npos; p = s.find("template", p + 8)) {
      if (p > 0 && ident_char(s[p - 1])) continue;
      std::size_t lt = skip_ws(s, p + 8);
      if (lt >= s.size() || s[lt] != '<') continue;
      int depth = 0;
      std::size_t eq = std::string_view::npos;
      bool kind_type = false;  // the current parameter is `typename X` / `class X`
      std::size_t param = lt + 1;
      for (std::size_t q = lt; q < s.size() && q < lt + 2000; ++q) {
        char ch = s[q];
        if (ch == '(' || ch == '[' || ch == '{') ++depth;
        if (ch == ')' || ch == ']' || ch == '}') --depth;
        if (ch == '<') ++depth;
        if (depth == 1 && ch == '=' && eq == std::string_view::npos) {
          std::size_t k = skip_ws(s, param);
          kind_type = is_word_at(s, k, "typename") || is_word_at(s, k, "class");
          eq = q;
        }
        if ((ch == ',' && depth == 1) || (ch == '>' && depth == 1)) {
          if (eq != std::string_view::npos) {
            std::string_view def = s.substr(eq, q - eq);
            std::size_t last = def.find_last_not_of(" \t\r\n");
            std::string_view decl = s.substr(param, eq - param);
            std::size_t dlast = decl.find_last_not_of(" \t\r\n");
            bool unnamed_pointer = dlast != std::string_view::npos && (decl[dlast] == '*' || decl[dlast] == '&');
            if ((kind_type && last != std::string_view::npos && (def[last] == '*' || def[last] == '&')) ||
                unnamed_pointer) {
              m.blank(eq, q, "C++ pointer type as a template parameter default");
            }
          }
          eq = std::string_view::npos;
          param = q + 1;
        }
        if (ch == '>' && --depth == 0) break;
      }
    }
  }
  // A macro as a template parameter: `template <typename T, FMT_ENABLE_IF(cond)>`.
  s = m.text();
  for (std::size_t p = s.find("template"); p != std::string_view::npos; p = s.find("template", p + 8)) {
    std::size_t lt = skip_spaces(s, p + 8, s.size());
    if (lt >= s.size() || s[lt] != '<') continue;
    std::size_t depth = 0, q = lt;
    std::size_t last_sep = lt;  // the '<' or the last top-level comma
    for (; q < s.size() && q < lt + 2000; ++q) {
      char c = s[q];
      if (c == '<' || c == '(') ++depth;
      if (c == '>' || c == ')') {
        if (--depth == 0) break;
      }
      if (c == ',' && depth == 1) last_sep = q;
      if (depth == 1 && ident_start(c) && !ident_char(s[q - 1])) {
        std::size_t w = q;
        while (w < s.size() && ident_char(s[w])) ++w;
        std::size_t open = skip_spaces(s, w, s.size());
        if (upper_ident(s.substr(q, w - q)) && w - q >= 4 && open < s.size() && s[open] == '(') {
          std::size_t close = paren_end(s, open, std::min(s.size(), open + 2000));
          std::size_t after = close == std::string_view::npos ? close : skip_spaces(s, close, s.size());
          while (after != std::string_view::npos && after < s.size() && (s[after] == '\n' || s[after] == ' ')) ++after;
          if (after != std::string_view::npos && after < s.size() && (s[after] == '>' || s[after] == ',')) {
            m.blank(last_sep == lt ? q : last_sep, close, "C/C++ macro as a template parameter");
            q = close - 1;
            continue;
          }
        }
        q = w - 1;
      }
    }
  }
  // `struct T` as a macro argument: `container_of(p, struct T, field)`.
  s = m.text();
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '(' && c != ',') continue;
    std::size_t k = skip_spaces(s, i + 1, s.size());
    std::size_t w = k;
    while (w < s.size() && ident_char(s[w])) ++w;
    std::string_view kw = s.substr(k, w - k);
    if (kw != "struct" && kw != "union" && kw != "enum") continue;
    std::size_t n = skip_spaces(s, w, s.size());
    std::size_t ne = n;
    while (ne < s.size() && ident_char(s[ne])) ++ne;
    if (ne == n) continue;
    std::size_t after = skip_spaces(s, ne, s.size());
    if (after < s.size() && (s[after] == ',' || s[after] == ')')) {
      m.blank(k, w, "C/C++ struct type as a macro argument");
    }
  }
}

// ---- Kotlin ---------------------------------------------------------------------------------

// True when s[from, to) is code with no literal open at `to` and no comment before it (an
// even number of double quotes, no `//`, not a comment continuation line).
bool plain_code_before(std::string_view s, std::size_t from, std::size_t to) {
  std::string_view t = s.substr(from, to - from);
  if (t.starts_with("*") || t.starts_with("/*") || t.find("//") != std::string_view::npos) return false;
  return std::count(t.begin(), t.end(), '"') % 2 == 0;
}

// A Kotlin 2.1 guard in a `when` entry: `is Error if e.code == 409 ->` or `else if ready ->`
// (s[i] is the `if`). The entry's subject condition ends right before it (a word, `)`, `]`, `>`
// or `?`), an arrow follows on the line with no block before it, and the line does not begin
// with a brace or `if` (an if-else chain). The guard is joined to the entry's condition with
// `&&`, so its decision counts: `   Error && e.code == 409 ->` (an `is`/`in` test of a plain
// name reads as that name); a type test of another shape (`is List<*>`, `is T?`) takes the
// guard as a second condition, `is T?,  cond ->` (not counted); `else if` is blanked.
void mask_kotlin_guard(Masker& m, std::string_view s, std::size_t i) {
  if (i < 2 || s[i - 1] != ' ' || i + 2 >= s.size() || (s[i + 2] != ' ' && s[i + 2] != '(')) return;
  char prev = s[i - 2];
  if (!(ident_char(prev) || prev == ')' || prev == ']' || prev == '>' || prev == '?')) return;
  std::size_t b = line_begin(s, i);
  std::size_t first = skip_spaces(s, b, i);
  if (first >= i - 1 || s[first] == '}' || s[first] == '{' || is_word_at(s, first, "if") ||
      !plain_code_before(s, first, i)) {
    return;
  }
  std::size_t eol = s.find('\n', i);
  if (eol == std::string_view::npos) eol = s.size();
  std::size_t arrow = s.find("->", i);
  if (arrow == std::string_view::npos || arrow >= eol) return;
  std::string_view guard = s.substr(i, arrow - i);
  if (guard.find('{') != std::string_view::npos || guard.find('"') != std::string_view::npos) return;
  std::string_view before = s.substr(first, i - 1 - first);
  if (before.find("->") != std::string_view::npos || before.find('=') != std::string_view::npos) {
    if (!(before.find("==") != std::string_view::npos || before.find("!=") != std::string_view::npos)) return;
  }
  if (before == "else") {
    m.blank(first, i + 2, "Kotlin guard condition in a when entry (`is T if cond ->`)");
    return;
  }
  const bool test = before.starts_with("is ") || before.starts_with("!is ") || before.starts_with("in ") ||
                    before.starts_with("!in ");
  const std::size_t keyword = before.find(' ');
  if (test) {
    std::string_view name = trim_view(before.substr(keyword));
    bool plain = !name.empty() && ident_start(name[0]) &&
                 std::all_of(name.begin(), name.end(), [](char c) { return ident_char(c) || c == '.'; });
    if (!plain) {
      m.put(i - 1, ",  ", "Kotlin guard condition in a when entry (`is T if cond ->`)");
      return;
    }
    m.blank(first, first + keyword, "Kotlin guard condition in a when entry (`is T if cond ->`)", false);
  }
  m.put(i - 1, " &&", "Kotlin guard condition in a when entry (`is T if cond ->`)");
}

// `context(scope: Scope)` / `context(Scope)` before a declaration (context parameters and
// receivers, newer than the grammar): blanked when it begins its line and a declaration
// keyword, modifier or annotation follows it.
void mask_kotlin_context(Masker& m, std::string_view s, std::size_t i, std::size_t w) {
  std::size_t b = line_begin(s, i);
  if (skip_spaces(s, b, i) != i || w >= s.size() || s[w] != '(') return;
  std::size_t close = paren_end(s, w, std::min(s.size(), w + 400));
  if (close == std::string_view::npos) return;
  std::size_t next = skip_ws(s, close);
  if (next < s.size() && s[next] == '@') {
    m.blank(i, close, "Kotlin context parameters `context(...)` before a declaration");
    return;
  }
  std::size_t ne = word_end(s, next);
  static constexpr std::array<std::string_view, 22> kDecl = {
      "fun", "val", "var", "class", "interface", "object", "suspend", "inline", "private", "public",
      "internal", "protected", "override", "operator", "infix", "abstract", "open", "final",
      "data", "sealed", "tailrec", "context"};
  std::string_view nw = s.substr(next, ne - next);
  if (std::find(kDecl.begin(), kDecl.end(), nw) != kDecl.end()) {
    m.blank(i, close, "Kotlin context parameters `context(...)` before a declaration");
  }
}

// The annotations that end right before s[end) (blanks between them skipped), earliest first,
// as [begin, end) spans: `@Inject`, `@OptIn(UnstableApi::class)`, `@param:Named("x")`.
std::vector<std::pair<std::size_t, std::size_t>> annotations_before(std::string_view s, std::size_t end) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t p = skip_ws_back(s, end, 0);
  while (p > 0) {
    std::size_t q = p;
    if (s[q - 1] == ')') {
      int depth = 0;
      std::size_t floor = q > 400 ? q - 400 : 0;
      std::size_t k = q;
      for (; k > floor; --k) {
        if (s[k - 1] == ')') ++depth;
        if (s[k - 1] == '(' && --depth == 0) break;
      }
      if (k == floor) break;
      q = k - 1;
    }
    std::size_t nb = q;
    while (nb > 0 && (ident_char(s[nb - 1]) || s[nb - 1] == '.' || s[nb - 1] == ':')) --nb;
    if (nb == q || nb == 0 || s[nb - 1] != '@') break;
    out.emplace_back(nb - 1, p);
    p = skip_ws_back(s, nb - 1, 0);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// `get` / `set` / `constructor` (soft keywords) that begin a line but are calls or names, not an
// accessor or a secondary constructor: `get<Repo>()`, `get(url).fold(...)`, `set(key, v)`,
// `constructor().release()`, `val constructor = ...`. Their first letter becomes `_`.
void mask_kotlin_soft_keyword(Masker& m, std::string_view s, std::size_t i, std::size_t w, std::string_view word) {
  std::size_t b = line_begin(s, i);
  std::size_t first = skip_spaces(s, b, i);
  if (word == "constructor") {
    // A name: after `val`/`var`/`return`, an operator or an opening bracket, or followed by `=`,
    // `.` or `)` (a declaration is followed by its parameters, a type's primary constructor comes
    // after the class name and modifiers).
    std::size_t p = skip_spaces_back(s, i, b);  // what precedes it on its line
    std::size_t pb = p;
    while (pb > 0 && ident_char(s[pb - 1])) --pb;
    std::string_view prev_word = s.substr(pb, p - pb);
    char prev = p > b ? s[p - 1] : '\n';
    std::size_t after = skip_spaces(s, w, s.size());
    char next = after < s.size() ? s[after] : '\n';
    bool name = prev_word == "val" || prev_word == "var" || prev_word == "return" || prev == '=' || prev == '(' ||
                prev == ',' || prev == '.' || prev == '+' || prev == '!' || prev == '?' ||
                (next == '=' && (after + 1 >= s.size() || s[after + 1] != '=')) || next == '.' || next == ')' || next == ',';
    if (!name && first == i && next == '(') {
      std::size_t close = paren_end(s, after, std::min(s.size(), after + 2000));
      std::size_t a2 = close == std::string_view::npos ? s.size() : skip_spaces(s, close, s.size());
      name = a2 < s.size() && (s[a2] == '.' || (s[a2] == '?' && a2 + 1 < s.size() && s[a2 + 1] == '.'));
    }
    if (name) {
      m.put(i, "_", "Kotlin soft keyword used as a name or call (get/set/constructor)");
      return;
    }
    // A primary constructor after two or more annotations on their own lines (`class A\n
    // @Inject\n  @OptIn(X::class)\n  constructor(`): all but the last are blanked.
    auto anns = annotations_before(s, i);
    if (anns.size() >= 2) {
      std::size_t before = skip_spaces_back(s, anns.front().first, 0);
      if (before == 0 || s[before - 1] == '\n' || s[before - 1] == '\r') {
        for (std::size_t k = 0; k + 1 < anns.size(); ++k) {
          m.blank(anns[k].first, anns[k].second, "Kotlin annotations before a primary constructor on their own lines");
        }
      }
    }
    return;
  }
  auto anns = annotations_before(s, i);
  bool annotated_line = first != i && !anns.empty() && anns.front().first <= first;
  if ((first != i && !annotated_line) || w >= s.size()) return;
  bool call = false;
  if (s[w] == '<') {
    call = true;
  } else if (s[w] == '(') {
    std::size_t close = paren_end(s, w, std::min(s.size(), w + 2000));
    if (close == std::string_view::npos) return;
    std::string_view args = trim_view(s.substr(w + 1, close - w - 2));
    std::size_t after = skip_spaces(s, close, s.size());
    call = after < s.size() && (s[after] == '.' || (s[after] == '?' && after + 1 < s.size() && s[after + 1] == '.') ||
                                (s[after] == '!' && after + 1 < s.size() && s[after + 1] == '!'));
    if (word == "get") call = call || !args.empty();
    if (word == "set") {
      int depth = 0;
      for (char c : args) {
        if (c == '(' || c == '[' || c == '{' || c == '<') ++depth;
        if (c == ')' || c == ']' || c == '}' || c == '>') --depth;
        if (c == ',' && depth == 0) call = true;
      }
      call = call || args.empty();
    }
  } else {
    return;
  }
  if (call) {
    if (!annotated_line) m.put(i, "_", "Kotlin soft keyword used as a name or call (get/set/constructor)");
    return;
  }
  // An annotated accessor (`val name\n  @Composable\n  get() = ...`): its annotations are
  // blanked (a property without a type then reads its getter).
  for (const auto& [ab, ae] : anns) m.blank(ab, ae, "Kotlin annotations before a property accessor");
}

// An explicit backing field (Kotlin 2.x: `val state: LiveData<Boolean>` / `field =
// MutableLiveData(false)`) beginning its line after a property without an initialiser: the
// line is blanked when the initialiser ends on it (its brackets balance).
void mask_kotlin_backing_field(Masker& m, std::string_view s, std::size_t i, std::size_t w) {
  std::size_t b = line_begin(s, i);
  if (skip_spaces(s, b, i) != i || b == 0) return;
  std::size_t eq = skip_spaces(s, w, s.size());
  if (eq + 1 >= s.size() || s[eq] != '=' || s[eq + 1] == '=') return;
  std::size_t eol = s.find('\n', i);
  if (eol == std::string_view::npos) eol = s.size();
  int depth = 0;
  for (std::size_t k = eq; k < eol; ++k) {
    if (s[k] == '(' || s[k] == '[' || s[k] == '{') ++depth;
    if (s[k] == ')' || s[k] == ']' || s[k] == '}') --depth;
  }
  if (depth != 0) return;
  // the previous line declares a property with a type and no initialiser
  std::size_t pe = b - 1;
  std::size_t pb = line_begin(s, pe);
  std::string_view prev = trim_view(s.substr(pb, pe - pb));
  bool property = (prev.find("val ") != std::string_view::npos || prev.find("var ") != std::string_view::npos) &&
                  prev.find(':') != std::string_view::npos && prev.find('=') == std::string_view::npos;
  if (property) m.blank(i, eol, "Kotlin explicit backing field `field = ...`");
}

void mask_kotlin(Masker& m) {
  std::string_view s = m.text();
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '$' && s[i + 1] == '$' && (i == 0 || !ident_char(s[i - 1]))) {
      // Kotlin 2.2 multi-dollar strings: $$"..." (the dollars are blanked; `$name` inside then
      // reads as an interpolation, which changes no metric).
      std::size_t d = i;
      while (d < s.size() && s[d] == '$') ++d;
      if (d < s.size() && s[d] == '"') m.blank(i, d, "Kotlin multi-dollar string $$\"...\"");
      i = d;
      continue;
    }
    if (!ident_start(c) || (i > 0 && (ident_char(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '@' ||
                                      s[i - 1] == '`'))) {
      continue;
    }
    std::size_t w = i;
    while (w < s.size() && ident_char(s[w])) ++w;
    std::string_view word = s.substr(i, w - i);
    // Not after `fun` (`fun value(v: Int)`, `fun <T> open(x: T)` declare a function of that name).
    bool declared = i >= 4 && s.compare(i - 4, 4, "fun ") == 0;
    if (!declared && i >= 2 && s[i - 1] == ' ' && s[i - 2] == '>') {
      std::size_t lt = s.rfind("fun <", i);
      declared = lt != std::string_view::npos && s.find('\n', lt) > i && (lt == 0 || !ident_char(s[lt - 1]));
    }
    if (w < s.size() && s[w] == '(' && !declared &&
        (word == "open" || word == "inner" || word == "data" || word == "sealed" || word == "value" ||
         word == "abstract" || word == "final" || word == "lateinit" || word == "external" ||
         word == "tailrec" || word == "infix" || word == "operator" || word == "annotation")) {
      // A modifier keyword called as a function (`apply { open(file) }`): never a modifier
      // before `(`; the first letter becomes `_` so it reads as an identifier.
      m.put(i, "_", "Kotlin modifier keyword used as a function name");
    } else if (word == "if") {
      mask_kotlin_guard(m, s, i);
      s = m.text();
    } else if (word == "context") {
      mask_kotlin_context(m, s, i, w);
      s = m.text();
    } else if (word == "get" || word == "set" || word == "constructor") {
      mask_kotlin_soft_keyword(m, s, i, w, word);
      s = m.text();
    } else if (word == "field") {
      mask_kotlin_backing_field(m, s, i, w);
      s = m.text();
    }
    i = w - 1;
  }
}

}  // namespace

// ---- Objective-C and Dart (whole-file scans over code_only) ----------------------------------

std::string code_only(std::string_view src) {
  std::string out(src);
  char* p = out.data();
  const std::size_t n = out.size();
  auto blank = [p](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      if (p[k] != '\n') p[k] = ' ';
    }
  };
  std::size_t i = 0;
  while (i < n) {
    // Code: jump to the next character that may open a comment or a literal.
    while (i < n && p[i] != '/' && p[i] != '"' && p[i] != '\'') ++i;
    if (i >= n) break;
    if (p[i] == '/') {
      if (i + 1 < n && p[i + 1] == '/') {  // line comment: to the end of the line
        const void* nl = std::memchr(p + i, '\n', n - i);
        std::size_t end = nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) : n;
        std::memset(p + i, ' ', end - i);
        i = end;
      } else if (i + 1 < n && p[i + 1] == '*') {  // block comment: to `*/` (or the end)
        std::size_t j = i + 2;
        for (;;) {
          const void* star = j < n ? std::memchr(p + j, '*', n - j) : nullptr;
          if (star == nullptr) {
            j = n;
            break;
          }
          j = static_cast<std::size_t>(static_cast<const char*>(star) - p);
          if (j + 1 < n && p[j + 1] == '/') {
            j += 2;
            break;
          }
          ++j;
        }
        blank(i, j);
        i = j;
      } else {
        ++i;
      }
      continue;
    }
    // A string or character literal; unterminated, it ends with its line.
    const char quote = p[i];
    p[i++] = ' ';
    while (i < n && p[i] != '\n') {
      if (p[i] == '\\' && i + 1 < n && p[i + 1] != '\n') {
        p[i] = p[i + 1] = ' ';
        i += 2;
        continue;
      }
      const bool closing = p[i] == quote;
      p[i++] = ' ';
      if (closing) break;
    }
  }
  return out;
}

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// A macro's name by convention: upper-case letters, digits and underscores, with at least one
// underscore and one letter (NS_ENUM, API_AVAILABLE, __IOS_AVAILABLE).
bool macro_like(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])) != 0) return false;
  bool underscore = false, letter = false;
  for (char c : s) {
    if (c == '_') underscore = true;
    else if (c >= 'A' && c <= 'Z') letter = true;
    else if (!(c >= '0' && c <= '9')) return false;
  }
  return underscore && letter;
}

// Apple's SDK annotation macros (NS_STRING_ENUM, CF_SWIFT_NAME, ...): names no project declares.
bool apple_macro(std::string_view s) {
  return macro_like(s) && (s.starts_with("NS_") || s.starts_with("CF_"));
}

class ObjcMasker {
 public:
  ObjcMasker(std::string_view src, std::string& out, std::vector<FileMetrics::Assumption>& applied)
      : src_(src), code_(code_only(src)), out_(out), applied_(applied) {}

  void run() {
    int depth = 0;             // braces
    bool directive = false;    // inside a preprocessor line (continued with a backslash)
    bool stmt_start = true;    // this line may start a declaration
    char prev_last = ';';      // last code character of the previous non-blank code line
    bool container = false;    // between @interface/@implementation/@protocol and @end
    bool enum_body = false;    // the braces after a masked NS_ENUM
    int line = 0;
    for (std::size_t pos = 0; pos < code_.size(); ++line) {
      std::size_t eol = code_.find('\n', pos);
      if (eol == std::string::npos) eol = code_.size();
      std::size_t b = pos;
      while (b < eol && space(code_[b])) ++b;
      std::size_t e = eol;
      while (e > b && space(code_[e - 1])) --e;
      std::size_t next = eol + 1;
      if (b == e) {  // blank (or only comments)
        pos = next;
        continue;
      }
      if (directive || code_[b] == '#') {
        if (!directive) {
          if (container) ifdef_in_container(b, e, line);
          extern_c_guard(b, e, next, line);
        }
        directive = code_[e - 1] == '\\';
        stmt_start = true;
        pos = next;
        continue;
      }
      bool masked_line = false;
      if (depth == 0) {
        masked_line = lone_macro(b, e, line, prev_last);
        if (!masked_line && enum_macro(b, e, line)) enum_body = true;
        if (!masked_line && stmt_start) trailing_macros(b, line);
      } else if (depth == 1 && enum_body) {
        enumerator_macros(b, e, line);
      }
      if (code_[b] == '@') {
        std::string_view word = std::string_view(code_).substr(b + 1, ident_end(b + 1) - b - 1);
        if (word == "interface" || word == "implementation" || word == "protocol") {
          // `@protocol P;` and `@protocol(P)` declare nothing with a body.
          container = word != "protocol" ||
                      std::string_view(code_).substr(b, e - b).find_first_of(";(") ==
                          std::string_view::npos;
        } else if (word == "end") {
          container = false;
        }
      }
      if (!masked_line) {
        for (std::size_t i = b; i < e; ++i) {
          if (code_[i] == '{') ++depth;
          else if (code_[i] == '}' && depth > 0) --depth;
        }
        // The enum body ends with its `}` (or a forward declaration's `;`) back at depth 0.
        if (depth == 0 && code_.find_first_of("};", b) < e) enum_body = false;
        prev_last = code_[e - 1];
        stmt_start = prev_last == ';' || prev_last == '{' || prev_last == '}' || code_[b] == '@';
      }
      pos = next;
    }
  }

 private:
  void blank(std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e && i < out_.size(); ++i) {
      if (out_[i] != '\n') out_[i] = code_[i] = ' ';
    }
  }

  void note(int line, std::string detail) {
    applied_.push_back({line + 1, line + 1, "mask", std::move(detail)});
  }

  std::size_t ident_end(std::size_t i) const {
    while (i < code_.size() && word_char(code_[i])) ++i;
    return i;
  }

  // The end of the balanced parenthesised group starting at `open` (one past its `)`), or npos.
  std::size_t group_end(std::size_t open, std::size_t limit) const {
    int parens = 0;
    for (std::size_t i = open; i < limit; ++i) {
      if (code_[i] == '(') ++parens;
      else if (code_[i] == ')' && --parens == 0) return i + 1;
    }
    return std::string::npos;
  }

  // The directive's name (`ifdef` in `#  ifdef X`) and where it starts, or an empty name.
  std::pair<std::string_view, std::size_t> directive_name(std::size_t b, std::size_t e) const {
    std::size_t k = b + 1;
    while (k < e && space(code_[k])) ++k;
    return {std::string_view(code_).substr(k, ident_end(k) - k), k};
  }

  // tree-sitter-objc accepts `#if` between the members of an @interface or @implementation but
  // not `#ifdef`/`#ifndef`: they are read as `#if` (a parse needs no truth value).
  void ifdef_in_container(std::size_t b, std::size_t e, int line) {
    auto [name, at] = directive_name(b, e);
    if (name != "ifdef" && name != "ifndef") return;
    out_.replace(at, name.size(), name.size() == 5 ? "if   " : "if    ");
    note(line, fmt::format("#{} inside an Objective-C container read as #if", name));
  }

  // A conditional whose only line is `extern "C" {` or its closing `}` (the C++ guard of a C
  // header): the brace would be unbalanced in each branch, so the line is blanked.
  void extern_c_guard(std::size_t b, std::size_t e, std::size_t next, int line) {
    auto [name, at] = directive_name(b, e);
    (void)at;
    if (name != "if" && name != "ifdef") return;
    std::string_view cond = std::string_view(code_).substr(b, e - b);
    if (cond.find("__cplusplus") == std::string_view::npos) return;
    // The one line inside, then #endif.
    std::size_t l2 = next;
    std::size_t l2_end = code_.find('\n', l2);
    if (l2_end == std::string::npos) return;
    std::size_t l3_end = code_.find('\n', l2_end + 1);
    if (l3_end == std::string::npos) l3_end = code_.size();
    std::string_view inner = trim(std::string_view(src_).substr(l2, l2_end - l2));
    std::string_view endif = trim(std::string_view(code_).substr(l2_end + 1, l3_end - l2_end - 1));
    if (!endif.starts_with("#") || directive_name(static_cast<std::size_t>(endif.data() - code_.data()),
                                                   static_cast<std::size_t>(endif.data() - code_.data()) + endif.size())
                                           .first != "endif") {
      return;
    }
    std::string compact;
    for (char c : inner) {
      if (!space(c)) compact += c;
    }
    if (compact != "extern\"C\"{" && compact != "}") return;
    blank(l2, l2_end);
    note(line + 1, fmt::format("C++ guard line `{}` blanked (unbalanced brace per branch)", inner));
  }

  static std::string_view trim(std::string_view s) {
    while (!s.empty() && (space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
    return s;
  }

  // `NS_ASSUME_NONNULL_BEGIN`, `API_AVAILABLE(ios(13.0))`: a macro alone on a line outside any
  // braces, where the previous line does not continue into it.
  bool lone_macro(std::size_t b, std::size_t e, int line, char prev_last) {
    std::size_t i = ident_end(b);
    if (i == b || !macro_like(std::string_view(code_).substr(b, i - b))) return false;
    std::size_t j = i;
    while (j < e && space(code_[j])) ++j;
    if (j < e) {
      if (code_[j] != '(') return false;
      std::size_t g = group_end(j, e);
      if (g != e) return false;
    }
    static constexpr std::string_view kContinues = ",=(&|+-*/<>?:!\\[";
    if (kContinues.find(prev_last) != std::string_view::npos) return false;
    std::string name(code_.substr(b, i - b));
    blank(b, e);
    note(line, fmt::format("macro {} alone on a line read as an annotation", name));
    return true;
  }

  // `typedef NS_ENUM(NSInteger, Name) {` -> `enum Name {`, for any macro named *_ENUM or
  // *_OPTIONS taking a type and a name (NS_OPTIONS, NS_CLOSED_ENUM, NS_ERROR_ENUM, CF_ENUM...).
  // `ModeOld API_DEPRECATED("...", ios(8, 13)) = 1,` in an NS_ENUM body: an availability macro
  // after an enumerator's name is blanked.
  void enumerator_macros(std::size_t b, std::size_t e, int line) {
    std::size_t name_end = ident_end(b);
    if (name_end == b) return;
    std::size_t m = name_end;
    while (m < e && space(code_[m])) ++m;
    std::size_t me = ident_end(m);
    if (me == m || !macro_like(std::string_view(code_).substr(m, me - m))) return;
    std::size_t end = me;
    std::size_t open = me;
    while (open < e && space(code_[open])) ++open;
    if (open < e && code_[open] == '(') {
      end = group_end(open, code_.size());
      if (end == std::string::npos) return;
    }
    std::string name(code_.substr(m, me - m));
    blank(m, end);
    note(line, fmt::format("annotation macro {} after an enumerator ignored", name));
  }

  bool enum_macro(std::size_t b, std::size_t e, int line) {
    std::string_view code(code_);
    if (!code.substr(b, e - b).starts_with("typedef")) return false;
    std::size_t m = b + 7;
    if (m >= e || !space(code[m])) return false;
    while (m < e && space(code[m])) ++m;
    std::size_t me = ident_end(m);
    std::string_view macro = code.substr(m, me - m);
    if (!macro_like(macro) || !(macro.ends_with("_ENUM") || macro.ends_with("_OPTIONS"))) return false;
    std::size_t open = me;
    while (open < e && space(code[open])) ++open;
    if (open >= e || code[open] != '(') return false;
    std::size_t close = group_end(open, e);
    if (close == std::string::npos) return false;
    std::size_t comma = code.find(',', open);
    if (comma == std::string::npos || comma >= close) return false;
    std::size_t name = comma + 1;
    while (name < close && space(code[name])) ++name;
    std::size_t name_end = ident_end(name);
    if (name_end == name) return false;
    for (std::size_t k = name_end; k + 1 < close; ++k) {
      if (!space(code[k])) return false;  // more than `type, Name`
    }
    for (std::size_t k = open + 1; k < comma; ++k) {
      if (code[k] == '(') return false;
    }
    std::string macro_name(macro);
    blank(b, name);
    out_.replace(m, 4, "enum");
    blank(close - 1, close);
    note(line, fmt::format("{}(type, name) read as an enum", macro_name));
    return true;
  }

  // Annotation macros between the end of a declaration and its `;`.
  void trailing_macros(std::size_t b, int line) {
    std::string_view code(code_);
    // The statement's `;` (at parenthesis depth 0, before any brace: definitions are left alone).
    int parens = 0;
    std::size_t semi = std::string::npos;
    std::size_t limit = std::min(code.size(), b + 4096);
    for (std::size_t i = b; i < limit; ++i) {
      char c = code[i];
      if (c == '(') ++parens;
      else if (c == ')') --parens;
      else if (parens == 0 && (c == '{' || c == '}' || c == '#' || c == '@')) {
        if (c != '@' || i != b) return;
      } else if (parens == 0 && c == ';') {
        semi = i;
        break;
      }
    }
    if (semi == std::string::npos) return;
    std::string_view stmt = code.substr(b, semi - b);
    bool member = stmt.starts_with("-") || stmt.starts_with("+") || stmt.starts_with("@property");
    // Walk back over `MACRO` and `MACRO(...)`.
    struct Found {
      std::size_t begin, end;
      std::string_view name;
    };
    std::vector<Found> found;
    std::size_t end = semi;
    for (;;) {
      std::size_t i = end;
      while (i > b && (space(code[i - 1]) || code[i - 1] == '\n')) --i;
      if (i == b) break;
      if (code[i - 1] == ')') {
        int depth = 0;
        std::size_t k = i;
        while (k > b) {
          --k;
          if (code[k] == ')') ++depth;
          else if (code[k] == '(' && --depth == 0) break;
        }
        if (depth != 0) break;
        i = k;
        while (i > b && space(code[i - 1])) --i;
      }
      std::size_t s = i;
      while (s > b && word_char(code[s - 1])) --s;
      std::string_view name = code.substr(s, i - s);
      if (!macro_like(name)) break;
      found.push_back({s, end, name});
      end = s;
    }
    if (found.empty()) return;
    // What precedes the macros decides which may go: after `)` (a prototype, a block type) or in
    // a method/property declaration any macro; otherwise only Apple's, after a name.
    std::size_t p = end;
    while (p > b && (space(code[p - 1]) || code[p - 1] == '\n')) --p;
    if (p == b) return;  // nothing but macros: not an annotated declaration
    char before = code[p - 1];
    bool any = member || before == ')';
    for (const Found& f : found) {
      if (!any && !(apple_macro(f.name) && word_char(before))) continue;
      std::string name(f.name);  // a view of code_, which blank() rewrites
      blank(f.begin, f.end);
      auto newlines = std::count(code.begin() + static_cast<std::ptrdiff_t>(b),
                                 code.begin() + static_cast<std::ptrdiff_t>(f.begin), '\n');
      note(line + static_cast<int>(newlines),
           fmt::format("annotation macro {} after a declaration ignored", name));
    }
  }

  std::string_view src_;
  std::string code_;
  std::string& out_;
  std::vector<FileMetrics::Assumption>& applied_;
};

// Dart: `library;` (unnamed library directive), loop labels and empty object patterns
// (`case Loading():`, `Data<T>() => ...`), which @sengac/tree-sitter-dart 1.1.6 does not accept.
class DartMasker {
 public:
  DartMasker(std::string_view src, std::string& out, std::vector<FileMetrics::Assumption>& applied)
      : code_(code_only(src)), out_(out), applied_(applied) {}

  void run() {
    int line = 0;
    for (std::size_t pos = 0; pos < code_.size(); ++line) {
      std::size_t eol = code_.find('\n', pos);
      if (eol == std::string::npos) eol = code_.size();
      std::size_t b = pos, e = eol;
      while (b < e && space(code_[b])) ++b;
      while (e > b && space(code_[e - 1])) --e;
      pos = eol + 1;
      if (b == e) continue;
      std::string_view t = std::string_view(code_).substr(b, e - b);
      if (t == "library;" || t == "library ;") {
        blank(b, e);
        note(line, "unnamed `library;` directive ignored");
        continue;
      }
      statement_label(b, e, line);
      empty_object_patterns(b, e, line);
    }
  }

 private:
  void blank(std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (out_[i] != '\n') out_[i] = ' ';
    }
  }
  void note(int line, std::string detail) {
    applied_.push_back({line + 1, line + 1, "mask", std::move(detail)});
  }

  static bool loop_keyword_at(std::string_view s) {
    for (std::string_view k : {"for", "while", "do"}) {
      if (s.starts_with(k) && (s.size() == k.size() || !word_char(s[k.size()]))) return true;
    }
    return false;
  }

  // `outer:` labelling a loop (on its line or alone before it): the grammar has no labelled
  // statements. The label is blanked; `break outer;` still parses and still counts.
  void statement_label(std::size_t b, std::size_t e, int line) {
    std::string_view code(code_);
    std::size_t k = b;
    while (k < e && word_char(code[k])) ++k;
    if (k == b || k >= e || code[k] != ':' || (k + 1 < e && code[k + 1] == ':')) return;
    std::string_view name = code.substr(b, k - b);
    if (name == "default" || name == "case" || std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
      return;
    }
    std::size_t after = k + 1;
    while (after < e && space(code[after])) ++after;
    std::string_view rest;
    if (after < e) {
      rest = code.substr(after, e - after);
    } else {  // the loop on the next non-blank line
      std::size_t n = code.find_first_not_of(" \t\r\n", e);
      if (n == std::string_view::npos) return;
      rest = code.substr(n);
    }
    if (!loop_keyword_at(rest)) return;
    std::string label(name);
    blank(b, k + 1);
    note(line, fmt::format("statement label {}: ignored", label));
  }

  // A type name by Dart convention: upper camel case, possibly private or generated
  // (`_Loading`, `_$Data`).
  static bool type_name(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == '_' || s[i] == '$')) ++i;
    return i < s.size() && s[i] >= 'A' && s[i] <= 'Z';
  }

  // `Name()` / `Name<T>()` inside a `case` clause, or opening a line that is a switch expression
  // arm (`Name() =>`, `Name() when`, `Name() ||`, `Name() &&`, not ending with `;`; then also
  // the arm's later alternatives `|| Other()`): the empty
  // field list (and type arguments) are blanked, leaving a constant pattern with the same arms.
  void empty_object_patterns(std::size_t b, std::size_t e, int line) {
    std::string_view code(code_);
    std::size_t case_at = std::string_view::npos;
    for (std::size_t k = code.substr(b, e - b).find("case"); k != std::string_view::npos;
         k = code.substr(b, e - b).find("case", k + 4)) {
      std::size_t at = b + k;
      if ((at == b || !word_char(code[at - 1])) && at + 4 < e && !word_char(code[at + 4])) {
        case_at = at;
        break;
      }
    }
    bool arm_line = code[e - 1] != ';' && code[e - 1] != '{';
    auto word = [](char c) { return word_char(c) || c == '$'; };
    bool arm_open = false;
    for (std::size_t i = b; i < e;) {
      if (!word(code[i]) || (i > b && word(code[i - 1]))) {
        ++i;
        continue;
      }
      std::size_t name_end = i;
      while (name_end < e && word(code[name_end])) ++name_end;
      std::string_view name = code.substr(i, name_end - i);
      std::size_t k = name_end;
      if (k < e && code[k] == '<') {  // type arguments, balanced, on this line
        int angle = 0;
        for (; k < e; ++k) {
          if (code[k] == '<') {
            ++angle;
            continue;
          }
          // The closing '>' of the outermost argument list, or a character no type argument
          // holds, ends the scan.
          if ((code[k] == '>' && --angle == 0) || code[k] == '(' || code[k] == ';' || code[k] == '{') {
            break;
          }
        }
        if (k >= e || code[k] != '>') {
          i = name_end;
          continue;
        }
        ++k;
      }
      if (k + 1 >= e || code[k] != '(' || code[k + 1] != ')' || !type_name(name)) {
        i = name_end;
        continue;
      }
      std::size_t after = k + 2;
      while (after < e && space(code[after])) ++after;
      std::string_view rest = code.substr(after, e - after);
      bool in_case = case_at != std::string_view::npos && case_at < i &&
                     (rest.starts_with(":") || rest.starts_with("when") ||
                      rest.starts_with("||") || rest.starts_with("&&") ||
                      rest.starts_with(",") || rest.starts_with(")"));
      bool arm = case_at == std::string_view::npos && (i == b || arm_open) && arm_line &&
                 (rest.starts_with("=>") || rest.starts_with("when") ||
                  rest.starts_with("||") || rest.starts_with("&&"));
      if (in_case || arm) {
        arm_open = arm;  // `A() || B() =>`: the arm's later alternatives too
        blank(name_end, k + 2);
        note(line, fmt::format("empty object pattern {}() read as a constant pattern", name));
      }
      i = k + 2;
    }
  }

  std::string code_;
  std::string& out_;
  std::vector<FileMetrics::Assumption>& applied_;
};

}  // namespace

namespace {

// Runs one language's masker over a copy of `src`; the copy replaces `storage` only when a mask
// was applied.
template <class Masker>
bool run_masker(std::string_view src, std::string& storage, std::vector<FileMetrics::Assumption>& applied) {
  std::string out(src);
  std::size_t before = applied.size();
  Masker(src, out, applied).run();
  if (applied.size() == before) return false;
  storage = std::move(out);
  return true;
}

}  // namespace

bool mask_dart(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied) {
  return run_masker<DartMasker>(src, storage, applied);
}

bool mask_objc(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied) {
  return run_masker<ObjcMasker>(src, storage, applied);
}

std::string_view mask_source(std::string_view source, Language lang, std::string& storage,
                             std::vector<FileMetrics::Assumption>& applied) {
  Masker m(source, storage);
  switch (lang) {
    case Language::kSwift: mask_swift(m); break;
    case Language::kKotlin: mask_kotlin(m); break;
    case Language::kC:
    case Language::kCpp: mask_c_family(m, lang == Language::kCpp); break;
    case Language::kObjC: return mask_objc(source, storage, applied) ? std::string_view(storage) : source;
    case Language::kDart: return mask_dart(source, storage, applied) ? std::string_view(storage) : source;
    default: return source;
  }
  if (!m.changed()) return source;
  m.report(applied);
  return storage;
}

}  // namespace obscore::ast
