// Atomic output files and the interrupt handler that removes a pending temp file.
#include "obscore/core/atomic_file.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "obscore/core/error.hpp"

namespace obscore::core {

namespace {

// The temp file an interrupt must remove. A fixed buffer: the signal handler may only read it.
char g_pending[4096];
std::atomic<bool> g_has_pending{false};

void set_pending(const std::string& path) {
  g_has_pending.store(false);
  if (path.size() < sizeof g_pending) {
    std::memcpy(g_pending, path.c_str(), path.size() + 1);
    g_has_pending.store(true);
  }
}

void clear_pending() { g_has_pending.store(false); }

extern "C" void on_interrupt(int /*sig*/) {
  if (g_has_pending.load()) ::unlink(g_pending);
  ::_exit(130);
}

}  // namespace

AtomicFile::AtomicFile(std::string path, unsigned mode) : path_(std::move(path)) {
  std::string dir = ".";
  std::string base = path_;
  if (auto slash = path_.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? "/" : path_.substr(0, slash);
    base = path_.substr(slash + 1);
  }
  if (base.empty()) throw Error(ErrorKind::kUsage, "output path names a directory", path_);
  std::string tmpl = (dir == "/" ? "" : dir) + "/." + base + ".tmp.XXXXXX";
  std::string buf = tmpl;
  // An interrupt between creating the temp file and registering it would leave it behind:
  // SIGINT/SIGTERM wait until it is registered (the handler then removes it).
  sigset_t block, saved;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &block, &saved);
  int fd = ::mkstemp(buf.data());
  int err = errno;
  if (fd >= 0) set_pending(buf);
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (fd < 0) {
    throw Error(ErrorKind::kInput,
                fmt::format("cannot create output file: {}", std::strerror(err)), path_);
  }
  ::fchmod(fd, static_cast<mode_t>(mode) & ~[] { mode_t m = ::umask(0); ::umask(m); return m; }());
  temp_path_ = buf;
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    ::unlink(temp_path_.c_str());
    clear_pending();
    throw Error(ErrorKind::kInput, "cannot open output file", path_);
  }
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    clear_pending();
  }
}

void AtomicFile::write(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    throw Error(ErrorKind::kInput, fmt::format("cannot write: {}", std::strerror(errno)), path_);
  }
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
    throw Error(ErrorKind::kInput, fmt::format("cannot write: {}", std::strerror(errno)), path_);
  }
  std::fclose(file_);
  file_ = nullptr;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path_.c_str());
    clear_pending();
    throw Error(ErrorKind::kInput, fmt::format("cannot replace output file: {}", std::strerror(err)),
                path_);
  }
  committed_ = true;
  clear_pending();
}

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGHUP, &sa, nullptr);
  // A closed pipe (`obscore ... | head`) should end quietly, not kill us mid-write with a
  // temp file left behind: writes then fail with EPIPE, which the output layer reports.
  ::signal(SIGPIPE, SIG_IGN);
}

}  // namespace obscore::core
