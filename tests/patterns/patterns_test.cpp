// Rule parsing and validation, the RuleSet engine (positions, captures, languages, multiline),
// declaration extraction and boundary values.
#include <gtest/gtest.h>

#include <set>

#include "obscore/patterns/patterns.hpp"

namespace obscore::patterns {
namespace {

using core::Json;

std::vector<Rule> parse(const Json& doc) {
  std::vector<Rule> rules;
  add_rules(doc, "test", rules);
  return rules;
}

RuleError error_of(const Json& doc) {
  try {
    parse(doc);
  } catch (const RuleError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << doc.dump();
  return RuleError("", "");
}

std::string str(const Field& f) {
  std::string s = f.name + ": " + f.type.value_or("null");
  if (f.wire_name) s += " @" + *f.wire_name;
  return s;
}

Rule rule(std::string id, std::string pattern, std::vector<std::string> exts = {},
          Extract extract = Extract::kNone, std::string category = "c") {
  Rule r;
  r.id = std::move(id);
  r.pattern = std::move(pattern);
  r.extensions = std::move(exts);
  r.extract = extract;
  r.category = std::move(category);
  return r;
}

TEST(Rules, ParsesEveryKey) {
  auto rules = parse(Json::parse(R"({"name": "p", "rules": [{"id": "a", "category": "api_contract",
      "languages": ["kotlin", ".swift", "*.vue"], "pattern": "x", "message": "m",
      "severity": "warn", "description": "d", "extract": "fields"}]})"));
  ASSERT_EQ(rules.size(), 1u);
  const Rule& r = rules[0];
  EXPECT_EQ(r.category, "api_contract");
  EXPECT_EQ(r.extensions, (std::vector<std::string>{"kt", "kts", "swift", "vue"}));
  EXPECT_EQ(r.severity, core::Severity::kWarning);
  EXPECT_EQ(r.extract, Extract::kFields);
  EXPECT_EQ(r.origin, "test");
  auto bare = parse(Json::parse(R"([{"id": "b", "pattern": "y"}])"));
  EXPECT_EQ(bare[0].category, "custom");
  EXPECT_EQ(bare[0].message, "b");
  EXPECT_TRUE(bare[0].extensions.empty());
}

TEST(Rules, ErrorsNameTheirPointer) {
  auto e = error_of(Json::parse(R"({"rules": [{"id": "a", "pattern": "(x"}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0/pattern");
  EXPECT_NE(std::string(e.what()).find("invalid regular expression"), std::string::npos);
  e = error_of(Json::parse(R"({"rules": [{"id": "a", "pattern": "x", "colour": 1}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0/colour");
  EXPECT_TRUE(e.at_key());
  e = error_of(Json::parse(R"({"rules": [{"id": "a", "pattern": "x"}, {"id": "a", "pattern": "y"}]})"));
  EXPECT_EQ(e.pointer(), "/rules/1/id");
  e = error_of(Json::parse(R"({"rules": [{"id": "a", "pattern": "x", "severity": "fatal"}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0/severity");
  e = error_of(Json::parse(R"({"rules": [{"id": "a", "pattern": 3}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0/pattern");
  e = error_of(Json::parse(R"({"rules": [{"pattern": "x"}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0");
  e = error_of(Json::parse(R"({"rulez": []})"));
  EXPECT_EQ(e.pointer(), "/rulez");
  e = error_of(Json::parse(R"({"rules": [{"id": "two words", "pattern": "x"}]})"));
  EXPECT_EQ(e.pointer(), "/rules/0/id");
}

TEST(Rules, BuiltinPackIsEmbedded) {
  // Its YAML is loaded and compiled end to end by the CLI tests (test_patterns_cli.py), through
  // libs/config as the command does; this library takes rules as data only.
  ASSERT_FALSE(builtin_pack("mobile").empty());
  EXPECT_NE(builtin_pack("mobile").find("rules:"), std::string_view::npos);
  EXPECT_TRUE(builtin_pack("nope").empty());
  EXPECT_EQ(builtin_pack_names(), (std::vector<std::string>{"mobile"}));
}

TEST(RuleSet, PositionsCapturesAndLanguages) {
  Rule todo = rule("any", "TODO");
  todo.scope = Scope::kAll;  // the TODO sits in a comment
  RuleSet set({rule("call", R"(\bpay\((?P<amount>\d+)(?:, (?P<currency>[A-Z]{3}))?\))", {"kt"}), todo});
  std::string text = "// TODO\nval x = 1\n  é pay(10)\npay(20, EUR)\n";
  auto m = set.scan("A.kt", text);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].rule, 1u);
  EXPECT_EQ(m[0].line, 1);
  EXPECT_EQ(m[0].column, 4);
  EXPECT_EQ(m[1].line, 3);
  EXPECT_EQ(m[1].column, 5);  // code points: "  é " is four
  ASSERT_EQ(m[1].captures.size(), 2u);
  EXPECT_EQ(m[1].captures[0].first, "amount");
  EXPECT_EQ(*m[1].captures[0].second, "10");
  EXPECT_FALSE(m[1].captures[1].second.has_value());  // group did not take part
  EXPECT_EQ(*m[2].captures[1].second, "EUR");
  EXPECT_EQ(set.scan("A.swift", text).size(), 1u);  // only the rule without languages
  EXPECT_EQ(set.scan("-", text).size(), 1u);
}

TEST(RuleSet, AnchorsAreLineAnchorsAndMatchesMaySpanLines) {
  RuleSet set({rule("start", "^fun (?P<name>\\w+)"), rule("span", R"(begin\s*\n\s*end)")});
  auto m = set.scan("x", "fun a()\n  fun b()\nfun c()\nbegin\n   end\n");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(*m[0].captures[0].second, "a");
  EXPECT_EQ(*m[1].captures[0].second, "c");
  EXPECT_EQ(m[2].line, 4);
  EXPECT_EQ(m[2].end_line, 5);
}

TEST(RuleSet, OverlappingRulesAllReport) {
  RuleSet set({rule("a", "abc"), rule("b", "bcd"), rule("c", "abcd")});
  auto m = set.scan("x", "abcd abcd");
  EXPECT_EQ(m.size(), 6u);
}

TEST(RuleSet, EmptyMatchesAreSkippedAndCapsTruncate) {
  RuleSet empty({rule("e", "a*")});
  auto m = empty.scan("x", "aaab aab");
  ASSERT_EQ(m.size(), 2u);  // "aaa" and "aa"; the zero-width matches between are not findings
  EXPECT_EQ(m[1].column, 6);
  EXPECT_TRUE(empty.scan("x", "").empty());
  RuleSet one({rule("a", "a")});
  bool truncated = false;
  EXPECT_EQ(one.scan("x", "aaaa", &truncated, 3).size(), 3u);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(one.scan("x", "aaaa", &truncated, 4).size(), 4u);
  EXPECT_FALSE(truncated);
}

TEST(RuleSet, ColumnsOnOneLongLine) {
  RuleSet set({rule("w", "ab"), rule("u", "é")});
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "é ab ";  // each unit is 5 code points
  auto m = set.scan("x", text);
  ASSERT_EQ(m.size(), 4000u);
  EXPECT_EQ(m.back().rule, 0u);
  EXPECT_EQ(m.back().column, 1999 * 5 + 3);
  EXPECT_EQ(m[m.size() - 2].column, 1999 * 5 + 1);
}

TEST(Extract, KotlinDataClassFields) {
  RuleSet set({rule("m", R"(data\s+class\s+(?P<name>\w+))", {}, Extract::kFields)});
  auto m = set.scan("x.kt",
                    "data class Box<T>(\n  @Json(name = \"i\") val id: Long,\n  val tags: Map<String, List<Int>> = emptyMap(),\n"
                    "  private var note: String? = null, // comment, with comma\n) : Base()\n");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].fields.size(), 3u);
  EXPECT_EQ(str(m[0].fields[0]), "id: Long @i");
  EXPECT_EQ(str(m[0].fields[1]), "tags: Map<String, List<Int>>");
  EXPECT_EQ(str(m[0].fields[2]), "note: String?");
}

TEST(Extract, SwiftStructAndJavaClassFields) {
  RuleSet set({rule("m", R"(\b(?:struct|class)\s+(?P<name>\w+))", {}, Extract::kFields)});
  auto swift = set.scan("x.swift",
                        "struct User: Codable {\n  static let shared = 1\n  let id: UUID\n  var name: String = \"\"\n"
                        "  var full: String { name }\n  func f() { let inner: Int = 1 }\n  @Published var age: Int?\n}\n");
  ASSERT_EQ(swift.size(), 1u);
  std::vector<std::string> names;
  for (const auto& f : swift[0].fields) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"id", "name", "age"}));
  auto java = set.scan("x.java",
                       "public class Order {\n  private final List<Item> items = new ArrayList<>();\n  private static int COUNT;\n"
                       "  @NotNull private String id;\n  public Order() {}\n  public String id() { return id; }\n}\n");
  ASSERT_EQ(java.size(), 1u);
  ASSERT_EQ(java[0].fields.size(), 2u);
  EXPECT_EQ(str(java[0].fields[0]), "items: List<Item>");
  EXPECT_EQ(str(java[0].fields[1]), "id: String");
}

