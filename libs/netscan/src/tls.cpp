// libssl.so.3 opened with dlopen on first use; the few functions the probe calls are resolved
// once (their types taken from OpenSSL's own header, so a signature mismatch does not compile).
#include "tls.hpp"

#include <dlfcn.h>

#include <openssl/ssl.h>

namespace obscore::netscan::tls {

namespace {

struct Api {
  decltype(&::TLS_client_method) client_method = nullptr;
  decltype(&::SSL_CTX_new) ctx_new = nullptr;
  decltype(&::SSL_new) ssl_new = nullptr;
  decltype(&::SSL_free) ssl_free = nullptr;
  decltype(&::SSL_set_fd) set_fd = nullptr;
  decltype(&::SSL_connect) connect = nullptr;
  decltype(&::SSL_get_error) get_error = nullptr;
  decltype(&::SSL_write) write = nullptr;
  decltype(&::SSL_read) read = nullptr;
  decltype(&::SSL_get_version) get_version = nullptr;
  SSL_CTX* ctx = nullptr;  // one for the process, never freed (lives as long as the library)
};

const Api* api() {
  static const Api* loaded = []() -> const Api* {
    void* h = ::dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return nullptr;
    static Api a;
    bool ok = true;
    auto get = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(h, name));
      ok = ok && fn != nullptr;
    };
    get(a.client_method, "TLS_client_method");
    get(a.ctx_new, "SSL_CTX_new");
    get(a.ssl_new, "SSL_new");
    get(a.ssl_free, "SSL_free");
    get(a.set_fd, "SSL_set_fd");
    get(a.connect, "SSL_connect");
    get(a.get_error, "SSL_get_error");
    get(a.write, "SSL_write");
    get(a.read, "SSL_read");
    get(a.get_version, "SSL_get_version");
    if (!ok) return nullptr;
    a.ctx = a.ctx_new(a.client_method());  // verification mode defaults to none for clients
    return a.ctx != nullptr ? &a : nullptr;
  }();
  return loaded;
}

}  // namespace

bool available() { return api() != nullptr; }

Session::Session(int fd) {
  const Api* a = api();
  if (a == nullptr) return;
  SSL* s = a->ssl_new(a->ctx);
  if (s == nullptr) return;
  if (a->set_fd(s, fd) != 1) {
    a->ssl_free(s);
    return;
  }
  ssl_ = s;
}

Session::~Session() {
  if (ssl_ != nullptr) api()->ssl_free(static_cast<SSL*>(ssl_));
}

Session::Step Session::handshake() {
  const Api* a = api();
  auto* s = static_cast<SSL*>(ssl_);
  int rc = a->connect(s);
  if (rc == 1) return Step::kDone;
  switch (a->get_error(s, rc)) {
    case SSL_ERROR_WANT_READ: return Step::kWantRead;
    case SSL_ERROR_WANT_WRITE: return Step::kWantWrite;
    default: return Step::kFailed;
  }
}

bool Session::write(std::string_view data) {
  auto* s = static_cast<SSL*>(ssl_);
  return api()->write(s, data.data(), static_cast<int>(data.size())) == static_cast<int>(data.size());
}

Session::Step Session::read(std::string& into, std::size_t limit) {
  const Api* a = api();
  auto* s = static_cast<SSL*>(ssl_);
  char buf[4096];
  while (into.size() < limit) {
    int n = a->read(s, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    int e = a->get_error(s, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return Step::kWantRead;
    return Step::kDone;
  }
  return Step::kDone;
}

std::string Session::version() const { return api()->get_version(static_cast<SSL*>(ssl_)); }

}  // namespace obscore::netscan::tls
