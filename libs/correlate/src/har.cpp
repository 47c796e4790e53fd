// HAR 1.2 as real tools write it, streamed: scan_har() walks the bytes structurally (no
// document tree; a multi-GB export is one pass), read_har() parses the entries it hands out in
// parallel batches with simdjson, one small document per entry, and merges each batch in order.
// Exporter shapes handled: Chrome/Edge (alphabetical keys, pages + pageref, _initiator objects,
// _resourceType, timings of -1, status 0 with response._error), Firefox (offsets in
// startedDateTime, pageref first), Charles, Proxyman and mitmproxy (no pages, no pageref,
// integer or fractional times, microsecond timestamps, `response: null` for a request that got
// no answer).
#include "har_read.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "obscore/core/error.hpp"
#include "obscore/core/time.hpp"
#include "obscore/core/tsan.hpp"
#include "obscore/correlate/har.hpp"

namespace obscore::correlate {

namespace {

constexpr std::size_t kNpos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// One past the closing quote of the string opening at b[i], or kNpos when unterminated.
std::size_t string_end(std::string_view b, std::size_t i) {
  std::size_t p = i + 1;
  // Most strings (keys, names, short values) end within a few bytes: look there first, without
  // a call; long ones (bodies) go to memchr.
  for (const std::size_t stop = std::min(b.size(), p + 48); p < stop; ++p) {
    if (b[p] == '"') return p + 1;
    if (b[p] == '\\') {
      if (++p == stop) break;  // the escaped byte (checked by the loop below when cut here)
    }
  }
  if (p > b.size()) return kNpos;
  while (p < b.size()) {
    const void* q = std::memchr(b.data() + p, '"', b.size() - p);
    if (q == nullptr) return kNpos;
    auto k = static_cast<std::size_t>(static_cast<const char*>(q) - b.data());
    std::size_t j = k;
    while (j > i + 1 && b[j - 1] == '\\') --j;
    if ((k - j) % 2 == 0) return k + 1;  // an even run of backslashes escapes nothing
    p = k + 1;
  }
  return kNpos;
}

// Classes of bytes for the nesting scan: 0 plain, 1 quote, 2 opening, 3 closing.
constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  t['"'] = 1;
  t['{'] = 2;
  t['['] = 2;
  t['}'] = 3;
  t[']'] = 3;
  return t;
}();

// One past the end of the JSON value starting at b[i], or kNpos when the bytes end inside it.
std::size_t value_end(std::string_view b, std::size_t i) {
  const std::size_t n = b.size();
  if (i >= n) return kNpos;
  if (b[i] == '"') return string_end(b, i);
  if (b[i] != '{' && b[i] != '[') {
    while (i < n && !is_space(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']') ++i;
    return i;
  }
  std::size_t depth = 0;  // (a file of nothing but brackets must not overflow it)
  for (std::size_t k = i; k < n;) {
    switch (kClass[static_cast<unsigned char>(b[k])]) {
      case 0:
        ++k;
        while (k < n && kClass[static_cast<unsigned char>(b[k])] == 0) ++k;
        break;
      case 1:
        k = string_end(b, k);
        if (k == kNpos) return kNpos;
        break;
      case 2:
        ++depth;
        ++k;
        break;
      default:
        ++k;
        if (--depth == 0) return k;
        break;
    }
  }
  return kNpos;
}

class Scanner {
 public:
  Scanner(std::string_view b, const std::function<void(HarPart, std::string_view, std::size_t)>& on_part)
      : b_(b), on_part_(on_part) {}

  HarScan run() {
    ws();
    if (i_ >= b_.size() || b_[i_] != '{') return std::move(scan_);
    bool log_seen = false;
    members("the root object", [&](std::string_view key) {
      if (key == "log" && !log_seen && i_ < b_.size() && b_[i_] == '{') {
        log_seen = true;
        return log();
      }
      return skip("the root object");
    });
    if (!scan_.is_har) {
      scan_.error.clear();  // not a HAR: whatever the root was, the caller reads it otherwise
      scan_.error_offset = 0;
    }
    return std::move(scan_);
  }

 private:
  void ws() {
    while (i_ < b_.size() && is_space(b_[i_])) ++i_;
  }
  bool fail(std::string what) {
    if (scan_.error.empty()) {
      scan_.error = std::move(what);
      scan_.error_offset = std::min(i_, b_.size());
    }
    return false;
  }
  bool skip(const std::string& where) {
    std::size_t e = value_end(b_, i_);
    if (e == kNpos || e == i_) return fail(fmt::format("truncated inside {}", where));
    i_ = e;
    return true;
  }
  // Walks the members of the object at b_[i_] == '{', calling member(key) with i_ at each
  // value (which it must consume); false when the bytes end or are not JSON.
  template <class Member>
  bool members(const std::string& where, Member member) {
    ++i_;
    ws();
    if (i_ < b_.size() && b_[i_] == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      if (i_ >= b_.size()) return fail(fmt::format("truncated inside {}", where));
      if (b_[i_] != '"') return fail(fmt::format("expected a key in {}", where));
      std::size_t e = string_end(b_, i_);
      if (e == kNpos) return fail(fmt::format("truncated inside {}", where));
      std::string_view key = b_.substr(i_ + 1, e - i_ - 2);
      i_ = e;
      ws();
      if (i_ >= b_.size()) return fail(fmt::format("truncated inside {}", where));
      if (b_[i_] != ':') return fail(fmt::format("expected ':' after a key in {}", where));
      ++i_;
      ws();
      if (!member(key)) return false;
      ws();
      if (i_ >= b_.size()) return fail(fmt::format("truncated inside {}", where));
      if (b_[i_] == ',') {
        ++i_;
        continue;
      }
      if (b_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail(fmt::format("expected ',' or '}}' in {}", where));
    }
  }
  // The elements of the array at b_[i_] (or a skip when it is no array), each to on_part_.
  bool elements(const char* name, HarPart part, std::size_t& count) {
    if (i_ >= b_.size() || b_[i_] != '[') return skip(fmt::format("log.{}", name));
    ++i_;
    ws();
    if (i_ < b_.size() && b_[i_] == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      std::size_t e = value_end(b_, i_);
      if (e == kNpos || e == i_) return fail(fmt::format("truncated inside log.{}[{}]", name, count));
      on_part_(part, b_.substr(i_, e - i_), i_);
      ++count;
      i_ = e;
      ws();
      if (i_ >= b_.size()) return fail(fmt::format("truncated after log.{}[{}]", name, count - 1));
      if (b_[i_] == ',') {
        ++i_;
        continue;
      }
      if (b_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail(fmt::format("expected ',' or ']' after log.{}[{}]", name, count - 1));
    }
  }
  bool log() {
    return members("log", [&](std::string_view key) {
      if (key == "entries") {
        scan_.is_har = true;
        return elements("entries", HarPart::kEntry, scan_.entries);
      }
      if (key == "pages") return elements("pages", HarPart::kPage, scan_.pages);
      if (key == "creator") {
        std::size_t e = value_end(b_, i_);
        if (e == kNpos || e == i_) return fail("truncated inside log.creator");
        on_part_(HarPart::kCreator, b_.substr(i_, e - i_), i_);
        i_ = e;
        return true;
      }
      return skip("log");
    });
  }

  std::string_view b_;
  std::size_t i_ = 0;
  const std::function<void(HarPart, std::string_view, std::size_t)>& on_part_;
  HarScan scan_;
};

// ---- entries -> API calls ----------------------------------------------------------------

// Chrome's _resourceType values of what a page loads to render, not what an app calls.
bool static_resource_type(std::string_view t) {
  for (std::string_view s : {"stylesheet", "script", "image", "font", "media", "manifest", "texttrack"}) {
    if (t == s) return true;
  }
  return false;
}

// The same judgement from the response's MIME type, for exporters without _resourceType.
std::optional<std::string_view> static_mime(std::string_view m) {
  std::string lower(m.substr(0, 64));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.starts_with("image/")) return "image";
  if (lower.starts_with("font/") || lower.find("font-") != std::string::npos || lower.find("x-font") != std::string::npos) {
    return "font";
  }
  if (lower.starts_with("video/") || lower.starts_with("audio/")) return "media";
  if (lower.starts_with("text/css")) return "stylesheet";
  if (lower.find("javascript") != std::string::npos || lower.find("ecmascript") != std::string::npos ||
      lower.starts_with("application/wasm")) {
    return "script";
  }
  return std::nullopt;
}

std::string_view header_trace_id(std::string_view tp) {
  if (tp.size() >= 55 && tp[2] == '-' && tp[35] == '-') return tp.substr(3, 32);  // W3C traceparent
  return tp;
}

bool number_of(simdjson::dom::element v, double& out) {
  if (v.is_double()) {
    out = v.get_double().value_unsafe();
  } else if (v.is_int64()) {
    out = static_cast<double>(v.get_int64().value_unsafe());
  } else if (v.is_uint64()) {
    out = static_cast<double>(v.get_uint64().value_unsafe());
  } else {
    return false;
  }
  return std::isfinite(out);
}

struct Part {
  Store store;
  std::map<std::string, std::size_t> static_skipped;  // by resource type
  bool pageref_session = false;
};

struct EntryContext {
  const Options& o;
  std::string session_field;  // --map session=FIELD: an entry field naming the session
  std::string id_field;       // --map id=FIELD
};

// One entry into `part`; an error message when it cannot be an API call (empty on success or
// when it was skipped as a static resource).
std::string read_entry(simdjson::dom::element entry, std::size_t index, const EntryContext& cx, Part& part) {
  if (!entry.is_object()) return "an entry must be a JSON object";
  std::string_view started, method, url;
  if (entry["startedDateTime"].get(started) != simdjson::SUCCESS) return "no startedDateTime";
  auto t = core::parse_rfc3339_us(started);
  if (!t) return fmt::format("startedDateTime '{}' is not RFC 3339", started.substr(0, 40));
  simdjson::dom::element request;
  if (entry["request"].get(request) != simdjson::SUCCESS || !request.is_object() ||
      request["method"].get(method) != simdjson::SUCCESS || request["url"].get(url) != simdjson::SUCCESS) {
    return "no request.method or request.url";
  }
  simdjson::dom::element response;
  const bool has_response = entry["response"].get(response) == simdjson::SUCCESS && response.is_object();
  // What a page loads to render is not an API call.
  std::string_view type;
  if (entry["_resourceType"].get(type) == simdjson::SUCCESS) {
    if (static_resource_type(type)) {
      ++part.static_skipped[std::string(type)];
      return {};
    }
  } else if (std::string_view mime; has_response && response["content"]["mimeType"].get(mime) == simdjson::SUCCESS) {
    if (auto kind = static_mime(mime)) {
      ++part.static_skipped[std::string(*kind)];
      return {};
    }
  }
  if (url.starts_with("data:") || url.starts_with("blob:")) {
    ++part.static_skipped["data/blob URL"];
    return {};
  }
  Store& c = part.store;
  ApiCall a;
  a.t = *t;
  // Duration: `time`, or the sum of the timings that apply (-1: does not apply; ssl is part of
  // connect), or unknown.
  double time_ms = -1;
  if (simdjson::dom::element v; entry["time"].get(v) == simdjson::SUCCESS) {
    if (!number_of(v, time_ms)) time_ms = -1;
  }
  if (time_ms < 0) {
    simdjson::dom::object timings;
    if (entry["timings"].get(timings) == simdjson::SUCCESS) {
      double sum = 0;
      bool any = false;
      for (const char* k : {"blocked", "dns", "connect", "send", "wait", "receive"}) {
        double x = 0;
        simdjson::dom::element v;
        if (timings[k].get(v) == simdjson::SUCCESS && number_of(v, x) && x >= 0) {
          sum += x;
          any = true;
        }
      }
      if (any) time_ms = sum;
    }
  }
  a.end = time_ms >= 0 ? *t + static_cast<std::int64_t>(std::llround(time_ms * 1000)) : kNoTime;
  std::string_view rid;
  std::string id;
  // The id field given by --map, else the ids browsers write, else the entry's position.
  if ((!cx.id_field.empty() && entry[cx.id_field].get(rid) == simdjson::SUCCESS) ||
      entry["_requestId"].get(rid) == simdjson::SUCCESS || entry["_id"].get(rid) == simdjson::SUCCESS) {
    id = rid;
  } else {
    id = fmt::format("entry-{}", index);
  }
  a.id = c.text.add(id);
  // Session: --map session=FIELD on the entry, else pageref (a page id), else none.
  std::string_view session;
  if (!cx.o.ignore_sessions) {
    if (!cx.session_field.empty()) {
      simdjson::dom::element v;
      if (entry[cx.session_field].get(v) == simdjson::SUCCESS && v.is_string()) session = v.get_string().value_unsafe();
    } else if (entry["pageref"].get(session) == simdjson::SUCCESS && !session.empty()) {
      part.pageref_session = true;
    }
  }
  if (session.empty()) {
    ++c.api_without_session;
    session = "default";
  }
  a.session = c.strings.id(session);
  std::string m(method.substr(0, 16));
  for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  a.method = c.strings.id(m.empty() ? std::string("GET") : m);
  a.endpoint = c.strings.id(url_template(url));
  std::int64_t status = 0;
  if (has_response) {
    simdjson::dom::element v;
    double d = 0;
    if (response["status"].get(v) == simdjson::SUCCESS && number_of(v, d) && d >= 0 && d < 1000) {
      status = static_cast<std::int64_t>(d);
    }
  }
  a.status = static_cast<std::int32_t>(status);
  // Correlation from request headers (names are case-insensitive; HTTP/2 lower-cases them).
  simdjson::dom::array headers;
  if (request["headers"].get(headers) == simdjson::SUCCESS) {
    for (auto h : headers) {
      std::string_view name, value;
      if (h["name"].get(name) != simdjson::SUCCESS || h["value"].get(value) != simdjson::SUCCESS) continue;
      if (name.size() > 32) continue;
      std::string lower(name);
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lower == "traceparent") {
        a.corr = c.text.add(header_trace_id(value));
      } else if ((lower == "x-correlation-id" || lower == "x-request-id" || lower == "x-b3-traceid") && a.corr.empty()) {
        a.corr = c.text.add(value);
      }
    }
  }
  // The UI event from _initiator when the recorder put its id there (Chrome's own _initiator
  // {type, url, stack} names no UI event).
  simdjson::dom::element init;
  if (entry["_initiator"].get(init) == simdjson::SUCCESS) {
    std::string_view s;
    if (init.is_string()) {
      a.initiator = c.text.add(init.get_string().value_unsafe());
    } else if (init.is_object()) {
      for (const char* k : {"eventId", "uiEventId", "event_id", "id"}) {
        if (init[k].get(s) == simdjson::SUCCESS) {
          a.initiator = c.text.add(s);
          break;
        }
      }
    }
  }
  if (!cx.o.truth_field.empty()) {
    simdjson::dom::element v;
    if (entry[cx.o.truth_field].get(v) == simdjson::SUCCESS && v.is_string()) a.truth = c.text.add(v.get_string().value_unsafe());
  }
  c.any_initiator |= !a.initiator.empty();
  c.api.push_back(a);
  return {};
}

struct Extent {
  std::size_t offset, length, index;
};

}  // namespace

HarScan scan_har(std::string_view bytes, const std::function<void(HarPart, std::string_view, std::size_t)>& on_part) {
  return Scanner(bytes, on_part).run();
}

bool read_har(const core::FileContent& content, const std::string& path, Role role, const Options& o,
              Store::InputInfo& info, const std::function<void(Store&)>& merge_part) {
  const std::string_view bytes = content.bytes();
  EntryContext cx{o, {}, {}};
  for (const auto& [key, field] : o.field_map) {
    if (key == "session") cx.session_field = field;
    if (key == "id") cx.id_field = field;
  }
  std::string creator;
  std::vector<Extent> batch;
  std::size_t batch_bytes = 0, from = 0;
  bool any_entry = false;
  std::map<std::string, std::size_t> static_skipped;
  std::size_t next_index = 0;
  // Parses the batch on all cores in slices, each into a Part of its own; merges them in order;
  // gives the batch's pages back to the kernel.
  auto flush = [&] {
    if (batch.empty()) return;
    if (role == Role::kUi || role == Role::kNav) {
      throw core::Error(core::ErrorKind::kUsage, "a HAR file holds API calls: pass it with --api", path);
    }
    constexpr std::size_t kSlice = 2048;
    const std::size_t n_slices = (batch.size() + kSlice - 1) / kSlice;
    std::vector<Part> parts(n_slices);
    core::TaskEdges edges;
    auto parse_slice = [&](std::size_t s) {
      simdjson::dom::parser parser;
      Part& part = parts[s];
      for (std::size_t k = s * kSlice, end = std::min(batch.size(), k + kSlice); k < end; ++k) {
        const Extent& x = batch[k];
        simdjson::dom::element el;
        // The bytes after an entry (at least `,` or `]` and the rest of the file) are readable;
        // simdjson wants its padding readable, so entries near the end are copied.
        auto err = x.offset + x.length + simdjson::SIMDJSON_PADDING <= bytes.size()
                       ? parser.parse(bytes.data() + x.offset, x.length, false).get(el)
                       : parser.parse(bytes.substr(x.offset, x.length)).get(el);
        std::string problem = err != simdjson::SUCCESS ? fmt::format("invalid JSON: {}", simdjson::error_message(err))
                                                       : read_entry(el, x.index, cx, part);
        if (!problem.empty()) {
          ++part.store.skipped;
          if (part.store.diagnostics.size() < 100) {
            part.store.diagnostics.push_back({path, 0, 0, core::Severity::kError,
                                              fmt::format("log.entries[{}]: {}; entry skipped", x.index, problem)});
          }
        }
      }
    };
    edges.fork();
    tbb::parallel_for(std::size_t{0}, n_slices, core::TaskEdges::body(parse_slice));
    edges.joined();
    for (Part& part : parts) {
      for (const auto& [type, n] : part.static_skipped) static_skipped[type] += n;
      info.sessions_from_pageref |= part.pageref_session;
      merge_part(part.store);
    }
    const std::size_t to = batch.back().offset + batch.back().length;
    content.release(from, to - from);
    from = to;
    batch.clear();
    batch_bytes = 0;
  };
  HarScan scan = scan_har(bytes, [&](HarPart kind, std::string_view text, std::size_t offset) {
    if (kind == HarPart::kCreator) {
      simdjson::dom::parser p;
      simdjson::dom::element el;
      std::string_view name, version;
      if (p.parse(std::string(text)).get(el) == simdjson::SUCCESS && el["name"].get(name) == simdjson::SUCCESS) {
        creator = std::string(name.substr(0, 60));
        if (el["version"].get(version) == simdjson::SUCCESS && !version.empty()) {
          creator += " " + std::string(version.substr(0, 30));
        }
      }
      return;
    }
    if (kind != HarPart::kEntry) return;
    any_entry = true;
    batch.push_back({offset, text.size(), next_index++});
    batch_bytes += text.size();
    if (batch_bytes >= (64u << 20) || batch.size() >= (1u << 17)) flush();
  });
  if (!scan.is_har && !any_entry) return false;
  flush();
  info.format = creator.empty() ? "har" : fmt::format("har ({})", creator);
  Store notes;
  if (!scan.error.empty()) {
    notes.diagnostics.push_back(
        {path, 0, 0, core::Severity::kError,
         fmt::format("{} at byte {}: the HAR is cut short or malformed; the {} entries before it were read",
                     scan.error, scan.error_offset, scan.entries)});
  }
  if (!static_skipped.empty()) {
    std::size_t total = 0;
    std::string kinds;
    for (const auto& [type, n] : static_skipped) {
      total += n;
      kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", n, type);
    }
    notes.diagnostics.push_back({path, 0, 0, core::Severity::kNote,
                                 fmt::format("{} of {} entries are page resources, not API calls ({}): not attributed",
                                             total, scan.entries, kinds)});
  }
  merge_part(notes);
  return true;
}

}  // namespace obscore::correlate
