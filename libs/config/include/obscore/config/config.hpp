// obscore config, what the subcommand calls (each library's <lib>.hpp is its run API): the
// `config` verbs as library calls: deep merge with provenance, lint rules over the event
// stream, and the file-level runners (read, convert, write; parallel lint and validate) that the
// subcommand calls once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/config/document.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::config {

// ---- overlay (`config merge`) --------------------------------------------------------------

enum class ListOverlay { kReplace, kAppend, kMergeBy };

struct OverlayOptions {
  ListOverlay lists = ListOverlay::kReplace;
  std::string match_key;  // kMergeBy: list items (mappings) with equal values of this key merge
};

// "replace", "append" or "merge-by=KEY" (the --lists flag); nullopt for anything else.
std::optional<OverlayOptions> parse_overlay_lists(std::string_view text);

// Where a node of the merged result came from: the source's index and its JSON Pointer there.
struct Origin {
  std::size_t source = 0;
  std::string pointer;
};

struct Overlaid {
  Json value;
  // Result JSON Pointer -> origin of that subtree (deeper entries override).
  std::map<std::string, Origin> origins;
  Origin origin_of(const std::string& pointer) const;
};

// Deep merge (`config merge`; "overlay" in code, where "merge" means combining --shard
// outputs), later sources over earlier ones: mappings merge key by key, lists replace (or
// append, or merge items by a key), anything else replaces.
Overlaid overlay(const std::vector<const Document*>& sources, const OverlayOptions& options);

// ---- lint ---------------------------------------------------------------------------------

struct LintRuleInfo {
  std::string_view id;
  core::Severity severity;
  std::string_view description;
};
const std::vector<LintRuleInfo>& lint_rules();

struct LintFinding {
  std::string rule;
  core::Severity severity = core::Severity::kWarning;
  Mark mark;
  std::string message;
};

// All findings of one file, in position order; a syntax error ends the file's checks with a
// `syntax-error` finding.
std::vector<LintFinding> lint(std::string_view text, const std::string& path, const LoadOptions& options);

// ---- runners ------------------------------------------------------------------------------

enum class Syntax { kAuto, kYaml, kJson };

struct ReadOptions {
  LoadOptions load;
  Syntax syntax = Syntax::kAuto;  // kAuto: .json files are strict JSON, the rest YAML
  std::uint64_t max_file_size = 0;  // 0 = unlimited
};

struct ToJsonOptions {
  ReadOptions read;
  bool array = false;  // all documents of all inputs as one JSON array
  int indent = 0;      // 0: compact, one document per line
};

struct ToYamlOptions {
  ReadOptions read;
};

struct GetOptions {
  ReadOptions read;
  bool raw = false;  // strings without quotes
  int indent = 0;
};

struct OverlayRunOptions {
  ReadOptions read;
  OverlayOptions overlay;
  bool yaml_output = false;
  int indent = 0;
};

struct FilesOptions {
  ReadOptions read;
  core::WalkOptions walk;
  core::Severity fail_on = core::Severity::kError;
  bool gate = false;  // lint: --fail-on given
  bool progress = false;
};

// diagnostics: warnings (and errors of lint/validate files); gate_tripped: get found no value at
// the path, lint reached --fail-on.
using RunResult = core::RunResult;

// These throw core::Error for an unreadable or invalid input (exit 3) or a bad expression (2).
RunResult run_to_json(const std::vector<std::string>& inputs, const ToJsonOptions& options, core::TextOutput& out);
RunResult run_to_yaml(const std::vector<std::string>& inputs, const ToYamlOptions& options, core::TextOutput& out);
RunResult run_get(const std::string& input, const std::string& expr, const GetOptions& options, core::TextOutput& out);
RunResult run_overlay(const std::vector<std::string>& inputs, const OverlayRunOptions& options, core::TextOutput& out);
// `merge --explain`: one result per leaf {path, value, file, line, column}.
RunResult run_overlay_explain(const std::vector<std::string>& inputs, const OverlayRunOptions& options,
                            core::Output& out);
core::View make_explain_view();

// Every YAML/JSON file under the inputs, in parallel; bad files are diagnostics, not throws.
RunResult run_lint(const std::vector<std::string>& inputs, const FilesOptions& options, core::Output& out);
core::View make_lint_view();
RunResult run_validate(const std::vector<std::string>& inputs, const FilesOptions& options, core::Output& out);
core::View make_validate_view();

// `obscore merge` of `config lint` / `config validate` runs with --shard K/N: the unsharded output
// (counters summed, duration_ms the slowest shard's). Throws core::Error(kUsage) for the
// outputs of the other verbs.
void merge(const core::Partials& partials, core::OutputOptions output);

// ---- the subcommand -----------------------------------------------------------------------

enum class Verb { kToJson, kToYaml, kGet, kOverlay, kLint, kValidate };

// One `obscore config VERB` invocation; each verb reads the fields its options struct names.
struct Request {
  Verb verb = Verb::kToJson;
  std::vector<std::string> inputs;  // get: the one file
  std::string expr;                 // get
  ReadOptions read;
  bool array = false;       // to-json
  bool raw = false;         // get
  int indent = 0;           // to-json, get, merge as JSON
  std::string lists = "replace";  // merge: the --lists text (parse_overlay_lists)
  bool explain = false;     // merge: one result per leaf through core::Output
  bool yaml_output = false;  // merge --to yaml
  FilesOptions files;       // lint, validate (its `read` is set from `read`)
};

// Runs the verb: text verbs write through core::TextOutput to output.path (stdout when empty),
// merge --explain, lint and validate through core::Output in output.format.
RunResult run(const Request& request, core::OutputOptions output);

}  // namespace obscore::config
