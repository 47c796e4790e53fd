// Argon2 through argon2_ctx (so secret and associated data are reachable): the upstream
// optimised core with runtime dispatch (obscore_a2_argon2_ctx, cmake/Argon2Opt.cmake) where the
// CPU runs it, Debian's libargon2 (reference build) otherwise. PHC strings parsed and formatted
// here (strictly: every field once, standard base64 without padding).
#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/mman.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <mutex>

#include <fmt/format.h>

#include "obscore/core/error.hpp"
#include "obscore/crypto/primitives.hpp"

#if defined(OBSCORE_ARGON2_OPT)
#include "dispatch.h"
#endif

namespace obscore::crypto {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string b64_encode(std::span<const unsigned char> in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (in.size() - i == 1) {
    std::uint32_t v = in[i] << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
  } else if (in.size() - i == 2) {
    std::uint32_t v = (in[i] << 16) | (in[i + 1] << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
  }
  return out;
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Unpadded standard base64; rejects padding, other alphabets and non-canonical trailing bits.
std::optional<std::vector<unsigned char>> b64_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::vector<unsigned char> out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((acc >> bits) & 0xFF));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

argon2_type to_lib(Argon2Type t) {
  switch (t) {
    case Argon2Type::kD: return Argon2_d;
    case Argon2Type::kI: return Argon2_i;
    default: return Argon2_id;
  }
}

const char* type_name(Argon2Type t) {
  switch (t) {
    case Argon2Type::kD: return "argon2d";
    case Argon2Type::kI: return "argon2i";
    default: return "argon2id";
  }
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
  std::uint32_t v = 0;
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Argon2's working memory (m KiB per hash), reused across the hashes of a batch: a fresh
// allocation of that size is a fresh mmap whose pages all fault in again (with jemalloc ~25 %
// of a 19 MiB hash). Buffers go back to the pool after each hash, so it never holds more than
// the hashes that ran at once, which --max-memory already bounds; they are wiped when dropped.
class BlockPool {
 public:
  static BlockPool& instance() {
    static BlockPool pool;
    return pool;
  }
  ~BlockPool() {
    for (auto& [p, n] : free_) release(p, n);
  }

  static int allocate(uint8_t** memory, size_t bytes) {
    *memory = instance().take(bytes);
    return *memory != nullptr ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
  }
  static void deallocate(uint8_t* memory, size_t bytes) { instance().give(memory, bytes); }

 private:
  // Working memory of 2 MiB or more is mapped on its own, 2 MiB aligned, and offered to the
  // kernel for transparent huge pages: Argon2 reads blocks at random across all of it, and with
  // 4 KiB pages a 64 MiB hash misses the TLB on most reference blocks. Where THP is off
  // (or "never") madvise is a no-op and the pages are ordinary ones.
  static constexpr std::size_t kHuge = std::size_t{2} << 20;

  static uint8_t* map(std::size_t bytes) {
    if (bytes < kHuge) return static_cast<uint8_t*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
    std::size_t len = (bytes + kHuge - 1) / kHuge * kHuge;
    void* raw = mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto base = reinterpret_cast<std::uintptr_t>(raw);
    std::uintptr_t aligned = (base + kHuge - 1) / kHuge * kHuge;
    if (aligned > base) munmap(raw, aligned - base);
    std::uintptr_t end = base + len + kHuge;
    auto* block = static_cast<uint8_t*>(raw) + (aligned - base);
    if (end > aligned + len) munmap(block + len, end - (aligned + len));
#if defined(MADV_HUGEPAGE)
    madvise(block, len, MADV_HUGEPAGE);
#endif
    return block;
  }

  static void release(uint8_t* p, std::size_t n) {
    OPENSSL_cleanse(p, n);
    if (n < kHuge) {
      std::free(p);
    } else {
      munmap(p, (n + kHuge - 1) / kHuge * kHuge);
    }
  }

  uint8_t* take(std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t i = 0; i < free_.size(); ++i) {
        if (free_[i].second == bytes) {
          uint8_t* p = free_[i].first;
          free_[i] = free_.back();
          free_.pop_back();
          return p;
        }
      }
    }
    return map(bytes);
  }

  void give(uint8_t* p, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() >= 256) {
      release(p, bytes);
      return;
    }
    free_.emplace_back(p, bytes);
  }

