// Structural reading of a match's surroundings, over masked source (see source.hpp): members of
// declarations (fields with wire names, states, methods), Swift endpoint types, request blocks
// and builder chains; the file's constants and state-holder types; rule contexts (call
// arguments, declarations). Tolerant: unbalanced brackets or odd bytes give less, never fail.
#pragma once

#include <string>
#include <string_view>

#include "obscore/patterns/patterns.hpp"
#include "source.hpp"

namespace obscore::patterns {

inline constexpr std::size_t kNpos = std::string_view::npos;

// The language group of a path: its lower-case extension ("" when none).
std::string extension_of(std::string_view path);

// `s` trimmed and cut at `max` bytes on a UTF-8 boundary ("…" appended when cut).
std::string clip(std::string_view s, std::size_t max);

// Fills `m` for a rule's `extract` from the match [begin, end). False when the construct is not
// what the rule extracts (a request block without a URL, a class that is not a data holder, a
// model without fields): the match is then dropped.
bool extract(Extract kind, const MaskedSource& src, Lang lang, std::size_t begin, std::size_t end,
             Match& m);

// Constants and state-holder types declared in a file.
void collect_facts(const MaskedSource& src, Lang lang, FileFacts& facts);

// True when `offset` lies inside an open `(` or `[` of its statement (a call's arguments).
bool in_call_arguments(std::string_view bare, std::size_t offset);

// True when the text before `offset` on its line declares a value (val, var, let, const, or a
// Java type) rather than assigning one.
bool after_declaration(std::string_view bare, std::size_t offset);

// The value a local name was last given before `before` in the file (`val url = ...`,
// `url = String.format(EndPoints.CART, id);`), read as an expression.
// `s` without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim(std::string_view s);

// The '{' that encloses `pos` in `bare` (the innermost one still open), or kNpos at top level
// (or more than 256 KiB away: bounded so that many lookups in a huge file stay linear-ish).
std::size_t enclosing_open(std::string_view bare, std::size_t pos);

// The expression that starts at code[pos]: up to ';' or a line break at depth 0 (a line break is
// crossed when the next line continues a chain with '.', '?.' or '+'), blanks collapsed.
std::string read_expression(std::string_view code, std::size_t pos);

// The 1-based line of `pos` in `text`.
int line_at(std::string_view text, std::size_t pos);

// The name of the method whose argument list holds `offset` when it is called on a receiver
// (`api.bookmarks(a, url = x)` -> "bookmarks"), looked at back to 2 KiB; "" when there is none.
std::string enclosing_call(std::string_view bare, std::size_t offset);

std::optional<std::string> local_value_of(const MaskedSource& src, std::string_view name, std::size_t before);

}  // namespace obscore::patterns
