// Readers: NDJSON (simdjson, one parse per line, chunks of a file in parallel), JSON arrays and
// HAR 1.2 (whole-document parse). Field names are mapped to roles once per key; times become
// microseconds since the epoch (numbers in s/ms/us/ns detected per file, or RFC 3339 strings).
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_group.h>

#include "har_read.hpp"
#include "model.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/time.hpp"
#include "obscore/core/tsan.hpp"

namespace obscore::correlate {

// ---- arena and interner -----------------------------------------------------------------

void Arena::check_room(std::size_t n) const {
  if (text_.size() + n > std::numeric_limits<std::uint32_t>::max()) {
    throw core::Error(core::ErrorKind::kInput, "more than 4 GiB of ids and correlation keys");
  }
}

Str Arena::add(std::string_view s) {
  if (s.empty()) return {};
  check_room(s.size());
  Str r{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(s.size())};
  text_.append(s);
  return r;
}

std::uint32_t Arena::extend(std::size_t n) {
  check_room(n);
  auto base = static_cast<std::uint32_t>(text_.size());
  text_.resize(text_.size() + n);
  return base;
}

std::uint32_t Interner::id(std::string_view s, std::uint64_t hash) {
  if (s.empty()) return 0;
  if (const std::uint32_t* found = ids_.find(s, hash)) return *found;
  auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(s);
  ids_.insert(s, hash, id);
  return id;
}

namespace {

enum class Field : std::uint8_t {
  kIgnore, kId, kSession, kTime, kEnd, kDuration, kThread, kCorrelation, kTraceparent, kScreen,
  kAction, kElement, kMethod, kUrl, kStatus, kFrom, kTo, kType, kTruth, kInitiator
};

struct KeyName {
  const char* key;
  Field field;
};

// The --map keys and the record keys they stand for by default (camelCase, snake_case, plain).
const std::vector<std::pair<const char*, std::vector<KeyName>>>& default_keys() {
  static const std::vector<std::pair<const char*, std::vector<KeyName>>> kTable = {
      {"id", {{"id", Field::kId}, {"eventId", Field::kId}, {"event_id", Field::kId}, {"requestId", Field::kId}, {"request_id", Field::kId}}},
      {"session", {{"sessionId", Field::kSession}, {"session_id", Field::kSession}, {"session", Field::kSession}}},
      {"time", {{"timestamp", Field::kTime}, {"time", Field::kTime}, {"ts", Field::kTime}, {"startTime", Field::kTime}, {"start_time", Field::kTime}, {"startedDateTime", Field::kTime}}},
      {"end", {{"endTime", Field::kEnd}, {"end_time", Field::kEnd}, {"responseTime", Field::kEnd}, {"response_time", Field::kEnd}}},
      {"duration", {{"duration", Field::kDuration}, {"durationMs", Field::kDuration}, {"duration_ms", Field::kDuration}}},
      {"thread", {{"threadId", Field::kThread}, {"thread_id", Field::kThread}, {"thread", Field::kThread}}},
      {"correlation", {{"correlationId", Field::kCorrelation}, {"correlation_id", Field::kCorrelation}, {"traceId", Field::kCorrelation}, {"trace_id", Field::kCorrelation}, {"traceparent", Field::kTraceparent}}},
      {"screen", {{"screen", Field::kScreen}, {"screenName", Field::kScreen}, {"screen_name", Field::kScreen}}},
      {"action", {{"action", Field::kAction}, {"actionType", Field::kAction}, {"action_type", Field::kAction}}},
      {"element", {{"elementId", Field::kElement}, {"element_id", Field::kElement}, {"element", Field::kElement}, {"target", Field::kElement}}},
      {"method", {{"method", Field::kMethod}, {"httpMethod", Field::kMethod}, {"http_method", Field::kMethod}}},
      {"url", {{"url", Field::kUrl}, {"path", Field::kUrl}, {"endpoint", Field::kUrl}}},
      {"status", {{"statusCode", Field::kStatus}, {"status_code", Field::kStatus}, {"status", Field::kStatus}}},
      {"from", {{"fromScreen", Field::kFrom}, {"from_screen", Field::kFrom}, {"from", Field::kFrom}}},
      {"to", {{"toScreen", Field::kTo}, {"to_screen", Field::kTo}, {"to", Field::kTo}}},
      {"type", {{"type", Field::kType}, {"eventType", Field::kType}, {"event_type", Field::kType}}},
      {"initiator", {{"_initiator", Field::kInitiator}, {"initiator", Field::kInitiator}, {"causeId", Field::kInitiator}, {"cause_id", Field::kInitiator}}},
  };
  return kTable;
}

struct KeyMap {
  std::unordered_map<std::string, Field> fields;
  // Looked up once per key of every record: a small open-addressing table (fast_hash), filled from
  // `fields` by finalize(); no allocation, one or two compares.
  static constexpr std::size_t kSlots = 512;
  struct Slot {
    std::string key;
    Field field = Field::kIgnore;
    bool used = false;
  };
  std::vector<Slot> table;
  static std::size_t hash(std::string_view k) { return static_cast<std::size_t>(fast_hash(k)); }
  void finalize() {
    table.assign(kSlots, Slot{});
    for (const auto& [k, f] : fields) {
      std::size_t i = hash(k) & (kSlots - 1);
      while (table[i].used) i = (i + 1) & (kSlots - 1);
      table[i] = {k, f, true};
    }
  }
  Field lookup(std::string_view key) const {
    std::size_t i = hash(key) & (kSlots - 1);
    while (table[i].used) {
      if (same_text(table[i].key, key)) return table[i].field;
      i = (i + 1) & (kSlots - 1);
    }
    return Field::kIgnore;
  }
};

KeyMap build_keys(const Options& o) {
  KeyMap m;
  for (const auto& [name, keys] : default_keys()) {
    for (const auto& k : keys) m.fields[k.key] = k.field;
  }
  for (const auto& mapping : o.field_map) {
    const std::string& key = mapping.first;  // not structured bindings: clang 14 cannot capture those
    const std::string& field = mapping.second;
    auto it = std::find_if(default_keys().begin(), default_keys().end(),
                           [&](const auto& e) { return key == e.first; });
    if (it == default_keys().end()) {
      throw core::Error(core::ErrorKind::kUsage,
                        fmt::format("--map: unknown key '{}' (id, session, time, end, duration, thread, "
                                    "correlation, screen, action, element, method, url, status, from, "
                                    "to, type, initiator)", key));
    }
    // The record field now means this key; the default names for the key no longer do.
    for (const auto& k : it->second) {
      if (m.fields[k.key] == it->second.front().field) m.fields.erase(k.key);
    }
    m.fields[field] = it->second.front().field;
  }
  if (!o.truth_field.empty()) m.fields[o.truth_field] = Field::kTruth;
  if (m.fields.size() > KeyMap::kSlots / 2) {
    throw core::Error(core::ErrorKind::kUsage, "--map: too many field names");
  }
  m.finalize();
  return m;
}

// Magnitude classes of epoch numbers: seconds ~1.7e9, ms ~1.7e12, us ~1.7e15, ns ~1.7e18.
TimeUnit classify(double v) {
  v = std::fabs(v);
  if (v < 1e11) return TimeUnit::kSeconds;
  if (v < 1e14) return TimeUnit::kMillis;
  if (v < 1e17) return TimeUnit::kMicros;
  return TimeUnit::kNanos;
}

std::int64_t to_us(double v, TimeUnit u) {
  switch (u) {
    case TimeUnit::kSeconds: return static_cast<std::int64_t>(std::llround(v * 1e6));
    case TimeUnit::kMillis: return static_cast<std::int64_t>(std::llround(v * 1e3));
    case TimeUnit::kNanos: return static_cast<std::int64_t>(std::llround(v / 1e3));
    case TimeUnit::kMicros:
    case TimeUnit::kAuto: break;
  }
  return static_cast<std::int64_t>(std::llround(v));
}

const char* unit_name(TimeUnit u) {
  switch (u) {
    case TimeUnit::kSeconds: return "seconds";
    case TimeUnit::kMillis: return "milliseconds";
    case TimeUnit::kMicros: return "microseconds";
    case TimeUnit::kNanos: return "nanoseconds";
    case TimeUnit::kAuto: break;
  }
  return "auto";
}

std::optional<Role> role_of(std::string_view type) {
  std::string t(type);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "ui" || t == "ui_event" || t == "uievent" || t == "interaction" || t == "user" || t == "tap" ||
      t == "click" || t == "gesture") {
    return Role::kUi;
  }
  if (t == "network" || t == "api" || t == "http" || t == "request" || t == "api_call" || t == "xhr" ||
      t == "fetch") {
    return Role::kApi;
  }
  if (t == "navigation" || t == "nav" || t == "screen_change" || t == "screen" || t == "route") {
    return Role::kNav;
  }
  return std::nullopt;
}

// W3C traceparent "00-<trace id>-<parent id>-<flags>" -> the trace id.
std::string_view trace_id(std::string_view tp) {
  if (tp.size() >= 55 && tp[2] == '-' && tp[35] == '-') return tp.substr(3, 32);
  return tp;
}

// Output of one chunk (or one whole-document file): a store of its own (strings local, line
// numbers of diagnostics local to the chunk), merged later in order.
struct Chunk : Store {
  std::size_t lines = 0;
};

class RecordReader {
 public:
  RecordReader(const KeyMap& keys, const Options& o, TimeUnit unit, Role role)
      : keys_(keys), o_(o), unit_(unit), role_(role) {}

