// Structural extraction over masked source: declaration members (fields with wire names and
// inferred types, states, methods), Swift endpoint types, HTTP request blocks and builder chains,
// per-file facts (constants, state-holder types, supertypes) and rule contexts.
#include "extract.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "matches.hpp"
#include "obscore/core/output.hpp"

namespace obscore::patterns {

namespace {

// Scan limits for match_close: how far a bracket's partner is looked for.
constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;

// Skips a string or character literal that starts at text[i]; returns the index after it.
std::size_t skip_literal(std::string_view text, std::size_t i) {
  char q = text[i];
  bool triple = q == '"' && text.substr(i, 3) == R"(""")";
  std::size_t j = i + (triple ? 3 : 1);
  while (j < text.size()) {
    if (triple) {
      if (text.substr(j, 3) == R"(""")") return j + 3;
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
      std::size_t close = match_close(text, i, 64 * kKiB);
      if (close == kNpos) return kNpos;
      i = close;
      continue;
    }
    if (ch == ';' || ch == '=' || ch == '}') return kNpos;
  }
  return kNpos;
}

// Leading annotations (use-site targets included: @get:JvmName(...)) and modifiers.
const char* const kModifiers =
    R"(^((?:(?:@(?:\w+:)?\w+(?:\.\w+)*(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*|(?:public|private|protected|internal|open|override|final|lateinit|lazy|weak|unowned|fileprivate|nonisolated|readonly|transient|volatile|abstract|suspend|async|mutating|inline|required|convenience|dynamic|optional|vararg|crossinline|noinline|export|declare|default|synchronized|native|strictfp|sealed|data|private\(set\)|public\(set\)|internal\(set\)|fileprivate\(set\))\s+))*))";

// Removes leading annotations and modifiers; `prefix` receives them.
std::string strip_modifiers(std::string_view s, bool* is_private = nullptr, bool* is_static = nullptr,
                            std::string* prefix = nullptr) {
  static const re2::RE2 kMods(kModifiers);
  s = trim(s);
  re2::StringPiece in(s.data(), s.size());
  re2::StringPiece all;
  if (re2::RE2::PartialMatch(in, kMods, &all)) {
    std::string_view m(all.data(), all.size());
    if (is_private != nullptr) {
      *is_private = m.find("private ") != kNpos || m.find("fileprivate") != kNpos ||
                    m.find("protected ") != kNpos;
    }
    if (prefix != nullptr) prefix->append(m);
    s.remove_prefix(all.size());
  }
  if (is_static != nullptr) {
    *is_static = s.starts_with("static ") || s.starts_with("class var ") ||
                 s.starts_with("class let ") || s.starts_with("companion ");
  }
  return std::string(trim(s));
}

// The serialised key an annotation declares: @SerialName("k"), @SerializedName("k"),
// @Json(name = "k"), @JsonProperty("k"), @ColumnInfo(name = "k"), @PropertyName("k"), ORMLite
// @DatabaseField(columnName = "k"), ...
std::optional<std::string> wire_name(std::string_view annotations, std::optional<std::string>* constant = nullptr) {
  if (annotations.find('@') == kNpos) return std::nullopt;
  if (constant != nullptr) {
    static const re2::RE2 kNamed(
        R"re(@(?:\w+:)?(?:[\w.]+\.)?(?:SerialName|SerializedName|JsonProperty|Json|ColumnInfo|JsonName|PropertyName|JSONField|JsonField|Field|Property|DatabaseField)\s*\(\s*(?:([A-Za-z_][\w.]*)\s*[,)]|[^)]*?\b(?:name|value|nameInDb|columnName)\s*=\s*([A-Za-z_][\w.]*)))re");
    std::string a, b;
    re2::StringPiece in(annotations.data(), annotations.size());
    if (re2::RE2::PartialMatch(in, kNamed, &a, &b)) *constant = a.empty() ? b : a;
  }
  static const re2::RE2 kRe(
      R"re(@(?:\w+:)?(?:[\w.]+\.)?(?:SerialName|SerializedName|JsonProperty|Json|ColumnInfo|JsonName|PropertyName|JSONField|JsonField|Field|Property|DatabaseField)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|[^)]*?\b(?:name|value|nameInDb|columnName)\s*=\s*"((?:[^"\\]|\\.)*)"))re");
  std::string a, b;
  re2::StringPiece in(annotations.data(), annotations.size());
  if (re2::RE2::PartialMatch(in, kRe, &a, &b)) return a.empty() ? b : a;
  return std::nullopt;
}

// A serialisation or persistence annotation (with or without a name) on a field; androidx
// `@Keep` on a field keeps its name through shrinking, which only reflection-based
// (de)serialisation (Gson, Moshi reflect) needs.
bool has_model_annotation(std::string_view annotations) {
  static const re2::RE2 kRe(
      R"(@(?:\w+:)?(?:SerialName|SerializedName|JsonProperty|Json|ColumnInfo|PrimaryKey|Expose|JsonName|PropertyName|JSONField|Embedded|Ignore|Transient|JsonIgnore|Property|Id|Keep|DatabaseField|Getter|Setter)\b)");
  return re2::RE2::PartialMatch(re2::StringPiece(annotations.data(), annotations.size()), kRe);
}

// The type of an initialiser when it is a literal or a constructor call; nullopt otherwise.
std::optional<std::string> infer_type(std::string_view value, Lang lang) {
  std::string_view v = trim(value);
  if (v.empty()) return std::nullopt;
  bool swift = lang == Lang::kSwift;
  if (v.front() == '"') {
    std::size_t e = skip_literal(v, 0);
    if (e == v.size()) return std::string("String");
    return std::nullopt;
  }
  if (v == "true" || v == "false") return std::string(swift ? "Bool" : "Boolean");
  static const re2::RE2 kInteger(R"(-?\d[\d_]*([lL]?))");
  static const re2::RE2 kFloating(R"(-?\d[\d_]*\.\d+(?:[eE][-+]?\d+)?([fF]?))");
  static const re2::RE2 kSwiftArray(R"((\[[\w.<>\[\]: ?,]+\])\(\))");
  static const re2::RE2 kCtor(R"(([A-Z][\w.]*(?:<[\w.<>, ?]*>)?)\s*\(.*\))");
  std::string suffix, type;
  re2::StringPiece in(v.data(), v.size());
  if (re2::RE2::FullMatch(in, kInteger, &suffix)) return std::string(suffix.empty() ? "Int" : "Long");
  if (re2::RE2::FullMatch(in, kFloating, &suffix)) return std::string(suffix.empty() ? "Double" : "Float");
  if (swift && re2::RE2::FullMatch(in, kSwiftArray, &type)) return type;
  if (re2::RE2::FullMatch(in, kCtor, &type)) {
    std::size_t open = v.find('(');
    if (match_close(v, open, v.size()) == v.size() - 1) return type;  // the call is the whole value
  }
  return std::nullopt;
}

// One parameter or field declaration (modifiers already removed) -> a field; empty name when it
// is not one.
Field parse_declaration(std::string_view decl, Lang lang) {
  static const re2::RE2 kTyped(R"(^(?:(?:val|var|let)\s+)?`?([A-Za-z_]\w*)`?\??\s*:\s*(.+?)\s*(?:=.*)?$)");
  static const re2::RE2 kUntyped(R"(^(?:val|var|let)\s+`?([A-Za-z_]\w*)`?\s*=\s*(.+)$)");
  static const re2::RE2 kJava(R"(^((?:final\s+)?[A-Za-z_][\w.]*(?:\s*<.*>)?(?:\s*\[\s*\])*(?:\.\.\.)?)\s+([A-Za-z_]\w*)\s*(?:=.*)?$)");
  Field f;
  std::string s(trim(decl));
  if (s.empty()) return f;
  std::string name, type;
  re2::StringPiece in(s);
  if (re2::RE2::FullMatch(in, kTyped, &name, &type)) {
    f.name = name;
    f.type = core::collapse_whitespace(type);
  } else if (re2::RE2::FullMatch(in, kUntyped, &name, &type)) {
    f.name = name;
    f.type = infer_type(type, lang);
  } else if (lang != Lang::kSwift && lang != Lang::kKotlin && re2::RE2::FullMatch(in, kJava, &type, &name)) {
    if (type == "return" || type == "else" || type == "new" || type == "throw") return {};
    f.name = name;
    f.type = core::collapse_whitespace(type);
  }
  return f;
}

std::string leading_identifier(std::string_view s);

// A declaration of several names -> one field each: Swift `let id, typeID: Int` (the names
// before a typed one share its type), Kotlin `var a = 1, b = 2`, Java `long next, previous;`.
// Empty when the declaration names one field (parse_declaration reads it).
std::vector<Field> parse_declarations(std::string_view decl, Lang lang) {
  std::vector<Field> out;
  std::string s(trim(decl));
  if (lang == Lang::kSwift || lang == Lang::kKotlin) {
    static const re2::RE2 kHead(R"(^((?:val|var|let)\s+)(.*,.*)$)");
    std::string kw, rest;
    if (!re2::RE2::FullMatch(s, kHead, &kw, &rest)) return out;
    auto parts = split_top(rest, ',');
    if (parts.size() < 2) return out;
    std::vector<Field> fields;
    for (auto part : parts) {
      Field f = parse_declaration(kw + std::string(trim(part)), lang);
      if (f.name.empty()) {
        static const re2::RE2 kBareName(R"(^\s*`?([A-Za-z_]\w*)`?\s*$)");
        std::string name;
        if (!re2::RE2::FullMatch(std::string(part), kBareName, &name)) return {};
        f.name = name;
      }
      fields.push_back(std::move(f));
    }
    // untyped names take the type of the next typed one (`let a, b: Int`)
    for (std::size_t i = fields.size(); i-- > 0;) {
      if (!fields[i].type && i + 1 < fields.size()) fields[i].type = fields[i + 1].type;
    }
    return fields;
  }
  if (lang == Lang::kJava) {
    static const re2::RE2 kJavaMulti(R"(^((?:final\s+)?[A-Za-z_][\w.]*(?:\s*<.*>)?(?:\s*\[\s*\])*)\s+([A-Za-z_]\w*\s*(?:=[^,]*)?(?:,\s*[A-Za-z_]\w*\s*(?:=[^,]*)?)+)$)");
    std::string type, names;
    if (!re2::RE2::FullMatch(s, kJavaMulti, &type, &names)) return out;
    if (type == "return" || type == "else" || type == "new" || type == "throw") return out;
    for (auto part : split_top(names, ',')) {
      std::string name = leading_identifier(trim(part));
      if (name.empty()) return {};
      Field f;
      f.name = name;
      f.type = core::collapse_whitespace(type);
      out.push_back(std::move(f));
    }
  }
  return out;
}

// Swift `enum CodingKeys: String, CodingKey { case a = "x", b }` in a type body -> {name: key}.
std::map<std::string, std::string> coding_keys(std::string_view inner) {
  std::map<std::string, std::string> keys;
  static const re2::RE2 kHead(R"(\benum\s+CodingKeys\b[^{]*\{)");
  re2::StringPiece in(inner.data(), inner.size()), m;
  if (!re2::RE2::PartialMatch(in, "(" + kHead.pattern() + ")", &m)) return keys;
  std::size_t open = static_cast<std::size_t>(m.data() - inner.data()) + m.size() - 1;
  std::size_t close = match_close(inner, open, inner.size());
  if (close == kNpos) return keys;
  for (const auto& st : body_statements(inner.substr(open + 1, close - open - 1))) {
    std::string_view t = st.text;
    if (!t.starts_with("case ")) continue;
    for (auto part : split_top(t.substr(5), ',')) {
      std::string_view p = trim(part);
      std::size_t eq = p.find('=');
      std::string name(trim(p.substr(0, eq)));
      if (name.empty()) continue;
      if (eq == kNpos) {
        keys[name] = name;
        continue;
      }
      std::string_view value = trim(p.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        keys[name] = std::string(value.substr(1, value.size() - 2));
      }
    }
  }
  return keys;
}

bool is_accessor_like(std::string_view name, std::string_view class_name) {
  static const re2::RE2 kAccessor(R"((?:get|set|is|has)[A-Z_]\w*)");
  static const char* const kKnown[] = {"equals",  "hashCode", "toString", "describeContents",
                                       "writeToParcel", "compareTo", "clone", "copy", "builder",
                                       "newBuilder", "readFromParcel", "createFromParcel", "newArray"};
  if (name == class_name) return true;
  for (const char* k : kKnown) {
    if (name == k) return true;
  }
  return re2::RE2::FullMatch(re2::StringPiece(name.data(), name.size()), kAccessor);
}

// The property a getter or setter reads or writes (`getUserName()` -> "username", `isActive()`
// -> "active"), lower-cased; empty when `decl` (`name(params)`) is not shaped like one: a setter
// takes one parameter (a getter may take some: `getDisplayedTime(context)` formats its field).
std::string accessed_property(std::string_view decl, std::string_view name) {
  // `getUserName`, and `getavatar_normal` for a snake_case field `avatar_normal` (as some
  // JSON-to-POJO generators write them)
  static const re2::RE2 kAccessor(R"((get|set|is|has)([A-Z_]\w*|[a-z][a-z0-9]*_\w*))");
  std::string verb, prop;
  if (!re2::RE2::FullMatch(re2::StringPiece(name.data(), name.size()), kAccessor, &verb, &prop)) return {};
  std::size_t open = decl.find('(', decl.find(name));
  std::size_t close = open == kNpos ? kNpos : match_close(decl, open, decl.size());
  if (close == kNpos) return {};
  std::string_view params = trim(decl.substr(open + 1, close - open - 1));
  std::size_t n = params.empty() ? 0 : split_top(params, ',').size();
  if (verb == "set" && n != 1) return {};
  for (auto& c : prop) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prop;
}

// The first group of the last match of `re` in the 2 KiB of `text` before `before`: the
// declaration nearest before a use (`fun set(value: Mode)` before `_mode.value = value`).
std::string last_group_before(std::string_view text, std::size_t before, const re2::RE2& re) {
  std::size_t from = before > 2048 ? before - 2048 : 0;
  std::string_view window = text.substr(from, before - from);
  re2::StringPiece win(window.data(), window.size()), g[2];
  std::size_t pos = 0;
  std::string found;
  while (pos < window.size() && re.Match(win, pos, window.size(), re2::RE2::UNANCHORED, g, 2)) {
    pos = static_cast<std::size_t>(g[0].data() - window.data()) + g[0].size();
    found.assign(g[1].data(), g[1].size());
  }
  return found;
}

// A held type as written, and its simple name when written `Outer.Name` (an unqualified match
// in the same file; held() in run.cpp decides for nested types).
void push_held(std::vector<std::string>& types, std::string_view type) {
  types.emplace_back(type);
  if (std::size_t dot = type.rfind('.'); dot != std::string_view::npos) types.emplace_back(type.substr(dot + 1));
}

// Whether `name` is assigned (`name = `, `self.name = `, not `==`) in `text` after `from`.
bool assigned_after(std::string_view text, std::string_view name, std::size_t from) {
  for (std::size_t p = text.find(name, from); p != std::string_view::npos; p = text.find(name, p + 1)) {
    if (p > 0 && (std::isalnum(static_cast<unsigned char>(text[p - 1])) || text[p - 1] == '_')) continue;
    std::size_t q = p + name.size();
    if (q < text.size() && (std::isalnum(static_cast<unsigned char>(text[q])) || text[q] == '_')) continue;
    while (q < text.size() && (text[q] == ' ' || text[q] == '\t')) ++q;
    if (q + 1 < text.size() && text[q] == '=' && text[q + 1] != '=') return true;
    if (q + 1 < text.size() && std::strchr("+-", text[q]) != nullptr && text[q + 1] == '=') return true;
  }
  return false;
}

struct FieldScan {
  std::vector<Field> fields;
  bool annotated = false;     // some field has a serialisation/persistence annotation
  bool ui_config = false;     // some field holds an Android resource id (@StringRes, @LayoutRes, ...)
  std::vector<std::string> accessed;  // properties of the getters and setters (see accessed_property)
  std::vector<std::string> setters;   // properties of the setters alone
  bool behaviour = false;     // some method is not an accessor, constructor or Object method
  bool public_fields = false;  // some instance field is public (read without getters)
  std::vector<Field> abstract_accessors;  // Java `public abstract String name();` (AutoValue)
};

FieldScan scan_fields(std::string_view code, std::size_t open, Lang lang, std::string_view class_name) {
  FieldScan out;
  std::size_t close = match_close(code, open, 4 * kMiB);
  if (close == kNpos) return out;
  std::string_view inner = code.substr(open + 1, close - open - 1);
  if (code[open] == '(') {
    for (auto part : split_top(inner, ',')) {
      std::string prefix;
      std::string s = strip_modifiers(part, nullptr, nullptr, &prefix);
      Field f = parse_declaration(s, lang);
      if (f.name.empty()) continue;
      f.wire_name = wire_name(prefix, &f.wire_constant);
      out.annotated = out.annotated || has_model_annotation(prefix);
      out.fields.push_back(std::move(f));
    }
    return out;
  }
  static const re2::RE2 kSkip(R"(^(?:fun|func|init|deinit|case|class|struct|enum|interface|object|companion|return|if|for|while|switch|get|set|subscript|typealias|import|package|constructor|static|extension|protocol|record)\b)");
  static const re2::RE2 kMethod(R"(([A-Za-z_]\w*)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:throws\s+[\w., ]+)?$)");
  std::string pending;
  for (const auto& st : body_statements(inner)) {
    std::string prefix = pending;
    bool is_static = false;
    std::string s = strip_modifiers(st.text, nullptr, &is_static, &prefix);
    if (s.empty()) {  // annotations alone on their line: they belong to the next declaration
      pending = prefix;
      continue;
    }
    pending.clear();
    if (st.has_body) {
      std::string name;
      if (!is_static && !re2::RE2::PartialMatch(s, kSkip) && s.find('=') == kNpos &&
          re2::RE2::PartialMatch(s, kMethod, &name)) {
        std::string prop = accessed_property(s, name);
        // A fluent setter returning its own class (`Builder setItem(item) { ...; return this; }`)
        // belongs to a builder, not to data.
        if (!prop.empty() && name.starts_with("set") && !class_name.empty() &&
            s.starts_with(std::string(class_name) + " ")) {
          out.behaviour = true;
        } else if (!prop.empty()) {
          if (name.starts_with("set")) out.setters.push_back(prop);
          out.accessed.push_back(std::move(prop));
        } else {
          static const re2::RE2 kAccessorName(R"((?:get|set|is|has)[A-Z_]\w*)");
          if (re2::RE2::FullMatch(name, kAccessorName) || !is_accessor_like(name, class_name)) {
            out.behaviour = true;  // a method, or a "getter" that takes arguments (a query)
          }
        }
      }
      continue;  // computed properties, methods, nested types
    }
    if (is_static || re2::RE2::PartialMatch(s, kSkip)) continue;
    std::size_t paren = s.find('(');
    if (paren != std::string::npos && paren < s.find_first_of(":=")) {  // a call or method
      static const re2::RE2 kAccessor(R"(^([A-Za-z_][\w.]*(?:\s*<.*>)?(?:\s*\[\s*\])*)\s+([a-zA-Z_]\w*)\s*\(\s*\)\s*;?$)");
      std::string type, field;
      if (lang == Lang::kJava && prefix.find("abstract") != std::string::npos &&
          re2::RE2::FullMatch(s, kAccessor, &type, &field) && type != "void" && field != "toBuilder" &&
          field != "hashCode" && field != "toString" && field != class_name) {
        Field f;
        f.name = field;
        f.type = core::collapse_whitespace(type);
        f.wire_name = wire_name(prefix, &f.wire_constant);
        out.abstract_accessors.push_back(std::move(f));
        continue;
      }
      std::string name;
      if (re2::RE2::PartialMatch(s, kMethod, &name) && !is_accessor_like(name, class_name)) {
        out.behaviour = true;  // an abstract or interface method
      }
      continue;
    }
    while (!s.empty() && (s.back() == ',' || s.back() == ';')) s.pop_back();
    // Neither serialised nor persisted: Java `transient`, @Transient, Room's @Ignore.
    static const re2::RE2 kNotStored(R"((?:^|\s)transient\s|@(?:\w+:)?(?:Transient|Ignore)\b)");
    if (re2::RE2::PartialMatch(prefix, kNotStored)) continue;
    std::vector<Field> several = parse_declarations(s, lang);
    if (several.empty()) {
      Field f = parse_declaration(s, lang);
      if (f.name.empty()) continue;
      several.push_back(std::move(f));
    }
    for (auto& f : several) {
      f.wire_name = wire_name(prefix, &f.wire_constant);
      out.fields.push_back(std::move(f));
    }
    out.public_fields = out.public_fields || prefix.find("public ") != std::string::npos;
    out.annotated = out.annotated || has_model_annotation(prefix);
    static const re2::RE2 kResourceId(R"(@(?:androidx?\.annotation\.)?\w+Res\b)");
    out.ui_config = out.ui_config || re2::RE2::PartialMatch(prefix, kResourceId);
  }
  // Getters and setters make a data holder only when they are its fields' own: a class whose
  // every accessor reads something else (a store over SharedPreferences), or with a setter that
  // sets no field of its own (`setFullscreen(true)` acting on a window), has behaviour. A
  // getter may derive its value (`getFullName()`), also the only getter of a class whose
  // fields are public (`public String created;` ... `getFormattedDate()`).
  if (!out.accessed.empty() && lang == Lang::kJava) {
    std::set<std::string> names;
    for (const auto& f : out.fields) {
      std::string n = f.name;
      for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names.insert(n);
    }
    auto own = [&](const std::string& a) {
      return names.contains(a) || names.contains("m" + a) || names.contains("is" + a) || names.contains("_" + a);
    };
    bool any = false;
    for (const auto& a : out.accessed) any = any || own(a);
    for (const auto& a : out.setters) {
      if (!own(a)) out.behaviour = true;
    }
    if (!any && !out.public_fields) out.behaviour = true;
  }
  if (lang == Lang::kSwift) {
    auto keys = coding_keys(inner);
    for (auto& f : out.fields) {
      auto it = keys.find(f.name);
      if (it != keys.end()) f.wire_name = it->second;
    }
  }
  return out;
}

// The stored properties a Kotlin class declares in its body after its constructor (`@PrimaryKey
// var id: Long = 0`): `val`/`var` declarations without a getter, a delegate or a body; `open`
// is the constructor's '('. Nothing when the class has no body of its own.
std::vector<Field> kotlin_body_fields(std::string_view code, std::size_t open) {
  std::vector<Field> out;
  std::size_t close = match_close(code, open, 4 * kMiB);
  if (close == kNpos) return out;
  std::size_t body = find_body(code, close, close + 1);
  if (body == kNpos) return out;
  // Only supertypes may stand between the constructor and the body, never another declaration.
  std::string_view between = code.substr(close + 1, body - close - 1);
  static const re2::RE2 kOther(R"(\b(?:class|object|interface|fun|val|var|typealias|enum)\b|@)");
  if (re2::RE2::PartialMatch(re2::StringPiece(between.data(), between.size()), kOther)) return out;
  std::size_t end = match_close(code, body, 4 * kMiB);
  if (end == kNpos) return out;
  auto statements = body_statements(code.substr(body + 1, end - body - 1));
  static const re2::RE2 kNotStored(R"((?:^|\s)transient\s|@(?:\w+:)?(?:Transient|Ignore)\b)");
  static const re2::RE2 kGetter(R"(\bget\s*\()");
  std::string pending;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& st = statements[i];
    std::string prefix = pending;
    bool is_static = false;
    std::string s = strip_modifiers(st.text, nullptr, &is_static, &prefix);
    if (s.empty()) {
      pending = prefix;
      continue;
    }
    pending.clear();
    if (st.has_body || !(s.starts_with("val ") || s.starts_with("var "))) continue;
    if (re2::RE2::PartialMatch(s, kGetter) || s.find(" by ") != std::string::npos) continue;
    if (i + 1 < statements.size() && re2::RE2::PartialMatch(statements[i + 1].text, R"(^(?:\w+\s+)*get\b)")) continue;
    if (re2::RE2::PartialMatch(prefix, kNotStored)) continue;
    Field f = parse_declaration(s, Lang::kKotlin);
    if (f.name.empty()) continue;
    f.wire_name = wire_name(prefix, &f.wire_constant);
    out.push_back(std::move(f));
  }
  return out;
}

// View holders bound by annotation (ButterKnife @BindView, @InjectView; Android's @ViewById):
// fields that hold views, not data.
bool all_view_bound(std::string_view code, std::size_t open) {
  std::size_t close = match_close(code, open, 4 * kMiB);
  if (close == kNpos) return false;
  static const re2::RE2 kBind(R"(@(?:BindView|BindViews|InjectView|InjectViews|Bind|ViewById)\b)");
  std::size_t bound = 0;
  std::string pending;
  for (const auto& st : body_statements(code.substr(open + 1, close - open - 1))) {
    std::string prefix = pending;
    std::string s = strip_modifiers(st.text, nullptr, nullptr, &prefix);
    if (s.empty()) {  // annotations alone on their line belong to the next declaration
      pending = prefix;
      continue;
    }
    pending.clear();
    if (st.has_body) continue;
    if (re2::RE2::PartialMatch(prefix, kBind)) ++bound;
  }
  return bound > 0;  // a data class never holds a bound view
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

std::vector<std::string> extract_states(std::string_view text, std::size_t open, bool* associated) {
  std::vector<std::string> states;
  std::size_t close = match_close(text, open, kMiB);
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
        if (id.empty()) continue;
        std::string_view rest = trim(trim(part).substr(id.size()));
        if (rest.starts_with("(")) *associated = true;
        states.push_back(std::move(id));
      }
    }
    return states;
  }
  // Kotlin / Java / TypeScript enums: the constants before the first top-level ';'.
  std::string_view constants = inner;
  auto semis = split_top(inner, ';');
  if (!semis.empty()) constants = semis.front();
  static const re2::RE2 kEyword(R"(^(?:fun|val|var|private|public|protected|internal|override|companion|abstract|static|final|init|constructor)\b)");
  for (auto part : split_top(constants, ',')) {
    std::string_view p = trim(part);
    if (p.empty() || re2::RE2::PartialMatch(re2::StringPiece(p.data(), p.size()), kEyword)) continue;
    std::string id = leading_identifier(p);
    if (!id.empty()) states.push_back(std::move(id));
  }
  return states;
}

