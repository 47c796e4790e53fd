// obscore config: YAML (1.2 core schema, or 1.1) and JSON loading into nlohmann::ordered_json
// with the source position of every node, built on libfyaml's event parser. Other subcommands
// load their YAML inputs (pattern rule packs, netscan inventories) through it and hand the
// plain data to their feature library.
#pragma once

#include <cstddef>
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
  bool allow_duplicate_keys = false;  // keep the last value (with a warning) instead of failing
  std::size_t max_alias_nodes = 1'000'000;  // nodes that aliases may copy in, in total
  std::size_t max_depth = 1000;             // nesting of collections
};

// One YAML document (or the JSON value) and where each of its nodes came from.
struct Document {
  Json value;
  Mark start;  // where the document's content starts
  // JSON Pointer (RFC 6901, "" = root) -> position of the node, and of the key for mapping
  // members. Nodes copied in by an alias have no entry of their own: mark() falls back to the
  // nearest ancestor (the alias).
  std::unordered_map<std::string, Mark> values;
  std::unordered_map<std::string, Mark> keys;

  Mark mark(std::string_view pointer) const;
  Mark key_mark(std::string_view pointer) const;  // the key if known, else mark()
};

struct LoadResult {
  std::vector<Document> documents;            // one per document of the stream
  std::vector<core::Diagnostic> warnings;     // e.g. duplicate keys with allow_duplicate_keys
};

// Parses a YAML stream (JSON is YAML) from memory. Throws core::Error(kInput) naming `path`,
// line and column for a syntax error, a duplicate key (both positions), an undefined alias, an
// alias expansion beyond max_alias_nodes, or nesting beyond max_depth.
LoadResult load(std::string_view text, const std::string& path, const LoadOptions& options = {});

// RFC 6901 reference token escaping ("~" -> "~0", "/" -> "~1") and joining.
std::string pointer_append(std::string_view pointer, std::string_view token);
std::string pointer_append(std::string_view pointer, std::size_t index);

}  // namespace obscore::config
