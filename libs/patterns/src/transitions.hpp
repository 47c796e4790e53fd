// State machine transitions from source: where state values are written, which braces enclose
// each write, and the state an enclosing branch tested (see transitions.cpp).
#pragma once

#include <string>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/patterns/patterns.hpp"
#include "source.hpp"

namespace obscore::patterns {

// Appends the file's state writes and state-holding variables to `facts`.
void collect_state_writes(const MaskedSource& src, Lang lang, FileFacts& facts);

// One machine's transitions from the writes of every file: `{from, to, file, line}` with `from`
// null for an initial state. `writes` are {file, write} in file order; `var_types` maps
// {file, variable} to its declared type; `states` are the machine's states.
struct WriteIn {
  const std::string* file;
  const StateWrite* write;
};
core::Json machine_transitions(const std::string& machine, const std::vector<std::string>& states,
                               const std::vector<WriteIn>& writes,
                               const std::vector<std::pair<std::pair<std::string, std::string>, std::string>>& var_types,
                               const std::vector<std::string>& other_machine_states);

}  // namespace obscore::patterns