TEST(Extract, EnumStates) {
  RuleSet set({rule("e", R"(\benum\s+(?:class\s+)?(?P<name>\w+))", {}, Extract::kStates)});
  auto k = set.scan("x.kt",
                    "enum class Color(val rgb: Int) {\n  @Deprecated(\"x\") RED(0xFF0000),\n  GREEN(0x00FF00) { override fun f() = 1 },\n"
                    "  BLUE(0x0000FF);\n  fun hex() = rgb\n}\n");
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0].names, (std::vector<std::string>{"RED", "GREEN", "BLUE"}));
  auto s = set.scan("x.swift", "enum Phase: String {\n  case a, b = \"bee\"\n  indirect case c(Phase)\n  var x: Int { 1 }\n}\n");
  EXPECT_EQ(s[0].names, (std::vector<std::string>{"a", "b", "c"}));
  auto t = set.scan("x.ts", "export enum Mode { Off = 0, On = 1, /* later */ Auto }\n");
  EXPECT_EQ(t[0].names, (std::vector<std::string>{"Off", "On", "Auto"}));
}

TEST(Extract, PublicMethods) {
  RuleSet set({rule("vm", R"(class\s+(?P<name>\w+ViewModel))", {}, Extract::kMethods)});
  auto m = set.scan("x.kt",
                    "class CartViewModel(repo: Repo) : ViewModel() {\n  init { load() }\n  fun add(item: Item) {\n    if (x) { y() }\n  }\n"
                    "  suspend fun checkout(): Result<Unit> { return ok }\n  private fun load() {}\n  val total: Int get() { return 1 }\n}\n");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].names, (std::vector<std::string>{"add", "checkout"}));
}

