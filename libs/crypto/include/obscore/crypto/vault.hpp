// The obscore encrypted file format (version 1), streaming, byte by byte in man obscore-crypto(1):
//
//   0  8  magic "OBSCRYPT"
//   8  1  version (1)
//   9  1  KDF: 0 = key file (no KDF), 1 = Argon2id over a passphrase
//  10  1  log2 of the chunk size (16: 64 KiB)
//  11  1  reserved, 0
//  12 12  Argon2id t, m (KiB), p as big-endian u32 (zero for a key file)
//  24 32  salt (random per file): the Argon2id salt, and HKDF's salt
//  56 32  HMAC-SHA-256 over bytes 0..55 with the header key
//  88 ..  chunks: min(64 KiB, rest) bytes of AES-256-GCM ciphertext + 16-byte tag each; the last
//         chunk (possibly empty) carries the last-chunk flag in its nonce
//
// master = the key file's 32 bytes, or Argon2id(passphrase, salt, t, m, p) (32 bytes);
// HKDF-SHA-256(master, salt, "obscore-crypto v1") -> 64 bytes: payload key || header key.
// Nonce of chunk i: i as an 11-byte big-endian counter, then 0x01 for the last chunk or 0x00.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "obscore/crypto/primitives.hpp"

namespace obscore::crypto {

inline constexpr std::size_t kHeaderSize = 88;
inline constexpr std::size_t kChunkSize = std::size_t{64} * 1024;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kKeySize = 32;

// Reads up to n bytes; 0 only at the end. Throws core::Error on a read error.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(unsigned char* buf, std::size_t n) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const unsigned char* buf, std::size_t n) = 0;
};

struct KeyMaterial {
  bool passphrase = false;  // `secret` is a passphrase (Argon2id), else a 32-byte key
  Secret secret;
  Argon2Params kdf;                         // encrypt: parameters for a passphrase
  std::uint64_t max_memory = 4ull << 30;    // decrypt: refuse a header asking for more
};

struct VaultStats {
  std::uint64_t plaintext_bytes = 0;
  std::uint64_t chunks = 0;
};

// Called before each batch of an in-memory input with the batch's range: the bytes before
// `offset` are done with (a mapped file may drop those pages), [offset, offset + length) is next
// (and may be faulted in at once).
using Prefetch = std::function<void(std::size_t offset, std::size_t length)>;

// Encrypts everything `in` yields. Chunks are encrypted in parallel (oneTBB).
VaultStats encrypt(ByteSource& in, ByteSink& out, const KeyMaterial& key);
// The same over bytes in memory (a mapped file): no copy of the input.
VaultStats encrypt(std::string_view plaintext, ByteSink& out, const KeyMaterial& key, const Prefetch& done = {});

// Decrypts and authenticates. Plaintext reaches `out` only in chunks whose tags verified. Throws
// core::Error(kInput) for a bad header ("not an obscore encrypted file", "unsupported version"),
// a key of the wrong kind, "authentication failed" (wrong key or passphrase, modified header or
// chunk, reordered, duplicated or spliced chunks), a truncated file (also at a chunk boundary) or
// data after the final chunk. What `out` received before the error was authentic; a caller
// writing to a file discards it.
VaultStats decrypt(ByteSource& in, ByteSink& out, const KeyMaterial& key);
VaultStats decrypt(std::string_view sealed, ByteSink& out, const KeyMaterial& key, const Prefetch& done = {});

}  // namespace obscore::crypto