  // Reads one record; returns an error message, empty on success.
  std::string read(simdjson::dom::element el, Chunk& out) {
    simdjson::dom::object obj;
    if (el.get_object().get(obj) != simdjson::SUCCESS) return "a record must be a JSON object";
    Role role = role_;
    std::string_view type_text;
    // scratch
    std::int64_t t = kNoTime, end = kNoTime;
    double duration_ms = -1;
    std::string_view id, session, thread, corr, screen, action, element, method, url, from, to, truth,
        initiator;
    std::int32_t status = 0;
    std::string scratch_id, scratch_thread, scratch_truth, scratch_init, scratch_session;
    for (auto [key, value] : obj) {
      Field f = keys_.lookup(key);
      if (f == Field::kIgnore) continue;
      switch (f) {
        case Field::kTime:
        case Field::kEnd: {
          std::int64_t v = 0;
          std::string err = time_value(value, v);
          if (!err.empty()) return fmt::format("{}: {}", key, err);
          (f == Field::kTime ? t : end) = v;
          break;
        }
        case Field::kDuration: {
          double d = 0;
          if (value.is_number()) {
            d = value.get_double().value_unsafe();
          } else {
            return fmt::format("{}: expected a number of milliseconds", key);
          }
          duration_ms = d;
          break;
        }
        case Field::kStatus: {
          if (value.is_int64()) {
            status = static_cast<std::int32_t>(value.get_int64().value_unsafe());
          } else if (value.is_string()) {
            std::string_view s = value.get_string().value_unsafe();
            status = std::atoi(std::string(s).c_str());
          }
          break;
        }
        case Field::kType:
          if (value.is_string()) type_text = value.get_string().value_unsafe();
          break;
        case Field::kId: id = text_of(value, scratch_id); break;
        case Field::kSession: session = text_of(value, scratch_session); break;
        case Field::kThread: thread = text_of(value, scratch_thread); break;
        case Field::kTruth: truth = text_of(value, scratch_truth); break;
        case Field::kInitiator: {
          if (value.is_object()) {
            // Chrome's _initiator {type, url, stack...}; an id of the UI event when the recorder
            // put one there.
            for (const char* k : {"eventId", "uiEventId", "event_id", "id"}) {
              simdjson::dom::element inner;
              if (value.at_key(k).get(inner) == simdjson::SUCCESS) {
                initiator = text_of(inner, scratch_init);
                break;
              }
            }
          } else {
            initiator = text_of(value, scratch_init);
          }
          break;
        }
        case Field::kCorrelation:
          if (value.is_string()) corr = value.get_string().value_unsafe();
          break;
        case Field::kTraceparent:
          if (value.is_string()) corr = trace_id(value.get_string().value_unsafe());
          break;
        case Field::kScreen:
          if (value.is_string()) screen = value.get_string().value_unsafe();
          break;
        case Field::kAction:
          if (value.is_string()) action = value.get_string().value_unsafe();
          break;
        case Field::kElement:
          if (value.is_string()) element = value.get_string().value_unsafe();
          break;
        case Field::kMethod:
          if (value.is_string()) method = value.get_string().value_unsafe();
          break;
        case Field::kUrl:
          if (value.is_string()) url = value.get_string().value_unsafe();
          break;
        case Field::kFrom:
          if (value.is_string()) from = value.get_string().value_unsafe();
          break;
        case Field::kTo:
          if (value.is_string()) to = value.get_string().value_unsafe();
          break;
        case Field::kIgnore: break;
      }
    }
    if (role == Role::kMixed) {
      if (type_text.empty()) return "no 'type' field (ui, network or navigation)";
      auto r = role_of(type_text);
      if (!r) return fmt::format("unknown type '{}' (ui, network or navigation)", type_text);
      role = *r;
    }
    if (t == kNoTime) return "no timestamp (timestamp, time, ts, startTime; or --map time=FIELD)";
    if (o_.ignore_sessions) session = {};
    const bool no_session = session.empty();
    if (no_session) session = "default";
    if (role == Role::kUi) {
      out.ui_without_session += no_session;
      UiEvent e;
      e.t = t + o_.ui_offset_us;
      e.id = out.text.add(id);
      e.corr = out.text.add(corr);
      e.session = cached(session_cache_, session, out);
      e.thread = cached(thread_cache_, thread, out);
      e.screen = cached(screen_cache_, screen, out);
      e.action = cached(action_cache_, action, out);
      e.element = cached(element_cache_, element, out);
      out.ui.push_back(e);
    } else if (role == Role::kApi) {
      if (url.empty()) return "no url (url, path, endpoint; or --map url=FIELD)";
      out.api_without_session += no_session;
      ApiCall a;
      a.t = t;
      a.end = end != kNoTime ? end : duration_ms >= 0 ? t + static_cast<std::int64_t>(duration_ms * 1000) : kNoTime;
      a.id = out.text.add(id);
      a.corr = out.text.add(corr);
      a.truth = out.text.add(truth);
      a.initiator = out.text.add(initiator);
      out.any_initiator |= !initiator.empty();
      a.session = cached(session_cache_, session, out);
      a.thread = cached(thread_cache_, thread, out);
      char m[16];
      std::string_view mv = method.empty() ? std::string_view("GET") : method;
      std::size_t ml = std::min(mv.size(), sizeof m);
      for (std::size_t k = 0; k < ml; ++k) m[k] = mv[k] >= 'a' && mv[k] <= 'z' ? static_cast<char>(mv[k] - 'a' + 'A') : mv[k];
      a.method = cached(method_cache_, std::string_view(m, ml), out);
      a.endpoint = endpoint_id(url, out);
      a.status = status;
      out.api.push_back(a);
    } else {
      NavEvent n;
      n.t = t;
      n.id = out.text.add(id);
      n.session = out.strings.id(session);
      n.from = out.strings.id(from);
      n.to = out.strings.id(to.empty() ? screen : to);
      out.nav.push_back(n);
    }
    return {};
  }

