// Language registry: names, extensions, and the role of each node type per grammar.
#include "languages.hpp"

#include <array>
#include <cctype>
#include <cstring>
#include <mutex>
#include <utility>

#include "mask.hpp"

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_kotlin();
const TSLanguage* tree_sitter_swift();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_objc();
const TSLanguage* tree_sitter_dart();
}

namespace obscore::ast {

namespace {

using RoleList = std::vector<std::pair<const char*, Role>>;

// Shared by the C family (C, C++, Java, JS/TS, Go, Rust...): listed once, extended per grammar.
const RoleList kCommon = {
    {"comment", Role::kComment},
    {"line_comment", Role::kComment},
    {"block_comment", Role::kComment},
    {"multiline_comment", Role::kComment},
    {"binary_expression", Role::kBinary},
    {"parenthesized_expression", Role::kParen},
    {"break_statement", Role::kJump},
    {"continue_statement", Role::kJump},
};

RoleList python_roles() {
  return {
      {"comment", Role::kComment},
      {"function_definition", Role::kFunction},
      {"lambda", Role::kLambda},
      {"class_definition", Role::kClass},
      {"if_statement", Role::kIf},
      {"elif_clause", Role::kElif},
      {"else_clause", Role::kElse},
      {"for_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"match_statement", Role::kSwitch},
      {"case_clause", Role::kCase},
      {"try_statement", Role::kTry},
      {"except_clause", Role::kCatch},
      {"except_group_clause", Role::kCatch},
      {"conditional_expression", Role::kTernary},
      {"boolean_operator", Role::kBinary},
      {"parenthesized_expression", Role::kParen},
      {"with_statement", Role::kWith},
      {"for_in_clause", Role::kComprehensionFor},
      {"if_clause", Role::kComprehensionIf},
      {"assert_statement", Role::kAssert},
      {"parameters", Role::kParams},
  };
}

RoleList java_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"method_declaration", Role::kFunction},
      {"constructor_declaration", Role::kFunction},
      {"compact_constructor_declaration", Role::kFunction},
      {"lambda_expression", Role::kLambda},
      {"class_declaration", Role::kClass},
      {"interface_declaration", Role::kClass},
      {"enum_declaration", Role::kClass},
      {"record_declaration", Role::kClass},
      {"annotation_type_declaration", Role::kClass},
      {"if_statement", Role::kIf},
      {"for_statement", Role::kLoop},
      {"enhanced_for_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"do_statement", Role::kLoop},
      {"switch_expression", Role::kSwitch},
      {"switch_statement", Role::kSwitch},
      {"switch_label", Role::kCase},
      {"switch_expression", Role::kSwitch},
      {"switch_expression_case", Role::kCase},
      {"switch_statement_case", Role::kCase},
      {"switch_statement_default", Role::kCase},
      {"try_statement", Role::kTry},
      {"try_with_resources_statement", Role::kTry},
      {"catch_clause", Role::kCatch},
      {"ternary_expression", Role::kTernary},
      {"formal_parameters", Role::kParams},
  });
  return r;
}

RoleList kotlin_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_declaration", Role::kFunction},
      {"secondary_constructor", Role::kFunction},
      {"anonymous_function", Role::kLambda},
      {"lambda_literal", Role::kLambda},
      {"class_declaration", Role::kClass},
      {"object_declaration", Role::kClass},
      {"companion_object", Role::kClass},
      {"if_expression", Role::kIf},
      {"for_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"do_while_statement", Role::kLoop},
      {"when_expression", Role::kSwitch},
      {"when_entry", Role::kCase},
      {"try_expression", Role::kTry},
      {"catch_block", Role::kCatch},
      {"conjunction_expression", Role::kBinary},
      {"disjunction_expression", Role::kBinary},
      {"jump_expression", Role::kJump},
      {"labeled_expression", Role::kJump},
      {"function_value_parameters", Role::kParams},
  });
  return r;
}