TEST(Extract, UnbalancedInputIsHarmless) {
  RuleSet set({rule("e", R"(\benum\s+(?P<name>\w+))", {}, Extract::kStates),
               rule("d", R"(data class (?P<name>\w+))", {}, Extract::kFields)});
  auto m = set.scan("x.kt", "enum E { A, B\ndata class D(val a: Int\n\"unterminated");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(m[0].names.empty());
  EXPECT_TRUE(m[1].fields.empty());
}

TEST(Boundaries, Values) {
  EXPECT_EQ(boundary_values("10"), (std::vector<std::string>{"9", "10", "11"}));
  EXPECT_EQ(boundary_values("0"), (std::vector<std::string>{"-1", "0", "1"}));
  EXPECT_EQ(boundary_values("-5"), (std::vector<std::string>{"-6", "-5", "-4"}));
  EXPECT_EQ(boundary_values("0.5"), (std::vector<std::string>{"0.4", "0.5", "0.6"}));
  EXPECT_EQ(boundary_values("99.99"), (std::vector<std::string>{"99.98", "99.99", "100.00"}));
  EXPECT_EQ(boundary_values("0x10"), (std::vector<std::string>{"15", "16", "17"}));
  EXPECT_EQ(boundary_values("100L"), (std::vector<std::string>{"99", "100", "101"}));
  EXPECT_EQ(boundary_values("1.5f"), (std::vector<std::string>{"1.4", "1.5", "1.6"}));
  EXPECT_EQ(boundary_values("1_000"), (std::vector<std::string>{"999", "1000", "1001"}));
  EXPECT_TRUE(boundary_values("abc").empty());
  EXPECT_TRUE(boundary_values("").empty());
  EXPECT_TRUE(boundary_values("1.").empty());
  EXPECT_TRUE(boundary_values("99999999999999999999999").empty());
}

}  // namespace
}  // namespace obscore::patterns
