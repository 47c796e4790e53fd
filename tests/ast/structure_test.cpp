// Function discovery and naming, lines and sizes, parameters, --explain, robustness.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "obscore/ast/ast.hpp"

using obscore::ast::analyze_source;
using obscore::ast::Language;

TEST(Structure, PythonNamesKindsLinesAndSizes) {
  const char* src =
      "import os\n"
      "\n"
      "@decorator\n"
      "def top(a, b=1, *args, c, **kw):\n"
      "    # a comment\n"
      "\n"
      "    return a\n"
      "\n"
      "class K:\n"
      "    def m(self, /, x):\n"
      "        def inner():\n"
      "            pass\n"
      "        return inner\n";
  auto m = analyze_source(src, Language::kPython);
  ASSERT_EQ(m.functions.size(), 3u);
  const auto& top = m.functions[0];
  EXPECT_EQ(top.name, "top");
  EXPECT_EQ(top.kind, "function");
  EXPECT_EQ(top.start_line, 4);  // the def line; decorators excluded
  EXPECT_EQ(top.end_line, 7);
  EXPECT_EQ(top.loc, 4);
  EXPECT_EQ(top.sloc, 2);        // comment and blank lines excluded
  EXPECT_EQ(top.params, 5);      // a, b, *args, c, **kw (the bare * is not a parameter)
  EXPECT_EQ(m.functions[1].qualified_name, "K.m");
  EXPECT_EQ(m.functions[1].kind, "method");
  EXPECT_EQ(m.functions[1].params, 2);  // self, x (the / separator is not a parameter)
  EXPECT_EQ(m.functions[2].qualified_name, "K.m.inner");
  EXPECT_EQ(m.functions[2].kind, "closure");
  EXPECT_EQ(m.lines, 13);
  EXPECT_EQ(m.sloc, 9);  // import, decorator, def, return, class, def m, def inner, pass, return
}

// Found by fuzz_ast: tree-sitter-kotlin's error recovery on a stray NUL + BEL grew without bound
// (1.8 GB in 30 s). The parse budget stops it: no metrics, parse_aborted, bounded memory.
TEST(Structure, RunawayErrorRecoveryIsStoppedByTheParseBudget) {
  std::ifstream in(std::string(OBSCORE_TEST_DATA) + "/ast/fuzz/kotlin-runaway-recovery.bin", std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(data.size(), 1u);
  std::string padded;
  for (int i = 0; i < 200; ++i) padded += "// a comment line that is ordinary Kotlin\n";
  padded += data.substr(1);
  auto m = analyze_source(padded, Language::kKotlin);
  EXPECT_TRUE(m.parse_aborted);
  EXPECT_TRUE(m.functions.empty());
  // The same text without the control bytes parses normally.
  std::string clean = padded;
  for (char& c : clean) {
    if (c == '\0' || c == '\a') c = ' ';
  }
  auto ok = analyze_source(clean, Language::kKotlin);
  EXPECT_FALSE(ok.parse_aborted);
  EXPECT_FALSE(ok.functions.empty());
}

TEST(Structure, PythonLineContinuationIsNotAParameter) {
  // tree-sitter keeps `\` + newline as a named extra inside the parameter list.
  auto m = analyze_source("def f(a, \\\n      b=1, \\\n      *, c):\n    pass\n", Language::kPython);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].params, 3);
}

TEST(Structure, CrlfLineEndings) {
  auto m = analyze_source("def f(a):\r\n    if a:\r\n        return 1\r\n", Language::kPython);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 2);
  EXPECT_EQ(m.functions[0].end_line, 3);
  EXPECT_EQ(m.lines, 3);
}

TEST(Structure, GoReceiverAndParams) {
  auto m = analyze_source("package p\nfunc (s *Server[T]) Run(a, b int, c string) {}\n",
                          Language::kGo);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].qualified_name, "Server.Run");
  EXPECT_EQ(m.functions[0].kind, "method");
  EXPECT_EQ(m.functions[0].params, 3);
}

TEST(Structure, CParamsVoidAndDeclarationsSkipped) {
  auto m = analyze_source("int proto(int a);\nint f(void) { return 0; }\nint g(int a, char *b) { return a; }\n",
                          Language::kC);
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_EQ(m.functions[0].name, "f");
  EXPECT_EQ(m.functions[0].params, 0);
  EXPECT_EQ(m.functions[1].params, 2);
}

TEST(Structure, JavaInterfaceMethodsWithoutBodiesAreSkipped) {
  auto m = analyze_source("interface I { void a(); default void b() { } }", Language::kJava);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].qualified_name, "I.b");
}

TEST(Structure, AnonymousTopLevelCallbackIsItsOwnRow) {
  auto m = analyze_source("describe('x', () => { if (a) { } });\n", Language::kJavaScript);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].name, "(anonymous)");
  EXPECT_EQ(m.functions[0].kind, "lambda");
  EXPECT_EQ(m.functions[0].cyclomatic, 2);
}

