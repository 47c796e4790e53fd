// YAML (1.2 core schema, or 1.1) and JSON documents built on libfyaml's event
// parser. Two ways in: load() builds nlohmann::ordered_json documents with the source position of
// every node (other subcommands load their YAML inputs this way and hand the plain data to their
// feature library); convert_to_json() streams JSON text straight from the events with no tree,
// in bounded memory. Both apply the same rules: duplicate keys are errors with both positions,
// `<<` merge keys are expanded, alias expansion has a budget, nesting has a limit, and numbers
// keep every digit.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "obscore/core/diagnostic.hpp"

namespace obscore::config {

using core::Json;

// 1-based line and column (column in bytes); 0 when unknown.
struct Mark {
  int line = 0;
  int column = 0;
};

struct LoadOptions {
  bool yaml_1_1 = false;              // YAML 1.1 scalars (yes/no/on/off booleans, 0755 octal)
  bool json = false;                  // strict RFC 8259 JSON (a .json file); else YAML
  bool allow_duplicate_keys = false;  // keep the last value (with a warning) instead of failing
  std::size_t max_alias_nodes = 1'000'000;     // nodes that aliases may copy in, in total
  std::size_t max_alias_bytes = 256u << 20;    // scalar bytes that aliases may copy in, in total
  std::size_t max_depth = 1000;                // nesting of collections
};

// True for names ending in .json (case-insensitive): read as strict JSON.
bool is_json_path(std::string_view path);

// Numbers whose value int64/uint64/double cannot hold (integers beyond 64 bits, decimals with
// more than 15 significant digits): JSON Pointer -> exact canonical JSON text. The writers below
// print these instead of the rounded value the tree holds.
using RawNumbers = std::unordered_map<std::string, std::string>;

// One YAML document (or the JSON value) and where each of its nodes came from.
struct Document {
  Json value;
  Mark start;  // where the document's content starts
  // JSON Pointer (RFC 6901, "" = root) -> position of the node, and of the key for mapping
  // members. Nodes copied in by an alias have no entry of their own: mark() falls back to the
  // nearest ancestor (the alias).
  std::unordered_map<std::string, Mark> values;
  std::unordered_map<std::string, Mark> keys;
  RawNumbers raw_numbers;

  Mark mark(std::string_view pointer) const;
  Mark key_mark(std::string_view pointer) const;  // the key if known, else mark()
};

struct LoadResult {
  std::vector<Document> documents;            // one per document of the stream
  std::vector<core::Diagnostic> warnings;     // e.g. duplicate keys with allow_duplicate_keys
};

// Parses a YAML stream (JSON is YAML) from memory. Throws core::Error(kInput) naming `path`,
// line and column for a syntax error, a duplicate key (both positions), an undefined alias, an
// alias expansion beyond the budget, a bad merge key, or nesting beyond max_depth.
LoadResult load(std::string_view text, const std::string& path, const LoadOptions& options = {});

// Receives the compact JSON text of each document, in pieces, as the events produce it.
class JsonOut {
 public:
  virtual ~JsonOut() = default;
  virtual void begin_document() = 0;
  virtual void write(std::string_view text) = 0;
  virtual void end_document() = 0;
};

struct ConvertResult {
  std::size_t documents = 0;
  std::vector<core::Diagnostic> warnings;
};

// Streams every document of the stream as compact JSON, with load()'s semantics (for the same
// input, the same text as write_json(load(...))). Memory stays bounded by the nesting and the
// anchored nodes, not the input: text is handed to `out` every megabyte or so. Errors as load();
// a late error may come after earlier text of the same document was written. Not for
// allow_duplicate_keys (use load()).
// `consumed`, when given, is told every 32 MiB or so how many leading bytes of `text` the parser
// is done with (so a memory-mapped input can drop those pages).
using Consumed = std::function<void(std::size_t bytes)>;
ConvertResult convert_to_json(std::string_view text, const std::string& path, const LoadOptions& options,
                              JsonOut& out, const Consumed& consumed = {});

// Validates a stream with load()'s rules without building anything; returns the number of
// documents. Throws as load().
std::size_t validate(std::string_view text, const std::string& path, const LoadOptions& options,
                     const Consumed& consumed = {});

// Looks up exact number text by JSON Pointer (nullptr: none).
using RawLookup = std::function<const std::string*(const std::string& pointer)>;
RawLookup raw_lookup(const RawNumbers& raw);

// Appends `value` (found at `pointer` of its document) as compact JSON, exactly as dump() would,
// but with the exact text of raw numbers and invalid UTF-8 replaced.
void write_json(const Json& value, std::string& out, const RawLookup& raw = {}, std::string_view pointer = "");

// Appends `value` as block-style YAML 1.2 that reads back (in 1.2 and 1.1) to the same data:
// strings quoted where they would read as another type, multi-line strings as literal blocks.
void write_yaml(const Json& value, std::string& out, const RawLookup& raw = {}, std::string_view pointer = "");

// Pretty-prints compact JSON text fed in pieces (strings may span pieces).
class JsonIndenter {
 public:
  explicit JsonIndenter(int indent) : indent_(indent) {}
  void feed(std::string_view in, std::string& out);

 private:
  int indent_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool just_opened_ = false;  // the last byte opened a container (to print [] and {})
};

// A query path: ".a.b[0].c", ".[\"key.with.dots\"]", "a.b", "." (the root) or a JSON Pointer
// ("/a/b/0", "" is the root). Throws core::Error(kUsage) for a malformed expression.
struct PathStep {
  std::string key;        // member name (also the text of an index, for pointers)
  long long index = 0;    // array index (negative counts from the end)
  bool is_index = false;  // [N]
  bool from_pointer = false;  // a JSON Pointer token: a member name, or an index on arrays
};
std::vector<PathStep> parse_path(std::string_view expr);

// The node at `steps` under `root`, or nullptr; `pointer` receives its JSON Pointer.
const Json* find(const Json& root, const std::vector<PathStep>& steps, std::string* pointer = nullptr);

// RFC 6901 reference token escaping ("~" -> "~0", "/" -> "~1") and joining.
std::string pointer_append(std::string_view pointer, std::string_view token);
std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace obscore::config
