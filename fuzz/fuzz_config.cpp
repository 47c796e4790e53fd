// YAML/JSON loading (tree with positions), the streaming converter, validation and lint: the
// first byte picks YAML or strict JSON, and YAML 1.1 scalars.
#include <string>

#include "fuzz_common.hpp"
#include "obscore/config/document.hpp"
#include "obscore/config/config.hpp"

namespace {

class Null : public obscore::config::JsonOut {
 public:
  void begin_document() override {}
  void write(std::string_view) override {}
  void end_document() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  obscore::config::LoadOptions o;
  o.json = (data[0] & 1) != 0;
  o.yaml_1_1 = (data[0] & 2) != 0;
  o.max_alias_nodes = 10'000;
  o.max_alias_bytes = 1u << 20;
  std::string_view text = obscore::fuzz::bytes(data + 1, size - 1);
  obscore::fuzz::expect_diagnosed([&] { obscore::config::load(text, "fuzz.yaml", o); });
  obscore::fuzz::expect_diagnosed([&] {
    Null out;
    obscore::config::convert_to_json(text, "fuzz.yaml", o, out);
  });
  obscore::fuzz::expect_diagnosed([&] { obscore::config::validate(text, "fuzz.yaml", o); });
  obscore::fuzz::expect_diagnosed([&] { obscore::config::lint(text, "fuzz.yaml", o); });
  return 0;
}
