// The `crypto` runners: where secrets come from (files, environment, a terminal prompt with echo
// off), file I/O around the vault format, and the parallel hash/verify batches.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <type_traits>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "obscore/core/atomic_file.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/crypto/crypto.hpp"

namespace obscore::crypto {

using core::Json;

namespace {

using core::Error;
using core::ErrorKind;

std::string display(const std::string& path) { return path == "-" ? "<stdin>" : path; }

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  std::size_t read(unsigned char* buf, std::size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno == EINTR) continue;
      throw Error(ErrorKind::kInput, "read failed: " + core::errno_message(errno), name_);
    }
  }

 private:
  int fd_;
  std::string name_;
};

class FdSink : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void write(const unsigned char* buf, std::size_t n) override {
    while (n > 0) {
      ssize_t w = ::write(fd_, buf, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EPIPE) throw core::ReaderGone();
        throw Error(ErrorKind::kInput, "cannot write to stdout: " + core::errno_message(errno));
      }
      buf += w;
      n -= static_cast<std::size_t>(w);
    }
  }

 private:
  int fd_;
};

class AtomicSink : public ByteSink {
 public:
  AtomicSink(const std::string& path, unsigned mode) : file_(path, mode) {}
  void write(const unsigned char* buf, std::size_t n) override { file_.write({reinterpret_cast<const char*>(buf), n}); }
  void commit() { file_.commit(); }

 private:
  core::AtomicFile file_;
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ > 2) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int open_input(const std::string& path) {
  if (path == "-") return 0;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::kInput, core::errno_message(errno), path);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::kInput, "is a directory", path);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return fd;
}

// An output file must not be the input, and replaces an existing file only with --force (a
// device or pipe, -o /dev/stdout, is written in place: nothing is replaced).
void check_output(const FileCryptOptions& o) {
  if (o.output == "-") return;
  struct stat out_st {};
  if (::stat(o.output.c_str(), &out_st) != 0) return;
  struct stat in_st {};
  if (o.input != "-" && ::stat(o.input.c_str(), &in_st) == 0 && in_st.st_dev == out_st.st_dev &&
      in_st.st_ino == out_st.st_ino) {
    throw Error(ErrorKind::kUsage, "the output is the input; write elsewhere", o.output);
  }
  if (!o.force && S_ISREG(out_st.st_mode)) throw Error(ErrorKind::kUsage, "exists; add --force to replace it", o.output);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Echo off on the terminal for the lifetime of the object.
class TtyPrompt {
 public:
  TtyPrompt() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw Error(ErrorKind::kUsage,
                  "no key: use --key-file, --passphrase-file or --passphrase-env (no terminal to prompt on)");
    }
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      restore_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~TtyPrompt() {
    if (restore_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    ::close(fd_);
  }
  TtyPrompt(const TtyPrompt&) = delete;
  TtyPrompt& operator=(const TtyPrompt&) = delete;

  Secret ask(const char* prompt) {
    [[maybe_unused]] auto w = ::write(fd_, prompt, std::strlen(prompt));
    Secret line(1024);
    std::size_t n = 0;
    char c = 0;
    while (::read(fd_, &c, 1) == 1 && c != '\n') {
      if (n < line.size()) line.data()[n++] = static_cast<unsigned char>(c);
    }
    [[maybe_unused]] auto w2 = ::write(fd_, "\n", 1);
    if (n > 0 && line.data()[n - 1] == '\r') --n;
    return {line.data(), n};
  }

 private:
  int fd_;
  termios saved_{};
  bool restore_ = false;
};



const char* type_name(Argon2Type t) {
  return t == Argon2Type::kId ? "argon2id" : t == Argon2Type::kI ? "argon2i" : "argon2d";
}

}  // namespace

std::uint64_t default_memory_budget() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 1ull << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 2;
}

