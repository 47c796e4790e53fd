// Checks that the inputs line up: that UI events and API calls share sessions, that their
// clocks overlap, that calls come within --window of UI events of their session, and that
// explicit ids meet. Each failure is a diagnostic with counts and the likely cause (an error,
// so exit 3, unless --allow-unmatched); and the delay model gets a reason when it was not fitted.
#pragma once

#include <string>
#include <vector>

#include "attribute.hpp"
#include "model.hpp"
#include "obscore/core/output.hpp"

namespace obscore::correlate {

struct OverlapCheck {
  core::Json summary = core::Json::object();  // summary["overlap"]
  core::Json inputs = core::Json::array();    // summary["inputs"]: what each file was read as
  std::vector<core::Diagnostic> diagnostics;
  std::string model_reason;  // why the delay model was not fitted; empty when it was
};

// Linear in the records (two parallel passes with per-session counters), after attribute().
OverlapCheck check_overlap(const Store& store, const Attribution& attr, const Options& options);

}  // namespace obscore::correlate
