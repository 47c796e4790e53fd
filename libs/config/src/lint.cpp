// Lint rules over libfyaml's event stream (one pass, positions from the tokens), plus a line
// scan for tab indentation outside scalars and flow collections.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "events.hpp"
#include "key_set.hpp"
#include "obscore/config/config.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"
#include "scalar.hpp"

namespace obscore::config {

namespace {

using core::Severity;
using detail::ScalarKind;

const std::vector<LintRuleInfo> kRules = {
    {"syntax-error", Severity::kError, "the file is not valid YAML/JSON"},
    {"duplicate-key", Severity::kError,
     "a mapping has the same key twice; parsers disagree on which value wins (most keep the last silently)"},
    {"undefined-alias", Severity::kError, "an alias refers to an anchor that is not defined before it"},
    {"alias-bomb", Severity::kError,
     "aliases expand beyond the node budget (a billion-laughs document exhausts parsers that expand it)"},
    {"merge-key-misuse", Severity::kError,
     "a '<<' merge key whose value is not a mapping, an alias of one, or a list of them; or several '<<' keys in one mapping"},
    {"max-depth", Severity::kError, "collections nest deeper than the limit"},
    {"tab-indent", Severity::kError, "a tab in indentation: YAML forbids it, parsers reject it or misread the structure"},
    {"yaml11-boolean", Severity::kWarning,
     "an unquoted yes/no/on/off/y/n: a string in YAML 1.2, a boolean in YAML 1.1 (PyYAML, older tools)"},
    {"octal-ambiguity", Severity::kWarning,
     "a number with a leading zero (0755): decimal in YAML 1.2, octal in YAML 1.1; write 0o755 or quote it"},
    {"sexagesimal", Severity::kWarning,
     "a value like 1:30: a string in YAML 1.2, a base-60 number in YAML 1.1; quote it"},
    {"non-string-key", Severity::kWarning,
     "a key that is not a string (number, boolean, null, collection): JSON and many tools turn it into a string"},
    {"unused-anchor", Severity::kWarning, "an anchor that no alias uses"},
};

enum class Kind { kScalar, kMap, kSeq };

struct Frame {
  bool is_map = false;
  bool have_key = false;
  bool key_is_merge = false;
  bool is_merge_value = false;  // a sequence that is the value of `<<`
  bool all_maps = true;         // sequences: every item is a mapping
  int merges = 0;
  Mark key_mark;
  std::string anchor;
  std::size_t nodes = 1;
  detail::KeySet keys;

  void reset(bool map) {
    is_map = map;
    have_key = key_is_merge = is_merge_value = false;
    all_maps = true;
    merges = 0;
    anchor.clear();
    nodes = 1;
    keys.clear();
  }

  const Mark* insert(std::string_view key, Mark m) { return keys.insert(key, m); }
};

struct Anchor {
  Mark mark;
  bool used = false;
  Kind kind = Kind::kScalar;
  std::size_t nodes = 1;
};

class Linter {
 public:
  Linter(const LoadOptions& options, std::vector<LintFinding>& out) : options_(options), out_(out) {}

  void add(std::string_view rule, Mark m, std::string message) {
    Severity sev = Severity::kWarning;
    for (const auto& r : kRules) {
      if (r.id == rule) sev = r.severity;
    }
    out_.push_back(LintFinding{std::string(rule), sev, m, std::move(message)});
  }

  void document_start() {
    anchors_.clear();
    depth_ = 0;
  }

  void document_end() {
    for (const auto& [name, a] : anchors_) {
      if (!a.used) add("unused-anchor", a.mark, fmt::format("anchor '&{}' is never used", name));
    }
    anchors_.clear();
  }

