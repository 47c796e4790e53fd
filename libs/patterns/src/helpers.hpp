// Request helpers: an app's own functions that send a request to a URL built from one of their
// parameters (`fun delete(url: String)`, `void downloadFeed(Context c, String path)`, `func
// get(path: String)`), and the calls that hand them a path. Read over masked source (see
// source.hpp); tolerant of any text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/patterns/patterns.hpp"
#include "source.hpp"

namespace obscore::patterns {

// The function whose body holds bare[pos]: the nearest enclosing `{` that opens a function or
// method (Kotlin `fun`, Swift `func` / `init`, a Java method or constructor), past control
// blocks and lambdas, or a Kotlin expression body (`fun f(x: String) = ...`). Lines are 1-based.
std::optional<FunctionSig> enclosing_function(std::string_view bare, Lang lang, std::size_t pos);

// The parameter of `fn` that the path expression `expr` is built from (a term of a
// concatenation, an interpolation, an argument of a call in it), preferring one named for a
// path or URL; npos when none is.
std::size_t parameter_in(std::string_view expr, const FunctionSig& fn);

// The names `expr` reads: identifiers outside literals (not after '.') and those interpolated in
// them (`$x`, `${x.y}` -> x, `\(x)`).
std::vector<std::string> names_in(std::string_view expr);

// True when a name says it holds a path or URL (`path`, `endpointUrl`, `resourceURI`, `route`).
bool path_like_name(std::string_view name);

// True when the literals of `expr` hold a letter outside their interpolations (`"/users/$id"`
// does, `"$base$path"` and `base + path` do not).
bool has_literal_letters(std::string_view expr);

// Records in `facts.calls` the calls of the file with an argument that may be a path (see
// CallSite). `text` is the file as read.
void collect_calls(const MaskedSource& src, Lang lang, std::string_view text, FileFacts& facts);

// Records in `facts.url_functions` the functions of the file whose body only returns a string
// expression with a literal, a constant or a concatenation (see UrlFunction).
void collect_url_functions(const MaskedSource& src, Lang lang, FileFacts& facts);

// `expr` with the parameter `param` replaced by the argument expression `arg`: a term of the
// expression becomes `arg`, an interpolation of a string template (`$param`, `${param}`,
// `\(param)`) the literal's text when `arg` is a plain literal, else an interpolation of `arg`.
std::string substitute(std::string_view expr, std::string_view param, std::string_view arg);

}  // namespace obscore::patterns
