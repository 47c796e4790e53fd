// Path helpers of a run: which walked files are not the app's own code (skip_reason) and the one
// HTTP path normalisation every language's contracts go through (normalize_path).
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The name a path parameter takes from an interpolated expression: its last identifier, past
// members that only convert the value to text (`movieID.rawValue`, `id.toString()`,
// `uuid.uuidString`), which name nothing.
std::string last_identifier(std::string_view expr) {
  static constexpr std::string_view kConversions[] = {"rawValue", "uuidString", "description", "stringValue",
                                                      "absoluteString", "toString", "lowercased", "uppercased"};
  std::string best;
  for (std::size_t i = 0; i < expr.size();) {
    if (std::isalpha(static_cast<unsigned char>(expr[i])) || expr[i] == '_') {
      std::size_t j = i;
      while (j < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[j])) || expr[j] == '_')) ++j;
      std::string_view word = expr.substr(i, j - i);
      if (best.empty() || std::find(std::begin(kConversions), std::end(kConversions), word) == std::end(kConversions)) {
        best = std::string(word);
      }
      i = j;
    } else {
      ++i;
    }
  }
  return best.empty() ? "param" : best;
}

}  // namespace

std::optional<std::string> skip_reason(std::string_view relative) {
  auto parts = components(relative);
  if (parts.empty()) return std::nullopt;
  std::string_view file = parts.back();
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    std::string_view d = parts[i];
    if (d == "src" && i + 2 < parts.size()) {
      std::string_view next = parts[i + 1];
      if (next.starts_with("test") || next.starts_with("androidTest") || next == "sharedTest" ||
          ends_with(next, "Test")) {
        return std::string("test sources");
      }
    }
    if (ends_with(d, "Tests") || ends_with(d, "UITests") || d == "__tests__" || d == "test" || d == "tests" ||
        d == "spec" || d == "specs") {
      return std::string("test sources");
    }
    if (d == "build" || d == ".build" || d == "DerivedData" || d == "generated" || d == "Generated") {
      return std::string("generated code (build output)");
    }
    if (d == "Pods" || d == "Carthage" || d == "node_modules" || ends_with(d, ".xcframework") ||
        ends_with(d, ".framework")) {
      return std::string("vendored dependencies");
    }
    if (ends_with(d, ".xctemplate")) return std::string("Xcode file templates");
    if (ends_with(d, ".playground")) return std::string("Xcode playgrounds");
    if (d == "assets" && (ends_with(file, ".js") || ends_with(file, ".mjs"))) {
      return std::string("bundled web assets");
    }
  }
  // Script test files (`api_spec.js`, `client.test.ts`, `login.spec.js`)
  for (std::string_view marker : {".spec.", "_spec.", ".test.", "_test."}) {
    std::size_t at = file.rfind(marker);
    if (at != std::string_view::npos && at > 0 && file.find('.', at + marker.size()) == std::string_view::npos &&
        (ends_with(file, "js") || ends_with(file, "ts") || ends_with(file, "jsx") || ends_with(file, "tsx"))) {
      return std::string("test sources");
    }
  }
  // Kotlin scripts are builds and tools (`build.gradle.kts`, `convert.main.kts`), not the app.
  if (ends_with(file, ".kts")) return std::string("build and tool scripts");
  if (ends_with(file, ".min.js") || ends_with(file, ".min.mjs") || ends_with(file, ".bundle.js") ||
      ends_with(file, "-min.js")) {
    return std::string("minified files");
  }
  // Code generators' own suffixes: Apollo GraphQL, SwiftGen/Sourcery, protobuf, Dart build_runner.
  for (std::string_view suffix : {".graphql.swift", ".generated.swift", ".generated.kt", ".pb.swift", ".g.dart",
                                  ".freezed.dart"}) {
    if (ends_with(file, suffix)) return std::string("generated code (generator suffix)");
  }
  return std::nullopt;
}