  std::mutex mutex_;
  std::vector<std::pair<uint8_t*, std::size_t>> free_;
};

// Which argon2_ctx hashes go through. Chosen once, at the first hash (OBSCORE_ARGON2_IMPL or
// the fastest); set_argon2_implementation() switches later (tests, benchmarks).
constexpr std::string_view kLibargon2 = "libargon2";

class Implementation {
 public:
  static Implementation& instance() {
    static Implementation impl;
    return impl;
  }

  // True: the optimised core (its fill routine already selected); false: libargon2.
  bool optimised() {
    if (!chosen_.load(std::memory_order_acquire)) name();
    return optimised_.load(std::memory_order_relaxed);
  }

  std::string name() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!chosen_.load(std::memory_order_relaxed)) {
      const char* env = std::getenv("OBSCORE_ARGON2_IMPL");
      select(env != nullptr && *env != '\0' ? std::string_view(env) : std::string_view("auto"),
             env != nullptr ? " (OBSCORE_ARGON2_IMPL)" : "");
    }
    return name_;
  }

  void set(std::string_view want) {
    std::lock_guard<std::mutex> lock(mutex_);
    select(want, "");
  }

 private:
  // Under mutex_. Throws (and changes nothing) for an unknown or unsupported name.
  void select(std::string_view want, std::string_view origin) {
#if defined(OBSCORE_ARGON2_OPT)
    if (want != kLibargon2) {
      std::string w(want);
      if (const char* n = obscore_a2_select(want == "auto" ? nullptr : w.c_str())) {
        commit(n, true);
        return;
      }
    }
#endif
    if (want == kLibargon2 || want == "auto") {
      commit(kLibargon2, false);
      return;
    }
    std::string available;
    for (const auto& n : argon2_implementations()) available += (available.empty() ? "" : ", ") + n;
    throw core::Error(core::ErrorKind::kUsage,
                      fmt::format("Argon2 implementation '{}'{} is unknown or this CPU cannot run it (here: auto, {})",
                                  want.substr(0, 40), origin, available));
  }

  void commit(std::string_view name, bool optimised) {
    name_ = std::string(name);
    optimised_.store(optimised, std::memory_order_relaxed);
    chosen_.store(true, std::memory_order_release);
  }

  std::mutex mutex_;
  std::atomic<bool> chosen_{false};
  std::atomic<bool> optimised_{false};
  std::string name_;
};

}  // namespace

Secret::Secret(const void* data, std::size_t n)
    : bytes_(static_cast<const unsigned char*>(data), static_cast<const unsigned char*>(data) + n) {}

Secret::~Secret() { wipe(); }

Secret::Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void Secret::wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

void random_bytes(std::span<unsigned char> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw core::Error(core::ErrorKind::kInternal, "the system random number generator failed");
  }
}

std::vector<std::string> argon2_implementations() {
  std::vector<std::string> names;
#if defined(OBSCORE_ARGON2_OPT)
  for (std::size_t i = 0; const char* n = obscore_a2_variant(i); ++i) {
    if (obscore_a2_variant_supported(i)) names.emplace_back(n);
  }
#endif
  names.emplace_back(kLibargon2);
  return names;
}

std::string argon2_implementation() { return Implementation::instance().name(); }

void set_argon2_implementation(std::string_view name) { Implementation::instance().set(name); }

std::optional<Argon2Params> argon2_profile(std::string_view name) {
  Argon2Params p;
  if (name == "rfc9106") {
    p.t = 3, p.m_kib = 64 * 1024, p.p = 4;
  } else if (name == "rfc9106-high") {
    p.t = 1, p.m_kib = 2 * 1024 * 1024, p.p = 4;
  } else if (name == "owasp") {
    p.t = 2, p.m_kib = 19 * 1024, p.p = 1;
  } else {
    return std::nullopt;
  }
  return p;
}

