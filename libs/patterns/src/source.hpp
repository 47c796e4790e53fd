// Source text as the rules see it: comments blanked and string literals located, with every
// byte kept at its offset (same-length replacements), so positions found in the masked text are
// positions in the file. Tolerant of any bytes: unterminated literals end at the file end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace obscore::patterns {

struct ScanContext;

enum class Lang { kKotlin, kJava, kSwift, kScript, kOther };

// The language of a file by its extension (kts, kt -> Kotlin; ts/js/... -> kScript).
Lang language_of(std::string_view path);

struct MaskedSource {
  // The text with comments replaced by spaces (line breaks kept): what rules match.
  std::string code;
  // `code` with the contents of string literals also replaced by spaces (the quotes kept): what
  // the structural passes read for brackets and keywords. Values are read from the original.
  std::string bare;
  // [begin, end) of every string literal (quotes included) and every comment, in order.
  std::vector<std::pair<std::size_t, std::size_t>> strings, comments;
  // What the run knows across files (null: nothing).
  const ScanContext* context = nullptr;

  bool in_string(std::size_t offset) const;
  bool in_comment(std::size_t offset) const;
};

// Masks `text` for `lang`: `//` and `/* */` comments (nested in Kotlin and Swift), `#` comments
// in kOther files are left alone (no rule language uses them), string and character literals
// including Kotlin/Java/Swift triple-quoted ones, Swift raw strings (#"..."#) and
// interpolations (\(...), ${...}), JavaScript template literals.
MaskedSource mask_source(std::string_view text, Lang lang);

}  // namespace obscore::patterns
