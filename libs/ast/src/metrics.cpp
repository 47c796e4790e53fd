// The metric walker: one iterative pre-order pass over the tree with a TSTreeCursor and a
// parallel stack of frames (no recursion, so deeply nested input cannot overflow the stack).
// Each frame carries the function it contributes to, the cognitive nesting level and the
// structural depth; roles from languages.cpp decide increments.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "obscore/ast/ast.hpp"

#include "languages.hpp"
#include "mask.hpp"
#include "recover.hpp"

namespace obscore::ast {

namespace {

constexpr std::uint8_t kElseBranch = 1;   // reached as the else branch of an if
constexpr std::uint8_t kElseIf = 2;       // an if that continues an else-if chain
constexpr std::uint8_t kInLogical = 4;    // inside a boolean operator sequence
constexpr std::uint8_t kPlainElse = 8;    // the body of an else (counts +1 cognitive once)
constexpr std::uint8_t kLoopElse = 16;    // Python for/while else
constexpr std::uint8_t kTryElse = 32;     // Python try else
constexpr std::uint8_t kHandlerCounted = 64;  // Dart `catch` of an `on T catch (e)` handler

struct Scope {
  std::string name;
  int parent = -1;
  bool is_function = false;
};

struct Frame {
  TSNode node;
  Role role = Role::kNone;
  int func = -1;       // index into functions, -1 = module level
  int scope = -1;      // index into scopes for qualified names
  int nesting = 0;     // cognitive nesting where this node sits
  int depth = 0;       // structural depth where this node sits
  std::uint8_t flags = 0;
  bool seen_else = false;  // an anonymous `else` token was passed among the children
  bool transparent_else = false;  // an else clause whose only child is an if
  bool fn_root = false;           // the node that starts a function row
  bool else_counted = false;      // the +1 of a plain else was given
};

class Walker {
 public:
  // Where each function row's node lies, and whether a syntax error is inside it (parallel to
  // out.functions), and the ERROR nodes outside any function: what recover_functions() needs.
  struct RowSpan {
    std::uint32_t begin = 0, end = 0;
    int parent = -1;  // the enclosing row, -1 for none
    bool damaged = false;
    std::string prefix;  // qualified-name scope of the row (`Type` for Type.method)
  };
  struct ErrorSpan {
    std::uint32_t begin = 0, end = 0;
    std::string prefix;
  };

  // `prefix`: the qualified-name scope that encloses the whole tree (a re-parsed region).
  Walker(std::string_view src, const LanguageSpec& spec, const AnalyzeOptions& opt,
         FileMetrics& out, std::string prefix = {})
      : src_(src), spec_(spec), opt_(opt), out_(out), prefix_(std::move(prefix)) {
    if (spec_.lang == Language::kJava) {
      java_block_ = ts_language_symbol_for_name(spec_.ts, "block", 5, true);
      java_class_body_ = ts_language_symbol_for_name(spec_.ts, "class_body", 10, true);
    }
  }

  std::vector<RowSpan>& spans() { return spans_; }
  // The text whose lines sloc counts, when the parsed text is a masked copy of it.
  void count_lines_of(std::string_view original) { lines_src_ = original; }
  const std::vector<ErrorSpan>& error_spans() const { return errors_; }

  void run(TSNode root) {
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    std::vector<Frame> stack;
    stack.reserve(64);
    Frame top;
    top.node = root;
    top.role = Role::kNone;
    if (!prefix_.empty()) {
      scopes_.push_back({prefix_, -1, false});
      top.scope = 0;
    }
    stack.push_back(top);
    enter(stack.back(), nullptr, 0);
    // Visits the cursor's current node as a child of the top frame. Anonymous leaves (keywords,
    // punctuation: about half of all nodes) take a fast path without a frame; returns whether a
    // frame was pushed. The field id is looked up only where a role cares about it (it is the
    // costliest cursor call).
    auto visit_current = [&]() -> bool {
      Frame& parent = stack.back();
      TSNode node = ts_tree_cursor_current_node(&cursor);
      if (!ts_node_is_named(node) && ts_node_child_count(node) == 0) {
        if (ts_node_is_missing(node)) {
          note_error(node);
          note_damage(parent, node);
        }
        if (parent.role == Role::kIf && is_else_token(node)) parent.seen_else = true;
        if (parent.role == Role::kTry && spec_.lang == Language::kDart) dart_on_clause(parent, node);
        return false;
      }
      TSFieldId field = needs_field(parent) ? ts_tree_cursor_current_field_id(&cursor) : 0;
      Frame child = child_frame(parent, node, field);
      stack.push_back(child);
      base_ = stack.data();
      enter(stack.back(), &stack[stack.size() - 2], field);
      return true;
    };
    bool top_is_current = true;  // the top frame belongs to the cursor's current node
    for (;;) {
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        top_is_current = visit_current();
        continue;
      }
      for (;;) {
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          if (top_is_current) stack.pop_back();
          top_is_current = visit_current();
          break;
        }
        if (!ts_tree_cursor_goto_parent(&cursor)) {
          ts_tree_cursor_delete(&cursor);
          finish();
          return;
        }
        if (top_is_current) stack.pop_back();
        top_is_current = true;
      }
    }
  }

 private:
  bool needs_field(const Frame& p) const {
    switch (p.role) {
      case Role::kIf:
      case Role::kElif:
      case Role::kGuard:
      case Role::kLoop:
      case Role::kSwitch:
      case Role::kTernary:
      case Role::kPreprocIf:
        return true;
      default:
        return p.fn_root && spec_.python;
    }
  }

  // ---- helpers -------------------------------------------------------------------------
  static int line_of(TSNode n) { return static_cast<int>(ts_node_start_point(n).row) + 1; }

  std::string_view text(TSNode n) const {
    uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (b > src_.size() || e > src_.size() || b > e) return {};
    return src_.substr(b, e - b);
  }

  bool is_named_code(TSNode n) const {
    return ts_node_is_named(n) && spec_.role(ts_node_symbol(n)) != Role::kComment;
  }