std::vector<std::string> extract_methods(std::string_view text, std::size_t open) {
  std::vector<std::string> methods;
  std::size_t close = match_close(text, open, kMiB);
  if (close == kNpos) return methods;
  static const re2::RE2 kFun(R"(^(?:fun|func)\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?`?([A-Za-z_]\w*)`?\s*[(<])");
  static const re2::RE2 kJava(R"(^(?:<[^>]*>\s*)?[\w.<>\[\], ?]+\s+([A-Za-z_]\w*)\s*\()");
  static const re2::RE2 kTs(R"(^(?:async\s+)?([A-Za-z_]\w*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{=]*)?$)");
  static const re2::RE2 kNotMethod(R"(^(?:return|new|if|else|for|while|switch|catch|throw|do|try|super|this)\b)");
  for (const auto& st : body_statements(text.substr(open + 1, close - open - 1))) {
    if (!st.has_body) continue;
    bool is_private = false;
    std::string s = strip_modifiers(st.text, &is_private);
    if (is_private || s.empty() || re2::RE2::PartialMatch(s, kNotMethod)) continue;
    std::string name;
    if (re2::RE2::PartialMatch(s, kFun, &name) || re2::RE2::PartialMatch(s, kTs, &name) ||
        (s.find('=') == kNpos && re2::RE2::PartialMatch(s, kJava, &name))) {
      if (name != "init" && name != "constructor") methods.push_back(std::move(name));
    }
  }
  return methods;
}


