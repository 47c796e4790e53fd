// Inputs that do not line up, through correlate::run on files in a temporary directory: each
// kind of mismatch is one diagnostic (an error, or a warning with allow_unmatched), listed in
// summary.overlap.problems; a delay model that was not fitted is null with its reason. And the
// HAR fixtures of tests/data/correlate/har, one per exporter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "obscore/core/output.hpp"
#include "obscore/correlate/correlate.hpp"

namespace obscore::correlate {
namespace {

namespace fs = std::filesystem;
using core::Json;

constexpr long long kT0 = 1'700'000'000'000;  // ms

class Overlap : public ::testing::Test {
 protected:
  void SetUp() override {
    // A parameterised test's name holds a '/' ("Case/chrome"): one directory level, so that
    // TearDown removes all of it.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("obscore-overlap-" + std::to_string(::getpid()) + "-" + name);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::vector<Json>& records) {
    std::ofstream f(dir_ / name);
    for (const auto& r : records) f << r.dump() << "\n";
    return (dir_ / name).string();
  }
  struct Outcome {
    Json doc;
    RunResult run;
    std::vector<std::string> problems() const { return doc["summary"]["overlap"]["problems"].get<std::vector<std::string>>(); }
    std::string messages() const {
      std::string all;
      for (const auto& d : run.diagnostics) all += d.message + "\n";
      return all;
    }
    bool any_error() const {
      for (const auto& d : run.diagnostics) {
        if (d.severity == core::Severity::kError) return true;
      }
      return false;
    }
  };
  Outcome correlate(const Options& o) {
    core::OutputOptions oo;
    oo.format = core::Format::kJson;
    oo.path = (dir_ / "out.json").string();
    oo.command = "correlate";
    Outcome r;
    {
      core::Output out(oo, make_view(o));
      r.run = run(o, out);
    }
    std::ifstream f(oo.path);
    std::stringstream ss;
    ss << f.rdbuf();
    r.doc = Json::parse(ss.str());
    return r;
  }
  Options options(const std::string& ui, const std::string& api) {
    Options o;
    o.inputs = {{ui, Role::kUi}, {api, Role::kApi}};
    return o;
  }
  static Json ui(int i, long long t_ms, const char* session = "s1") {
    Json r = {{"eventId", "u" + std::to_string(i)}, {"timestamp", kT0 + t_ms}, {"action", "tap"}};
    if (session != nullptr) r["sessionId"] = session;
    return r;
  }
  static Json api(int i, long long t_ms, const char* session = "s1") {
    Json r = {{"eventId", "a" + std::to_string(i)}, {"timestamp", kT0 + t_ms}, {"url", "/items/" + std::to_string(i)}};
    if (session != nullptr) r["sessionId"] = session;
    return r;
  }
  // The i-th of a session's UI events, at irregular gaps (steady gaps would make the calls
  // after them look like polling).
  static long long at(int i) { return i * 2000LL + (i % 3) * 450LL; }
  fs::path dir_;
};

TEST_F(Overlap, LinedUpInputsAreQuiet) {
  std::vector<Json> u, a;
  for (int i = 0; i < 20; ++i) {
    u.push_back(ui(i, i * 2000LL));
    a.push_back(api(i, i * 2000 + 150 + (i % 4) * 30));
  }
  auto r = correlate(options(write("ui.ndjson", u), write("api.ndjson", a)));
  EXPECT_TRUE(r.problems().empty()) << r.messages();
  EXPECT_FALSE(r.any_error()) << r.messages();
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_object());
  EXPECT_TRUE(r.doc["summary"]["delay_model_reason"].is_null());
  EXPECT_EQ(r.doc["summary"]["overlap"]["shared_sessions"], 1);
  EXPECT_EQ(r.doc["summary"]["overlap"]["calls_within_window"], 20);
}

TEST_F(Overlap, SessionIdsOnOneSideAndModelNull) {
  // The case: UI events with session ids, API calls without.
  std::vector<Json> u, a;
  for (int i = 0; i < 5; ++i) {
    u.push_back(ui(i, at(i)));
    a.push_back(api(i, at(i) + 150, nullptr));
  }
  Options o = options(write("ui.ndjson", u), write("api.ndjson", a));
  auto r = correlate(o);
  EXPECT_EQ(r.problems(), std::vector<std::string>{"session_ids_one_side"});
  EXPECT_TRUE(r.any_error());
  EXPECT_NE(r.messages().find("UI events carry session ids (1 session) but the API calls"), std::string::npos) << r.messages();
  EXPECT_NE(r.messages().find("--no-sessions"), std::string::npos);
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_null());
  EXPECT_NE(r.doc["summary"]["delay_model_reason"].get<std::string>().find("nothing to fit"), std::string::npos);
  // Accepted: the same finding as a warning.
  o.allow_unmatched = true;
  r = correlate(o);
  EXPECT_FALSE(r.any_error());
  EXPECT_EQ(r.problems(), std::vector<std::string>{"session_ids_one_side"});
  // One session by decision: all calls find their UI event and the model is fitted.
  o.allow_unmatched = false;
  o.ignore_sessions = true;
  r = correlate(o);
  EXPECT_TRUE(r.problems().empty()) << r.messages();
  EXPECT_EQ(r.doc["summary"]["attributed"], 5);
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_object());
}

