// The encrypted file format's header and chunk parser (decrypt with a fixed key over arbitrary
// bytes: nothing may be released unauthenticated, nothing may crash) and PHC string parsing.
#include <string>

#include "fuzz_common.hpp"
#include "obscore/crypto/primitives.hpp"
#include "obscore/crypto/vault.hpp"

namespace {

class Sink : public obscore::crypto::ByteSink {
 public:
  void write(const unsigned char*, std::size_t n) override { bytes += n; }
  std::size_t bytes = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore;
  std::string_view text = fuzz::bytes(data, size);
  crypto::KeyMaterial key;
  key.secret = crypto::Secret(32);
  for (std::size_t i = 0; i < 32; ++i) key.secret.data()[i] = static_cast<unsigned char>(i);
  key.max_memory = 1u << 20;  // a header asking for more Argon2 memory is refused, not computed
  Sink out;
  bool ok = false;
  fuzz::expect_diagnosed([&] {
    crypto::decrypt(text, out, key);
    ok = true;
  });
  // Random bytes never authenticate: plaintext must not have been released.
  if (!ok && out.bytes != 0) __builtin_trap();
  std::string error;
  crypto::parse_phc(text.substr(0, 512), error);
  return 0;
}