  // The only named, non-comment child of n, or a null node.
  TSNode sole_child(TSNode n) const {
    TSNode found{};
    uint32_t count = ts_node_named_child_count(n);
    int seen = 0;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(n, i);
      if (!is_named_code(c)) continue;
      if (++seen > 1) return TSNode{};
      found = c;
    }
    return found;
  }

  void add(int func, const char* metric, int amount, int line, std::string reason) {
    if (func < 0 || amount == 0) return;
    FunctionMetrics& f = out_.functions[static_cast<std::size_t>(func)];
    // Saturating: 70 000 nested ifs add up to more cognitive complexity than an int holds.
    int& total = metric[1] == 'y' ? f.cyclomatic : f.cognitive;
    if (__builtin_add_overflow(total, amount, &total)) total = std::numeric_limits<int>::max();
    if (opt_.explain) f.increments.push_back({line, metric, amount, std::move(reason)});
  }

  void note_depth(const Frame& f, int depth) {
    if (f.func < 0) return;
    FunctionMetrics& fn = out_.functions[static_cast<std::size_t>(f.func)];
    if (depth > fn.max_nesting) {
      fn.max_nesting = depth;
      if (opt_.explain) {
        fn.increments.push_back({line_of(f.node), "nesting", depth,
                                 fmt::format("{} reaches depth {}", ts_node_type(f.node), depth)});
      }
    }
  }

  bool is_default_case(TSNode n) const {
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(n, i);
      if (ts_node_is_named(c)) {
        std::string_view t = ts_node_type(c);
        if (t == "default_keyword") return true;
        continue;
      }
      std::string_view t = ts_node_type(c);
      if (t == "default" || t == "else") return true;
      if (t == "case") break;  // `case` seen first: a real label
    }
    if (spec_.lang == Language::kDart &&
        std::string_view(ts_node_type(n)) == "switch_expression_case") {
      // `_ => x`: the wildcard arm is the default (a guard `_ when c => x` is not).
      TSNode first = ts_node_named_child(n, 0);
      return !ts_node_is_null(first) && text(first) == "_" && ts_node_named_child_count(n) == 2;
    }
    if (spec_.lang == Language::kRust) {
      TSNode p = ts_node_child_by_field_id(n, spec_.f_pattern);
      if (!ts_node_is_null(p)) {
        TSNode cond = ts_node_child_by_field_id(p, spec_.f_condition);
        return ts_node_is_null(cond) && text(p) == "_";
      }
    }
    if (spec_.python) {
      // An irrefutable pattern: `case _:` or a bare capture `case x:` (radon's rule).
      uint32_t nc = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < nc; ++i) {
        TSNode c = ts_node_named_child(n, i);
        if (std::string_view(ts_node_type(c)) != "case_pattern") continue;
        std::string_view t = text(c);
        if (t == "_") return true;
        TSNode inner = sole_child(c);
        if (!ts_node_is_null(inner) && std::string_view(ts_node_type(inner)) == "dotted_name" &&
            text(inner).find('.') == std::string_view::npos) {
          return true;
        }
        return false;
      }
    }
    return false;
  }

  // The logical operator of a binary node, or empty.
  std::string_view logical_op(TSNode n) const {
    TSNode op{};
    if (spec_.f_operator != 0) op = ts_node_child_by_field_id(n, spec_.f_operator);
    if (ts_node_is_null(op) && spec_.f_op != 0) op = ts_node_child_by_field_id(n, spec_.f_op);
    std::string_view t;
    if (!ts_node_is_null(op)) {
      t = ts_node_type(op);
    } else {
      uint32_t count = ts_node_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) {
          t = ts_node_type(c);
          break;
        }
        if (spec_.lang == Language::kDart) {  // a named operator node in tree-sitter-dart
          std::string_view ct = ts_node_type(c);
          if (ct == "logical_and_operator") return "&&";
          if (ct == "logical_or_operator") return "||";
        }
      }
    }
    if (t == "&&" || t == "||" || t == "and" || t == "or" || t == "??") return t;
    if (t == "?:" && spec_.lang == Language::kKotlin) return t;  // the elvis operator
    return {};
  }

  // Number of runs of like operators in the boolean sequence rooted at n (in source order,
  // through parentheses): `a && b && c` is 1, `a && b || c` is 2.
  int boolean_runs(TSNode root) const {
    struct Item {
      TSNode node;
      std::string_view op;  // non-empty: emit this operator
    };
    int runs = 0;
    std::string_view prev;
    std::vector<Item> todo{{root, {}}};
    std::vector<TSNode> operands;
    while (!todo.empty()) {
      Item it = todo.back();
      todo.pop_back();
      if (!it.op.empty()) {
        if (it.op != prev) ++runs;
        prev = it.op;
        continue;
      }
      Role r = spec_.role(ts_node_symbol(it.node));
      if (r == Role::kBinary) {
        std::string_view op = logical_op(it.node);
        if (op.empty() || op == "?:" || (op == "??" && spec_.lang == Language::kDart)) continue;
        operands.clear();
        uint32_t count = ts_node_named_child_count(it.node);
        for (uint32_t i = 0; i < count; ++i) {
          TSNode c = ts_node_named_child(it.node, i);
          if (is_named_code(c)) operands.push_back(c);
        }
        // Left operand first: push in reverse with the operator between each pair.
        for (std::size_t i = operands.size(); i-- > 0;) {
          todo.push_back({operands[i], {}});
          if (i > 0) todo.push_back({TSNode{}, op});
        }
      } else if (r == Role::kParen) {
        TSNode inner = sole_child(it.node);
        if (!ts_node_is_null(inner)) todo.push_back({inner, {}});
      }
    }
    return runs;
  }

  bool is_else_token(TSNode n) const {
    // Anonymous in most grammars, a named (else) node in Swift's.
    return std::string_view(ts_node_type(n)) == "else";
  }

  // ---- naming ----------------------------------------------------------------------------
  std::string name_of_declarator(TSNode d, std::string* qualifier) const {
    // Descend declarator fields (pointer/reference/function declarators) to the name.
    for (int guard = 0; guard < 16 && !ts_node_is_null(d); ++guard) {
      std::string_view t = ts_node_type(d);
      if (t == "identifier" || t == "field_identifier" || t == "destructor_name" ||
          t == "operator_name" || t == "type_identifier") {
        return std::string(text(d));
      }
      if (t == "qualified_identifier") {
        std::string_view full = text(d);
        auto pos = full.rfind("::");
        if (pos != std::string_view::npos) {
          if (qualifier != nullptr) {
            std::string q(full.substr(0, pos));
            std::string dotted;
            for (std::size_t i = 0; i < q.size(); ++i) {
              if (q.compare(i, 2, "::") == 0) {
                dotted += '.';
                ++i;
              } else {
                dotted += q[i];
              }
            }
            *qualifier = dotted;
          }
          return std::string(full.substr(pos + 2));
        }
        return std::string(full);
      }
      TSNode next = ts_node_child_by_field_id(d, spec_.f_declarator);
      if (ts_node_is_null(next)) {
        // reference_declarator has no field: take its last named child.
        uint32_t c = ts_node_named_child_count(d);
        if (c == 0) break;
        next = ts_node_named_child(d, c - 1);
      }
      d = next;
    }
    return {};
  }

  // A short identifier-like text, or empty.
  std::string identifier_text(TSNode n) const {
    if (ts_node_is_null(n)) return {};
    std::string_view t = text(n);
    if (t.empty() || t.size() > 120) return {};
    for (char c : t) {
      if (c == ' ' || c == '\n' || c == '(' || c == '{' || c == ',' || c == '[') return {};
    }
    return std::string(t);
  }

  // The name a lambda is bound to (`const f = () => ...`, `let f = |x| ...`), or empty.
  // `parent` is the lambda's frame's parent; frames are contiguous in the walk's stack, so the
  // grandparent is parent - 1 (no ts_node_parent, which walks down from the root).
  std::string binding_name(TSNode lambda, const Frame* parent) const {
    const Frame* pf = parent;
    while (pf != nullptr && (spec_.role(ts_node_symbol(pf->node)) == Role::kParen ||
                             std::string_view(ts_node_type(pf->node)) == "expression_list")) {
      pf = pf > base_ ? pf - 1 : nullptr;
    }
    if (pf == nullptr) return {};
    TSNode p = pf->node;
    std::string_view pt = ts_node_type(p);
    if (pt == "variable_declarator" || pt == "assignment_expression" || pt == "pair" ||
        pt == "public_field_definition" || pt == "field_definition" ||
        pt == "let_declaration" || pt == "init_declarator" || pt == "short_var_declaration" ||
        pt == "var_spec" || pt == "property_declaration" || pt == "assignment" ||
        pt == "initialized_variable_definition") {
      for (TSFieldId f : {spec_.f_name, spec_.f_left, spec_.f_pattern, spec_.f_declarator,
                          spec_.f_key, spec_.f_property}) {
        if (f == 0) continue;
        TSNode n = ts_node_child_by_field_id(p, f);
        if (ts_node_is_null(n) || ts_node_eq(n, lambda)) continue;
        std::string s = identifier_text(n);
        if (!s.empty()) return s;
        if (pt == "init_declarator" && f == spec_.f_declarator) {
          // A block variable: `void (^done)(BOOL) = ^(BOOL ok) { ... }`.
          s = name_of_declarator(n, nullptr);
          if (!s.empty()) return s;
        }
      }
      // Kotlin property_declaration: variable_declaration > identifier.
      uint32_t count = ts_node_named_child_count(p);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(p, i);
        if (ts_node_eq(c, lambda)) break;
        std::string_view ct = ts_node_type(c);
        if (ct == "variable_declaration" || ct == "pattern") {
          TSNode id = ts_node_named_child(c, 0);
          std::string s = identifier_text(ts_node_is_null(id) ? c : id);
          if (!s.empty()) return s;
        }
        if (ct == "identifier" || ct == "simple_identifier") return std::string(text(c));
      }
    }
    return {};
  }

  std::string function_name(TSNode n, std::string* qualifier) const {
    std::string_view t = ts_node_type(n);
    if (t == "init_declaration") return "init";
    if (t == "deinit_declaration") return "deinit";
    if (t == "secondary_constructor") return "constructor";
    if (spec_.f_name != 0) {
      TSNode name = ts_node_child_by_field_id(n, spec_.f_name);
      if (!ts_node_is_null(name)) return std::string(text(name));
    }
    if (spec_.f_declarator != 0) {
      TSNode d = ts_node_child_by_field_id(n, spec_.f_declarator);
      if (!ts_node_is_null(d)) return name_of_declarator(d, qualifier);
    }
    // Kotlin: the first simple_identifier / identifier child.
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(n, i);
      std::string_view ct = ts_node_type(c);
      if (ct == "simple_identifier" || ct == "identifier") return std::string(text(c));
    }
    return "(anonymous)";
  }

  // ---- Objective-C ------------------------------------------------------------------------
  // `Foo`, or `Foo(Category)` for a category (as Apple's symbols spell it); the class extension
  // `@interface Foo ()` is plain `Foo`.
  std::string objc_class_name(TSNode n) const {
    std::string name;
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(n, i);
      if (std::string_view(ts_node_type(c)) == "identifier") {
        name = text(c);
        break;
      }
    }
    TSNode category = ts_node_child_by_field_name(n, "category", 8);
    if (!ts_node_is_null(category)) name += fmt::format("({})", text(category));
    return name;
  }

  // When error recovery left a method outside its class_implementation node: the class of the
  // nearest `@implementation Name` (or `Name (Category)`) line before it in the source.
  std::string objc_enclosing_implementation(uint32_t before) const {
    std::string_view head = src_.substr(0, std::min<std::size_t>(before, src_.size()));
    for (std::size_t at = head.rfind("@implementation"); at != std::string_view::npos;
         at = at == 0 ? std::string_view::npos : head.rfind("@implementation", at - 1)) {
      if (at > 0 && head[at - 1] != '\n' && head[at - 1] != ' ' && head[at - 1] != '\t') continue;
      std::size_t k = at + 15;
      while (k < head.size() && (head[k] == ' ' || head[k] == '\t')) ++k;
      std::size_t b = k;
      while (k < head.size() && (std::isalnum(static_cast<unsigned char>(head[k])) != 0 || head[k] == '_')) ++k;
      if (k == b) continue;
      std::string name(head.substr(b, k - b));
      while (k < head.size() && (head[k] == ' ' || head[k] == '\t')) ++k;
      if (k < head.size() && head[k] == '(') {
        std::size_t close = head.find(')', k);
        std::size_t eol = head.find('\n', k);
        if (close != std::string_view::npos && (eol == std::string_view::npos || close < eol)) {
          std::string category;
          for (char c : head.substr(k + 1, close - k - 1)) {
            if (c != ' ' && c != '\t') category += c;
          }
          name += "(" + category + ")";
        }
      }
      return name;
    }
    return {};
  }

  // The selector of a method_definition: `count`, `bar:with:`, `foo::` (an unlabelled part).
  std::string objc_selector(TSNode n) const {
    std::string sel;
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(n, i);
      std::string_view ct = ts_node_type(c);
      if (ct == "identifier") {
        sel += text(c);
      } else if (ct == "method_parameter") {
        sel += ':';
      } else if (ct == "compound_statement") {
        break;
      }
    }
    return sel;
  }

  // `-` for an instance method, `+` for a class method.
  static char objc_method_sign(TSNode n) {
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(n, i);
      if (ts_node_is_named(c)) break;
      std::string_view t = ts_node_type(c);
      if (t == "+" || t == "-") return t[0];
    }
    return '-';
  }

  int objc_method_params(TSNode n) const {
    int params = 0;
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      std::string_view ct = ts_node_type(ts_node_named_child(n, i));
      if (ct == "method_parameter" || ct == "variadic_parameter") ++params;
    }
    return params;
  }

  // ---- Dart -------------------------------------------------------------------------------
  // A Dart function is a signature followed by its function_body (siblings in a class body or
  // at top level; children of a local_function_declaration). The row is rooted at the body;
  // its name, kind, first line and parameters come from the signature before it.
  struct DartSignature {
    TSNode node{};           // the signature, or null when error recovery left none
    std::string name;        // `build`, `count`, `Counter.named`, `operator ==`
    const char* suffix = "";  // ".get" / ".set" for accessors (qualified name Type.prop.get)
    const char* kind = nullptr;  // "getter" / "setter", or null for the usual kinds
  };

  DartSignature dart_signature(TSNode body) const {
    DartSignature s;
    TSNode sig = ts_node_prev_named_sibling(body);
    while (!ts_node_is_null(sig) && spec_.role(ts_node_symbol(sig)) == Role::kComment) {
      sig = ts_node_prev_named_sibling(sig);
    }
    if (ts_node_is_null(sig)) return s;
    std::string_view t = ts_node_type(sig);
    if (t == "method_signature" || t == "declaration") {
      uint32_t count = ts_node_named_child_count(sig);
      TSNode inner{};
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(sig, i);
        if (std::string_view(ts_node_type(c)).ends_with("_signature")) {
          inner = c;
          break;
        }
      }
      if (ts_node_is_null(inner)) return s;
      s.node = sig;
      sig = inner;
      t = ts_node_type(sig);
    } else if (!t.ends_with("_signature")) {
      return s;
    } else {
      s.node = sig;
    }
    if (t == "getter_signature" || t == "setter_signature") {
      TSNode name = ts_node_child_by_field_id(sig, spec_.f_name);
      s.name = ts_node_is_null(name) ? "(anonymous)" : std::string(text(name));
      bool getter = t == "getter_signature";
      s.suffix = getter ? ".get" : ".set";
      s.kind = getter ? "getter" : "setter";
      return s;
    }
    if (t == "operator_signature") {
      uint32_t count = ts_node_child_count(sig);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_child(sig, i);
        std::string_view ct = ts_node_type(c);
        if (ct == "operator" || ct == "formal_parameter_list" || ts_node_is_null(c)) continue;
        if (ct.ends_with("_operator") || !ts_node_is_named(c)) {
          s.name = fmt::format("operator {}", text(c));
          return s;
        }
      }
      s.name = "operator";
      return s;
    }
    if (t == "function_signature") {
      TSNode name = ts_node_child_by_field_id(sig, spec_.f_name);
      s.name = ts_node_is_null(name) ? "(anonymous)" : std::string(text(name));
      return s;
    }
    // Constructors: `Counter`, `Counter.named`, `factory Counter.make`, `const Counter`.
    uint32_t count = ts_node_named_child_count(sig);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(sig, i);
      std::string_view ct = ts_node_type(c);
      if (ct == "formal_parameter_list") break;
      if (ct == "identifier" || ct == "qualified") {
        if (!s.name.empty()) s.name += '.';
        s.name += text(c);
      }
    }
    if (s.name.empty()) s.name = "(anonymous)";
    return s;
  }

  int dart_params(TSNode sig) const {
    // The first formal_parameter_list below the signature (not inside a default value).
    std::vector<TSNode> todo{sig};
    while (!todo.empty()) {
      TSNode n = todo.back();
      todo.pop_back();
      uint32_t count = ts_node_named_child_count(n);
      for (uint32_t i = count; i-- > 0;) {
        TSNode c = ts_node_named_child(n, i);
        std::string_view ct = ts_node_type(c);
        if (ct == "formal_parameter_list") {
          int params = 0;
          uint32_t pc = ts_node_named_child_count(c);
          for (uint32_t k = 0; k < pc; ++k) {
            TSNode p = ts_node_named_child(c, k);
            std::string_view pt = ts_node_type(p);
            if (pt == "formal_parameter") {
              ++params;
            } else if (pt == "optional_formal_parameters") {
              uint32_t oc = ts_node_named_child_count(p);
              for (uint32_t j = 0; j < oc; ++j) {
                if (std::string_view(ts_node_type(ts_node_named_child(p, j))) == "formal_parameter") {
                  ++params;
                }
              }
            }
          }
          return params;
        }
        if (ct.ends_with("_signature")) todo.push_back(c);
      }
    }
    return 0;
  }

  // An `on Type` handler of a Dart try: a catch of its own (+1 cyclomatic, +1 plus nesting
  // cognitive); a `catch (e)` right after it belongs to it.
  void dart_on_clause(Frame& try_frame, TSNode token) {
    if (std::string_view(ts_node_type(token)) != "on") return;
    int line = line_of(token);
    add(try_frame.func, "cyclomatic", 1, line, "on");
    add(try_frame.func, "cognitive", 1 + try_frame.nesting, line,
        nesting_reason("on", try_frame.nesting));
    try_frame.seen_else = true;  // the next catch clause is part of this handler
  }

  // Children of a Dart try: its first block is the body; the blocks after it are handler
  // bodies (siblings of their catch clause in this grammar), nested one level deeper.
  void dart_try_child(Frame& try_frame, Frame& child, TSNode c) {
    if (child.role == Role::kCatch) {
      if (try_frame.seen_else) child.flags |= kHandlerCounted;
      try_frame.seen_else = false;
      return;
    }
    if (std::string_view(ts_node_type(c)) != "block") return;
    if (try_frame.else_counted) {
      child.nesting += 1;
      try_frame.seen_else = false;
    }
    try_frame.else_counted = true;
  }

  std::string class_name(TSNode n) const {
    if (spec_.lang == Language::kObjC) return objc_class_name(n);
    TSNode name{};
    if (spec_.f_name != 0) name = ts_node_child_by_field_id(n, spec_.f_name);
    if (ts_node_is_null(name) && spec_.f_type != 0) name = ts_node_child_by_field_id(n, spec_.f_type);
    if (ts_node_is_null(name)) {
      uint32_t count = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(n, i);
        std::string_view ct = ts_node_type(c);
        if (ct == "type_identifier" || ct == "identifier" || ct == "simple_identifier") {
          name = c;
          break;
        }
      }
    }
    if (ts_node_is_null(name)) {
      return std::string_view(ts_node_type(n)) == "companion_object" ? "Companion" : "";
    }
    std::string s(text(name));
    // Generic arguments are not part of the name: impl Foo<T> -> Foo.
    if (auto lt = s.find('<'); lt != std::string::npos) s.resize(lt);
    return s;
  }

  // Go method receiver type: func (s *Server) Start() -> "Server".
  std::string receiver_type(TSNode n) const {
    if (spec_.f_receiver == 0) return {};
    TSNode r = ts_node_child_by_field_id(n, spec_.f_receiver);
    if (ts_node_is_null(r)) return {};
    TSNode decl = ts_node_named_child(r, 0);
    if (ts_node_is_null(decl)) return {};
    TSNode type = ts_node_child_by_field_id(decl, spec_.f_type);
    std::string s(text(ts_node_is_null(type) ? decl : type));
    s.erase(std::remove(s.begin(), s.end(), '*'), s.end());
    if (auto b = s.find('['); b != std::string::npos) s.resize(b);
    return s;
  }

  int count_params(TSNode fn) const {
    TSNode list{};
    if (spec_.f_parameters != 0) list = ts_node_child_by_field_id(fn, spec_.f_parameters);
    if (ts_node_is_null(list) && spec_.f_declarator != 0) {
      // C/C++: the function_declarator inside the declarator chain holds the parameters.
      TSNode d = ts_node_child_by_field_id(fn, spec_.f_declarator);
      for (int guard = 0; guard < 16 && !ts_node_is_null(d); ++guard) {
        TSNode p = ts_node_child_by_field_id(d, spec_.f_parameters);
        if (!ts_node_is_null(p)) {
          list = p;
          break;
        }
        d = ts_node_child_by_field_id(d, spec_.f_declarator);
      }
    }
    if (ts_node_is_null(list)) {
      // A single arrow-function parameter (`x => x`), or a list among the children.
      TSNode single = ts_node_child_by_field_name(fn, "parameter", 9);
      if (!ts_node_is_null(single)) return 1;
      uint32_t count = ts_node_named_child_count(fn);
      int swift_params = 0;
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(fn, i);
        std::string_view ct = ts_node_type(c);
        if (spec_.role(ts_node_symbol(c)) == Role::kParams || ct == "lambda_parameters" ||
            ct == "closure_parameters" || ct == "class_parameters") {
          list = c;
          break;
        }
        if (ct == "parameter") ++swift_params;  // Swift lists parameters directly
      }
      if (ts_node_is_null(list)) return swift_params;
    }
    int n = 0;
    uint32_t count = ts_node_named_child_count(list);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_named_child(list, i);
      std::string_view ct = ts_node_type(c);
      if (!is_named_code(c) || ct == "keyword_separator" || ct == "positional_separator" ||
          ct == "attribute_item" || ct == "parameter_modifiers" || ct == "annotation" ||
          ct == "line_continuation") {  // Python's `\` at a line end is a named extra
        continue;
      }
      if (ct == "parameter_declaration" && spec_.lang == Language::kGo) {
        // `a, b int` declares two.
        int names = 0;
        uint32_t gc = ts_node_named_child_count(c);
        for (uint32_t k = 0; k < gc; ++k) {
          if (std::string_view(ts_node_type(ts_node_named_child(c, k))) == "identifier") ++names;
        }
        n += std::max(1, names);
        continue;
      }
      if (ct == "parameter_declaration" &&
          (spec_.lang == Language::kC || spec_.lang == Language::kCpp ||
           spec_.lang == Language::kObjC) &&
          text(c) == "void") {
        continue;
      }
      ++n;
    }
    return n;
  }

  std::string qualified(int scope, const std::string& name) const {
    std::vector<const std::string*> parts;
    for (int s = scope; s >= 0; s = scopes_[static_cast<std::size_t>(s)].parent) {
      if (!scopes_[static_cast<std::size_t>(s)].name.empty()) {
        parts.push_back(&scopes_[static_cast<std::size_t>(s)].name);
      }
    }
    std::string q;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      q += **it;
      q += '.';
    }
    return q + name;
  }

  // ---- the walk --------------------------------------------------------------------------
  // Context for child `c` of `p`, from p's role and c's relation to p.
  Frame child_frame(Frame& p, TSNode c, TSFieldId field) {
    Frame f;
    f.node = c;
    f.role = spec_.role(ts_node_symbol(c));
    f.func = p.func;
    f.scope = p.scope;
    f.nesting = p.nesting;
    f.depth = p.depth;
    bool is_if = f.role == Role::kIf;
    bool cond = field != 0 && (field == spec_.f_condition || field == spec_.f_subject ||
                               (field == spec_.f_value && p.role == Role::kSwitch));
    switch (p.role) {
      case Role::kIf: {
        if (is_else_token(c)) {
          p.seen_else = true;
          break;
        }
        bool else_branch = p.seen_else || (field != 0 && field == spec_.f_alternative) ||
                           f.role == Role::kElse || f.role == Role::kElif;
        if (f.role == Role::kElif || f.role == Role::kElse) {
          // Same level as the if itself; the clause decides for its body.
        } else if (else_branch && is_if) {
          f.flags |= kElseIf;
        } else if (else_branch) {
          // The first named node after `else` carries the +1 (Swift splits the branch into
          // `{`, statements, `}`).
          if (ts_node_is_named(c) && !p.else_counted) {
            f.flags |= kPlainElse;
            p.else_counted = true;
          }
          f.nesting += 1;
          f.depth += 1;
        } else if (!cond) {
          f.nesting += 1;
          f.depth += 1;
        }
        if (f.role == Role::kElse) f.flags |= kElseBranch;
        break;
      }
      case Role::kElif:
        if (!cond) {
          f.nesting += 1;
          f.depth += 1;
        }
        break;
      case Role::kElse:
        if (p.flags & kTryElse) break;
        if (p.transparent_else && is_if) {
          f.flags |= kElseIf;
        } else {
          f.nesting += 1;
          f.depth += 1;
        }
        break;
      case Role::kGuard:
      case Role::kLoop:
      case Role::kSwitch:
        if (f.role == Role::kElse && p.role == Role::kLoop) {
          f.flags |= kLoopElse;
        } else if (!cond) {
          f.nesting += 1;
          f.depth += 1;
        }
        break;
      case Role::kTry:
        if (f.role == Role::kElse) f.flags |= kTryElse;
        f.depth += 1;
        if (spec_.lang == Language::kDart) dart_try_child(p, f, c);
        break;
      case Role::kCatch:
        f.nesting += 1;
        break;
      case Role::kTernary:
        if (!cond) f.nesting += 1;
        break;
      case Role::kWith:
        f.depth += 1;
        break;
      case Role::kBinary:
      case Role::kParen:
        if (p.flags & kInLogical) f.flags |= kInLogical;
        break;
      default:
        break;
    }
    if (p.fn_root && spec_.python && field != spec_.f_body) {
      // radon measures a function's body only: defaults and annotations count nowhere.
      f.func = -1;
    }
    if (p.role == Role::kPreprocIf && field == spec_.f_condition) {
      // lizard counts the directive, not the operators of its condition.
      f.func = -1;
    }
    if (spec_.python && p.role == Role::kAssert) {
      // radon counts an assert as 1 and does not look inside it.
      f.func = -1;
    }
    if (p.role == Role::kLambda && p.func == f.func) {
      // Inside a lambda merged into its enclosing function: one more nesting level.
      f.nesting = p.nesting + 1;
    }
    return f;
  }

  void enter(Frame& f, const Frame* parent, TSFieldId /*field*/) {
    TSNode n = f.node;
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      note_error(n);
      note_damage(f, n);
    }
    if (f.role == Role::kNone) {  // the common case, kept cheap
      if (ts_node_symbol(n) == java_block_ && java_block_ != 0 && parent != nullptr &&
          ts_node_symbol(parent->node) == java_class_body_) {
        // Java instance initialiser `{ ... }` in a class body: a row of its own.
        start_function(f, n, parent, true, "init", "initializer");
        return;
      }
      if (f.flags & kPlainElse) add_else(f, line_of(n));
      f.flags &= static_cast<std::uint8_t>(~kInLogical);
      return;
    }
    const int line = line_of(n);
    switch (f.role) {
      case Role::kComment:
        comments_.emplace_back(ts_node_start_byte(n), ts_node_end_byte(n));
        return;
      case Role::kClass: {
        std::string name = class_name(n);
        scopes_.push_back({name, f.scope, false});
        f.scope = static_cast<int>(scopes_.size()) - 1;
        return;
      }
      case Role::kFunction:
        if (has_body(n)) {
          std::string_view t = ts_node_type(n);
          const char* kind = t == "init_declaration"        ? "initializer"
                             : t == "deinit_declaration"    ? "deinitializer"
                             : t == "secondary_constructor" ? "constructor"
                                                            : nullptr;
          start_function(f, n, parent, false, {}, kind);
        }
        return;
      case Role::kAccessor:
        start_accessor(f, n, parent);
        return;
      case Role::kLambda: {
        std::string bound = spec_.python ? std::string() : binding_name(n, parent);
        if (!bound.empty() || (f.func < 0 && !spec_.python) || opt_.closure_rows) {
          start_function(f, n, parent, true, bound.empty() ? "(anonymous)" : bound);
        }
        return;
      }
      case Role::kIf:
        if (f.flags & kElseIf) {
          add(f.func, "cyclomatic", 1, line, "else if");
          add(f.func, "cognitive", 1, line, "else if");
          // The chain continues at the level of the first if: undo nothing, depth unchanged.
        } else {
          add(f.func, "cyclomatic", 1, line, "if");
          add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason("if", f.nesting));
        }
        note_depth(f, f.depth + 1);
        if (f.flags & kPlainElse) add_else(f, line);
        return;
      case Role::kElif:
        add(f.func, "cyclomatic", 1, line, "elif");
        add(f.func, "cognitive", 1, line, "elif");
        return;
      case Role::kElse:
        if (f.flags & kLoopElse) {
          add(f.func, "cyclomatic", 1, line, "loop else");
          add(f.func, "cognitive", 1, line, "else");
        } else if (f.flags & kTryElse) {
          if (spec_.python) add(f.func, "cyclomatic", 1, line, "try else");
        } else {
          TSNode only = sole_child(n);
          f.transparent_else =
              !ts_node_is_null(only) && spec_.role(ts_node_symbol(only)) == Role::kIf;
          if (!f.transparent_else) add(f.func, "cognitive", 1, line, "else");
        }
        return;
      case Role::kGuard:
        add(f.func, "cyclomatic", 1, line, "guard");
        add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason("guard", f.nesting));
        note_depth(f, f.depth + 1);
        return;
      case Role::kLoop:
        add(f.func, "cyclomatic", 1, line, ts_node_type(n));
        add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason("loop", f.nesting));
        note_depth(f, f.depth + 1);
        if (f.flags & kPlainElse) add_else(f, line);
        return;
      case Role::kSwitch:
        add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason(ts_node_type(n), f.nesting));
        note_depth(f, f.depth + 1);
        if (f.flags & kPlainElse) add_else(f, line);
        return;
      case Role::kCase:
        if (!is_default_case(n)) add(f.func, "cyclomatic", 1, line, "case");
        return;
      case Role::kTry:
        note_depth(f, f.depth + 1);
        if (f.flags & kPlainElse) add_else(f, line);
        return;
      case Role::kCatch:
        if (f.flags & kHandlerCounted) return;  // Dart: counted at its `on`
        add(f.func, "cyclomatic", 1, line, "catch");
        add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason("catch", f.nesting));
        return;
      case Role::kTernary:
        add(f.func, "cyclomatic", 1, line, "ternary");
        add(f.func, "cognitive", 1 + f.nesting, line, nesting_reason("ternary", f.nesting));
        return;
      case Role::kWith:
        note_depth(f, f.depth + 1);
        if (f.flags & kPlainElse) add_else(f, line);
        return;
      case Role::kBinary: {
        if (f.flags & kPlainElse) add_else(f, line);  // `else a ?: b`, `else a && b`
        std::string_view op = logical_op(n);
        if (op.empty()) {
          f.flags &= static_cast<std::uint8_t>(~kInLogical);
          return;
        }
        if (op == "?:" || (op == "??" && spec_.lang == Language::kDart)) {
          // Kotlin's elvis and Dart's `??`: a branch for cyclomatic complexity (as lizard counts
          // the elvis); free for cognitive complexity, as null-coalescing is in the white paper.
          add(f.func, "cyclomatic", 1, line, std::string(op));
          f.flags &= static_cast<std::uint8_t>(~kInLogical);
          return;
        }
        // `??` joins boolean sequences for cognitive complexity (as SonarJS does) but is not a
        // decision for cyclomatic complexity (lizard counts && and || only).
        if (op != "??") add(f.func, "cyclomatic", 1, line, std::string(op));
        if (!(f.flags & kInLogical)) {
          int runs = boolean_runs(n);
          add(f.func, "cognitive", runs, line, "boolean operator sequence");
        }
        f.flags |= kInLogical;
        return;
      }
      case Role::kParen:
        return;
      case Role::kComprehensionFor:
        add(f.func, "cyclomatic", 1, line, "comprehension for");
        return;
      case Role::kComprehensionIf: {
        std::string_view pt = parent != nullptr ? ts_node_type(parent->node) : "";
        if (pt.ends_with("comprehension") || pt == "generator_expression") {
          add(f.func, "cyclomatic", 1, line, "comprehension if");
        }
        return;
      }
      case Role::kAssert:
        add(f.func, "cyclomatic", 1, line, "assert");
        return;
      case Role::kJump:
        if (has_label(n)) add(f.func, "cognitive", 1, line, "labelled jump");
        return;
      case Role::kGoto:
        add(f.func, "cognitive", 1, line, "goto");
        return;
      case Role::kPreprocIf:
        // Each conditional directive inside a function is a decision for lizard (all branches
        // are read); cognitive complexity and nesting ignore the preprocessor.
        add(f.func, "cyclomatic", 1, line, std::string("#") + (ts_node_type(n) + 8));  // "preproc_" left out
        return;
      default:
        if (f.flags & kPlainElse) add_else(f, line);
        f.flags &= static_cast<std::uint8_t>(~kInLogical);
        return;
    }
  }

  void note_error(TSNode n) {
    if (out_.parse_errors++ == 0) {
      TSPoint p = ts_node_start_point(n);
      out_.first_error_line = static_cast<int>(p.row) + 1;
      out_.first_error_column = static_cast<int>(p.column) + 1;
    }
  }

  // A syntax error inside a function row marks it damaged; an ERROR node outside any function
  // is kept (outermost only) as a region where declarations may have been swallowed.
  void note_damage(const Frame& f, TSNode n) {
    if (f.func >= 0) {
      spans_[static_cast<std::size_t>(f.func)].damaged = true;
      return;
    }
    if (!ts_node_is_error(n)) return;
    std::uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (!errors_.empty() && b < errors_.back().end) return;  // nested in the last one
    std::string prefix = f.scope >= 0 ? qualified(f.scope, "") : std::string();
    if (!prefix.empty()) prefix.pop_back();  // the trailing '.'
    errors_.push_back({b, e, std::move(prefix)});
  }

  void add_else(Frame& f, int line) {
    add(f.func, "cognitive", 1, line, "else");
    f.flags &= static_cast<std::uint8_t>(~kPlainElse);
  }

  static std::string nesting_reason(std::string_view what, int nesting) {
    if (nesting == 0) return std::string(what);
    return fmt::format("{} (nesting {})", what, nesting);
  }

  bool has_label(TSNode n) const {
    std::string_view s = text(n);
    switch (spec_.lang) {
      case Language::kKotlin:  // break@outer
        return s.starts_with("break@") || s.starts_with("continue@");
      case Language::kSwift: {  // `break outer`, but not `return x`
        std::string_view rest;
        if (s.starts_with("break")) rest = s.substr(5);
        else if (s.starts_with("continue")) rest = s.substr(8);
        else return false;
        return rest.size() > 1 && (rest[0] == ' ' || rest[0] == '\t') &&
               rest.find('\n') == std::string_view::npos;
      }
      case Language::kRust: {
        uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < count; ++i) {
          if (std::string_view(ts_node_type(ts_node_named_child(n, i))) == "label") return true;
        }
        return false;
      }
      case Language::kDart: {  // `break outer;` (the keyword itself is a named break_builtin)
        uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < count; ++i) {
          if (std::string_view(ts_node_type(ts_node_named_child(n, i))) == "identifier") return true;
        }
        return false;
      }
      default: {
        uint32_t count = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < count; ++i) {
          if (is_named_code(ts_node_named_child(n, i))) return true;
        }
        return false;
      }
    }
  }

  bool has_body(TSNode n) const {
    if (spec_.lang == Language::kDart) return true;  // function_body: a block or `=> expr`
    if (spec_.f_body != 0 && !ts_node_is_null(ts_node_child_by_field_id(n, spec_.f_body))) {
      return true;
    }
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      std::string_view t = ts_node_type(ts_node_named_child(n, i));
      if (t == "function_body" || t == "block" || t == "compound_statement" ||
          t == "statement_block" || t == "constructor_body") {
        return true;
      }
    }
    return false;
  }

  // ---- accessors and other bodies that are rows of their own kind (issue 21, section 3) ----
  bool has_named_child(TSNode n, std::string_view type) const {
    uint32_t count = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      if (type == ts_node_type(ts_node_named_child(n, i))) return true;
    }
    return false;
  }

  // The name of the property (or `subscript`) that an accessor at `parent` belongs to.
  std::string property_name(const Frame* parent) const {
    for (const Frame* pf = parent; pf != nullptr && pf >= base_ && parent - pf < 3; --pf) {
      TSNode p = pf->node;
      std::string_view t = ts_node_type(p);
      if (t == "subscript_declaration") return "subscript";
      if (t != "property_declaration") continue;
      TSNode name = ts_node_child_by_field_name(p, "name", 4);
      if (!ts_node_is_null(name)) return identifier_text(name);
      uint32_t count = ts_node_named_child_count(p);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode c = ts_node_named_child(p, i);
        if (std::string_view(ts_node_type(c)) == "variable_declaration") {
          TSNode id = ts_node_named_child(c, 0);
          return identifier_text(ts_node_is_null(id) ? c : id);
        }
      }
      return {};
    }
    return {};
  }

  void start_accessor(Frame& f, TSNode n, const Frame* parent) {
    std::string_view t = ts_node_type(n);
    const char* kind = nullptr;
    std::string name;
    auto prop = [&](const char* suffix) {
      std::string p = property_name(parent);
      return p.empty() ? std::string(suffix) : p + "." + suffix;
    };
    if (t == "getter" || t == "setter") {  // Kotlin
      if (!has_named_child(n, "function_body")) return;
      kind = t == "getter" ? "getter" : "setter";
      name = prop(t == "getter" ? "get" : "set");
    } else if (t == "computed_getter" || t == "computed_setter" || t == "computed_modify") {
      if (!has_named_child(n, "statements")) return;
      kind = t == "computed_getter" ? "getter" : "setter";
      name = prop(t == "computed_getter" ? "get" : t == "computed_setter" ? "set" : "modify");
    } else if (t == "willset_clause" || t == "didset_clause") {
      if (!has_named_child(n, "statements")) return;
      kind = "observer";
      name = prop(t == "willset_clause" ? "willSet" : "didSet");
    } else if (t == "computed_property") {
      // A read-only computed property: `var x: Int { ... }` (a subscript's body is the subscript's).
      if (!has_named_child(n, "statements") || parent == nullptr ||
          std::string_view(ts_node_type(parent->node)) == "subscript_declaration") {
        return;
      }
      kind = "getter";
      name = prop("get");
    } else if (t == "subscript_declaration") {
      kind = "subscript";
      name = "subscript";
    } else if (t == "anonymous_initializer") {  // Kotlin init { }
      kind = "init_block";
      name = "init";
    } else if (t == "static_initializer") {  // Java static { }
      kind = "initializer";
      name = "static";
    } else {
      return;
    }
    start_function(f, n, parent, true, std::move(name), kind);
  }

  void start_function(Frame& f, TSNode n, const Frame* parent, bool lambda,
                      std::string forced_name = {}, const char* kind_override = nullptr) {
    FunctionMetrics fm;
    std::string qualifier;
    DartSignature dart;
    bool dart_body = spec_.lang == Language::kDart && !lambda;
    if (dart_body) {
      dart = dart_signature(n);
      forced_name = dart.name.empty() ? "(anonymous)" : dart.name;
    }
    fm.name = lambda || dart_body ? std::move(forced_name) : function_name(n, &qualifier);
    if (fm.name.empty()) fm.name = "(anonymous)";
    std::string recv = receiver_type(n);
    if (!recv.empty()) qualifier = recv;
    bool in_function = f.func >= 0;
    bool in_class = f.scope >= 0 && !scopes_[static_cast<std::size_t>(f.scope)].is_function;
    bool named_lambda = lambda && fm.name != "(anonymous)";
    fm.kind = in_function                          ? "closure"
              : (in_class || !qualifier.empty())   ? "method"
              : (lambda && !named_lambda)          ? "lambda"
                                                   : "function";
    if (kind_override != nullptr) fm.kind = kind_override;
    std::string base = qualified(f.scope, qualifier.empty() ? fm.name : qualifier + "." + fm.name);
    int scope_parent = f.scope;
    if (spec_.lang == Language::kObjC && !lambda) {
      if (std::string_view(ts_node_type(n)) == "method_definition") {
        // -[Class selector:] / +[Class(Category) selector]: the name the runtime and crash logs
        // use; blocks bound to a name inside it are `-[Class selector:].name`.
        fm.name = objc_selector(n);
        std::string cls = f.scope >= 0 ? scopes_[static_cast<std::size_t>(f.scope)].name : "";
        if (cls.empty()) cls = objc_enclosing_implementation(ts_node_start_byte(n));
        base = fmt::format("{}[{}{}{}]", objc_method_sign(n), cls, cls.empty() ? "" : " ",
                           fm.name);
        fm.kind = "method";
      } else {
        // C functions have one global namespace, even when written inside @implementation.
        base = fm.name;
        fm.kind = in_function ? "closure" : "function";
      }
      scope_parent = -1;
    }
    if (dart_body) {
      base += dart.suffix;
      if (dart.kind != nullptr && !in_function) fm.kind = dart.kind;
    }
    fm.qualified_name = base;
    fm.start_line = declaration_line(n);
    if (fm.start_line > line_of(n)) fm.first_line = line_of(n);
    if (dart_body && !ts_node_is_null(dart.node)) {  // the signature before the body
      fm.start_line = line_of(dart.node);
      fm.first_line = 0;
    }
    fm.end_line = static_cast<int>(ts_node_end_point(n).row) + 1;
    // A node ending at column 0 of a line ends on the line before (trailing newline).
    if (ts_node_end_point(n).column == 0 && fm.end_line > fm.start_line) --fm.end_line;
    fm.loc = fm.end_line - fm.start_line + 1;
    fm.params = spec_.lang == Language::kObjC && !lambda &&
                        std::string_view(ts_node_type(n)) == "method_definition"
                    ? objc_method_params(n)
                : dart_body ? (ts_node_is_null(dart.node) ? 0 : dart_params(dart.node))
                            : count_params(n);
    (void)parent;
    std::string scope_name = spec_.lang == Language::kObjC && !lambda ? fm.qualified_name
                             : qualifier.empty()     ? fm.name + (dart_body ? dart.suffix : "")
                                                     : qualifier + "." + fm.name;
    RowSpan span{ts_node_start_byte(n), ts_node_end_byte(n), f.func, false,
                 f.scope >= 0 ? qualified(f.scope, "") : std::string()};
    if (!span.prefix.empty()) span.prefix.pop_back();
    spans_.push_back(std::move(span));
    out_.functions.push_back(std::move(fm));
    f.func = static_cast<int>(out_.functions.size()) - 1;
    scopes_.push_back({std::move(scope_name), scope_parent, true});
    f.scope = static_cast<int>(scopes_.size()) - 1;
    f.nesting = 0;
    f.depth = 0;
    f.flags = 0;
    f.fn_root = true;
    f.role = Role::kNone;  // its children see a plain parent at nesting 0
  }

  static bool is_annotation(std::string_view t) {
    return t == "annotation" || t == "marker_annotation" || t == "attribute" || t == "decorator" ||
           t == "attribute_item";
  }

  // The line of the declaration itself: annotations, attributes and decorators that the
  // grammar puts inside the declaration's node (Java, Kotlin, Swift) are skipped.
  int declaration_line(TSNode n) const {
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(n, i);
      std::string_view t = ts_node_type(c);
      if (is_annotation(t) || spec_.role(ts_node_symbol(c)) == Role::kComment) continue;
      if (t == "modifiers") {
        uint32_t mc = ts_node_child_count(c);
        for (uint32_t k = 0; k < mc; ++k) {
          TSNode m = ts_node_child(c, k);
          std::string_view mt = ts_node_type(m);
          if (is_annotation(mt) || spec_.role(ts_node_symbol(m)) == Role::kComment) continue;
          return line_of(m);
        }
        continue;  // annotations only: the declaration starts after them
      }
      return line_of(c);
    }
    return line_of(n);
  }

  // sloc per function and per file, from the comment ranges gathered during the walk.
  void finish() {
    std::vector<std::uint8_t> code_line;  // 1 when the line has code
    int line = 1;
    code_line.push_back(0);  // index 0 unused
    code_line.push_back(0);
    std::size_t ci = 0;
    std::sort(comments_.begin(), comments_.end());
    std::string_view src = lines_src_.size() == src_.size() ? lines_src_ : src_;
    for (std::size_t i = 0; i < src.size(); ++i) {
      char c = src[i];
      if (c == '\n') {
        ++line;
        code_line.push_back(0);
        continue;
      }
      while (ci < comments_.size() && comments_[ci].second <= i) ++ci;
      bool in_comment = ci < comments_.size() && comments_[ci].first <= i;
      if (!in_comment && c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
        code_line[static_cast<std::size_t>(line)] = 1;
      }
    }
    // A final line without a newline counts; a trailing newline does not add a line.
    out_.lines = src.empty() ? 0 : (src.back() == '\n' ? line - 1 : line);
    std::vector<int> prefix(code_line.size() + 1, 0);
    for (std::size_t i = 1; i < code_line.size(); ++i) prefix[i] = prefix[i - 1] + code_line[i];
    out_.sloc = prefix[std::min<std::size_t>(static_cast<std::size_t>(out_.lines), code_line.size() - 1)];
    for (auto& fn : out_.functions) {
      auto s = static_cast<std::size_t>(std::max(1, fn.start_line));
      auto e = std::min<std::size_t>(static_cast<std::size_t>(fn.end_line), code_line.size() - 1);
      fn.sloc = e >= s ? prefix[e] - prefix[s - 1] : 0;
      std::stable_sort(fn.increments.begin(), fn.increments.end(),
                       [](const Increment& a, const Increment& b) { return a.line < b.line; });
    }
  }

  std::string_view src_;
  const LanguageSpec& spec_;
  const AnalyzeOptions& opt_;
  FileMetrics& out_;
  std::vector<Scope> scopes_;
  const Frame* base_ = nullptr;  // the walk's frame stack, for looking at grandparents
  std::vector<std::pair<uint32_t, uint32_t>> comments_;
  std::string prefix_;
  TSSymbol java_block_ = 0, java_class_body_ = 0;
  std::string_view lines_src_;
  std::vector<RowSpan> spans_;
  std::vector<ErrorSpan> errors_;
};

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

