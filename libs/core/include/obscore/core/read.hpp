// Reading one input into memory: mmap for large regular files, a buffer otherwise,
// transparent gzip, binary detection. CRLF is left as is; consumers tolerate it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/error.hpp"

namespace obscore::core {

// The bytes of one input. Move-only; unmaps or frees on destruction.
class FileContent {
 public:
  FileContent() = default;
  FileContent(FileContent&&) noexcept;
  FileContent& operator=(FileContent&&) noexcept;
  FileContent(const FileContent&) = delete;
  FileContent& operator=(const FileContent&) = delete;
  ~FileContent();

  std::string_view bytes() const { return {data_, size_}; }
  // Maps the pages of [offset, offset + length) in one call (MADV_POPULATE_READ) when the file
  // is memory-mapped: threads that each prefault their own chunk avoid contending on page
  // faults. A no-op for buffered content or kernels without it.
  void prefault(std::size_t offset, std::size_t length) const;
  // Drops the page-table entries of the whole pages inside [offset, offset + length) once a
  // thread is done with them (MADV_DONTNEED; the bytes stay readable, refaulted from the page
  // cache if touched again), so the final munmap has little left to do. No-op when buffered.
  void release(std::size_t offset, std::size_t length) const;
  bool was_gzip() const { return gzip_; }
  // Whether the file shrank while it was mapped and read (a log truncated by rotation, a file
  // rewritten in place): the bytes past its new end read as zeros instead of killing the
  // process with SIGBUS. A reader that sees this reports the file as changed while read.
  bool truncated() const;

  static FileContent from_string(std::string s);

 private:
  friend Result<FileContent> read_input(const std::string&, bool, const struct ReadLimits&);
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  void unmap();
  void* map_ = nullptr;  // mmap base when mapped
  std::size_t map_size_ = 0;
  int guard_ = -1;       // its SIGBUS guard slot
  std::string buffer_;   // owned bytes when not mapped
  bool gzip_ = false;
};

// The error for an input whose FileContent::truncated() became true.
inline constexpr std::string_view kChangedWhileRead =
    "changed while being read (the file shrank); its results are incomplete";

// Throws Error(kInput, kChangedWhileRead) naming `path` when `content` shrank while read.
void throw_if_changed(const FileContent& content, const std::string& path);

struct ReadLimits {
  std::uint64_t max_bytes = 0;   // 0 = unlimited; applies to the (decompressed) size
  bool decompress_gzip = true;   // inflate gzip (by magic bytes) transparently
};

// Reads `path` (or stdin when is_stdin). Fails with a one-line reason ("no such file",
// "is a directory", "permission denied", "larger than N bytes", "corrupt gzip data").
Result<FileContent> read_input(const std::string& path, bool is_stdin, const ReadLimits& limits);

// The diagnostic for a read_input() failure of one file of a tree walk: over the size limit is a
// warning ("skipped: larger than N bytes (raise --max-file-size)"), anything else an error.
Diagnostic read_failure(const std::string& path, const std::string& error);

// One line for an errno value: "no such file or directory", "permission denied", ...
std::string errno_message(int err);

// Sequential reading of a file, stdin or a buffer, gzip (recognised by its magic bytes)
// inflated on the fly: concatenated members continue, trailing non-gzip padding is ignored as
// gzip(1) does. For inputs too large to hold in memory; read_input uses it for gzip too.
class InputStream {
 public:
  // Opens `path` (or stdin). Fails with a one-line reason.
  static Result<std::unique_ptr<InputStream>> open(const std::string& path, bool is_stdin);
  // Reads from bytes in memory (which must outlive the stream).
  static std::unique_ptr<InputStream> from_memory(std::string_view bytes);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  bool gzip() const;
  // Up to n bytes of content (decompressed); 0 at the end. Fails with "truncated gzip data",
  // "corrupt gzip data" or the operating system's reason; what was returned before stands.
  Result<std::size_t> read(char* buf, std::size_t n);

 private:
  struct Impl;
  explicit InputStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses a byte count: "1048576", "512K", "4M", "1G" (binary units; "KiB"/"MB" spellings too).
Result<std::uint64_t> parse_size(std::string_view text);

// True when the bytes look binary: a NUL byte in the first 8 KiB (git's and ripgrep's rule).
bool looks_binary(std::string_view bytes);

}  // namespace obscore::core