TEST_F(Overlap, NoSharedSession) {
  auto r = correlate(options(write("ui.ndjson", {ui(1, 0, "alpha"), ui(2, 1000, "beta")}),
                             write("api.ndjson", {api(1, 100, "page_1"), api(2, 1100, "page_1")})));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"no_shared_sessions"});
  EXPECT_NE(r.messages().find("'alpha', 'beta'"), std::string::npos) << r.messages();
  EXPECT_NE(r.messages().find("'page_1'"), std::string::npos);
  EXPECT_TRUE(r.any_error());
}

TEST_F(Overlap, SessionsOnOneSideOnly) {
  auto r = correlate(options(write("ui.ndjson", {ui(1, 0, "s1"), ui(2, 0, "s2"), ui(3, 0, "s3")}),
                             write("api.ndjson", {api(1, 100, "s1"), api(2, 120, "s2"), api(3, 90, "s9"), api(4, 95, "s9")})));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"sessions_one_side"});
  EXPECT_NE(r.messages().find("1 of 3 API sessions have no UI event ('s9'; their 2 calls are background)"),
            std::string::npos)
      << r.messages();
  EXPECT_NE(r.messages().find("1 of 3 UI sessions have no API call ('s3')"), std::string::npos) << r.messages();
  EXPECT_EQ(r.doc["summary"]["overlap"]["calls_in_api_only_sessions"], 2);
}

TEST_F(Overlap, TimeZoneOffset) {
  // The API recorder wrote local time (UTC+1) as if it were UTC.
  std::vector<Json> u, a;
  for (int i = 0; i < 10; ++i) {
    u.push_back(ui(i, at(i)));
    a.push_back(api(i, at(i) + 140 + 3'600'000));
  }
  Options o = options(write("ui.ndjson", u), write("api.ndjson", a));
  auto r = correlate(o);
  EXPECT_EQ(r.problems(), std::vector<std::string>{"time_ranges_disjoint"});
  EXPECT_NE(r.messages().find("time-zone offset"), std::string::npos) << r.messages();
  EXPECT_NE(r.messages().find("--ui-offset 3600s"), std::string::npos) << r.messages();
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_null());
  o.ui_offset_us = 3'600'000'000;  // the suggested fix
  r = correlate(o);
  EXPECT_TRUE(r.problems().empty()) << r.messages();
  EXPECT_EQ(r.doc["summary"]["attributed"], 10);
}

TEST_F(Overlap, EpochUnitsDisagree) {
  // API times in epoch seconds, read as milliseconds because --time-unit says so for every file.
  std::vector<Json> u, a;
  for (int i = 0; i < 5; ++i) {
    u.push_back(ui(i, i * 2000LL));
    Json c = api(i, 0);
    c["timestamp"] = static_cast<double>(kT0 + i * 2000LL + 150) / 1000.0;
    a.push_back(c);
  }
  Options o = options(write("ui.ndjson", u), write("api.ndjson", a));
  o.time_unit = TimeUnit::kMillis;
  auto r = correlate(o);
  EXPECT_EQ(r.problems(), std::vector<std::string>{"time_ranges_disjoint"});
  EXPECT_NE(r.messages().find("about 1000 times the API times"), std::string::npos) << r.messages();
  EXPECT_NE(r.messages().find("--time-unit milliseconds applies to every input"), std::string::npos) << r.messages();
  o.time_unit = TimeUnit::kAuto;  // each file's unit detected
  r = correlate(o);
  EXPECT_TRUE(r.problems().empty()) << r.messages();
}

TEST_F(Overlap, RelativeTimes) {
  // UI times in seconds since the start of the recording; API times epoch milliseconds.
  std::vector<Json> u, a;
  for (int i = 0; i < 5; ++i) {
    Json e = ui(i, 0);
    e["timestamp"] = 2.0 * i + 0.5;
    u.push_back(e);
    a.push_back(api(i, i * 2000 + 150));
  }
  auto r = correlate(options(write("ui.ndjson", u), write("api.ndjson", a)));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"time_ranges_disjoint"});
  EXPECT_NE(r.messages().find("not epoch times"), std::string::npos) << r.messages();
}

