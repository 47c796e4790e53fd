// --records rows. JSON and NDJSON get their text built directly (framed blocks, no Json values
// per row: millions of records); CSV and table get Json rows through the records view.
#include "records.hpp"

#include <fmt/format.h>

#include "obscore/logscan/logscan.hpp"

namespace obscore::logscan {

const std::string& RecordWriter::template_json(const TemplateMiner& miner, std::int32_t cluster) {
  static const std::string kNull = "null";
  if (cluster < 0) return kNull;
  auto i = static_cast<std::size_t>(cluster);
  if (texts_.size() <= i) texts_.resize(i + 1);
  if (texts_[i].empty()) core::append_json_string(texts_[i], miner.clusters()[i].text());
  return texts_[i];
}

void RecordWriter::write(const std::string& path, const std::vector<RecordRow>& rows,
                         std::uint64_t line_offset, const TemplateMiner& miner) {
  if (rows.empty()) return;
  if (out_.needs_structure()) {
    const std::string p = core::sanitize_utf8(path);
    for (const auto& r : rows) {
      core::Json j;
      j["path"] = p;
      j["line"] = r.line - line_offset;
      j["level"] = r.level_size == 0 ? core::Json(nullptr) : core::Json(core::sanitize_utf8(r.level_text()));
      j["template_id"] = r.cluster < 0 ? core::Json(nullptr) : core::Json(r.cluster);
      j["template"] = r.cluster < 0 ? core::Json(nullptr)
                                    : core::Json(core::sanitize_utf8(miner.clusters()[static_cast<std::size_t>(r.cluster)].text()));
      out_.result(j);
    }
    return;
  }
  std::string head = "{\"path\":";
  core::append_json_string(head, path);
  head += ",\"line\":";
  const auto framing = out_.framing();
  std::string block;
  std::size_t count = 0;
  for (const auto& r : rows) {
    block += framing.prefix;
    block += head;
    fmt::format_to(std::back_inserter(block), "{}", r.line - line_offset);
    block += ",\"level\":";
    if (r.level_size == 0) {
      block += "null";
    } else {
      core::append_json_string(block, r.level_text());
    }
    block += ",\"template_id\":";
    if (r.cluster < 0) {
      block += "null";
    } else {
      fmt::format_to(std::back_inserter(block), "{}", r.cluster);
    }
    block += ",\"template\":";
    block += template_json(miner, r.cluster);
    block += '}';
    block += framing.suffix;
    if (++count == 4096) {
      out_.results_framed(block, count);
      block.clear();
      count = 0;
    }
  }
  if (count != 0) out_.results_framed(block, count);
}

core::View make_records_view() {
  core::View v;
  v.columns = {{"path", false, true}, {"line", true}, {"level", false}, {"template_id", true}, {"template", false}};
  v.rows = [](const core::Json& r, std::vector<core::Json>& rows) {
    rows.push_back(core::Json::array({r["path"], r["line"], r["level"], r["template_id"], r["template"]}));
  };
  v.footer = [](const core::Json& s) {
    return fmt::format("{} records, {} templates; {} ms", s["records"].get<std::uint64_t>(),
                       s.value("template_count", std::size_t{0}), s["duration_ms"].get<long long>());
  };
  return v;
}

}  // namespace obscore::logscan
