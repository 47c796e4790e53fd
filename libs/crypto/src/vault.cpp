// The streaming AEAD file format (see vault.hpp): batches of 64 KiB chunks read in one go,
// encrypted or decrypted in parallel with one EVP context per thread, written in one go.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "obscore/core/error.hpp"
#include "obscore/core/tsan.hpp"
#include "obscore/crypto/vault.hpp"

namespace obscore::crypto {

namespace {

using core::Error;
using core::ErrorKind;

constexpr unsigned char kMagic[8] = {'O', 'B', 'S', 'C', 'R', 'Y', 'P', 'T'};
constexpr unsigned char kVersion = 1;
constexpr unsigned char kKdfNone = 0;
constexpr unsigned char kKdfArgon2id = 1;
constexpr unsigned char kChunkLog2 = 16;
constexpr std::size_t kSigned = 56;  // header bytes under the HMAC
constexpr std::size_t kBatchChunks = 128;  // 8 MiB of plaintext per read/write
constexpr std::size_t kRecord = kChunkSize + kTagSize;
constexpr char kInfo[] = "obscore-crypto v1";

void put_u32(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v >> 24);
  p[1] = static_cast<unsigned char>(v >> 16);
  p[2] = static_cast<unsigned char>(v >> 8);
  p[3] = static_cast<unsigned char>(v);
}

std::uint32_t get_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

struct Keys {
  Secret payload{kKeySize};
  Secret header{kKeySize};
};

Keys derive_keys(const Secret& master, const unsigned char* salt) {
  Secret okm(2 * kKeySize);
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr), EVP_KDF_free);
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr,
                                                                EVP_KDF_CTX_free);
  if (!ctx) throw Error(ErrorKind::kInternal, "OpenSSL has no HKDF");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(master.data()), master.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(salt), 32),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(kInfo), sizeof kInfo - 1),
      OSSL_PARAM_construct_end()};
  if (EVP_KDF_derive(ctx.get(), okm.data(), okm.size(), params) != 1) {
    throw Error(ErrorKind::kInternal, "HKDF failed");
  }
  Keys k;
  std::memcpy(k.payload.data(), okm.data(), kKeySize);
  std::memcpy(k.header.data(), okm.data() + kKeySize, kKeySize);
  return k;
}

void header_mac(const Keys& keys, const unsigned char* header, unsigned char out[32]) {
  unsigned int len = 32;
  if (HMAC(EVP_sha256(), keys.header.data(), static_cast<int>(keys.header.size()), header, kSigned, out, &len) ==
      nullptr) {
    throw Error(ErrorKind::kInternal, "HMAC failed");
  }
}

Secret master_key(const KeyMaterial& key, const unsigned char* salt, const Argon2Params& kdf) {
  if (!key.passphrase) {
    if (key.secret.size() != kKeySize) throw Error(ErrorKind::kUsage, "a key must be 32 bytes");
    return {key.secret.data(), key.secret.size()};
  }
  Secret master(kKeySize);
  argon2_raw(key.secret.view(), std::span<const unsigned char>(salt, 32), {}, {}, kdf, kdf.p,
             std::span<unsigned char>(master.data(), master.size()));
  return master;
}

void make_nonce(std::uint64_t index, bool last, unsigned char nonce[12]) {
  std::memset(nonce, 0, 12);
  for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<unsigned char>(index >> (8 * i));
  nonce[11] = last ? 1 : 0;
}

