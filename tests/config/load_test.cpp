#include <gtest/gtest.h>

#include "obscore/config/document.hpp"
#include <fmt/format.h>

#include "obscore/core/error.hpp"

namespace obscore::config {
namespace {

Document one(std::string_view text, const LoadOptions& o = {}) {
  auto r = load(text, "t.yaml", o);
  EXPECT_EQ(r.documents.size(), 1u);
  return r.documents.empty() ? Document{} : std::move(r.documents[0]);
}

core::Error error_of(std::string_view text, const LoadOptions& o = {}) {
  try {
    load(text, "t.yaml", o);
  } catch (const core::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return core::Error(core::ErrorKind::kInternal, "none");
}

TEST(Load, CoreSchemaScalars) {
  Document d = one(
      "a: yes\nb: on\nc: true\nd: 0o17\ne: 0x1F\nf: 012\ng: 1.5\nh: .inf\ni: -.Inf\nj: .nan\n"
      "k: ~\nl: null\nm: ''\nn: '1'\no: 1e3\np: -7\nq: 18446744073709551615\nr: 2.\ns: +12\n");
  EXPECT_EQ(d.value["a"], "yes");
  EXPECT_EQ(d.value["b"], "on");
  EXPECT_EQ(d.value["c"], true);
  EXPECT_EQ(d.value["d"], 15);
  EXPECT_EQ(d.value["e"], 31);
  EXPECT_EQ(d.value["f"], 12);
  EXPECT_DOUBLE_EQ(d.value["g"].get<double>(), 1.5);
  EXPECT_EQ(d.value["h"], ".inf");
  EXPECT_EQ(d.value["i"], "-.inf");
  EXPECT_EQ(d.value["j"], ".nan");
  EXPECT_TRUE(d.value["k"].is_null());
  EXPECT_TRUE(d.value["l"].is_null());
  EXPECT_EQ(d.value["m"], "");
  EXPECT_EQ(d.value["n"], "1");
  EXPECT_DOUBLE_EQ(d.value["o"].get<double>(), 1000.0);
  EXPECT_EQ(d.value["p"], -7);
  EXPECT_EQ(d.value["q"].get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_TRUE(d.value["r"].is_number_float());
  EXPECT_EQ(d.value["s"], 12);
}

TEST(Load, Yaml11Scalars) {
  LoadOptions o;
  o.yaml_1_1 = true;
  Document d = one("a: yes\nb: off\nc: 0755\nd: 0b101\ne: 1_000\nf: 190:20:30\ng: 'yes'\n", o);
  EXPECT_EQ(d.value["a"], true);
  EXPECT_EQ(d.value["b"], false);
  EXPECT_EQ(d.value["c"], 493);
  EXPECT_EQ(d.value["d"], 5);
  EXPECT_EQ(d.value["e"], 1000);
  EXPECT_EQ(d.value["f"], 685230);  // the YAML 1.1 spec example
  EXPECT_EQ(d.value["g"], "yes");
}

TEST(Load, TagsOverrideResolution) {
  Document d = one("a: !!str 12\nb: !!int '12'\nc: !!float 1\nd: !custom x\n");
  EXPECT_EQ(d.value["a"], "12");
  EXPECT_EQ(d.value["b"], 12);
  EXPECT_TRUE(d.value["c"].is_number_float());
  EXPECT_EQ(d.value["d"], "x");
  core::Error e = error_of("a: !!int abc\n");
  EXPECT_EQ(e.line(), 1);
  EXPECT_NE(std::string(e.what()).find("not an integer"), std::string::npos);
}

TEST(Load, KeyOrderAndPositions) {
  Document d = one("zeta: 1\nalpha:\n  - x\n  - {k: v}\n");
  ASSERT_TRUE(d.value.is_object());
  EXPECT_EQ(d.value.begin().key(), "zeta");
  EXPECT_EQ(d.mark("/zeta").line, 1);
  EXPECT_EQ(d.mark("/zeta").column, 7);
  EXPECT_EQ(d.key_mark("/alpha").line, 2);
  EXPECT_EQ(d.key_mark("/alpha").column, 1);
  EXPECT_EQ(d.mark("/alpha/0").line, 3);
  EXPECT_EQ(d.mark("/alpha/1/k").line, 4);
  EXPECT_EQ(d.mark("/alpha/1/k").column, 9);
  // Unknown pointers fall back to the nearest known ancestor.
  EXPECT_EQ(d.mark("/alpha/1/k/nothing").line, 4);
}

TEST(Load, PointerEscaping) {
  Document d = one("'a/b': {'c~d': 1}\n");
  EXPECT_EQ(pointer_append("", "a/b"), "/a~1b");
  EXPECT_EQ(d.mark("/a~1b/c~0d").line, 1);
  EXPECT_EQ(d.mark("/a~1b/c~0d").column, 16);
}

TEST(Load, DuplicateKeysNameBothPositions) {
  core::Error e = error_of("a: 1\nb: 2\na: 3\n");
  EXPECT_EQ(e.kind(), core::ErrorKind::kInput);
  EXPECT_EQ(e.path(), "t.yaml");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 1);
  EXPECT_NE(std::string(e.what()).find("duplicate key 'a' (first at line 1, column 1)"), std::string::npos);
  LoadOptions o;
  o.allow_duplicate_keys = true;
  auto r = load("a: 1\nb: 2\na: 3\n", "t.yaml", o);
  EXPECT_EQ(r.documents[0].value["a"], 3);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 3);
}

TEST(Load, AnchorsAliasesAndMergeKeys) {
  Document d = one(
      "base: &b {x: 1, y: 2}\nother: &o {z: 9}\n"
      "one:\n  <<: *b\n  y: 3\n"
      "many:\n  <<: [*o, *b]\n  x: 0\n"
      "copy: *b\n");
  EXPECT_EQ(d.value["one"]["x"], 1);
  EXPECT_EQ(d.value["one"]["y"], 3);  // explicit key wins
  EXPECT_EQ(d.value["many"]["x"], 0);
  EXPECT_EQ(d.value["many"]["y"], 2);
  EXPECT_EQ(d.value["many"]["z"], 9);
  EXPECT_FALSE(d.value["one"].contains("<<"));
  EXPECT_EQ(d.value["copy"], d.value["base"]);
  // A quoted "<<" is an ordinary key.
  Document q = one("'<<': 1\n");
  EXPECT_EQ(q.value["<<"], 1);
  EXPECT_EQ(error_of("a: {<<: 3}\n").line(), 1);
}

TEST(Load, UndefinedAlias) {
  core::Error e = error_of("a: 1\nb: *nope\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
}

TEST(Load, BillionLaughsFailsFast) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    text += fmt::format("a{}: &a{} [", i, i);
    for (int k = 0; k < 10; ++k) text += fmt::format("{}*a{}", k ? ", " : "", i - 1);
    text += "]\n";
  }
  core::Error e = error_of(text);
  EXPECT_NE(std::string(e.what()).find("alias expansion"), std::string::npos);
  EXPECT_GT(e.line(), 1);
}

TEST(Load, DepthLimit) {
  LoadOptions o;
  o.max_depth = 50;
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_NE(std::string(error_of(deep, o).what()).find("nesting deeper"), std::string::npos);
}

TEST(Load, MultiDocumentAndEmpty) {
  auto r = load("---\na: 1\n---\n- 2\n...\n", "t.yaml");
  ASSERT_EQ(r.documents.size(), 2u);
  EXPECT_EQ(r.documents[1].value[0], 2);
  EXPECT_TRUE(load("", "t.yaml").documents.empty());
  auto c = load("# only a comment\n", "t.yaml");
  EXPECT_TRUE(c.documents.empty());
}

TEST(Load, JsonInput) {
  Document d = one(R"({"a": [1, 2.5, "x", null, true], "b": {"c": "d"}})");
  EXPECT_EQ(d.value["a"][1], 2.5);
  EXPECT_EQ(d.value["b"]["c"], "d");
}

TEST(Load, SyntaxErrorsArePositioned) {
  core::Error e = error_of("a: [1, 2\nb: 3\n");
  EXPECT_EQ(e.kind(), core::ErrorKind::kInput);
  EXPECT_GT(e.line(), 0);
  EXPECT_NE(std::string(e.what()).find("invalid YAML"), std::string::npos);
  core::Error t = error_of("a:\n\t- b\n");
  EXPECT_EQ(t.line(), 2);
}

TEST(Load, BinaryGarbageIsAnErrorNotACrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 131 + 7) % 256);
  EXPECT_THROW(load(junk, "junk.bin"), core::Error);
}

}  // namespace
}  // namespace obscore::config

namespace obscore::config {
namespace {

TEST(Load, QuotedScalarsAreMarkedAtTheirQuote) {
  Document d = one("a: 'x'\nb: \"y\"\nc: z\n");
  EXPECT_EQ(d.mark("/a").column, 4);
  EXPECT_EQ(d.mark("/b").column, 4);
  EXPECT_EQ(d.mark("/c").column, 4);
}

}  // namespace
}  // namespace obscore::config