// The name of the method whose body holds code[pos] (Java): the nearest enclosing `{` that opens
// a method (`name(...) [throws ...] {`), past control blocks and lambdas; empty when there is none
// (a field initialiser, an anonymous class's body is its method's).
std::string_view enclosing_method(std::string_view code, std::size_t pos) {
  static constexpr std::string_view kControl[] = {"if", "for", "while", "switch", "catch", "synchronized", "try", "else", "do"};
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = enclosing_open(code, pos); i != kNpos; i = enclosing_open(code, i)) {
    std::size_t k = i;
    while (k > 0 && space(code[k - 1])) --k;
    std::size_t we = k;
    while (k > 0 && (word(code[k - 1]) || code[k - 1] == '.' || code[k - 1] == ',' || code[k - 1] == ' ')) --k;  // `throws A, B`
    if (code.substr(k, we - k).find("throws") != std::string_view::npos) we = k;
    while (we > 0 && space(code[we - 1])) --we;
    if (we == 0 || code[we - 1] != ')') continue;  // a class body, an initialiser block, `else {`, `try {`
    // Back to the matching `(` and the name before it.
    int pd = 0;
    std::size_t j = we;
    while (j-- > 0) {
      if (code[j] == ')') ++pd;
      if (code[j] == '(' && --pd == 0) break;
    }
    if (j == kNpos) return {};
    std::size_t ne = j;
    while (ne > 0 && space(code[ne - 1])) --ne;
    std::size_t nb = ne;
    while (nb > 0 && word(code[nb - 1])) --nb;
    std::string_view name = code.substr(nb, ne - nb);
    if (name.empty() || std::find(std::begin(kControl), std::end(kControl), name) != std::end(kControl)) continue;
    if (code.substr(0, we).ends_with("->")) continue;
    return name;
  }
  return {};
}

// Is the Java field `name` (declared in code[decl_begin, decl_end)) assigned only in creation
// methods (a constructor, onCreate, onCreateView, onViewCreated, onAttach, init), or nowhere?
// An assignment is `[this.]name [\[...\]] = ` not preceded by a name character or another `.`.
bool set_only_at_creation(std::string_view code, std::string_view name, std::size_t decl_begin, std::size_t decl_end) {
  static constexpr std::string_view kCreation[] = {"onCreate", "onCreateView", "onViewCreated", "onActivityCreated",
                                                   "onAttach", "init", "setUp"};
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = code.find(name); at != kNpos; at = code.find(name, at + 1)) {
    // Where the assignment's text starts: the character before `[this.]name`, or 0.
    std::size_t lead = at;
    if (lead >= 5 && code.substr(lead - 5, 5) == "this.") lead -= 5;
    if (lead > 0 && (word(code[lead - 1]) || code[lead - 1] == '.')) continue;
    std::size_t q = at + name.size();
    while (q < code.size() && space(code[q])) ++q;
    if (q < code.size() && code[q] == '[') {
      q = code.find(']', q);
      if (q == kNpos) continue;
      ++q;
      while (q < code.size() && space(code[q])) ++q;
    }
    if (q + 1 >= code.size() || code[q] != '=' || code[q + 1] == '=') continue;
    std::size_t begin = lead > 0 ? lead - 1 : 0;
    if (begin >= decl_begin && begin < decl_end) continue;  // the declaration's own initialiser
    std::string_view method = enclosing_method(code, begin);
    bool creation = !method.empty() && (std::isupper(static_cast<unsigned char>(method.front())) != 0 ||
                                        std::find(std::begin(kCreation), std::end(kCreation), method) != std::end(kCreation));
    if (!creation) return false;
  }
  return true;
}

// The first regex match at or after `from` (within [from, to)); kNpos when none. `end` receives
// the match's end.
std::size_t find_re(std::string_view text, const re2::RE2& re, std::size_t from, std::size_t to,
                    std::size_t* end = nullptr) {
  re2::StringPiece whole(text.data(), to), m;
  if (from > to || !re.Match(whole, from, to, re2::RE2::UNANCHORED, &m, 1)) return kNpos;
  auto b = static_cast<std::size_t>(m.data() - text.data());
  if (end != nullptr) *end = b + m.size();
  return b;
}

// The cases of `switch self { ... }` in a computed property's block [b, e): {labels, value}.
// Labels are case names ("*" for default); a block without a switch yields {"*", value}.
std::vector<std::pair<std::vector<std::string>, std::string>> parse_switch(const MaskedSource& src,
                                                                          std::size_t b, std::size_t e) {
  std::string_view bare = src.bare, code = src.code;
  std::vector<std::pair<std::vector<std::string>, std::string>> out;
  auto value_of = [&](std::string_view body) {
    std::size_t r = body.rfind("return ");
    if (r != kNpos && (r == 0 || !std::isalnum(static_cast<unsigned char>(body[r - 1])))) body = body.substr(r + 7);
    body = trim(body);
    std::size_t nl = body.find('\n');
    return std::string(trim(body.substr(0, nl)));
  };
  static const re2::RE2 kSw(R"(\bswitch\s+self\s*\{)");
  std::size_t sw_end = 0;
  std::size_t sw_at = find_re(bare, kSw, b, e, &sw_end);
  if (sw_at == kNpos) {
    std::string v = value_of(code.substr(b, e - b));
    if (!v.empty()) out.push_back({{"*"}, v});
    return out;
  }
  std::size_t open = sw_end - 1;
  std::size_t close = match_close(bare, open, e - open + 1);
  if (close == kNpos) return out;
  // Case starts at depth 0 of the switch body.
  std::vector<std::size_t> starts;
  int depth = 0;
  for (std::size_t k = open + 1; k < close; ++k) {
    char c = bare[k];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (depth != 0 || (k > 0 && (std::isalnum(static_cast<unsigned char>(bare[k - 1])) || bare[k - 1] == '_'))) continue;
    if (bare.substr(k, 5) == "case " || bare.substr(k, 8) == "default:" || bare.substr(k, 8) == "default ") starts.push_back(k);
  }
  starts.push_back(close);
  for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
    std::size_t s = starts[i], t = starts[i + 1];
    // the label ends at the first ':' at depth 0
    int d = 0;
    std::size_t colon = kNpos;
    for (std::size_t k = s; k < t; ++k) {
      char c = bare[k];
      if (c == '(' || c == '[') ++d;
      if ((c == ')' || c == ']') && d > 0) --d;
      if (c == ':' && d == 0) {
        colon = k;
        break;
      }
    }
    if (colon == kNpos) continue;
    std::vector<std::string> labels;
    if (bare.substr(s, 7) == "default") {
      labels.emplace_back("*");
    } else {
      for (auto part : split_top(code.substr(s + 5, colon - s - 5), ',')) {
        std::string_view p = trim(part);
        if (p.starts_with("let ")) p = trim(p.substr(4));
        while (!p.empty() && p.front() == '.') p.remove_prefix(1);
        std::string id = leading_identifier(p);
        if (!id.empty()) labels.push_back(id);
      }
    }
    std::string v = value_of(code.substr(colon + 1, t - colon - 1));
    if (!labels.empty() && !v.empty()) out.emplace_back(labels, v);
  }
  return out;
}

// The accessor list of a Swift protocol requirement (`var path: String { get }`, `{ get set }`,
// `{ get async throws }`): a declaration without a body, neither a computed value nor storage.
bool is_requirement(std::string_view accessors) {
  static const re2::RE2 kRe(R"(\s*(?:get|set|async|throws|mutating|nonmutating)(?:\s+(?:get|set|async|throws|mutating|nonmutating))*\s*)");
  return re2::RE2::FullMatch(re2::StringPiece(accessors.data(), accessors.size()), kRe);
}