Secret read_secret_input(const std::string& path, std::uint64_t limit) {
  if (path == "-" && ::isatty(0) == 1) {
    // Typed passwords would echo and sit in the terminal's scrollback.
    throw Error(ErrorKind::kUsage, "stdin is a terminal: pipe the passwords in or name a file with --input");
  }
  Fd fd(open_input(path));
  FdSource src(fd.get(), display(path));
  Secret buf(std::size_t{64} * 1024);
  std::size_t n = 0;
  while (true) {
    if (n == buf.size()) {
      if (buf.size() >= limit) throw Error(ErrorKind::kInput, fmt::format("larger than {} bytes", limit), display(path));
      Secret bigger(buf.size() * 2);
      std::memcpy(bigger.data(), buf.data(), n);
      buf = std::move(bigger);
    }
    std::size_t r = src.read(buf.data() + n, buf.size() - n);
    if (r == 0) break;
    n += r;
  }
  return {buf.data(), n};
}

KeyMaterial load_key(const KeyOptions& o) {
  int sources = !o.key_file.empty() + !o.passphrase_file.empty() + !o.passphrase_env.empty();
  if (sources > 1) {
    throw Error(ErrorKind::kUsage, "name one of --key-file, --passphrase-file, --passphrase-env");
  }
  KeyMaterial k;
  if (!o.key_file.empty()) {
    Secret raw = read_secret_input(o.key_file, 4096);
    std::string_view v = raw.view();
    if (v.size() == kKeySize) {
      k.secret = Secret(raw.data(), raw.size());
      return k;
    }
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.remove_suffix(1);
    if (v.size() == 2 * kKeySize) {
      Secret key(kKeySize);
      for (std::size_t i = 0; i < kKeySize; ++i) {
        int hi = hex_value(v[2 * i]), lo = hex_value(v[2 * i + 1]);
        if (hi < 0 || lo < 0) throw Error(ErrorKind::kUsage, "not a key: 32 bytes or 64 hex digits expected", o.key_file);
        key.data()[i] = static_cast<unsigned char>(hi * 16 + lo);
      }
      k.secret = std::move(key);
      return k;
    }
    throw Error(ErrorKind::kUsage, "not a key: 32 bytes or 64 hex digits expected (make one with 'crypto keygen')",
                o.key_file);
  }
  k.passphrase = true;
  if (!o.passphrase_file.empty()) {
    Secret raw = read_secret_input(o.passphrase_file, 1 << 20);
    std::string_view v = raw.view();
    v = v.substr(0, v.find('\n'));
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    if (v.empty()) throw Error(ErrorKind::kUsage, "the passphrase file's first line is empty", o.passphrase_file);
    k.secret = Secret(v.data(), v.size());
    return k;
  }
  if (!o.passphrase_env.empty()) {
    const char* v = std::getenv(o.passphrase_env.c_str());
    if (v == nullptr || *v == '\0') {
      throw Error(ErrorKind::kUsage, fmt::format("environment variable {} is not set or empty", o.passphrase_env));
    }
    k.secret = Secret(v, std::strlen(v));
    return k;
  }
  TtyPrompt tty;
  Secret first = tty.ask("Passphrase: ");
  if (first.empty()) throw Error(ErrorKind::kUsage, "empty passphrase");
  if (o.prompt_confirm) {
    Secret again = tty.ask("Passphrase again: ");
    if (again.size() != first.size() || CRYPTO_memcmp(again.data(), first.data(), first.size()) != 0) {
      throw Error(ErrorKind::kUsage, "the passphrases differ");
    }
  }
  k.secret = std::move(first);
  return k;
}

void keygen(const std::string& path) {
  if (path.empty() || path == "-") throw Error(ErrorKind::kUsage, "keygen writes to a file: -o FILE");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) throw Error(ErrorKind::kUsage, "exists; keygen never overwrites a key", path);
    throw Error(ErrorKind::kInput, "cannot create: " + core::errno_message(errno), path);
  }
  Fd guard(fd);
  ::fchmod(fd, 0600);
  Secret key(kKeySize);
  random_bytes(std::span<unsigned char>(key.data(), key.size()));
  FdSink sink(fd);
  try {
    sink.write(key.data(), key.size());
    if (::fsync(fd) != 0) throw Error(ErrorKind::kInput, "fsync failed: " + core::errno_message(errno), path);
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
}