// One parser per thread and language, reused across files.
TSParser* thread_parser(const LanguageSpec& spec) {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parsers[kLanguageCount];
  auto& p = parsers[static_cast<int>(spec.lang)];
  if (!p) {
    p.reset(ts_parser_new());
    ts_parser_set_language(p.get(), spec.ts);
  }
  return p.get();
}

// tree-sitter asks the progress callback every 100 parse operations. A grammar whose error
// recovery runs away on odd bytes (tree-sitter-kotlin on a stray control character: gigabytes in
// seconds, found by fuzzing) is stopped when the parse stays at one byte offset for kStallChecks
// checks, or passes kChecksPerByte per byte overall. Measured over 1835 real files (Python
// stdlib, libstdc++ headers, this repository, the test corpora): at most 583 checks without
// progress and 0.015 checks per byte, so the limits keep a wide margin. Deterministic: no clock.
constexpr std::uint64_t kStallChecks = 5'000;
constexpr std::uint64_t kChecksPerByte = 1;
constexpr std::uint64_t kChecksBase = 10'000;

struct ParseBudget {
  std::uint64_t checks = 0;
  std::uint64_t limit = 0;
  std::uint32_t offset = 0;   // furthest byte reached
  std::uint64_t stalled = 0;  // checks since it last moved
  bool exceeded = false;
};

