// Hand-computed metrics per language: each snippet exercises one construct.
// Values follow man/obscore-ast.1 (radon for Python cyclomatic, lizard elsewhere, the
// SonarSource white paper for cognitive).
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include "obscore/ast/ast.hpp"

using obscore::ast::analyze_source;
using obscore::ast::FunctionMetrics;
using obscore::ast::Language;

namespace {

struct Case {
  const char* label;
  Language lang;
  const char* source;
  const char* function;  // qualified name
  int cyclomatic;
  int cognitive;
  int max_nesting;
};

// gtest prints the label instead of the struct's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

const FunctionMetrics* find(const obscore::ast::FileMetrics& m, const std::string& name) {
  for (const auto& f : m.functions) {
    if (f.qualified_name == name) return &f;
  }
  return nullptr;
}

class Metrics : public ::testing::TestWithParam<Case> {};

TEST_P(Metrics, MatchesHandComputedValues) {
  const Case& c = GetParam();
  auto m = analyze_source(c.source, c.lang);
  EXPECT_EQ(m.parse_errors, 0) << c.label;
  const FunctionMetrics* f = find(m, c.function);
  ASSERT_NE(f, nullptr) << c.label << ": no function " << c.function;
  EXPECT_EQ(f->cyclomatic, c.cyclomatic) << c.label;
  EXPECT_EQ(f->cognitive, c.cognitive) << c.label;
  EXPECT_EQ(f->max_nesting, c.max_nesting) << c.label;
}

const Case kPython[] = {
    {"py empty", Language::kPython, "def f():\n    pass\n", "f", 1, 0, 0},
    {"py if", Language::kPython, "def f(a):\n    if a:\n        return 1\n", "f", 2, 1, 1},
    {"py if elif else", Language::kPython,
     "def f(a):\n    if a == 1:\n        x = 1\n    elif a == 2:\n        x = 2\n    else:\n        x = 3\n",
     "f", 3, 3, 1},
    {"py nested if", Language::kPython,
     "def f(a, b):\n    if a:\n        if b:\n            return 1\n", "f", 3, 3, 2},
    {"py for else", Language::kPython,
     "def f(xs):\n    for x in xs:\n        pass\n    else:\n        pass\n", "f", 3, 2, 1},
    {"py while", Language::kPython, "def f():\n    while True:\n        break\n", "f", 2, 1, 1},
    {"py try", Language::kPython,
     "def f():\n    try:\n        g()\n    except A:\n        pass\n    except B:\n        pass\n"
     "    else:\n        pass\n    finally:\n        pass\n",
     "f", 4, 2, 1},
    {"py bool ops", Language::kPython, "def f(a, b, c):\n    return a and b and c or a\n", "f", 4,
     2, 0},
    {"py ternary", Language::kPython, "def f(a):\n    return 1 if a else 2\n", "f", 2, 1, 0},
    {"py comprehension", Language::kPython,
     "def f(xs):\n    return [x for x in xs if x if x > 1]\n", "f", 4, 0, 0},
    {"py lambda counts for parent", Language::kPython,
     "def f(xs):\n    return sorted(xs, key=lambda x: x if x else 0)\n", "f", 2, 2, 0},
    {"py with adds nesting only", Language::kPython,
     "def f():\n    with open('a') as h:\n        if h:\n            pass\n", "f", 2, 1, 2},
    {"py assert counts, its contents do not", Language::kPython,
     "def f(a, b):\n    assert a and b\n", "f", 2, 0, 0},
    {"py match", Language::kPython,
     "def f(x):\n    match x:\n        case 1:\n            pass\n        case [a, b]:\n            pass\n"
     "        case _:\n            pass\n",
     "f", 3, 1, 1},
    {"py method", Language::kPython, "class C:\n    def m(self):\n        return self or 1\n", "C.m", 2,
     1, 0},
    {"py closure separate", Language::kPython,
     "def outer(a):\n    def inner(b):\n        if b:\n            return 1\n    return inner\n",
     "outer", 1, 0, 0},
    {"py closure row", Language::kPython,
     "def outer(a):\n    def inner(b):\n        if b:\n            return 1\n    return inner\n",
     "outer.inner", 2, 1, 1},
    {"py default args not counted (radon)", Language::kPython,
     "def f(a=1 if X else 2):\n    return a\n", "f", 1, 0, 0},
};

const Case kJava[] = {
    {"java if else-if else", Language::kJava,
     "class A { int f(int a) { if (a > 1) { return 1; } else if (a < 0) { return 2; } else { return 3; } } }",
     "A.f", 3, 3, 1},
    {"java loops", Language::kJava,
     "class A { void f(int[] xs) { for (int x : xs) { while (x > 0) { x--; } } do { } while (false); } }",
     "A.f", 4, 4, 2},
    {"java switch", Language::kJava,
     "class A { int f(int a) { switch (a) { case 1: return 1; case 2: case 3: return 2; default: return 0; } } }",
     "A.f", 4, 1, 1},
    {"java switch arrows", Language::kJava,
     "class A { int f(int a) { return switch (a) { case 1 -> 10; case 2, 3 -> 20; default -> 0; }; } }",
     "A.f", 3, 1, 1},
    {"java try catch", Language::kJava,
     "class A { void f() { try { g(); } catch (IllegalStateException e) { h(); } catch (Exception e) { } finally { } } }",
     "A.f", 3, 2, 1},
    {"java boolean sequences", Language::kJava,
     "class A { boolean f(boolean a, boolean b, boolean c) { return a && b && c || a; } }", "A.f", 4,
     2, 0},
    {"java ternary", Language::kJava, "class A { int f(int a) { return a > 0 ? a : -a; } }", "A.f", 2,
     1, 0},
    {"java generics are not ternaries", Language::kJava,
     "class A { void f(java.util.List<? extends Number> xs, java.util.Map<?, ?> m) { } }", "A.f", 1,
     0, 0},
    {"java labelled break", Language::kJava,
     "class A { void f(int[] xs) { outer: for (int x : xs) { if (x > 0) break outer; } } }", "A.f", 3,
     4, 2},
    {"java lambda nesting", Language::kJava,
     "class A { Runnable f() { return () -> { if (x) { y(); } }; } }", "A.f", 2, 2, 1},
    {"java constructor", Language::kJava, "class A { A(int a) { if (a > 0) { } } }", "A.A", 2, 1, 1},
};

const Case kKotlin[] = {
    {"kt if else", Language::kKotlin, "fun f(a: Int): Int { if (a > 0) { return 1 } else { return 2 } }",
     "f", 2, 2, 1},
    {"kt when", Language::kKotlin,
     "fun f(a: Int) = when (a) {\n  1, 2 -> \"x\"\n  3 -> \"y\"\n  else -> \"z\"\n}\n", "f", 3, 1, 1},
    {"kt loops", Language::kKotlin,
     "fun f(xs: List<Int>) { for (x in xs) { while (x > 0) { } }\n do { } while (false) }", "f", 4, 4, 2},
    {"kt try catch", Language::kKotlin,
     "fun f() { try { g() } catch (e: Exception) { h() } finally { } }", "f", 2, 1, 1},
    {"kt labelled break", Language::kKotlin,
     "fun f(xs: List<Int>) { outer@ for (x in xs) { if (x > 0) break@outer } }", "f", 3, 4, 2},
    {"kt bools", Language::kKotlin, "fun f(a: Boolean, b: Boolean) = a && b || a", "f", 3, 2, 0},
    {"kt method", Language::kKotlin, "class C { fun m(x: Int) { if (x > 0) { } } }", "C.m", 2, 1, 1},
    {"kt else if", Language::kKotlin,
     "fun f(a: Int) { if (a > 0) { } else if (a < 0) { } else { } }", "f", 3, 3, 1},
};

const Case kSwift[] = {
    {"swift guard", Language::kSwift,
     "func f(a: Int?) -> Int {\n  guard let v = a else { return 0 }\n  return v\n}\n", "f", 2, 1, 1},
    {"swift if else-if else", Language::kSwift,
     "func f(a: Int) {\n  if a > 1 { x() } else if a < 0 { y() } else { z() }\n}\n", "f", 3, 3, 1},
    {"swift switch", Language::kSwift,
     "func f(a: Int) -> Int {\n  switch a {\n  case 0: return 1\n  case 1, 2: return 2\n  default: return 3\n  }\n}\n",
     "f", 3, 1, 1},
    {"swift loops", Language::kSwift,
     "func f(xs: [Int]) {\n  for x in xs { while x > 0 { } }\n  repeat { } while false\n}\n", "f", 4,
     4, 2},
    {"swift do catch", Language::kSwift,
     "func f() {\n  do { try g() } catch { h() }\n}\n", "f", 2, 1, 1},
    {"swift ternary and bools", Language::kSwift,
     "func f(a: Bool, b: Bool) -> Int {\n  return a && b ? 1 : 0\n}\n", "f", 3, 2, 0},
    {"swift method", Language::kSwift,
     "class C {\n  func m(x: Int) {\n    if x > 0 { }\n  }\n}\n", "C.m", 2, 1, 1},
};

const Case kJs[] = {
    {"js if else-if else", Language::kJavaScript,
     "function f(a) { if (a > 1) { return 1; } else if (a < 0) { return 2; } else { return 3; } }",
     "f", 3, 3, 1},
    {"js loops", Language::kJavaScript,
     "function f(xs) { for (const x of xs) { for (let i = 0; i < x; i++) { } } while (false) { } do { } while (false); }",
     "f", 5, 5, 2},
    {"js switch", Language::kJavaScript,
     "function f(a) { switch (a) { case 1: return 1; case 2: return 2; default: return 0; } }", "f",
     3, 1, 1},
    {"js try catch", Language::kJavaScript,
     "function f() { try { g(); } catch (e) { h(); } finally { } }", "f", 2, 1, 1},
    {"js nullish and logical", Language::kJavaScript,
     "function f(a, b) { return (a ?? b ?? 0) || a; }", "f", 2, 2, 0},
    {"js labelled continue", Language::kJavaScript,
     "function f(xs) { outer: for (const x of xs) { if (x) continue outer; } }", "f", 3, 4, 2},
    {"js named arrow", Language::kJavaScript, "const g = (a) => a ? 1 : 2;", "g", 2, 1, 0},
    {"js callback merged with nesting", Language::kJavaScript,
     "function f(xs) { return xs.map((x) => { if (x) { return 1; } return 0; }); }", "f", 2, 2, 1},
    {"js class method", Language::kJavaScript,
     "class C { m(a) { return a && a.b; } }", "C.m", 2, 1, 0},
};

const Case kTs[] = {
    {"ts function", Language::kTypeScript,
     "export function f(a: number, b?: string): number { if (a > 0 && b) { return 1; } return a > 1 ? 2 : 3; }",
     "f", 4, 3, 1},
    {"ts method", Language::kTypeScript,
     "class C { private m(x: number): void { for (const y of [x]) { } } }", "C.m", 2, 1, 1},
    {"tsx component", Language::kTsx,
     "function App(props: { ok: boolean }) { return props.ok ? <div/> : <span/>; }", "App", 2, 1, 0},
};

const Case kGo[] = {
    {"go if else", Language::kGo,
     "package p\nfunc f(a int) int {\n\tif a > 1 {\n\t\treturn 1\n\t} else if a < 0 {\n\t\treturn 2\n\t} else {\n\t\treturn 3\n\t}\n}\n",
     "f", 3, 3, 1},
    {"go for range", Language::kGo,
     "package p\nfunc f(xs []int) {\n\tfor _, x := range xs {\n\t\tfor x > 0 {\n\t\t\tx--\n\t\t}\n\t}\n}\n", "f",
     3, 3, 2},
    {"go switch", Language::kGo,
     "package p\nfunc f(a int) int {\n\tswitch a {\n\tcase 1, 2:\n\t\treturn 1\n\tcase 3:\n\t\treturn 2\n\tdefault:\n\t\treturn 0\n\t}\n}\n",
     "f", 3, 1, 1},
    {"go select", Language::kGo,
     "package p\nfunc f(a, b chan int) {\n\tselect {\n\tcase <-a:\n\tcase <-b:\n\tdefault:\n\t}\n}\n", "f", 3, 1,
     1},
    {"go bools and goto", Language::kGo,
     "package p\nfunc f(a, b bool) {\n\tif a && b || a {\n\t\tgoto end\n\t}\nend:\n}\n", "f", 4, 4, 1},
    {"go method", Language::kGo,
     "package p\ntype S struct{}\nfunc (s *S) M(x int) {\n\tif x > 0 {\n\t}\n}\n", "S.M", 2, 1, 1},
    {"go labelled break", Language::kGo,
     "package p\nfunc f(xs []int) {\nouter:\n\tfor _, x := range xs {\n\t\tif x > 0 {\n\t\t\tbreak outer\n\t\t}\n\t}\n}\n",
     "f", 3, 4, 2},
};

const Case kC[] = {
    {"c if else-if else", Language::kC,
     "int f(int a) { if (a > 1) return 1; else if (a < 0) return 2; else return 3; }", "f", 3, 3, 1},
    {"c loops", Language::kC,
     "void f(int n) { for (int i = 0; i < n; i++) { while (n) { n--; } } do { } while (0); }", "f", 4,
     4, 2},
    {"c switch fallthrough", Language::kC,
     "int f(int a) { switch (a) { case 1: case 2: return 1; default: return 0; } }", "f", 3, 1, 1},
    {"c goto and ternary", Language::kC,
     "int f(int a) { if (a) goto out; return a ? 1 : 2; out: return 0; }", "f", 3, 3, 1},
    {"c bools", Language::kC, "int f(int a, int b) { return a && b && !a || b; }", "f", 4, 2, 0},
};

const Case kCpp[] = {
    {"cpp method out of class", Language::kCpp,
     "class A { int f(int); };\nint A::f(int a) { if (a) { return 1; } return 0; }", "A.f", 2, 1, 1},
    {"cpp try catch range-for", Language::kCpp,
     "void f(const std::vector<int>& v) { for (int x : v) { try { g(x); } catch (const std::exception& e) { } catch (...) { } } }",
     "f", 4, 5, 2},
    {"cpp templates are not comparisons", Language::kCpp,
     "template <typename T> bool f(std::vector<T> a, std::map<int, T> b) { return a.size() < b.size(); }",
     "f", 1, 0, 0},
    {"cpp lambda merged", Language::kCpp,
     "void f(std::vector<int>& v) { std::sort(v.begin(), v.end(), [](int a, int b) { return a > b && a; }); }",
     "f", 2, 1, 0},
    {"cpp namespace", Language::kCpp, "namespace n { int g(int a) { return a ? 1 : 0; } }", "n.g", 2, 1,
     0},
};

const Case kRust[] = {
    {"rust if let else", Language::kRust,
     "fn f(a: Option<i32>) -> i32 { if let Some(x) = a { x } else if true { 1 } else { 0 } }", "f", 3, 3, 1},
    {"rust match arms", Language::kRust,
     "fn f(a: i32) -> i32 { match a { 0 => 1, 1 | 2 => 2, n if n > 5 => 3, _ => 0 } }", "f", 4, 1, 1},
    {"rust loops", Language::kRust,
     "fn f(v: Vec<i32>) { for x in v { while x > 0 { } } loop { break; } }", "f", 4, 4, 2},
    {"rust labelled", Language::kRust,
     "fn f() { 'outer: loop { loop { break 'outer; } } }", "f", 3, 4, 2},
    {"rust method", Language::kRust,
     "struct S;\nimpl S { fn m(&self, x: i32) -> bool { x > 0 && x < 9 } }", "S.m", 2, 1, 0},
    {"rust question mark is not a branch", Language::kRust,
     "fn f() -> Result<i32, E> { let x = g()?; Ok(x) }", "f", 1, 0, 0},
};

// Readable test names: the label with non-alphanumerics as underscores.
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.label;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Python, Metrics, ::testing::ValuesIn(kPython), case_name);
INSTANTIATE_TEST_SUITE_P(Java, Metrics, ::testing::ValuesIn(kJava), case_name);
INSTANTIATE_TEST_SUITE_P(Kotlin, Metrics, ::testing::ValuesIn(kKotlin), case_name);
INSTANTIATE_TEST_SUITE_P(Swift, Metrics, ::testing::ValuesIn(kSwift), case_name);
INSTANTIATE_TEST_SUITE_P(JavaScript, Metrics, ::testing::ValuesIn(kJs), case_name);
INSTANTIATE_TEST_SUITE_P(TypeScript, Metrics, ::testing::ValuesIn(kTs), case_name);
INSTANTIATE_TEST_SUITE_P(Go, Metrics, ::testing::ValuesIn(kGo), case_name);
INSTANTIATE_TEST_SUITE_P(C, Metrics, ::testing::ValuesIn(kC), case_name);
INSTANTIATE_TEST_SUITE_P(Cpp, Metrics, ::testing::ValuesIn(kCpp), case_name);
INSTANTIATE_TEST_SUITE_P(Rust, Metrics, ::testing::ValuesIn(kRust), case_name);