 private:
  // Consecutive records mostly share their session and method: remember the last one.
  struct LastString {
    std::string text;
    std::uint32_t id = 0;
    bool valid = false;
  };
  static std::uint32_t cached(LastString& last, std::string_view s, Chunk& out) {
    if (last.valid && same_text(last.text, s)) return last.id;
    last.text.assign(s);
    last.id = out.strings.id(s);
    last.valid = true;
    return last.id;
  }
  // Consecutive records repeat these values: one string compare instead of a hash lookup.
  LastString session_cache_, method_cache_, thread_cache_, screen_cache_, action_cache_, element_cache_;

  // URLs repeat (the same endpoint with the same ids): template each distinct URL once per chunk.
  std::uint32_t endpoint_id(std::string_view url, Chunk& out) {
    std::uint64_t h = fast_hash(url);
    if (const std::uint32_t* id = url_cache_.find(url, h)) return *id;
    std::uint32_t id = out.strings.id(url_template(url));
    if (url_cache_.size() < 200000 && url_cache_.text_size() < (64u << 20)) url_cache_.insert(url, h, id);
    return id;
  }
  StringMap url_cache_;

  static std::string_view text_of(simdjson::dom::element v, std::string& scratch) {
    if (v.is_string()) return v.get_string().value_unsafe();
    if (v.is_int64()) {
      scratch = std::to_string(v.get_int64().value_unsafe());
      return scratch;
    }
    if (v.is_uint64()) {
      scratch = std::to_string(v.get_uint64().value_unsafe());
      return scratch;
    }
    if (v.is_double()) {
      scratch = fmt::format("{}", v.get_double().value_unsafe());
      return scratch;
    }
    return {};
  }

