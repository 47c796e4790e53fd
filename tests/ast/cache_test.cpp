// The result cache: round trip, rejection of corrupt or foreign records, concurrency-safe files.
#include "cache.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "obscore/ast/ast.hpp"

using obscore::ast::Cache;
using obscore::ast::decode_metrics;
using obscore::ast::encode_metrics;

namespace {

obscore::ast::FileMetrics sample() {
  obscore::ast::AnalyzeOptions opt;
  opt.explain = true;
  return obscore::ast::analyze_source(
      "def f(a):\n    if a and a:\n        return 1\nclass C:\n    def m(self):\n        pass\n",
      obscore::ast::Language::kPython, opt);
}

}  // namespace

TEST(Cache, RoundTripKeepsEverything) {
  auto m = sample();
  auto back = decode_metrics("k1", encode_metrics("k1", m));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->functions.size(), m.functions.size());
  EXPECT_EQ(back->lines, m.lines);
  EXPECT_EQ(back->sloc, m.sloc);
  for (std::size_t i = 0; i < m.functions.size(); ++i) {
    EXPECT_EQ(back->functions[i].qualified_name, m.functions[i].qualified_name);
    EXPECT_EQ(back->functions[i].cyclomatic, m.functions[i].cyclomatic);
    EXPECT_EQ(back->functions[i].cognitive, m.functions[i].cognitive);
    EXPECT_EQ(back->functions[i].increments.size(), m.functions[i].increments.size());
  }
}

TEST(Cache, NamesWithTabsAndNewlinesSurvive) {
  obscore::ast::FileMetrics m;
  obscore::ast::FunctionMetrics f;
  f.name = "a\tb\nc\\d";
  f.qualified_name = f.name;
  f.kind = "function";
  m.functions.push_back(f);
  auto back = decode_metrics("k", encode_metrics("k", m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->functions[0].name, f.name);
}

TEST(Cache, CorruptForeignOrTruncatedRecordsAreRejected) {
  std::string good = encode_metrics("key", sample());
  EXPECT_FALSE(decode_metrics("other-key", good));
  EXPECT_FALSE(decode_metrics("key", good.substr(0, good.size() / 2)));
  EXPECT_FALSE(decode_metrics("key", good + "junk\n"));
  EXPECT_FALSE(decode_metrics("key", ""));
  std::string bad = good;
  bad.replace(bad.find("\nf\t") + 3, 1, "x");
  EXPECT_FALSE(decode_metrics("key", bad));
}

TEST(Cache, StoreThenLoadAndRewriteCorruptEntry) {
  auto dir = std::filesystem::temp_directory_path() / ("obscore-cache-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Cache cache(dir.string());
  const std::string key(64, 'a');
  EXPECT_FALSE(cache.load(key));
  cache.store(key, sample());
  auto hit = cache.load(key);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->functions.size(), 2u);
  // Corrupt the entry: it is ignored, and a store replaces it.
  auto path = dir / "aa" / std::string(62, 'a');
  std::ofstream(path) << "garbage";
  EXPECT_FALSE(cache.load(key));
  cache.store(key, sample());
  EXPECT_TRUE(cache.load(key));
  // No temp files are left behind.
  int files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::recursive_directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 2);  // the "aa" directory and one entry
  std::filesystem::remove_all(dir);
}
