// Real-code robustness (issue 21): grammar fixes, masks, local syntax errors, accessor rows.
// Every snippet is written here and reproduces a construct that broke the parse or lost rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "obscore/ast/ast.hpp"

using obscore::ast::analyze_source;
using obscore::ast::AnalyzeOptions;
using obscore::ast::FileMetrics;
using obscore::ast::FunctionMetrics;
using obscore::ast::Language;

namespace {

const FunctionMetrics* find(const FileMetrics& m, const std::string& qualified) {
  for (const auto& f : m.functions) {
    if (f.qualified_name == qualified) return &f;
  }
  return nullptr;
}

std::string names(const FileMetrics& m) {
  std::string s;
  for (const auto& f : m.functions) s += f.qualified_name + "@" + std::to_string(f.start_line) + " ";
  return s;
}

bool has_assumption(const FileMetrics& m, const std::string& kind, const std::string& detail_part) {
  return std::any_of(m.assumptions.begin(), m.assumptions.end(), [&](const auto& a) {
    return a.kind == kind && a.detail.find(detail_part) != std::string::npos;
  });
}

}  // namespace

// OBSCORE_GRAMMAR_FIXES (kotlin scanner.c): a statement beginning with an identifier that starts
// with a keyword (`in1`, `as_x`) got no automatic semicolon; the whole file became one ERROR and
// no function was listed.
TEST(RealWorld, KotlinIdentifierStartingWithAKeywordStartsAStatement) {
  const char* src =
      "class Reader {\n"
      "  fun readsAfterSkip() {\n"
      "    val in1 = open()\n"
      "    in1.skip(3)\n"
      "    as_x.close()\n"
      "    is2.close()\n"
      "  }\n"
      "\n"
      "  fun second(x: Int): Int {\n"
      "    if (x > 0) return 1\n"
      "    return 0\n"
      "  }\n"
      "}\n";
  auto m = analyze_source(src, Language::kKotlin);
  EXPECT_EQ(m.parse_errors, 0) << names(m);
  ASSERT_EQ(m.functions.size(), 2u) << names(m);
  EXPECT_EQ(m.functions[0].qualified_name, "Reader.readsAfterSkip");
  EXPECT_EQ(m.functions[0].end_line, 7);
  EXPECT_EQ(m.functions[1].qualified_name, "Reader.second");
  EXPECT_EQ(m.functions[1].cyclomatic, 2);
}

// An error stays local: a construct the grammar cannot read (Kotlin 2.2's multi-dollar string)
// made tree-sitter's recovery swallow the whole class; every function is listed again, each with
// metrics from its own subtree, and --explain says what was re-parsed.
TEST(RealWorld, KotlinSyntaxErrorDoesNotSwallowTheFollowingFunctions) {
  const char* src =
      "class CacheLike {\n"
      "  @Test fun first() {\n"
      "    val json = $$\"{\\\"$foo\\\": \\\"bar\\\"}\"\n"
      "    check(json)\n"
      "  }\n"
      "\n"
      "  @Test\n"
      "  fun second(x: Int): Int {\n"
      "    if (x > 0 && x < 9) return 1\n"
      "    return 0\n"
      "  }\n"
      "\n"
      "  fun third(x: Int?): Int {\n"
      "    for (i in 0..3) { if (i == x) return i }\n"
      "    return 2\n"
      "  }\n"
      "}\n";
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source(src, Language::kKotlin, opt);
  EXPECT_GT(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 3u) << names(m);
  const auto* first = find(m, "CacheLike.first");
  const auto* second = find(m, "CacheLike.second");
  const auto* third = find(m, "CacheLike.third");
  ASSERT_TRUE(first && second && third) << names(m);
  EXPECT_EQ(first->start_line, 2);
  EXPECT_EQ(second->start_line, 8);
  EXPECT_EQ(second->end_line, 11);
  EXPECT_EQ(second->cyclomatic, 3);  // if, &&
  EXPECT_EQ(third->start_line, 13);
  EXPECT_EQ(third->cyclomatic, 3);   // for, if
  EXPECT_EQ(third->cognitive, 3);    // for 1, if 1+1
  EXPECT_TRUE(has_assumption(m, "reparse", "re-parsed")) << m.assumptions.size();
  EXPECT_TRUE(has_assumption(m, "reparse", "line left out"));
}

// The okhttp CacheTest shape: one broken statement in a long test class, many test functions
// after it. Without re-parsing, the functions after the error are folded into one giant row.
TEST(RealWorld, KotlinOneErrorInALongTestClassKeepsEveryTest) {
  std::string src = "class BigTest {\n";
  src += "  @Test fun broken() {\n    val s = $$\"x\"\n    s.check()\n  }\n";
  for (int i = 0; i < 40; ++i) {
    src += "\n  @Test\n  fun test" + std::to_string(i) + "() {\n    if (a" + std::to_string(i) +
           " != null) b() else c()\n  }\n";
  }
  src += "}\n";
  auto m = analyze_source(src, Language::kKotlin);
  EXPECT_GT(m.parse_errors, 0);
  ASSERT_EQ(m.functions.size(), 41u) << names(m);
  for (int i = 0; i < 40; ++i) {
    const auto* f = find(m, "BigTest.test" + std::to_string(i));
    ASSERT_NE(f, nullptr) << i << " " << names(m);
    EXPECT_EQ(f->cyclomatic, 2);
    EXPECT_EQ(f->loc, 3);
  }
}

TEST(RealWorld, KotlinElvisIsABranchButFreeForCognitive) {
  const char* src =
      "fun f(a: String?, b: String?): String {\n"
      "  val x = a ?: b ?: \"\"\n"
      "  return if (x.isEmpty() && a != null) x else a ?: \"-\"\n"
      "}\n";
  AnalyzeOptions opt;
  opt.explain = true;
  auto m = analyze_source(src, Language::kKotlin, opt);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 6);  // 1 + ?: ?: + if + && + ?:
  EXPECT_EQ(m.functions[0].cognitive, 3);   // if 1, else 1, && 1; elvis free
}

TEST(RealWorld, SwiftNilCoalescingAddsNothing) {
  const char* src =
      "func f(a: Int?, b: Int?) -> Int {\n"
      "  return a ?? b ?? 0\n"
      "}\n";
  auto m = analyze_source(src, Language::kSwift);
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.functions[0].cyclomatic, 1);
  EXPECT_EQ(m.functions[0].cognitive, 0);
}
