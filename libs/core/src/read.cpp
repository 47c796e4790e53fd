// Input reading: mmap for large regular files (no copy), read() for small ones and for
// pipes, zlib inflate for gzip (detected by magic bytes), with a size cap on the result.
#include "obscore/core/read.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>

#include "mapping_guard.hpp"

namespace obscore::core {

namespace {

constexpr std::size_t kMmapThreshold = std::size_t{256} * 1024;


class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads everything from fd into out, stopping with an error past `limit` bytes (0 = none).
bool read_all(int fd, std::string& out, std::uint64_t limit, std::string& error) {
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno_message(errno);
      return false;
    }
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
    if (limit != 0 && out.size() > limit) {
      error = fmt::format("larger than {} bytes", limit);
      return false;
    }
  }
}

bool has_gzip_magic(std::string_view b) {
  return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f &&
         static_cast<unsigned char>(b[1]) == 0x8b;
}

// Reads all of `stream`, failing past `limit` bytes (0 = none) with `what` in the message.
bool read_stream(InputStream& stream, std::string& out, std::uint64_t limit, std::string& error) {
  char buf[1 << 16];
  for (;;) {
    auto n = stream.read(buf, sizeof buf);
    if (!n) {
      error = n.error();
      return false;
    }
    if (*n == 0) return true;
    out.append(buf, *n);
    if (limit != 0 && out.size() > limit) {
      error = fmt::format("larger than {} bytes when decompressed", limit);
      return false;
    }
  }
}

}  // namespace

std::string errno_message(int err) {
  switch (err) {
    case ENOENT: return "no such file or directory";
    case EACCES: return "permission denied";
    case EISDIR: return "is a directory";
    case ENOTDIR: return "not a directory";
    case ELOOP: return "symbolic link loop";
    case ENAMETOOLONG: return "file name too long";
    default: return std::strerror(err);
  }
}

struct InputStream::Impl {
  int fd = -1;
  bool owns_fd = false;
  std::string_view mem;      // memory source when fd < 0
  std::string prefix;        // bytes read while looking for the gzip magic
  bool gzip = false;
  z_stream zs{};
  bool zs_ready = false;
  std::vector<char> in;
  bool member_done = false;  // a gzip member ended; another may follow
  bool source_done = false;

  ~Impl() {
    if (zs_ready) inflateEnd(&zs);
    if (owns_fd && fd >= 0) ::close(fd);
  }

  // Raw bytes: the peeked prefix, then the fd or the memory.
  ssize_t raw(char* buf, std::size_t n) {
    if (!prefix.empty()) {
      std::size_t k = std::min(n, prefix.size());
      std::memcpy(buf, prefix.data(), k);
      prefix.erase(0, k);
      return static_cast<ssize_t>(k);
    }
    if (fd < 0) {
      std::size_t k = std::min(n, mem.size());
      std::memcpy(buf, mem.data(), k);
      mem.remove_prefix(k);
      return static_cast<ssize_t>(k);
    }
    for (;;) {
      ssize_t k = ::read(fd, buf, n);
      if (k >= 0 || errno != EINTR) return k;
    }
  }

  // Peeks two bytes to decide whether the source is gzip.
  bool detect(std::string& error) {
    char head[2];
    std::size_t got = 0;
    while (got < 2) {
      ssize_t k = raw(head + got, 2 - got);
      if (k < 0) {
        error = errno_message(errno);
        return false;
      }
      if (k == 0) break;
      got += static_cast<std::size_t>(k);
    }
    prefix.assign(head, got);
    gzip = has_gzip_magic(prefix);
    if (gzip) {
      if (inflateInit2(&zs, 15 + 16) != Z_OK) {
        error = "cannot initialise zlib";
        return false;
      }
      zs_ready = true;
      in.resize(1 << 20);
    }
    return true;
  }
};

InputStream::InputStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InputStream::~InputStream() = default;

Result<std::unique_ptr<InputStream>> InputStream::open(const std::string& path, bool is_stdin) {
  using R = Result<std::unique_ptr<InputStream>>;
  auto impl = std::make_unique<Impl>();
  if (is_stdin) {
    impl->fd = STDIN_FILENO;
  } else {
    impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl->fd < 0) return R::failure(errno_message(errno));
    impl->owns_fd = true;
    struct stat st {};
    if (::fstat(impl->fd, &st) == 0 && S_ISDIR(st.st_mode)) return R::failure("is a directory");
  }
  std::string error;
  if (!impl->detect(error)) return R::failure(error);
  return std::unique_ptr<InputStream>(new InputStream(std::move(impl)));
}

