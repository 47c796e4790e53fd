// Input walking: recursion, ignore files, hidden files, symlinks and loops, globs, order.
#include "obscore/core/walk.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "temp_dir.hpp"

using obscore::core::walk;
using obscore::core::WalkOptions;
using obscore::testing::TempDir;

namespace {

std::vector<std::string> rel_paths(const obscore::core::WalkResult& r, const std::string& root) {
  std::vector<std::string> out;
  for (const auto& f : r.files) {
    std::string p = f.path;
    if (p.rfind(root + "/", 0) == 0) p = p.substr(root.size() + 1);
    out.push_back(p);
  }
  return out;
}

}  // namespace

TEST(Walk, RecursesSortedAndSkipsGitDirectory) {
  TempDir t;
  t.file("b.py", "");
  t.file("a/z.py", "");
  t.file("a/b.py", "");
  t.file(".git/config", "");
  auto r = walk({t.path()}, {});
  EXPECT_EQ(rel_paths(r, t.path()), (std::vector<std::string>{"a/b.py", "a/z.py", "b.py"}));
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Walk, HonoursGitignoreAndIgnoreFiles) {
  TempDir t;
  t.file(".gitignore", "*.log\nbuild/\n!keep.log\n");
  t.file("sub/.ignore", "secret.py\n");
  t.file("a.log", "");
  t.file("keep.log", "");
  t.file("build/x.py", "");
  t.file("sub/secret.py", "");
  t.file("sub/ok.py", "");
  auto r = walk({t.path()}, {});
  EXPECT_EQ(rel_paths(r, t.path()), (std::vector<std::string>{"keep.log", "sub/ok.py"}));

  WalkOptions no_ignore;
  no_ignore.use_ignore_files = false;
  auto all = walk({t.path()}, no_ignore);
  EXPECT_EQ(all.files.size(), 5u);
}

TEST(Walk, AncestorGitignoreAppliesInsideARepository) {
  TempDir t;
  t.dir(".git");
  t.file(".gitignore", "src/gen/\n");
  t.file("src/gen/a.py", "");
  t.file("src/b.py", "");
  auto r = walk({t.path() + "/src"}, {});
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].path, t.path() + "/src/b.py");
}

TEST(Walk, HiddenFilesOnlyWhenAsked) {
  TempDir t;
  t.file(".hidden/a.py", "");
  t.file(".b.py", "");
  t.file("c.py", "");
  EXPECT_EQ(walk({t.path()}, {}).files.size(), 1u);
  WalkOptions hidden;
  hidden.hidden = true;
  EXPECT_EQ(walk({t.path()}, hidden).files.size(), 3u);
}

TEST(Walk, IncludeAndExcludeGlobs) {
  TempDir t;
  t.file("src/a.py", "");
  t.file("src/a_test.py", "");
  t.file("vendor/v.py", "");
  t.file("src/b.go", "");
  WalkOptions o;
  o.include = {"*.py"};
  o.exclude = {"vendor", "*_test.py"};
  auto r = walk({t.path()}, o);
  EXPECT_EQ(rel_paths(r, t.path()), (std::vector<std::string>{"src/a.py"}));
}

TEST(Walk, SymlinksSkippedUnlessFollowedAndLoopsDetected) {
  TempDir t;
  t.file("real/a.py", "");
  ASSERT_EQ(::symlink("real", (t.path() + "/link").c_str()), 0);
  ASSERT_EQ(::symlink("..", (t.path() + "/real/up").c_str()), 0);
  auto plain = walk({t.path()}, {});
  EXPECT_EQ(rel_paths(plain, t.path()), (std::vector<std::string>{"real/a.py"}));

  WalkOptions follow;
  follow.follow_symlinks = true;
  auto r = walk({t.path()}, follow);
  // link/a.py via the link, real/a.py directly; real/up and link/up loop back to the root.
  EXPECT_EQ(rel_paths(r, t.path()), (std::vector<std::string>{"link/a.py", "real/a.py"}));
  int loops = 0;
  for (const auto& d : r.diagnostics) {
    if (d.message.find("loop") != std::string::npos) ++loops;
  }
  EXPECT_GE(loops, 1);
}

TEST(Walk, GlobInputsExpand) {
  TempDir t;
  t.file("src/a/x.py", "");
  t.file("src/b/y.py", "");
  t.file("src/b/z.go", "");
  auto r = walk({t.path() + "/src/**/*.py"}, {});
  EXPECT_EQ(rel_paths(r, t.path()), (std::vector<std::string>{"src/a/x.py", "src/b/y.py"}));
  auto none = walk({t.path() + "/src/*.rs"}, {});
  EXPECT_TRUE(none.files.empty());
  ASSERT_EQ(none.diagnostics.size(), 1u);
  EXPECT_EQ(none.diagnostics[0].severity, obscore::core::Severity::kError);
}

TEST(Walk, MissingPathIsAnErrorDiagnosticAndStdinComesFirst) {
  TempDir t;
  std::string f = t.file("a.py", "");
  auto r = walk({f, t.path() + "/missing.py", "-", f}, {});
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_TRUE(r.files[0].is_stdin);
  EXPECT_EQ(r.files[1].path, f);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].message, "no such file or directory");
}

TEST(Walk, AcceptFilterAppliesToWalkedFilesOnly) {
  TempDir t;
  t.file("a.py", "");
  std::string txt = t.file("b.txt", "");
  WalkOptions o;
  o.accept = [](std::string_view p, const void*) { return p.ends_with(".py"); };
  auto r = walk({t.path(), txt}, o);
  ASSERT_EQ(r.files.size(), 2u);  // a.py by walking, b.txt because it was named
}