  std::string time_value(simdjson::dom::element v, std::int64_t& out) {
    if (v.is_number()) {
      double d = v.get_double().value_unsafe();
      if (!std::isfinite(d)) return "not a finite number";
      if (o_.time_unit == TimeUnit::kAuto && classify(d) != unit_ && d != 0) {
        return fmt::format("mixed time units: {} looks like {}, the file's first timestamp like {}",
                           v.is_double() ? fmt::format("{}", d) : std::to_string(static_cast<long long>(d)),
                           unit_name(classify(d)), unit_name(unit_));
      }
      out = to_us(d, unit_);
      return {};
    }
    if (v.is_string()) {
      std::string_view s = v.get_string().value_unsafe();
      if (auto us = core::parse_rfc3339_us(s)) {
        out = *us;
        return {};
      }
      char* end = nullptr;
      std::string copy(s);
      double d = std::strtod(copy.c_str(), &end);
      if (end != copy.c_str() && *end == '\0' && std::isfinite(d)) {
        out = to_us(d, unit_ == TimeUnit::kAuto ? classify(d) : unit_);
        return {};
      }
      return fmt::format("'{}' is not a time (RFC 3339 or epoch seconds/ms/us)", s.substr(0, 40));
    }
    return "expected a number or an RFC 3339 string";
  }