RoleList swift_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_declaration", Role::kFunction},
      {"init_declaration", Role::kFunction},
      {"deinit_declaration", Role::kFunction},
      {"lambda_literal", Role::kLambda},
      {"class_declaration", Role::kClass},
      {"protocol_declaration", Role::kClass},
      {"if_statement", Role::kIf},
      {"guard_statement", Role::kGuard},
      {"for_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"repeat_while_statement", Role::kLoop},
      {"switch_statement", Role::kSwitch},
      {"switch_entry", Role::kCase},
      {"do_statement", Role::kTry},
      {"catch_block", Role::kCatch},
      {"ternary_expression", Role::kTernary},
      {"conjunction_expression", Role::kBinary},
      {"disjunction_expression", Role::kBinary},
      {"tuple_expression", Role::kParen},
      {"control_transfer_statement", Role::kJump},
  });
  return r;
}

RoleList js_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_declaration", Role::kFunction},
      {"generator_function_declaration", Role::kFunction},
      {"method_definition", Role::kFunction},
      {"function_expression", Role::kLambda},
      {"function", Role::kLambda},
      {"generator_function", Role::kLambda},
      {"arrow_function", Role::kLambda},
      {"class_declaration", Role::kClass},
      {"class", Role::kClass},
      {"abstract_class_declaration", Role::kClass},
      {"internal_module", Role::kClass},
      {"module", Role::kClass},
      {"if_statement", Role::kIf},
      {"else_clause", Role::kElse},
      {"for_statement", Role::kLoop},
      {"for_in_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"do_statement", Role::kLoop},
      {"switch_statement", Role::kSwitch},
      {"switch_case", Role::kCase},
      {"try_statement", Role::kTry},
      {"catch_clause", Role::kCatch},
      {"ternary_expression", Role::kTernary},
      {"formal_parameters", Role::kParams},
  });
  return r;
}

RoleList go_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_declaration", Role::kFunction},
      {"method_declaration", Role::kFunction},
      {"func_literal", Role::kLambda},
      {"if_statement", Role::kIf},
      {"for_statement", Role::kLoop},
      {"expression_switch_statement", Role::kSwitch},
      {"type_switch_statement", Role::kSwitch},
      {"select_statement", Role::kSwitch},
      {"expression_case", Role::kCase},
      {"type_case", Role::kCase},
      {"communication_case", Role::kCase},
      {"goto_statement", Role::kGoto},
      {"parameter_list", Role::kParams},
  });
  return r;
}

RoleList c_roles(bool cpp) {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_definition", Role::kFunction},
      {"struct_specifier", Role::kClass},
      {"union_specifier", Role::kClass},
      {"if_statement", Role::kIf},
      {"else_clause", Role::kElse},
      {"for_statement", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"do_statement", Role::kLoop},
      {"switch_statement", Role::kSwitch},
      {"case_statement", Role::kCase},
      {"conditional_expression", Role::kTernary},
      {"goto_statement", Role::kGoto},
      {"seh_try_statement", Role::kTry},
      {"seh_except_clause", Role::kCatch},
      {"parameter_list", Role::kParams},
      // A conditional directive inside a function is a decision (lizard's C-family rule): the
      // function's text has one path per branch, and every branch is read.
      {"preproc_if", Role::kPreprocIf},
      {"preproc_ifdef", Role::kPreprocIf},
      {"preproc_elif", Role::kPreprocIf},
      {"preproc_elifdef", Role::kPreprocIf},
  });
  if (cpp) {
    r.insert(r.end(), {
        {"lambda_expression", Role::kLambda},
        {"class_specifier", Role::kClass},
        {"namespace_definition", Role::kClass},
        {"for_range_loop", Role::kLoop},
        {"try_statement", Role::kTry},
        {"catch_clause", Role::kCatch},
        {"condition_clause", Role::kParen},
    });
  }
  return r;
}

