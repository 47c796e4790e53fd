// Atomic output files and the interrupt handler that removes a pending temp file.
#include "obscore/core/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

#include "obscore/core/error.hpp"

namespace obscore::core {

namespace {

// Temp files an interrupt must remove: fixed slots, because the signal handler may only read
// memory and call async-signal-safe functions. A slot is claimed (kFilling) before its file is
// created and marked kPending once the name is in place, so no window leaves a file unlisted.
constexpr int kFree = 0;
constexpr int kFilling = 1;
constexpr int kPending = 2;
struct Slot {
  std::atomic<int> state{kFree};
  char path[4096];
};
Slot g_slots[64];
static_assert(std::atomic<int>::is_always_lock_free);

// Claiming and releasing hold a mutex (the signal handler never takes it): release compares
// paths, which must not race with a claim writing a freed slot's path.
std::mutex g_slots_mutex;

Slot* claim(const std::string& path) {
  if (path.size() >= sizeof Slot::path) return nullptr;
  std::lock_guard lock(g_slots_mutex);
  for (Slot& slot : g_slots) {
    if (slot.state.load() == kFree) {
      slot.state.store(kFilling);
      std::memcpy(slot.path, path.c_str(), path.size() + 1);
      slot.state.store(kPending);
      return &slot;
    }
  }
  return nullptr;
}

void release(Slot* slot) {
  if (slot == nullptr) return;
  std::lock_guard lock(g_slots_mutex);
  slot->state.store(kFree);
}

void release(const std::string& path) {
  std::lock_guard lock(g_slots_mutex);
  for (Slot& slot : g_slots) {
    if (slot.state.load() == kPending && path == slot.path) {
      slot.state.store(kFree);
      return;
    }
  }
}

extern "C" void on_interrupt(int /*sig*/) {
  for (Slot& slot : g_slots) {
    if (slot.state.load() == kPending) ::unlink(slot.path);
  }
  ::_exit(130);
}

std::string random_suffix() {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char bytes[10];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy source: the pid and a clock still make a collision unlikely, and O_EXCL
    // makes one harmless.
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    std::uint64_t x = static_cast<std::uint64_t>(ts.tv_nsec) ^
                      (static_cast<std::uint64_t>(::getpid()) << 32) ^
                      static_cast<std::uint64_t>(ts.tv_sec);
    for (auto& b : bytes) b = static_cast<unsigned char>(x >>= 6);
  }
  std::string s;
  for (unsigned char b : bytes) s += kAlphabet[b % (sizeof kAlphabet - 1)];
  return s;
}

mode_t current_umask() {
  mode_t m = ::umask(0);
  ::umask(m);
  return m;
}

}  // namespace

int create_temp_file(const std::string& target, unsigned mode, std::string& temp_path) {
  std::string dir;
  std::string base = target;
  if (auto slash = target.rfind('/'); slash != std::string::npos) {
    dir = target.substr(0, slash + 1);
    base = target.substr(slash + 1);
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string candidate = fmt::format("{}.{}.tmp.{}", dir, base, random_suffix());
    Slot* slot = claim(candidate);
    int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = errno;
    if (fd >= 0) {
      ::fchmod(fd, static_cast<mode_t>(mode) & ~current_umask());
      temp_path = std::move(candidate);
      return fd;
    }
    release(slot);
    if (err != EEXIST) {
      errno = err;
      return -1;
    }
  }
  errno = EEXIST;
  return -1;
}

void forget_temp_file(const std::string& temp_path) { release(temp_path); }

bool write_file_atomically(const std::string& path, std::string_view data, unsigned mode) {
  std::string tmp;
  int fd = create_temp_file(path, mode, tmp);
  if (fd < 0) return false;
  bool ok = true;
  for (std::size_t done = 0; ok && done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  forget_temp_file(tmp);
  return ok;
}

AtomicFile::AtomicFile(std::string path, unsigned mode) : path_(std::move(path)) {
  if (path_.empty() || path_.back() == '/') {
    throw Error(ErrorKind::kUsage, "output path names a directory", path_);
  }
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::kUsage, "output path names a directory", path_);
    // A device, FIFO or socket (-o /dev/null, /dev/stdout, a named pipe): written in place, as a
    // shell redirection would. There is no file to replace, and a rename would replace the
    // device node itself (as root: /dev/null turned into a regular file).
    int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || (file_ = ::fdopen(fd, "wb")) == nullptr) {
      int err = errno;
      if (fd >= 0) ::close(fd);
      throw Error(ErrorKind::kInput, fmt::format("cannot open output: {}", std::strerror(err)), path_);
    }
    in_place_ = true;
    return;
  }
  int fd = create_temp_file(path_, mode, temp_path_);
  if (fd < 0) {
    throw Error(ErrorKind::kInput,
                fmt::format("cannot create output file: {}", std::strerror(errno)), path_);
  }
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    ::unlink(temp_path_.c_str());
    forget_temp_file(temp_path_);
    throw Error(ErrorKind::kInput, "cannot open output file", path_);
  }
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    forget_temp_file(temp_path_);
  }
}

void AtomicFile::write(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    throw Error(ErrorKind::kInput, fmt::format("cannot write: {}", std::strerror(errno)), path_);
  }
}

void AtomicFile::commit() {
  if (in_place_) {  // a device or pipe: nothing to sync or rename
    bool ok = std::fflush(file_) == 0;
    int err = errno;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    if (!ok) throw Error(ErrorKind::kInput, fmt::format("cannot write: {}", std::strerror(err)), path_);
    committed_ = true;
    return;
  }
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
    throw Error(ErrorKind::kInput, fmt::format("cannot write: {}", std::strerror(errno)), path_);
  }
  std::fclose(file_);
  file_ = nullptr;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_path_.c_str());
    forget_temp_file(temp_path_);
    throw Error(ErrorKind::kInput, fmt::format("cannot replace output file: {}", std::strerror(err)),
                path_);
  }
  committed_ = true;
  forget_temp_file(temp_path_);
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