  const KeyMap& keys_;
  const Options& o_;
  TimeUnit unit_;
  Role role_;
};

// The time unit of a file: --time-unit, or the magnitude of its first numeric timestamp.
TimeUnit detect_unit(std::string_view bytes, const KeyMap& keys, TimeUnit forced) {
  if (forced != TimeUnit::kAuto) return forced;
  simdjson::dom::parser parser;
  std::size_t pos = 0;
  for (int n = 0; n < 50 && pos < bytes.size(); ++n) {
    std::size_t nl = bytes.find('\n', pos);
    std::string line(bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
    simdjson::dom::element el;
    if (parser.parse(line).get(el) != simdjson::SUCCESS) continue;
    simdjson::dom::object obj;
    if (el.get_object().get(obj) != simdjson::SUCCESS) continue;
    for (auto [key, value] : obj) {
      if (keys.lookup(key) == Field::kTime && value.is_number()) return classify(value.get_double().value_unsafe());
    }
  }
  return TimeUnit::kMillis;
}

// Merging a chunk into the store: prepare() (serial, in chunk order) interns the chunk's strings
// and reserves its place; place() (chunks in parallel) copies its records there with their
// strings remapped; finish() (serial) takes its diagnostics.
struct Placement {
  std::vector<std::uint32_t> remap;  // chunk string id -> store string id
  std::uint32_t text_base = 0;
  std::size_t ui_at = 0, api_at = 0, nav_at = 0;
};

Placement prepare(const Chunk& c, Store& store) {
  Placement p;
  p.remap.resize(c.strings.size());
  for (std::uint32_t i = 1; i < c.strings.size(); ++i) p.remap[i] = store.strings.id(c.strings.name(i));
  p.text_base = store.text.extend(c.text.size());
  p.ui_at = store.ui.size();
  p.api_at = store.api.size();
  p.nav_at = store.nav.size();
  store.ui.resize(p.ui_at + c.ui.size());  // not constructed: place() fills them
  store.api.resize(p.api_at + c.api.size());
  store.nav.resize(p.nav_at + c.nav.size());
  return p;
}

void place(const Chunk& c, const Placement& p, Store& store) {
  if (c.text.size() > 0) std::memcpy(store.text.data() + p.text_base, c.text.get(Str{0, static_cast<std::uint32_t>(c.text.size())}).data(), c.text.size());
  auto shift = [&](Str s) {
    if (!s.empty()) s.off += p.text_base;
    return s;
  };
  const auto& remap = p.remap;
  for (std::size_t k = 0; k < c.ui.size(); ++k) {
    UiEvent e = c.ui[k];
    e.id = shift(e.id);
    e.corr = shift(e.corr);
    e.session = remap[e.session];
    e.thread = remap[e.thread];
    e.screen = remap[e.screen];
    e.action = remap[e.action];
    e.element = remap[e.element];
    e.order = static_cast<std::uint32_t>(p.ui_at + k);
    store.ui[p.ui_at + k] = e;
  }
  for (std::size_t k = 0; k < c.api.size(); ++k) {
    ApiCall a = c.api[k];
    a.id = shift(a.id);
    a.corr = shift(a.corr);
    a.truth = shift(a.truth);
    a.initiator = shift(a.initiator);
    a.session = remap[a.session];
    a.thread = remap[a.thread];
    a.method = remap[a.method];
    a.endpoint = remap[a.endpoint];
    a.order = static_cast<std::uint32_t>(p.api_at + k);
    store.api[p.api_at + k] = a;
  }
  for (std::size_t k = 0; k < c.nav.size(); ++k) {
    NavEvent n = c.nav[k];
    n.id = shift(n.id);
    n.session = remap[n.session];
    n.from = remap[n.from];
    n.to = remap[n.to];
    store.nav[p.nav_at + k] = n;
  }
}

void finish(Chunk& c, std::size_t line_base, const std::string& path, Store& store) {
  for (auto& d : c.diagnostics) {
    d.path = path;
    if (d.line > 0) d.line += static_cast<int>(line_base);
    store.diagnostics.push_back(std::move(d));
  }
  store.skipped += c.skipped;
  store.any_initiator |= c.any_initiator;
  store.ui_without_session += c.ui_without_session;
  store.api_without_session += c.api_without_session;
}

void merge(Chunk& c, std::size_t line_base, const std::string& path, Store& store) {
  place(c, prepare(c, store), store);
  finish(c, line_base, path, store);
}

void fail_strict(const Options& o, const Chunk& c, const std::string& path, std::size_t line_base) {
  if (!o.strict || c.diagnostics.empty()) return;
  const auto& d = c.diagnostics.front();
  throw core::Error(core::ErrorKind::kInput, d.message + " (--strict)", path,
                    d.line > 0 ? d.line + static_cast<int>(line_base) : 0, 0);
}

// NDJSON: the text cut into ~8 MiB chunks at line breaks, parsed in parallel (parse_ndjson),
// merged in input order (merge_ndjson).
struct ParsedNdjson {
  TimeUnit unit = TimeUnit::kAuto;
  std::vector<Chunk> chunks;
  std::int64_t parse_ms = 0;
};

ParsedNdjson parse_ndjson(const core::FileContent& content, const std::string& path, Role role,
                          const KeyMap& keys, const Options& o) {
  auto started = std::chrono::steady_clock::now();
  std::string_view bytes = content.bytes();
  TimeUnit unit = detect_unit(bytes, keys, o.time_unit);
  constexpr std::size_t kChunk = 8u << 20;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t pos = 0; pos < bytes.size();) {
    std::size_t end = std::min(bytes.size(), pos + kChunk);
    if (end < bytes.size()) {
      std::size_t nl = bytes.find('\n', end);
      end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    }
    ranges.emplace_back(pos, end);
    pos = end;
  }
  std::vector<Chunk> chunks(ranges.size());
  core::TaskEdges edges;
  auto parse_range = [&](std::size_t ci) {
    Chunk& c = chunks[ci];
    // Records are ~100-300 bytes: reserve for the common case instead of growing by copies.
    std::size_t guess = (ranges[ci].second - ranges[ci].first) / 160 + 16;
    if (role == Role::kUi) c.ui.reserve(guess);
    if (role == Role::kApi) c.api.reserve(guess);
    simdjson::dom::parser parser;
    RecordReader reader(keys, o, unit, role);
    std::string padded;
    const char* base = bytes.data();
    std::size_t pos = ranges[ci].first, stop = ranges[ci].second;
    // Each chunk maps its own pages and drops them when done: no page-fault contention between
    // threads, and resident memory stays at a few chunks however large the file is.
    content.prefault(pos, stop - pos);
    struct Release {
      const core::FileContent& c;
      std::size_t from, length;
      ~Release() { c.release(from, length); }
    } release{content, pos, stop - pos};
    while (pos < stop) {
      const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', stop - pos));
      std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - base) : stop;
      ++c.lines;
      std::size_t len = end - pos;
      while (len > 0 && (base[pos + len - 1] == '\r' || base[pos + len - 1] == ' ' || base[pos + len - 1] == '\t')) --len;
      std::size_t first = pos;
      while (first < pos + len && (base[first] == ' ' || base[first] == '\t')) ++first;
      len -= first - pos;
      if (len > 0) {
        simdjson::dom::element el;
        simdjson::error_code err;
        if (first + len + simdjson::SIMDJSON_PADDING <= bytes.size()) {
          err = parser.parse(base + first, len, false).get(el);
        } else {
          padded.assign(base + first, len);
          err = parser.parse(padded).get(el);
        }
        std::string problem = err != simdjson::SUCCESS
                                  ? fmt::format("invalid JSON: {}", simdjson::error_message(err))
                                  : reader.read(el, c);
        if (!problem.empty()) {
          ++c.skipped;
          if (c.diagnostics.size() < 1000) {
            c.diagnostics.push_back({path, static_cast<int>(c.lines), 0, core::Severity::kError,
                                     problem + "; record skipped"});
          }
          if (o.strict) return;
        }
      }
      pos = end + 1;
    }
  };
  edges.fork();
  tbb::parallel_for(std::size_t{0}, ranges.size(), core::TaskEdges::body(parse_range));
  edges.joined();
  return {unit, std::move(chunks),
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                started)
              .count()};
}