// Swift endpoint type: the match is `var path: String {` inside a type or extension; the cases
// of its switch are joined with those of `var method` in the same body by case name.
// `enum Endpoint: String { case stock = "/stock" ... case product = "/stock/products/{id}" }`:
// a path per case in its raw value (an endpoint enum when most raw values are paths); the
// method comes from the call sites (`call(.stock, method: .GET)`, see swift-case-method).
bool extract_path_enum(const MaskedSource& src, std::size_t end, Match& m) {
  std::string_view code = src.code;
  std::size_t open = end - 1;
  if (open >= code.size() || code[open] != '{') return false;
  std::size_t close = match_close(code, open, 256u << 10);
  if (close == kNpos) return false;
  std::string_view body = code.substr(open + 1, close - open - 1);
  static const re2::RE2 kCase(R"re((?:\bcase\s+|,\s*)(\w+)\s*=\s*"((?:[^"\\\n]|\\.)*)")re");
  re2::StringPiece in(body.data(), body.size());
  std::string name, value;
  std::size_t total = 0;
  std::vector<Endpoint> found;
  while (re2::RE2::FindAndConsume(&in, kCase, &name, &value)) {
    ++total;
    if (value.starts_with("/")) found.push_back({name, "\"" + value + "\"", std::nullopt});
  }
  if (found.size() < 2 || found.size() * 3 < total * 2) return false;
  m.endpoints = std::move(found);
  return true;
}

bool extract_endpoints(const MaskedSource& src, std::size_t begin, std::size_t end, Match& m) {
  std::string_view bare = src.bare;
  if (bare.compare(begin, 4, "enum") == 0) return extract_path_enum(src, end, m);
  std::size_t path_open = bare.rfind('{', end - 1);
  if (path_open == kNpos || path_open < begin) return false;
  std::size_t path_close = match_close(bare, path_open, bare.size());
  std::size_t open = enclosing_open(bare, begin);
  if (open == kNpos || path_close == kNpos) return false;
  // The enclosing body, looked at up to 256 KiB (an unclosed or huge one is cut there).
  std::size_t close = match_close(bare, open, 256u << 10);
  if (close == kNpos) close = std::min(bare.size(), open + (256u << 10));
  if (is_requirement(bare.substr(path_open + 1, path_close - path_open - 1))) return false;  // a protocol's `{ get }`
  // `var urlPath: String` is an endpoint's path only when it switches over the cases (a model's
  // computed `posterPath` is not).
  static const re2::RE2 kPlainPath(R"(\b(?:var|func)\s+path\b)");
  static const re2::RE2 kSwitchSelf(R"(\bswitch\s+self\b)");
  std::string_view path_decl = bare.substr(begin, end - begin);
  std::string_view path_body = bare.substr(path_open, path_close - path_open);
  // A body that is one literal (`func endpoint() -> String { "/api/config" }` in a one-case
  // enum): the path of every case.
  auto single_value = [&](std::size_t body_open, std::size_t body_close) -> std::optional<std::string> {
    std::string_view inner = trim(std::string_view(src.code).substr(body_open + 1, body_close - body_open - 1));
    if (inner.starts_with("return ")) inner = trim(inner.substr(7));
    std::string_view inner_bare = trim(bare.substr(body_open + 1, body_close - body_open - 1));
    if (inner.empty() || inner_bare.find_first_of("\n;{") != kNpos) return std::nullopt;
    return std::string(inner);
  };
  std::optional<std::string> one_path;
  if (!re2::RE2::PartialMatch(re2::StringPiece(path_body.data(), path_body.size()), kSwitchSelf)) {
    // only in an enum's own body (a struct's computed `imagePath` is not an endpoint)
    std::size_t hb = bare.find_last_of("{};", open == 0 ? 0 : open - 1);
    hb = hb == kNpos ? 0 : hb + 1;
    static const re2::RE2 kEnumHead(R"(\benum\s+\w+)");
    if (re2::RE2::PartialMatch(re2::StringPiece(bare.data() + hb, open - hb), kEnumHead)) {
      one_path = single_value(path_open, path_close);
    }
    if (one_path && !(one_path->size() >= 2 && one_path->front() == '"' && one_path->back() == '"')) one_path.reset();
    if (!one_path && !re2::RE2::PartialMatch(re2::StringPiece(path_decl.data(), path_decl.size()), kPlainPath)) {
      return false;
    }
  }
  auto paths = one_path ? std::vector<std::pair<std::vector<std::string>, std::string>>{{{"*"}, *one_path}}
                        : parse_switch(src, path_open + 1, path_close);
  if (paths.empty()) return false;
  const bool plain_path = re2::RE2::PartialMatch(re2::StringPiece(path_decl.data(), path_decl.size()), kPlainPath);
  // MoyaSugar's `var route: Route`: each case gives method and path together (`.get("/shots")`).
  std::vector<std::pair<std::vector<std::string>, std::string>> route_methods;
  static const re2::RE2 kRoute(R"(\bvar\s+(?:route|endpoint)\b)");
  if (re2::RE2::PartialMatch(re2::StringPiece(path_decl.data(), path_decl.size()), kRoute)) {
    // `.get("/shots")` (MoyaSugar), `.get(path: "/me")` (TinyNetworking and the like)
    static const re2::RE2 kVerbCall(R"(^\.(get|post|put|delete|patch|head|options)\s*\((?:\s*path\s*:)?(.*)\)$)");
    for (auto& [labels, value] : paths) {
      std::string verb, arg;
      if (!re2::RE2::FullMatch(value, kVerbCall, &verb, &arg)) continue;
      route_methods.emplace_back(labels, "." + verb);
      value = std::string(trim(arg));
    }
    if (route_methods.empty()) return false;
  }
  static const re2::RE2 kMethodRe(R"(\b(?:var\s+(?:method|httpMethod)\s*:\s*[\w.]+|func\s+(?:method|httpMethod)\s*\(\s*\)\s*->\s*[\w.]+)\s*\{)");
  std::vector<std::pair<std::vector<std::string>, std::string>> methods;
  std::size_t mend = 0;
  std::size_t mat = find_re(bare, kMethodRe, open, close, &mend);
  if (mat == kNpos) {  // another extension of the type in this file
    mat = find_re(bare, kMethodRe, 0, std::min(bare.size(), std::size_t{4} << 20), &mend);
  }
  if (!route_methods.empty()) {
    methods = std::move(route_methods);
  } else if (mat != kNpos) {
    std::size_t mclose = match_close(bare, mend - 1, 256u << 10);
    if (mclose != kNpos) methods = parse_switch(src, mend, mclose);
    if (methods.empty() && mclose != kNpos) {  // `func method() -> HttpMethod { .get }`
      if (auto v = single_value(mend - 1, mclose)) methods.push_back({{"*"}, *v});
    }
  }
  // `var repoPath: String { switch self ... }` with no method anywhere: a cache key or file
  // name, not an endpoint (a plain `path` stays one; Moya and friends always pair it).
  if (!plain_path && methods.empty()) return false;
  auto lookup = [](const auto& table, const std::string& name) -> std::optional<std::string> {
    std::optional<std::string> fallback;
    for (const auto& [labels, value] : table) {
      for (const auto& l : labels) {
        if (l == name) return value;
        if (l == "*") fallback = value;
      }
    }
    return fallback;
  };
  // Case names: the path switch's labels, and for a default branch the enum's own cases.
  std::vector<std::string> names;
  bool has_default = false;
  for (const auto& [labels, value] : paths) {
    for (const auto& l : labels) {
      if (l == "*") {
        has_default = true;
      } else if (std::find(names.begin(), names.end(), l) == names.end()) {
        names.push_back(l);
      }
    }
  }
  if (has_default) {
    static const re2::RE2 kHead(R"(\b(?:enum|extension)\s+(\w+))");
    std::size_t hb = bare.find_last_of("{};", open == 0 ? 0 : open - 1);
    hb = hb == kNpos ? 0 : hb + 1;
    std::string type;
    re2::StringPiece h(bare.data() + hb, open - hb);
    if (re2::RE2::PartialMatch(h, kHead, &type)) {
      re2::RE2 decl("\\benum\\s+" + type + "\\b[^{]*\\{");
      std::size_t dend = 0;
      if (find_re(bare, decl, 0, bare.size(), &dend) != kNpos) {
        bool assoc = false;
        for (auto& n : extract_states(src.code, dend - 1, &assoc)) {
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
        }
      }
    }
    if (names.empty()) names.emplace_back("default");
  }
  for (const auto& n : names) {
    auto p = lookup(paths, n);
    if (!p) continue;
    m.endpoints.push_back({n, *p, lookup(methods, n)});
  }
  // Without a method of its own, the type may take one from a protocol it conforms to
  // (`extension Api: AppTarget` with `extension AppTarget { var method: Method { .get } }`).
  if (methods.empty() && open != kNpos) {
    std::size_t hb = bare.find_last_of("{};", open == 0 ? 0 : open - 1);
    hb = hb == kNpos ? 0 : hb + 1;
    std::string_view header = bare.substr(hb, open - hb);
    std::size_t colon = header.find(':');
    if (colon != kNpos) {
      std::string conforms;
      static const re2::RE2 kName(R"(([A-Za-z_][\w.]*))");
      re2::StringPiece in(header.data() + colon + 1, header.size() - colon - 1);
      std::string name;
      while (re2::RE2::FindAndConsume(&in, kName, &name)) {
        if (name == "where") break;
        conforms += (conforms.empty() ? "" : ",") + name;
      }
      if (!conforms.empty()) m.captures.emplace_back("conforms", conforms);
    }
  }
  return !m.endpoints.empty();
}


// Whether a name declared at `decl` is in scope at `use`: no block that holds the declaration
// closes between them (a local of another function is not this one's).
bool in_scope(std::string_view bare, std::size_t decl, std::size_t use) {
  int depth = 0;
  for (std::size_t k = decl; k < use && k < bare.size(); ++k) {
    if (bare[k] == '{') {
      ++depth;
    } else if (bare[k] == '}' && --depth < 0) {
      return false;
    }
  }
  return true;
}

// The value a local name was last given before `before` in the file (`val url = ...`), when
// that declaration is in scope there.
std::optional<std::string> local_value(std::string_view code, std::string_view bare, std::string_view name,
                                       std::size_t before) {
  if (!is_identifier(name)) return std::nullopt;
  re2::RE2 def("\\b" + std::string(name) + R"(\s*(?::\s*[\w.?<>]+\s*)?=[^=])");
  std::size_t from = before > 20000 ? before - 20000 : 0;
  std::size_t last = kNpos, last_end = 0, at = from, e = 0;
  while ((at = find_re(code, def, at, before, &e)) != kNpos) {
    last = at;
    last_end = e - 1;
    at = e;
  }
  if (last == kNpos) return std::nullopt;
  // A declaration (`String url = ...`, `let url = ...`) is seen only in its own block; an
  // assignment (`url = ...` inside an `if`) gives a variable declared further out its value.
  std::size_t q = last;
  while (q > 0 && (code[q - 1] == ' ' || code[q - 1] == '\t')) --q;
  const bool declaration = q > 0 && (std::isalnum(static_cast<unsigned char>(code[q - 1])) != 0 || code[q - 1] == '_' ||
                                     code[q - 1] == '>' || code[q - 1] == ']' || code[q - 1] == '?');
  if (declaration && !in_scope(bare, last, before)) return std::nullopt;
  return read_expression(code, last_end);
}

// The path segments of an HttpUrl builder expression as one path expression: "/" + a + "/" + B.
std::optional<std::string> segments_path(std::string_view expr) {
  static const re2::RE2 kSeg(R"((?:\.|\b)(?:addPathSegments?|addEncodedPathSegments?|encodedPath|appendPathSegments?|appendEncodedPathSegments?|path)\s*\(\s*((?:"(?:[^"\\]|\\.)*"|[\w.]+)(?:\s*,\s*(?:"(?:[^"\\]|\\.)*"|[\w.]+))*)\s*\))");
  re2::StringPiece in(expr.data(), expr.size());
  std::string args, out;
  while (re2::RE2::FindAndConsume(&in, kSeg, &args)) {
    for (auto part : split_top(args, ',')) {
      std::string_view p = trim(part);
      if (!out.empty()) out += " + ";
      out += "\"/\" + ";
      out += p;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void set_capture(Match& m, const std::string& name, std::optional<std::string> value) {
  for (auto& [n, v] : m.captures) {
    if (n == name) {
      if (!v || v->empty()) v = std::move(value);
      return;
    }
  }
  m.captures.emplace_back(name, std::move(value));
}

std::optional<std::string> capture_of(const Match& m, const std::string& name) {
  for (const auto& [n, v] : m.captures) {
    if (n == name && v && !v->empty()) return v;
  }
  return std::nullopt;
}

std::string verb_of(std::string_view call) {
  std::string v(call);
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* const kVerbs[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
  for (const char* k : kVerbs) {
    if (v == k) return v;
  }
  return {};
}

// OkHttp `Request.Builder()...url(X)...post(body)` chain, or a Ktor request block
// (`client.post { url { path("a", "b") } }`, `client.request { method = HttpMethod.Put; url(...) }`).
bool extract_request(const MaskedSource& src, std::size_t begin, std::size_t end, Match& m) {
  std::string_view code = src.code, bare = src.bare;
  std::string_view matched = bare.substr(begin, end - begin);
  std::optional<std::string> path, method;
  if (matched.find("Builder") != kNpos) {
    std::size_t i = end;
    static const re2::RE2 kCall(R"(^\s*\??\.\s*(\w+)\s*([({]))");
    while (i < bare.size()) {
      re2::StringPiece in(bare.data() + i, std::min<std::size_t>(bare.size() - i, 400)), whole;
      std::string name, bracket;
      re2::StringPiece rest = in;
      if (!re2::RE2::Consume(&rest, kCall, &name, &bracket)) break;
      std::size_t open = static_cast<std::size_t>(rest.data() - bare.data()) - 1;
      std::size_t close = match_close(bare, open, 64 * kKiB);
      if (close == kNpos) break;
      std::string args(trim(code.substr(open + 1, close - open - 1)));
      if (name == "url") {
        path = args;
      } else if (name == "method") {
        auto parts = split_top(args, ',');
        std::string_view v = trim(parts.front());
        if (v.size() >= 2 && v.front() == '"') method = verb_of(v.substr(1, v.size() - 2));
      } else if (std::string v = verb_of(name); !v.empty()) {
        method = v;
      } else if (name == "build") {
        break;
      }
      i = close + 1;
    }
    if (!path) return false;
    if (!method) method = "GET";
    std::string expr = *path;
    if (is_identifier(expr) || (expr.find('.') != kNpos && expr.find('(') == kNpos && expr.find('"') == kNpos)) {
      if (auto v = local_value(code, bare, expr, begin)) expr = *v;
    }
    // A URL object made of the string (`URL(sUrl)`, `URI.create(s)`, `Uri.parse(s)`,
    // `HttpUrl.parse(s)`, `s.toHttpUrl()`): the string.
    static const re2::RE2 kWrapped(R"(^(?:new\s+)?(?:java\.net\.)?(?:URL|URI|URI\.create|Uri\.parse|HttpUrl\.parse|HttpUrl\.get|URL\.parse)\s*\((.+)\)\s*!*$)");
    static const re2::RE2 kToUrl(R"(^(.+?)\.(?:toHttpUrl|toHttpUrlOrNull|toUri|toURL)\(\)\s*!*$)");
    std::string inner;
    if ((re2::RE2::FullMatch(expr, kWrapped, &inner) || re2::RE2::FullMatch(expr, kToUrl, &inner)) &&
        split_top(inner, ',').size() == 1) {
      expr = std::string(trim(inner));
    }
    if (auto segs = segments_path(expr)) expr = *segs;
    path = expr;
  } else {
    std::size_t open = bare.rfind('{', end - 1);
    std::string_view call_args;
    if (end > begin && bare[end - 1] == '(') {
      // `client.prepareForm(formParameters = ...) {`: the block after the arguments.
      std::size_t args_close = match_close(bare, end - 1, 64 * kKiB);
      if (args_close == kNpos) return false;
      call_args = code.substr(end, args_close - end);
      open = args_close + 1;
      while (open < bare.size() && std::isspace(static_cast<unsigned char>(bare[open])) != 0) ++open;
      if (open >= bare.size() || bare[open] != '{') return false;
    }
    if (open == kNpos || open < begin) return false;
    std::size_t close = match_close(bare, open, kMiB);
    if (close == kNpos) return false;
    std::string_view inner = code.substr(open, close - open + 1);
    static const re2::RE2 kMethodRe(R"(\bmethod\s*=\s*HttpMethod\.(\w+))");
    static const re2::RE2 kUrlRe(R"(\burl\s*\(\s*(?:urlString\s*=\s*)?((?:"(?:[^"\\]|\\.)*"|[\w.]+)(?:\s*\+\s*(?:"(?:[^"\\]|\\.)*"|[\w.]+))*)\s*\))");
    static const re2::RE2 kEncoded(R"(\bencodedPath\s*=\s*((?:"(?:[^"\\]|\\.)*"|[\w.]+)(?:\s*\+\s*(?:"(?:[^"\\]|\\.)*"|[\w.]+))*))");
    re2::StringPiece in(inner.data(), inner.size());
    std::string v;
    if (re2::RE2::PartialMatch(in, kMethodRe, &v)) method = verb_of(v);
    if (auto segs = segments_path(inner)) {
      path = *segs;
    } else if (re2::RE2::PartialMatch(in, kEncoded, &v) || re2::RE2::PartialMatch(in, kUrlRe, &v)) {
      path = v;
    }
    if (!path) path = capture_of(m, "path");
    if (!path && !call_args.empty()) {
      // A URL built in the call's argument (`request(URLBuilder(base).apply { path("api/$p")
      // }.buildString()) { ... }`).
      if (auto segs = segments_path(call_args)) path = *segs;
    }
    if (!path) {
      // The app's own helper given the path (`post { endpoint("/api/recipes") ... }`,
      // `endpoint(baseURL, "/api/app/about")`): a call whose last argument is a literal path.
      static const re2::RE2 kHelperPath(R"re(\b[a-z]\w*\s*\((?:[^()"\n]*,\s*)?("/(?:[^"\\\n]|\\.)*")\s*\))re");
      if (re2::RE2::PartialMatch(in, kHelperPath, &v)) path = v;
    }
    if (!path) return false;
    if (!method) {
      if (auto c = capture_of(m, "method")) {
        std::string_view call = *c;
        if (call.starts_with("prepare")) call.remove_prefix(7);  // prepareGet, preparePost
        method = verb_of(call);
      }
    }
    if ((!method || method->empty()) && capture_of(m, "default_post")) {
      // A form: POST, or GET when its parameters go in the query.
      static const re2::RE2 kInQuery(R"(\bencodeInQuery\s*=\s*true\b)");
      method = re2::RE2::PartialMatch(re2::StringPiece(call_args.data(), call_args.size()), kInQuery) ? "GET" : "POST";
    }
    if (!method || method->empty()) method = "GET";  // Ktor's default
  }
  set_capture(m, "path", path);
  for (auto& [n, val] : m.captures) {
    if (n == "method") val = method;
  }
  set_capture(m, "method", method);
  return true;
}

bool is_endpoint_type(std::string_view header, std::string_view body) {
  static const re2::RE2 kConf(R"(\b(?:TargetType|URLRequestConvertible|CodingKey|Error|LocalizedError|Endpoint|APIEndpoint|Router)\b)");
  static const re2::RE2 kMembers(R"(\bvar\s+(?:path|\w+Path|method|httpMethod|urlRequest|endpoint)\s*:\s*String\b[^{\n]*\{\s*switch\s+self|\bvar\s+(?:path|method|httpMethod|urlRequest|endpoint)\s*:|\bfunc\s+path\s*\(\s*\))");
  return re2::RE2::PartialMatch(re2::StringPiece(header.data(), header.size()), kConf) ||
         re2::RE2::PartialMatch(re2::StringPiece(body.data(), body.size()), kMembers);
}

// The last identifier of a dotted, possibly generic or called type reference: `a.B<T>()` -> B.
std::string simple_type(std::string_view ref) {
  std::string_view r = trim(ref);
  std::size_t cut = r.find_first_of("<(");
  if (cut != kNpos) r = r.substr(0, cut);
  std::size_t by = r.find(" by ");
  if (by != kNpos) r = r.substr(0, by);
  r = trim(r);
  std::size_t dot = r.rfind('.');
  if (dot != kNpos) r = r.substr(dot + 1);
  return is_identifier(r) ? std::string(r) : std::string();
}

}  // namespace

std::string read_expression(std::string_view code, std::size_t pos) {
  int depth = 0;
  std::size_t k = pos;
  for (; k < code.size(); ++k) {
    if (std::size_t j = skip_non_code(code, k); j != k) {
      k = j - 1;
      continue;
    }
    char c = code[k];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    }
    if (depth == 0 && (c == ';' || c == ',')) break;
    if (depth == 0 && c == '\n') {
      std::size_t n = code.find_first_not_of(" \t\r\n", k);
      std::size_t p = code.find_last_not_of(" \t\r\n", k);
      bool continues = (n != kNpos && (code[n] == '.' || code[n] == '+' || code[n] == '?')) ||
                       (p != kNpos && p >= pos && (code[p] == '+' || code[p] == '.' || code[p] == '='));
      if (!continues) break;
    }
  }
  return core::collapse_whitespace(trim(code.substr(pos, k - pos)));
}

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == kNpos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::size_t enclosing_open(std::string_view bare, std::size_t pos) {
  int depth = 0;
  std::size_t stop = pos > (256u << 10) ? pos - (256u << 10) : 0;
  for (std::size_t k = std::min(pos, bare.size()); k-- > stop;) {
    char c = bare[k];
    if (c == '}') {
      ++depth;
    } else if (c == '{') {
      if (depth == 0) return k;
      --depth;
    }
  }
  return kNpos;
}

int line_at(std::string_view text, std::size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(pos, text.size())), '\n'));
}

std::string enclosing_call(std::string_view bare, std::size_t offset) {
  std::size_t floor = offset > 2048 ? offset - 2048 : 0;
  int depth = 0;
  for (std::size_t p = offset; p-- > floor;) {
    char c = bare[p];
    if (c == ')') {
      ++depth;
    } else if (c == '(') {
      if (depth-- > 0) continue;
      std::size_t e = p;
      while (e > floor && (bare[e - 1] == ' ' || bare[e - 1] == '\t')) --e;
      std::size_t b = e;
      while (b > floor && (std::isalnum(static_cast<unsigned char>(bare[b - 1])) || bare[b - 1] == '_')) --b;
      if (b == e || b == floor || bare[b - 1] != '.') return {};
      return std::string(bare.substr(b, e - b));
    } else if (c == ';' || c == '{' || c == '}') {
      if (depth == 0) return {};
    }
  }
  return {};
}

std::optional<std::string> local_value_of(const MaskedSource& src, std::string_view name, std::size_t before) {
  return local_value(src.code, src.bare, name, before);
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

namespace {

// The protocol declarations of Swift code already masked (`bare`) with what each refines; the
// class and struct names too when `types` is given.
void add_protocols_of_bare(std::string_view bare, std::map<std::string, std::set<std::string>>& refines,
                           std::set<std::string>* types) {
  if (types != nullptr) {
    static const re2::RE2 kType(R"(\b(?:class|struct)\s+([A-Z]\w*))");
    for (Matches<2> m(kType, bare); m.next();) types->emplace(m[1]);
  }
  // A class's superclass and protocols too: a subclass of a Codable class is Codable
  // (`class MealTreatment: Treatment` with `class Treatment: NSObject, Codable`).
  static const re2::RE2 kProtocol(R"(\b(?:protocol|class)\s+([A-Z]\w*)\s*(?:<[^<>{}]*>)?\s*:\s*([^{]*)\{)");
  if (bare.find("protocol") == std::string_view::npos && bare.find("class") == std::string_view::npos) return;
  for (Matches<3> m(kProtocol, bare); m.next();) {
    auto& parents = refines[std::string(m[1])];
    std::string_view list = m[2];
    std::size_t where = list.find(" where ");
    if (where != std::string_view::npos) list = list.substr(0, where);
    for (auto part : split_top(list, ',')) {
      std::string p = simple_type(part);
      if (!p.empty()) parents.insert(std::move(p));
    }
  }
}

// True when a conformance list names no Codable protocol itself but a protocol that refines one:
// of the run (`context`, every Swift file read before the scan) or of this file (`bare`: input
// the run could not index first, such as stdin, or a scan without a context).
bool codable_through_protocol(std::string_view bare, std::string_view conforms, const ScanContext* context) {
  static const re2::RE2 kDirect(R"(\b(?:Codable|Decodable|Encodable)\b)");
  if (re2::RE2::PartialMatch(re2::StringPiece(conforms.data(), conforms.size()), kDirect)) return false;
  const auto parts = split_top(conforms, ',');
  auto names_one_of = [&](const std::set<std::string>& known) {
    return std::any_of(parts.begin(), parts.end(), [&](std::string_view part) { return known.contains(simple_type(part)); });
  };
  if (context != nullptr && names_one_of(context->codable_protocols)) return true;
  if (bare.find("protocol") == std::string_view::npos && bare.find("class") == std::string_view::npos) return false;
  std::map<std::string, std::set<std::string>> refines;
  add_protocols_of_bare(bare, refines, nullptr);
  return names_one_of(codable_protocols(refines));
}

}  // namespace

void add_swift_protocols(std::string_view text, std::map<std::string, std::set<std::string>>& refines,
                         std::set<std::string>* types) {
  if (text.find("protocol") == std::string_view::npos && text.find("class") == std::string_view::npos &&
      (types == nullptr || text.find("struct") == std::string_view::npos)) {
    return;
  }
  add_protocols_of_bare(mask_source(text, Lang::kSwift).bare, refines, types);
}

std::set<std::string> codable_protocols(const std::map<std::string, std::set<std::string>>& refines) {
  std::set<std::string> out;
  bool grew = true;
  while (grew) {  // a protocol refining one already found, until nothing is added
    grew = false;
    for (const auto& [name, parents] : refines) {
      if (out.contains(name)) continue;
      for (const auto& p : parents) {
        if (p == "Codable" || p == "Decodable" || p == "Encodable" || out.contains(p)) {
          out.insert(name);
          grew = true;
          break;
        }
      }
    }
  }
  return out;
}

bool extract(Extract kind, const MaskedSource& src, Lang lang, std::size_t begin, std::size_t end,
             Match& m) {
  std::string_view code = src.code;
  switch (kind) {
    case Extract::kNone:
      return true;
    case Extract::kFields:
    case Extract::kPojo:
    case Extract::kWireFields: {
      std::size_t open = kind == Extract::kPojo ? find_body(code, begin, end) : find_opening(code, begin, end);
      if (open == kNpos) return kind == Extract::kFields;
      std::string name;
      if (auto n = capture_of(m, "name")) name = *n;
      if (auto conforms = capture_of(m, "conforms")) {
        if (!codable_through_protocol(src.bare, *conforms, src.context)) return false;
      }
      FieldScan scan = scan_fields(code, open, lang, name);
      // AutoValue / Immutables value types: their properties are the abstract accessors.
      if (kind == Extract::kFields && lang == Lang::kJava && scan.fields.empty()) {
        scan.fields = std::move(scan.abstract_accessors);
      }
      if (lang == Lang::kKotlin && code[open] == '(') {
        for (auto& f : kotlin_body_fields(code, open)) scan.fields.push_back(std::move(f));
      }
      if (kind == Extract::kWireFields) {
        // A class (not a data class: kotlin-data-class has those) is data when some property
        // declares its serialised key.
        std::size_t line_start = code.rfind('\n', begin);
        line_start = line_start == kNpos ? 0 : line_start + 1;
        static const re2::RE2 kNotPlain(R"(\b(?:data|enum|annotation|sealed|abstract|interface)\s)");
        std::string_view decl = code.substr(line_start, begin - line_start);
        if (re2::RE2::PartialMatch(re2::StringPiece(decl.data(), decl.size()), kNotPlain)) return false;
        if (std::none_of(scan.fields.begin(), scan.fields.end(),
                         [](const Field& f) { return f.wire_name.has_value() || f.wire_constant.has_value(); })) {
          return false;
        }
      }
      if (kind == Extract::kPojo) {
        if (all_view_bound(code, open)) return false;
        // A component of the framework (view model, view holder, activity, ...) is not data.
        static const re2::RE2 kComponent(
            R"(\b(?:extends|implements)\s+[^{]*?(?:ViewModel|ViewHolder|Activity|Fragment|Adapter|Service|Receiver|Provider|View|Layout|Dialog|Application|Callback|Listener|Worker|Runnable|Thread|Handler|Presenter|Repository|Database|Helper|Manager|Controller|Module|Exception|Error|Binding|Converter|Executor|LayoutParams|SavedState|Interceptor|Authenticator|Deserializer|Serializer|TypeAdapter)\b)");
        std::string_view header = code.substr(end, open > end ? open - end : 0);
        // Dependency-injection and framework classes annotated as such are not data either.
        static const re2::RE2 kFramework(R"(@(?:Module|Component|Subcomponent|HiltAndroidApp|AndroidEntryPoint|HiltViewModel|Singleton|Service|RestController|Controller|Configuration)\b(?:\([^()]*\))?\s*(?:@[\w.]+(?:\([^()]*\))?\s*|(?:public|final|abstract|static)\s+)*$)");
        std::size_t lb = begin > 400 ? begin - 400 : 0;
        std::string_view before = code.substr(lb, begin - lb);
        if (re2::RE2::PartialMatch(re2::StringPiece(before.data(), before.size()), kFramework)) return false;
        bool is_component = re2::RE2::PartialMatch(re2::StringPiece(header.data(), header.size()), kComponent);
        // A greenDAO entity (generated, then kept and edited in the source tree) has data-access
        // methods beside its accessors: `__setDaoSession` marks it.
        std::size_t body_end = match_close(code, open, 4 * kMiB);
        if (body_end != kNpos && code.substr(open, body_end - open).find("void __setDaoSession(") != std::string_view::npos) {
          scan.annotated = true;
        }
        // A holder of views or view bindings (`ChildHolder(SubscriptionListSubItemBinding b)`)
        // is a view holder whatever its name.
        bool views_only = !scan.fields.empty() && std::all_of(scan.fields.begin(), scan.fields.end(), [](const Field& f) {
          if (!f.type) return false;
          std::string_view t = *f.type;
          return t.ends_with("Binding") || t.ends_with("View") || t.ends_with("Layout") || t.ends_with("Button") ||
                 t == "ViewGroup";
        });
        // A private nested class is a helper of the class around it, not part of the data model
        // (unless its fields are annotated for serialisation or persistence).
        std::size_t line_start = code.rfind('\n', begin);
        line_start = line_start == kNpos ? 0 : line_start + 1;
        static const re2::RE2 kPrivate(R"(\bprivate\b)");
        std::string_view decl = code.substr(line_start, begin - line_start);
        bool private_nested = re2::RE2::PartialMatch(re2::StringPiece(decl.data(), decl.size()), kPrivate);
        // A class that implements Parcelable or Serializable is written and read as data
        // (parcelling, `parse(JSONObject)` and the like are its behaviour).
        static const re2::RE2 kDataMarker(R"(\bimplements\s+[^{]*\b(?:Parcelable|Serializable)\b)");
        const bool marked = !is_component && !views_only &&
                            re2::RE2::PartialMatch(re2::StringPiece(header.data(), header.size()), kDataMarker);
        if (scan.fields.empty() ||
            ((scan.behaviour || is_component || scan.ui_config || views_only || private_nested) && !scan.annotated && !marked)) {
          return false;
        }
      }
      m.fields = std::move(scan.fields);
      return true;
    }
    case Extract::kStates: {
      std::size_t open = find_body(code, begin, end);
      if (open == kNpos) return true;
      bool associated = false;
      m.names = extract_states(code, open, &associated);
      std::size_t close = match_close(code, open, kMiB);
      std::string_view body = close == kNpos ? std::string_view() : code.substr(open, close - open);
      if (is_endpoint_type(code.substr(begin, open - begin), body)) return false;
      if (lang == Lang::kSwift) {
        if (auto name = capture_of(m, "name")) {  // an extension of it that is an endpoint type
          re2::RE2 ext("\\bextension\\s+" + *name + R"(\b[^{\n]*\b(?:TargetType|URLRequestConvertible)\b)");
          if (re2::RE2::PartialMatch(code.data(), ext)) return false;
          // `extension Outer.API: APICall { var path: String { switch self ... } }`: an
          // extension (of the name, qualified or not) whose body gives it a path or method.
          re2::RE2 any_ext(R"((\bextension\s+(?:\w+\.)*)" + *name + R"(\b[^{\n]*\{))");
          re2::StringPiece in(code.data(), code.size()), hit;
          std::size_t pos = 0;
          while (pos < code.size() && any_ext.Match(in, pos, code.size(), re2::RE2::UNANCHORED, &hit, 1)) {
            std::size_t eo = static_cast<std::size_t>(hit.data() - code.data()) + hit.size() - 1;
            pos = eo + 1;
            std::size_t ec = match_close(code, eo, kMiB);
            if (ec == kNpos) break;
            if (is_endpoint_type({}, code.substr(eo, ec - eo))) return false;
          }
        }
      }
      if (associated) set_capture(m, "associated_values", std::string("true"));
      // The type it is nested in (`struct PickerView { enum Mode ... }`): a holder written
      // `PickerView.Mode` is this enum's, not another `Mode`'s.
      if (std::size_t outer = enclosing_open(src.bare, begin); outer != kNpos) {
        static const re2::RE2 kHead(R"(\b(?:class|struct|enum|extension|interface|object)\s+(?:\w+\.)*(\w+)[^{};]*$)");
        std::size_t hb = src.bare.find_last_of("{};", outer == 0 ? 0 : outer - 1);
        hb = hb == kNpos ? 0 : hb + 1;
        std::string owner;
        if (re2::RE2::PartialMatch(re2::StringPiece(src.bare.data() + hb, outer - hb), kHead, &owner)) {
          set_capture(m, "owner", owner);
        }
      }
      return true;
    }
    case Extract::kMethods: {
      std::size_t open = find_body(code, begin, end);
      if (open != kNpos) m.names = extract_methods(code, open);
      return true;
    }
    case Extract::kEndpoints:
      return extract_endpoints(src, begin, end, m);
    case Extract::kRequest:
      return extract_request(src, begin, end, m);
  }
  return true;
}

// The open braces around increasing offsets, kept on a stack while a cursor moves forward: one
// pass over the file for any number of queries (queries must not go backwards).
class BraceCursor {
 public:
  explicit BraceCursor(std::string_view bare) : bare_(bare) {}
  const std::vector<std::size_t>& at(std::size_t offset) {
    for (; pos_ < offset && pos_ < bare_.size(); ++pos_) {
      if (bare_[pos_] == '{') {
        stack_.push_back(pos_);
      } else if (bare_[pos_] == '}' && !stack_.empty()) {
        stack_.pop_back();
      }
    }
    return stack_;
  }

 private:
  std::string_view bare_;
  std::size_t pos_ = 0;
  std::vector<std::size_t> stack_;
};

void collect_facts(const MaskedSource& src, Lang lang, FileFacts& facts) {
  if (lang != Lang::kKotlin && lang != Lang::kJava && lang != Lang::kSwift) return;
  if (lang == Lang::kSwift) {
    // A protocol extension's default HTTP method (`extension AppTarget { var method: Moya.Method
    // { return .get } }`): the method of endpoint types that conform and give none.
    static const re2::RE2 kExtension(R"(\bextension\s+([A-Za-z_]\w*)\s*(?:where\b[^{]*)?\{)");
    static const re2::RE2 kMethod(R"(\bvar\s+method\s*:\s*[\w.]+\s*\{\s*(?:return\s+)?((?:[\w.]+)?\.\w+)\s*\})");
    for (Matches<2> m(kExtension, src.bare); m.next();) {
      std::size_t open = m.end() - 1;
      std::size_t close = match_close(src.bare, open, 256 * kKiB);
      if (close == kNpos) continue;
      std::string method;
      re2::StringPiece body(src.code.data() + open, close - open);
      if (re2::RE2::PartialMatch(body, kMethod, &method)) facts.protocol_methods.emplace_back(std::string(m[1]), method);
    }
  }
  std::string_view code = src.code, bare = src.bare;
  // Type bodies: open brace -> {name, kind}.
  struct TypeBody {
    std::size_t open, close;
    std::string name, kind;
    std::size_t begin = 0;  // where the declaration starts (its header is [begin, open))
  };
  std::vector<TypeBody> types;
  static const re2::RE2 kTypeRe(R"(\b(class|object|interface|enum|struct|extension|protocol)\s+(\w+))");
  static const re2::RE2 kCompanion(R"(\bcompanion\s+object\b)");
  {
    re2::StringPiece in(bare.data(), bare.size()), m[3];
    std::size_t pos = 0;
    while (pos < bare.size() && kTypeRe.Match(in, pos, bare.size(), re2::RE2::UNANCHORED, m, 3)) {
      auto b = static_cast<std::size_t>(m[0].data() - bare.data());
      std::size_t e = b + m[0].size();
      pos = e;
      std::size_t open = find_body(bare, b, e);
      if (open == kNpos) continue;
      std::size_t close = match_close(bare, open, bare.size());
      if (close == kNpos) continue;
      types.push_back({open, close, std::string(m[2].data(), m[2].size()), std::string(m[1].data(), m[1].size()), b});
    }
    std::unordered_map<std::size_t, std::size_t> named_at;
    for (std::size_t i = 0; i < types.size(); ++i) named_at[types[i].open] = i;
    BraceCursor cursor(bare);
    pos = 0;
    while (pos < bare.size() && kCompanion.Match(in, pos, bare.size(), re2::RE2::UNANCHORED, m, 1)) {
      auto b = static_cast<std::size_t>(m[0].data() - bare.data());
      pos = b + m[0].size();
      std::size_t open = find_body(bare, b, pos);
      if (open == kNpos) continue;
      std::size_t close = match_close(bare, open, bare.size());
      if (close == kNpos) continue;
      std::string owner;
      const auto& stack = cursor.at(b);
      for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        if (auto t = named_at.find(*it); t != named_at.end()) {
          owner = types[t->second].name;
          break;
        }
      }
      types.push_back({open, close, owner, "object"});
    }
  }
  std::unordered_map<std::size_t, std::size_t> type_at;  // open brace -> index in types
  for (std::size_t i = 0; i < types.size(); ++i) type_at[types[i].open] = i;
  auto owner_of = [&](BraceCursor& cursor, std::size_t offset, bool* in_type_body, bool* singleton) {
    const auto& stack = cursor.at(offset);
    const TypeBody* best = nullptr;
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      auto t = type_at.find(*it);
      if (t != type_at.end()) {
        best = &types[t->second];
        break;
      }
    }
    *in_type_body = stack.empty() || (best != nullptr && best->open == stack.back());
    *singleton = best != nullptr && (best->kind == "object" || best->kind == "interface" || best->kind == "enum");
    return best == nullptr ? std::string() : best->name;
  };
  // Constants: string-valued initialisers, or aliases of other names.
  static const re2::RE2 kOtlinConst(R"(\b((?:const\s+)?)va[lr]\s+(\w+)\s*(?::\s*String\??\s*)?=[ \t]*)");
  static const re2::RE2 kJavaConst(R"(((?:\b(?:static|final|public|private|protected)\s+)*)\bString\s+(\w+)\s*=\s*)");
  static const re2::RE2 kSwiftConst(R"(\b((?:static\s+|class\s+)?)(?:let|var)\s+(\w+)\s*(?::\s*String\??\s*)?=[ \t]*)");
  const re2::RE2& cre = lang == Lang::kKotlin ? kOtlinConst : lang == Lang::kJava ? kJavaConst : kSwiftConst;
  static const re2::RE2 kValueish(R"(^(?:"|[A-Za-z_][\w.]*\s*(?:\+|$)|String\.format\(|[A-Za-z_][\w.]*\.concat\())");
  {
    re2::StringPiece in(code.data(), code.size()), m[3];
    std::size_t pos = 0;
    BraceCursor cursor(bare);
    while (pos < code.size() && cre.Match(in, pos, code.size(), re2::RE2::UNANCHORED, m, 3)) {
      auto b = static_cast<std::size_t>(m[0].data() - code.data());
      std::size_t e = b + m[0].size();
      pos = e;
      if (src.in_string(b)) continue;
      std::string value = read_expression(code, e);
      if (value.empty() || !re2::RE2::PartialMatch(value, kValueish)) continue;
      // `val id: String? = null`: a keyword literal is never a path's value.
      if (value == "null" || value == "nil" || value == "true" || value == "false") continue;
      if (value.find('"') == std::string::npos && value.find('+') == std::string::npos &&
          value.find('.') == std::string::npos && !is_identifier(value)) {
        continue;
      }
      std::string_view mods(m[1].data(), m[1].size());
      // A variable given another value later in the file (`var set = ""` ... `set = "f7"`)
      // is no constant: its name stays a path parameter.
      std::string_view decl(m[0].data(), m[0].size());
      const bool variable = lang == Lang::kJava ? mods.find("final") == std::string_view::npos
                                                : decl.find("var") != std::string_view::npos;
      if (variable && assigned_after(bare, std::string_view(m[2].data(), m[2].size()), e)) continue;
      bool in_type_body = false, singleton = false;
      Constant c;
      c.owner = owner_of(cursor, b, &in_type_body, &singleton);
      // A function's local belongs to no type: no qualified name (`subscription.urlString`) reaches it.
      if (!in_type_body) c.owner.clear();
      c.name = std::string(m[2].data(), m[2].size());
      c.expression = std::move(value);
      bool is_static = mods.find("const") != std::string_view::npos ||
                       mods.find("static") != std::string_view::npos ||
                       mods.find("class") != std::string_view::npos;
      c.file_local = !(in_type_body && (is_static || singleton || c.owner.empty()));
      c.compile_time = lang == Lang::kKotlin && mods.find("const") != std::string_view::npos;
      facts.constants.push_back(std::move(c));
    }
  }
  // Java integer constants (`static final int ORGANIZATION_ID = 4;`) used in paths.
  if (lang == Lang::kJava) {
    static const re2::RE2 kIntConst(R"(\b((?:(?:public|private|protected|static|final)\s+)*)(?:int|long)\s+([A-Z][A-Z0-9_]*)\s*=\s*(\d+)L?\s*;)");
    BraceCursor cursor(bare);
    for (Matches<4> m(kIntConst, code); m.next();) {
      std::string_view mods(m[1].data(), m[1].size());
      if (mods.find("static") == std::string_view::npos || mods.find("final") == std::string_view::npos) continue;
      bool in_type_body = false, singleton = false;
      Constant c;
      c.owner = owner_of(cursor, m.begin(), &in_type_body, &singleton);
      c.name = std::string(m[2].data(), m[2].size());
      c.expression = "\"" + std::string(m[3].data(), m[3].size()) + "\"";
      c.file_local = !in_type_body;
      facts.constants.push_back(std::move(c));
    }
  }
  // A local chosen by a switch over literals (`let feedUrl = switch feedType { case .top:
  // "topstories.json" ... }`, Kotlin `val x = when (t) { A -> "a" }`): a file-local constant
  // whose value is one of the literals (0x1e-separated, read by the resolver's choices()).
  if (lang == Lang::kSwift || lang == Lang::kKotlin) {
    static const re2::RE2 kChoice(R"re(\b(?:let|var|val)\s+(\w+)\s*(?::\s*String\??\s*)?=\s*(?:switch|when)\b[^{\n]*\{)re");
    static const re2::RE2 kBranch(R"re((?:^|\n)\s*(?:case\b[^\n]*?:|default\s*:|[^\n]*?->)\s*("(?:[^"\\\n]|\\.)*")\s*(?:\n|$))re");
    for (Matches<2> m(kChoice, bare); m.next();) {
      std::size_t open = m.end() - 1;
      std::size_t close = match_close(code, open, 64 * kKiB);
      if (close == kNpos) continue;
      std::string literals;
      std::string_view body = code.substr(open + 1, close - open - 1);
      re2::StringPiece bin(body.data(), body.size()), lm[2];
      std::size_t bpos = 0;
      int n = 0;
      while (bpos < body.size() && kBranch.Match(bin, bpos, body.size(), re2::RE2::UNANCHORED, lm, 2)) {
        bpos = static_cast<std::size_t>(lm[1].data() - body.data()) + lm[1].size();
        literals += '\x1e';
        literals.append(lm[1].data(), lm[1].size());
        ++n;
      }
      if (n < 2) continue;
      Constant c;
      c.name = std::string(m[1].data(), m[1].size());
      c.expression = std::move(literals);
      c.file_local = true;
      facts.constants.push_back(std::move(c));
    }
  }
  // Types held as mutable state: a value of the type is stored where it can change (a `var`
  // member, a non-final field, an observable or state holder, a navigation stack). A `let`, a
  // final field, a parameter or a local variable holds nothing; neither does a plain `var` of a
  // SwiftUI view (an input of the view: its state is `@State`, `@Binding`, ...).
  auto enclosing_type = [&](BraceCursor& cursor, std::size_t offset) -> const TypeBody* {
    const auto& stack = cursor.at(offset);
    if (stack.empty()) return nullptr;
    auto t = type_at.find(stack.back());
    return t == type_at.end() ? nullptr : &types[t->second];
  };
  auto swift_member_holds = [&](BraceCursor& cursor, std::size_t b) {
    const TypeBody* owner = enclosing_type(cursor, b);
    if (owner == nullptr) return !cursor.at(b).empty() ? false : true;  // a local, or top level
    std::size_t line = bare.rfind('\n', b);
    line = line == kNpos ? 0 : line + 1;
    std::string_view before = bare.substr(line, b - line);
    if (before.find('@') != std::string_view::npos) return true;  // @State, @Published, @Binding, ...
    if (line >= 2) {  // the wrapper on a line of its own (`@State` / `private var x: T`)
      std::size_t prev = bare.rfind('\n', line - 2);
      prev = prev == kNpos ? 0 : prev + 1;
      std::string_view above = trim(bare.substr(prev, line - 1 - prev));
      if (!above.empty() && above.front() == '@') return true;
    }
    if (owner->kind != "struct") return true;
    static const re2::RE2 kView(R"(:[^{]*\bView\b)");
    std::string_view header = bare.substr(owner->begin, owner->open - owner->begin);
    return !re2::RE2::PartialMatch(re2::StringPiece(header.data(), header.size()), kView);
  };
  // The element types a `var x: T` annotation holds: T of `T`, `T?`, `[T]`, and the values of a
  // dictionary `[K: V]` / `[K: [V]]` (a state per key); dotted names give their last part.
  auto held_types = [](std::string_view ann) {
    std::vector<std::string> out;
    ann = trim(ann);
    while (!ann.empty() && (ann.back() == '?' || ann.back() == '!')) ann.remove_suffix(1);
    // A dictionary holds a state per key (`[ID: RowState]`); an array or a set holds a list of
    // values (`[SectionItem]`, table rows), not a state.
    for (int level = 0; level < 3 && ann.size() >= 2 && ann.front() == '[' && ann.back() == ']'; ++level) {
      std::string_view inner = ann.substr(1, ann.size() - 2);
      auto parts = split_top(inner, ':');
      if (parts.size() != 2) return out;
      ann = trim(parts[1]);
      while (!ann.empty() && (ann.back() == '?' || ann.back() == '!')) ann.remove_suffix(1);
    }
    // A generic type holds itself (`Loadable<[Country]>`), a standard container its elements.
    for (int level = 0; level < 3 && !ann.empty() && ann.back() == '>'; ++level) {
      std::size_t lt = ann.find('<');
      if (lt == std::string_view::npos) break;
      std::string_view base = trim(ann.substr(0, lt)), args = ann.substr(lt + 1, ann.size() - lt - 2);
      if (base == "Array" || base == "Set" || base == "ContiguousArray") return out;
      if (base == "Optional") {
        ann = trim(args);
      } else if (base == "Dictionary") {
        auto parts = split_top(args, ',');
        ann = parts.empty() ? std::string_view() : trim(parts.back());
      } else {
        ann = base;
      }
      while (!ann.empty() && (ann.back() == '?' || ann.back() == '!')) ann.remove_suffix(1);
    }
    // `Outer.Name` keeps its qualifier: it is Outer's nested Name, not any type of that name.
    static const re2::RE2 kSimple(R"((?:\w+\.)*?((?:[A-Z]\w*\.)?[A-Z]\w*))");
    std::string name;
    if (re2::RE2::FullMatch(re2::StringPiece(ann.data(), ann.size()), kSimple, &name)) out.push_back(name);
    return out;
  };
  {
    static const re2::RE2 kTypedVar(R"(\bvar\s+\w+\s*:\s*)");
    BraceCursor cursor(bare);
    for (Matches<1> m(kTypedVar, code); m.next();) {
      std::size_t b = m.begin();
      if (src.in_string(b)) continue;
      // The annotation runs to `=`, `{`, `;`, `by` or the end of the line, brackets respected.
      std::size_t k = m.end();
      int depth = 0;
      for (; k < code.size(); ++k) {
        char c = code[k];
        if (c == '[' || c == '(' || c == '<') ++depth;
        else if ((c == ']' || c == ')' || c == '>') && depth > 0) --depth;
        else if (depth == 0 && (c == '=' || c == '{' || c == ';' || c == '\n' || c == ',')) break;
        if (depth == 0 && code.substr(k, 4) == " by ") break;
      }
      std::string_view ann = code.substr(m.end(), k - m.end());
      if (lang == Lang::kSwift) {
        // `var method: HTTPMethodType { get }` (a protocol requirement) and `var x: T { ... }`
        // (a computed property) hold nothing; `{ didSet { ... } }` observes a stored one.
        if (k < code.size() && code[k] == '{') {
          std::size_t c = match_close(code, k, 64 * kKiB);
          std::string_view body = c == kNpos ? std::string_view() : code.substr(k + 1, c - k - 1);
          static const re2::RE2 kObservers(R"(^\s*(?:didSet|willSet)\b)");
          if (!re2::RE2::PartialMatch(re2::StringPiece(body.data(), body.size()), kObservers)) continue;
        }
        if (!swift_member_holds(cursor, b)) continue;
        for (auto& t : held_types(ann)) facts.state_types.push_back(std::move(t));
      } else {
        // A Kotlin `var` local to a function is a working variable, unless it is delegated to
        // a state holder (`var tab: Tab by remember { mutableStateOf(...) }` in a composable).
        if (lang == Lang::kKotlin && code.substr(k, 4) != " by ") {
          bool in_type_body = false, singleton = false;
          owner_of(cursor, b, &in_type_body, &singleton);
          if (!in_type_body) continue;
        }
        // `Outer.Name` keeps its qualifier (Outer's nested Name; see held() in run.cpp)
        static const re2::RE2 kFirst(R"(^\s*(?:[A-Za-z_]\w*\.)*?((?:[A-Z]\w*\.)?[A-Z]\w*)\b)");
        std::string t;
        if (re2::RE2::PartialMatch(re2::StringPiece(ann.data(), ann.size()), kFirst, &t)) push_held(facts.state_types, t);
      }
    }
  }
  static const re2::RE2 kHolders[] = {
      // (`var x = T.a` without a type annotation; with one, the annotation says what is held:
      // `var alert: UserAlert = RecipeAlert.generic` holds any UserAlert)
      re2::RE2(R"((?m)\bvar\s+\w+\s*=\s*(?:[\w.]+\.)?([A-Z]\w*)\.(\w+)(?:\.rawValue)?\s*\{?\s*$)"),
      // (a SharedFlow or a PublishSubject passes events on and holds no current value)
      re2::RE2(R"re(\b(?:MutableStateFlow|MutableLiveData|mutableStateOf|MutableState|StateFlow|LiveData|State|BehaviorSubject|BehaviorRelay|CurrentValueSubject|Published|ObservableField|Observable|MutableProperty|Preference|Box|Dynamic)\s*<\s*(?:[\w.]+\.)?([A-Z]\w*)())re"),
      re2::RE2(R"re(\b(?:MutableStateFlow|MutableLiveData|mutableStateOf|MutableTransitionState|BehaviorSubject\.createDefault|CurrentValueSubject|BehaviorRelay\.createDefault|ObservableField)\s*(?:<[^>\n]*>)?\s*\(\s*(?:[\w.]+\.)?([A-Z]\w*)\.())re"),
      // A flow made a StateFlow from an enum's value (`.stateIn(scope, started, Theme.SYSTEM)`),
      // or collected into Compose state from one (`collectAsState(initial = Mode.AUTO)`).
      re2::RE2(R"re(\bstateIn\s*\((?:[^()]|\([^()]*\))*?,\s*(?:initialValue\s*=\s*)?(?:[\w.]+\.)?([A-Z]\w*)\.[A-Z_]\w*\s*,?\s*\)())re"),
      re2::RE2(R"re(\bcollectAsState(?:WithLifecycle)?\s*\(\s*(?:initial(?:Value)?\s*=\s*)?(?:[\w.]+\.)?([A-Z]\w*)\.[A-Z_]\w*\s*[,)]())re"),
      // A Kotlin `var` delegated to a state holder made from an enum's value (`var sortBy by
      // rememberPreference(sortByKey, SortBy.DateAdded)`, `by rememberSaveable(...)`): a
      // delegate of a `var` is read and written, so it holds the value.
      re2::RE2(R"re(\bvar\s+\w+\s*(?::\s*[\w.<>?]+\s*)?\bby\s+\w+\s*(?:<[^>\n]*>)?\s*\((?:[^()\n]|\([^()\n]*\))*?(?:[(,]\s*|=\s*)(?:[\w.]+\.)?([A-Z]\w*)\.[A-Z]\w*\s*[,)]())re"),
      // A value and its setter destructured from such a holder (`val (sortType, onSortTypeChange)
      // = rememberEnumPreference(key, SortType.NAME)`): the setter writes it.
      re2::RE2(R"re(\bva[lr]\s*\(\s*\w+\s*,\s*\w+\s*\)\s*=\s*\w+\s*(?:<[^>\n]*>)?\s*\((?:[^()\n]|\([^()\n]*\))*?(?:[(,]\s*|=\s*)(?:[\w.]+\.)?([A-Z]\w*)\.[A-Z]\w*\s*[,)]())re"),
      // A navigation stack the values are pushed on (`navigationPath.append(Route.detail(id))`).
      re2::RE2(R"re(\b\w*(?:[Pp]ath|[Ss]tack)\.append\(\s*(?:[\w.]+\.)?([A-Z]\w*)\.\w+())re"),
  };
  // Swift `Observable<T>` holds a value only when the run declares its own Observable box.
  const bool swift_rx_observable =
      lang == Lang::kSwift && (src.context == nullptr || !src.context->swift_types.contains("Observable"));
  for (const auto& re : kHolders) {
    BraceCursor cursor(bare);
    for (Matches<3> m(re, code); m.next();) {
      std::size_t b = m.begin();
      if (src.in_string(b)) continue;
      if (swift_rx_observable && &re == &kHolders[1] && code.compare(b, 10, "Observable") == 0 &&
          (b + 10 >= code.size() || !(std::isalnum(static_cast<unsigned char>(code[b + 10])) || code[b + 10] == '_'))) {
        continue;
      }
      if (&re == &kHolders[0]) {
        if (std::string_view(m[2].data(), m[2].size()) == "allCases") continue;  // every case: a set, not a value
        if (lang == Lang::kSwift && !swift_member_holds(cursor, b)) continue;
      }
      facts.state_types.emplace_back(m[1].data(), m[1].size());
    }
  }
  if (lang == Lang::kJava) {  // non-final fields: `private Screen screen;`, `private static Theme sTheme = Theme.LIGHT;`
    static const re2::RE2 kField(R"((?m)^[ \t]*((?:(?:private|protected|public|volatile|transient|static)\s+)*)(?:[A-Za-z_]\w*\.)*?((?:[A-Z]\w*\.)?[A-Z]\w*)(?:\[\])*\s+([a-z]\w*)\s*(?:=[^;\n]*)?;)");
    BraceCursor cursor(bare);
    for (Matches<4> m(kField, code); m.next();) {
      std::size_t b = m.begin();
      bool in_type_body = false, singleton = false;
      owner_of(cursor, b + m[1].size() + 1, &in_type_body, &singleton);
      if (!in_type_body) continue;
      // A private field set only while the object is created (constructor, onCreate, ...) and
      // never after is configuration, not state: `mViewMode = Preferences.getDefaultViewMode(this);`
      // in onCreate.
      if (std::string_view(m[1].data(), m[1].size()).find("private") != std::string_view::npos &&
          set_only_at_creation(bare, std::string_view(m[3].data(), m[3].size()), b, m.end())) {
        continue;
      }
      push_held(facts.state_types, std::string_view(m[2].data(), m[2].size()));
    }
  }
  // A state holder given a function's parameter (`fun setItemOpener(value: ItemOpener) {
  // _itemOpener.value = value }`, `.postValue(value)`): the parameter's type is held, whatever
  // the holder was created from.
  if (lang == Lang::kKotlin) {
    static const re2::RE2 kSet(R"re(\b\w+\s*\.\s*(?:value\s*=\s*(\w+)\s*(?:\n|;|$)|postValue\s*\(\s*(\w+)\s*\)))re");
    for (Matches<3> m(kSet, bare); m.next();) {
      std::size_t b = m.begin();
      std::string var = !m[1].empty() ? std::string(m[1].data(), m[1].size()) : std::string(m[2].data(), m[2].size());
      re2::RE2 param(R"(\bfun\s+[^(\n]*\([^)]*\b)" + var + R"(\s*:\s*(?:[\w.]+\.)?([A-Z]\w*)\s*[,)=])");
      if (std::string type = last_group_before(bare, b, param); !type.empty()) facts.state_types.push_back(type);
    }
  }
  // A value persisted as its raw value (`prefs.edit().putInt(KEY, sortType.getValue())`): the
  // enum of the parameter or local it is read from is held (in preferences).
  if (lang == Lang::kJava || lang == Lang::kKotlin) {
    static const re2::RE2 kPersist(R"re(\bput(?:Int|String|Long)\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*(\w+)\s*\.\s*\w+\s*(?:\(\s*\))?\s*\))re");
    for (Matches<2> m(kPersist, bare); m.next();) {
      std::size_t b = m.begin();
      // Only a preferences editor persists (`prefs.edit().putInt(...)`, `editor.putString(...)`);
      // a Bundle, an Intent or a Parcel carries the value along (`bundle.putString(key, value.name)`).
      std::size_t r = b;
      while (r > 0 && (bare[r - 1] == '.' || bare[r - 1] == ' ' || bare[r - 1] == '\n' || bare[r - 1] == '\t')) --r;
      std::size_t rb = r;
      while (rb > 0 && (std::isalnum(static_cast<unsigned char>(bare[rb - 1])) || bare[rb - 1] == '_' ||
                        bare[rb - 1] == '(' || bare[rb - 1] == ')' || bare[rb - 1] == '.')) {
        --rb;
      }
      static const re2::RE2 kEditor(R"((?i)edit|pref)");
      std::string_view receiver = bare.substr(rb, r - rb);
      if (!re2::RE2::PartialMatch(re2::StringPiece(receiver.data(), receiver.size()), kEditor)) continue;
      std::string var(m[1].data(), m[1].size());
      re2::RE2 typed(lang == Lang::kJava ? R"((?:\w+\.)*([A-Z]\w*)\s+)" + var + "\\s*[,)=;]"
                                         : "\\b" + var + R"(\s*:\s*(?:\w+\.)*([A-Z]\w*))");
      if (std::string type = last_group_before(bare, b, typed); !type.empty()) facts.state_types.push_back(type);
    }
  }
  // Java typedef values kept in plain fields (`private int mDrawerState;`): a non-final field
  // assigned one of the typedef's constants, a parameter annotated with the typedef, or a local
  // given its constants (`state = STATE_IDLE; ... mDrawerState = state;`) holds the typedef.
  // The typedef may be declared in another file (`filter(@Client.Range String r) { mRange = r; }`):
  // the annotated-parameter path runs for every Java file with an annotation.
  if (lang == Lang::kJava && code.find('@') != std::string_view::npos) {
    static const re2::RE2 kTypedefRe(R"re(@(?:IntDef|StringDef|LongDef)\s*\(\s*(?:flag\s*=\s*\w+\s*,\s*)?(?:value\s*=\s*)?\{([^}]*)\}[^)]*\)(?:\s*@[\w.]+(?:\s*\([^)]*\))?)*\s*(?:(?:public|private|protected|static)\s+)*@interface\s+(\w+))re");
    std::map<std::string, std::string> constant_of;  // constant -> typedef
    for (Matches<3> m(kTypedefRe, bare); m.next();) {
      std::string name(m[2].data(), m[2].size());
      for (auto part : split_top(std::string_view(m[1].data(), m[1].size()), ',')) {
        std::string_view c = trim(part);
        if (std::size_t dot = c.rfind('.'); dot != kNpos) c = c.substr(dot + 1);
        if (!c.empty()) constant_of[std::string(c)] = name;
      }
    }
    {
      std::set<std::string> fields;
      static const re2::RE2 kPlainField(R"((?m)^[ \t]*(?:(?:private|protected|public|volatile|transient)\s+)*(?:int|long|String)\s+(\w+)\s*(?:=[^;\n]*)?;)");
      BraceCursor cursor(bare);
      for (Matches<2> f(kPlainField, code); f.next();) {
        bool in_type_body = false, singleton = false;
        owner_of(cursor, static_cast<std::size_t>(f[1].data() - code.data()), &in_type_body, &singleton);
        if (in_type_body) fields.emplace(f[1].data(), f[1].size());
      }
      static const re2::RE2 kAssign(R"((?:^|[;{}\s])(?:this\.)?(\w+)\s*=\s*(?:\w+\.)*(\w+)\s*;)");
      re2::StringPiece ain(bare.data(), bare.size()), a[3];
      std::size_t apos = 0;
      while (!fields.empty() && apos < bare.size() && kAssign.Match(ain, apos, bare.size(), re2::RE2::UNANCHORED, a, 3)) {
        auto b = static_cast<std::size_t>(a[1].data() - bare.data());
        apos = static_cast<std::size_t>(a[0].data() - bare.data()) + a[0].size();
        std::string lhs(a[1].data(), a[1].size()), rhs(a[2].data(), a[2].size());
        if (!fields.contains(lhs) || after_declaration(bare, b)) continue;
        std::string held;
        if (auto c = constant_of.find(rhs); c != constant_of.end()) {
          held = c->second;
        } else {
          // the method around it, looked at back to 4 KiB: an annotated parameter, or a local
          // that takes the typedef's constants
          std::size_t from = b > 4096 ? b - 4096 : 0;
          std::string window(bare.substr(from, b - from));
          re2::RE2 param(R"(@(?:\w+\.)*(\w+)\s+(?:final\s+)?(?:int|long|String)\s+)" + rhs + "\\b");
          std::string t;
          std::size_t last = kNpos;
          re2::StringPiece win(window), pm[2];
          std::size_t wpos = 0;
          while (wpos < window.size() && param.Match(win, wpos, window.size(), re2::RE2::UNANCHORED, pm, 2)) {
            wpos = static_cast<std::size_t>(pm[0].data() - window.data()) + pm[0].size();
            last = wpos;
            t.assign(pm[1].data(), pm[1].size());
          }
          if (last != kNpos) {
            held = t;
          } else {
            re2::RE2 local("\\b" + rhs + R"(\s*=\s*(?:\w+\.)*(\w+)\s*;)");
            re2::StringPiece lin(window), lm[2];
            std::size_t lpos = 0;
            while (held.empty() && lpos < window.size() && local.Match(lin, lpos, window.size(), re2::RE2::UNANCHORED, lm, 2)) {
              lpos = static_cast<std::size_t>(lm[0].data() - window.data()) + lm[0].size();
              if (auto k = constant_of.find(std::string(lm[1].data(), lm[1].size())); k != constant_of.end()) held = k->second;
            }
          }
        }
        if (!held.empty()) facts.state_types.push_back(held);
      }
    }
  }
  // Typedef-annotated fields that can change: `private @CacheMode int mode;`, `@Mode var mode = 0`
  // (a `final` or `static` one, or a parameter, holds nothing).
  {
    static const re2::RE2 kJavaTyped(R"((?m)^[ \t]*((?:(?:private|protected|public|volatile|transient|final|static)\s+|@[\w.]+(?:\([^)\n]*\))?\s+)*)@(?:\w+\.)*([A-Z]\w*)\s+((?:(?:private|protected|public|volatile|transient|final|static)\s+)*)(?:int|long|String|Integer|Long)\s+\w+\s*(?:=[^;\n]*)?;)");
    static const re2::RE2 kOtlinTyped(R"((?m)^[ \t]*()@(?:\w+\.)*([A-Z]\w*)\s+((?:(?:private|protected|internal|public|override)\s+)*)var\s+\w+)");
    const re2::RE2* re = lang == Lang::kJava ? &kJavaTyped : lang == Lang::kKotlin ? &kOtlinTyped : nullptr;
    if (re != nullptr) {
      BraceCursor cursor(bare);
      for (Matches<4> m(*re, code); m.next();) {
        std::string mods = std::string(m[1].data(), m[1].size()) + " " + std::string(m[3].data(), m[3].size());
        static const re2::RE2 kFixed(R"((?:^|\s)(?:final|static)\s)");
        if (re2::RE2::PartialMatch(mods, kFixed)) continue;
        bool in_type_body = false, singleton = false;
        owner_of(cursor, static_cast<std::size_t>(m[2].data() - code.data()), &in_type_body, &singleton);
        if (in_type_body) facts.state_types.emplace_back(m[2].data(), m[2].size());
      }
    }
  }
  // A nested type imported by name (`import io.app.Player.State`) is held under its qualified
  // name too: an unqualified holder in another file names a nested type only through such an
  // import (without one, `Action` there is another type of that name).
  if (lang == Lang::kKotlin || lang == Lang::kJava) {
    static const re2::RE2 kImport(R"((?m)^[ \t]*import\s+(?:[a-z_]\w*\.)*([A-Z]\w*)\.([A-Z]\w*)\s*;?[ \t]*$)");
    std::map<std::string, std::string> outer_of;
    for (Matches<3> m(kImport, bare); m.next();) {
      outer_of[std::string(m[2].data(), m[2].size())] = std::string(m[1].data(), m[1].size());
    }
    const std::size_t held = facts.state_types.size();
    for (std::size_t i = 0; i < held; ++i) {
      if (auto it = outer_of.find(facts.state_types[i]); it != outer_of.end()) {
        facts.state_types.push_back(it->second + "." + it->first);
      }
    }
  }
  // Supertypes.
  if (lang == Lang::kKotlin) {
    static const re2::RE2 kSub(R"(\b(?:class|object|interface)\s+(\w+)(?:\s*<[^>\n]*>)?(?:\s*(?:(?:private|internal|public|protected)\s+)?(?:constructor\s*)?\((?:[^()]|\([^()]*\))*\))?\s*:\s*([^{\n=]+))");
    for (Matches<3> m(kSub, bare); m.next();) {
      std::vector<std::string> parents;
      for (auto part : split_top(std::string_view(m[2].data(), m[2].size()), ',')) {
        std::string p = simple_type(part);
        if (!p.empty()) parents.push_back(std::move(p));
      }
      if (!parents.empty()) facts.subtypes.emplace_back(std::string(m[1].data(), m[1].size()), std::move(parents));
    }
  } else if (lang == Lang::kJava) {
    static const re2::RE2 kSub(R"(\b(?:class|interface|record|enum)\s+(\w+)([^{;]*)\{)");

    re2::StringPiece in(bare.data(), bare.size()), m[3];
    std::size_t pos = 0;
    while (pos < bare.size() && kSub.Match(in, pos, bare.size(), re2::RE2::UNANCHORED, m, 3)) {
      auto b = static_cast<std::size_t>(m[0].data() - bare.data());
      pos = b + m[0].size() - 1;
      std::string header(m[2].data(), m[2].size());
      if (std::size_t permits = header.find("permits"); permits != std::string::npos) header.erase(permits);
      std::vector<std::string> parents;
      std::size_t ext = header.find("extends "), impl = header.find("implements ");
      auto take = [&](std::size_t from, std::size_t to) {
        if (from == std::string::npos) return;
        std::size_t space = header.find(' ', from);
        std::string_view list(header);
        list = list.substr(space, to == std::string::npos || to < space ? std::string_view::npos : to - space);
        for (auto part : split_top(list, ',')) {
          std::string p = simple_type(part);
          if (!p.empty()) parents.push_back(std::move(p));
        }
      };
      take(ext, impl);
      take(impl, std::string::npos);
      if (!parents.empty()) facts.subtypes.emplace_back(std::string(m[1].data(), m[1].size()), std::move(parents));
    }
  }
}

bool in_call_arguments(std::string_view bare, std::size_t offset) {
  int depth = 0;
  std::size_t stop = offset > 8000 ? offset - 8000 : 0;
  for (std::size_t k = offset; k-- > stop;) {
    char c = bare[k];
    if (c == ')' || c == ']') {
      ++depth;
    } else if (c == '(' || c == '[') {
      if (depth == 0) return true;
      --depth;
    } else if ((c == '{' || c == '}' || c == ';') && depth == 0) {
      return false;
    }
  }
  return false;
}

bool after_declaration(std::string_view bare, std::size_t offset) {
  std::size_t line = bare.rfind('\n', offset == 0 ? 0 : offset - 1);
  line = line == kNpos ? 0 : line + 1;
  if (offset < line) return false;
  std::string_view before = trim(bare.substr(line, offset - line));
  if (before.empty()) return false;
  static const re2::RE2 kEywordDecl(R"((?:^|[\s(])(?:val|var|let|const|lateinit\s+var)$)");
  static const re2::RE2 kJavaDecl(R"((?:^|[\s(,])(?:final\s+)?[A-Za-z_][\w.]*(?:<[^;=]*>)?(?:\[\])*$)");
  static const re2::RE2 kNotType(R"((?:^|\s)(?:else|return|do|in|is|yield|await|throw|case|try|then|this|super)$)");
  // `var status: Status = Status.IDLE`: the match starts at the annotation's type
  static const re2::RE2 kTypedDecl(R"((?:^|[\s(])(?:val|var|let|lateinit\s+var)\s+\w+\s*:\s*(?:[\w.]+\.)?$)");
  re2::StringPiece in(before.data(), before.size());
  if (re2::RE2::PartialMatch(in, kEywordDecl) || re2::RE2::PartialMatch(in, kTypedDecl)) return true;
  if (before.back() == '.' || before.back() == '=' || before.back() == '(' || before.back() == ',') return false;
  return re2::RE2::PartialMatch(in, kJavaDecl) && !re2::RE2::PartialMatch(in, kNotType);
}

}  // namespace obscore::patterns