bool over_budget(TSParseState* state) {
  auto* budget = static_cast<ParseBudget*>(state->payload);
  if (state->current_byte_offset > budget->offset) {
    budget->offset = state->current_byte_offset;
    budget->stalled = 0;
  } else {
    ++budget->stalled;
  }
  budget->exceeded = ++budget->checks > budget->limit || budget->stalled > kStallChecks;
  return budget->exceeded;
}

struct StringInput {
  std::string_view text;
  static const char* read(void* payload, uint32_t byte, TSPoint, uint32_t* bytes_read) {
    auto* in = static_cast<StringInput*>(payload);
    if (byte >= in->text.size()) {
      *bytes_read = 0;
      return "";
    }
    *bytes_read = static_cast<uint32_t>(in->text.size() - byte);
    return in->text.data() + byte;
  }
};

// Null when the parse went beyond its budget.
std::unique_ptr<TSTree, TreeDeleter> parse(std::string_view source, const LanguageSpec& spec) {
  TSParser* parser = thread_parser(spec);
  ts_parser_reset(parser);
  StringInput in{source};
  TSInput input{&in, &StringInput::read, TSInputEncodingUTF8, nullptr};
  ParseBudget budget{0, kChecksBase + kChecksPerByte * source.size()};
  TSParseOptions options{&budget, &over_budget};
  TSTree* tree = ts_parser_parse_with_options(parser, nullptr, input, options);
  if (budget.exceeded && tree != nullptr) {
    ts_tree_delete(tree);
    tree = nullptr;
  }
  return std::unique_ptr<TSTree, TreeDeleter>(tree);
}

