// libfyaml's event parser behind one small class: configuration (YAML 1.1/1.2, JSON mode, no
// depth limit of its own), strict RFC 8259 checking for JSON inputs, the first diagnostic turned
// into core::Error(kInput) with line and column, and helpers to read event fields.
#pragma once

#include <libfyaml.h>

#include <memory>
#include <string>
#include <string_view>

#include "obscore/config/document.hpp"

namespace obscore::config::detail {

inline std::string_view token_view(fy_token* t) {
  if (t == nullptr) return {};
  size_t len = 0;
  const char* s = fy_token_get_text(t, &len);
  return s != nullptr ? std::string_view(s, len) : std::string_view();
}

class EventParser {
 public:
  // `text` must outlive the parser. For options.json, the text is first checked as strict JSON
  // (comments, trailing commas, single quotes: an error with position).
  // `consumed` (optional) is called with input offsets the parser is done with, every 32 MiB.
  EventParser(std::string_view text, const std::string& path, const LoadOptions& options,
              Consumed consumed = {});
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // The next event (valid until the next call), or nullptr at the end of the stream. Throws
  // core::Error(kInput) naming path:line:col at a syntax error.
  fy_event* next();

  const std::string& path() const { return path_; }

  // The text of a scalar event: for a plain scalar on one line, the bytes of the input between
  // its marks (libfyaml's fy_token_get_text() costs a tenth of the parse there); else libfyaml's.
  std::string_view scalar_text(fy_event* e) const {
    fy_token* t = e->scalar.value;
    if (fy_token_scalar_style(t) == FYSS_PLAIN) {
      const fy_mark* a = fy_token_start_mark(t);
      const fy_mark* b = fy_token_end_mark(t);
      if (a != nullptr && b != nullptr && a->line == b->line && b->input_pos >= a->input_pos &&
          b->input_pos <= text_.size()) {
        return text_.substr(a->input_pos, b->input_pos - a->input_pos);
      }
    }
    return token_view(t);
  }

 private:
  struct Diag;
  std::string_view text_;
  std::string path_;
  std::unique_ptr<Diag> diag_;
  fy_parser* parser_ = nullptr;
  fy_event* event_ = nullptr;
  Consumed consumed_;
  std::size_t events_ = 0;
  std::size_t reported_ = 0;
};

inline Mark token_mark(fy_token* t) {
  if (t == nullptr) return {};
  const fy_mark* m = fy_token_start_mark(t);
  if (m == nullptr) return {};
  return {m->line + 1, m->column + 1};
}

inline Mark token_end_mark(fy_token* t) {
  if (t == nullptr) return {};
  const fy_mark* m = fy_token_end_mark(t);
  if (m == nullptr) return {};
  return {m->line + 1, m->column + 1};
}

inline Mark event_mark(fy_event* e) {
  const fy_mark* m = fy_event_start_mark(e);
  if (m == nullptr) return {};
  return {m->line + 1, m->column + 1};
}

// An alias at its '*', an anchor at its '&' (libfyaml marks the name after them).
inline Mark sigil_mark(Mark m) {
  if (m.column > 1) --m.column;
  return m;
}

// Where a collection starts: its event's mark, or its anchor's when the event has none.
inline Mark collection_mark(fy_event* e) {
  Mark m = event_mark(e);
  if (m.line == 0) m = token_mark(fy_event_get_anchor_token(e));
  return m;
}

// Where a scalar starts in the text: quoted scalars at their opening quote (libfyaml marks the
// first character inside it).
Mark scalar_mark(fy_event* e);

// "duplicate key 'name' (first at line L, column C)" (without the position when unknown).
std::string duplicate_key_message(std::string_view name, Mark first);

// "1:5" style position for messages.
std::string describe(Mark m);

}  // namespace obscore::config::detail