TimeUnit merge_ndjson(ParsedNdjson& parsed_file, const std::string& path, const Options& o,
                      Store& store) {
  auto parsed = std::chrono::steady_clock::now();
  std::vector<Chunk>& chunks = parsed_file.chunks;
  std::size_t ui_total = store.ui.size(), api_total = store.api.size(), nav_total = store.nav.size();
  for (const auto& c : chunks) {
    ui_total += c.ui.size();
    api_total += c.api.size();
    nav_total += c.nav.size();
  }
  store.ui.reserve(ui_total);
  store.api.reserve(api_total);
  store.nav.reserve(nav_total);
  std::size_t text_total = 0;
  for (const auto& c : chunks) text_total += c.text.size();
  store.text.reserve_more(text_total);
  std::vector<Placement> placements;
  placements.reserve(chunks.size());
  std::size_t line_base = 0;
  for (auto& c : chunks) {
    fail_strict(o, c, path, line_base);
    placements.push_back(prepare(c, store));
    finish(c, line_base, path, store);
    line_base += c.lines;
  }
  core::TaskEdges edges_place;
  auto place_chunk = [&](std::size_t ci) {
    place(chunks[ci], placements[ci], store);
    chunks[ci] = Chunk{};  // free the chunk's copy now
  };
  edges_place.fork();
  tbb::parallel_for(std::size_t{0}, chunks.size(), core::TaskEdges::body(place_chunk));
  edges_place.joined();
  spdlog::debug("correlate: read {}: parse {} ms, merge {} ms", path, parsed_file.parse_ms,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - parsed)
                    .count());
  return parsed_file.unit;
}

TimeUnit read_document(std::string_view bytes, const std::string& path, Role role, const KeyMap& keys,
                       const Options& o, Store& store) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::padded_string padded(bytes);
  if (auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    throw core::Error(core::ErrorKind::kInput, fmt::format("invalid JSON: {}", simdjson::error_message(err)), path);
  }
  Chunk c;
  TimeUnit unit = o.time_unit;
  {  // HAR files went to read_har(): here a JSON array of records or one record
    simdjson::dom::array records;
    if (root.get_array().get(records) != simdjson::SUCCESS) {
      // One object: a single record.
      if (unit == TimeUnit::kAuto) unit = TimeUnit::kMillis;
      RecordReader reader(keys, o, unit, role);
      std::string p = reader.read(root, c);
      if (!p.empty()) c.diagnostics.push_back({path, 1, 0, core::Severity::kError, p + "; record skipped"});
    } else {
      if (unit == TimeUnit::kAuto) {
        unit = TimeUnit::kMillis;
        for (auto r : records) {
          simdjson::dom::object obj;
          if (r.get_object().get(obj) != simdjson::SUCCESS) continue;
          bool found = false;
          for (auto [key, value] : obj) {
            if (keys.lookup(key) == Field::kTime && value.is_number()) {
              unit = classify(value.get_double().value_unsafe());
              found = true;
              break;
            }
          }
          if (found) break;
        }
      }
      RecordReader reader(keys, o, unit, role);
      std::size_t index = 0;
      for (auto r : records) {
        std::string p = reader.read(r, c);
        if (!p.empty()) {
          ++c.skipped;
          c.diagnostics.push_back({path, 0, 0, core::Severity::kError,
                                   fmt::format("[{}]: {}; record skipped", index, p)});
        }
        ++index;
      }
    }
  }
  fail_strict(o, c, path, 0);
  merge(c, 0, path, store);
  return unit;
}