// Parses only [begin, end) of `source` (tree-sitter's included ranges: positions stay those of
// the whole file). Null when the parse went beyond its budget.
std::unique_ptr<TSTree, TreeDeleter> parse_range(std::string_view source, const LanguageSpec& spec,
                                                 std::uint32_t begin, std::uint32_t end) {
  auto point_at = [&](std::uint32_t byte) {
    std::string_view head = source.substr(0, byte);
    auto row = static_cast<std::uint32_t>(std::count(head.begin(), head.end(), '\n'));
    std::size_t nl = head.rfind('\n');
    auto column = static_cast<std::uint32_t>(nl == std::string_view::npos ? byte : byte - nl - 1);
    return TSPoint{row, column};
  };
  TSParser* parser = thread_parser(spec);
  ts_parser_reset(parser);
  TSRange range{point_at(begin), point_at(end), begin, end};
  if (!ts_parser_set_included_ranges(parser, &range, 1)) return nullptr;
  StringInput in{source};
  TSInput input{&in, &StringInput::read, TSInputEncodingUTF8, nullptr};
  ParseBudget budget{0, kChecksBase + kChecksPerByte * (end - begin)};
  TSParseOptions options{&budget, &over_budget};
  TSTree* tree = ts_parser_parse_with_options(parser, nullptr, input, options);
  ts_parser_set_included_ranges(parser, nullptr, 0);
  ts_parser_reset(parser);
  if (budget.exceeded && tree != nullptr) {
    ts_tree_delete(tree);
    tree = nullptr;
  }
  return std::unique_ptr<TSTree, TreeDeleter>(tree);
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// An error must stay local. tree-sitter's recovery can swallow the declarations after a syntax
// error into one function (or one ERROR node): the functions a reader sees there vanish. Such a
// region is cut at the declaration lines of its outermost level (found in the text,
// recover.cpp) and each piece is re-parsed on its own; a piece that starts a type and is still
// broken is cut again one level down (its name joins the qualified names). The rows of the
// region are replaced by the pieces' rows only when that finds more of them.
class Recovery {
 public:
  Recovery(std::string_view src, const LanguageSpec& spec, const AnalyzeOptions& opt)
      : src_(src), spec_(spec), opt_(opt) {}

  void run(Walker& walker, FileMetrics& out) {
    auto& spans = walker.spans();
    // Damage reaches every enclosing row (rows come in pre-order: children after parents).
    for (std::size_t i = spans.size(); i-- > 0;) {
      if (spans[i].damaged && spans[i].parent >= 0) {
        spans[static_cast<std::size_t>(spans[i].parent)].damaged = true;
      }
    }
    struct Region {
      std::uint32_t begin, end;
      std::string prefix;
    };
    std::vector<Region> regions;
    for (const auto& e : walker.error_spans()) regions.push_back({e.begin, e.end, e.prefix});
    for (const auto& sp : spans) {
      if (sp.damaged && (sp.parent < 0 || !spans[static_cast<std::size_t>(sp.parent)].damaged)) {
        regions.push_back({sp.begin, sp.end, sp.prefix});
      }
    }
    std::sort(regions.begin(), regions.end(),
              [](const Region& a, const Region& b) { return a.begin < b.begin || (a.begin == b.begin && a.end > b.end); });
    std::vector<std::uint8_t> removed(out.functions.size(), 0);
    std::vector<FunctionMetrics> added;
    std::uint32_t covered = 0;
    for (const auto& r : regions) {
      if (r.begin < covered) continue;  // inside a region already handled
      covered = r.end;
      std::vector<FunctionMetrics> found;
      int pieces = 0;
      if (!split(r.begin, r.end, r.prefix, 0, found, pieces)) continue;
      std::size_t before = 0;
      for (auto& span : spans) {
        if (span.begin >= r.begin && span.end <= r.end) ++before;
      }
      if (found.size() <= before) continue;  // nothing was lost there
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (spans[i].begin >= r.begin && spans[i].end <= r.end) removed[i] = 1;
      }
      for (auto& f : found) added.push_back(std::move(f));
      int first = line_at(r.begin), last = line_at(r.end > r.begin ? r.end - 1 : r.end);
      out.assumptions.push_back(
          {first, last, "reparse",
           fmt::format("a syntax error swallowed declarations: lines {}-{} re-parsed in {} pieces, "
                       "{} functions instead of {}",
                       first, last, pieces, found.size(), before)});
    }
    if (added.empty()) return;
    std::vector<FunctionMetrics> merged;
    merged.reserve(out.functions.size() + added.size());
    for (std::size_t i = 0; i < out.functions.size(); ++i) {
      if (!removed[i]) merged.push_back(std::move(out.functions[i]));
    }
    for (auto& f : added) merged.push_back(std::move(f));
    std::stable_sort(merged.begin(), merged.end(), [](const FunctionMetrics& a, const FunctionMetrics& b) {
      return a.start_line < b.start_line || (a.start_line == b.start_line && a.end_line > b.end_line);
    });
    out.functions = std::move(merged);
    for (int line : blanked_) {
      out.assumptions.push_back({line, line, "reparse", "line left out: the grammar cannot read it"});
    }
  }

 private:
  int line_at(std::uint32_t byte) const {
    std::string_view head = src_.substr(0, std::min<std::size_t>(byte, src_.size()));
    return static_cast<int>(std::count(head.begin(), head.end(), '\n')) + 1;
  }

  // Re-parses [begin, end) in pieces; false when it has no declaration lines to cut at.
  bool split(std::uint32_t begin, std::uint32_t end, const std::string& prefix, int depth,
             std::vector<FunctionMetrics>& found, int& pieces) {
    auto decls = declaration_lines(src_, spec_.lang, begin, end);
    if (decls.empty()) return false;
    int indent = decls.front().indent;
    for (const auto& d : decls) indent = std::min(indent, d.indent);
    std::vector<const DeclLine*> cuts;
    for (const auto& d : decls) {
      if (d.indent == indent) cuts.push_back(&d);
    }
    // Text before the first cut (the rest of a broken line) is a piece only when not blank.
    std::uint32_t pos = begin;
    if (cuts.front()->begin > begin && !blank(src_.substr(begin, cuts.front()->begin - begin))) {
      parse_piece(begin, cuts.front()->begin, prefix, nullptr, depth, found, pieces);
    }
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      pos = std::max(begin, cuts[i]->begin);
      std::uint32_t stop = i + 1 < cuts.size() ? cuts[i + 1]->begin : end;
      if (stop > pos) parse_piece(pos, stop, prefix, cuts[i], depth, found, pieces);
    }
    return true;
  }

  void parse_piece(std::uint32_t begin, std::uint32_t end, const std::string& prefix,
                   const DeclLine* decl, int depth, std::vector<FunctionMetrics>& found,
                   int& pieces) {
    ++pieces;
    auto tree = parse_range(src_, spec_, begin, end);
    if (!tree) return;
    FileMetrics piece;
    Walker walker(src_, spec_, opt_, piece, prefix);
    walker.run(ts_tree_root_node(tree.get()));
    if (piece.parse_errors > 0 && decl != nullptr && decl->type && depth < 4) {
      // A type whose body is still broken: cut its members one level down.
      std::size_t nl = src_.find('\n', begin);
      while (nl != std::string_view::npos && nl < end) {
        // The members start after the line that opens the body.
        std::string_view line = src_.substr(begin, nl - begin);
        if (line.find('{') != std::string_view::npos || line.find(':') != std::string_view::npos) break;
        nl = src_.find('\n', nl + 1);
      }
      if (nl != std::string_view::npos && nl + 1 < end) {
        std::string inner = prefix.empty() ? decl->name : prefix + "." + decl->name;
        std::vector<FunctionMetrics> deeper;
        int deeper_pieces = 0;
        if (split(static_cast<std::uint32_t>(nl + 1), end, inner, depth + 1, deeper, deeper_pieces) &&
            deeper.size() > piece.functions.size()) {
          pieces += deeper_pieces;
          for (auto& f : deeper) found.push_back(std::move(f));
          return;
        }
      }
    }
    if (piece.parse_errors > 0 && decl != nullptr && !decl->type && !has_row_at(piece, decl->keyword_line + 1)) {
      if (blank_one_line(begin, end, prefix, *decl, found)) return;
    }
    for (auto& f : piece.functions) found.push_back(std::move(f));
  }

  static bool has_row_at(const FileMetrics& m, int line) {
    return std::any_of(m.functions.begin(), m.functions.end(),
                       [&](const FunctionMetrics& f) { return f.start_line == line; });
  }

  // The last resort for a function whose own body the grammar cannot read (a construct newer
  // than the grammar): blank one line of it at a time (lines with balanced braces only, same
  // length) until it parses; the row then says which line was left out.
  bool blank_one_line(std::uint32_t begin, std::uint32_t end, const std::string& prefix,
                      const DeclLine& decl, std::vector<FunctionMetrics>& found) {
    constexpr int kMaxLines = 400;
    std::string copy(src_);
    // (std::size_t: a function on the file's last line has no newline after its start.)
    std::size_t pos = src_.find('\n', begin);
    int tries = 0;
    while (pos != std::string_view::npos && pos + 1 < end && tries < kMaxLines) {
      auto lb = static_cast<std::uint32_t>(pos + 1);
      std::size_t nl = src_.find('\n', lb);
      std::uint32_t le = nl == std::string_view::npos || nl > end ? end : static_cast<std::uint32_t>(nl);
      pos = le;
      ++tries;
      std::string_view line = src_.substr(lb, le - lb);
      if (blank(line) ||
          std::count(line.begin(), line.end(), '{') != std::count(line.begin(), line.end(), '}')) {
        continue;
      }
      std::fill(copy.begin() + lb, copy.begin() + le, ' ');
      auto tree = parse_range(copy, spec_, begin, end);
      FileMetrics piece;
      if (tree) {
        Walker walker(copy, spec_, opt_, piece, prefix);
        walker.run(ts_tree_root_node(tree.get()));
      }
      std::copy(src_.begin() + lb, src_.begin() + le, copy.begin() + lb);
      if (!tree || piece.parse_errors > 0 || !has_row_at(piece, decl.keyword_line + 1)) continue;
      int line_no = line_at(lb);
      for (auto& f : piece.functions) found.push_back(std::move(f));
      blanked_.push_back(line_no);
      return true;
    }
    return false;
  }

  std::string_view src_;
  const LanguageSpec& spec_;
  const AnalyzeOptions& opt_;

 public:
  std::vector<int> blanked_;  // lines left out by blank_one_line
};

}  // namespace

