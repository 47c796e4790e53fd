// Micro-benchmarks of libs/crypto: one 64 KiB AES-256-GCM chunk (the file format's unit), the
// whole streaming format over 64 MiB in memory (parallel chunks), and one Argon2id hash at the
// OWASP profile.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "obscore/crypto/primitives.hpp"
#include "obscore/crypto/vault.hpp"

namespace {

using namespace obscore::crypto;

void BM_GcmEncryptChunk(benchmark::State& state) {
  std::vector<unsigned char> key(32, 7), iv(12, 1), plain(std::size_t{64} * 1024, 0x5a), cipher(plain.size());
  unsigned char tag[16];
  for ([[maybe_unused]] auto _ : state) {
    gcm_encrypt(key, iv, {}, plain, cipher.data(), tag);
    benchmark::DoNotOptimize(tag);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_GcmEncryptChunk);

class NullSink : public ByteSink {
 public:
  void write(const unsigned char*, std::size_t n) override { bytes += n; }
  std::size_t bytes = 0;
};

void BM_VaultEncrypt(benchmark::State& state) {
  std::string plain(static_cast<std::size_t>(state.range(0)) << 20, 'x');
  KeyMaterial key;
  key.secret = Secret(32);
  random_bytes({key.secret.data(), 32});
  for ([[maybe_unused]] auto _ : state) {
    NullSink sink;
    encrypt(std::string_view(plain), sink, key);
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_VaultEncrypt)->Arg(64)->UseRealTime();

void BM_Argon2idOwasp(benchmark::State& state) {
  auto params = *argon2_profile("owasp");
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(hash_password("correct horse battery staple", params));
}
BENCHMARK(BM_Argon2idOwasp)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
