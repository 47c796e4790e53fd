// --records output: one row per record {path, line, level, template_id, template}, written as
// each file's scan is merged into the run's totals (template ids are the run's cluster indices).
#pragma once

#include <string>
#include <vector>

#include "obscore/core/output.hpp"
#include "scanner.hpp"

namespace obscore::logscan {

class RecordWriter {
 public:
  explicit RecordWriter(core::Output& out) : out_(out) {}
  // Writes `rows` of the file `path` (their lines minus `line_offset` are the file's lines),
  // with the template texts of `miner`.
  void write(const std::string& path, const std::vector<RecordRow>& rows, std::uint64_t line_offset,
             const TemplateMiner& miner);

 private:
  const std::string& template_json(const TemplateMiner& miner, std::int32_t cluster);
  core::Output& out_;
  std::vector<std::string> texts_;  // cluster -> its template as a JSON string literal
};

}  // namespace obscore::logscan
