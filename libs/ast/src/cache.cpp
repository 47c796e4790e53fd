// The ast result cache: line-oriented records, fields separated by tabs, text escaped.
#include "cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "obscore/core/atomic_file.hpp"

namespace obscore::ast {

namespace {

constexpr std::string_view kMagic = "obscore-ast-cache 2";

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  for (;;) {
    std::size_t end = line.find(sep, pos);
    if (end == std::string_view::npos) {
      parts.push_back(line.substr(pos));
      return parts;
    }
    parts.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
}

bool to_int(std::string_view s, int& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool mkdirs(const std::string& path) {
  std::string cur;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    cur = path.substr(0, pos);
    if (cur.empty()) continue;
    if (::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

}  // namespace

std::string encode_metrics(const std::string& key, const FileMetrics& m) {
  std::string s;
  s += kMagic;
  s += '\t';
  s += key;
  s += '\n';
  s += "file\t" + std::to_string(static_cast<int>(m.language)) + '\t' + std::to_string(m.lines) +
       '\t' + std::to_string(m.sloc) + '\t' + std::to_string(m.parse_errors) + '\t' +
       std::to_string(m.first_error_line) + '\t' + std::to_string(m.first_error_column) + '\n';
  for (const auto& a : m.assumptions) {
    s += "a\t" + std::to_string(a.line) + '\t' + std::to_string(a.end_line) + '\t' + escape(a.kind) +
         '\t' + escape(a.detail) + '\n';
  }
  for (const auto& f : m.functions) {
    s += "f";
    for (int v : {f.start_line, f.end_line, f.loc, f.sloc, f.params, f.cyclomatic, f.cognitive,
                  f.max_nesting, f.first_line}) {
      s += '\t';
      s += std::to_string(v);
    }
    s += '\t' + escape(f.kind) + '\t' + escape(f.name) + '\t' + escape(f.qualified_name) + '\n';
    for (const auto& inc : f.increments) {
      s += "i\t" + std::to_string(inc.line) + '\t' + std::to_string(inc.amount) + '\t' +
           escape(inc.metric) + '\t' + escape(inc.reason) + '\n';
    }
  }
  s += "end\n";
  return s;
}

std::optional<FileMetrics> decode_metrics(const std::string& key, std::string_view text) {
  FileMetrics m;
  bool header = false, file = false, end = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return std::nullopt;  // truncated record
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (end) return std::nullopt;  // trailing garbage
    auto parts = split(line, '\t');
    if (!header) {
      if (parts.size() != 2 || parts[0] != kMagic || parts[1] != key) return std::nullopt;
      header = true;
    } else if (parts[0] == "file") {
      int v[6];
      if (parts.size() != 7) return std::nullopt;
      for (int i = 0; i < 6; ++i) {
        if (!to_int(parts[static_cast<std::size_t>(i) + 1], v[i])) return std::nullopt;
      }
      if (v[0] < 0 || v[0] > static_cast<int>(Language::kRust)) return std::nullopt;
      m.language = static_cast<Language>(v[0]);
      m.lines = v[1];
      m.sloc = v[2];
      m.parse_errors = v[3];
      m.first_error_line = v[4];
      m.first_error_column = v[5];
      file = true;
    } else if (parts[0] == "f") {
      if (!file || parts.size() != 13) return std::nullopt;
      FunctionMetrics f;
      int* fields[] = {&f.start_line, &f.end_line, &f.loc, &f.sloc, &f.params,
                       &f.cyclomatic, &f.cognitive, &f.max_nesting, &f.first_line};
      for (std::size_t i = 0; i < 9; ++i) {
        if (!to_int(parts[i + 1], *fields[i])) return std::nullopt;
      }
      f.kind = unescape(parts[10]);
      f.name = unescape(parts[11]);
      f.qualified_name = unescape(parts[12]);
      m.functions.push_back(std::move(f));
    } else if (parts[0] == "a") {
      if (!file || parts.size() != 5) return std::nullopt;
      FileMetrics::Assumption a;
      if (!to_int(parts[1], a.line) || !to_int(parts[2], a.end_line)) return std::nullopt;
      a.kind = unescape(parts[3]);
      a.detail = unescape(parts[4]);
      m.assumptions.push_back(std::move(a));
    } else if (parts[0] == "i") {
      if (m.functions.empty() || parts.size() != 5) return std::nullopt;
      Increment inc;
      if (!to_int(parts[1], inc.line) || !to_int(parts[2], inc.amount)) return std::nullopt;
      inc.metric = unescape(parts[3]);
      inc.reason = unescape(parts[4]);
      m.functions.back().increments.push_back(std::move(inc));
    } else if (parts[0] == "end" && parts.size() == 1) {
      end = true;
    } else {
      return std::nullopt;
    }
  }
  if (!end || !file) return std::nullopt;
  return m;
}

Cache::Cache(std::string dir) : dir_(dir.empty() ? default_dir() : std::move(dir)) {}

std::string Cache::default_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/obscore/ast";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.cache/obscore/ast";
  return "/tmp/obscore-cache/ast";
}

std::string Cache::path_for(const std::string& key) const {
  return dir_ + "/" + key.substr(0, 2) + "/" + key.substr(2);
}

std::optional<FileMetrics> Cache::load(const std::string& key) const {
  int fd = ::open(path_for(key).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[16384];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > (64u << 20)) break;
  }
  ::close(fd);
  return decode_metrics(key, text);
}

void Cache::store(const std::string& key, const FileMetrics& m) const {
  std::string path = path_for(key);
  std::string sub = path.substr(0, path.rfind('/'));
  if (!mkdirs(sub)) return;
  // A failed store only costs a re-parse next time.
  (void)core::write_file_atomically(path, encode_metrics(key, m));
}

}  // namespace obscore::ast
