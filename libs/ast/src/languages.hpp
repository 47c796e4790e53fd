// Per-language tables: which tree-sitter node types are functions, classes, decisions,
// loops, etc. The metric walker (metrics.cpp) is generic over these roles.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

#include "obscore/ast/ast.hpp"

namespace obscore::ast {

enum class Role : std::uint8_t {
  kNone,
  kFunction,      // a named function/method/constructor with a body: its own row
  kLambda,        // anonymous function: merged into the enclosing function (or its own row)
  kClass,         // a naming scope for qualified names (class, struct, impl, namespace...)
  kIf,            // if statement/expression (else-if chains are recognised structurally)
  kElif,          // Python elif_clause
  kElse,          // else_clause wrapper
  kGuard,         // Swift guard
  kLoop,          // for / while / do / loop / repeat
  kSwitch,        // switch / match / when / select: cognitive +1 once
  kCase,          // one case label / arm / entry: cyclomatic +1 unless default
  kTry,           // try: nesting depth only
  kCatch,         // catch / except
  kTernary,       // conditional expression
  kBinary,        // a binary expression that may be && / || / and / or / ??
  kParen,         // parenthesised expression: transparent inside boolean sequences
  kWith,          // Python with: nesting depth only
  kComprehensionFor,  // Python comprehension for
  kComprehensionIf,   // Python comprehension if (only under a comprehension)
  kAssert,        // Python assert (radon counts it)
  kJump,          // break / continue: cognitive +1 when labelled
  kGoto,          // goto: cognitive +1
  kComment,
  kParams,        // a parameter list
  kAccessor,      // a body that is a row of its own kind: property accessor, observer, subscript,
                  // initialiser block (metrics.cpp names it from its context)
};

struct LanguageSpec {
  Language lang;
  const TSLanguage* ts;
  std::vector<Role> roles;  // indexed by symbol id
  // Field ids used by the walker (0 when the grammar has no such field).
  TSFieldId f_name, f_body, f_condition, f_alternative, f_parameters, f_declarator, f_operator,
      f_op, f_pattern, f_left, f_key, f_property, f_type, f_value, f_receiver, f_subject,
      f_scope;
  bool python;  // radon rules: lambdas never rows, loop/try else count, assert counts
  Role role(TSSymbol s) const { return s < roles.size() ? roles[s] : Role::kNone; }
};

// The spec for `lang`, built once (thread-safe).
const LanguageSpec& spec_for(Language lang);

}  // namespace obscore::ast
