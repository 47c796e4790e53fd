#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "obscore/core/error.hpp"
#include "obscore/crypto/primitives.hpp"
#include "obscore/crypto/vault.hpp"

namespace obscore::crypto {
namespace {

using Bytes = std::vector<unsigned char>;

Bytes hex(std::string_view h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<unsigned char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

std::string fmt_case(const std::string& impl, Argon2Type type, std::uint32_t version, std::uint32_t t,
                     std::uint32_t m, std::uint32_t p, std::uint32_t threads) {
  return impl + " type=" + std::to_string(static_cast<int>(type)) + " v=" + std::to_string(version) +
         " t=" + std::to_string(t) + " m=" + std::to_string(m) + " p=" + std::to_string(p) +
         " threads=" + std::to_string(threads);
}

// RFC 9106 section 5: t=3, m=32 KiB, p=4, password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03,
// associated data 12 x 0x04, 32-byte tag.
std::string rfc9106(Argon2Type type) {
  Bytes pwd(32, 0x01), salt(16, 0x02), secret(8, 0x03), ad(12, 0x04), out(32);
  Argon2Params p;
  p.type = type;
  p.t = 3, p.m_kib = 32, p.p = 4;
  argon2_raw(std::string_view(reinterpret_cast<const char*>(pwd.data()), pwd.size()), salt, secret, ad, p, 4, out);
  return to_hex(out.data(), out.size());
}

TEST(Argon2, Rfc9106TestVectors) {
  EXPECT_EQ(rfc9106(Argon2Type::kId), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  EXPECT_EQ(rfc9106(Argon2Type::kD), "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb");
  EXPECT_EQ(rfc9106(Argon2Type::kI), "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8");
}

// Restores the implementation a test switched away from.
class ImplementationGuard {
 public:
  ImplementationGuard() : saved_(argon2_implementation()) {}
  ~ImplementationGuard() { set_argon2_implementation(saved_); }

 private:
  std::string saved_;
};

TEST(Argon2, Rfc9106TestVectorsWithEveryImplementation) {
  ImplementationGuard guard;
  std::vector<std::string> impls = argon2_implementations();
  ASSERT_FALSE(impls.empty());
  EXPECT_EQ(impls.back(), "libargon2");
  for (const auto& impl : impls) {
    SCOPED_TRACE(impl);
    set_argon2_implementation(impl);
    EXPECT_EQ(argon2_implementation(), impl);
    EXPECT_EQ(rfc9106(Argon2Type::kId), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    EXPECT_EQ(rfc9106(Argon2Type::kD), "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb");
    EXPECT_EQ(rfc9106(Argon2Type::kI), "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8");
  }
}

// Every optimised variant this CPU runs gives libargon2's bytes: all three types, both versions,
// one to several lanes (computed on one thread and on several), passes 1-3, memory from the
// minimum (8 KiB per lane) to sizes that are not a multiple of 4 x lanes, secret and associated
// data present or not, tags from 4 to 100 bytes (longer than one BLAKE2b output).
TEST(Argon2, OptimisedCoreMatchesLibargon2) {
  ImplementationGuard guard;
  struct Case {
    Argon2Type type;
    std::uint32_t version, t, m_kib, p, threads;
    std::size_t out, salt, secret, ad, pwd;
  };
  const Case cases[] = {
      {Argon2Type::kId, 0x13, 1, 8, 1, 1, 32, 16, 0, 0, 8},
      {Argon2Type::kId, 0x13, 3, 1024, 1, 1, 32, 16, 0, 0, 12},
      {Argon2Type::kId, 0x13, 2, 1000, 2, 2, 32, 16, 8, 12, 0},
      {Argon2Type::kId, 0x13, 2, 2048, 4, 1, 64, 32, 0, 0, 64},
      {Argon2Type::kId, 0x13, 1, 777, 3, 3, 100, 8, 32, 0, 20},
      {Argon2Type::kId, 0x10, 2, 512, 2, 1, 16, 16, 0, 5, 3},
      {Argon2Type::kI, 0x13, 3, 256, 1, 1, 32, 16, 0, 0, 10},
      {Argon2Type::kI, 0x13, 1, 4096, 8, 4, 4, 16, 16, 16, 128},
      {Argon2Type::kI, 0x10, 4, 96, 4, 4, 32, 12, 0, 0, 1},
      {Argon2Type::kD, 0x13, 2, 1536, 1, 1, 32, 16, 0, 0, 7},
      {Argon2Type::kD, 0x13, 3, 333, 5, 2, 65, 20, 4, 4, 33},
      {Argon2Type::kD, 0x10, 1, 64, 1, 1, 32, 16, 0, 0, 0},
  };
  std::vector<std::string> impls = argon2_implementations();
  for (const Case& c : cases) {
    Argon2Params params;
    params.type = c.type, params.version = c.version, params.t = c.t, params.m_kib = c.m_kib, params.p = c.p;
    std::string pwd;
    for (std::size_t i = 0; i < c.pwd; ++i) pwd += static_cast<char>((i * 37 + c.m_kib) & 0xFF);
    Bytes salt(c.salt), secret(c.secret), ad(c.ad);
    for (std::size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<unsigned char>(i * 11 + 1);
    for (std::size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<unsigned char>(0xA0 ^ i);
    for (std::size_t i = 0; i < ad.size(); ++i) ad[i] = static_cast<unsigned char>(0x5C + i);
    set_argon2_implementation("libargon2");
    Bytes want(c.out);
    argon2_raw(pwd, salt, secret, ad, params, c.threads, want);
    for (const auto& impl : impls) {
      SCOPED_TRACE(fmt_case(impl, c.type, c.version, c.t, c.m_kib, c.p, c.threads));
      set_argon2_implementation(impl);
      Bytes got(c.out);
      argon2_raw(pwd, salt, secret, ad, params, c.threads, got);
      EXPECT_EQ(to_hex(got.data(), got.size()), to_hex(want.data(), want.size()));
    }
  }
  // PHC round trip across implementations: hashed by one, verified by every other.
  for (const auto& a : impls) {
    set_argon2_implementation(a);
    std::string phc_text = hash_password("correct horse", *argon2_profile("owasp"));
    std::string error;
    auto phc = parse_phc(phc_text, error);
    ASSERT_TRUE(phc) << error;
    for (const auto& b : impls) {
      set_argon2_implementation(b);
      EXPECT_TRUE(verify_password("correct horse", *phc)) << a << " -> " << b;
      EXPECT_FALSE(verify_password("correct horsf", *phc)) << a << " -> " << b;
    }
  }
}

TEST(Argon2, ForcingTheImplementation) {
  ImplementationGuard guard;
  set_argon2_implementation("libargon2");
  EXPECT_EQ(argon2_implementation(), "libargon2");
  // Unknown names (and, on x86-64 CPUs without it, "avx512f") are refused and change nothing.
  for (const char* bad : {"", "AVX2", "neon", "avx2 ", "libargon"}) {
    try {
      set_argon2_implementation(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.kind(), core::ErrorKind::kUsage);
      EXPECT_NE(std::string(e.what()).find("libargon2"), std::string::npos) << e.what();
    }
    EXPECT_EQ(argon2_implementation(), "libargon2");
  }
  for (const std::string name : {"avx512f", "avx2", "ssse3", "sse2"}) {
    auto impls = argon2_implementations();
    bool runs_here = std::find(impls.begin(), impls.end(), name) != impls.end();
    if (runs_here) {
      set_argon2_implementation(name);
      EXPECT_EQ(argon2_implementation(), name);
    } else {
      EXPECT_THROW(set_argon2_implementation(name), core::Error) << name;
    }
  }
  set_argon2_implementation("auto");
  EXPECT_EQ(argon2_implementation(), argon2_implementations().front());
}

TEST(Argon2, PhcRoundTripAndStrictParsing) {
  Argon2Params p = *argon2_profile("owasp");
  std::string phc = hash_password("hunter2", p);
  EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << phc;
  std::string err;
  auto parsed = parse_phc(phc, err);
  ASSERT_TRUE(parsed) << err;
  EXPECT_TRUE(verify_password("hunter2", *parsed));
  EXPECT_FALSE(verify_password("hunter3", *parsed));
  EXPECT_FALSE(verify_password("", *parsed));
  EXPECT_EQ(format_phc(parsed->params, parsed->salt, parsed->hash), phc);
  // Without v= the string means version 1.0 (0x10).
  auto old = parse_phc("$argon2i$m=4096,t=3,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A", err);
  ASSERT_TRUE(old) << err;
  EXPECT_EQ(old->params.version, 0x10u);
  for (const char* bad : {"", "argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "$scrypt$ln=1$a$b",
                          "$argon2id$v=19$t=2,m=19456,p=1$c29tZXNhbHQ$aGFzaGhhc2g",
                          "$argon2id$v=19$m=19456,t=2$c29tZXNhbHQ$aGFzaGhhc2g",
                          "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ=$aGFzaGhhc2g",
                          "$argon2id$v=19$m=19456,t=2,p=1$c29t$aGFzaGhhc2g",
                          "$argon2id$v=18$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2g",
                          "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2g$extra",
                          "$argon2id$v=19$m=019456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2g"}) {
    EXPECT_FALSE(parse_phc(bad, err)) << bad;
    EXPECT_FALSE(err.empty());
  }
}

TEST(Argon2, WeakParametersAndRehash) {
  EXPECT_FALSE(below_owasp(*argon2_profile("owasp")));
  EXPECT_FALSE(below_owasp(*argon2_profile("rfc9106")));
  EXPECT_FALSE(below_owasp(*argon2_profile("rfc9106-high")));
  Argon2Params weak = *argon2_profile("owasp");
  weak.t = 1;  // 19 MiB needs t >= 2
  EXPECT_TRUE(below_owasp(weak));
  weak.m_kib = 47104;  // 46 MiB with t = 1 is an OWASP configuration
  EXPECT_FALSE(below_owasp(weak));
  weak.m_kib = 4096, weak.t = 10;
  EXPECT_TRUE(below_owasp(weak));
  std::string err;
  auto phc = parse_phc(hash_password("x", *argon2_profile("owasp")), err);
  ASSERT_TRUE(phc);
  EXPECT_TRUE(needs_rehash(*phc, *argon2_profile("rfc9106")));
  EXPECT_FALSE(needs_rehash(*phc, *argon2_profile("owasp")));
  phc->params.type = Argon2Type::kI;
  EXPECT_TRUE(needs_rehash(*phc, *argon2_profile("owasp")));
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13-16 (AES-256).
TEST(Gcm, McGrewViegaVectors) {
  struct Case {
    std::string key, iv, plain, aad, cipher, tag;
  };
  const std::string zeros(64, '0');
  const std::string k15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
  const std::string p15 =
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
  const std::string c15 =
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
  const Case cases[] = {
      {zeros, std::string(24, '0'), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
      {zeros, std::string(24, '0'), std::string(32, '0'), "", "cea7403d4d606b6e074ec5d3baf39d18",
       "d0d1c8a799996bf0265b98b5d48ab919"},
      {k15, "cafebabefacedbaddecaf888", p15, "", c15, "b094dac5d93471bdec1a502270e3cc6c"},
      {k15, "cafebabefacedbaddecaf888", p15.substr(0, 120), "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       c15.substr(0, 120), "76fc6ece0f4e1768cddf8853bb2d551b"},
  };
  for (const auto& c : cases) {
    Bytes key = hex(c.key), iv = hex(c.iv), aad = hex(c.aad), plain = hex(c.plain), want = hex(c.cipher);
    Bytes cipher(plain.size() + 1);
    unsigned char tag[16];
    gcm_encrypt(key, iv, aad, plain, cipher.data(), tag);
    EXPECT_EQ(to_hex(cipher.data(), plain.size()), c.cipher);
    EXPECT_EQ(to_hex(tag, 16), c.tag);
    Bytes back(plain.size() + 1);
    EXPECT_TRUE(gcm_decrypt(key, iv, aad, std::span<const unsigned char>(cipher.data(), plain.size()), tag, back.data()));
    back.resize(plain.size());
    EXPECT_EQ(back, plain);
    tag[0] ^= 1;
    EXPECT_FALSE(gcm_decrypt(key, iv, aad, std::span<const unsigned char>(cipher.data(), plain.size()), tag, back.data()));
  }
}

struct MemSource : ByteSource {
  const Bytes& data;
  std::size_t pos = 0, step;
  explicit MemSource(const Bytes& d, std::size_t s = 1 << 20) : data(d), step(s) {}
  std::size_t read(unsigned char* buf, std::size_t n) override {
    n = std::min({n, data.size() - pos, step});
    if (n > 0) std::memcpy(buf, data.data() + pos, n);
    pos += n;
    return n;
  }
};

struct MemSink : ByteSink {
  Bytes data;
  void write(const unsigned char* buf, std::size_t n) override { data.insert(data.end(), buf, buf + n); }
};

KeyMaterial key_of(unsigned char fill) {
  KeyMaterial k;
  Bytes raw(kKeySize, fill);
  k.secret = Secret(raw.data(), raw.size());
  return k;
}

KeyMaterial passphrase(const char* text) {
  KeyMaterial k;
  k.passphrase = true;
  k.secret = Secret(text, std::strlen(text));
  k.kdf = *argon2_profile("owasp");
  return k;
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(i * 131 + (i >> 9));
  return b;
}

Bytes seal(const Bytes& plain, const KeyMaterial& k, std::size_t step = 1 << 20) {
  MemSource src(plain, step);
  MemSink out;
  encrypt(src, out, k);
  return out.data;
}

Bytes open_ok(const Bytes& sealed, const KeyMaterial& k) {
  MemSource src(sealed, 777777);
  MemSink out;
  decrypt(src, out, k);
  return out.data;
}

std::string open_error(const Bytes& sealed, const KeyMaterial& k) {
  MemSource src(sealed);
  MemSink out;
  try {
    decrypt(src, out, k);
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

TEST(Vault, RoundTripsAtChunkAndBatchBoundaries) {
  KeyMaterial k = key_of(7);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, kChunkSize - 1, kChunkSize, kChunkSize + 1,
                        std::size_t{3} * 1024 * 1024 + 7, std::size_t{128} * kChunkSize, std::size_t{128} * kChunkSize + 1,
                        std::size_t{257} * kChunkSize}) {
    Bytes plain = pattern(n);
    Bytes sealed = seal(plain, k, 100000);  // reads that do not align with chunks
    std::size_t chunks = n == 0 ? 1 : (n + kChunkSize - 1) / kChunkSize;
    EXPECT_EQ(sealed.size(), kHeaderSize + n + chunks * kTagSize) << n;
    EXPECT_EQ(open_ok(sealed, k), plain) << n;
  }
  Bytes plain = pattern(200000);
  EXPECT_EQ(open_ok(seal(plain, passphrase("correct horse")), passphrase("correct horse")), plain);
  // Two encryptions of the same data differ (random salt -> per-file key).
  EXPECT_NE(seal(plain, k), seal(plain, k));
}

TEST(Vault, EveryTamperingIsRejected) {
  KeyMaterial k = key_of(9);
  Bytes plain = pattern(4 * kChunkSize + 1000);  // 5 chunks, the last short
  Bytes good = seal(plain, k);
  const std::size_t rec = kChunkSize + kTagSize;
  auto expect = [&](const Bytes& b, const char* needle) {
    std::string e = open_error(b, k);
    EXPECT_NE(e.find(needle), std::string::npos) << "got: " << e;
  };
  for (std::size_t off : {std::size_t{0}, std::size_t{8}, std::size_t{9}, std::size_t{10}, std::size_t{11},
                          std::size_t{30}, std::size_t{60}}) {
    Bytes b = good;
    b[off] ^= 0x01;
    EXPECT_FALSE(open_error(b, k).empty()) << "header byte " << off;
  }
  Bytes b = good;
  b[kHeaderSize + 2 * rec + 5] ^= 0x80;  // chunk 2 ciphertext
  expect(b, "authentication failed: chunk 2");
  b = good;
  b[kHeaderSize + rec - 1] ^= 0x01;  // chunk 0 tag
  expect(b, "authentication failed: chunk 0");
  b = good;
  b.resize(kHeaderSize + 4 * rec);  // drop the final chunk: a clean chunk boundary
  expect(b, "truncated: the file ends after chunk 3");
  b = good;
  b.resize(b.size() - 10);  // inside the final chunk
  expect(b, "authentication failed");
  b = good;
  b.resize(kHeaderSize + 4 * rec + 5);  // fewer bytes than a tag
  expect(b, "truncated inside chunk 4");
  b = good;
  b.insert(b.end(), good.end() - 1016, good.end());  // the final chunk twice
  expect(b, "authentication failed");
  b = good;
  std::swap_ranges(b.begin() + kHeaderSize, b.begin() + kHeaderSize + rec, b.begin() + kHeaderSize + rec);
  expect(b, "authentication failed: chunk 0");
  b = good;
  std::copy(good.begin() + kHeaderSize, good.begin() + kHeaderSize + rec, b.begin() + kHeaderSize + rec);
  expect(b, "authentication failed: chunk 1");  // chunk 0 duplicated over chunk 1
  // Splicing a chunk from another file under the same key.
  Bytes other = seal(plain, k);
  b = good;
  std::copy(other.begin() + kHeaderSize + rec, other.begin() + kHeaderSize + 2 * rec, b.begin() + kHeaderSize + rec);
  expect(b, "authentication failed: chunk 1");
  // A whole extra chunk after the final one (from a longer file).
  Bytes longer_plain = pattern(6 * kChunkSize);
  Bytes longer = seal(longer_plain, k);
  b = seal(pattern(5 * kChunkSize), k);
  Bytes extended = b;
  extended.insert(extended.end(), b.end() - rec, b.end());
  expect(extended, "authentication failed");
  expect(Bytes(good.begin(), good.begin() + kHeaderSize), "truncated: no chunk after the header");
  expect(Bytes(good.begin(), good.begin() + 40), "truncated header");
  expect(Bytes{'h', 'e', 'l', 'l', 'o'}, "not an obscore encrypted file");
  EXPECT_EQ(open_error(good, k), "");  // the untouched file opens
  EXPECT_NE(open_error(good, key_of(10)).find("wrong key"), std::string::npos);
  Bytes pp = seal(plain, passphrase("right"));
  EXPECT_NE(open_error(pp, passphrase("wrong")).find("wrong passphrase"), std::string::npos);
  EXPECT_NE(open_error(pp, k).find("passphrase, not a key file"), std::string::npos);
  EXPECT_NE(open_error(good, passphrase("right")).find("key file, not a passphrase"), std::string::npos);
  KeyMaterial small = passphrase("right");
  small.max_memory = 1 << 20;
  EXPECT_NE(open_error(pp, small).find("--max-memory"), std::string::npos);
}

TEST(Vault, PlaintextOnlyAfterItsTagVerified) {
  KeyMaterial k = key_of(3);
  Bytes plain = pattern(300 * kChunkSize);  // three batches
  Bytes b = seal(plain, k);
  const std::size_t rec = kChunkSize + kTagSize;
  b[kHeaderSize + 200 * rec + 3] ^= 1;  // chunk 200, in the second batch
  MemSource src(b);
  MemSink out;
  EXPECT_THROW(decrypt(src, out, k), core::Error);
  EXPECT_EQ(out.data.size(), 200 * kChunkSize);  // chunks 0-199 verified, nothing of 200 on
  EXPECT_TRUE(std::equal(out.data.begin(), out.data.end(), plain.begin()));
}

}  // namespace
}  // namespace obscore::crypto
