// The in-memory event store: compact records, strings either interned (low cardinality:
// sessions, threads, screens, methods, endpoint templates) or kept in a text arena (ids,
// correlation ids, ground truth).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/correlate/correlate.hpp"

namespace obscore::correlate {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// A string in an Arena.
struct Str {
  std::uint32_t off = 0;
  std::uint32_t len = 0;
  bool empty() const { return len == 0; }
};

class Arena {
 public:
  Str add(std::string_view s);
  std::string_view get(Str s) const { return std::string_view(text_).substr(s.off, s.len); }
  // Appends another arena; returns the offset its strings move by.
  std::uint32_t append(const Arena& other);
  std::size_t size() const { return text_.size(); }

 private:
  std::string text_;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Interner {
 public:
  Interner() { names_.emplace_back(); }  // 0 = absent
  std::uint32_t id(std::string_view s);
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids_;
};

struct UiEvent {
  std::int64_t t = kNoTime;
  Str id, corr;
  std::uint32_t session = 0, thread = 0, screen = 0, action = 0, element = 0;
  std::uint32_t order = 0;  // input order (for stable output)
};

struct ApiCall {
  std::int64_t t = kNoTime;
  std::int64_t end = kNoTime;
  Str id, corr, truth, initiator;
  std::uint32_t session = 0, thread = 0, method = 0, endpoint = 0;
  std::int32_t status = 0;
  std::uint32_t order = 0;
};

struct NavEvent {
  std::int64_t t = kNoTime;
  Str id;
  std::uint32_t session = 0, from = 0, to = 0;
};

// Everything read from the inputs.
struct Store {
  std::vector<UiEvent> ui;
  std::vector<ApiCall> api;
  std::vector<NavEvent> nav;
  Arena text;
  Interner strings;
  std::vector<core::Diagnostic> diagnostics;
  std::size_t skipped = 0;  // malformed records
};

// Reads all inputs into `store` (parallel over chunks of NDJSON). Per-record problems become
// diagnostics; with options.strict the first one throws core::Error.
void read_inputs(const Options& options, Store& store);

}  // namespace obscore::correlate