// One EVP context per thread, keyed once; each chunk only sets its nonce.
class Gcm {
 public:
  Gcm(const unsigned char* key, bool encrypt) : ctx_(EVP_CIPHER_CTX_new()) {
    if (ctx_ == nullptr) throw Error(ErrorKind::kInternal, "cannot create a cipher context");
    int ok = encrypt ? EVP_EncryptInit_ex(ctx_, EVP_aes_256_gcm(), nullptr, key, nullptr)
                     : EVP_DecryptInit_ex(ctx_, EVP_aes_256_gcm(), nullptr, key, nullptr);
    if (ok != 1) throw Error(ErrorKind::kInternal, "AES-256-GCM is not available");
  }
  ~Gcm() { EVP_CIPHER_CTX_free(ctx_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;

  void seal(std::uint64_t index, bool last, const unsigned char* in, std::size_t n, unsigned char* out) {
    unsigned char nonce[12];
    make_nonce(index, last, nonce);
    int len = 0;
    if (EVP_EncryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce) != 1 ||
        (n > 0 && EVP_EncryptUpdate(ctx_, out, &len, in, static_cast<int>(n)) != 1) ||
        EVP_EncryptFinal_ex(ctx_, out + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, kTagSize, out + n) != 1) {
      throw Error(ErrorKind::kInternal, "AES-256-GCM encryption failed");
    }
  }

  // False when the tag does not verify.
  bool open(std::uint64_t index, bool last, const unsigned char* in, std::size_t n, unsigned char* out) {
    unsigned char nonce[12];
    make_nonce(index, last, nonce);
    unsigned char tag[kTagSize];
    std::memcpy(tag, in + n, kTagSize);
    int len = 0;
    if (EVP_DecryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce) != 1) return false;
    if (n > 0 && EVP_DecryptUpdate(ctx_, out, &len, in, static_cast<int>(n)) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, kTagSize, tag) != 1) return false;
    return EVP_DecryptFinal_ex(ctx_, out + len, &len) == 1;
  }

 private:
  EVP_CIPHER_CTX* ctx_;
};

// Reads until `n` bytes or the end.
std::size_t read_full(ByteSource& in, unsigned char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    std::size_t r = in.read(buf + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

// Writes one buffer in the background while the next batch is computed: with double buffers the
// copy into the page cache overlaps the cipher work.
class AsyncWriter {
 public:
  explicit AsyncWriter(ByteSink& sink) : sink_(sink), thread_([this] { loop(); }) {}
  ~AsyncWriter() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  AsyncWriter(const AsyncWriter&) = delete;
  AsyncWriter& operator=(const AsyncWriter&) = delete;

  // Waits for the previous write, then starts this one; `data` must stay valid until the next
  // write() or wait().
  void write(const unsigned char* data, std::size_t n) {
    wait();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      data_ = data;
      size_ = n;
      busy_ = true;
    }
    cv_.notify_all();
  }

  // Waits for the write in flight; rethrows its error.
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return !busy_; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      cv_.wait(lock, [this] { return busy_ || stop_; });
      if (!busy_) return;
      const unsigned char* data = data_;
      std::size_t n = size_;
      lock.unlock();
      std::exception_ptr error;
      try {
        sink_.write(data, n);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      error_ = error;
      busy_ = false;
      cv_.notify_all();
    }
  }

  ByteSink& sink_;
  std::mutex mutex_;
  std::condition_variable cv_;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after the members it uses
};

[[noreturn]] void auth_failed(const std::string& what) {
  throw Error(ErrorKind::kInput, "authentication failed: " + what);
}

}  // namespace

void gcm_encrypt(std::span<const unsigned char> key, std::span<const unsigned char> iv,
                 std::span<const unsigned char> aad, std::span<const unsigned char> plain, unsigned char* cipher,
                 unsigned char tag[16]) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok = ctx && key.size() == 32 &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) == 1 &&
            (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
            (plain.empty() || EVP_EncryptUpdate(ctx.get(), cipher, &len, plain.data(), static_cast<int>(plain.size())) == 1) &&
            EVP_EncryptFinal_ex(ctx.get(), cipher + (plain.empty() ? 0 : len), &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
  if (!ok) throw Error(ErrorKind::kInternal, "AES-256-GCM encryption failed");
}

bool gcm_decrypt(std::span<const unsigned char> key, std::span<const unsigned char> iv,
                 std::span<const unsigned char> aad, std::span<const unsigned char> cipher, const unsigned char tag[16],
                 unsigned char* plain) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  unsigned char t[16];
  std::memcpy(t, tag, 16);
  return ctx && key.size() == 32 &&
         EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) == 1 &&
         EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) == 1 &&
         (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1) &&
         (cipher.empty() || EVP_DecryptUpdate(ctx.get(), plain, &len, cipher.data(), static_cast<int>(cipher.size())) == 1) &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, t) == 1 &&
         EVP_DecryptFinal_ex(ctx.get(), plain + (cipher.empty() ? 0 : len), &len) == 1;
}

