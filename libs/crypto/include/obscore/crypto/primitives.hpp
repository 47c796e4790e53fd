// The crypto primitives: Argon2 password hashing (PHC strings, interoperable with the `argon2` CLI and
// argon2-cffi) and a streaming AES-256-GCM file format whose chunks cannot be reordered,
// dropped, duplicated, truncated or spliced. Secrets live in Secret buffers wiped on release.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace obscore::crypto {

// Bytes that are wiped (OPENSSL_cleanse) when released.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::size_t n) : bytes_(n) {}
  Secret(const void* data, std::size_t n);
  ~Secret();
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  unsigned char* data() { return bytes_.data(); }
  const unsigned char* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }
  void wipe();

 private:
  std::vector<unsigned char> bytes_;
};

// Fills `out` from OpenSSL's CSPRNG; throws core::Error(kInternal) if it fails.
void random_bytes(std::span<unsigned char> out);

// ---- Argon2 -------------------------------------------------------------------------------

enum class Argon2Type { kD = 0, kI = 1, kId = 2 };

// The most Argon2 passes obscore runs: a hash or header from outside asking for more (a PHC
// string with t=4000000000 would run for days) is refused. The profiles use 1-3.
inline constexpr std::uint32_t kMaxPasses = 64;

struct Argon2Params {
  Argon2Type type = Argon2Type::kId;
  std::uint32_t t = 3;          // passes
  std::uint32_t m_kib = 65536;  // memory in KiB
  std::uint32_t p = 4;          // lanes
  std::uint32_t version = 0x13;
  std::size_t salt_len = 16;
  std::size_t hash_len = 32;
};

// "rfc9106" (t=3, m=64 MiB, p=4; argon2-cffi's default), "rfc9106-high" (t=1, m=2 GiB, p=4),
// "owasp" (t=2, m=19 MiB, p=1).
std::optional<Argon2Params> argon2_profile(std::string_view name);

// Below every OWASP Argon2id configuration (m=46 MiB t=1, 19/2, 12/3, 9/4, 7/5, p=1)?
bool below_owasp(const Argon2Params& p);

// Raw Argon2 with optional secret and associated data (RFC 9106's full interface). `threads`
// computes lanes in parallel. Throws core::Error(kInput) with Argon2's message on bad params.
void argon2_raw(std::string_view password, std::span<const unsigned char> salt, std::span<const unsigned char> secret,
                std::span<const unsigned char> ad, const Argon2Params& params, std::uint32_t threads,
                std::span<unsigned char> out);

// Argon2 implementations. On x86-64 obscore carries the upstream optimised core (the BlaMka
// fill routine compiled for "avx512f", "avx2", "ssse3" and "sse2") and picks, at the first
// hash, the fastest one the CPU runs; Debian's "libargon2" (the portable reference build) is
// the fallback, and the only one elsewhere. Every implementation gives the same bytes.
// The environment variable OBSCORE_ARGON2_IMPL (one of those names, or "auto") forces one at
// that first use; it exists for tests and benchmarks.

// The implementations this build and CPU can run, fastest first ("libargon2" always last).
std::vector<std::string> argon2_implementations();
// The implementation hashes use (choosing it now if no hash ran yet). Throws core::Error(kUsage)
// when OBSCORE_ARGON2_IMPL names one that is unknown or that this CPU cannot run.
std::string argon2_implementation();
// Switches to `name` ("auto": the fastest); throws core::Error(kUsage) as above. Not meant to
// be called while hashes run on other threads (those finish with the implementation they began).
void set_argon2_implementation(std::string_view name);

// A parsed PHC string: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash> (standard base64, no padding).
struct Phc {
  Argon2Params params;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

// nullopt with `error` set for anything malformed (unknown type, missing or duplicate fields,
// bad base64, lengths out of libargon2's range).
std::optional<Phc> parse_phc(std::string_view text, std::string& error);
std::string format_phc(const Argon2Params& params, std::span<const unsigned char> salt,
                       std::span<const unsigned char> hash);

// Hashes with a fresh random salt, lanes computed on one thread (batches parallelise across
// passwords); returns the PHC string.
std::string hash_password(std::string_view password, const Argon2Params& params);

// Recomputes and compares in constant time.
bool verify_password(std::string_view password, const Phc& phc);

// The hash's parameters are below `target` (type other than argon2id, older version, less memory
// or fewer passes, shorter tag).
bool needs_rehash(const Phc& phc, const Argon2Params& target);

// Memory one hash needs, in bytes.
inline std::uint64_t argon2_memory(const Argon2Params& p) { return std::uint64_t{p.m_kib} * 1024; }

// ---- AES-256-GCM ----------------------------------------------------------------------------

// One-shot AES-256-GCM (the cipher layer under the file format; also for test vectors).
void gcm_encrypt(std::span<const unsigned char> key, std::span<const unsigned char> iv,
                 std::span<const unsigned char> aad, std::span<const unsigned char> plain,
                 unsigned char* cipher, unsigned char tag[16]);
// False when the tag does not verify (`plain` is then unspecified and must not be used).
bool gcm_decrypt(std::span<const unsigned char> key, std::span<const unsigned char> iv,
                 std::span<const unsigned char> aad, std::span<const unsigned char> cipher,
                 const unsigned char tag[16], unsigned char* plain);

}  // namespace obscore::crypto
