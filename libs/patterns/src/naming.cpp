// Serialisation naming policies (see naming.hpp).
#include "naming.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include "extract.hpp"
#include "helpers.hpp"
#include "matches.hpp"

namespace obscore::patterns {

namespace {


bool upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0; }
char to_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char to_upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

// Gson's separateCamelCase: the separator before every capital but a leading one.
std::string separate_each(std::string_view name, char sep) {
  std::string out;
  for (char c : name) {
    if (upper(c) && !out.empty()) out += sep;
    out += c;
  }
  return out;
}

// Words split where a lower-case letter or digit meets a capital, and before the last capital
// of an acronym followed by a lower-case letter (Swift's convertToSnakeCase): myURLValue ->
// my URL Value, userID -> user ID.
std::string separate_words(std::string_view name, char sep) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (i > 0 && upper(c) && name[i - 1] != '_' &&
        (lower(name[i - 1]) || (upper(name[i - 1]) && i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1])) != 0))) {
      out += sep;
    }
    out += c;
  }
  return out;
}

std::string lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), to_lower);
  return s;
}

}  // namespace

std::string apply_naming(std::string_view style, std::string_view name) {
  if (name.empty()) return {};
  if (style == "gson_snake") return lowered(separate_each(name, '_'));
  if (style == "gson_kebab") return lowered(separate_each(name, '-'));
  if (style == "gson_dots") return lowered(separate_each(name, '.'));
  if (style == "gson_upper_snake") {
    std::string s = separate_each(name, '_');
    std::transform(s.begin(), s.end(), s.begin(), to_upper);
    return s;
  }
  if (style == "snake") return lowered(separate_words(name, '_'));
  if (style == "kebab") return lowered(separate_words(name, '-'));
  if (style == "upper_camel") {
    std::string s(name);
    s[0] = to_upper(s[0]);
    return s;
  }
  if (style == "lower") return lowered(std::string(name));
  return {};
}

void collect_naming_policies(const MaskedSource& src, Lang lang, FileFacts& facts) {
  std::string_view code = src.code;
  if (lang == Lang::kKotlin || lang == Lang::kJava) {
    struct Style {
      const char* word;
      const char* style;
    };
    static constexpr Style kStyles[] = {
        {"LOWER_CASE_WITH_UNDERSCORES", "gson_snake"}, {"LOWER_CASE_WITH_DASHES", "gson_kebab"},
        {"LOWER_CASE_WITH_DOTS", "gson_dots"},         {"UPPER_CASE_WITH_UNDERSCORES", "gson_upper_snake"},
        {"UPPER_CAMEL_CASE", "upper_camel"},           {"SNAKE_CASE", "snake"},
        {"KEBAB_CASE", "kebab"},                       {"LOWER_CASE", "lower"},
        {"SnakeCaseStrategy", "snake"},                {"KebabCaseStrategy", "kebab"},
        {"UpperCamelCaseStrategy", "upper_camel"},     {"LowerCaseStrategy", "lower"},
        {"SnakeCase", "snake"},                        {"KebabCase", "kebab"},
    };
    // Gson (FieldNamingPolicy.X), Jackson (PropertyNamingStrategies.X, PropertyNamingStrategy.X,
    // X Strategy classes), kotlinx.serialization (JsonNamingStrategy.X)
    static const re2::RE2 kPolicy(
        R"(\b(FieldNamingPolicy|PropertyNamingStrateg(?:y|ies)|JsonNamingStrategy)\s*\.\s*(\w+))");
    for (Matches<3> m(kPolicy, code); m.next();) {
      std::string_view owner = m[1], word = m[2];
      bool gson = owner == "FieldNamingPolicy";
      std::string style;
      for (const auto& s : kStyles) {
        if (word == s.word && (gson == std::string_view(s.style).starts_with("gson_") || std::string_view(s.style) == "upper_camel")) {
          style = s.style;
        }
      }
      if (style.empty()) continue;
      NamingPolicy p{"jvm", style, std::string(m[0]), line_at(code, m.begin()), {}};
      // `@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class) class X`: that class only
      std::size_t at = m.begin();
      std::size_t ann = code.rfind("@JsonNaming", at);
      if (ann != std::string_view::npos && at - ann < 80) {
        static const re2::RE2 kClass(R"(\bclass\s+(\w+))");
        std::string name;
        re2::StringPiece rest(code.data() + at, std::min<std::size_t>(code.size() - at, 400));
        if (re2::RE2::PartialMatch(rest, kClass, &name)) p.types.push_back(name);
      }
      facts.naming_policies.push_back(std::move(p));
    }
    return;
  }
  if (lang != Lang::kSwift) return;
  static const re2::RE2 kStrategy(R"(\b(keyDecodingStrategy|keyEncodingStrategy)\s*=\s*\.(convertFromSnakeCase|convertToSnakeCase)\b)");
  static const re2::RE2 kDecoded(R"(\.(?:decode|encode)\s*\(\s*\[?\s*([A-Za-z_]\w*)\s*\]?\s*\.self)");
  for (Matches<3> m(kStrategy, code); m.next();) {
    NamingPolicy p{"swift", "snake", std::string(m[0]), line_at(code, m.begin()), {}};
    // the types the function that configures the coder decodes (`decode(PiMonitorMetrics.self`);
    // a generic `T.self` leaves it for the whole package
    if (auto fn = enclosing_function(src.bare, lang, m.begin())) {
      std::size_t b = 0;
      for (int l = 1; l < fn->first_line && b != std::string_view::npos; ++l) b = code.find('\n', b) + 1;
      std::size_t e = b;
      for (int l = fn->first_line; l <= fn->last_line && e != std::string_view::npos && e < code.size(); ++l) {
        e = code.find('\n', e);
        if (e != std::string_view::npos) ++e;
      }
      if (b != std::string_view::npos && b < code.size()) {
        std::string_view body = code.substr(b, (e == std::string_view::npos ? code.size() : e) - b);
        bool generic = false;
        for (Matches<2> d(kDecoded, body); d.next();) {
          std::string_view type = d[1];
          if (type.size() <= 2 || type == "Self") {  // `T.self`, a generic parameter
            generic = true;
          } else if (std::find(p.types.begin(), p.types.end(), type) == p.types.end()) {
            p.types.emplace_back(type);
          }
        }
        if (generic) p.types.clear();
      }
    }
    facts.naming_policies.push_back(std::move(p));
  }
}

}  // namespace obscore::patterns
