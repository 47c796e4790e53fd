// A file written under a temporary name in the destination's directory and renamed into place
// on commit(): readers never see a partial file, and an interrupted run leaves nothing.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace obscore::core {

class AtomicFile {
 public:
  // Creates the temp file next to `path` with permissions `mode` (less the umask; 0600 for
  // secrets). When `path` is a device, FIFO or socket (/dev/null, /dev/stdout, a named pipe) it
  // is written in place instead: no temp file, no fsync, no rename. Throws Error(kInput) naming
  // `path` on failure.
  explicit AtomicFile(std::string path, unsigned mode = 0644);
  ~AtomicFile();  // removes the temp file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return file_; }
  void write(std::string_view data);
  // Flushes, fsyncs and renames over `path`. Throws Error(kInput) on failure.
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  bool in_place_ = false;  // a device or pipe, written directly
};

// A new, empty file next to `target` named `.<base>.tmp.<random>`, created with O_EXCL and mode
// `mode` (less the umask), and registered so that an interrupt removes it. Returns the open fd and
// sets `temp_path`; on failure returns -1 with errno set. Pair with forget_temp_file() once the
// file was renamed into place or removed. Up to 64 temp files may be pending at once (one per
// writing thread); past that a file is still created but not registered.
int create_temp_file(const std::string& target, unsigned mode, std::string& temp_path);
void forget_temp_file(const std::string& temp_path);

// Writes `data` to `path` through a registered temp file and rename(2): readers see the old
// file or the new one, never a part. Returns false (and leaves no temp file) on failure.
bool write_file_atomically(const std::string& path, std::string_view data, unsigned mode = 0644);

// Installs SIGINT/SIGTERM/SIGHUP handlers that remove every pending temp file and exit with 130.
// Call once at start-up.
void install_interrupt_handlers();

}  // namespace obscore::core
