// The result records of a correlate run: one per API call (formatted as JSON text in parallel
// blocks, written while the next blocks are formatted) or, with --group-by ui, one per UI event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "obscore/core/output.hpp"

#include "attribute.hpp"
#include "model.hpp"

namespace obscore::correlate {

// Formats one call's result as compact JSON text (the key order of `dump()`), from strings that
// are escaped once: the reason lists per combination of reason bits and the interned names.
class CallFormatter {
 public:
  CallFormatter(const Store& store, const Attribution& attr, bool truth);
  // Appends the result of store.api[i] to `out`.
  void append(std::uint32_t i, std::string& out) const;

 private:
  const Store& store_;
  const Attribution& attr_;
  bool truth_;
  std::vector<std::string> reason_text_;  // index: reason bits
  std::vector<std::string> quoted_;       // index: interned id
};

// "ui-<order>" for a UI event without an id, else its id.
std::string ui_event_id(const Store& store, std::int64_t i);
// "api-<order>" for a call without an id, else its id.
std::string api_call_id(const Store& store, std::uint32_t i);
// "<action> <element or screen>", "ui" for a missing action.
std::string ui_label(const Store& store, const UiEvent& u);

// Writes one result per call, in `order`.
void write_call_results(const Store& store, const Attribution& attr,
                        const std::vector<std::uint32_t>& order, const Options& options,
                        core::Output& out);

// --group-by ui: one result per UI event (sessions by name, then time and input order), each with
// its calls in `order`.
void write_ui_results(const Store& store, const Attribution& attr,
                      const std::vector<std::uint32_t>& order,
                      const std::vector<std::uint32_t>& ranks, core::Output& out);

}  // namespace obscore::correlate