bool below_owasp(const Argon2Params& p) {
  struct Point {
    std::uint32_t m_kib, t;
  };
  static constexpr Point kOwasp[] = {{47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5}};
  if (p.type != Argon2Type::kId || p.hash_len < 16 || p.salt_len < 16) return true;
  for (const auto& o : kOwasp) {
    if (p.m_kib >= o.m_kib && p.t >= o.t) return false;
  }
  return true;
}

void argon2_raw(std::string_view password, std::span<const unsigned char> salt, std::span<const unsigned char> secret,
                std::span<const unsigned char> ad, const Argon2Params& params, std::uint32_t threads,
                std::span<unsigned char> out) {
  argon2_context ctx{};
  ctx.out = out.data();
  ctx.outlen = static_cast<uint32_t>(out.size());
  // Argon2 does not write through pwd (the flags below keep it from clearing it).
  ctx.pwd = reinterpret_cast<uint8_t*>(const_cast<char*>(password.data()));
  ctx.pwdlen = static_cast<uint32_t>(password.size());
  ctx.salt = const_cast<uint8_t*>(salt.data());
  ctx.saltlen = static_cast<uint32_t>(salt.size());
  ctx.secret = secret.empty() ? nullptr : const_cast<uint8_t*>(secret.data());
  ctx.secretlen = static_cast<uint32_t>(secret.size());
  ctx.ad = ad.empty() ? nullptr : const_cast<uint8_t*>(ad.data());
  ctx.adlen = static_cast<uint32_t>(ad.size());
  ctx.t_cost = params.t;
  ctx.m_cost = params.m_kib;
  ctx.lanes = params.p;
  ctx.threads = std::max<std::uint32_t>(1, std::min(threads, params.p));
  ctx.version = params.version;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  ctx.allocate_cbk = &BlockPool::allocate;
  ctx.free_cbk = &BlockPool::deallocate;
#if defined(OBSCORE_ARGON2_OPT)
  int rc = Implementation::instance().optimised() ? obscore_a2_argon2_ctx(&ctx, to_lib(params.type))
                                                   : argon2_ctx(&ctx, to_lib(params.type));
#else
  int rc = argon2_ctx(&ctx, to_lib(params.type));
#endif
  if (rc != ARGON2_OK) {
    throw core::Error(core::ErrorKind::kInput, fmt::format("argon2: {}", argon2_error_message(rc)));
  }
}