std::unique_ptr<InputStream> InputStream::from_memory(std::string_view bytes) {
  auto impl = std::make_unique<Impl>();
  impl->mem = bytes;
  std::string error;
  impl->detect(error);  // memory reads cannot fail; zlib initialisation is checked on read
  return std::unique_ptr<InputStream>(new InputStream(std::move(impl)));
}

bool InputStream::gzip() const { return impl_->gzip; }

Result<std::size_t> InputStream::read(char* buf, std::size_t n) {
  Impl& d = *impl_;
  if (!d.gzip) {
    ssize_t k = d.raw(buf, n);
    if (k < 0) return Result<std::size_t>::failure(errno_message(errno));
    return static_cast<std::size_t>(k);
  }
  if (!d.zs_ready) return Result<std::size_t>::failure("cannot initialise zlib");
  for (;;) {
    if (d.zs.avail_in == 0 && !d.source_done) {
      ssize_t k = d.raw(d.in.data(), d.in.size());
      if (k < 0) return Result<std::size_t>::failure(errno_message(errno));
      if (k == 0) d.source_done = true;
      d.zs.next_in = reinterpret_cast<Bytef*>(d.in.data());
      d.zs.avail_in = static_cast<uInt>(k);
    }
    if (d.member_done) {
      if (d.zs.avail_in == 0) {
        if (d.source_done) return std::size_t{0};
        continue;
      }
      // Another member follows, or padding that gzip(1) also ignores.
      if (*d.zs.next_in != 0x1f) {
        d.zs.avail_in = 0;
        d.source_done = true;
        return std::size_t{0};
      }
      inflateReset(&d.zs);
      d.member_done = false;
    }
    if (d.zs.avail_in == 0 && d.source_done) {
      return Result<std::size_t>::failure("truncated gzip data");
    }
    d.zs.next_out = reinterpret_cast<Bytef*>(buf);
    d.zs.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    int rc = inflate(&d.zs, Z_NO_FLUSH);
    std::size_t produced = std::min<std::size_t>(n, 1u << 30) - d.zs.avail_out;
    if (rc == Z_STREAM_END) {
      d.member_done = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Result<std::size_t>::failure("corrupt gzip data");
    }
    if (produced > 0) return produced;
  }
}

FileContent::FileContent(FileContent&& o) noexcept { *this = std::move(o); }

