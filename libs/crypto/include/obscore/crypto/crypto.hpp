// obscore crypto, what the subcommand calls (each library's <lib>.hpp is its run API): the
// `crypto` verbs as library calls: batch hashing and verification (parallel under a memory
// budget, results through the output layer), key generation, file encryption and decryption,
// and where keys and passphrases come from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/crypto/vault.hpp"

namespace obscore::crypto {

// Half of physical memory: the default --max-memory.
std::uint64_t default_memory_budget();

// The whole input (a file, or stdin for "-") in wiped memory; at most `limit` bytes.
Secret read_secret_input(const std::string& path, std::uint64_t limit = 1ull << 30);

struct KeyOptions {
  std::string key_file;         // 32 raw bytes, or 64 hex digits
  std::string passphrase_file;  // the first line
  std::string passphrase_env;   // an environment variable's name
  bool prompt_confirm = false;  // terminal prompt: ask twice (encrypting)
};

// The key material from exactly one source (or a terminal prompt when none is named). Throws
// core::Error(kUsage) when none is possible or several are named.
KeyMaterial load_key(const KeyOptions& options);

// Writes 32 random bytes to `path` created 0600; refuses an existing file.
void keygen(const std::string& path);

struct FileCryptOptions {
  std::string input;   // "-" = stdin
  std::string output;  // "-" = stdout
  bool force = false;  // replace an existing output file
};

// Output to a file goes to a temp file renamed into place only on success (decrypted files
// 0600); never onto the input; an existing output needs `force`.
VaultStats encrypt_file(const FileCryptOptions& options, const KeyMaterial& key);
VaultStats decrypt_file(const FileCryptOptions& options, const KeyMaterial& key);

struct BatchOptions {
  Argon2Params params;           // hash: what to make; verify: the target for needs_rehash
  bool allow_weak = false;
  std::uint64_t max_memory = 0;  // 0 = default_memory_budget()
  bool progress = false;
};

// gate_tripped: verify found a password that did not match.
using BatchResult = core::RunResult;

// One password per line of `input` (CRLF tolerated; a final newline ends the last line).
// Results {index, phc}; summary {hashes, type, t, m_kib, p, concurrency, duration_ms}.
BatchResult run_hash(const std::string& input, const BatchOptions& options, core::Output& out);
core::View make_hash_view();

// NDJSON lines {"password", "hash"} in `input`, or `passwords` and `hashes` files line by
// line. Results {index, ok, needs_rehash, type, error?}; summary {verified, ok, failed,
// needs_rehash, invalid, duration_ms}. Malformed lines are diagnostics (path:line), exit 3.
BatchResult run_verify(const std::string& input, const std::string& passwords, const std::string& hashes,
                       const BatchOptions& options, core::Output& out);
core::View make_verify_view();

}  // namespace obscore::crypto
