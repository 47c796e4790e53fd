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
  // secrets). Throws Error(kInput) naming `path` on failure.
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
};

// Installs SIGINT/SIGTERM handlers that remove the pending AtomicFile temp file (if any) and
// exit with 130. Call once at start-up.
void install_interrupt_handlers();

}  // namespace obscore::core
