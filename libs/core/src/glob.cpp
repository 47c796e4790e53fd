// Iterative glob matcher with gitignore semantics. `*` backtracks over one segment; `**`
// (as a whole segment) backtracks over whole directories, so matching is linear-ish and
// never recursive.
#include "obscore/core/glob.hpp"

#include <cstddef>

namespace obscore::core {

namespace {

// Matches a bracket expression at p[i] == '[' against c. Returns the index after ']' or npos
// when the bracket is unterminated (then '[' is a literal).
std::size_t match_class(std::string_view p, std::size_t i, char c, bool& matched) {
  std::size_t j = i + 1;
  bool negate = false;
  if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
    negate = true;
    ++j;
  }
  bool found = false;
  bool first = true;
  while (j < p.size() && (p[j] != ']' || first)) {
    first = false;
    char lo = p[j];
    if (lo == '\\' && j + 1 < p.size()) lo = p[++j];
    char hi = lo;
    if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
      hi = p[j + 2];
      if (hi == '\\' && j + 3 < p.size()) {
        hi = p[j + 3];
        ++j;
      }
      j += 2;
    }
    if (lo <= c && c <= hi) found = true;
    ++j;
  }
  if (j >= p.size()) return std::string_view::npos;
  matched = (found != negate) && c != '/';
  return j + 1;
}

}  // namespace

bool has_glob_chars(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

bool glob_match(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0;
  // Backtrack points: for the last single '*' and the last '**'.
  std::size_t star_p = std::string_view::npos, star_t = 0;
  std::size_t dstar_p = std::string_view::npos, dstar_t = 0;
  while (ti < t.size() || pi < p.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        bool dbl = pi + 1 < p.size() && p[pi + 1] == '*';
        if (dbl) {
          // '**' is special only as a whole segment: start (or after '/') and end (or before '/').
          bool seg_start = pi == 0 || p[pi - 1] == '/';
          std::size_t after = pi + 2;
          while (after < p.size() && p[after] == '*') ++after;
          bool seg_end = after == p.size() || p[after] == '/';
          if (seg_start && seg_end) {
            if (after == p.size()) return true;  // trailing '**' matches everything left
            // "**/" matches zero or more directories.
            dstar_p = after + 1;
            dstar_t = ti;
            star_p = std::string_view::npos;
            pi = after + 1;
            continue;
          }
          // Otherwise '**' acts like '*'.
          pi = after - 1;
        }
        star_p = pi + 1;
        star_t = ti;
        ++pi;
        continue;
      }
      if (ti < t.size()) {
        char tc = t[ti];
        if (pc == '?') {
          if (tc != '/') {
            ++pi;
            ++ti;
            continue;
          }
        } else if (pc == '[') {
          bool matched = false;
          std::size_t next = match_class(p, pi, tc, matched);
          if (next == std::string_view::npos) {
            if (tc == '[') {
              ++pi;
              ++ti;
              continue;
            }
          } else if (matched) {
            pi = next;
            ++ti;
            continue;
          }
        } else {
          if (pc == '\\' && pi + 1 < p.size()) {
            pc = p[pi + 1];
            if (pc == tc) {
              pi += 2;
              ++ti;
              continue;
            }
          } else if (pc == tc) {
            ++pi;
            ++ti;
            continue;
          }
        }
      }
    }
    // Mismatch: extend the last '*' by one character within the segment, else the last '**'
    // by one directory.
    if (star_p != std::string_view::npos && star_t < t.size() && t[star_t] != '/') {
      pi = star_p;
      ti = ++star_t;
      continue;
    }
    if (dstar_p != std::string_view::npos) {
      std::size_t slash = t.find('/', dstar_t);
      if (slash == std::string_view::npos) return false;
      dstar_t = slash + 1;
      ti = dstar_t;
      pi = dstar_p;
      star_p = std::string_view::npos;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace obscore::core