TEST_F(Overlap, NoCallWithinTheWindow) {
  // Time ranges meet, but every call comes 9 s after the UI event before it (window 5 s).
  auto r = correlate(options(write("ui.ndjson", {ui(1, 0), ui(2, 10000), ui(3, 20000)}),
                             write("api.ndjson", {api(1, 9000), api(2, 19000)})));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"no_call_in_window"});
  EXPECT_NE(r.messages().find("no API call comes within --window (5 s)"), std::string::npos) << r.messages();
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_null());
  EXPECT_EQ(r.doc["summary"]["overlap"]["sessions_without_call_in_window"], 1);
}

TEST_F(Overlap, IdsThatNeverMeet) {
  std::vector<Json> u, a;
  for (int i = 0; i < 6; ++i) {
    Json e = ui(i, at(i));
    e["correlationId"] = "ui-" + std::to_string(i);
    u.push_back(e);
    Json c = api(i, at(i) + 150);
    c["correlationId"] = "req-" + std::to_string(i);
    a.push_back(c);
  }
  auto r = correlate(options(write("ui.ndjson", u), write("api.ndjson", a)));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"ids_disjoint"});
  EXPECT_NE(r.messages().find("6 API calls carry a correlation id"), std::string::npos) << r.messages();
  // The time model still attributes them; the model is fitted.
  EXPECT_TRUE(r.doc["summary"]["delay_model"].is_object());
}

TEST_F(Overlap, EmptySideIsNotAMismatch) {
  std::ofstream(dir_ / "empty.ndjson").close();
  auto r = correlate(options(write("ui.ndjson", {ui(1, 0)}), (dir_ / "empty.ndjson").string()));
  EXPECT_TRUE(r.problems().empty());
  EXPECT_FALSE(r.any_error()) << r.messages();
  EXPECT_EQ(r.doc["summary"]["delay_model_reason"], "no API calls");
}

// ---- HAR exporters -------------------------------------------------------------------------

std::string har_fixture(const char* name) {
  const char* data = std::getenv("OBSCORE_TEST_DATA");
  return std::string(data != nullptr ? data : "tests/data") + "/correlate/har/" + name;
}

class HarShapes : public Overlap, public ::testing::WithParamInterface<const char*> {};

TEST_P(HarShapes, CallsAttributedStaticResourcesSkipped) {
  Options o = options(har_fixture("ui.ndjson"), har_fixture(GetParam()));
  o.ignore_sessions = true;
  auto r = correlate(o);
  EXPECT_FALSE(r.any_error()) << r.messages();
  EXPECT_TRUE(r.problems().empty()) << r.messages();
  std::map<std::string, Json> by_id;
  for (const auto& x : r.doc["results"]) by_id[x["api_id"].get<std::string>()] = x;
  ASSERT_EQ(by_id.size(), 5u) << r.doc["results"].dump();  // the image and the stylesheet are not API calls
  EXPECT_TRUE(by_id["entry-0"]["ui_id"].is_null());          // /config before any UI event
  EXPECT_EQ(by_id["entry-1"]["ui_id"], "u1");
  EXPECT_EQ(by_id["entry-1"]["method"], "POST");
  EXPECT_EQ(by_id["entry-3"]["ui_id"], "u2");
  EXPECT_EQ(by_id["entry-3"]["url_template"], "/v1/cart/{id}");
  EXPECT_EQ(by_id["entry-5"]["ui_id"], "u3");
  EXPECT_EQ(by_id["entry-6"]["ui_id"], "u4");  // failed: status 0
  EXPECT_EQ(by_id["entry-6"]["status"], 0);
  EXPECT_NEAR(by_id["entry-1"]["delta_ms"].get<double>(), 150.0, 0.2);  // offsets and fractions read right
  EXPECT_NE(r.messages().find("2 of 7 entries are page resources"), std::string::npos) << r.messages();
}

INSTANTIATE_TEST_SUITE_P(Exporters, HarShapes,
                         ::testing::Values("chrome.har", "firefox.har", "charles.har", "proxyman.har", "mitmproxy.har"),
                         [](const auto& p) { return std::string(p.param).substr(0, std::string(p.param).find('.')); });

TEST_F(Overlap, HarPagerefSessionsAgainstSessionlessUi) {
  auto r = correlate(options(har_fixture("ui.ndjson"), har_fixture("chrome.har")));
  EXPECT_EQ(r.problems(), std::vector<std::string>{"session_ids_one_side"});
  EXPECT_NE(r.messages().find("HAR page ids from pageref"), std::string::npos) << r.messages();
}

}  // namespace
}  // namespace obscore::correlate