namespace {

// A regular file is mapped and processed in place (no read() copy); stdin and pipes stream.
template <typename Run>
VaultStats with_input(const std::string& path, const Run& run) {
  if (path != "-") {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      auto content = core::read_input(path, false, core::ReadLimits{0, false});
      if (!content) throw Error(ErrorKind::kInput, content.error(), path);
      const core::FileContent& c = *content;
      return run(
          c.bytes(),
          [&c](std::size_t offset, std::size_t length) {
            if (offset > 0) c.release(0, offset);
            c.prefault(offset, length);
          },
          [&c, &path] { core::throw_if_changed(c, path); });
    }
  }
  Fd in(open_input(path));
  FdSource src(in.get(), display(path));
  return run(src, Prefetch{}, [] {});
}

template <typename Sink, typename Input>
VaultStats crypt(bool encrypting, Input& input, Sink& sink, const KeyMaterial& key, const Prefetch& done) {
  if constexpr (std::is_same_v<std::decay_t<Input>, std::string_view>) {
    return encrypting ? encrypt(input, sink, key, done) : decrypt(input, sink, key, done);
  } else {
    return encrypting ? encrypt(input, sink, key) : decrypt(input, sink, key);
  }
}

VaultStats crypt_file(bool encrypting, const FileCryptOptions& o, const KeyMaterial& key) {
  check_output(o);
  try {
    return with_input(o.input, [&](auto&& input, const Prefetch& done, const auto& unchanged) {
      if (o.output == "-") {
        FdSink sink(1);
        VaultStats s = crypt(encrypting, input, sink, key, done);
        unchanged();
        return s;
      }
      AtomicSink sink(o.output, encrypting ? 0644 : 0600);  // plaintext: owner only
      VaultStats s = crypt(encrypting, input, sink, key, done);
      unchanged();  // a file that shrank under us was read as zeros: never commit that
      sink.commit();
      return s;
    });
  } catch (const Error& e) {
    if (!e.path().empty() || e.kind() != ErrorKind::kInput) throw;
    throw Error(e.kind(), e.what(), display(o.input));
  }
}

}  // namespace

VaultStats encrypt_file(const FileCryptOptions& o, const KeyMaterial& key) { return crypt_file(true, o, key); }

VaultStats decrypt_file(const FileCryptOptions& o, const KeyMaterial& key) { return crypt_file(false, o, key); }

// ---- batches ----------------------------------------------------------------------------

BatchResult run_hash(const std::string& input, const BatchOptions& o, core::Output& out) {
  BatchResult result;
  core::ItemRun batch(result, "hash", o.progress);  // from here, the run's duration
  if (below_owasp(o.params) && !o.allow_weak) {
    throw Error(ErrorKind::kUsage,
                fmt::format("t={} m={} KiB p={} is below the OWASP minimum for Argon2id (m=19 MiB t=2, or "
                            "m=46 MiB t=1, ...); --allow-weak uses it anyway",
                            o.params.t, o.params.m_kib, o.params.p));
  }
  argon2_implementation();  // a bad OBSCORE_ARGON2_IMPL fails the command, not every line
  std::uint64_t budget = o.max_memory != 0 ? o.max_memory : default_memory_budget();
  std::uint64_t need = argon2_memory(o.params);
  if (need > budget) {
    throw Error(ErrorKind::kUsage, fmt::format("one hash needs {} MiB, more than --max-memory ({} MiB)", need >> 20,
                                               budget >> 20));
  }
  std::size_t concurrency = static_cast<std::size_t>(std::max<std::uint64_t>(1, budget / need));
  Secret text = read_secret_input(input);
  std::vector<std::string_view> lines = split_lines(text.view());
  std::vector<std::string> phc(lines.size());
  std::string name = display(input);
  // A password that cannot be hashed is an error at its line; the others go on.
  auto work = [&](std::size_t i, std::vector<core::Diagnostic>&) { phc[i] = hash_password(lines[i], o.params); };
  auto deliver = [&](std::size_t i) {
    Json r = Json::object();
    r["index"] = i;
    r["phc"] = std::move(phc[i]);
    out.result(r);
  };
  batch.for_each(
      lines.size(), [&](std::size_t i) { return core::ItemPlace{name, static_cast<int>(i + 1)}; }, work, deliver,
      std::min<std::size_t>(concurrency, 256));
  Json summary = Json::object();
  summary["hashes"] = lines.size() - result.diagnostics.size();
  summary["type"] = type_name(o.params.type);
  summary["t"] = o.params.t;
  summary["m_kib"] = o.params.m_kib;
  summary["p"] = o.params.p;
  summary["concurrency_limit"] = concurrency;
  batch.finish(summary);
  out.finish(summary, result.diagnostics);
  return result;
}