RoleList rust_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"function_item", Role::kFunction},
      {"closure_expression", Role::kLambda},
      {"impl_item", Role::kClass},
      {"trait_item", Role::kClass},
      {"mod_item", Role::kClass},
      {"if_expression", Role::kIf},
      {"else_clause", Role::kElse},
      {"for_expression", Role::kLoop},
      {"while_expression", Role::kLoop},
      {"loop_expression", Role::kLoop},
      {"match_expression", Role::kSwitch},
      {"match_arm", Role::kCase},
      {"break_expression", Role::kJump},
      {"continue_expression", Role::kJump},
      {"parameters", Role::kParams},
  });
  return r;
}

// tree-sitter-objc builds on tree-sitter-c: the C statements keep their names. Methods are
// rows, blocks (`^{ ... }`) are closures, @try/@catch nest like C++ try/catch.
RoleList objc_roles() {
  RoleList r = c_roles(false);
  r.insert(r.end(), {
      {"method_definition", Role::kFunction},
      {"block_literal", Role::kLambda},
      {"class_interface", Role::kClass},
      {"class_implementation", Role::kClass},
      {"protocol_declaration", Role::kClass},
      {"try_statement", Role::kTry},
      {"catch_clause", Role::kCatch},
  });
  return r;
}

// @sengac/tree-sitter-dart 1.1.6 (Dart 3: patterns, switch expressions, records, class
// modifiers; the unscoped tree-sitter-dart 1.0.0 on npm predates them). Functions, methods,
// constructors, getters and setters are a signature
// followed by a function_body (see function_body_roles in metrics.cpp); closures are
// function_expression. `??` is an if_null_expression (cyclomatic +1, as Kotlin's elvis).
RoleList dart_roles() {
  RoleList r = kCommon;
  r.insert(r.end(), {
      {"documentation_comment", Role::kComment},
      {"function_body", Role::kFunction},
      {"function_expression", Role::kLambda},
      {"class_definition", Role::kClass},
      {"mixin_declaration", Role::kClass},
      {"extension_declaration", Role::kClass},
      {"enum_declaration", Role::kClass},
      {"if_statement", Role::kIf},
      {"if_element", Role::kIf},
      {"for_statement", Role::kLoop},
      {"for_element", Role::kLoop},
      {"while_statement", Role::kLoop},
      {"do_statement", Role::kLoop},
      {"switch_statement", Role::kSwitch},
      {"switch_label", Role::kCase},
      {"switch_expression", Role::kSwitch},
      {"switch_expression_case", Role::kCase},
      {"switch_statement_case", Role::kCase},
      {"switch_statement_default", Role::kCase},
      {"try_statement", Role::kTry},
      {"catch_clause", Role::kCatch},
      {"conditional_expression", Role::kTernary},
      {"logical_and_expression", Role::kBinary},
      {"logical_or_expression", Role::kBinary},
      {"if_null_expression", Role::kBinary},
      {"formal_parameter_list", Role::kParams},
  });
  return r;
}

// Bodies with logic that are neither functions nor lambdas (issue 21 section 3): each a row.
RoleList accessor_roles(Language lang) {
  switch (lang) {
    case Language::kKotlin:
      return {{"getter", Role::kAccessor},
              {"setter", Role::kAccessor},
              {"anonymous_initializer", Role::kAccessor},
              {"enum_entry", Role::kClass}};
    case Language::kSwift:
      return {{"computed_getter", Role::kAccessor},
              {"computed_setter", Role::kAccessor},
              {"computed_modify", Role::kAccessor},
              {"willset_clause", Role::kAccessor},
              {"didset_clause", Role::kAccessor},
              {"computed_property", Role::kAccessor},
              {"subscript_declaration", Role::kAccessor}};
    case Language::kJava:
      return {{"static_initializer", Role::kAccessor}, {"enum_constant", Role::kClass}};
    default:
      return {};
  }
}

TSFieldId field(const TSLanguage* ts, const char* name) {
  return ts_language_field_id_for_name(ts, name, static_cast<uint32_t>(std::strlen(name)));
}