// Duplicate ids make links ambiguous (an initiator or a truth naming two events): reported as
// warnings, the first 20 in hash order. The ids' hashes are partitioned by their top byte into
// 256 cache-sized buckets (counted and scattered per block, in parallel), and each bucket is
// checked with an open-addressing table of its own: linear, where sorting 6M hashes was not.
void check_duplicate_ids(Store& store) {
  auto check = [&](const char* what, std::size_t n, auto id_of) {
    if (n == 0) return;
    constexpr std::size_t kBlock = 1u << 16, kBuckets = 256;
    const std::size_t n_blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::uint64_t> hashes(n);
    std::vector<std::array<std::uint32_t, kBuckets>> counts(n_blocks);
    core::TaskEdges edges;
    auto hash_block = [&](std::size_t b) {
      auto& count = counts[b];
      count.fill(0);
      for (std::size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
        std::string_view id = id_of(static_cast<std::uint32_t>(i));
        hashes[i] = id.empty() ? 0 : fast_hash(id) | 1;  // 0: no id
        if (hashes[i] != 0) ++count[hashes[i] >> 56];
      }
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, n_blocks, core::TaskEdges::body(hash_block));
    edges.joined();
    // Where each block's share of each bucket goes: buckets in order, blocks in order within.
    std::array<std::size_t, kBuckets + 1> start{};
    std::vector<std::array<std::uint32_t, kBuckets>> at(n_blocks);
    std::size_t pos = 0;
    for (std::size_t k = 0; k < kBuckets; ++k) {
      start[k] = pos;
      for (std::size_t b = 0; b < n_blocks; ++b) {
        at[b][k] = static_cast<std::uint32_t>(pos);
        pos += counts[b][k];
      }
    }
    start[kBuckets] = pos;
    std::vector<std::uint32_t> scattered(pos);  // indices, grouped by bucket
    core::TaskEdges edges_scatter;
    auto scatter_block = [&](std::size_t b) {
      auto next = at[b];
      for (std::size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
        if (hashes[i] != 0) scattered[next[hashes[i] >> 56]++] = static_cast<std::uint32_t>(i);
      }
    };
    edges_scatter.fork();
    tbb::parallel_for(std::size_t{0}, n_blocks, core::TaskEdges::body(scatter_block));
    edges_scatter.joined();
    // Each bucket: (hash, index) of every record whose id an earlier record of the bucket had.
    std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> repeats(kBuckets);
    core::TaskEdges edges_check;
    auto check_bucket = [&](std::size_t k) {
      std::size_t size = start[k + 1] - start[k];
      if (size < 2) return;
      std::size_t cap = 16;
      while (cap < 2 * size) cap *= 2;
      std::vector<std::uint32_t> table(cap, std::numeric_limits<std::uint32_t>::max());
      for (std::size_t s = start[k]; s < start[k + 1]; ++s) {
        const std::uint32_t i = scattered[s];
        const std::uint64_t h = hashes[i];
        for (std::size_t slot = (h ^ (h >> 29)) & (cap - 1);; slot = (slot + 1) & (cap - 1)) {
          std::uint32_t other = table[slot];
          if (other == std::numeric_limits<std::uint32_t>::max()) {
            table[slot] = i;
            break;
          }
          if (hashes[other] == h && id_of(other) == id_of(i)) {
            repeats[k].emplace_back(h, i);
            break;
          }
        }
      }
    };
    edges_check.fork();
    tbb::parallel_for(std::size_t{0}, kBuckets, core::TaskEdges::body(check_bucket));
    edges_check.joined();
    std::vector<std::pair<std::uint64_t, std::uint32_t>> all;
    for (auto& r : repeats) all.insert(all.end(), r.begin(), r.end());
    std::sort(all.begin(), all.end());
    std::size_t reported = 0;
    for (std::size_t k = 0; k < all.size() && reported < 20; ++k) {
      if (k > 0 && all[k - 1].first == all[k].first) continue;  // once per repeated id
      ++reported;
      store.diagnostics.push_back({"", 0, 0, core::Severity::kWarning,
                                   fmt::format("duplicate {} id '{}'", what, id_of(all[k].second).substr(0, 80))});
    }
    if (all.size() > reported) {
      store.diagnostics.push_back({"", 0, 0, core::Severity::kWarning,
                                   fmt::format("{} {} records repeat an earlier id", all.size(), what)});
    }
  };
  check("UI event", store.ui.size(), [&](std::uint32_t i) { return store.text.get(store.ui[i].id); });
  check("API call", store.api.size(), [&](std::uint32_t i) { return store.text.get(store.api[i].id); });
}

}  // namespace

