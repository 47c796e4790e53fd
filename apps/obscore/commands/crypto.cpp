// `obscore crypto <verb>`: flags -> options, then one call into libs/crypto per verb. Secrets
// never come from argv: passwords from files or stdin, keys from files, passphrases from a file,
// an environment variable or the terminal.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/read.hpp"
#include "obscore/crypto/crypto.hpp"

namespace obscore::app {

namespace {

crypto::Argon2Params hash_params(const std::string& profile, unsigned t, const std::string& m, unsigned p) {
  auto params = crypto::argon2_profile(profile);
  if (!params) {
    throw core::Error(core::ErrorKind::kUsage,
                      fmt::format("--profile: '{}' is not rfc9106, rfc9106-high or owasp", profile));
  }
  if (t > crypto::kMaxPasses) throw core::Error(core::ErrorKind::kUsage, fmt::format("-t: at most {} passes", crypto::kMaxPasses));
  if (t != 0) params->t = t;
  if (!m.empty()) {
    auto bytes = core::parse_size(m);
    if (!bytes || *bytes < 1024 || *bytes / 1024 > 0xFFFFFFFFull) {
      throw core::Error(core::ErrorKind::kUsage, "-m: a memory size such as 64M or 65536K");
    }
    params->m_kib = static_cast<std::uint32_t>(*bytes / 1024);
  }
  if (p != 0) params->p = p;
  return *params;
}

std::uint64_t memory_budget(const std::string& text) {
  if (text.empty()) return 0;
  auto bytes = core::parse_size(text);
  if (!bytes || *bytes == 0) throw core::Error(core::ErrorKind::kUsage, "--max-memory: a size such as 4G");
  return *bytes;
}

}  // namespace

Runner setup_crypto(CLI::App& sub) {
  sub.require_subcommand(1);
  struct Flags {
    std::string input, passwords, hashes, profile = "rfc9106", m, max_memory, output_file, in_file;
    unsigned t = 0, p = 0;
    bool allow_weak = false, force = false;
    crypto::KeyOptions key;
  };
  auto f = std::make_shared<Flags>();
  auto add_params = [&](CLI::App* v, const char* what) {
    v->add_option("--profile", f->profile, std::string(what) + ": rfc9106 (t=3 m=64M p=4, default), rfc9106-high (t=1 m=2G p=4), owasp (t=2 m=19M p=1)");
    v->add_option("-t", f->t, "passes, at most 64 (overrides the profile)");
    v->add_option("-m", f->m, "memory, e.g. 64M (overrides the profile)");
    v->add_option("-p", f->p, "lanes (overrides the profile)");
  };

  CLI::App* hash = sub.add_subcommand("hash", "Argon2id PHC strings for passwords read one per line (never from argv)");
  hash->add_option("--input", f->input, "file of passwords, one per line, or - for stdin (default)");
  add_params(hash, "parameters");
  hash->add_flag("--allow-weak", f->allow_weak, "allow parameters below the OWASP minimum");
  hash->add_option("--max-memory", f->max_memory, "memory for concurrent hashes (default: half of RAM)");

  CLI::App* verify = sub.add_subcommand("verify", "check passwords against PHC hashes (argon2id, argon2i, argon2d); exit 1 if any fails");
  verify->add_option("--input", f->input, R"(NDJSON lines {"password": ..., "hash": ...}, or - for stdin)");
  verify->add_option("--passwords", f->passwords, "passwords, one per line (with --hashes)");
  verify->add_option("--hashes", f->hashes, "PHC strings, one per line, aligned with --passwords");
  add_params(verify, "needs_rehash below this");
  verify->add_option("--max-memory", f->max_memory, "memory for concurrent verifications (default: half of RAM)");

  CLI::App* keygen = sub.add_subcommand("keygen", "write 32 random bytes to a new key file (mode 0600)");
  keygen->add_option("file", f->output_file, "the key file to create (or -o FILE)");

  auto add_key = [&](CLI::App* v) {
    v->add_option("--key-file", f->key.key_file, "32-byte key file (from crypto keygen; or 64 hex digits)");
    v->add_option("--passphrase-file", f->key.passphrase_file, "read the passphrase from the file's first line");
    v->add_option("--passphrase-env", f->key.passphrase_env, "read the passphrase from this environment variable");
    v->add_flag("--force", f->force, "replace an existing output file");
    v->add_option("input", f->in_file, "file to read, or - for stdin")->required();
  };
  CLI::App* encrypt = sub.add_subcommand("encrypt", "encrypt a file (streaming AES-256-GCM, 64 KiB chunks)");
  add_key(encrypt);
  add_params(encrypt, "passphrase KDF (Argon2id)");
  CLI::App* decrypt = sub.add_subcommand("decrypt", "authenticate and decrypt a file; nothing is written unless all of it verifies");
  add_key(decrypt);
  decrypt->add_option("--max-memory", f->max_memory, "refuse a header asking Argon2id for more (default: half of RAM)");

  for (CLI::App* v : {hash, verify, keygen, encrypt, decrypt}) v->fallthrough();

  return [f, hash, keygen, encrypt, decrypt](const Globals& g) {
    if (keygen->parsed()) {
      std::string path = !f->output_file.empty() ? f->output_file : g.output;
      crypto::keygen(path);
      return core::ExitCode::kOk;
    }
    if (encrypt->parsed() || decrypt->parsed()) {
      if (g.output.empty()) throw core::Error(core::ErrorKind::kUsage, "name the output: -o FILE (or -o - for stdout)");
      crypto::FileCryptOptions o{f->in_file, g.output, f->force};
      f->key.prompt_confirm = encrypt->parsed();
      crypto::KeyMaterial key = crypto::load_key(f->key);
      if (encrypt->parsed()) {
        key.kdf = hash_params(f->profile, f->t, f->m, f->p);
        crypto::encrypt_file(o, key);
      } else {
        std::uint64_t budget = memory_budget(f->max_memory);
        key.max_memory = budget != 0 ? budget : crypto::default_memory_budget();
        crypto::decrypt_file(o, key);
      }
      return core::ExitCode::kOk;
    }
    crypto::BatchOptions o;
    o.params = hash_params(f->profile, f->t, f->m, f->p);
    // Chosen here, so a bad OBSCORE_ARGON2_IMPL is a usage error before any input is read.
    spdlog::info("crypto: Argon2 implementation {}", crypto::argon2_implementation());
    o.allow_weak = f->allow_weak;
    o.max_memory = memory_budget(f->max_memory);
    o.progress = g.show_progress();
    crypto::BatchResult r;
    if (hash->parsed()) {
      core::Output out(g.output_options("crypto hash"), crypto::make_hash_view());
      r = crypto::run_hash(f->input.empty() ? "-" : f->input, o, out);
    } else {
      bool pair = !f->passwords.empty() || !f->hashes.empty();
      if (pair && (f->passwords.empty() || f->hashes.empty() || !f->input.empty())) {
        throw core::Error(core::ErrorKind::kUsage, "use --input NDJSON, or --passwords with --hashes");
      }
      core::Output out(g.output_options("crypto verify"), crypto::make_verify_view());
      r = crypto::run_verify(pair ? std::string() : (f->input.empty() ? "-" : f->input), f->passwords, f->hashes, o, out);
    }
    return finish(g, r);
  };
}

}  // namespace obscore::app
