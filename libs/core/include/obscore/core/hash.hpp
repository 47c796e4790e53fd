// Content hashing for caches (SHA-256 via OpenSSL; hardware-accelerated where available).
#pragma once

#include <string>
#include <string_view>

namespace obscore::core {

// Lower-case hex SHA-256 of the concatenation of `parts`.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

}  // namespace obscore::core