  // false: too deep, stop
  bool collection_start(bool is_map, Mark m, std::string_view anchor, Mark anchor_mark) {
    if (depth_ >= options_.max_depth) {
      add("max-depth", m, core::excess_nesting_message(options_.max_depth));
      return false;
    }
    if (key_position()) add("non-string-key", m, fmt::format("a {} used as a key", is_map ? "mapping" : "sequence"));
    bool merge_value = !is_map && merge_value_pending();
    if (depth_ == stack_.size()) stack_.emplace_back();
    Frame& f = stack_[depth_++];
    f.reset(is_map);
    f.anchor.assign(anchor);
    if (!anchor.empty()) define(f.anchor, anchor_mark, is_map ? Kind::kMap : Kind::kSeq);
    f.is_merge_value = merge_value;
    return true;
  }

  void collection_end() {
    Frame& f = stack_[--depth_];
    if (!f.anchor.empty()) {
      auto& a = anchors_[f.anchor];
      a.nodes = f.nodes;
    }
    Kind kind = f.is_map ? Kind::kMap : Kind::kSeq;
    node_done(kind, f.nodes, f.is_merge_value && f.all_maps);
  }

  void scalar(std::string_view text, bool plain, std::string_view tag, Mark m, std::string_view anchor,
              Mark anchor_mark) {
    if (!anchor.empty()) define(std::string(anchor), anchor_mark, Kind::kScalar);
    if (plain && tag.empty()) check_plain(text, m);
    if (key_position()) {
      std::string error;
      auto s = detail::resolve(text, plain, tag, options_.yaml_1_1, error);
      Frame& top = stack_[depth_ - 1];
      top.nodes += 1;
      bool merge = plain && tag.empty() && text == "<<";
      if (s && s->kind != ScalarKind::kString && !merge) {
        add("non-string-key", m, fmt::format("key '{}' is {}; JSON and many tools turn it into a string",
                                             text.substr(0, 80), kind_name(s->kind)));
      }
      set_key(top, merge ? std::string() : detail::key_string(s ? *s : detail::Scalar{}, text), m, merge);
      return;
    }
    node_done(Kind::kScalar, 1, false);
  }

  void alias(std::string_view name, Mark m) {
    auto it = anchors_.find(std::string(name));
    if (it == anchors_.end()) {
      add("undefined-alias", m, fmt::format("alias '*{}' has no anchor '&{}' before it", name, name));
      if (key_position()) {
        set_key(stack_[depth_ - 1], "*" + std::string(name), m, false);
      } else {
        node_done(Kind::kScalar, 1, false);
      }
      return;
    }
    it->second.used = true;
    alias_nodes_ += it->second.nodes;
    if (alias_nodes_ > options_.max_alias_nodes && !bomb_reported_) {
      bomb_reported_ = true;
      add("alias-bomb", m,
          fmt::format("aliases expand to more than {} nodes ({} so far at this alias): a billion-laughs "
                      "pattern; parsers that expand aliases run out of memory or time",
                      options_.max_alias_nodes, alias_nodes_));
    }
    if (key_position()) {
      if (it->second.kind != Kind::kScalar) add("non-string-key", m, "an alias of a collection used as a key");
      stack_[depth_ - 1].nodes += it->second.nodes;
      set_key(stack_[depth_ - 1], "*" + std::string(name), m, false);
      return;
    }
    node_done(it->second.kind, it->second.nodes, false);
  }

 private:
  static const char* kind_name(ScalarKind k) {
    switch (k) {
      case ScalarKind::kNull: return "null";
      case ScalarKind::kTrue:
      case ScalarKind::kFalse: return "a boolean";
      case ScalarKind::kInt: return "an integer";
      default: return "a float";
    }
  }

  bool key_position() const { return depth_ > 0 && stack_[depth_ - 1].is_map && !stack_[depth_ - 1].have_key; }
  bool merge_value_pending() const {
    return depth_ > 0 && stack_[depth_ - 1].is_map && stack_[depth_ - 1].have_key && stack_[depth_ - 1].key_is_merge;
  }

  void define(const std::string& name, Mark m, Kind kind) {
    auto it = anchors_.find(name);
    if (it != anchors_.end() && !it->second.used) {
      add("unused-anchor", it->second.mark,
          fmt::format("anchor '&{}' is redefined at {} before any alias uses it", name, detail::describe(m)));
    }
    anchors_[name] = Anchor{m, false, kind, 1};
  }

