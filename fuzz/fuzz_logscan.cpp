// Log format detection, every header parser and the record scanner (levels, continuation
// lines, templates, error messages), plus -e pattern files.
#include <string>

#include "formats.hpp"
#include "fuzz_common.hpp"
#include "obscore/logscan/logscan.hpp"
#include "scanner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore::logscan;
  std::string_view text = obscore::fuzz::bytes(data, size);
  FormatId detected = detect_format(text.substr(0, 64 << 10), 2024);
  FormatId forced = size > 0 ? static_cast<FormatId>(data[0] % (static_cast<int>(FormatId::kPlain) + 1)) : detected;
  if (forced == FormatId::kCustom) forced = FormatId::kPlain;  // needs a --header regex
  for (FormatId id : {detected, forced}) {
    FormatParser parser(id, 2024);
    for (bool templates : {false, true}) {
      ScanContext ctx{&parser, nullptr, templates, true};
      Scanner scanner(ctx);
      scanner.feed(text, true);
      scanner.finish();
      ScanStats copy = scan_stats_from_shard_state(shard_state_json(scanner.stats()));  // the shard state round trip
      scanner.stats().merge(std::move(copy));
    }
  }
  obscore::fuzz::expect_diagnosed([&] { parse_pattern_lines(text, "fuzz.patterns"); });
  return 0;
}
