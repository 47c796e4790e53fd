#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "obscore/config/document.hpp"
#include "obscore/core/error.hpp"

namespace obscore::config {
namespace {

struct Collect : JsonOut {
  std::vector<std::string> docs;
  std::size_t writes = 0;
  void begin_document() override { docs.emplace_back(); }
  void write(std::string_view text) override {
    docs.back() += text;
    ++writes;
  }
  void end_document() override {}
};

std::vector<std::string> stream(std::string_view text, const LoadOptions& o = {}) {
  Collect c;
  convert_to_json(text, "t.yaml", o, c);
  return c.docs;
}

std::vector<std::string> tree(std::string_view text, const LoadOptions& o = {}) {
  std::vector<std::string> out;
  for (const auto& d : load(text, "t.yaml", o).documents) {
    out.emplace_back();
    write_json(d.value, out.back(), raw_lookup(d.raw_numbers));
  }
  return out;
}

std::string one(std::string_view text, const LoadOptions& o = {}) {
  auto docs = stream(text, o);
  EXPECT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs, tree(text, o)) << text;
  return docs.empty() ? std::string() : docs[0];
}

core::Error stream_error(std::string_view text, const LoadOptions& o = {}) {
  try {
    stream(text, o);
  } catch (const core::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return core::Error(core::ErrorKind::kInternal, "none");
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::filesystem::path suite_dir() {
  const char* data = std::getenv("OBSCORE_TEST_DATA");
  return std::filesystem::path(data != nullptr ? data : "tests/data") / "yaml-test-suite";
}

TEST(Convert, StreamAndTreeAgreeOnTheWholeYamlTestSuite) {
  std::size_t cases = 0, valid = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(suite_dir())) {
    if (entry.path().filename() != "in.yaml") continue;
    ++cases;
    std::string text = slurp(entry.path());
    std::vector<std::string> a, b;
    std::string ea, eb;
    try {
      a = stream(text);
    } catch (const core::Error& e) {
      ea = e.what();
    }
    try {
      b = tree(text);
    } catch (const core::Error& e) {
      eb = e.what();
    }
    EXPECT_EQ(ea.empty(), eb.empty()) << entry.path() << ": " << ea << " | " << eb;
    EXPECT_EQ(a, b) << entry.path();
    if (ea.empty()) ++valid;
    // to-yaml reads back to the same data.
    if (ea.empty() && eb.empty()) {
      for (const auto& d : load(text, "t.yaml").documents) {
        std::string yaml, again, orig;
        write_yaml(d.value, yaml, raw_lookup(d.raw_numbers));
        auto back = load(yaml, "back.yaml");
        ASSERT_EQ(back.documents.size(), 1u) << entry.path() << "\n" << yaml;
        write_json(d.value, orig, raw_lookup(d.raw_numbers));
        write_json(back.documents[0].value, again, raw_lookup(back.documents[0].raw_numbers));
        EXPECT_EQ(orig, again) << entry.path() << "\n" << yaml;
        // ... also when read with YAML 1.1 rules.
        LoadOptions v11;
        v11.yaml_1_1 = true;
        std::string again11;
        auto back11 = load(yaml, "back.yaml", v11);
        write_json(back11.documents[0].value, again11, raw_lookup(back11.documents[0].raw_numbers));
        EXPECT_EQ(orig, again11) << entry.path() << "\n" << yaml;
      }
    }
  }
  EXPECT_GT(cases, 400u);
  EXPECT_GT(valid, 300u);
}

TEST(Convert, NumbersKeepEveryDigit) {
  EXPECT_EQ(one("a: 123456789012345678901234567890\n"), R"({"a":123456789012345678901234567890})");
  EXPECT_EQ(one("a: -9223372036854775809\n"), R"({"a":-9223372036854775809})");
  EXPECT_EQ(one("a: 18446744073709551615\n"), R"({"a":18446744073709551615})");
  EXPECT_EQ(one("a: 0x10000000000000000\n"), R"({"a":18446744073709551616})");
  EXPECT_EQ(one("a: 0o7777777777777777777777\n"), R"({"a":73786976294838206463})");
  EXPECT_EQ(one("a: 3.14159265358979323846264338327950288\n"), R"({"a":3.14159265358979323846264338327950288})");
  EXPECT_EQ(one("a: 1e400\n"), R"({"a":1.0e400})");
  EXPECT_EQ(one("a: 0.1\nb: 1.\nc: .5\nd: +12\ne: 007\nf: -0\ng: 1e3\nh: 2.50\n"),
            R"({"a":0.1,"b":1.0,"c":0.5,"d":12,"e":7,"f":0,"g":1000.0,"h":2.5})");
  EXPECT_EQ(one("[!!float 3, !!float 123456789012345678901234567890, !!int '42', !!str 12]\n"),
            R"([3.0,123456789012345678901234567890.0,42,"12"])");
  // Exact numbers survive aliases and merges on the tree side too.
  EXPECT_EQ(one("a: &x {n: 123456789012345678901234567890}\nb: *x\nc: {<<: *x}\n"),
            R"({"a":{"n":123456789012345678901234567890},"b":{"n":123456789012345678901234567890},"c":{"n":123456789012345678901234567890}})");
}

TEST(Convert, Yaml11Rules) {
  LoadOptions v11;
  v11.yaml_1_1 = true;
  EXPECT_EQ(one("[yes, No, on, OFF, y, 0755, 0b101, 1_000, 190:20:30, 1:30.5, 0x_1F, ~]\n", v11),
            R"([true,false,true,false,true,493,5,1000,685230,90.5,31,null])");
  EXPECT_EQ(one("[yes, No, on, OFF, y, 0755, 0b101, 1_000, 190:20:30]\n"),
            R"(["yes","No","on","OFF","y",755,"0b101","1_000","190:20:30"])");
}

TEST(Convert, MergeKeysExplicitKeysWinEarlierSourcesWin) {
  const char* y =
      "base: &b {x: 1, y: 2}\nmore: &m {y: 9, z: 3}\n"
      "one: {<<: *b, y: 5}\nlist: {<<: [*b, *m], w: 0}\ninline:\n  <<: {p: 1}\n  q: 2\n";
  EXPECT_EQ(one(y), R"({"base":{"x":1,"y":2},"more":{"y":9,"z":3},"one":{"y":5,"x":1},"list":{"w":0,"x":1,"y":2,"z":3},"inline":{"q":2,"p":1}})");
  auto e = stream_error("a: &a 1\nb:\n  <<: *a\n");
  EXPECT_NE(std::string(e.what()).find("merge key"), std::string::npos);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 3);
  // A quoted "<<" is an ordinary key.
  EXPECT_EQ(one("'<<': {a: 1}\n"), R"({"<<":{"a":1}})");
}

TEST(Convert, DuplicateKeysNameBothPositions) {
  auto e = stream_error("a: 1\nb:\n  c: 1\n  c: 2\n");
  EXPECT_EQ(e.line(), 4);
  EXPECT_EQ(e.column(), 3);
  EXPECT_NE(std::string(e.what()).find("first at line 3, column 3"), std::string::npos) << e.what();
  // Keys equal as JSON strings are duplicates too ("1" and 1).
  EXPECT_EQ(stream_error("'1': a\n1: b\n").line(), 2);
  LoadOptions allow;
  allow.allow_duplicate_keys = true;
  Collect c;
  auto r = convert_to_json("a: 1\nb: 2\na: 3\n", "t.yaml", allow, c);
  EXPECT_EQ(c.docs, std::vector<std::string>{R"({"a":3,"b":2})"});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 3);
}