namespace {

// Hands out the next batch of input: `data`/`n` (at most `capacity` bytes), and whether more
// input follows it.
using Fill = std::function<bool(const unsigned char*& data, std::size_t& n, std::size_t capacity)>;

// A Fill over a stream: reads a batch plus one byte; getting that byte proves the batch is not
// the end, and it is carried into the next batch.
Fill stream_fill(ByteSource& in, std::vector<unsigned char>& buf, std::size_t capacity) {
  buf.resize(capacity + 1);
  auto carry = std::make_shared<std::size_t>(0);
  return [&in, &buf, carry](const unsigned char*& data, std::size_t& n, std::size_t cap) {
    if (*carry != 0) buf[0] = buf[cap];  // the previous batch's look-ahead byte starts this one
    std::size_t got = *carry + read_full(in, buf.data() + *carry, cap + 1 - *carry);
    bool more = got == cap + 1;
    n = more ? cap : got;
    data = buf.data();
    *carry = more ? 1 : 0;
    return more;
  };
}

// A Fill over memory (a mapped file): batches point into it, no copy.
Fill memory_fill(std::string_view bytes, const Prefetch& prefetch) {
  auto pos = std::make_shared<std::size_t>(0);
  return [bytes, pos, prefetch](const unsigned char*& data, std::size_t& n, std::size_t cap) {
    n = std::min(cap, bytes.size() - *pos);
    if (prefetch) prefetch(*pos, n);  // [0, pos) is done with, [pos, pos + n) comes next
    data = reinterpret_cast<const unsigned char*>(bytes.data()) + *pos;
    *pos += n;
    return *pos < bytes.size();
  };
}

VaultStats encrypt_batches(const Fill& fill, std::vector<unsigned char>* stream_buf, ByteSink& out,
                           const KeyMaterial& key) {
  unsigned char header[kHeaderSize] = {};
  std::memcpy(header, kMagic, 8);
  header[8] = kVersion;
  header[9] = key.passphrase ? kKdfArgon2id : kKdfNone;
  header[10] = kChunkLog2;
  if (key.passphrase) {
    if (key.kdf.type != Argon2Type::kId) throw Error(ErrorKind::kUsage, "the passphrase KDF is Argon2id");
    put_u32(header + 12, key.kdf.t);
    put_u32(header + 16, key.kdf.m_kib);
    put_u32(header + 20, key.kdf.p);
  }
  random_bytes(std::span<unsigned char>(header + 24, 32));
  Keys keys;
  {
    Secret master = master_key(key, header + 24, key.kdf);
    keys = derive_keys(master, header + 24);
  }
  header_mac(keys, header, header + kSigned);
  out.write(header, kHeaderSize);

  tbb::enumerable_thread_specific<std::unique_ptr<Gcm>> ctxs;
  std::vector<unsigned char> buffers[2] = {std::vector<unsigned char>(kBatchChunks * kRecord),
                                           std::vector<unsigned char>(kBatchChunks * kRecord)};
  AsyncWriter writer(out);
  VaultStats stats;
  std::uint64_t index = 0;
  for (std::size_t round = 0;; ++round) {
    std::vector<unsigned char>& sealed = buffers[round & 1];
    const unsigned char* plain = nullptr;
    std::size_t n = 0;
    bool more = fill(plain, n, kBatchChunks * kChunkSize);
    std::size_t chunks = more ? kBatchChunks : std::max<std::size_t>(1, (n + kChunkSize - 1) / kChunkSize);
    std::uint64_t base = index;
    core::TaskEdges edges;
    auto seal_chunk = [&](std::size_t c) {
      auto& gcm = ctxs.local();
      if (!gcm) gcm = std::make_unique<Gcm>(keys.payload.data(), true);
      std::size_t off = c * kChunkSize;
      std::size_t len = std::min(kChunkSize, n - std::min(n, off));
      bool last = !more && c + 1 == chunks;
      gcm->seal(base + c, last, plain + off, len, sealed.data() + c * kRecord);
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, chunks, core::TaskEdges::body(seal_chunk));
    edges.joined();
    // The stream buffer is refilled by the next fill(): this batch must be sealed by then (it
    // is); the sealed buffer alternates, so it is not reused before its write finished.
    writer.write(sealed.data(), n + chunks * kTagSize);
    index += chunks;
    stats.plaintext_bytes += n;
    stats.chunks += chunks;
    if (!more) break;
  }
  writer.wait();
  if (stream_buf != nullptr) OPENSSL_cleanse(stream_buf->data(), stream_buf->size());
  return stats;
}

}  // namespace

