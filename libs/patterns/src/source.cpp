// Comment and string masking with offsets kept (see source.hpp).
#include "source.hpp"

#include <algorithm>
#include <cctype>

namespace obscore::patterns {

namespace {

constexpr int kMaxDepth = 32;  // interpolation nesting followed; deeper is treated as text

class Masker {
 public:
  Masker(std::string_view text, Lang lang) : t_(text), lang_(lang) {}

  MaskedSource run() {
    MaskedSource out;
    out.code.assign(t_.data(), t_.size());
    std::size_t i = 0;
    while (i < t_.size()) {
      char c = t_[i];
      if (c == '/' && i + 1 < t_.size() && (t_[i + 1] == '/' || t_[i + 1] == '*')) {
        std::size_t e = skip_comment(i);
        out.comments.emplace_back(i, e);
        i = e;
        continue;
      }
      if (starts_string(i)) {
        std::size_t e = skip_string(i, 0);
        out.strings.emplace_back(i, e);
        i = e;
        continue;
      }
      ++i;
    }
    for (const auto& [b, e] : out.comments) {
      for (std::size_t k = b; k < e; ++k) {
        if (out.code[k] != '\n') out.code[k] = ' ';
      }
    }
    out.bare = out.code;
    for (const auto& [b, e] : out.strings) {
      for (std::size_t k = b + 1; k + 1 < e; ++k) {
        if (out.bare[k] != '\n') out.bare[k] = ' ';
      }
    }
    return out;
  }

 private:
  bool starts_string(std::size_t i) const {
    char c = t_[i];
    if (c == '"') return true;
    if (c == '\'') return lang_ != Lang::kSwift;
    if (c == '`') return lang_ == Lang::kScript;
    if (c == '#' && lang_ == Lang::kSwift) {  // raw string #"..."#
      std::size_t j = i;
      while (j < t_.size() && t_[j] == '#') ++j;
      return j < t_.size() && t_[j] == '"' && (i == 0 || !is_word(t_[i - 1]));
    }
    return false;
  }

  static bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  std::size_t skip_comment(std::size_t i) const {
    if (t_[i + 1] == '/') {
      std::size_t nl = t_.find('\n', i);
      return nl == std::string_view::npos ? t_.size() : nl;
    }
    bool nests = lang_ == Lang::kKotlin || lang_ == Lang::kSwift;
    int depth = 0;
    std::size_t j = i;
    while (j + 1 < t_.size()) {
      if (t_[j] == '/' && t_[j + 1] == '*' && (nests || depth == 0)) {
        ++depth;
        j += 2;
      } else if (t_[j] == '*' && t_[j + 1] == '/') {
        j += 2;
        if (--depth == 0) return j;
      } else {
        ++j;
      }
    }
    return t_.size();
  }

  // Code inside an interpolation, from `i` (after the opener) to the bracket closing it.
  std::size_t skip_code(std::size_t i, char close, int level) const {
    char open = close == ')' ? '(' : '{';
    int depth = 1;
    while (i < t_.size()) {
      char c = t_[i];
      if (c == '/' && i + 1 < t_.size() && (t_[i + 1] == '/' || t_[i + 1] == '*')) {
        i = skip_comment(i);
        continue;
      }
      if (starts_string(i)) {
        i = skip_string(i, level + 1);
        continue;
      }
      if (c == open) ++depth;
      if (c == close && --depth == 0) return i + 1;
      if (c == '\n' && close == ')' && lang_ == Lang::kSwift && depth == 1) return i;  // broken
      ++i;
    }
    return t_.size();
  }

  std::size_t skip_string(std::size_t i, int level) const {
    std::size_t hashes = 0;
    while (t_[i] == '#') {
      ++hashes;
      ++i;
    }
    char q = t_[i];
    bool triple = q == '"' && t_.substr(i, 3) == R"(""")" && lang_ != Lang::kScript;
    std::size_t j = i + (triple ? 3 : 1);
    bool interpolates = level < kMaxDepth && hashes == 0 &&
                        (lang_ == Lang::kSwift || lang_ == Lang::kKotlin ||
                         (lang_ == Lang::kScript && q == '`'));
    bool raw_kotlin = triple && lang_ == Lang::kKotlin;  // no escapes in Kotlin raw strings
    while (j < t_.size()) {
      char c = t_[j];
      if (c == '\\' && !raw_kotlin) {
        if (hashes > 0) {  // raw: an escape is \#...
          ++j;
          continue;
        }
        if (interpolates && lang_ == Lang::kSwift && j + 1 < t_.size() && t_[j + 1] == '(') {
          j = skip_code(j + 2, ')', level);
          continue;
        }
        j += 2;
        continue;
      }
      if (interpolates && lang_ != Lang::kSwift && c == '$' && j + 1 < t_.size() && t_[j + 1] == '{') {
        j = skip_code(j + 2, '}', level);
        continue;
      }
      if (c == q) {
        if (triple) {
          if (t_.substr(j, 3) == R"(""")") {
            std::size_t e = j + 3;
            while (e < t_.size() && t_[e] == '"') ++e;  // """" closes with the last three
            return close_hashes(e, hashes);
          }
          ++j;
          continue;
        }
        if (hashes > 0) {
          std::size_t e = j + 1, n = 0;
          while (e < t_.size() && t_[e] == '#' && n < hashes) {
            ++e;
            ++n;
          }
          if (n == hashes) return e;
          j = e;
          continue;
        }
        return j + 1;
      }
      if (c == '\n' && !triple && q != '`') return j;  // unterminated: ends at the line end
      ++j;
    }
    return t_.size();
  }

  std::size_t close_hashes(std::size_t e, std::size_t hashes) const {
    std::size_t n = 0;
    while (e < t_.size() && t_[e] == '#' && n < hashes) {
      ++e;
      ++n;
    }
    return e;
  }

  std::string_view t_;
  Lang lang_;
};

bool inside(const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t offset) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), offset,
                             [](std::size_t o, const auto& r) { return o < r.first; });
  if (it == ranges.begin()) return false;
  --it;
  return offset >= it->first && offset < it->second;
}

}  // namespace

bool MaskedSource::in_string(std::size_t offset) const { return inside(strings, offset); }
bool MaskedSource::in_comment(std::size_t offset) const { return inside(comments, offset); }

Lang language_of(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return Lang::kOther;
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "kt" || ext == "kts") return Lang::kKotlin;
  if (ext == "java") return Lang::kJava;
  if (ext == "swift") return Lang::kSwift;
  for (const char* e : {"ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "dart", "go", "rs",
                        "c", "h", "cc", "cpp", "cxx", "hpp", "cs", "scala", "m", "mm"}) {
    if (ext == e) return Lang::kScript;
  }
  return Lang::kOther;
}

MaskedSource mask_source(std::string_view text, Lang lang) {
  if (lang == Lang::kOther) {
    MaskedSource out;
    out.code.assign(text.data(), text.size());
    out.bare = out.code;
    return out;
  }
  return Masker(text, lang).run();
}

}  // namespace obscore::patterns
