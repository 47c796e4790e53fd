// The event parser wrapper: libfyaml configured per syntax, strict JSON checks, diagnostics
// turned into core::Error with line and column (see events.hpp).
#include "events.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "obscore/core/error.hpp"

namespace obscore::config::detail {

namespace {

// Accepts everything: nlohmann's strict parser does the checking.
struct NullSax {
  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(std::int64_t) { return true; }
  bool number_unsigned(std::uint64_t) { return true; }
  bool number_float(double, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(std::vector<std::uint8_t>&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(std::string&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    message = ex.what();
    return false;
  }
  std::string message;
};

// Strict RFC 8259: what YAML's flow syntax would also accept (comments, trailing commas, single
// quotes, bare words) is an error with its position.
void check_strict_json(std::string_view text, const std::string& path) {
  NullSax sax;
  if (nlohmann::json::sax_parse(text.begin(), text.end(), &sax)) return;
  // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while ..."
  int line = 0, column = 0;
  std::string what = sax.message;
  if (auto at = what.find(" at line "); at != std::string::npos) {
    std::sscanf(what.c_str() + at, " at line %d, column %d", &line, &column);
  }
  if (auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos) {
    what = what.substr(colon + 2);
  }
  throw core::Error(core::ErrorKind::kInput, "invalid JSON: " + what, path, line, column);
}

// The offset of the first byte that is not valid UTF-8, or npos. libfyaml reads some invalid
// sequences as nothing at all, which would drop data silently.
std::size_t invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

// Checks text[start, end); the error position is counted from the start of `text`.
void check_utf8_at(std::string_view text, std::size_t start, std::size_t end, const std::string& path) {
  std::size_t bad = invalid_utf8(text.substr(start, end - start));
  if (bad == std::string_view::npos) return;
  bad += start;
  std::string_view before = text.substr(0, bad);
  int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  std::size_t line_start = before.rfind('\n');
  int column = static_cast<int>(bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  bool utf16 = text.size() >= 2 && ((static_cast<unsigned char>(text[0]) == 0xFF && static_cast<unsigned char>(text[1]) == 0xFE) ||
                                    (static_cast<unsigned char>(text[0]) == 0xFE && static_cast<unsigned char>(text[1]) == 0xFF));
  throw core::Error(core::ErrorKind::kInput,
                    fmt::format("invalid UTF-8 (byte 0x{:02x}){}", static_cast<unsigned char>(text[bad]),
                                utf16 ? "; UTF-16 input is not supported, convert it with iconv" : ""),
                    path, line, column);
}

}  // namespace

// libfyaml reports errors through its diag object; keep the first message.
struct EventParser::Diag {
  std::string first;
  fy_diag* diag = nullptr;

  Diag() {
    fy_diag_cfg cfg;
    fy_diag_cfg_default(&cfg);
    cfg.fp = nullptr;
    cfg.user = &first;
    cfg.colorize = false;
    cfg.show_source = false;
    cfg.show_position = true;
    cfg.show_type = false;
    cfg.show_module = false;
    cfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
      auto* out = static_cast<std::string*>(user);
      if (out->empty()) out->assign(buf, len);
    };
    diag = fy_diag_create(&cfg);
    // Errors that point at a token are kept as data rather than printed: printing them renders
    // the source excerpt, and libfyaml 0.7.12 reads out of bounds doing that for some malformed
    // flow scalars (found by fuzzing; tests/data/config/fuzz/ keeps the input).
    if (diag != nullptr) fy_diag_set_collect_errors(diag, true);
  }
  ~Diag() {
    if (diag != nullptr) fy_diag_destroy(diag);
  }

  // "<source>:L:C: error: what" -> line, column, what
  void parse(int& line, int& column, std::string& what) const {
    void* iter = nullptr;
    if (fy_diag_error* err = diag != nullptr ? fy_diag_errors_iterate(diag, &iter) : nullptr;
        err != nullptr && err->msg != nullptr) {
      line = err->line;
      column = err->column;
      what = err->msg;
      while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
      return;
    }
    std::string msg = first;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    what = msg;
    line = column = 0;
    std::size_t colon = msg.find(':');
    if (colon != std::string::npos && std::sscanf(msg.c_str() + colon + 1, "%d:%d:", &line, &column) == 2) {
      std::size_t third = msg.find(':', msg.find(':', colon + 1) + 1);
      what = third != std::string::npos ? msg.substr(third + 1) : msg;
      while (!what.empty() && what.front() == ' ') what.erase(0, 1);
      if (what.rfind("error: ", 0) == 0) what.erase(0, 7);
    }
  }
};

EventParser::EventParser(std::string_view text, const std::string& path, const LoadOptions& options,
                         Consumed consumed)
    : text_(text), path_(path), diag_(std::make_unique<Diag>()), consumed_(std::move(consumed)) {
  // The check touches every page: a large mapped input gives each 32 MiB back right after (the
  // parser refaults them from the page cache as it goes), so resident memory follows the parser.
  constexpr std::size_t kChunk = 32u << 20;
  if (consumed_ && text.size() > 2 * kChunk) {
    // Chunk ends may split a UTF-8 sequence: each chunk is checked up to the last sequence start.
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = std::min(text.size(), start + kChunk);
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
      check_utf8_at(text, start, end, path);
      consumed_(end);
      start = end;
    }
  } else {
    check_utf8_at(text, 0, text.size(), path);
  }
  if (options.json) check_strict_json(text, path);
  fy_parse_cfg cfg{};
  unsigned flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_DEPTH_LIMIT |
                   (options.yaml_1_1 ? FYPCF_DEFAULT_VERSION_1_1 : FYPCF_DEFAULT_VERSION_1_2) |
                   (options.json ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE);
  cfg.flags = static_cast<fy_parse_cfg_flags>(flags);
  cfg.diag = diag_->diag;
  parser_ = fy_parser_create(&cfg);
  if (parser_ == nullptr) throw core::Error(core::ErrorKind::kInternal, "cannot create the YAML parser", path);
  // libfyaml keeps a pointer to the text; an empty view may carry a null pointer.
  static constexpr char kEmpty[1] = {0};
  if (fy_parser_set_string(parser_, text.empty() ? kEmpty : text.data(), text.size()) != 0) {
    fy_parser_destroy(parser_);
    throw core::Error(core::ErrorKind::kInternal, "cannot hand the text to the YAML parser", path);
  }
}

EventParser::~EventParser() {
  if (event_ != nullptr) fy_parser_event_free(parser_, event_);
  fy_parser_destroy(parser_);
}

fy_event* EventParser::next() {
  if (event_ != nullptr) {
    fy_parser_event_free(parser_, event_);
    event_ = nullptr;
  }
  event_ = fy_parser_parse(parser_);
  if (consumed_ && event_ != nullptr && (++events_ & 4095) == 0) {
    if (const fy_mark* m = fy_event_start_mark(event_); m != nullptr && m->input_pos > reported_ + (32u << 20)) {
      reported_ = m->input_pos - (1u << 20);  // keep a margin behind the parser
      consumed_(reported_);
    }
  }
  if (event_ == nullptr && fy_parser_get_stream_error(parser_)) {
    int line = 0, column = 0;
    std::string what;
    diag_->parse(line, column, what);
    throw core::Error(core::ErrorKind::kInput, what.empty() ? std::string("invalid YAML") : "invalid YAML: " + what,
                      path_, line, column);
  }
  return event_;
}

Mark scalar_mark(fy_event* e) {
  Mark m = event_mark(e);
  enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
  if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && m.column > 1) --m.column;
  return m;
}

std::string duplicate_key_message(std::string_view name, Mark first) {
  if (first.line == 0) return fmt::format("duplicate key '{}'", name.substr(0, 200));
  return fmt::format("duplicate key '{}' (first at line {}, column {})", name.substr(0, 200), first.line,
                     first.column);
}

std::string describe(Mark m) { return fmt::format("{}:{}", m.line, m.column); }

}  // namespace obscore::config::detail
