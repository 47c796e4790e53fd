// Same-length source masks (see masks.hpp). The scan works on code_only(src), where comments and
// literals are spaces, and writes spaces into a copy of src at the same offsets.
#include "masks.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace obscore::ast {

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

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
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
    while (i < code_.size() && ident_char(code_[i])) ++i;
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
      while (s > b && ident_char(code[s - 1])) --s;
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
      if (!any && !(apple_macro(f.name) && ident_char(before))) continue;
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
      if (s.starts_with(k) && (s.size() == k.size() || !ident_char(s[k.size()]))) return true;
    }
    return false;
  }

  // `outer:` labelling a loop (on its line or alone before it): the grammar has no labelled
  // statements. The label is blanked; `break outer;` still parses and still counts.
  void statement_label(std::size_t b, std::size_t e, int line) {
    std::string_view code(code_);
    std::size_t k = b;
    while (k < e && ident_char(code[k])) ++k;
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
      if ((at == b || !ident_char(code[at - 1])) && at + 4 < e && !ident_char(code[at + 4])) {
        case_at = at;
        break;
      }
    }
    bool arm_line = code[e - 1] != ';' && code[e - 1] != '{';
    auto word = [](char c) { return ident_char(c) || c == '$'; };
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
          if (code[k] == '<') ++angle;
          else if (code[k] == '>' && --angle == 0) break;
          else if (code[k] == '(' || code[k] == ';' || code[k] == '{') break;
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

bool mask_dart(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied) {
  std::string out(src);
  std::size_t before = applied.size();
  DartMasker(src, out, applied).run();
  if (applied.size() == before) return false;
  storage = std::move(out);
  return true;
}

bool mask_objc(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied) {
  std::string out(src);
  std::size_t before = applied.size();
  ObjcMasker(src, out, applied).run();
  if (applied.size() == before) return false;
  storage = std::move(out);
  return true;
}

}  // namespace obscore::ast
