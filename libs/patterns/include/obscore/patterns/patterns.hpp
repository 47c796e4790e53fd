// obscore patterns: business-logic analysis of source trees with regex rule packs. All rules
// for a file's language run in one RE2::Set pass; only rules that matched are run again alone
// to recover positions and named captures. Declarations that a rule marks for extraction
// (`extract: fields | states | methods`) get their parameter list or body read, and the
// findings are folded into derived structures: API contracts, state machines, data models and
// edge cases with their boundary values. Rule-pack format: man/obscore-patterns.1.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/merge.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/walk.hpp"

namespace obscore::patterns {

// A rule file or pack that is not valid: names the JSON Pointer of the offending value.
using RuleError = core::DataError;

// What to read from the declaration a rule matched (the parameter list or body that follows):
// fields (with their wire names), enum states, public methods, the cases of a Swift endpoint
// type (`var path` / `var method` switches joined by case), or an HTTP request built in a block
// or builder chain (Ktor `post { url { path(...) } }`, OkHttp `Request.Builder()...post(body)`).
enum class Extract { kNone, kFields, kStates, kMethods, kEndpoints, kRequest, kPojo, kWireFields };

// Where a rule may match: code only (comments and string literals masked; the default),
// comments only, or the raw text.
enum class Scope { kCode, kComments, kAll };

struct Rule {
  std::string id;
  std::string category;          // business_rule, api_contract, state_machine, data_model, ...
  std::vector<std::string> extensions;  // lower-case, without the dot; empty = every file
  std::string pattern;           // RE2 syntax; ^ and $ match at line breaks
  std::string message;           // may name captures: "calls {method} {path}"
  std::string description;       // longer text for SARIF and --list-rules
  core::Severity severity = core::Severity::kNote;
  Extract extract = Extract::kNone;
  Scope scope = Scope::kCode;
  bool skip_call_arguments = false;  // `not_in: [call_arguments]`: not inside an open `(`
  bool skip_declarations = false;    // `not_in: [declarations]`: not after val/var/let/a type
  std::string file_condition;         // the rule applies only to files in which this regex matches
  std::string origin;            // pack name or rule file
};

// Parses one rule document, `{rules: [...]}` or a bare list, appending to `rules`. Checks every
// key, compiles every pattern, refuses ids already in `rules`. Throws RuleError.
void add_rules(const core::Json& document, const std::string& origin, std::vector<Rule>& rules);

// The rule packs built into the binary: their YAML text ("" when unknown) and names.
std::string_view builtin_pack(std::string_view name);
std::vector<std::string> builtin_pack_names();

// A field of a data model. `type` is absent when neither declared nor inferable; `wire_name`
// is the serialised key when an annotation or CodingKeys declares one.
struct Field {
  std::string name;
  std::optional<std::string> type;
  std::optional<std::string> wire_name;
  std::optional<std::string> wire_constant;  // the key given as a constant (@ColumnInfo(name = COL))
};

// One case of a Swift endpoint type: its path expression and method (absent when not given).
struct Endpoint {
  std::string name;
  std::string path;  // a source expression: "\"/users/\\(id)\"", Paths.users, ...
  std::optional<std::string> method;
};

// A named value of the code base that paths may be built from (`const val`, `static final
// String`, Swift `let` / `static let`), with the type or object that declares it.
struct Constant {
  std::string owner;       // innermost enclosing type/object/extension ("" at top level)
  std::string name;
  std::string expression;  // the initialiser, as written
  bool file_local = false;  // a local or instance value: resolves only in its own file
  bool compile_time = false;  // Kotlin `const val`: a constant whatever its name's case
};

// One match of one rule.
struct Match {
  std::size_t rule = 0;      // index into the rule list
  int line = 0;              // 1-based
  int column = 0;            // 1-based, in Unicode code points
  int end_line = 0;
  std::string text;          // the matched text, trimmed, at most 400 bytes
  std::vector<std::pair<std::string, std::optional<std::string>>> captures;  // named groups
  // From `extract`: fields, state / method names, endpoint cases.
  std::vector<Field> fields;
  std::vector<std::string> names;
  std::vector<Endpoint> endpoints;
};

// A value written to state (`_state.value = LoginState.Loading`, `state = .loaded(x)`,
// `emit(Screen.Done)`, `MutableStateFlow(LoginState.Idle)`), with what the transitions between
// states need: the braces around it and the state that an enclosing branch tested.
struct StateWrite {
  std::string type;   // the qualifying type ("LoginState"); empty for `.loading` or a bare name
  std::string var;    // the variable written, when named (`state`, `_state`); empty otherwise
  std::string value;  // the state written ("Loading")
  int line = 0;
  std::size_t offset = 0;
  bool initial = false;  // a declaration's initial value
  std::vector<std::size_t> blocks;  // offsets of the enclosing `{`, outermost first
  // The states a `case`, `is X ->` or `if` around it tested (none under `default`), and where
  // that label is (offset + 1; 0 when the write is under no label).
  std::string guard_type;
  std::vector<std::string> guard_values;
  std::size_t guard_offset = 0;
};

// A function or method: its name, parameters and body lines (for request helpers).
struct FunctionSig {
  std::string name;
  std::vector<std::string> params;  // parameter names, in order
  std::vector<std::string> labels;  // what a call names each with: Swift argument labels ("" for
                                    // `_ x`), the parameter names elsewhere
  int first_line = 0, last_line = 0;  // the lines of its body
  bool labelled = false;  // Swift: a call names each argument by its label ("" = unnamed)
  bool file_private = false;  // private (fileprivate): called from its own file only
};

// A request whose URL is built from a parameter of the function that sends it (`fun delete(url:
// String) = client.newCall(Request.Builder().url(url).delete().build())`): the function is a
// request helper, and its call sites give the paths.
struct RequestHelper {
  int line = 0;  // the request's line (that of its rule match)
  FunctionSig function;
  std::size_t param = 0;  // the parameter the URL is built from
};

// A call with an argument that may be a path: a literal with a '/' (or an absolute URL), a
// constant (UPPER_CASE, maybe qualified), or a parameter of the calling function named for a
// path or URL (then `caller` is that function and `caller_param` the parameter's index).
struct CallSite {
  std::string callee, label, argument;  // label: `path:` / `path =` ("" when positional)
  std::size_t index = 0;                // the argument's position in the call
  int line = 0;  // the line of the call's opening bracket (its argument may be on a later one)
  FunctionSig caller;
  int caller_param = -1;
};

// A JSON naming policy configured in the code base (Gson FieldNamingPolicy, Jackson
// PropertyNamingStrategies, kotlinx JsonNamingStrategy, Swift key coding strategies).
struct NamingPolicy {
  std::string family;  // "jvm" (Java and Kotlin models) or "swift"
  std::string style;   // see apply_naming: snake, gson_snake, kebab, ...
  std::string source;  // what configures it, as written (`FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES`)
  int line = 0;
  std::vector<std::string> types;  // the types it applies to; empty: every model of its family
                                   // (Swift: of the package its file is in)
};

// A function that only returns a URL or path built from its parameters (`static String
// getUrlFreshNews(int page) { return URL_FRESH_NEWS + page; }`): a call of it is that expression.
struct UrlFunction {
  std::string owner, name;  // the type it is declared in ("" at top level)
  std::vector<std::string> params;
  std::string expression;
};

// What the structural pass reads from one file besides rule matches.
struct FileFacts {
  std::vector<UrlFunction> url_functions;
  std::vector<NamingPolicy> naming_policies;
  // Swift protocol extensions' default HTTP method: {protocol, method expression (`.get`)}.
  std::vector<std::pair<std::string, std::string>> protocol_methods;
  std::vector<RequestHelper> request_helpers;
  std::vector<CallSite> calls;
  std::vector<Constant> constants;
  // Types used as mutable state (`var s: Screen`, `MutableStateFlow<Screen>`, `@State var`).
  std::vector<std::string> state_types;
  // Declared supertypes: {type, [parent, ...]} (`object Idle : A, B()`, `extends P implements Q`).
  std::vector<std::pair<std::string, std::vector<std::string>>> subtypes;
  // Writes of state values, in file order, and the declared types of variables that hold state.
  std::vector<StateWrite> state_writes;
  std::vector<std::pair<std::string, std::string>> var_types;  // variable -> type
};

// What a scan may know of the code base beyond its own file.
struct ScanContext {
  // Swift protocols that refine Codable, Decodable or Encodable, directly or through another
  // protocol, in any file of the run (`protocol ModelType: Codable` in a file of its own).
  std::set<std::string> codable_protocols;
  // Swift classes and structs declared in the run: `Observable<T>` is a value box only when the
  // app declares one (an imported RxSwift Observable is a stream of events, not held state).
  std::set<std::string> swift_types;
};

// Adds the Swift protocol declarations of `text` with what each refines
// (`protocol ModelType: Codable, Then {` -> ModelType: {Codable, Then}), and when `types` is
// given the names of its classes and structs.
void add_swift_protocols(std::string_view text, std::map<std::string, std::set<std::string>>& refines,
                         std::set<std::string>* types = nullptr);
// The protocols of `refines` that reach Codable, Decodable or Encodable.
std::set<std::string> codable_protocols(const std::map<std::string, std::set<std::string>>& refines);

// Compiled rules: one multi-pattern set per distinct language group.
class RuleSet {
 public:
  explicit RuleSet(std::vector<Rule> rules);  // throws RuleError for an invalid pattern
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  const std::vector<Rule>& rules() const { return rules_; }
  // True when some rule applies to a file with this name (by extension).
  bool applies_to(std::string_view path) const;
  // Scans one file's text. Matches come sorted by line, column, rule. `truncated` is set when a
  // rule hit max_matches_per_rule and later matches were dropped.
  // Comments and string literals never match a rule of scope kCode (masked first, offsets kept).
  // `facts`, when given, receives the file's constants and state-holder types; `context`, when
  // given, is what the run knows across files.
  std::vector<Match> scan(std::string_view path, std::string_view text, bool* truncated = nullptr,
                          std::size_t max_matches_per_rule = 10000, FileFacts* facts = nullptr,
                          const ScanContext* context = nullptr) const;