  void check_plain(std::string_view text, Mark m) {
    // Only short words and numbers can be ambiguous: most scalars leave here.
    char c = text.empty() ? ' ' : text[0];
    bool word = text.size() <= 3 && (c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 'o' || c == 'O');
    bool number = (c >= '0' && c <= '9') || c == '-' || c == '+';
    if (!word && !number) return;
    if (detail::is_yaml11_boolean(text)) {
      bool yes = text[0] == 'y' || text[0] == 'Y' || text == "on" || text == "On" || text == "ON";
      add("yaml11-boolean", m,
          fmt::format("'{}' is a string in YAML 1.2 but the boolean {} in YAML 1.1; quote it or write {}",
                      text, yes ? "true" : "false", yes ? "true" : "false"));
    } else if (detail::is_octal_ambiguous(text)) {
      auto v11 = detail::resolve_plain(text, true);
      auto v12 = detail::resolve_plain(text, false);
      if (v11.kind == ScalarKind::kInt && v12.kind == ScalarKind::kInt) {
        add("octal-ambiguity", m,
            fmt::format("'{}' is {} in YAML 1.2 but the octal {} in YAML 1.1; write 0o{} for octal or "
                        "quote it",
                        text, v12.number, v11.number, text.substr(text.find_first_not_of("+-0"))));
      }
    } else if (detail::is_sexagesimal(text)) {
      auto v11 = detail::resolve_plain(text, true);
      add("sexagesimal", m,
          fmt::format("'{}' is a string in YAML 1.2 but the base-60 number {} in YAML 1.1; quote it", text,
                      v11.number));
    }
  }

  void set_key(Frame& f, const std::string& key, Mark m, bool merge) {
    f.have_key = true;
    f.key_is_merge = merge;
    f.key_mark = m;
    if (merge) {
      if (++f.merges > 1) {
        add("merge-key-misuse", m, "a second '<<' in the same mapping: a duplicate key; give one '<<' a list of mappings");
      }
      return;
    }
    std::string name = key.substr(0, 200);
    if (const Mark* first = f.insert(key, m)) {
      add("duplicate-key", m, detail::duplicate_key_message(name, *first) + "; parsers disagree on which value wins");
    }
  }

  void node_done(Kind kind, std::size_t nodes, bool seq_of_maps) {
    if (depth_ == 0) return;
    Frame& top = stack_[depth_ - 1];
    top.nodes += nodes;
    if (!top.is_map) {
      if (kind != Kind::kMap) top.all_maps = false;
      return;
    }
    if (!top.have_key) {  // a collection key completed
      set_key(top, fmt::format("#collection{}", top.nodes), Mark{}, false);
      return;
    }
    top.have_key = false;
    if (top.key_is_merge && kind != Kind::kMap && !seq_of_maps) {
      add("merge-key-misuse", top.key_mark,
          "'<<' needs a mapping, an alias of one, or a list of them; this value is ignored or rejected by parsers");
    }
  }

