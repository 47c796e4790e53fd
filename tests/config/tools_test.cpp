#include <gtest/gtest.h>

#include <algorithm>

#include "obscore/config/config.hpp"

namespace obscore::config {
namespace {

Document doc(std::string_view text, const char* name) {
  auto r = load(text, name);
  EXPECT_EQ(r.documents.size(), 1u);
  return std::move(r.documents.at(0));
}

std::string json_of(const Overlaid& m) {
  std::string s;
  write_json(m.value, s);
  return s;
}

TEST(Merge, MapsMergeListsReplaceOrAppendOrMergeByKey) {
  Document base = doc("name: app\nports: [80]\nenv: {A: 1, B: 2}\nsvc:\n  - {name: web, replicas: 1}\n  - {name: db, replicas: 1}\n", "base.yaml");
  Document over = doc("ports: [443]\nenv: {B: 3, C: 4}\nsvc:\n  - {name: db, replicas: 3}\n  - {name: cache}\nname: null\n", "over.yaml");
  std::vector<const Document*> docs{&base, &over};
  EXPECT_EQ(json_of(overlay(docs, {})),
            R"({"name":null,"ports":[443],"env":{"A":1,"B":3,"C":4},"svc":[{"name":"db","replicas":3},{"name":"cache"}]})");
  EXPECT_EQ(json_of(overlay(docs, {ListOverlay::kAppend, ""})),
            R"({"name":null,"ports":[80,443],"env":{"A":1,"B":3,"C":4},"svc":[{"name":"web","replicas":1},{"name":"db","replicas":1},{"name":"db","replicas":3},{"name":"cache"}]})");
  EXPECT_EQ(json_of(overlay(docs, {ListOverlay::kMergeBy, "name"})),
            R"({"name":null,"ports":[80,443],"env":{"A":1,"B":3,"C":4},"svc":[{"name":"web","replicas":1},{"name":"db","replicas":3},{"name":"cache"}]})");
}

TEST(Merge, EveryLeafKnowsItsSourceAndLine) {
  Document base = doc("a:\n  b: 1\n  c: 2\nlist: [x, y]\n", "base.yaml");
  Document over = doc("a:\n  c: 20\nlist: [z]\n", "over.yaml");
  Overlaid m = overlay({&base, &over}, {ListOverlay::kAppend, ""});
  auto where = [&](const std::string& p) {
    Origin o = m.origin_of(p);
    Mark mk = (o.source == 0 ? base : over).mark(o.pointer);
    return std::to_string(o.source) + ":" + std::to_string(mk.line) + ":" + std::to_string(mk.column);
  };
  EXPECT_EQ(where("/a/b"), "0:2:6");
  EXPECT_EQ(where("/a/c"), "1:2:6");
  EXPECT_EQ(where("/list/0"), "0:4:8");
  EXPECT_EQ(where("/list/2"), "1:3:8");
  // Replacing a subtree forgets the origins of its old parts.
  Document repl = doc("a: 5\n", "repl.yaml");
  Overlaid r = overlay({&base, &repl}, {});
  EXPECT_EQ(r.origin_of("/a").source, 1u);
  EXPECT_EQ(r.origins.count("/a/b"), 0u);
}

std::vector<std::string> rules_of(const std::vector<LintFinding>& f) {
  std::vector<std::string> out;
  out.reserve(f.size());
  for (const auto& x : f) out.push_back(x.rule + "@" + std::to_string(x.mark.line) + ":" + std::to_string(x.mark.column));
  return out;
}

TEST(Lint, EachRuleWithItsPosition) {
  const char* y =
      "on: push\n"                    // 1 yaml11-boolean (key)
      "mode: 0755\n"                  // 2 octal-ambiguity
      "time: 1:30\n"                  // 3 sexagesimal
      "ok: 'yes'\n"                   // 4 quoted: fine
      "a: 1\n"                        // 5
      "a: 2\n"                        // 6 duplicate-key
      "1: one\n"                      // 7 non-string-key
      "base: &b {x: 1}\n"             // 8
      "unused: &u 3\n"                // 9 unused-anchor
      "m: {<<: *b, z: 2}\n"           // 10 fine
      "bad: {<<: 5}\n"                // 11 merge-key-misuse
      "two: {<<: *b, <<: *b}\n"       // 12 merge-key-misuse (second <<)
      "text: |\n"                     // 13
      "  \tcontent with tab\n"        // 14 tab inside a block scalar: fine
      "flow: [a,\n  b]\n"             // 15-16
      "ref: *nope\n";                 // 17 undefined-alias
  auto f = lint(y, "t.yaml", {});
  EXPECT_EQ(rules_of(f), (std::vector<std::string>{
                             "yaml11-boolean@1:1", "octal-ambiguity@2:7", "sexagesimal@3:7", "duplicate-key@6:1",
                             "non-string-key@7:1", "unused-anchor@9:9", "merge-key-misuse@11:7",
                             "merge-key-misuse@12:15", "undefined-alias@17:6"}));
  auto dup = std::find_if(f.begin(), f.end(), [](const LintFinding& x) { return x.rule == "duplicate-key"; });
  ASSERT_NE(dup, f.end());
  EXPECT_NE(dup->message.find("first at line 5, column 1"), std::string::npos);
  EXPECT_EQ(dup->severity, core::Severity::kError);
}

TEST(Lint, TabsAliasBombsAndSyntaxErrors) {
  auto tabs = lint("a:\n\tb: 1\n", "t.yaml", {});
  EXPECT_EQ(rules_of(tabs), std::vector<std::string>{"tab-indent@2:1"});  // the parse error it causes is folded in
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  bomb += "use: *h\n";
  auto b = lint(bomb, "b.yaml", {});
  ASSERT_EQ(b.size(), 1u) << rules_of(b)[0];
  EXPECT_EQ(b[0].rule, "alias-bomb");
  auto s = lint("a: [1, 2\nb: 3\n", "s.yaml", {});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].rule, "syntax-error");
  EXPECT_GT(s[0].mark.line, 0);
  EXPECT_TRUE(lint("a: 1\nb: [x, z]\nc: {d: 'on'}\n", "clean.yaml", {}).empty());
  LoadOptions json;
  json.json = true;
  EXPECT_EQ(rules_of(lint("{\"a\": 1,\n\t\"a\": 2}", "x.json", json)), std::vector<std::string>{"duplicate-key@2:2"});
}

}  // namespace
}  // namespace obscore::config
