// Gathering the partial outputs of sharded runs (see merge.hpp).
#include "obscore/core/merge.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace obscore::core {

namespace {

Diagnostic diagnostic_from(const Json& j) {
  Diagnostic d;
  if (j.contains("path") && j["path"].is_string()) d.path = j["path"].get<std::string>();
  if (j.contains("line") && j["line"].is_number_integer()) d.line = j["line"].get<int>();
  if (j.contains("column") && j["column"].is_number_integer()) d.column = j["column"].get<int>();
  d.severity = parse_severity(j.value("severity", "error")).value_or(Severity::kError);
  d.message = j.value("message", "");
  return d;
}

}  // namespace

Json shard_summary(const WalkOptions& walk, bool gate_tripped) {
  return {{"index", walk.shard_index + 1}, {"count", walk.shard_count}, {"gate_tripped", gate_tripped}};
}

Partials gather_partials(const std::vector<Partial>& partials) {
  if (partials.empty()) throw Error(ErrorKind::kUsage, "merge: no partial outputs given");
  Partials out;
  std::vector<const Partial*> by_index;
  for (const auto& p : partials) {
    const Json& doc = p.document;
    auto bad = [&](const std::string& what) {
      return Error(ErrorKind::kUsage, "not a partial output of `--shard K/N --format json`: " + what, p.path);
    };
    if (!doc.is_object() || doc.value("tool", "") != "obscore" || !doc.contains("summary") ||
        !doc["summary"].is_object() || !doc.contains("results") || !doc["results"].is_array()) {
      throw bad("no obscore JSON envelope");
    }
    const Json& summary = doc["summary"];
    if (!summary.contains("shard") || !summary["shard"].is_object()) throw bad("its run had no --shard");
    const Json& shard = summary["shard"];
    if (!shard.value("index", Json()).is_number_unsigned() || !shard.value("count", Json()).is_number_unsigned()) {
      throw bad("malformed shard member");
    }
    auto index = shard["index"].get<std::uint32_t>();
    auto count = shard["count"].get<std::uint32_t>();
    std::string command = doc.value("command", "");
    if (by_index.empty()) {
      out.command = command;
      out.count = count;
      by_index.assign(count, nullptr);
    } else if (command != out.command) {
      throw Error(ErrorKind::kUsage, fmt::format("merge: output of `{}`, the others are `{}`", command, out.command),
                  p.path);
    } else if (count != out.count) {
      throw Error(ErrorKind::kUsage, fmt::format("merge: shard {}/{}, the others are of {}", index, count, out.count),
                  p.path);
    }
    if (index < 1 || index > count) throw bad(fmt::format("shard {}/{}", index, count));
    if (by_index[index - 1] != nullptr) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("merge: shard {}/{} given twice (also {})", index, count, by_index[index - 1]->path),
                  p.path);
    }
    by_index[index - 1] = &p;
  }
  std::string missing;
  for (std::uint32_t i = 0; i < out.count; ++i) {
    if (by_index[i] == nullptr) missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", i + 1, out.count);
  }
  if (!missing.empty()) throw Error(ErrorKind::kUsage, "merge: missing shard(s) " + missing);

  std::set<std::tuple<std::string, int, int, int, std::string>> seen;
  for (const Partial* p : by_index) {
    Json summary = p->document["summary"];
    out.gate_tripped = out.gate_tripped || summary["shard"].value("gate_tripped", false);
    out.states.push_back(summary["shard"].value("state", Json()));
    summary.erase("shard");
    out.summaries.push_back(std::move(summary));
    for (const auto& r : p->document["results"]) out.results.push_back(r);
    if (p->document.contains("diagnostics") && p->document["diagnostics"].is_array()) {
      for (const auto& j : p->document["diagnostics"]) {
        Diagnostic d = diagnostic_from(j);
        if (seen.emplace(d.path, d.line, d.column, static_cast<int>(d.severity), d.message).second) {
          out.diagnostics.push_back(std::move(d));
        }
      }
    }
  }
  // Shards hold disjoint files: a stable sort by path restores the unsharded order, each file's
  // own records keeping theirs.
  std::stable_sort(out.results.begin(), out.results.end(), [](const Json& a, const Json& b) {
    return a.value("path", "") < b.value("path", "");
  });
  sort_diagnostics(out.diagnostics);
  return out;
}

}  // namespace obscore::core