void read_inputs(const Options& options, Store& store) {
  KeyMap keys = build_keys(options);
  // NDJSON inputs are parsed in the background while the next inputs are opened (the UI and API
  // files are independent: the API file's chunks keep both cores busy while the UI file's last
  // chunks finish and merge), and merged in input order: before anything else goes into the
  // store, the inputs before it are merged.
  struct Pending {
    Store::InputInfo info;
    core::FileContent content;
    ParsedNdjson parsed;
  };
  std::deque<Pending> pending;  // stable addresses for the parsing tasks
  tbb::task_group parsing;
  core::TaskEdges parse_edges;
  std::size_t merged = 0;
  auto count_input = [&store](Store::InputInfo& info, std::size_t ui_before, std::size_t api_before,
                              std::size_t nav_before) {
    info.ui = store.ui.size() - ui_before;
    info.api = store.api.size() - api_before;
    info.nav = store.nav.size() - nav_before;
    store.inputs.push_back(info);
  };
  auto merge_pending = [&] {
    if (merged == pending.size()) return;
    parsing.wait();
    parse_edges.joined();
    for (; merged < pending.size(); ++merged) {
      Pending& p = pending[merged];
      const std::size_t ui_before = store.ui.size(), api_before = store.api.size(),
                        nav_before = store.nav.size();
      p.info.unit = merge_ndjson(p.parsed, p.info.path, options, store);
      count_input(p.info, ui_before, api_before, nav_before);
      if (p.content.truncated()) {
        store.diagnostics.push_back(
            {p.info.path, 0, 0, core::Severity::kError, std::string(core::kChangedWhileRead)});
      }
      p.parsed = ParsedNdjson{};
      p.content = core::FileContent{};
    }
  };
  try {
    for (const auto& input : options.inputs) {
      bool is_stdin = input.path == "-";
      auto content = core::read_input(input.path, is_stdin, core::ReadLimits{});
      if (!content) {
        store.diagnostics.push_back({input.path, 0, 0, core::Severity::kError, content.error()});
        continue;
      }
      std::string_view bytes = content->bytes();
      if (core::looks_binary(bytes)) {
        store.diagnostics.push_back(
            {input.path, 0, 0, core::Severity::kError, "binary file, not JSON"});
        continue;
      }
      std::size_t first = bytes.find_first_not_of(" \t\r\n");
      if (first == std::string_view::npos) {
        store.diagnostics.push_back({input.path, 0, 0, core::Severity::kWarning, "empty input"});
        continue;
      }
      Store::InputInfo info;
      info.path = input.path;
      info.role = input.role;
      // HAR (any size) is streamed entry by entry; for anything else read_har() gives up after
      // the root object (an NDJSON file's first line), having merged nothing.
      std::size_t ui_before = 0, api_before = 0, nav_before = 0;
      bool har_started = false;
      if (bytes[first] == '{' &&
          read_har(*content, input.path, input.role, options, info, [&](Store& part) {
            if (!har_started) {
              merge_pending();
              ui_before = store.ui.size();
              api_before = store.api.size();
              nav_before = store.nav.size();
              har_started = true;
            }
            Chunk c;
            static_cast<Store&>(c) = std::move(part);
            bool error = std::any_of(
                c.diagnostics.begin(), c.diagnostics.end(),
                [](const core::Diagnostic& d) { return d.severity == core::Severity::kError; });
            if (error) fail_strict(options, c, input.path, 0);
            merge(c, 0, input.path, store);
          })) {
        if (!har_started) {  // a HAR without a part (none is expected): counted as empty
          merge_pending();
          ui_before = store.ui.size();
          api_before = store.api.size();
          nav_before = store.nav.size();
        }
        count_input(info, ui_before, api_before, nav_before);
        if (content->truncated()) {
          store.diagnostics.push_back(
              {input.path, 0, 0, core::Severity::kError, std::string(core::kChangedWhileRead)});
        }
        continue;
      }
      bool document = bytes[first] == '[' || input.path.ends_with(".har");
      if (!document && bytes[first] == '{') {
        // A pretty-printed object (a HAR file or one record) does not end on its first line.
        std::size_t nl = bytes.find('\n', first);
        std::string line(bytes.substr(
            first, nl == std::string_view::npos ? std::string_view::npos : nl - first));
        simdjson::dom::parser probe;
        simdjson::dom::element el;
        document = probe.parse(line).get(el) != simdjson::SUCCESS && nl != std::string_view::npos;
      }
      if (document) {
        merge_pending();
        ui_before = store.ui.size();
        api_before = store.api.size();
        nav_before = store.nav.size();
        info.format = "json";
        info.unit = read_document(bytes, input.path, input.role, keys, options, store);
        count_input(info, ui_before, api_before, nav_before);
        if (content->truncated()) {
          store.diagnostics.push_back(
              {input.path, 0, 0, core::Severity::kError, std::string(core::kChangedWhileRead)});
        }
        continue;
      }
      info.format = "ndjson";
      Pending& p = pending.emplace_back(
          Pending{std::move(info), std::move(content.value()), ParsedNdjson{}});
      auto parse = [&p, &keys, &options, role = input.role] {
        p.parsed = parse_ndjson(p.content, p.info.path, role, keys, options);
      };
      parse_edges.fork();
      parsing.run(core::TaskEdges::body(parse));
    }
    merge_pending();
  } catch (...) {
    parsing.wait();  // no task may outlive what it reads
    throw;
  }
  auto checked = std::chrono::steady_clock::now();
  check_duplicate_ids(store);
  spdlog::debug("correlate: duplicate id check {} ms",
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - checked).count());
}

std::vector<std::string> map_keys() {
  std::vector<std::string> out;
  for (const auto& [key, names] : default_keys()) out.emplace_back(key);
  return out;
}

}  // namespace obscore::correlate
