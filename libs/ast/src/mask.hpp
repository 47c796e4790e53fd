// Masks, all in one place (mask.cpp): source text rewritten before the parse where a pinned grammar cannot read a construct
// of the language (the grammars cannot be regenerated here). Every replacement has the length of
// what it replaces and keeps newlines, so byte offsets, lines and columns stay those of the
// file. Each mask that fired is reported (kind "mask") so --explain shows what was assumed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "obscore/ast/ast.hpp"

namespace obscore::ast {

// The text to parse: `source` itself when no mask applies, else `storage` holding the masked
// copy. Appends one assumption per mask kind that fired (first and last line, count). Swift,
// Kotlin, C, C++ (mask.cpp's line rules), Objective-C and Dart (mask_objc, mask_dart below).
std::string_view mask_source(std::string_view source, Language lang, std::string& storage,
                             std::vector<FileMetrics::Assumption>& applied);

// `src` with comments and string and character literals blanked out (same length, newlines
// kept): what is left is code, so a marker in a licence text or a doc comment (Doxygen's `@class`)
// is not taken for code.
std::string code_only(std::string_view src);

// Objective-C: Apple SDK macros that tree-sitter-objc 3.0.2 does not know, rewritten so that the
// declarations around them parse:
//  - `typedef NS_ENUM(NSInteger, Name) {` (any `*_ENUM`/`*_OPTIONS` macro with a type and a name)
//    becomes `enum Name {`;
//  - a macro alone on a line outside any braces (`NS_ASSUME_NONNULL_BEGIN`, `NS_SWIFT_UI_ACTOR`,
//    `API_AVAILABLE(ios(13))` before an @interface) is blanked;
//  - annotation macros trailing a method, property or function declaration (`- (void)f
//    API_DEPRECATED_WITH_REPLACEMENT("g", ios(8, 13));`) or a typedef (`typedef NSString *Key
//    NS_STRING_ENUM;`) are blanked.
// Returns whether anything was masked; then `storage` holds the masked text and `applied` one
// entry per mask (kind "mask").
bool mask_objc(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied);

// Dart (@sengac/tree-sitter-dart 1.1.6): the unnamed `library;` directive and a label before a
// loop (`outer: for ...`; `break outer;` still counts as a labelled jump) are blanked, and an
// empty object pattern (`case Loading():`, `Data<T>() => x` opening a switch expression arm)
// becomes the constant pattern `Loading` (its `()` and type arguments blanked): same arms, same
// metrics. Same contract as mask_objc.
bool mask_dart(std::string_view src, std::string& storage,
               std::vector<FileMetrics::Assumption>& applied);

}  // namespace obscore::ast
