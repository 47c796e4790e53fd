// The HAR reader: entries of a HAR 1.2 file (as Chrome, Edge, Firefox, Charles, Proxyman and
// mitmproxy write it) become API calls, streamed in batches, never parsed as one document.
#pragma once

#include <functional>
#include <string>

#include "model.hpp"
#include "obscore/core/read.hpp"

namespace obscore::correlate {

// Reads `content` as HAR. Entries are parsed in parallel batches; each batch's calls (strings
// local to it) go to `merge_part` in document order, and a last part carries the file's notes
// and errors (a truncated file: the entries before the cut stand). Returns false, having handed
// out nothing, when the root is not an object with `log.entries` (the caller reads it as JSON
// then). `info` receives the exporter ("har (Chrome 120.0)") and whether pageref stood for the
// session. Throws core::Error(kUsage) for a HAR given as UI events or navigations.
bool read_har(const core::FileContent& content, const std::string& path, Role role, const Options& o,
              Store::InputInfo& info, const std::function<void(Store&)>& merge_part);

}  // namespace obscore::correlate
