// `ast` on every grammar: the first byte picks the language, the rest is the source; the
// metric walk must survive any tree tree-sitter builds (errors, missing nodes, deep nesting).
#include "fuzz_common.hpp"
#include "obscore/ast/ast.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore::ast;
  if (size == 0) return 0;
  static const auto kLanguages = language_names();
  auto lang = parse_language(kLanguages[data[0] % kLanguages.size()]);
  AnalyzeOptions options;
  options.explain = (data[0] & 0x80) != 0;
  analyze_source(obscore::fuzz::bytes(data + 1, size - 1), *lang, options);
  return 0;
}
