// The in-memory event store: compact records, strings either interned (low cardinality:
// sessions, threads, screens, methods, endpoint templates) or kept in a text arena (ids,
// correlation ids, ground truth).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
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
  // Makes room for `n` more bytes, to be filled through data(); returns where they start.
  std::uint32_t extend(std::size_t n);
  // Room for `n` more bytes without moving the text (merging chunks extends it once per chunk).
  void reserve_more(std::size_t n) { text_.reserve(text_.size() + n); }
  char* data() { return text_.data(); }
  std::size_t size() const { return text_.size(); }

 private:
  void check_room(std::size_t n) const;  // offsets are 32-bit: throws past 4 GiB
  std::string text_;
};

// A fast 64-bit string hash (8 bytes a step, multiply-xorshift): the reader hashes every key,
// URL and id of millions of records. Not keyed: inputs that collide on purpose only slow the
// lookups down, they cannot change a result.
inline std::uint64_t fast_hash(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = (s.size() + 1) * kMul;
  const char* p = s.data();
  std::size_t n = s.size();
  auto mix = [&](std::uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  };
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      mix(w);
    }
    std::uint64_t w;  // the last 8 bytes (overlapping the previous word when fewer are left)
    std::memcpy(&w, s.data() + s.size() - 8, 8);
    mix(w);
  } else {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < n; ++i) w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    mix(w);
  }
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

// Equality of two strings without a call to memcmp: keys, session names and URLs are compared
// millions of times and are mostly shorter than a cache line.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  auto word = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (word(a.data() + i) != word(b.data() + i)) return false;
  }
  return word(a.data() + n - 8) == word(b.data() + n - 8);  // the last 8 (overlapping)
}

// Open-addressing map from strings to 32-bit values: hash and value in the slot, the text in one
// buffer. For the lookups done once or more per record (URLs, interned names).
class StringMap {
 public:
  // The value stored for `s` (whose fast_hash is `h`), or nullptr.
  const std::uint32_t* find(std::string_view s, std::uint64_t h) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (!slot.used) return nullptr;
      if (slot.hash == h && same_text(std::string_view(text_.data() + slot.off, slot.len), s)) {
        return &slot.value;
      }
    }
  }
  // Adds `s` (not present yet).
  void insert(std::string_view s, std::uint64_t h, std::uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{h, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(s.size()), value, true});
    text_.append(s);
    ++size_;
  }
  std::size_t size() const { return size_; }
  std::size_t text_size() const { return text_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t off = 0, len = 0, value = 0;
    bool used = false;
  };
  void place(const Slot& slot) {
    std::size_t i = slot.hash & mask_;
    while (slots_[i].used) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.used) place(slot);
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0, size_ = 0;
  std::string text_;
};

class Interner {
 public:
  Interner() { names_.emplace_back(); }  // 0 = absent
  std::uint32_t id(std::string_view s) { return s.empty() ? 0 : id(s, fast_hash(s)); }
  std::uint32_t id(std::string_view s, std::uint64_t hash);  // hash = fast_hash(s)
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  StringMap ids_;
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

// Allocates records without constructing them on resize(): merging chunks grows the record
// vectors by millions at once and fills every element in parallel, so a serial construction
// pass would only write the memory twice. The records are aggregates of integers (implicit-
// lifetime types): their storage holds objects as soon as it is allocated.
template <class T>
struct RecordAllocator : std::allocator<T> {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  template <class U>
  struct rebind {  // NOLINT(readability-identifier-naming): the allocator interface's names
    using other = RecordAllocator<U>;  // NOLINT(readability-identifier-naming)
  };
  RecordAllocator() = default;
  template <class U>
  RecordAllocator(const RecordAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  template <class U>
  void construct(U*) noexcept {}  // resize(): left for the caller to fill
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <class T>
using Records = std::vector<T, RecordAllocator<T>>;

// Everything read from the inputs.
struct Store {
  Records<UiEvent> ui;
  Records<ApiCall> api;
  Records<NavEvent> nav;
  Arena text;
  Interner strings;
  std::vector<core::Diagnostic> diagnostics;
  std::size_t skipped = 0;  // malformed records
  bool any_initiator = false;  // some API call names its UI event (HAR _initiator, causeId)
  // Records that carried no session id (they join session "default"): the overlap checks tell
  // "one side has no session ids" from "the session ids differ".
  std::size_t ui_without_session = 0, api_without_session = 0;
  // What each input was read as, for the overlap checks' messages.
  struct InputInfo {
    std::string path;
    Role role = Role::kMixed;
    std::string format;                // "ndjson", "json", "har (Chrome 120.0)"
    TimeUnit unit = TimeUnit::kAuto;   // unit of numeric times (kAuto: none were numbers)
    std::size_t ui = 0, api = 0, nav = 0;
    bool sessions_from_pageref = false;  // HAR: pageref (page ids) stood for the session
  };
  std::vector<InputInfo> inputs;
};

// Reads all inputs into `store` (parallel over chunks of NDJSON). Per-record problems become
// diagnostics; with options.strict the first one throws core::Error.
void read_inputs(const Options& options, Store& store);

}  // namespace obscore::correlate