 private:
  struct Impl;
  std::vector<Rule> rules_;
  std::unique_ptr<Impl> impl_;
};

// Boundary values to test around a numeric literal compared against: 10 -> 9, 10, 11;
// 0.5 -> 0.4, 0.5, 0.6 (one unit of the literal's last digit). Empty when `literal` is not a
// number. Hex (0x10), Kotlin/Java suffixes (10L, 1.5f) and underscores are understood.
std::vector<std::string> boundary_values(std::string_view literal);

// Why a file found by walking a directory is not the app's own code (test sources, generated
// code, vendored or bundled assets); nullopt for app code. `relative` is the path below the
// directory that was named on the command line.
std::optional<std::string> skip_reason(std::string_view relative);

// Normalises an HTTP path the same way for every language: scheme and host dropped (returned in
// `host`), query dropped, interpolations and path parameters as `{name}` (Swift \(id), Kotlin
// $id / ${id}, JS ${id}, Express :id, printf %s / %d), a leading base-URL placeholder dropped,
// one leading '/', no trailing '/'.
std::string normalize_path(std::string_view path, std::string* host = nullptr);

struct Options {
  core::WalkOptions walk;
  bool all_files = false;  // `--all-files`: also scan what skip_reason() rejects
  std::vector<std::string> categories;  // keep only these (empty = all)
  std::optional<core::Severity> fail_on;
  std::uint64_t max_file_size = 4u << 20;
  bool progress = false;
};

using Result = core::RunResult;

core::View make_view(const RuleSet& rules);

// `--list-rules`: one result per rule {id, category, severity, languages, origin, description}
// in load order, and the summary {rules, categories}; the table shows one row per rule.
core::View make_rules_view();
void list_rules(const std::vector<Rule>& rules, core::Output& out);

// Walks the inputs, scans every file in parallel, hands findings to `out` in path order, then
// the derived structures and the summary.
Result run(const std::vector<std::string>& inputs, const RuleSet& rules,
                            const Options& options, core::Output& out);

// `obscore merge`: the output of the unsharded run from its shards' partial outputs (findings
// in path order, totals and derived structures recomputed; duration_ms is the slowest shard's).
void merge(const core::Partials& partials, core::Output& out);

}  // namespace obscore::patterns