TEST(Convert, AliasBombFailsFastAndDepthIsBounded) {
  std::string bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  auto e = stream_error(bomb);
  EXPECT_NE(std::string(e.what()).find("alias expansion"), std::string::npos);
  EXPECT_GT(e.line(), 1);
  // Large scalars copied many times hit the byte budget.
  std::string big = "a: &a " + std::string(1 << 20, 'x') + "\nb: [";
  for (int i = 0; i < 300; ++i) big += "*a, ";
  big += "*a]\n";
  EXPECT_NE(std::string(stream_error(big).what()).find("bytes"), std::string::npos);
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  auto d = stream_error(deep);
  EXPECT_NE(std::string(d.what()).find("nesting deeper than 1000"), std::string::npos);
  EXPECT_EQ(d.line(), 1);
  EXPECT_EQ(d.column(), 1001);
}

TEST(Convert, StrictJsonAndUtf8Errors) {
  LoadOptions json;
  json.json = true;
  auto e = stream_error("{\n  \"a\": 1, // note\n}\n", json);
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(std::string(e.what()).find("invalid JSON"), std::string::npos);
  EXPECT_EQ(stream_error("[1, 2,]", json).line(), 1);
  EXPECT_EQ(stream_error("{'a': 1}", json).line(), 1);
  EXPECT_EQ(one("{\"a\": [1, 2.5, \"x\\u00e9\"], \"b\": null}", json), R"({"a":[1,2.5,"xé"],"b":null})");
  auto u = stream_error("a: ok\nb: x\xff\n");
  EXPECT_EQ(u.line(), 2);
  EXPECT_EQ(u.column(), 5);
  EXPECT_NE(std::string(u.what()).find("UTF-8"), std::string::npos);
  // BOM and CRLF are fine.
  EXPECT_EQ(one("\xEF\xBB\xBF" "a: 1\r\nb: two\r\n"), R"({"a":1,"b":"two"})");
}