core::View make_hash_view() {
  core::View v;
  v.columns = {{"index", true}, {"phc", false}};
  v.rows_title = "hashes";
  v.rows = [](const Json& r, std::vector<Json>& rows) { rows.push_back(Json::array({r["index"], r["phc"]})); };
  v.footer = [](const Json& s) {
    return fmt::format("{} hashes ({} t={} m={} KiB p={}); {} ms", s["hashes"].get<std::size_t>(),
                       s["type"].get<std::string>(), s["t"].get<unsigned>(), s["m_kib"].get<unsigned>(),
                       s["p"].get<unsigned>(), s["duration_ms"].get<long long>());
  };
  return v;
}

BatchResult run_verify(const std::string& input, const std::string& passwords, const std::string& hashes,
                       const BatchOptions& o, core::Output& out) {
  BatchResult result;
  core::ItemRun batch(result, "verify", o.progress);  // from here, the run's duration
  argon2_implementation();  // a bad OBSCORE_ARGON2_IMPL fails the command, not every line
  std::uint64_t budget = o.max_memory != 0 ? o.max_memory : default_memory_budget();
  struct Item {
    Secret password;
    std::optional<Phc> phc;
    std::string error;
    bool ok = false;
    int line = 0;
  };
  std::vector<Item> items;
  std::string name;
  if (!input.empty()) {
    name = display(input);
    Secret text = read_secret_input(input);
    auto lines = split_lines(text.view());
    Json item_placeholder;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].find_first_not_of(" \t") == std::string_view::npos) continue;
      Item item;
      item.line = static_cast<int>(i + 1);
      std::optional<core::TextPosition> deep;
      auto parsed = core::parse_untrusted_json(lines[i], &deep);
      Json& j = parsed ? *parsed : item_placeholder;  // no copy: the password is wiped in place
      if (deep) {
        item.error = core::excess_nesting_message();
      } else if (!j.is_object() || !j.contains("password") || !j["password"].is_string() ||
          !j.contains("hash") || !j["hash"].is_string()) {
        item.error = R"(expected a JSON object {"password": ..., "hash": ...})";
      } else {
        auto& pw = j["password"].get_ref<std::string&>();
        item.password = Secret(pw.data(), pw.size());
        OPENSSL_cleanse(pw.data(), pw.size());
        if (!(item.phc = parse_phc(j["hash"].get<std::string>(), item.error))) item.error = "hash: " + item.error;
      }
      items.push_back(std::move(item));
    }
  } else {
    name = display(hashes);
    Secret pw_text = read_secret_input(passwords);
    Secret hash_text = read_secret_input(hashes);
    auto pws = split_lines(pw_text.view());
    auto hs = split_lines(hash_text.view());
    if (pws.size() != hs.size()) {
      throw Error(ErrorKind::kInput, fmt::format("{} passwords but {} hashes: the files must align line by line",
                                                 pws.size(), hs.size()));
    }
    for (std::size_t i = 0; i < hs.size(); ++i) {
      Item item;
      item.line = static_cast<int>(i + 1);
      item.password = Secret(pws[i].data(), pws[i].size());
      if (!(item.phc = parse_phc(hs[i], item.error))) item.error = "hash: " + item.error;
      items.push_back(std::move(item));
    }
  }
  std::uint64_t largest = 1;
  for (auto& item : items) {
    if (!item.phc) continue;
    if (item.phc->params.t > kMaxPasses) {
      item.error = fmt::format("hash asks for {} passes, more than {} (refused: it would run for hours)",
                               item.phc->params.t, kMaxPasses);
      item.phc.reset();
      continue;
    }
    std::uint64_t need = argon2_memory(item.phc->params);
    if (need > budget) {
      item.error = fmt::format("hash needs {} MiB, more than --max-memory ({} MiB)", need >> 20, budget >> 20);
      item.phc.reset();
      continue;
    }
    largest = std::max(largest, need);
  }
  std::size_t concurrency = static_cast<std::size_t>(std::max<std::uint64_t>(1, budget / largest));
  // An unreadable hash is a result row with its error (and a diagnostic at its line).
  auto work = [&](std::size_t i, std::vector<core::Diagnostic>&) {
    Item& item = items[i];
    if (item.phc) {
      try {
        item.ok = verify_password(item.password.view(), *item.phc);
      } catch (const Error& e) {
        item.error = e.what();
        item.phc.reset();
      }
    }
    item.password.wipe();
  };
  std::size_t ok = 0, failed = 0, rehash = 0, invalid = 0;
  auto deliver = [&](std::size_t i) {
    Item& item = items[i];
    Json r = Json::object();
    r["index"] = i;
    r["ok"] = item.ok;
    if (item.phc) {
      bool nr = needs_rehash(*item.phc, o.params);
      r["needs_rehash"] = nr;
      r["type"] = type_name(item.phc->params.type);
      rehash += nr;
      (item.ok ? ok : failed) += 1;
    } else {
      r["needs_rehash"] = nullptr;
      r["type"] = nullptr;
      r["error"] = item.error;
      ++invalid;
      result.diagnostics.push_back({name, item.line, 0, core::Severity::kError, item.error});
    }
    out.result(r);
  };
  batch.for_each(
      items.size(), [&](std::size_t i) { return core::ItemPlace{name, items[i].line}; }, work, deliver,
      std::min<std::size_t>(concurrency, 256));
  result.gate_tripped = failed > 0;
  Json summary = Json::object();
  summary["verified"] = ok + failed;
  summary["ok"] = ok;
  summary["failed"] = failed;
  summary["needs_rehash"] = rehash;
  summary["invalid"] = invalid;
  summary["concurrency_limit"] = concurrency;
  batch.finish(summary);
  out.finish(summary, result.diagnostics);
  return result;
}

core::View make_verify_view() {
  core::View v;
  v.columns = {{"index", true}, {"ok", false}, {"needs_rehash", false}, {"type", false}};
  v.rows_title = "verifications";
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    rows.push_back(Json::array({r["index"], r["ok"].get<bool>() ? "yes" : "NO",
                                r["needs_rehash"].is_null() ? Json("-") : Json(r["needs_rehash"].get<bool>() ? "yes" : "no"),
                                r["type"].is_null() ? Json(r.value("error", "")) : r["type"]}));
  };
  v.footer = [](const Json& s) {
    return fmt::format("{} verified: {} ok, {} failed, {} need rehash, {} invalid; {} ms",
                       s["verified"].get<std::size_t>(), s["ok"].get<std::size_t>(), s["failed"].get<std::size_t>(),
                       s["needs_rehash"].get<std::size_t>(), s["invalid"].get<std::size_t>(),
                       s["duration_ms"].get<long long>());
  };
  return v;
}

}  // namespace obscore::crypto
