// Request helpers and the calls that feed them (see helpers.hpp). Everything here reads `bare`
// (comments blanked, string contents blanked, quotes kept), so brackets and keywords are code.
#include "helpers.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "extract.hpp"
#include "matches.hpp"

namespace obscore::patterns {

namespace {

constexpr std::size_t kNone = std::string_view::npos;
constexpr std::size_t kLookBack = 4096;  // how far a call's opening bracket is looked for

bool word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }


// The word that ends at bare[end) (after skipping blanks back), and where it begins.
std::string_view word_before(std::string_view bare, std::size_t end, std::size_t* begin = nullptr) {
  while (end > 0 && space(bare[end - 1])) --end;
  std::size_t b = end;
  while (b > 0 && word(bare[b - 1])) --b;
  if (begin != nullptr) *begin = b;
  return bare.substr(b, end - b);
}

// The bracket that opens the one closing at bare[close], looking back at most `limit` bytes.
std::size_t match_open(std::string_view bare, std::size_t close, std::size_t limit = kLookBack) {
  char c = bare[close];
  char o = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : '<';
  int depth = 0;
  std::size_t stop = close > limit ? close - limit : 0;
  for (std::size_t k = close + 1; k-- > stop;) {
    if (bare[k] == c) ++depth;
    if (bare[k] == o && --depth == 0) return k;
  }
  return kNone;
}

std::size_t match_close(std::string_view bare, std::size_t open, std::size_t limit) {
  char o = bare[open];
  char c = o == '(' ? ')' : o == '[' ? ']' : '}';
  int depth = 0;
  std::size_t end = std::min(bare.size(), open + limit);
  for (std::size_t k = open; k < end; ++k) {
    if (bare[k] == o) ++depth;
    if (bare[k] == c && --depth == 0) return k;
  }
  return kNone;
}


// Splits at top-level commas.
std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{' || c == '<') ++depth;
    if ((c == ')' || c == ']' || c == '}' || (c == '>' && (i == 0 || s[i - 1] != '-'))) && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// One parameter declaration: {label, name} (Kotlin `@Path("id") id: Int = 0`, Swift `for key:
// String`, `_ path: String`, Java `final @NonNull String path`, `String... parts`).
std::pair<std::string, std::string> parse_parameter(std::string_view p, Lang lang) {
  p = trim(p);
  // drop annotations (`@Path("id")`, `@NonNull`)
  std::string cleaned;
  for (std::size_t i = 0; i < p.size();) {
    if (p[i] == '@') {
      ++i;
      while (i < p.size() && (word(p[i]) || p[i] == '.')) ++i;
      while (i < p.size() && space(p[i])) ++i;
      if (i < p.size() && p[i] == '(') {
        int depth = 0;
        for (; i < p.size(); ++i) {
          if (p[i] == '(') ++depth;
          if (p[i] == ')' && --depth == 0) {
            ++i;
            break;
          }
        }
      }
      continue;
    }
    cleaned += p[i++];
  }
  std::string_view s = trim(cleaned);
  if (lang == Lang::kJava) {
    // the last identifier of the declaration
    std::size_t e = s.size();
    while (e > 0 && (s[e - 1] == ']' || s[e - 1] == '[' || space(s[e - 1]))) --e;
    std::size_t b = e;
    while (b > 0 && word(s[b - 1])) --b;
    std::string name(s.substr(b, e - b));
    return {name, name};
  }
  std::size_t colon = s.find(':');
  if (colon == kNone) return {};
  std::string_view head = trim(s.substr(0, colon));
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < head.size();) {
    if (!word(head[i])) {
      ++i;
      continue;
    }
    std::size_t b = i;
    while (i < head.size() && word(head[i])) ++i;
    words.push_back(head.substr(b, i - b));
  }
  static constexpr std::array<std::string_view, 8> kModifiers = {"val", "var", "vararg", "inout", "noinline", "crossinline", "private", "override"};
  std::erase_if(words, [](std::string_view w) { return std::find(kModifiers.begin(), kModifiers.end(), w) != kModifiers.end(); });
  if (words.empty()) return {};
  std::string name(words.back());
  if (lang == Lang::kSwift && words.size() >= 2) {
    std::string label(words[words.size() - 2]);
    return {label == "_" ? std::string() : label, name};
  }
  return {name, name};
}

bool is_control(std::string_view w) {
  static constexpr std::array<std::string_view, 16> kControl = {"if", "for", "while", "switch", "catch", "synchronized", "try",
                                                                "else", "do", "when", "guard", "return", "new", "throw",
                                                                "case", "in"};
  return std::find(kControl.begin(), kControl.end(), w) != kControl.end();
}

// The function declared by the parameter list bare[open, close] (`(`...`)`), if its header is one.
std::optional<FunctionSig> declared_at(std::string_view bare, Lang lang, std::size_t open, std::size_t close) {
  std::size_t e = open;
  while (e > 0 && space(bare[e - 1])) --e;
  if (e > 0 && bare[e - 1] == '>' && lang != Lang::kJava) {  // Swift `func get<T>(`
    std::size_t lt = match_open(bare, e - 1, 512);
    if (lt == kNone) return std::nullopt;
    e = lt;
  }
  if (lang == Lang::kSwift && e > 0 && (bare[e - 1] == '?' || bare[e - 1] == '!')) --e;  // init?(
  std::size_t nb = 0;
  std::string_view name = word_before(bare, e, &nb);
  if (name.empty() || is_control(name) || std::isdigit(static_cast<unsigned char>(name[0])) != 0) return std::nullopt;
  std::size_t before = nb;
  while (before > 0 && space(bare[before - 1])) --before;
  if (lang == Lang::kKotlin) {
    // `fun name(`, `fun <T> name(`, `fun Receiver.name(`, `fun <T> List<T>.name(`
    std::size_t k = before;
    if (k > 0 && bare[k - 1] == '.') {  // a receiver type: `List<T>.`, `Foo.Bar?.`
      --k;
      while (k > 0) {
        char c = bare[k - 1];
        if (c == '>') {
          std::size_t lt = match_open(bare, k - 1, 512);
          if (lt == kNone) return std::nullopt;
          k = lt;
        } else if (word(c) || c == '.' || c == '?') {
          --k;
        } else {
          break;
        }
      }
    }
    while (k > 0 && space(bare[k - 1])) --k;
    if (k > 0 && bare[k - 1] == '>') {
      std::size_t lt = match_open(bare, k - 1, 512);
      if (lt == kNone) return std::nullopt;
      k = lt;
    }
    if (word_before(bare, k) != "fun" && !(name == "constructor")) return std::nullopt;
  } else if (lang == Lang::kSwift) {
    if (name != "init" && word_before(bare, before) != "func") return std::nullopt;
  } else if (lang == Lang::kJava) {
    // a type or a modifier before the name; not a call (`.get(`, `new Foo(`, `= foo(`)
    if (before == 0) return std::nullopt;
    char c = bare[before - 1];
    if (!(word(c) || c == '>' || c == ']')) return std::nullopt;
    std::string_view prev = word_before(bare, before);
    if (prev == "new" || prev == "return" || prev == "throw" || prev == "else" || prev == "case") return std::nullopt;
  } else {
    return std::nullopt;
  }
  FunctionSig sig;
  sig.name = std::string(name);
  sig.labelled = lang == Lang::kSwift;
  // `private` among the modifiers of the declaration (from the line's start or the previous
  // statement to the name)
  std::size_t hs = nb;
  while (hs > 0 && bare[hs - 1] != '\n' && bare[hs - 1] != ';' && bare[hs - 1] != '{' && bare[hs - 1] != '}') --hs;
  static const re2::RE2 kPrivate(R"(\b(?:private|fileprivate)\b)");
  sig.file_private = re2::RE2::PartialMatch(re2::StringPiece(bare.data() + hs, nb - hs), kPrivate);
  std::string_view params = bare.substr(open + 1, close - open - 1);
  if (!trim(params).empty()) {
    for (std::string_view p : split_commas(params)) {
      auto [label, pname] = parse_parameter(p, lang);
      sig.params.push_back(pname);
      sig.labels.push_back(label);
    }
  }
  return sig;
}


// What a call argument at bare[begin, end) is: where its call's `(` is, its index, its label.
struct ArgumentOf {
  std::string callee, label;
  std::string receiver;  // the name before `.callee` (`client` in `client.get(...)`; `getClient` in `getClient(c).get`)
  std::string owner;     // the name before the receiver, if any (`Api` in `Api.getClient(c).get(...)`)
  std::size_t index = 0, begin = 0, end = 0;
  std::size_t open = 0;  // the call's opening bracket
};

// The call whose argument holds bare[pos]: nullopt when pos is not directly an argument (inside a
// block, a declaration's default value, a subscript, a control statement's condition).
std::optional<ArgumentOf> argument_at(std::string_view bare, std::size_t pos) {
  ArgumentOf a;
  int depth = 0;
  std::size_t stop = pos > kLookBack ? pos - kLookBack : 0;
  std::size_t open = kNone;
  std::size_t arg_begin = kNone;
  for (std::size_t k = pos; k-- > stop;) {
    char c = bare[k];
    if (c == ')' || c == ']' || c == '}') {
      ++depth;
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) {
        if (c != '(') return std::nullopt;
        open = k;
        break;
      }
      --depth;
    } else if (depth == 0 && c == ',') {
      if (arg_begin == kNone) arg_begin = k + 1;
      ++a.index;
    } else if (depth == 0 && c == ';') {
      return std::nullopt;
    }
  }
  if (open == kNone) return std::nullopt;
  a.open = open;
  if (arg_begin == kNone) arg_begin = open + 1;
  std::size_t ce = open;
  while (ce > 0 && space(bare[ce - 1])) --ce;
  if (ce > 0 && bare[ce - 1] == '>') {  // `get<Foo>("a/b")`
    std::size_t lt = match_open(bare, ce - 1, 256);
    if (lt != kNone) ce = lt;
  }
  std::size_t cb = 0;
  std::string_view callee = word_before(bare, ce, &cb);
  if (callee.empty() || is_control(callee) || callee == "fun" || callee == "func") return std::nullopt;
  // an implicit member (`.get(path: "/me")`, `return .post("/x")`): an enum case or a static
  // factory of the type expected there, not a call of a function of that name
  if (cb > 0 && bare[cb - 1] == '.') {
    std::size_t r = cb - 1;
    while (r > 0 && space(bare[r - 1])) --r;
    if (r == 0 || !(word(bare[r - 1]) || bare[r - 1] == ')' || bare[r - 1] == ']' || bare[r - 1] == '?' ||
                    bare[r - 1] == '!' || bare[r - 1] == '>')) {
      return std::nullopt;
    }
    if (word_before(bare, r) == "return" || word_before(bare, r) == "case" || word_before(bare, r) == "in") return std::nullopt;
    std::size_t rb = r;
    while (rb > 0 && (bare[rb - 1] == '?' || bare[rb - 1] == '!')) --rb;
    if (rb > 0 && bare[rb - 1] == ')') {
      std::size_t o = match_open(bare, rb - 1, 512);
      if (o != kNone) rb = o;
    }
    std::size_t wb = 0;
    a.receiver = std::string(word_before(bare, rb, &wb));
    // the name before a receiver that is a call (`OkHttpRequest` in `OkHttpRequest.getInstance().get(`)
    std::size_t d = wb;
    while (d > 0 && space(bare[d - 1])) --d;
    if (d > 0 && bare[d - 1] == '.') a.owner = std::string(word_before(bare, d - 1));
  }
  if (word_before(bare, cb) == "fun" || word_before(bare, cb) == "func") return std::nullopt;  // a default value
  a.callee = std::string(callee);
  // the argument's end: the next top-level ',' or ')'
  std::size_t close = match_close(bare, open, std::size_t{64} << 10);
  if (close == kNone) return std::nullopt;
  depth = 0;
  std::size_t arg_end = close;
  for (std::size_t k = pos; k < close; ++k) {
    char c = bare[k];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      arg_end = k;
      break;
    }
  }
  a.begin = arg_begin;
  a.end = arg_end;
  // a label: Swift `path: x`, Kotlin `path = x`
  std::string_view arg = bare.substr(arg_begin, arg_end - arg_begin);
  std::size_t lb = 0;
  while (lb < arg.size() && space(arg[lb])) ++lb;
  std::size_t le = lb;
  while (le < arg.size() && word(arg[le])) ++le;
  std::size_t after = le;
  while (after < arg.size() && (arg[after] == ' ' || arg[after] == '\t')) ++after;
  if (le > lb && after < arg.size() &&
      ((arg[after] == ':' && (after + 1 >= arg.size() || arg[after + 1] != ':')) ||
       (arg[after] == '=' && (after + 1 >= arg.size() || arg[after + 1] != '=')))) {
    a.label = std::string(arg.substr(lb, le - lb));
    a.begin = arg_begin + after + 1;
  }
  return a;
}

}  // namespace