std::optional<Phc> parse_phc(std::string_view text, std::string& error) {
  auto fail = [&](std::string what) -> std::optional<Phc> {
    error = std::move(what);
    return std::nullopt;
  };
  // $type$[v=N$]m=..,t=..,p=..$salt$hash
  std::vector<std::string_view> parts;
  if (text.empty() || text[0] != '$') return fail("not a PHC string (must start with '$')");
  std::size_t start = 1;
  while (true) {
    std::size_t d = text.find('$', start);
    parts.push_back(text.substr(start, d == std::string_view::npos ? std::string_view::npos : d - start));
    if (d == std::string_view::npos) break;
    start = d + 1;
  }
  Phc phc;
  if (parts[0] == "argon2id") {
    phc.params.type = Argon2Type::kId;
  } else if (parts[0] == "argon2i") {
    phc.params.type = Argon2Type::kI;
  } else if (parts[0] == "argon2d") {
    phc.params.type = Argon2Type::kD;
  } else {
    return fail(fmt::format("unknown hash type '{}' (argon2id, argon2i, argon2d)", parts[0].substr(0, 20)));
  }
  std::size_t i = 1;
  phc.params.version = 0x10;  // PHC strings without v= are version 1.0
  if (i < parts.size() && parts[i].starts_with("v=")) {
    auto v = parse_u32(parts[i].substr(2));
    if (!v || (*v != 0x10 && *v != 0x13)) return fail("unsupported version (v=16 or v=19)");
    phc.params.version = *v;
    ++i;
  }
  if (parts.size() != i + 3) return fail("expected $type$v=19$m=..,t=..,p=..$salt$hash");
  bool have_m = false, have_t = false, have_p = false;
  std::string_view fields = parts[i];
  std::size_t f = 0;
  int order = 0;
  while (f <= fields.size()) {
    std::size_t comma = fields.find(',', f);
    std::string_view kv = fields.substr(f, comma == std::string_view::npos ? std::string_view::npos : comma - f);
    if (kv.size() < 3 || kv[1] != '=') return fail("malformed parameter list (m=..,t=..,p=..)");
    auto v = parse_u32(kv.substr(2));
    if (!v) return fail(fmt::format("parameter '{}' is not a number", kv.substr(0, 20)));
    char k = kv[0];
    // m, t, p in that order, each once (as libargon2, the argon2 CLI and argon2-cffi write them).
    if (k == 'm' && order == 0 && !have_m) {
      phc.params.m_kib = *v, have_m = true, order = 1;
    } else if (k == 't' && order == 1 && !have_t) {
      phc.params.t = *v, have_t = true, order = 2;
    } else if (k == 'p' && order == 2 && !have_p) {
      phc.params.p = *v, have_p = true, order = 3;
    } else {
      return fail(fmt::format("unexpected parameter '{}' (m=..,t=..,p=.. in that order)", kv.substr(0, 20)));
    }
    if (comma == std::string_view::npos) break;
    f = comma + 1;
  }
  if (!have_m || !have_t || !have_p) return fail("parameters m, t and p are all required");
  auto salt = b64_decode(parts[i + 1]);
  auto hash = b64_decode(parts[i + 2]);
  if (!salt) return fail("salt is not unpadded standard base64");
  if (!hash) return fail("hash is not unpadded standard base64");
  phc.salt = std::move(*salt);
  phc.hash = std::move(*hash);
  if (phc.salt.size() < ARGON2_MIN_SALT_LENGTH) return fail("salt shorter than 8 bytes");
  if (phc.hash.size() < ARGON2_MIN_OUTLEN) return fail("hash shorter than 4 bytes");
  if (phc.params.t < ARGON2_MIN_TIME) return fail("t must be at least 1");
  if (phc.params.p < ARGON2_MIN_LANES || phc.params.p > ARGON2_MAX_LANES) return fail("p out of range");
  if (phc.params.m_kib < 8 * phc.params.p) return fail("m must be at least 8 KiB per lane");
  phc.params.salt_len = phc.salt.size();
  phc.params.hash_len = phc.hash.size();
  return phc;
}

std::string format_phc(const Argon2Params& params, std::span<const unsigned char> salt,
                       std::span<const unsigned char> hash) {
  return fmt::format("${}$v={}$m={},t={},p={}${}${}", type_name(params.type), params.version, params.m_kib,
                     params.t, params.p, b64_encode(salt), b64_encode(hash));
}

std::string hash_password(std::string_view password, const Argon2Params& params) {
  std::vector<unsigned char> salt(params.salt_len);
  random_bytes(salt);
  std::vector<unsigned char> hash(params.hash_len);
  argon2_raw(password, salt, {}, {}, params, 1, hash);
  return format_phc(params, salt, hash);
}

bool verify_password(std::string_view password, const Phc& phc) {
  Secret out(phc.hash.size());
  argon2_raw(password, phc.salt, {}, {}, phc.params, 1, std::span<unsigned char>(out.data(), out.size()));
  return CRYPTO_memcmp(out.data(), phc.hash.data(), phc.hash.size()) == 0;
}

bool needs_rehash(const Phc& phc, const Argon2Params& target) {
  const Argon2Params& p = phc.params;
  return p.type != Argon2Type::kId || p.version < target.version || p.m_kib < target.m_kib || p.t < target.t ||
         p.hash_len < target.hash_len || phc.salt.size() < target.salt_len;
}

}  // namespace obscore::crypto
