// TLS client sessions for the "tls-http" probe (HTTP inside TLS), on OpenSSL's libssl.so.3
// opened on first use, as libs/core opens libcrypto: a scan that never meets TLS loads nothing.
// Without libssl the probe is skipped and a TLS port is reported from its ServerHello alone.
#pragma once

#include <string>

namespace obscore::netscan::tls {

// Whether libssl.so.3 could be opened (tried once).
bool available();

// One client session on a connected non-blocking socket; certificates are not verified (the
// probe asks who answers, it trusts nothing it is told).
class Session {
 public:
  enum class Step { kDone, kWantRead, kWantWrite, kFailed };
  explicit Session(int fd);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  bool ok() const { return ssl_ != nullptr; }
  Step handshake();
  // Writes all of `data` (small: one record); false when the session failed.
  bool write(std::string_view data);
  // Appends what is readable; kDone when the peer closed, kWantRead when more may come.
  Step read(std::string& into, std::size_t limit);
  std::string version() const;  // "TLSv1.3"

 private:
  void* ssl_ = nullptr;
};

}  // namespace obscore::netscan::tls
