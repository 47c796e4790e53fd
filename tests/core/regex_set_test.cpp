// core::RegexSet: one pass for many expressions, the same answers in set and per-expression mode.
#include "obscore/core/regex_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "obscore/core/error.hpp"

namespace obscore::core {
namespace {

TEST(RegexSet, MatchesEveryExpressionInOnePass) {
  RegexSet set({{"err", "ERROR"}, {"num", R"(\b\d{3}\b)"}, {"none", "zzz"}});
  EXPECT_TRUE(set.uses_set());
  EXPECT_EQ(set.size(), 3u);
  std::vector<int> hits{7};
  set.match_line("ERROR code 500", hits);
  std::sort(hits.begin(), hits.end());
  EXPECT_EQ(hits, (std::vector<int>{0, 1}));
  set.match_line("nothing", hits);
  EXPECT_TRUE(hits.empty());
}

TEST(RegexSet, PerExpressionModeGivesTheSameAnswers) {
  std::vector<RegexSet::Entry> entries{{"a", "a.c"}, {"b", "^ok$"}, {"c", "x*"}, {"d", R"(id=\w+)"}};
  RegexSet set(entries);
  RegexSet alone(entries, std::int64_t{256} << 20, /*per_pattern=*/true);
  EXPECT_FALSE(alone.uses_set());
  for (std::string line : {"abc id=7", "ok", "axc", "", "id="}) {
    std::vector<int> a, b;
    set.match_line(line, a);
    alone.match_line(line, b);
    std::sort(a.begin(), a.end());
    EXPECT_EQ(a, b) << line;
  }
}

TEST(RegexSet, InvalidExpressionNamesItsId) {
  try {
    RegexSet set({{"good", "x"}, {"broken", "(unclosed"}});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUsage);
    EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos);
  }
}

TEST(RegexSet, EmptySetMatchesNothing) {
  RegexSet set({});
  std::vector<int> hits{1};
  set.match_line("anything", hits);
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(set.size(), 0u);
}

}  // namespace
}  // namespace obscore::core