TEST(Structure, RustImplAndNamedClosure) {
  auto m = analyze_source("impl<T> Stack<T> { fn push(&mut self, x: T) { let f = |y| y; } }",
                          Language::kRust);
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_EQ(m.functions[0].qualified_name, "Stack.push");
  EXPECT_EQ(m.functions[0].params, 2);
  EXPECT_EQ(m.functions[1].qualified_name, "Stack.push.f");
  EXPECT_EQ(m.functions[1].kind, "closure");
}

TEST(Structure, KotlinAndSwiftConstructors) {
  auto k = analyze_source("class A { constructor(x: Int) { } }", Language::kKotlin);
  ASSERT_EQ(k.functions.size(), 1u);
  EXPECT_EQ(k.functions[0].qualified_name, "A.constructor");
  auto s = analyze_source("class A {\n  init(x: Int) { }\n  deinit { }\n}\n", Language::kSwift);
  ASSERT_EQ(s.functions.size(), 2u);
  EXPECT_EQ(s.functions[0].qualified_name, "A.init");
  EXPECT_EQ(s.functions[1].qualified_name, "A.deinit");
}

TEST(Structure, ExplainListsEveryIncrement) {
  obscore::ast::AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source("def f(a, b):\n    if a:\n        while b:\n            pass\n",
                          Language::kPython, opt);
  ASSERT_EQ(m.functions.size(), 1u);
  const auto& incs = m.functions[0].increments;
  int cyc = 1, cog = 0;
  bool saw_nested_loop = false;
  for (const auto& i : incs) {
    if (i.metric == "cyclomatic") cyc += i.amount;
    if (i.metric == "cognitive") cog += i.amount;
    if (i.metric == "cognitive" && i.line == 3 && i.amount == 2) saw_nested_loop = true;
  }
  EXPECT_EQ(cyc, m.functions[0].cyclomatic);
  EXPECT_EQ(cog, m.functions[0].cognitive);
  EXPECT_TRUE(saw_nested_loop);
}

TEST(Robustness, SyntaxErrorsAreCountedAndMetricsStillComputed) {
  auto m = analyze_source("def f(a):\n    if a\n        return 1\n    for x in :\n", Language::kPython);
  EXPECT_GT(m.parse_errors, 0);
  EXPECT_GT(m.first_error_line, 0);
  EXPECT_FALSE(m.functions.empty());
}

TEST(Robustness, DeepNestingDoesNotOverflowTheStack) {
  std::string src = "int f(int a) {\n";
  const int depth = 5000;
  for (int i = 0; i < depth; ++i) src += "if (a) {\n";
  for (int i = 0; i < depth; ++i) src += "}\n";
  src += "return 0; }\n";
  auto m = analyze_source(src, Language::kC);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].max_nesting, depth);
  EXPECT_EQ(m.functions[0].cyclomatic, depth + 1);
  std::string expr = "x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\n";
  auto p = analyze_source(expr, Language::kPython);
  EXPECT_TRUE(p.functions.empty());
}

TEST(Robustness, EmptyGarbageAndNonUtf8Input) {
  for (int l = 0; l <= static_cast<int>(Language::kRust); ++l) {
    auto lang = static_cast<Language>(l);
    auto empty = analyze_source("", lang);
    EXPECT_TRUE(empty.functions.empty());
    EXPECT_EQ(empty.lines, 0);
    std::string garbage;
    for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 251 + 1);
    auto g = analyze_source(garbage, lang);
    EXPECT_GE(g.lines, 1);
    auto latin1 = analyze_source("def caf\xe9():\n    return '\xff'\n", lang);
    (void)latin1;
  }
}

TEST(Languages, DetectionByExtensionAndHeaderSniffing) {
  using obscore::ast::language_for_path;
  EXPECT_EQ(language_for_path("a/b.py"), Language::kPython);
  EXPECT_EQ(language_for_path("X.KT"), Language::kKotlin);
  EXPECT_EQ(language_for_path("a.tsx"), Language::kTsx);
  EXPECT_EQ(language_for_path("a.mjs"), Language::kJavaScript);
  EXPECT_EQ(language_for_path("a.rs"), Language::kRust);
  EXPECT_EQ(language_for_path("a.h", "#include <stdio.h>\nint f(void);\n"), Language::kC);
  EXPECT_EQ(language_for_path("a.h", "namespace x { class Y; }\n"), Language::kCpp);
  EXPECT_EQ(language_for_path("README.md"), std::nullopt);
  EXPECT_EQ(language_for_path("Makefile"), std::nullopt);
  EXPECT_EQ(obscore::ast::parse_language("c++"), Language::kCpp);
  EXPECT_EQ(obscore::ast::parse_language("golang"), Language::kGo);
  EXPECT_EQ(obscore::ast::parse_language("cobol"), std::nullopt);
}
