// `patterns` rule files: YAML through libs/config, rules checked and compiled (RE2), then the
// set run over the rule file's own text as a source file.
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "obscore/config/document.hpp"
#include "obscore/patterns/patterns.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore;
  if (size > 64 << 10) return 0;  // RE2 compiles each rule: keep an iteration short
  std::string_view text = fuzz::bytes(data, size);
  fuzz::expect_diagnosed([&] {
    config::LoadOptions o;
    o.max_alias_nodes = 10'000;
    auto loaded = config::load(text, "fuzz-rules.yaml", o);
    std::vector<patterns::Rule> rules;
    for (const auto& doc : loaded.documents) patterns::add_rules(doc.value, "fuzz-rules.yaml", rules);
    patterns::RuleSet set(std::move(rules));
    set.scan("Fuzz.kt", text);
    set.scan("fuzz.txt", text);
  });
  return 0;
}
