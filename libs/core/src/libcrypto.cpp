// OpenSSL's libcrypto, loaded on first use. Linked normally, libcrypto.so.3 cost every run
// ~1.4 MB of resident pages at start-up (its relocated tables), also the runs that never encrypt
// or hash: netscan, logscan, config, correlate. The 28 functions obscore calls are defined here
// and forward to libcrypto, opened with dlopen the first time one of them is called. Callers
// include the OpenSSL headers as usual; the functions keep their signatures exactly.
//
// A missing library or symbol throws core::Error (internal, exit 4), as app::run reports it.
//
// OPENSSL_cleanse is explicit_bzero (glibc): wiping a secret must not load a library, and
// explicit_bzero is as sure not to be optimised away.
#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>
#include <string>

#include "obscore/core/error.hpp"

namespace {

void* libcrypto() {
  static void* handle = [] {
    void* h = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) {
      // As when the dynamic linker cannot find a library: the command cannot go on (exit 4).
      throw obscore::core::Error(obscore::core::ErrorKind::kInternal,
                                 std::string("cannot load OpenSSL's libcrypto.so.3 (Debian package libssl3): ") +
                                     ::dlerror());
    }
    return h;
  }();
  return handle;
}

template <typename F>
F resolve(const char* name) {
  void* f = ::dlsym(libcrypto(), name);
  if (f == nullptr) {
    throw obscore::core::Error(obscore::core::ErrorKind::kInternal,
                               std::string("libcrypto.so.3 has no ") + name + ": " + ::dlerror());
  }
  return reinterpret_cast<F>(f);
}

}  // namespace

// Each forwarder resolves its function once (a thread-safe static) and calls it.
#define OBSCORE_FORWARD(ret, name, params, args)                  \
  extern "C" ret name params {                                    \
    static const auto real = resolve<ret(*) params>(#name); /* NOLINT(bugprone-macro-parentheses) */ \
    return real args; /* NOLINT(bugprone-macro-parentheses): a parameter list, not an expression */ \
  }

OBSCORE_FORWARD(int, CRYPTO_memcmp, (const void* a, const void* b, size_t len), (a, b, len))
OBSCORE_FORWARD(int, EVP_CIPHER_CTX_ctrl, (EVP_CIPHER_CTX * ctx, int type, int arg, void* ptr), (ctx, type, arg, ptr))
OBSCORE_FORWARD(void, EVP_CIPHER_CTX_free, (EVP_CIPHER_CTX * c), (c))
OBSCORE_FORWARD(EVP_CIPHER_CTX*, EVP_CIPHER_CTX_new, (void), ())
OBSCORE_FORWARD(int, EVP_DecryptInit_ex,
                (EVP_CIPHER_CTX * ctx, const EVP_CIPHER* cipher, ENGINE* impl, const unsigned char* key,
                 const unsigned char* iv),
                (ctx, cipher, impl, key, iv))
OBSCORE_FORWARD(int, EVP_DecryptUpdate,
                (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl, const unsigned char* in, int inl),
                (ctx, out, outl, in, inl))
OBSCORE_FORWARD(int, EVP_DecryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char* outm, int* outl), (ctx, outm, outl))
OBSCORE_FORWARD(int, EVP_EncryptInit_ex,
                (EVP_CIPHER_CTX * ctx, const EVP_CIPHER* cipher, ENGINE* impl, const unsigned char* key,
                 const unsigned char* iv),
                (ctx, cipher, impl, key, iv))
OBSCORE_FORWARD(int, EVP_EncryptUpdate,
                (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl, const unsigned char* in, int inl),
                (ctx, out, outl, in, inl))
OBSCORE_FORWARD(int, EVP_EncryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl), (ctx, out, outl))
OBSCORE_FORWARD(EVP_MD_CTX*, EVP_MD_CTX_new, (void), ())
OBSCORE_FORWARD(void, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
OBSCORE_FORWARD(int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD* type, ENGINE* impl), (ctx, type, impl))
OBSCORE_FORWARD(int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void* d, size_t cnt), (ctx, d, cnt))
OBSCORE_FORWARD(int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char* md, unsigned int* s), (ctx, md, s))
OBSCORE_FORWARD(EVP_KDF*, EVP_KDF_fetch, (OSSL_LIB_CTX * libctx, const char* algorithm, const char* properties),
                (libctx, algorithm, properties))
OBSCORE_FORWARD(void, EVP_KDF_free, (EVP_KDF * kdf), (kdf))
OBSCORE_FORWARD(EVP_KDF_CTX*, EVP_KDF_CTX_new, (EVP_KDF * kdf), (kdf))
OBSCORE_FORWARD(void, EVP_KDF_CTX_free, (EVP_KDF_CTX * ctx), (ctx))
OBSCORE_FORWARD(int, EVP_KDF_derive, (EVP_KDF_CTX * ctx, unsigned char* key, size_t keylen, const OSSL_PARAM params[]),
                (ctx, key, keylen, params))
OBSCORE_FORWARD(const EVP_CIPHER*, EVP_aes_256_gcm, (void), ())
OBSCORE_FORWARD(const EVP_MD*, EVP_sha256, (void), ())
OBSCORE_FORWARD(unsigned char*, HMAC,
                (const EVP_MD* evp_md, const void* key, int key_len, const unsigned char* data, size_t data_len,
                 unsigned char* md, unsigned int* md_len),
                (evp_md, key, key_len, data, data_len, md, md_len))
OBSCORE_FORWARD(OSSL_PARAM, OSSL_PARAM_construct_end, (void), ())
OBSCORE_FORWARD(OSSL_PARAM, OSSL_PARAM_construct_octet_string, (const char* key, void* buf, size_t bsize),
                (key, buf, bsize))
OBSCORE_FORWARD(OSSL_PARAM, OSSL_PARAM_construct_utf8_string, (const char* key, char* buf, size_t bsize),
                (key, buf, bsize))
OBSCORE_FORWARD(int, RAND_bytes, (unsigned char* buf, int num), (buf, num))

extern "C" void OPENSSL_cleanse(void* ptr, size_t len) { ::explicit_bzero(ptr, len); }