std::string normalize_path(std::string_view path, std::string* host) {
  std::string s;
  // 1. interpolations and parameters -> {name}
  for (std::size_t i = 0; i < path.size();) {
    char c = path[i];
    if (c == '\\' && i + 1 < path.size() && path[i + 1] == '(') {  // Swift \(expr)
      int depth = 0;
      std::size_t j = i + 1;
      for (; j < path.size(); ++j) {
        if (path[j] == '(') ++depth;
        if (path[j] == ')' && --depth == 0) break;
      }
      s += "{" + last_identifier(path.substr(i + 2, j - i - 2)) + "}";
      i = j + 1;
      continue;
    }
    if (c == '$' && i + 1 < path.size() && path[i + 1] == '{') {  // Kotlin / JS ${expr}
      std::size_t j = path.find('}', i);
      if (j == std::string_view::npos) j = path.size();
      s += "{" + last_identifier(path.substr(i + 2, j - i - 2)) + "}";
      i = j + 1;
      continue;
    }
    if (c == '$' && i + 1 < path.size() && (std::isalpha(static_cast<unsigned char>(path[i + 1])) || path[i + 1] == '_')) {
      std::size_t j = i + 1;
      while (j < path.size() && (std::isalnum(static_cast<unsigned char>(path[j])) || path[j] == '_')) ++j;
      s += "{" + std::string(path.substr(i + 1, j - i - 1)) + "}";
      i = j;
      continue;
    }
    if (c == '%' && i + 1 < path.size()) {  // printf-style
      std::size_t j = i + 1;
      while (j < path.size() && (std::isdigit(static_cast<unsigned char>(path[j])) || path[j] == '$' || path[j] == '.' || path[j] == 'l')) ++j;
      if (j < path.size() && (path[j] == 's' || path[j] == 'd' || path[j] == '@' || path[j] == 'i' || path[j] == 'u')) {
        s += "{param}";
        i = j + 1;
        continue;
      }
    }
    if (c == ':' && (i == 0 || path[i - 1] == '/') && i + 1 < path.size() &&
        (std::isalpha(static_cast<unsigned char>(path[i + 1])) || path[i + 1] == '_')) {  // Express :id
      std::size_t j = i + 1;
      while (j < path.size() && (std::isalnum(static_cast<unsigned char>(path[j])) || path[j] == '_')) ++j;
      s += "{" + std::string(path.substr(i + 1, j - i - 1)) + "}";
      i = j;
      continue;
    }
    s += c;
    ++i;
  }
  // 2. scheme and host (the scheme may be a variable: `protocol + "://" + hostname + ":" + port`)
  static const re2::RE2 kScheme(R"(^(?:https?|wss?|\{\w+\}/?)://)");
  if (re2::RE2::PartialMatch(s, kScheme)) {
    std::size_t start = s.find("://") + 3;
    std::size_t slash = s.find('/', start);
    if (host != nullptr) *host = s.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    s = slash == std::string::npos ? "/" : s.substr(slash);
  }
  // 3. query and fragment (`&a=b` appended to a URL that has its query already)
  std::size_t q = s.find_first_of("?#&");
  if (q != std::string::npos) s.erase(q);
  // 4. a leading base-URL placeholder
  static const re2::RE2 kBase(R"(^/?\{(\w*(?i:url|host|base|server|domain|endpoint|api|root|origin)\w*)\}(?:/|$))");
  re2::StringPiece in(s), name;
  if (re2::RE2::PartialMatch(in, kBase, &name)) {
    std::size_t close = s.find('}');
    s.erase(0, close + 1);
  }
  // 5. slashes
  std::string out;
  for (char c : s) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out += c;
  }
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  // 6. `.` segments (`@POST("./?method=x")` is the base URL itself)
  for (std::size_t dot = out.find("/./"); dot != std::string::npos; dot = out.find("/./")) out.erase(dot, 2);
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, "/.") == 0) out.erase(out.size() - 1);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace obscore::patterns