// tree-sitter's lexers read a NUL byte as the end of input: some external scanners (Kotlin's)
// then loop without advancing, allocating until memory runs out. A source with NULs is parsed
// with them as spaces (same length, so lines and columns are unchanged).
std::string_view without_nul(std::string_view source, std::string& storage) {
  if (source.find('\0') == std::string_view::npos) return source;
  storage.assign(source);
  std::replace(storage.begin(), storage.end(), '\0', ' ');
  return storage;
}

FileMetrics analyze_source(std::string_view source, Language lang, const AnalyzeOptions& options) {
  FileMetrics out;
  out.language = lang;
  const LanguageSpec& spec = spec_for(lang);
  if (source.size() > 0xFFFFFFF0u) source = source.substr(0, 0xFFFFFFF0u);
  std::string storage;
  source = without_nul(source, storage);
  std::string masked_storage;
  std::string_view original = source;
  source = mask_source(source, lang, masked_storage, out.assumptions);
  auto tree = parse(source, spec);
  if (!tree) {
    out.parse_aborted = true;
    return out;
  }
  Walker walker(source, spec, options, out);
  walker.count_lines_of(original);
  walker.run(ts_tree_root_node(tree.get()));
  if (out.parse_errors > 0 && scans_declarations(lang)) {
    tree.reset();  // the thread's parser is reused for the pieces
    Recovery(source, spec, options).run(walker, out);
  }
  return out;
}

std::size_t parse_only(std::string_view source, Language lang) {
  std::string storage;
  auto tree = parse(without_nul(source, storage), spec_for(lang));
  return tree ? ts_node_child_count(ts_tree_root_node(tree.get())) : 0;
}

std::string syntax_tree(std::string_view source, Language lang) {
  const LanguageSpec& spec = spec_for(lang);
  std::string storage, masked_storage;
  std::vector<FileMetrics::Assumption> masks;
  std::string_view text = mask_source(without_nul(source, storage), lang, masked_storage, masks);
  auto tree = parse(text, spec);
  if (!tree) return {};
  char* s = ts_node_string(ts_tree_root_node(tree.get()));
  std::string out = s;
  std::free(s);
  return out;
}

std::string syntax_tree_unmasked(std::string_view source, Language lang) {
  std::string storage;
  auto tree = parse(without_nul(source, storage), spec_for(lang));
  if (!tree) return {};
  char* s = ts_node_string(ts_tree_root_node(tree.get()));
  std::string out = s;
  std::free(s);
  return out;
}

}  // namespace obscore::ast