LanguageSpec build(Language lang) {
  LanguageSpec s{};
  s.lang = lang;
  RoleList roles;
  switch (lang) {
    case Language::kPython: s.ts = tree_sitter_python(); roles = python_roles(); break;
    case Language::kJava: s.ts = tree_sitter_java(); roles = java_roles(); break;
    case Language::kKotlin: s.ts = tree_sitter_kotlin(); roles = kotlin_roles(); break;
    case Language::kSwift: s.ts = tree_sitter_swift(); roles = swift_roles(); break;
    case Language::kJavaScript: s.ts = tree_sitter_javascript(); roles = js_roles(); break;
    case Language::kTypeScript: s.ts = tree_sitter_typescript(); roles = js_roles(); break;
    case Language::kTsx: s.ts = tree_sitter_tsx(); roles = js_roles(); break;
    case Language::kGo: s.ts = tree_sitter_go(); roles = go_roles(); break;
    case Language::kC: s.ts = tree_sitter_c(); roles = c_roles(false); break;
    case Language::kCpp: s.ts = tree_sitter_cpp(); roles = c_roles(true); break;
    case Language::kRust: s.ts = tree_sitter_rust(); roles = rust_roles(); break;
    case Language::kObjC: s.ts = tree_sitter_objc(); roles = objc_roles(); break;
    case Language::kDart: s.ts = tree_sitter_dart(); roles = dart_roles(); break;
  }
  for (auto& r : accessor_roles(lang)) roles.push_back(r);
  s.python = lang == Language::kPython;
  // Map every named symbol (aliases included) to its role by name.
  uint32_t count = ts_language_symbol_count(s.ts);
  s.roles.assign(count, Role::kNone);
  for (uint32_t sym = 0; sym < count; ++sym) {
    auto type = ts_language_symbol_type(s.ts, static_cast<TSSymbol>(sym));
    if (type != TSSymbolTypeRegular) continue;
    const char* name = ts_language_symbol_name(s.ts, static_cast<TSSymbol>(sym));
    for (const auto& [n, role] : roles) {
      if (std::strcmp(n, name) == 0) {
        s.roles[sym] = role;
        break;
      }
    }
  }
  s.f_name = field(s.ts, "name");
  s.f_body = field(s.ts, "body");
  s.f_condition = field(s.ts, "condition");
  s.f_alternative = field(s.ts, "alternative");
  s.f_parameters = field(s.ts, "parameters");
  s.f_declarator = field(s.ts, "declarator");
  s.f_operator = field(s.ts, "operator");
  s.f_op = field(s.ts, "op");
  s.f_pattern = field(s.ts, "pattern");
  s.f_left = field(s.ts, "left");
  s.f_key = field(s.ts, "key");
  s.f_property = field(s.ts, "property");
  s.f_type = field(s.ts, "type");
  s.f_value = field(s.ts, "value");
  s.f_receiver = field(s.ts, "receiver");
  s.f_subject = field(s.ts, "subject");
  s.f_scope = field(s.ts, "scope");
  return s;
}

struct LanguageInfo {
  Language lang;
  const char* name;
  std::vector<const char*> aliases;
  std::vector<const char*> extensions;
};

