// Diagnostics: message format, exit-code arithmetic, deterministic order.
#include "obscore/core/diagnostic.hpp"

#include <gtest/gtest.h>

using obscore::core::Diagnostic;
using obscore::core::ExitCode;
using obscore::core::Severity;

TEST(Diagnostic, MessageFormat) {
  EXPECT_EQ(obscore::core::format_message({"a.py", 3, 7, Severity::kError, "bad token"}, false),
            "obscore: error: a.py:3:7: bad token");
  EXPECT_EQ(obscore::core::format_message({"a.py", 0, 0, Severity::kWarning, "skipped"}, false),
            "obscore: warning: a.py: skipped");
  EXPECT_EQ(obscore::core::format_message({"", 0, 0, Severity::kError, "no inputs"}, false),
            "obscore: error: no inputs");
  EXPECT_NE(obscore::core::format_message({"a", 1, 0, Severity::kError, "x"}, true).find("\x1b["),
            std::string::npos);
}

TEST(Diagnostic, HighestExitCodeWins) {
  using obscore::core::worst;
  EXPECT_EQ(worst(ExitCode::kOk, ExitCode::kGate), ExitCode::kGate);
  EXPECT_EQ(worst(ExitCode::kGate, ExitCode::kInput), ExitCode::kInput);
  EXPECT_EQ(worst(ExitCode::kInternal, ExitCode::kInput), ExitCode::kInternal);
  EXPECT_EQ(worst(ExitCode::kInput, ExitCode::kOk), ExitCode::kInput);
}

TEST(Diagnostic, ErrorsMeanInputExitCodeWarningsDoNot) {
  std::vector<Diagnostic> d{{"a", 0, 0, Severity::kWarning, "w"}};
  EXPECT_EQ(obscore::core::exit_code_for(d), ExitCode::kOk);
  d.push_back({"b", 0, 0, Severity::kError, "e"});
  EXPECT_EQ(obscore::core::exit_code_for(d), ExitCode::kInput);
}

TEST(Diagnostic, SortedByPathThenLine) {
  std::vector<Diagnostic> d{{"b", 1, 0, Severity::kError, "x"},
                            {"a", 9, 0, Severity::kError, "x"},
                            {"a", 2, 0, Severity::kError, "x"}};
  obscore::core::sort_diagnostics(d);
  EXPECT_EQ(d[0].path + std::to_string(d[0].line), "a2");
  EXPECT_EQ(d[1].path + std::to_string(d[1].line), "a9");
  EXPECT_EQ(d[2].path, "b");
}

TEST(Diagnostic, JsonUsesNullForUnknownPosition) {
  auto j = obscore::core::to_json({"p", 0, 0, Severity::kNote, "m"});
  EXPECT_TRUE(j["line"].is_null());
  EXPECT_TRUE(j["column"].is_null());
  EXPECT_EQ(j["severity"], "note");
}

TEST(Error, KindsMapToExitCodes) {
  using obscore::core::Error;
  using obscore::core::ErrorKind;
  EXPECT_EQ(Error(ErrorKind::kUsage, "x").exit_code(), ExitCode::kUsage);
  EXPECT_EQ(Error(ErrorKind::kInput, "x").exit_code(), ExitCode::kInput);
  EXPECT_EQ(Error(ErrorKind::kInternal, "x").exit_code(), ExitCode::kInternal);
}

TEST(Diagnostic, ManyOfOneKindAreSummarisedInOneLine) {
  using obscore::core::Diagnostic;
  using obscore::core::Severity;
  std::vector<Diagnostic> ds;
  ds.reserve(15);
  for (int i = 0; i < 14; ++i) {
    ds.push_back({"src/f" + std::to_string(i) + ".swift", 3 + i, 1, Severity::kWarning,
                  "syntax error: 'func" + std::to_string(i) + "' could not be parsed (" + std::to_string(i) + " regions)"});
  }
  ds.push_back({"a.txt", 0, 0, Severity::kError, "cannot read: permission denied"});
  std::vector<const Diagnostic*> in;
  in.reserve(ds.size());
  for (const auto& d : ds) in.push_back(&d);
  auto out = obscore::core::summarise_diagnostics(in, 4);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].second, 14u);
  EXPECT_EQ(out[0].first.path, "src/f0.swift");
  EXPECT_NE(out[0].first.message.find("and 13 more like it in 14 files; -v lists them"), std::string::npos)
      << out[0].first.message;
  EXPECT_EQ(out[1].second, 1u);
  EXPECT_EQ(out[1].first.message, "cannot read: permission denied");
  // Below the threshold every one is listed.
  in.resize(3);
  EXPECT_EQ(obscore::core::summarise_diagnostics(in, 4).size(), 3u);
}