TEST(Convert, LargeDocumentsStreamAndAnchorsSurviveFlushes) {
  // More than the 1 MiB flush threshold between an anchor and its alias, and a merge source.
  std::string y = "first: &f {k: 1, s: [a, b]}\nitems:\n";
  for (int i = 0; i < 40000; ++i) y += "  - {id: " + std::to_string(i) + ", name: item-" + std::to_string(i) + "}\n";
  y += "again: *f\nmerged: {<<: *f, k: 2}\n";
  Collect c;
  convert_to_json(y, "big.yaml", {}, c);
  ASSERT_EQ(c.docs.size(), 1u);
  EXPECT_GT(c.writes, 1u);  // streamed in pieces
  EXPECT_EQ(c.docs, tree(y));
  EXPECT_NE(c.docs[0].find(R"("again":{"k":1,"s":["a","b"]},"merged":{"k":2,"s":["a","b"]})"), std::string::npos);
}

TEST(Convert, DocumentsEmptyStreamsAndKeys) {
  EXPECT_TRUE(stream("").empty());
  EXPECT_TRUE(stream("# only a comment\n").empty());
  EXPECT_EQ(stream("---\n---\na: 1\n...\n--- 3\n"), (std::vector<std::string>{"null", R"({"a":1})", "3"}));
  EXPECT_EQ(one("1: a\ntrue: b\n~: c\n1.5: d\n[x, y]: e\n{p: q}: f\n"),
            R"({"1":"a","true":"b","null":"c","1.5":"d","[\"x\",\"y\"]":"e","{\"p\":\"q\"}":"f"})");
  EXPECT_EQ(one("a: .inf\nb: -.Inf\nc: .NaN\n"), R"({"a":".inf","b":"-.inf","c":".nan"})");
  EXPECT_EQ(one("s: \"tab\\there\\u0001 \\\\ \\\"q\\\"\"\n"), R"({"s":"tab\there\u0001 \\ \"q\""})");
}

TEST(Indenter, MatchesDumpAcrossPieces) {
  Json v = Json::parse(R"({"a":[1,{"b":"x,y:{}"},[],{}],"c":{"d":"\"q\\"},"e":[]})");
  std::string compact;
  write_json(v, compact);
  EXPECT_EQ(compact, v.dump());
  std::string pretty;
  JsonIndenter ind(2);
  for (char c : compact) ind.feed(std::string_view(&c, 1), pretty);
  EXPECT_EQ(pretty, v.dump(2));
}

TEST(Yaml, QuotesWhatWouldChangeType) {
  Json v = Json::parse(R"({"yes":"on","n":"123","o":"0755","t":"1:30","e":"","s":"- x","c":"a: b","h":"a #b",
    "m":"line1\nline2\n","k":"plain words","f":1e100,"nul":null,"u":"é","x":"\u0085","z":"<<"})");
  std::string y;
  write_yaml(v, y);
  EXPECT_NE(y.find("\"yes\": \"on\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("\"n\": \"123\"\n"), std::string::npos) << y;  // n is a 1.1 boolean
  EXPECT_NE(y.find("o: \"0755\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("t: \"1:30\"\n"), std::string::npos) << y;
  EXPECT_NE(y.find("m: |\n  line1\n  line2\n"), std::string::npos) << y;
  EXPECT_NE(y.find("k: plain words\n"), std::string::npos) << y;
  EXPECT_NE(y.find("f: 1.0e+100\n"), std::string::npos) << y;
  EXPECT_NE(y.find("x: \"\\u0085\"\n"), std::string::npos) << y;
  auto back = load(y, "back.yaml");
  EXPECT_EQ(back.documents.at(0).value, v);
}

TEST(Path, ParsesJqStyleAndPointers) {
  Json v = Json::parse(R"({"a":{"b":[10,20,{"c":"x"}]},"d.e":1,"f/g":{"~h":2},"":3})");
  auto get = [&](std::string_view e) {
    std::string p;
    const Json* n = find(v, parse_path(e), &p);
    return n ? n->dump() + "@" + p : std::string("absent");
  };
  EXPECT_EQ(get(".a.b[2].c"), "\"x\"@/a/b/2/c");
  EXPECT_EQ(get("a.b[0]"), "10@/a/b/0");
  EXPECT_EQ(get(".a.b[-1].c"), "\"x\"@/a/b/2/c");
  EXPECT_EQ(get(".[\"d.e\"]"), "1@/d.e");
  EXPECT_EQ(get(".\"d.e\""), "1@/d.e");
  EXPECT_EQ(get("/f~1g/~0h"), "2@/f~1g/~0h");
  EXPECT_EQ(get("/a/b/1"), "20@/a/b/1");
  EXPECT_EQ(get("/"), "3@/");
  EXPECT_EQ(get("."), v.dump() + "@");
  EXPECT_EQ(get(".a.b[3]"), "absent");
  EXPECT_EQ(get("/a/b/01"), "absent");
  EXPECT_EQ(get(".a.x"), "absent");
  EXPECT_EQ(get(".a.b.c"), "absent");
  for (const char* bad : {".a[", ".a[x]", ".a..b", "/a~2", ".[\"open"}) {
    EXPECT_THROW(parse_path(bad), core::Error) << bad;
  }
}

}  // namespace
}  // namespace obscore::config
