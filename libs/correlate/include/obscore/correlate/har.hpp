// HAR 1.2 without building the document: a structural byte scanner walks the root object to
// `log` and hands out the text of `log.creator`, of each `log.pages[]` and of each
// `log.entries[]` element, in document order (strings skipped with their escapes, nesting
// counted). Memory is what the caller keeps; a HAR of gigabytes costs one pass over its bytes.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace obscore::correlate {

enum class HarPart { kCreator, kPage, kEntry };

struct HarScan {
  bool is_har = false;      // the root is an object with a `log` object holding `entries`
  std::size_t pages = 0;    // elements of log.pages handed out
  std::size_t entries = 0;  // elements of log.entries handed out
  // Empty, or why the scan stopped early ("truncated inside log.entries[41]", "expected ',' or
  // ']' after log.entries[3]"); the parts handed out before it stand.
  std::string error;
  std::size_t error_offset = 0;  // byte offset of the problem
};

// Scans `bytes`; `on_part(kind, text, offset)` receives each part's text (a view into `bytes`)
// and its byte offset. A root that is not an object with `log` (an NDJSON line, a JSON array,
// a single record) gives is_har = false after looking at the root object only.
HarScan scan_har(std::string_view bytes,
                 const std::function<void(HarPart, std::string_view, std::size_t)>& on_part);

}  // namespace obscore::correlate
