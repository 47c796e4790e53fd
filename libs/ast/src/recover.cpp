// Declaration lines found in source text (see recover.hpp).
#include "recover.hpp"

#include <algorithm>
#include <initializer_list>

namespace obscore::ast {

namespace {

struct Keywords {
  std::initializer_list<std::string_view> functions;
  std::initializer_list<std::string_view> types;
  std::initializer_list<std::string_view> modifiers;
};

const Keywords* keywords_for(Language lang) {
  static const Keywords kKotlin{
      {"fun", "constructor", "init"},
      {"class", "object", "interface"},
      {"public", "private", "protected", "internal", "override", "open", "abstract", "final",
       "suspend", "inline", "operator", "infix", "tailrec", "external", "data", "sealed", "inner",
       "enum", "annotation", "companion", "actual", "expect", "value", "const", "lateinit"}};
  static const Keywords kSwift{
      {"func", "init", "deinit", "subscript"},
      {"class", "struct", "enum", "extension", "protocol", "actor"},
      {"public", "private", "fileprivate", "internal", "package", "open", "override", "static",
       "final", "mutating", "nonmutating", "convenience", "required", "dynamic", "optional",
       "indirect", "nonisolated", "isolated", "distributed", "lazy", "weak", "unowned", "async",
       "consuming", "borrowing"}};
  static const Keywords kPython{{"def"}, {"class"}, {"async"}};
  static const Keywords kGo{{"func"}, {}, {}};
  static const Keywords kRust{{"fn"},
                              {"impl", "trait", "mod"},
                              {"pub", "async", "unsafe", "const", "extern", "default"}};
  static const Keywords kJs{{"function", "function*"},
                            {"class"},
                            {"export", "default", "async", "declare", "abstract"}};
  switch (lang) {
    case Language::kKotlin: return &kKotlin;
    case Language::kSwift: return &kSwift;
    case Language::kPython: return &kPython;
    case Language::kGo: return &kGo;
    case Language::kRust: return &kRust;
    case Language::kJavaScript:
    case Language::kTypeScript:
    case Language::kTsx: return &kJs;
    default: return nullptr;
  }
}

bool contains(std::initializer_list<std::string_view> words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// A cursor over one line's text.
struct LineScan {
  std::string_view s;
  std::size_t i = 0;

  void spaces() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  std::string_view word() {
    std::size_t b = i;
    while (i < s.size() && ident_char(s[i])) ++i;
    if (i < s.size() && s[i] == '*' && s.substr(b, i - b) == "function") ++i;  // function*
    return s.substr(b, i - b);
  }
  // A balanced (...) group on this line, if one starts here.
  void parens() {
    if (i >= s.size() || s[i] != '(') return;
    int depth = 0;
    for (; i < s.size(); ++i) {
      if (s[i] == '(') ++depth;
      if (s[i] == ')' && --depth == 0) {
        ++i;
        return;
      }
    }
  }
  // Annotations/attributes/decorators: @Name, @a.b.Name(args), @Name<T>.
  void annotations() {
    for (;;) {
      spaces();
      if (i >= s.size() || s[i] != '@') return;
      ++i;
      while (i < s.size() && (ident_char(s[i]) || s[i] == '.' || s[i] == ':')) ++i;
      parens();
    }
  }
  bool at_end() const { return i >= s.size() || s.substr(i).starts_with("//"); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
};

// Whether the line holds annotations only (they belong to the declaration below).
bool annotation_only(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  LineScan sc{line};
  sc.spaces();
  if (sc.peek() != '@') return false;
  sc.annotations();
  sc.spaces();
  return sc.at_end();
}

// The declaration on `line`, if it starts one.
bool parse_line(std::string_view line, Language lang, const Keywords& kw, DeclLine& out) {
  LineScan sc{line};
  sc.spaces();
  out.indent = static_cast<int>(sc.i);
  bool companion = false;
  for (int guard = 0; guard < 16; ++guard) {
    sc.annotations();
    sc.spaces();
    std::size_t at = sc.i;
    std::string_view w = sc.word();
    if (w.empty()) return false;
    if (contains(kw.modifiers, w) || (lang == Language::kSwift && w == "class")) {
      // Swift's `class func`/`class var` (a modifier) versus `class Name` (a type).
      if (w == "class") {
        std::size_t save = sc.i;
        sc.spaces();
        std::string_view next = sc.word();
        sc.i = save;
        if (!contains(kw.modifiers, next) && !contains(kw.functions, next) && next != "var" &&
            next != "let") {
          sc.i = at;
          sc.word();
          sc.spaces();
          std::size_t nb = sc.i;
          while (sc.i < line.size() && (ident_char(line[sc.i]) || line[sc.i] == '.')) ++sc.i;
          out.type = true;
          out.name = std::string(line.substr(nb, sc.i - nb));
          return !out.name.empty();
        }
      }
      if (w == "companion") companion = true;
      sc.parens();  // private(set), pub(crate)
      sc.spaces();
      if (w == "extern" && sc.peek() == '"') {  // extern "C"
        std::size_t close = line.find('"', sc.i + 1);
        if (close == std::string_view::npos) return false;
        sc.i = close + 1;
      }
      continue;
    }
    char next = sc.peek();
    if (contains(kw.functions, w)) {
      if (lang == Language::kKotlin && w == "fun") {
        std::size_t save = sc.i;
        sc.spaces();
        if (sc.word() == "interface") {
          sc.spaces();
          std::size_t nb = sc.i;
          sc.word();
          out.type = true;
          out.name = std::string(line.substr(nb, sc.i - nb));
          return !out.name.empty();
        }
        sc.i = save;
      }
      if (w == "init" || w == "constructor" || w == "subscript" || w == "deinit") {
        std::size_t save = sc.i;
        sc.spaces();
        char c = sc.peek();
        sc.i = save;
        bool ok = lang == Language::kKotlin
                      ? (w == "init" ? c == '{' : c == '(')
                      : (w == "deinit" ? (c == '{' || c == '\0')
                                       : (c == '(' || c == '<' || next == '?' || next == '!'));
        return ok;
      }
      return next == ' ' || next == '\t' || next == '(' || next == '<' || next == '\0';
    }
    if (contains(kw.types, w) && (next == ' ' || next == '\t' || next == '\0' || next == '{')) {
      sc.spaces();
      std::size_t nb = sc.i;
      while (sc.i < line.size() && (ident_char(line[sc.i]) || line[sc.i] == '.')) ++sc.i;
      out.type = true;
      out.name = std::string(line.substr(nb, sc.i - nb));
      if (lang == Language::kRust && w == "impl") {
        // impl<T> Trait for Type: name the type.
        std::size_t pos = line.find(" for ");
        std::string_view tail = pos == std::string_view::npos ? line.substr(nb) : line.substr(pos + 5);
        LineScan t{tail};
        t.spaces();
        std::size_t tb = t.i;
        while (t.i < tail.size() && (ident_char(tail[t.i]) || tail[t.i] == ':')) ++t.i;
        out.name = std::string(tail.substr(tb, t.i - tb));
      }
      if (out.name.empty() && companion) out.name = "Companion";
      return !out.name.empty();
    }
    return false;
  }
  return false;
}

}  // namespace

bool scans_declarations(Language lang) { return keywords_for(lang) != nullptr; }

std::vector<DeclLine> declaration_lines(std::string_view src, Language lang, std::uint32_t begin,
                                        std::uint32_t end) {
  std::vector<DeclLine> out;
  const Keywords* kw = keywords_for(lang);
  if (kw == nullptr) return out;
  end = std::min<std::uint32_t>(end, static_cast<std::uint32_t>(src.size()));
  // Start at the beginning of begin's line; count lines from the file's start.
  std::uint32_t pos = begin;
  while (pos > 0 && src[pos - 1] != '\n') --pos;
  auto line_no = static_cast<std::uint32_t>(std::count(src.begin(), src.begin() + pos, '\n'));
  std::vector<std::uint32_t> starts;  // line starts seen, for backing up over annotation lines
  while (pos < end) {
    std::size_t nl = src.find('\n', pos);
    std::uint32_t line_end = nl == std::string_view::npos ? static_cast<std::uint32_t>(src.size())
                                                          : static_cast<std::uint32_t>(nl);
    std::string_view line = src.substr(pos, line_end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    DeclLine d;
    if (parse_line(line, lang, *kw, d)) {
      d.keyword_line = line_no;
      d.begin = pos;
      for (std::size_t k = starts.size(); k-- > 0;) {
        std::uint32_t b = starts[k];
        std::uint32_t e = k + 1 < starts.size() ? starts[k + 1] : pos;
        std::string_view prev = src.substr(b, e - b);
        if (!annotation_only(prev)) break;
        d.begin = b;
      }
      d.begin = std::max(d.begin, begin);
      out.push_back(std::move(d));
    }
    starts.push_back(pos);
    if (starts.size() > 64) starts.erase(starts.begin(), starts.begin() + 32);
    ++line_no;
    pos = line_end + 1;
  }
  return out;
}

}  // namespace obscore::ast
