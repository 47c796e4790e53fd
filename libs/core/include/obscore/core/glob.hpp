// Glob matching with gitignore semantics: `*` and `?` stop at '/', `**` crosses directories,
// `[a-z]`, `[!x]` / `[^x]` classes, backslash escapes.
#pragma once

#include <string_view>

namespace obscore::core {

// True when `text` (a '/'-separated relative path or a name) matches `pattern` as a whole.
bool glob_match(std::string_view pattern, std::string_view text);

// True when the string has glob metacharacters (`*`, `?`, `[`).
bool has_glob_chars(std::string_view s);

}  // namespace obscore::core
