// Per-file result cache keyed by content hash (+ version + options): a small text record per
// file under <dir>/<2 hex>/<62 hex>, written via temp file + rename so concurrent runs are safe.
// A record that does not parse or does not carry its own key is ignored and rewritten.
#pragma once

#include <optional>
#include <string>

#include "obscore/ast/ast.hpp"

namespace obscore::ast {

class Cache {
 public:
  // `dir` empty: $XDG_CACHE_HOME/obscore/ast, else ~/.cache/obscore/ast.
  explicit Cache(std::string dir);
  static std::string default_dir();

  const std::string& dir() const { return dir_; }
  std::optional<FileMetrics> load(const std::string& key) const;
  // Best effort: a cache that cannot be written is simply not used.
  void store(const std::string& key, const FileMetrics& m) const;

 private:
  std::string path_for(const std::string& key) const;
  std::string dir_;
};

// Serialises FileMetrics to the record format and back (exposed for tests).
std::string encode_metrics(const std::string& key, const FileMetrics& m);
std::optional<FileMetrics> decode_metrics(const std::string& key, std::string_view text);

}  // namespace obscore::ast
