// SHA-256 through OpenSSL's EVP interface (SHA-NI / AVX2 code paths where the CPU has them).
#include "obscore/core/hash.hpp"

#include <openssl/evp.h>

#include <memory>

#include <fmt/format.h>

namespace obscore::core {

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (auto p : parts) {
    // Length-prefix each part so ("ab","c") and ("a","bc") differ.
    auto len = static_cast<std::uint64_t>(p.size());
    EVP_DigestUpdate(ctx.get(), &len, sizeof len);
    EVP_DigestUpdate(ctx.get(), p.data(), p.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &md_len);
  std::string hex;
  hex.reserve(std::size_t{md_len} * 2);
  for (unsigned int i = 0; i < md_len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

}  // namespace obscore::core
