// The per-item run skeleton: in-order delivery, per-item diagnostics, failures kept local,
// duration and shard block in the summary; and TextOutput / the output-is-an-input check.
#include "obscore/core/run.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "obscore/core/output.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/walk.hpp"
#include "temp_dir.hpp"

namespace obscore::core {
namespace {

ItemPlace place_of(std::size_t i) { return {"file" + std::to_string(i), static_cast<int>(i + 1)}; }

TEST(ItemRun, DeliversInOrderWithEachItemsDiagnosticsFirst) {
  ThreadLimit limit(2);
  RunResult result;
  ItemRun run(result, "test", false);
  std::vector<std::size_t> delivered;
  std::vector<std::size_t> diagnostics_seen;  // the run's diagnostics count at each delivery
  run.for_each(
      50, place_of,
      [](std::size_t i, std::vector<Diagnostic>& d) {
        if (i % 10 == 3) d.push_back({place_of(i).path, 0, 0, Severity::kWarning, "odd file"});
      },
      [&](std::size_t i) {
        delivered.push_back(i);
        diagnostics_seen.push_back(result.diagnostics.size());
      });
  ASSERT_EQ(delivered.size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) EXPECT_EQ(delivered[i], i);
  EXPECT_EQ(diagnostics_seen[3], 1u);   // file3's warning joined before file3 was delivered
  EXPECT_EQ(diagnostics_seen[12], 1u);
  EXPECT_EQ(diagnostics_seen[13], 2u);
  EXPECT_EQ(result.diagnostics.size(), 5u);
}

TEST(ItemRun, AFailingItemIsAnErrorAtItsPlaceAndIsNotDelivered) {
  RunResult result;
  ItemRun run(result, "test", false);
  std::vector<std::size_t> delivered;
  run.for_each(
      4, place_of,
      [](std::size_t i, std::vector<Diagnostic>& d) {
        d.push_back({place_of(i).path, 0, 0, Severity::kNote, "started"});
        if (i == 1) throw std::runtime_error("boom");
        if (i == 2) throw Error(ErrorKind::kInput, "bad line");
      },
      [&](std::size_t i) { delivered.push_back(i); });
  EXPECT_EQ(delivered, (std::vector<std::size_t>{0, 3}));
  ASSERT_EQ(result.diagnostics.size(), 6u);
  const Diagnostic& internal = result.diagnostics[2];
  EXPECT_EQ(internal.path, "file1");
  EXPECT_EQ(internal.line, 2);
  EXPECT_EQ(internal.severity, Severity::kError);
  EXPECT_EQ(internal.message, "internal error: boom");
  EXPECT_EQ(result.diagnostics[4].message, "bad line");  // an obscore error keeps its message
  EXPECT_EQ(exit_code_for(result), ExitCode::kInput);
}

TEST(ItemRun, FinishSortsDiagnosticsAndKeepsDurationInPlace) {
  RunResult result;
  ItemRun run(result, "test", false);
  result.diagnostics = {{"b", 2, 0, Severity::kWarning, "y"}, {"a", 9, 0, Severity::kWarning, "x"},
                        {"b", 1, 0, Severity::kWarning, "z"}};
  Json summary = Json::object();
  summary["files"] = 3;
  summary["duration_ms"] = -1;
  summary["after"] = true;
  run.finish(summary);
  EXPECT_EQ(result.diagnostics[0].path, "a");
  EXPECT_EQ(result.diagnostics[1].line, 1);
  EXPECT_EQ(result.diagnostics[2].line, 2);
  EXPECT_GE(summary["duration_ms"].get<long long>(), 0);
  std::vector<std::string> keys;
  for (const auto& [key, value] : summary.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"files", "duration_ms", "after"}));  // in its place
  Json fresh = Json::object();
  fresh["files"] = 1;
  run.finish(fresh);
  keys.clear();
  for (const auto& [key, value] : fresh.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"files", "duration_ms"}));  // or appended
}

TEST(ItemRun, FinishWritesTheShardBlockOnlyForShardedRuns) {
  RunResult result;
  ItemRun run(result, "test", false);
  WalkOptions walk;
  Json plain = Json::object();
  run.finish(plain, &walk, true);
  EXPECT_FALSE(plain.contains("shard"));
  walk.sharded = true;
  walk.shard_index = 1;
  walk.shard_count = 3;
  Json sharded = Json::object();
  run.finish(sharded, &walk, true);
  ASSERT_TRUE(sharded.contains("shard"));
  EXPECT_EQ(sharded.dump().find("\"shard\""), sharded.dump().rfind("\"shard\""));
  EXPECT_TRUE(sharded["shard"].dump().find("true") != std::string::npos);
}

TEST(TextOutput, WritesAtomicallyOnlyOnCommit) {
  obscore::testing::TempDir dir;
  std::string path = dir.path() + "/out.txt";
  {
    TextOutput out(path);
    out.write("half");
  }  // no commit: nothing left behind
  EXPECT_FALSE(std::ifstream(path).good());
  {
    TextOutput out(path);
    out.write("a: 1\n");
    out.write("b: 2\n");
    out.commit();
  }
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  EXPECT_EQ(text.str(), "a: 1\nb: 2\n");
}

TEST(RefuseOutputAmongInputs, CatchesTheSameFileUnderAnotherName) {
  obscore::testing::TempDir dir;
  std::string input = dir.path() + "/in.yaml";
  std::ofstream(input) << "a: 1\n";
  std::string other_spelling = dir.path() + "/../" + dir.path().substr(dir.path().rfind('/') + 1) + "/in.yaml";
  try {
    refuse_output_among_inputs(other_spelling, {"-", dir.path() + "/missing", input});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("one of the inputs"), std::string::npos);
  }
  EXPECT_NO_THROW(refuse_output_among_inputs(dir.path() + "/new.json", {input}));
  EXPECT_NO_THROW(refuse_output_among_inputs("", {input}));
  EXPECT_NO_THROW(refuse_output_among_inputs(dir.path() + "/in.yaml", {dir.path()}));  // a directory input
}

}  // namespace
}  // namespace obscore::core