VaultStats encrypt(ByteSource& in, ByteSink& out, const KeyMaterial& key) {
  std::vector<unsigned char> buf;
  return encrypt_batches(stream_fill(in, buf, kBatchChunks * kChunkSize), &buf, out, key);
}

VaultStats encrypt(std::string_view plaintext, ByteSink& out, const KeyMaterial& key, const Prefetch& release) {
  return encrypt_batches(memory_fill(plaintext, release), nullptr, out, key);
}

namespace {

VaultStats decrypt_batches(const unsigned char* header, std::size_t got, const Fill& fill, ByteSink& out,
                           const KeyMaterial& key) {
  if (got < 8 || std::memcmp(header, kMagic, 8) != 0) {
    throw Error(ErrorKind::kInput, "not an obscore encrypted file (no OBSCRYPT header)");
  }
  if (got < kHeaderSize) throw Error(ErrorKind::kInput, "truncated header");
  if (header[8] != kVersion) throw Error(ErrorKind::kInput, fmt::format("unsupported format version {}", header[8]));
  if (header[10] != kChunkLog2 || header[11] != 0) {
    throw Error(ErrorKind::kInput, "authentication failed: corrupted header (chunk size or reserved byte)");
  }
  Argon2Params kdf;
  if (header[9] == kKdfArgon2id) {
    if (!key.passphrase) throw Error(ErrorKind::kUsage, "this file was encrypted with a passphrase, not a key file");
    kdf.t = get_u32(header + 12);
    kdf.m_kib = get_u32(header + 16);
    kdf.p = get_u32(header + 20);
    if (kdf.t == 0 || kdf.p == 0 || kdf.p > 255 || kdf.m_kib < 8 * kdf.p || kdf.t > kMaxPasses) {
      throw Error(ErrorKind::kInput, "authentication failed: corrupted header (Argon2id parameters)");
    }
    if (argon2_memory(kdf) > key.max_memory) {
      throw Error(ErrorKind::kInput, fmt::format("the header asks Argon2id for {} MiB, more than --max-memory allows",
                                                 kdf.m_kib / 1024));
    }
  } else if (header[9] == kKdfNone) {
    if (key.passphrase) throw Error(ErrorKind::kUsage, "this file was encrypted with a key file, not a passphrase");
  } else {
    throw Error(ErrorKind::kInput, fmt::format("unknown KDF id {}", header[9]));
  }
  Keys keys;
  {
    Secret master = master_key(key, header + 24, kdf);
    keys = derive_keys(master, header + 24);
  }
  unsigned char mac[32];
  header_mac(keys, header, mac);
  if (CRYPTO_memcmp(mac, header + kSigned, 32) != 0) {
    auth_failed(key.passphrase ? "wrong passphrase, or the header was modified"
                               : "wrong key, or the header was modified");
  }

  tbb::enumerable_thread_specific<std::unique_ptr<Gcm>> ctxs;
  std::vector<unsigned char> buffers[2] = {std::vector<unsigned char>(kBatchChunks * kChunkSize),
                                           std::vector<unsigned char>(kBatchChunks * kChunkSize)};
  AsyncWriter writer(out);
  VaultStats stats;
  std::uint64_t index = 0;
  bool saw_last = false;
  for (std::size_t round = 0;; ++round) {
    std::vector<unsigned char>& plain = buffers[round & 1];
    const unsigned char* sealed = nullptr;
    std::size_t n = 0;
    bool more = fill(sealed, n, kBatchChunks * kRecord);
    if (n == 0) break;  // nothing after the header
    std::size_t chunks = (n + kRecord - 1) / kRecord;
    std::size_t tail = n - (chunks - 1) * kRecord;  // bytes of the last record in this batch
    if (tail < kTagSize) {
      throw Error(ErrorKind::kInput, fmt::format("truncated inside chunk {} (byte {})", index + chunks - 1,
                                                 kHeaderSize + (index + chunks - 1) * kRecord));
    }
    std::uint64_t base = index;
    std::atomic<std::size_t> first_bad{chunks};
    core::TaskEdges edges;
    auto open_chunk = [&](std::size_t c) {
      auto& gcm = ctxs.local();
      if (!gcm) gcm = std::make_unique<Gcm>(keys.payload.data(), false);
      std::size_t len = (c + 1 == chunks ? tail : kRecord) - kTagSize;
      bool last = !more && c + 1 == chunks;
      if (!gcm->open(base + c, last, sealed + c * kRecord, len, plain.data() + c * kChunkSize)) {
        std::size_t cur = first_bad.load();
        while (c < cur && !first_bad.compare_exchange_weak(cur, c)) {
        }
      }
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, chunks, core::TaskEdges::body(open_chunk));
    edges.joined();
    std::size_t bad = first_bad.load();
    if (bad < chunks) {
      // Release what verified before the bad chunk, then say what is wrong with it.
      writer.write(plain.data(), bad * kChunkSize);
      writer.wait();
      std::uint64_t at = base + bad;
      std::size_t len = (bad + 1 == chunks ? tail : kRecord) - kTagSize;
      bool tried_last = !more && bad + 1 == chunks;
      Gcm probe(keys.payload.data(), false);
      std::vector<unsigned char> scratch(kChunkSize);
      if (!tried_last && probe.open(at, true, sealed + bad * kRecord, len, scratch.data())) {
        auth_failed(fmt::format("data after the final chunk ({})", at));
      }
      if (tried_last && probe.open(at, false, sealed + bad * kRecord, len, scratch.data())) {
        throw Error(ErrorKind::kInput, fmt::format("truncated: the file ends after chunk {} without its final chunk", at));
      }
      auth_failed(fmt::format("chunk {} (byte {}) was modified, moved or comes from another file", at,
                              kHeaderSize + at * kRecord));
    }
    std::size_t plain_len = n - chunks * kTagSize;
    writer.write(plain.data(), plain_len);
    stats.plaintext_bytes += plain_len;
    stats.chunks += chunks;
    index += chunks;
    if (!more) {
      saw_last = true;
      break;
    }
  }
  writer.wait();
  for (auto& b : buffers) OPENSSL_cleanse(b.data(), b.size());
  if (!saw_last) {
    throw Error(ErrorKind::kInput, index == 0 ? "truncated: no chunk after the header"
                                              : fmt::format("truncated: the file ends after chunk {} without its final chunk", index - 1));
  }
  return stats;
}

}  // namespace

VaultStats decrypt(ByteSource& in, ByteSink& out, const KeyMaterial& key) {
  unsigned char header[kHeaderSize];
  std::size_t got = read_full(in, header, kHeaderSize);
  std::vector<unsigned char> buf;
  return decrypt_batches(header, got, stream_fill(in, buf, kBatchChunks * kRecord), out, key);
}

VaultStats decrypt(std::string_view sealed, ByteSink& out, const KeyMaterial& key, const Prefetch& release) {
  std::size_t got = std::min(sealed.size(), kHeaderSize);
  auto header = reinterpret_cast<const unsigned char*>(sealed.data());
  return decrypt_batches(header, got, memory_fill(sealed.substr(got), release), out, key);
}

}  // namespace obscore::crypto