const std::vector<LanguageInfo>& infos() {
  static const std::vector<LanguageInfo> kInfos = {
      {Language::kPython, "python", {"py", "python3"}, {".py", ".pyi", ".pyw"}},
      {Language::kJava, "java", {}, {".java"}},
      {Language::kKotlin, "kotlin", {"kt"}, {".kt", ".kts"}},
      {Language::kSwift, "swift", {}, {".swift"}},
      {Language::kJavaScript, "javascript", {"js", "jsx", "node"}, {".js", ".mjs", ".cjs", ".jsx"}},
      {Language::kTypeScript, "typescript", {"ts"}, {".ts", ".mts", ".cts"}},
      {Language::kTsx, "tsx", {}, {".tsx"}},
      {Language::kGo, "go", {"golang"}, {".go"}},
      {Language::kC, "c", {}, {".c", ".h"}},
      {Language::kCpp, "cpp", {"c++", "cxx", "cc"},
       {".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tpp", ".inl"}},
      {Language::kRust, "rust", {"rs"}, {".rs"}},
      {Language::kObjC, "objc", {"objective-c", "objectivec", "objc++", "objective-c++"},
       {".m", ".mm"}},
      {Language::kDart, "dart", {}, {".dart"}},
  };
  return kInfos;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// C++ syntax in code (comments and literals already blanked): keywords C lacks, access labels,
// or a qualified name `a::b` (C has no `::` outside C23 attributes).
bool looks_like_cpp(std::string_view code) {
  for (const char* marker : {"class ", "namespace ", "template<", "template <", "public:", "private:",
                             "protected:", "std::", "static_cast<", "reinterpret_cast<", "const_cast<",
                             "dynamic_cast<", "virtual ", "explicit ", "typename ", "this->", ") const {",
                             ") const;", ") const override"}) {
    if (code.find(marker) != std::string_view::npos) return true;
  }
  // `#include <vector>`, `#include <cstdio>`: C's and POSIX's headers all end in `.h`.
  for (std::size_t at = code.find("#include"); at != std::string_view::npos; at = code.find("#include", at + 8)) {
    std::size_t lt = code.find_first_not_of(" \t", at + 8);
    if (lt == std::string_view::npos || code[lt] != '<') continue;
    std::size_t gt = code.find_first_of(">\n", lt);
    if (gt == std::string_view::npos || code[gt] != '>' || gt == lt + 1) continue;
    std::string_view name = code.substr(lt + 1, gt - lt - 1);
    if (name.find('.') == std::string_view::npos && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos) {
      return true;
    }
  }
  for (std::size_t at = code.find("::"); at != std::string_view::npos;
       at = code.find("::", at + 2)) {
    std::size_t k = at;
    while (k > 0 && is_ident_char(code[k - 1])) --k;
    std::string_view prefix = code.substr(k, at - k);
    if (!prefix.empty() && prefix != "gnu" && prefix != "clang" &&  // C23 [[gnu::unused]]
        at + 2 < code.size() && (is_ident_char(code[at + 2]) || code[at + 2] == '~')) {
      return true;
    }
  }
  return false;
}

// The code without its `#ifdef __cplusplus` groups: what a C header offers C++ callers
// (`extern "C" {`, inline wrappers with static_cast) is no evidence that the header is C++.
std::string without_cplusplus_groups(std::string code) {
  std::size_t pos = 0;
  while (pos < code.size()) {
    std::size_t eol = code.find('\n', pos);
    if (eol == std::string::npos) eol = code.size();
    std::string_view line(code.data() + pos, eol - pos);
    std::size_t b = line.find_first_not_of(" \t");
    bool opens = b != std::string_view::npos && line[b] == '#' &&
                 (line.find("ifdef __cplusplus") != std::string_view::npos ||
                  line.find("defined(__cplusplus)") != std::string_view::npos ||
                  line.find("if __cplusplus") != std::string_view::npos);
    if (!opens || line.find('!') != std::string_view::npos) {
      pos = eol + 1;
      continue;
    }
    // Blank to the matching #else/#elif/#endif (nested groups counted).
    int depth = 0;
    std::size_t q = eol + 1;
    std::size_t end = code.size();
    while (q < code.size()) {
      std::size_t qe = code.find('\n', q);
      if (qe == std::string::npos) qe = code.size();
      std::string_view l2(code.data() + q, qe - q);
      std::size_t k = l2.find_first_not_of(" \t");
      if (k != std::string_view::npos && l2[k] == '#') {
        std::size_t d = l2.find_first_not_of(" \t", k + 1);
        std::string_view dir = d == std::string_view::npos ? std::string_view() : l2.substr(d);
        if (dir.starts_with("if")) {
          ++depth;
        } else if (dir.starts_with("endif") || ((dir.starts_with("else") || dir.starts_with("elif")) && depth == 0)) {
          if (depth == 0) {
            end = q;
            break;
          }
          --depth;
        }
      }
      q = qe + 1;
    }
    for (std::size_t i = eol + 1; i < end && i < code.size(); ++i) {
      if (code[i] != '\n') code[i] = ' ';
    }
    pos = end;
  }
  return code;
}

// Objective-C evidence at the start of a line: 2 for a compiler directive (`@interface`, ...),
// 1 for `#import` (Objective-C's include, also accepted by MSVC for type libraries), 0 for none.
int objc_evidence(std::string_view code) {
  static constexpr std::string_view kDirectives[] = {
      "interface", "implementation", "protocol", "class", "end", "property", "import",
      "optional", "required", "synthesize", "dynamic", "compatibility_alias"};
  int found = 0;
  std::size_t pos = 0;
  while (pos < code.size()) {
    std::size_t eol = code.find('\n', pos);
    if (eol == std::string_view::npos) eol = code.size();
    std::string_view line = code.substr(pos, eol - pos);
    pos = eol + 1;
    std::size_t b = line.find_first_not_of(" \t\r\f\v");
    if (b == std::string_view::npos) continue;
    line.remove_prefix(b);
    if (line.front() == '@') {
      line.remove_prefix(1);
      for (std::string_view d : kDirectives) {
        if (line.starts_with(d) && (line.size() == d.size() || !is_ident_char(line[d.size()]))) {
          return 2;
        }
      }
    } else if (line.front() == '#') {
      line.remove_prefix(1);
      std::size_t k = line.find_first_not_of(" \t");
      if (k != std::string_view::npos && line.substr(k).starts_with("import") &&
          line.size() > k + 6 && !is_ident_char(line[k + 6])) {
        found = 1;
      }
    }
  }
  return found;
}

}  // namespace