FileContent& FileContent::operator=(FileContent&& o) noexcept {
  if (this != &o) {
    unmap();
    map_ = o.map_;
    map_size_ = o.map_size_;
    guard_ = o.guard_;
    buffer_ = std::move(o.buffer_);
    gzip_ = o.gzip_;
    size_ = o.size_;
    data_ = map_ != nullptr ? static_cast<const char*>(map_) : buffer_.data();
    o.map_ = nullptr;
    o.map_size_ = 0;
    o.guard_ = -1;
    o.data_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

FileContent::~FileContent() { unmap(); }

void FileContent::unmap() {
  if (map_ == nullptr) return;
  detail::unguard_mapping(guard_);
  ::munmap(map_, map_size_);
  map_ = nullptr;
  guard_ = -1;
}

bool FileContent::truncated() const { return detail::mapping_truncated(guard_); }

void throw_if_changed(const FileContent& content, const std::string& path) {
  if (content.truncated()) throw Error(ErrorKind::kInput, std::string(kChangedWhileRead), path);
}

void FileContent::prefault(std::size_t offset, std::size_t length) const {
#ifdef MADV_POPULATE_READ
  if (map_ == nullptr || offset >= map_size_) return;
  static const auto kPage = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t begin = offset / kPage * kPage;
  std::size_t end = std::min(map_size_, offset + length);
  ::madvise(static_cast<char*>(map_) + begin, end - begin, MADV_POPULATE_READ);
#else
  (void)offset;
  (void)length;
#endif
}

void FileContent::release(std::size_t offset, std::size_t length) const {
  if (map_ == nullptr || offset >= map_size_) return;
  static const auto kPage = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t begin = (offset + kPage - 1) / kPage * kPage;
  std::size_t end = std::min(map_size_, offset + length) / kPage * kPage;
  if (end > begin) ::madvise(static_cast<char*>(map_) + begin, end - begin, MADV_DONTNEED);
}

FileContent FileContent::from_string(std::string s) {
  FileContent f;
  f.buffer_ = std::move(s);
  f.data_ = f.buffer_.data();
  f.size_ = f.buffer_.size();
  return f;
}

Result<FileContent> read_input(const std::string& path, bool is_stdin, const ReadLimits& limits) {
  FileContent content;
  std::string error;
  if (is_stdin) {
    std::string buf;
    if (!read_all(STDIN_FILENO, buf, limits.decompress_gzip ? 0 : limits.max_bytes, error)) {
      return Result<FileContent>::failure(error);
    }
    content = FileContent::from_string(std::move(buf));
  } else {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return Result<FileContent>::failure(errno_message(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Result<FileContent>::failure(errno_message(errno));
    if (S_ISDIR(st.st_mode)) return Result<FileContent>::failure("is a directory");
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (S_ISREG(st.st_mode) && limits.max_bytes != 0 && size > limits.max_bytes &&
        !(limits.decompress_gzip && path.size() > 3 && path.ends_with(".gz"))) {
      return Result<FileContent>::failure(
          fmt::format("larger than {} bytes ({} bytes)", limits.max_bytes, size));
    }
    if (S_ISREG(st.st_mode) && size >= kMmapThreshold) {
      void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
      if (map == MAP_FAILED) return Result<FileContent>::failure(errno_message(errno));
      content.guard_ = detail::guard_mapping(map, size);
      if (content.guard_ < 0) {  // no slot to guard it: read it instead
        ::munmap(map, size);
        map = nullptr;
      }
      if (map != nullptr) {
        ::madvise(map, size, MADV_SEQUENTIAL);
        content.map_ = map;
        content.map_size_ = size;
        content.data_ = static_cast<const char*>(map);
        content.size_ = size;
      }
    }
    if (content.map_ == nullptr) {
      std::string buf;
      if (S_ISREG(st.st_mode)) buf.reserve(size);
      if (!read_all(fd.get(), buf, limits.decompress_gzip ? 0 : limits.max_bytes, error)) {
        return Result<FileContent>::failure(error);
      }
      content = FileContent::from_string(std::move(buf));
    }
  }
  if (limits.decompress_gzip && has_gzip_magic(content.bytes())) {
    std::string out;
    auto stream = InputStream::from_memory(content.bytes());
    if (!read_stream(*stream, out, limits.max_bytes, error)) {
      return Result<FileContent>::failure(content.truncated() ? std::string(kChangedWhileRead) : error);
    }
    if (content.truncated()) return Result<FileContent>::failure(std::string(kChangedWhileRead));
    FileContent inflated = FileContent::from_string(std::move(out));
    inflated.gzip_ = true;
    return inflated;
  }
  if (limits.max_bytes != 0 && content.bytes().size() > limits.max_bytes) {
    return Result<FileContent>::failure(fmt::format("larger than {} bytes", limits.max_bytes));
  }
  return content;
}

Result<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (value > (UINT64_MAX - 9) / 10) return Result<std::uint64_t>::failure("number too large");
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i == 0) {
    return Result<std::uint64_t>::failure(fmt::format("'{}' is not a size (e.g. 4M, 512K, 1048576)", text));
  }
  std::string unit(text.substr(i));
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::uint64_t mult = 1;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB") mult = 1ULL << 10;
  else if (unit == "M" || unit == "MB" || unit == "MIB") mult = 1ULL << 20;
  else if (unit == "G" || unit == "GB" || unit == "GIB") mult = 1ULL << 30;
  else return Result<std::uint64_t>::failure(fmt::format("unknown size unit in '{}' (use K, M or G)", text));
  if (value > UINT64_MAX / mult) return Result<std::uint64_t>::failure("number too large");
  return value * mult;
}

bool looks_binary(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 8192);
  return head.find('\0') != std::string_view::npos;
}

Diagnostic read_failure(const std::string& path, const std::string& error) {
  if (error.starts_with("larger than")) {
    return {path, 0, 0, Severity::kWarning, "skipped: " + error + " (raise --max-file-size)"};
  }
  return {path, 0, 0, Severity::kError, error};
}

}  // namespace obscore::core
