// Glob matching: gitignore semantics of *, ?, [], ** and escapes.
#include "obscore/core/glob.hpp"

#include <gtest/gtest.h>

using obscore::core::glob_match;

TEST(Glob, StarStaysInsideOneSegment) {
  EXPECT_TRUE(glob_match("*.py", "a.py"));
  EXPECT_FALSE(glob_match("*.py", "dir/a.py"));
  EXPECT_TRUE(glob_match("src/*.c", "src/main.c"));
  EXPECT_FALSE(glob_match("src/*.c", "src/sub/main.c"));
  EXPECT_TRUE(glob_match("*", ""));
}

TEST(Glob, DoubleStarCrossesDirectories) {
  EXPECT_TRUE(glob_match("**/*.py", "a.py"));
  EXPECT_TRUE(glob_match("**/*.py", "x/y/z/a.py"));
  EXPECT_TRUE(glob_match("src/**/test_*.py", "src/test_a.py"));
  EXPECT_TRUE(glob_match("src/**/test_*.py", "src/a/b/test_a.py"));
  EXPECT_FALSE(glob_match("src/**/test_*.py", "lib/a/test_a.py"));
  EXPECT_TRUE(glob_match("build/**", "build/x/y"));
  EXPECT_FALSE(glob_match("build/**", "builds/x"));
  EXPECT_TRUE(glob_match("a/**/b", "a/b"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/y/b"));
}

TEST(Glob, QuestionMarkAndClasses) {
  EXPECT_TRUE(glob_match("?.txt", "a.txt"));
  EXPECT_FALSE(glob_match("?.txt", "ab.txt"));
  EXPECT_FALSE(glob_match("a?b", "a/b"));
  EXPECT_TRUE(glob_match("[abc].c", "b.c"));
  EXPECT_FALSE(glob_match("[abc].c", "d.c"));
  EXPECT_TRUE(glob_match("[a-z]1", "q1"));
  EXPECT_TRUE(glob_match("[!a-z]1", "Q1"));
  EXPECT_FALSE(glob_match("[^a-z]1", "q1"));
  EXPECT_TRUE(glob_match("[]]", "]"));
}

TEST(Glob, EscapesAndUnterminatedBracket) {
  EXPECT_TRUE(glob_match("\\*.c", "*.c"));
  EXPECT_FALSE(glob_match("\\*.c", "a.c"));
  EXPECT_TRUE(glob_match("a[b", "a[b"));
}

TEST(Glob, BacktrackingIsLinearOnHostileInput) {
  std::string text(2000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*b", text));
  EXPECT_TRUE(glob_match("*a*a*a*a*a*a*a*a", text));
}