  const LoadOptions& options_;
  std::vector<LintFinding>& out_;
  std::vector<Frame> stack_;  // frames are reused: their key lists keep their capacity
  std::size_t depth_ = 0;
  std::unordered_map<std::string, Anchor> anchors_;
  std::size_t alias_nodes_ = 0;
  bool bomb_reported_ = false;
};

// Lines whose leading whitespace holds a tab, outside the given line ranges (multi-line scalars
// and flow collections, where tabs are content or allowed separation).
void scan_tabs(std::string_view text, std::vector<std::pair<int, int>> skip, std::vector<LintFinding>& out) {
  std::sort(skip.begin(), skip.end());
  std::size_t k = 0;
  int line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    while (k < skip.size() && skip[k].second < line) ++k;
    bool skipped = false;
    for (std::size_t j = k; j < skip.size() && skip[j].first <= line; ++j) {
      if (skip[j].first <= line && line <= skip[j].second) {
        skipped = true;
        break;
      }
    }
    if (!skipped) {
      std::size_t i = pos;
      std::size_t tab = std::string_view::npos;
      while (i < end && (text[i] == ' ' || text[i] == '\t')) {
        if (text[i] == '\t' && tab == std::string_view::npos) tab = i;
        ++i;
      }
      if (tab != std::string_view::npos && i < end && text[i] != '#' && text[i] != '\r') {
        out.push_back(LintFinding{"tab-indent", Severity::kError, Mark{line, static_cast<int>(tab - pos) + 1},
                                  "tab in indentation; YAML allows only spaces there"});
      }
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
}

}  // namespace

const std::vector<LintRuleInfo>& lint_rules() { return kRules; }

std::vector<LintFinding> lint(std::string_view text, const std::string& path, const LoadOptions& options) {
  std::vector<LintFinding> findings;
  Linter linter(options, findings);
  std::vector<std::pair<int, int>> skip;  // line ranges where tabs are not indentation
  std::vector<int> flow_starts;
  std::optional<LintFinding> syntax;
  try {
    detail::EventParser parser(text, path, options);
    while (fy_event* e = parser.next()) {
      switch (e->type) {
        case FYET_DOCUMENT_START: linter.document_start(); break;
        case FYET_DOCUMENT_END: linter.document_end(); break;
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START: {
          bool is_map = e->type == FYET_MAPPING_START;
          Mark m = detail::collection_mark(e);
          fy_token* start = is_map ? e->mapping_start.mapping_start : e->sequence_start.sequence_start;
          enum fy_token_type tt = start != nullptr ? fy_token_get_type(start) : FYTT_NONE;
          flow_starts.push_back(tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START ? m.line : 0);
          fy_token* anchor = fy_event_get_anchor_token(e);
          if (!linter.collection_start(is_map, m, detail::token_view(anchor),
                                       detail::sigil_mark(detail::token_mark(anchor)))) {
            throw core::Error(core::ErrorKind::kInput, "", path);  // reported as max-depth already
          }
          break;
        }
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: {
          fy_token* end = e->type == FYET_MAPPING_END ? e->mapping_end.mapping_end : e->sequence_end.sequence_end;
          if (!flow_starts.empty()) {
            if (flow_starts.back() > 0) skip.emplace_back(flow_starts.back() + 1, detail::token_mark(end).line);
            flow_starts.pop_back();
          }
          linter.collection_end();
          break;
        }
        case FYET_SCALAR: {
          Mark m = detail::scalar_mark(e);
          enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
          if (style != FYSS_PLAIN) {
            Mark end = detail::token_end_mark(e->scalar.value);
            if (style == FYSS_LITERAL || style == FYSS_FOLDED) {
              skip.emplace_back(m.line, end.line);  // block scalars are marked at their content
            } else if (end.line > m.line) {
              skip.emplace_back(m.line + 1, end.line);
            }
          }
          bool plain = style == FYSS_PLAIN;
          linter.scalar(parser.scalar_text(e), plain, detail::token_view(e->scalar.tag), m,
                        detail::token_view(e->scalar.anchor), detail::sigil_mark(detail::token_mark(e->scalar.anchor)));
          break;
        }
        case FYET_ALIAS: linter.alias(detail::token_view(e->alias.anchor), detail::sigil_mark(detail::event_mark(e))); break;
        default: break;
      }
    }
  } catch (const core::Error& e) {
    if (*e.what() != '\0') {
      syntax = LintFinding{"syntax-error", Severity::kError, Mark{e.line(), e.column()}, e.what()};
    }
  }
  if (!options.json) scan_tabs(text, std::move(skip), findings);
  if (syntax) {
    bool tab_on_line = std::any_of(findings.begin(), findings.end(), [&](const LintFinding& f) {
      return f.rule == "tab-indent" && f.mark.line == syntax->mark.line;
    });
    if (!tab_on_line) findings.push_back(std::move(*syntax));
  }
  std::stable_sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) {
    return a.mark.line != b.mark.line ? a.mark.line < b.mark.line : a.mark.column < b.mark.column;
  });
  return findings;
}

}  // namespace obscore::config
