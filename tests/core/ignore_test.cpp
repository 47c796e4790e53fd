// gitignore rule parsing and matching.
#include "obscore/core/ignore.hpp"

#include <gtest/gtest.h>

using obscore::core::IgnoreRules;

TEST(Ignore, NamesMatchAtAnyDepth) {
  auto r = IgnoreRules::parse("*.log\nbuild\n", "");
  EXPECT_EQ(r.match("a.log", false), true);
  EXPECT_EQ(r.match("x/y/a.log", false), true);
  EXPECT_EQ(r.match("x/build", true), true);
  EXPECT_EQ(r.match("a.txt", false), std::nullopt);
}

TEST(Ignore, LeadingOrInnerSlashAnchors) {
  auto r = IgnoreRules::parse("/top.txt\ndoc/*.md\n", "");
  EXPECT_EQ(r.match("top.txt", false), true);
  EXPECT_EQ(r.match("sub/top.txt", false), std::nullopt);
  EXPECT_EQ(r.match("doc/a.md", false), true);
  EXPECT_EQ(r.match("x/doc/a.md", false), std::nullopt);
}

TEST(Ignore, TrailingSlashMatchesDirectoriesOnly) {
  auto r = IgnoreRules::parse("out/\n", "");
  EXPECT_EQ(r.match("out", true), true);
  EXPECT_EQ(r.match("out", false), std::nullopt);
}

TEST(Ignore, NegationLastRuleWins) {
  auto r = IgnoreRules::parse("*.py\n!keep.py\n", "");
  EXPECT_EQ(r.match("a.py", false), true);
  EXPECT_EQ(r.match("keep.py", false), false);
}

TEST(Ignore, CommentsBlanksEscapesAndCrlf) {
  auto r = IgnoreRules::parse("# comment\r\n\r\n\\#hash\r\n\\!bang\r\ntrail  \r\n", "");
  EXPECT_EQ(r.match("#hash", false), true);
  EXPECT_EQ(r.match("!bang", false), true);
  EXPECT_EQ(r.match("trail", false), true);
  EXPECT_EQ(r.match("# comment", false), std::nullopt);
}

TEST(Ignore, DoubleStarPatterns) {
  auto r = IgnoreRules::parse("**/gen/**\nlogs/**/*.txt\n", "");
  EXPECT_EQ(r.match("a/gen/b.c", false), true);
  EXPECT_EQ(r.match("gen/x", false), true);
  EXPECT_EQ(r.match("logs/a/b/c.txt", false), true);
  EXPECT_EQ(r.match("logs/c.txt", false), true);
}

TEST(Ignore, RulesApplyBelowTheirDirectory) {
  auto r = IgnoreRules::parse("*.tmp\n/root.c\n", "sub");
  EXPECT_EQ(r.match("sub/a.tmp", false), true);
  EXPECT_EQ(r.match("sub/root.c", false), true);
  EXPECT_EQ(r.match("other/a.tmp", false), std::nullopt);
  EXPECT_EQ(r.match("sub/x/root.c", false), std::nullopt);
}

TEST(Ignore, AncestorPrefix) {
  // A .gitignore two levels above the walk root that says /src/gen/.
  auto r = IgnoreRules::parse("/src/gen/\n", "", "src");
  EXPECT_EQ(r.match("gen", true), true);
  EXPECT_EQ(r.match("lib", true), std::nullopt);
}