bool path_like_name(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view w : {"path", "url", "uri", "endpoint", "route", "resource", "service", "href", "link"}) {
    if (lower.find(w) != std::string::npos) return true;
  }
  return false;
}

bool has_literal_letters(std::string_view expr) {
  char quote = 0;
  for (std::size_t i = 0; i < expr.size(); ++i) {
    char c = expr[i];
    if (quote == 0) {
      if (c == '"' || c == '\'' || c == '`') quote = c;
      continue;
    }
    if (c == quote) {
      quote = 0;
    } else if (c == '\\' && i + 1 < expr.size() && expr[i + 1] == '(') {
      std::size_t close = expr.find(')', i);
      if (close == kNone) return false;
      i = close;
    } else if (c == '$' && i + 1 < expr.size() && expr[i + 1] == '{') {
      std::size_t close = expr.find('}', i);
      if (close == kNone) return false;
      i = close;
    } else if (c == '$' && i + 1 < expr.size() && word(expr[i + 1])) {
      while (i + 1 < expr.size() && word(expr[i + 1])) ++i;
    } else if (c == '\\') {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> names_in(std::string_view expr) {
  std::vector<std::string> out;
  char quote = 0;
  for (std::size_t i = 0; i < expr.size();) {
    char c = expr[i];
    if (quote != 0) {
      if (c == '\\' && i + 1 < expr.size() && expr[i + 1] != '(') {
        i += 2;
        continue;
      }
      if (c == quote) {
        quote = 0;
        ++i;
        continue;
      }
      bool dollar = c == '$' && i + 1 < expr.size() && (word(expr[i + 1]) || expr[i + 1] == '{');
      bool swift = c == '\\' && i + 1 < expr.size() && expr[i + 1] == '(';
      if (!dollar && !swift) {
        ++i;
        continue;
      }
      std::size_t b = i + (expr[i + 1] == '{' || swift ? 2 : 1);
      std::size_t e = b;
      while (e < expr.size() && word(expr[e])) ++e;
      if (e > b) out.emplace_back(expr.substr(b, e - b));
      i = e;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      quote = c;
      ++i;
      continue;
    }
    if (word(c) && std::isdigit(static_cast<unsigned char>(c)) == 0 && (i == 0 || (expr[i - 1] != '.' && !word(expr[i - 1])))) {
      std::size_t e = i;
      while (e < expr.size() && word(expr[e])) ++e;
      out.emplace_back(expr.substr(i, e - i));
      i = e;
      continue;
    }
    ++i;
  }
  return out;
}

std::optional<FunctionSig> enclosing_function(std::string_view bare, Lang lang, std::size_t pos) {
  if (lang != Lang::kKotlin && lang != Lang::kJava && lang != Lang::kSwift) return std::nullopt;
  // A Kotlin expression body: `fun name(...)[: T] =` before pos in the same statement.
  if (lang == Lang::kKotlin) {
    int depth = 0;
    std::size_t stop = pos > 2048 ? pos - 2048 : 0;
    for (std::size_t k = std::min(pos, bare.size()); k-- > stop;) {
      char c = bare[k];
      if (c == ')' || c == ']') {
        ++depth;
      } else if (c == '(' || c == '[') {
        if (depth > 0) --depth;
      } else if (c == '{' || c == '}' || c == ';') {
        if (depth == 0) break;
      } else if (c == '=' && depth == 0 && k > 0 && bare[k - 1] != '=' && bare[k - 1] != '!' && bare[k - 1] != '<' &&
                 bare[k - 1] != '>' && k + 1 < bare.size() && bare[k + 1] != '=') {
        // `fun f(a: String): Call<X> =`: back over a return type to the parameter list
        std::size_t j = k;
        while (j > 0 && bare[j - 1] != ')' && bare[j - 1] != '\n' && bare[j - 1] != '(' && k - j < 200) --j;
        if (j == 0 || bare[j - 1] != ')') break;
        std::size_t open = match_open(bare, j - 1);
        if (open == kNone) break;
        auto sig = declared_at(bare, Lang::kKotlin, open, j - 1);
        if (!sig) break;
        sig->first_line = line_at(bare, k);
        std::size_t end = bare.find('\n', pos);
        sig->last_line = line_at(bare, end == kNone ? bare.size() : end);
        return sig;
      }
    }
  }
  for (std::size_t open = enclosing_open(bare, pos); open != kNone; open = enclosing_open(bare, open)) {
    // back over `throws X`, `: Type`, `-> Type`, `async`, `where T: P` to the parameter list's ')'
    std::size_t j = open;
    while (j > 0 && open - j < 300) {
      char c = bare[j - 1];
      if (c == ')' || c == '{' || c == '}' || c == ';' || c == '=' || c == '(') break;
      --j;
    }
    if (j == 0 || bare[j - 1] != ')') continue;
    // `-> (A, B) {` / `: () -> Unit {`: a tuple or function type, not the parameters
    std::string_view between = trim(bare.substr(j, open - j));
    if (between.ends_with("->") || between.ends_with(":")) continue;
    std::size_t popen = match_open(bare, j - 1);
    if (popen == kNone) continue;
    // `-> (Data, Int) {`: a tuple return type; the parameters are before the arrow
    std::size_t pclose = j - 1;
    std::size_t a = popen;
    while (a > 0 && space(bare[a - 1])) --a;
    if (a >= 2 && bare[a - 1] == '>' && bare[a - 2] == '-') {
      std::size_t k = a - 2;
      while (k > 0 && bare[k - 1] != ')' && bare[k - 1] != '{' && bare[k - 1] != '}' && a - k < 100) --k;
      if (k == 0 || bare[k - 1] != ')') continue;
      pclose = k - 1;
      popen = match_open(bare, pclose);
      if (popen == kNone) continue;
    }
    auto sig = declared_at(bare, lang, popen, pclose);
    if (!sig) continue;
    std::size_t close = match_close(bare, open, 4u << 20);
    sig->first_line = line_at(bare, open);
    sig->last_line = close == kNone ? sig->first_line : sig->first_line + static_cast<int>(std::count(bare.begin() + static_cast<std::ptrdiff_t>(open), bare.begin() + static_cast<std::ptrdiff_t>(close), '\n'));
    return sig;
  }
  return std::nullopt;
}

std::size_t parameter_in(std::string_view expr, const FunctionSig& fn) {
  std::size_t found = kNone;
  for (const auto& n : names_in(expr)) {
    auto it = std::find(fn.params.begin(), fn.params.end(), n);
    if (it == fn.params.end()) continue;
    auto index = static_cast<std::size_t>(it - fn.params.begin());
    if (path_like_name(n)) return index;
    found = index;  // the last one when none is named for a path
  }
  return found;
}

// An HTTP verb in any case (`Post`, `POST`, `delete`).
bool is_verb_word(std::string_view w) {
  static constexpr std::array<std::string_view, 6> kVerbs = {"get", "post", "put", "delete", "patch", "head"};
  if (w.size() < 3 || w.size() > 6) return false;
  std::string l(w);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(kVerbs.begin(), kVerbs.end(), l) != kVerbs.end();
}

// `cache.get("a/b")`, `prefs.put(KEY, v)`: a call named for an HTTP verb on a receiver not
// named for a client (client, api, service, http, rest, network, session, server, remote,
// backend, repository; for a receiver that is a call, `OkHttpRequest.getInstance().get(`, the
// name before it counts too) is some collection's, never the app's request helper. Without a
// receiver (`get("app/version")` in the helper's own class) it may be.
bool verb_call_on_other(const ArgumentOf& a) {
  static constexpr std::array<std::string_view, 7> kVerbs = {"get", "post", "put", "delete", "patch", "head", "request"};
  if (a.receiver.empty() || std::find(kVerbs.begin(), kVerbs.end(), a.callee) == kVerbs.end()) return false;
  std::string r = a.receiver + ' ' + a.owner;
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 11> kClients = {"client", "api", "service", "http", "rest", "network",
                                                                "session", "server", "remote", "backend", "repository"};
  return std::none_of(kClients.begin(), kClients.end(), [&](std::string_view k) { return r.find(k) != std::string::npos; });
}

void collect_calls(const MaskedSource& src, Lang lang, std::string_view text, FileFacts& facts) {
  if (lang != Lang::kKotlin && lang != Lang::kJava && lang != Lang::kSwift) return;
  std::string_view bare = src.bare, code = src.code;
  std::unordered_set<std::size_t> done;  // argument starts already recorded
  // Lines, counted forward as the (increasing) positions come.
  std::size_t line_pos = 0;
  int line = 1;
  auto line_of = [&](std::size_t pos) {
    if (pos < line_pos) {
      line_pos = 0;
      line = 1;
    }
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(line_pos), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    line_pos = pos;
    return line;
  };
  auto record = [&](std::size_t pos, std::optional<ArgumentOf> a) {
    if (!a || verb_call_on_other(*a) || !done.insert(a->begin).second) return;
    CallSite c;
    c.callee = std::move(a->callee);
    c.label = std::move(a->label);
    c.index = a->index;
    c.argument = std::string(trim(code.substr(a->begin, a->end - a->begin)));
    if (c.argument.empty() || c.argument.size() > 400) return;
    c.line = line_of(pos) - static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(std::min(a->open, pos)),
                                                          text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
    facts.calls.push_back(std::move(c));
  };
  // literals with a '/' and no blank (a path or a URL), as a call's argument or part of one
  for (const auto& [b, e] : src.strings) {
    if (e - b < 3 || e - b > 300 || b >= bare.size()) continue;
    std::string_view content = text.substr(b + 1, e - b - 2);
    // (an HTTP verb too: in `request(url, "POST")` it is the method of a helper that takes its
    // method as a parameter)
    static constexpr std::array<std::string_view, 6> kVerbs = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
    const bool verb = std::find(kVerbs.begin(), kVerbs.end(), content) != kVerbs.end();
    if (!verb && content.find('/') == kNone) {
      // One path segment (`request("budgets")`, `send(path = "accounts")`): only as the whole
      // argument of a call without a receiver (a helper of the caller's own class); a word that
      // begins with a lower-case letter (letters, digits, `_`, `-`, `.` and `$`/`${}` templates).
      if (content.size() < 2 || !(content[0] >= 'a' && content[0] <= 'z')) continue;
      if (!std::all_of(content.begin(), content.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                   ch == '-' || ch == '.' || ch == '$' || ch == '{' || ch == '}';
          })) {
        continue;
      }
      auto a = argument_at(bare, b);
      if (!a || !a->receiver.empty() || trim(bare.substr(a->begin, a->end - a->begin)).size() != e - b) continue;
      record(b, std::move(a));
      continue;
    }
    if (!verb && content.find_first_of(" \t\n") != kNone) continue;
    record(b, argument_at(bare, b));
  }
  // Arguments that are one name, in one pass: `(` or `,`, an optional label (`path:`, `path =`),
  // a name or a chain of names, then the argument's end.
  auto whole_argument = [&](std::size_t end) {
    while (end < bare.size() && space(bare[end])) ++end;
    return end < bare.size() && (bare[end] == ',' || bare[end] == ')');
  };
  for (std::size_t i = 0; i < bare.size(); ++i) {
    if (bare[i] != '(' && bare[i] != ',') continue;
    std::size_t k = i + 1;
    while (k < bare.size() && space(bare[k])) ++k;
    std::size_t w = k;
    while (w < bare.size() && word(bare[w])) ++w;
    if (w > k) {
      std::size_t after = w;
      while (after < bare.size() && (bare[after] == ' ' || bare[after] == '\t')) ++after;
      if (after + 1 < bare.size() && ((bare[after] == ':' && bare[after + 1] != ':') || (bare[after] == '=' && bare[after + 1] != '='))) {
        k = after + 1;
        while (k < bare.size() && space(bare[k])) ++k;
      }
    }
    std::size_t e = k;
    while (e < bare.size() && (word(bare[e]) || bare[e] == '.')) ++e;
    if (e == k || std::isdigit(static_cast<unsigned char>(bare[k])) != 0) continue;
    std::string_view chain = bare.substr(k, e - k);
    if (!whole_argument(e)) {
      // a call of a URL function (`FreshNews.getUrlFreshNews(page)`, `buildUrl(id)`) as the argument
      std::size_t p = e;
      while (p < bare.size() && space(bare[p])) ++p;
      // a concatenation of names with a constant (`getBaseApiUrl() + API_HOT`, `BASE + PATH`;
      // one with a literal path, recorded above, is not recorded twice: `done`)
      std::size_t q = p;
      if (q + 1 < bare.size() && bare[q] == '(' && bare[q + 1] == ')') q += 2;
      while (q < bare.size() && space(bare[q])) ++q;
      if (q < bare.size() && bare[q] == '+') {
        static const re2::RE2 kConstantTerm(R"(\+\s*(?:[A-Za-z_]\w*\.)*[A-Z][A-Z0-9_]{2,}\b)");
        auto a = argument_at(bare, k);
        if (a) {
          std::string_view arg = bare.substr(a->begin, a->end - a->begin);
          if (re2::RE2::PartialMatch(re2::StringPiece(arg.data(), arg.size()), kConstantTerm)) {
            record(k, std::move(a));
          }
        }
        continue;
      }
      if (p >= bare.size() || bare[p] != '(') continue;
      std::size_t close = match_close(bare, p, 4096);
      std::size_t dot = chain.rfind('.');
      if (close == kNone || !whole_argument(close + 1) ||
          !path_like_name(dot == std::string_view::npos ? chain : chain.substr(dot + 1))) {
        continue;
      }
      record(k, argument_at(bare, k));
      continue;
    }
    std::size_t dot = chain.rfind('.');
    std::string_view last = dot == std::string_view::npos ? chain : chain.substr(dot + 1);
    // an HTTP method constant given to a helper that takes its method (`HttpMethod.Post`,
    // `Request.Method.PUT`, `.delete`)
    if (dot != std::string_view::npos && is_verb_word(last)) {
      record(k, argument_at(bare, k));
      continue;
    }
    // a constant: `GET_USERS`, `Api.USERS`, `Endpoints.LOGIN_PATH`
    if (last.size() >= 3 && std::isupper(static_cast<unsigned char>(last[0])) != 0 &&
        std::all_of(last.begin(), last.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0 || std::isdigit(static_cast<unsigned char>(ch)) != 0 || ch == '_'; })) {
      record(k, argument_at(bare, k));
      continue;
    }
    // a member of a path-named type or namespace: `EndPoint.related`, `Routes.login`, `Urls.feed`
    if (dot != std::string_view::npos && path_like_name(chain.substr(0, dot))) {
      record(k, argument_at(bare, k));
      continue;
    }
    // a path-named parameter passed on (`get(path)` in `fun fetch(path: String)`: helper chains),
    // or a path-named local given its value before the call
    if (dot != std::string_view::npos || std::islower(static_cast<unsigned char>(chain[0])) == 0 || !path_like_name(chain)) continue;
    std::string_view name = chain;
    std::size_t at = k;
    auto a = argument_at(bare, at);
    if (!a || done.contains(a->begin)) continue;
    auto fn = enclosing_function(bare, lang, at);
    auto it = fn ? std::find(fn->params.begin(), fn->params.end(), name) : std::vector<std::string>::iterator();
    if (!fn || it == fn->params.end()) {
      // a local given its URL before the call (`String url = "https://x/api/..."; get(url)`)
      auto value = local_value_of(src, name, at);
      if (!value || value->empty() || value->size() > 400) continue;
      std::size_t before = facts.calls.size();
      record(at, a);
      if (facts.calls.size() > before) facts.calls.back().argument = *value;
      continue;
    }
    std::size_t before = facts.calls.size();
    record(at, a);
    if (facts.calls.size() == before) continue;
    facts.calls.back().caller = std::move(*fn);
    facts.calls.back().caller_param = static_cast<int>(it - facts.calls.back().caller.params.begin());
  }
}

void collect_url_functions(const MaskedSource& src, Lang lang, FileFacts& facts) {
  std::string_view bare = src.bare, code = src.code;
  // Java `String name(params) {`, Kotlin `fun name(params)[: String] =` or `{`, Swift `func
  // name(params) -> String|URL {`
  static const re2::RE2 kJava(R"(\b(?:String|URL|Uri)\s+(\w+)\s*\(([^()]*)\)\s*\{)");
  static const re2::RE2 kKotlin(R"(\bfun\s+(\w+)\s*\(([^()]*)\)\s*(?::\s*(?:String|URL|Uri)\??\s*)?(?:=|\{))");
  static const re2::RE2 kSwift(R"(\bfunc\s+(\w+)\s*\(([^()]*)\)\s*->\s*(?:String|URL)\??\s*\{)");
  const re2::RE2* re = lang == Lang::kJava ? &kJava : lang == Lang::kKotlin ? &kKotlin : lang == Lang::kSwift ? &kSwift : nullptr;
  if (re == nullptr) return;
  for (Matches<3> m(*re, bare); m.next();) {
    std::size_t last = m.end() - 1;
    std::string expression;
    if (bare[last] == '=') {
      expression = read_expression(code, last + 1);
    } else {
      std::size_t close = match_close(bare, last, 4096);
      if (close == kNone) continue;
      std::string_view body = trim(code.substr(last + 1, close - last - 1));
      if (body.starts_with("return ")) body = trim(body.substr(7));
      if (body.ends_with(";")) body = trim(body.substr(0, body.size() - 1));
      // one expression: no statement, block or branch inside
      std::string_view bare_body = trim(bare.substr(last + 1, close - last - 1));
      if (body.empty() || bare_body.find_first_of(";{}") < bare_body.size() - 1 || bare_body.find('\n') != std::string_view::npos) continue;
      expression = std::string(body);
    }
    // built of a literal, a constant or a concatenation: a URL or a path, not a getter's field
    if (expression.empty() || expression.size() > 400 ||
        (expression.find('"') == std::string::npos && expression.find('+') == std::string::npos &&
         !std::any_of(expression.begin(), expression.end(), [](char c) { return c == '_'; }))) {
      continue;
    }
    UrlFunction f;
    f.name = std::string(m[1]);
    for (std::string_view p : split_commas(m[2])) {
      if (!trim(p).empty()) f.params.push_back(parse_parameter(p, lang).second);
    }
    f.expression = std::move(expression);
    static const re2::RE2 kOwner(R"(\b(?:class|object|interface|enum|struct|extension)\s+(\w+))");
    if (std::size_t open = enclosing_open(bare, m.begin()); open != kNone) {
      std::size_t hb = bare.find_last_of("{};", open == 0 ? 0 : open - 1);
      hb = hb == kNone ? 0 : hb + 1;
      re2::RE2::PartialMatch(re2::StringPiece(bare.data() + hb, open - hb), kOwner, &f.owner);
    }
    facts.url_functions.push_back(std::move(f));
  }
}

std::string substitute(std::string_view expr, std::string_view param, std::string_view arg) {
  arg = trim(arg);
  // one literal's text, interpolations kept (the helper and its call are in one language):
  // "a/b" -> a/b, "fixtures/$round" -> fixtures/$round, "/history/\(id)" -> /history/\(id)
  std::optional<std::string_view> text;
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"' && !arg.starts_with(R"(""")")) {
    bool single = true;
    int depth = 0;  // inside \( ) or ${ }
    for (std::size_t i = 1; i + 1 < arg.size() && single; ++i) {
      char c = arg[i];
      if (depth == 0 && c == '\\' && i + 1 < arg.size() && arg[i + 1] != '(') {
        ++i;
      } else if ((c == '\\' && arg[i + 1] == '(') || (c == '$' && arg[i + 1] == '{')) {
        ++depth;
        ++i;
      } else if (depth > 0 && (c == ')' || c == '}')) {
        --depth;
      } else if (depth == 0 && c == '"') {
        single = false;
      }
    }
    if (single && depth == 0) text = arg.substr(1, arg.size() - 2);
  }
  std::string out;
  char quote = 0;
  auto is_param = [&](std::size_t b) {
    if (expr.substr(b, param.size()) != param) return false;
    std::size_t e = b + param.size();
    return e >= expr.size() || !word(expr[e]);
  };
  for (std::size_t i = 0; i < expr.size();) {
    char c = expr[i];
    if (quote != 0) {
      if (c == '\\' && i + 1 < expr.size() && expr[i + 1] != '(') {
        out.append(expr.substr(i, 2));
        i += 2;
        continue;
      }
      if (c == quote) quote = 0;
      // `$param`, `${param}`, `\(param)`
      std::size_t b = kNone, e = kNone;
      bool kotlin = c == '$';
      // (an opening `${` or `\(`, the name, its closing `}` or `)`)
      const bool wrapped = i + 2 + param.size() < expr.size() && is_param(i + 2) &&
                           ((c == '$' && expr[i + 1] == '{' && expr[i + 2 + param.size()] == '}') ||
                            (c == '\\' && expr[i + 1] == '(' && expr[i + 2 + param.size()] == ')'));
      if (wrapped) {
        b = i;
        e = i + 3 + param.size();
      } else if (c == '$' && is_param(i + 1)) {
        b = i;
        e = i + 1 + param.size();
      }
      if (b != kNone) {
        if (text) {
          out.append(*text);
        } else {
          out += kotlin ? "${" : "\\(";
          out.append(arg);
          out += kotlin ? "}" : ")";
        }
        i = e;
        continue;
      }
      out += c;
      ++i;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      quote = c;
      out += c;
      ++i;
      continue;
    }
    if (word(c) && (i == 0 || (!word(expr[i - 1]) && expr[i - 1] != '.')) && is_param(i)) {
      out.append(arg);
      i += param.size();
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace obscore::patterns
