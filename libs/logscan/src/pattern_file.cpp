// Pattern files: one [ID=]REGEX per line, or YAML (a list of {id, regex} mappings or of
// "[ID=]REGEX" strings, a mapping of id: regex, or either under a top-level `patterns:` key).
// YAML is read with libfyaml's document API; errors carry the file's line and column.
// (When libs/config lands, the YAML loading moves there and this file takes plain data.)
#include <libfyaml.h>

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "obscore/core/error.hpp"
#include "obscore/logscan/logscan.hpp"

namespace obscore::logscan {

namespace {

[[noreturn]] void fail(const std::string& path, int line, int col, const std::string& what) {
  throw core::Error(core::ErrorKind::kUsage,
                    line > 0 ? fmt::format("{}:{}:{}: {}", path, line, col, what)
                             : fmt::format("{}: {}", path, what));
}

std::string scalar(fy_node* n) {
  size_t len = 0;
  const char* s = n != nullptr ? fy_node_get_scalar(n, &len) : nullptr;
  return s != nullptr ? std::string(s, len) : std::string();
}

}  // namespace

bool looks_like_yaml_patterns(std::string_view text, std::string_view path) {
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return true;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  return text.substr(first).starts_with("patterns:") || text.substr(first).starts_with("- ");
}

std::vector<Pattern> parse_pattern_yaml(std::string_view text, const std::string& path) {
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  std::string captured;  // libfyaml's first message: "line:col: error: what"
  dcfg.fp = nullptr;
  dcfg.user = &captured;
  dcfg.colorize = false;
  dcfg.show_source = false;
  dcfg.show_position = true;
  dcfg.show_type = false;
  dcfg.show_module = false;
  dcfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
    auto* out = static_cast<std::string*>(user);
    if (out->empty()) out->assign(buf, len);
  };
  std::unique_ptr<fy_diag, void (*)(fy_diag*)> diag(fy_diag_create(&dcfg), fy_diag_destroy);
  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG);
  cfg.diag = diag.get();
  std::unique_ptr<fy_document, void (*)(fy_document*)> doc(
      fy_document_build_from_string(&cfg, text.data(), text.size()), fy_document_destroy);
  if (!doc) {
    while (!captured.empty() && (captured.back() == '\n' || captured.back() == ' ')) captured.pop_back();
    // "<file>:L:C: message" -> "path:L:C: invalid YAML: message"
    std::size_t colon = captured.find(':');
    int line = 0, col = 0;
    std::string what = captured;
    if (colon != std::string::npos &&
        std::sscanf(captured.c_str() + colon + 1, "%d:%d:", &line, &col) == 2) {
      std::size_t third = captured.find(':', captured.find(':', colon + 1) + 1);
      what = third != std::string::npos ? captured.substr(third + 1) : captured;
      while (!what.empty() && what.front() == ' ') what.erase(0, 1);
      if (what.rfind("error: ", 0) == 0) what.erase(0, 7);
    }
    fail(path, line, col, "invalid YAML" + (what.empty() ? std::string() : ": " + what));
  }
  fy_node* root = fy_document_root(doc.get());
  if (root != nullptr && fy_node_is_mapping(root)) {
    if (fy_node* inner = fy_node_mapping_lookup_by_string(root, "patterns", FY_NT)) root = inner;
  }
  std::vector<Pattern> out;
  if (root == nullptr) return out;
  if (fy_node_is_sequence(root)) {
    void* it = nullptr;
    int index = 0;
    while (fy_node* item = fy_node_sequence_iterate(root, &it)) {
      ++index;
      if (fy_node_is_scalar(item)) {
        out.push_back(parse_pattern_arg(scalar(item)));
      } else if (fy_node_is_mapping(item)) {
        fy_node* regex = fy_node_mapping_lookup_by_string(item, "regex", FY_NT);
        if (regex == nullptr) regex = fy_node_mapping_lookup_by_string(item, "pattern", FY_NT);
        if (regex == nullptr || !fy_node_is_scalar(regex)) {
          fail(path, 0, 0, fmt::format("pattern {}: needs a 'regex' string", index));
        }
        fy_node* id = fy_node_mapping_lookup_by_string(item, "id", FY_NT);
        std::string re = scalar(regex);
        out.push_back({id != nullptr ? scalar(id) : re, re});
      } else {
        fail(path, 0, 0, fmt::format("pattern {}: expected a string or a mapping", index));
      }
      if (out.back().regex.empty()) fail(path, 0, 0, fmt::format("pattern {}: empty regex", index));
    }
  } else if (fy_node_is_mapping(root)) {
    void* it = nullptr;
    while (fy_node_pair* pair = fy_node_mapping_iterate(root, &it)) {
      fy_node* value = fy_node_pair_value(pair);
      if (value == nullptr || !fy_node_is_scalar(value)) {
        fail(path, 0, 0, fmt::format("pattern '{}': the value must be a regex string",
                                     scalar(fy_node_pair_key(pair))));
      }
      out.push_back({scalar(fy_node_pair_key(pair)), scalar(value)});
    }
  } else {
    fail(path, 0, 0, "expected a list or a mapping of patterns");
  }
  return out;
}

}  // namespace obscore::logscan