const LanguageSpec& spec_for(Language lang) {
  static std::array<LanguageSpec, kLanguageCount> specs;
  static std::once_flag once;
  std::call_once(once, [] {
    for (int i = 0; i < kLanguageCount; ++i) specs[static_cast<std::size_t>(i)] = build(static_cast<Language>(i));
  });
  return specs[static_cast<std::size_t>(lang)];
}

const char* language_name(Language lang) {
  for (const auto& i : infos()) {
    if (i.lang == lang) return i.name;
  }
  return "unknown";
}

std::optional<Language> parse_language(std::string_view name) {
  for (const auto& i : infos()) {
    if (name == i.name) return i.lang;
    for (const char* a : i.aliases) {
      if (name == a) return i.lang;
    }
  }
  return std::nullopt;
}

std::optional<Language> language_for_path(std::string_view path, std::string_view head) {
  auto slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.ends_with(".gz")) base.remove_suffix(3);
  auto dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string ext(base.substr(dot));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Minified bundles are recognised by name too (foo.min.js).
  for (const auto& i : infos()) {
    for (const char* e : i.extensions) {
      if (ext == e) {
        if (ext == ".h") return header_language(head);
        return i.lang;
      }
    }
  }
  return std::nullopt;
}

Language header_language(std::string_view head) {
  if (head.empty()) return Language::kC;
  constexpr std::size_t kFirst = std::size_t{8} << 10, kMost = std::size_t{256} << 10;
  for (std::size_t n : {kFirst, kMost}) {
    std::string code = without_cplusplus_groups(code_only(head.substr(0, n)));
    int objc = objc_evidence(code);
    if (objc == 2) return Language::kObjC;
    bool cpp = looks_like_cpp(code);
    if (objc == 1 && !cpp) return Language::kObjC;
    if (cpp) return Language::kCpp;
    if (head.size() <= n) break;
  }
  return Language::kC;
}

std::vector<std::string> language_names() {
  std::vector<std::string> names;
  for (const auto& i : infos()) names.emplace_back(i.name);
  return names;
}

}  // namespace obscore::ast
