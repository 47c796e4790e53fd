// YAML/JSON -> ordered_json from libfyaml's event stream: one pass, constant parser memory, a
// position for every node, duplicate keys caught with both positions, anchors and aliases
// resolved under an expansion budget, `<<` merge keys expanded, scalars resolved by the YAML 1.2
// core schema (or 1.1 on request) and explicit !!tags.
#include <libfyaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>

#include "obscore/config/config.hpp"
#include "obscore/core/error.hpp"

namespace obscore::config {

namespace {

// ---- scalar resolution -------------------------------------------------------------------

bool all_of(std::string_view s, std::string_view chars) {
  return !s.empty() && s.find_first_not_of(chars) == std::string_view::npos;
}

// Parses digits in `base` (underscores allowed when `underscores`) with an optional sign into a
// JSON integer; values beyond 64 bits become a double.
std::optional<Json> parse_integer(std::string_view s, int base, bool underscores) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string digits;
  for (char c : s) {
    if (c == '_' && underscores) continue;
    digits += c;
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (end != digits.data() + digits.size() && ec != std::errc::result_out_of_range) {
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    double v = 0;
    for (char c : digits) v = v * base + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10);
    return Json(negative ? -v : v);
  }
  if (!negative) {
    if (magnitude <= static_cast<std::uint64_t>(INT64_MAX)) return Json(static_cast<std::int64_t>(magnitude));
    return Json(magnitude);
  }
  if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
    return Json(static_cast<std::int64_t>(0 - magnitude));
  }
  return Json(-static_cast<double>(magnitude));
}

std::optional<Json> special_float(std::string_view s) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") return Json(negative ? "-.inf" : ".inf");
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Json(".nan");
  return std::nullopt;
}

std::optional<Json> parse_float(std::string_view s, bool underscores) {
  std::string text;
  bool digit = false, dot_or_exp = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_' && underscores) continue;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (c == '.' || c == 'e' || c == 'E') {
      dot_or_exp = true;
    } else if (!((c == '-' || c == '+') && (i == 0 || s[i - 1] == 'e' || s[i - 1] == 'E'))) {
      return std::nullopt;
    }
    text += c;
  }
  if (!digit || !dot_or_exp) return std::nullopt;
  std::size_t pos = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  // [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit before the exponent
  std::size_t mant_digits = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos, ++mant_digits;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos, ++mant_digits;
  }
  if (mant_digits == 0) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) ++pos;
    std::size_t exp_digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const char* first = text.c_str() + (text[0] == '+' ? 1 : 0);
  double v = 0;
  auto [end, ec] = std::from_chars(first, text.c_str() + text.size(), v);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) v = std::strtod(first, nullptr);
  if (!std::isfinite(v)) return Json(v > 0 ? ".inf" : "-.inf");
  return Json(v);
}

// 190:20:30 (YAML 1.1 base 60).
std::optional<Json> parse_sexagesimal(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s[0] < '1' || s[0] > '9' || s.find(':') == std::string_view::npos) return std::nullopt;
  double value = 0;
  bool is_float = false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t colon = s.find(':', start);
    std::string_view part = s.substr(start, colon == std::string_view::npos ? colon : colon - start);
    if (colon == std::string_view::npos) {
      auto f = part.find('.') != std::string_view::npos ? parse_float(part, true) : parse_integer(part, 10, true);
      if (!f || !f->is_number()) return std::nullopt;
      is_float = f->is_number_float();
      value = value * 60 + f->get<double>();
      break;
    }
    if (!all_of(part, "0123456789_") || (start > 0 && part.size() > 2)) return std::nullopt;
    auto v = parse_integer(part, 10, true);
    if (!v) return std::nullopt;
    value = value * 60 + v->get<double>();
    start = colon + 1;
  }
  if (negative) value = -value;
  if (is_float) return Json(value);
  return Json(static_cast<std::int64_t>(value));
}

Json resolve_plain_12(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Json(nullptr);
  if (s == "true" || s == "True" || s == "TRUE") return Json(true);
  if (s == "false" || s == "False" || s == "FALSE") return Json(false);
  char c = s[0];
  if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.')) return Json(s);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s.substr(2), "01234567")) {
    if (auto v = parse_integer(s.substr(2), 8, false)) return *v;
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s.substr(2), "0123456789abcdefABCDEF")) {
    if (auto v = parse_integer(s.substr(2), 16, false)) return *v;
  }
  std::string_view digits = (c == '-' || c == '+') ? s.substr(1) : s;
  if (all_of(digits, "0123456789")) {
    if (auto v = parse_integer(s, 10, false)) return *v;
  }
  if (auto v = special_float(s)) return *v;
  if (auto v = parse_float(s, false)) return *v;
  return Json(s);
}

Json resolve_plain_11(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Json(nullptr);
  static const std::unordered_set<std::string_view> kTrue = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const std::unordered_set<std::string_view> kFalse = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (kTrue.contains(s)) return Json(true);
  if (kFalse.contains(s)) return Json(false);
  char c = s[0];
  if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.')) return Json(s);
  std::string_view body = (c == '-' || c == '+') ? s.substr(1) : s;
  std::string sign = (c == '-') ? "-" : "";
  auto signed_int = [&](std::string_view digits, int base) -> std::optional<Json> {
    return parse_integer(sign + std::string(digits), base, true);
  };
  if (body.starts_with("0b") && all_of(body.substr(2), "01_")) {
    if (auto v = signed_int(body.substr(2), 2)) return *v;
  }
  if (body.starts_with("0x") && all_of(body.substr(2), "0123456789abcdefABCDEF_")) {
    if (auto v = signed_int(body.substr(2), 16)) return *v;
  }
  if (body.size() > 1 && body[0] == '0' && all_of(body.substr(1), "01234567_")) {
    if (auto v = signed_int(body.substr(1), 8)) return *v;
  }
  if (all_of(body, "0123456789_") && std::isdigit(static_cast<unsigned char>(body[0]))) {
    if (auto v = signed_int(body, 10)) return *v;
  }
  if (body.find(':') != std::string_view::npos) {
    if (auto v = parse_sexagesimal(s)) return *v;
  }
  if (auto v = special_float(s)) return *v;
  if (auto v = parse_float(s, true)) return *v;
  return Json(s);
}

// ---- the event-driven builder --------------------------------------------------------------

struct Frame {
  Json value;
  bool is_map = false;
  std::string pointer;
  std::string anchor;
  // mappings: the pending key (set when a key has been read and its value not yet)
  bool have_key = false;
  bool key_is_merge = false;
  std::string key;
  Mark key_mark;
  std::unordered_map<std::string, Mark> seen;  // explicit keys and where they were
  std::vector<Json> merges;                    // `<<` sources, in precedence order
  std::size_t nodes = 1;                       // nodes in this subtree (for alias budgets)
  bool key_collection = false;                 // this collection is itself a mapping key
};

struct Anchored {
  Json value;
  std::size_t nodes = 1;
};

std::string token_text(fy_token* t) {
  if (t == nullptr) return {};
  size_t len = 0;
  const char* s = fy_token_get_text(t, &len);
  return s != nullptr ? std::string(s, len) : std::string();
}

Mark mark_of(fy_event* e) {
  const fy_mark* m = fy_event_start_mark(e);
  if (m == nullptr) return {};
  return {m->line + 1, m->column + 1};
}

Mark mark_of(fy_token* t) {
  if (t == nullptr) return {};
  const fy_mark* m = fy_token_start_mark(t);
  if (m == nullptr) return {};
  return {m->line + 1, m->column + 1};
}

std::string key_text(const Json& key) {
  if (key.is_string()) return key.get<std::string>();
  if (key.is_null()) return "null";
  return key.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

class Builder {
 public:
  Builder(const std::string& path, const LoadOptions& options, LoadResult& out)
      : path_(path), options_(options), out_(out) {}

  void document_start(Mark m) {
    doc_ = Document{};
    doc_.start = m;
    anchors_.clear();
    have_root_ = false;
  }

  void document_end() {
    if (!have_root_) doc_.value = Json(nullptr);
    out_.documents.push_back(std::move(doc_));
  }

  void collection_start(bool is_map, Mark m, const std::string& anchor, const std::string& tag) {
    if (stack_.size() >= options_.max_depth) {
      fail(m, fmt::format("nesting deeper than {} levels", options_.max_depth));
    }
    if ((is_map && !tag.empty() && tag != "tag:yaml.org,2002:map" && tag.starts_with("tag:yaml.org,2002:")) ||
        (!is_map && !tag.empty() && tag != "tag:yaml.org,2002:seq" && tag.starts_with("tag:yaml.org,2002:"))) {
      fail(m, fmt::format("tag !!{} cannot be applied to a {}", tag.substr(18), is_map ? "mapping" : "sequence"));
    }
    Frame f;
    f.is_map = is_map;
    f.value = is_map ? Json::object() : Json::array();
    f.anchor = anchor;
    f.key_collection = is_key_position();
    f.pointer = f.key_collection ? std::string("#key") : child_pointer();
    if (!f.key_collection) record_mark(f.pointer, m);
    stack_.push_back(std::move(f));
  }

  void collection_end() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.is_map && !f.merges.empty()) {
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      auto& obj = f.value.get_ref<Json::object_t&>();
      for (auto& src : f.merges) {
        for (auto& [k, v] : src.items()) {
          if (f.seen.contains(k)) continue;
          f.seen.emplace(k, Mark{});
          obj.emplace_back(k, v);
          f.nodes += 1;
        }
      }
    }
    if (!f.anchor.empty()) anchors_[f.anchor] = Anchored{f.value, f.nodes};
    add_value(std::move(f.value), f.nodes, Mark{}, /*recorded=*/true, false);
  }

  void scalar(Json value, Mark m, const std::string& anchor, bool plain_merge_key) {
    if (!anchor.empty()) anchors_[anchor] = Anchored{value, 1};
    add_value(std::move(value), 1, m, false, plain_merge_key);
  }

  void alias(const std::string& name, Mark m) {
    auto it = anchors_.find(name);
    if (it == anchors_.end()) fail(m, fmt::format("undefined alias '*{}'", name));
    alias_nodes_ += it->second.nodes;
    if (alias_nodes_ > options_.max_alias_nodes) {
      fail(m, fmt::format("alias expansion beyond {} nodes (a billion-laughs document?); "
                          "aliases copy in {} nodes so far", options_.max_alias_nodes, alias_nodes_));
    }
    add_value(it->second.value, it->second.nodes, m, false, false);
  }

  [[noreturn]] void fail(Mark m, const std::string& what) const {
    throw core::Error(core::ErrorKind::kInput, what, path_, m.line, m.column);
  }

 private:
  bool is_key_position() const {
    return !stack_.empty() && stack_.back().is_map && !stack_.back().have_key;
  }

  std::string child_pointer() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.key_collection) return "#key";
    if (top.is_map) return pointer_append(top.pointer, top.key);
    return pointer_append(top.pointer, top.value.size());
  }

  void record_mark(const std::string& pointer, Mark m) {
    if (m.line > 0) doc_.values[pointer] = m;
  }

  void add_value(Json value, std::size_t nodes, Mark m, bool recorded, bool plain_merge_key) {
    if (stack_.empty()) {
      if (!recorded) record_mark("", m);
      doc_.value = std::move(value);
      have_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    top.nodes += nodes;
    if (!top.is_map) {
      if (!recorded && !top.key_collection) record_mark(pointer_append(top.pointer, top.value.size()), m);
      top.value.push_back(std::move(value));
      return;
    }
    if (!top.have_key) {
      top.have_key = true;
      top.key = key_text(value);
      top.key_mark = m;
      top.key_is_merge = plain_merge_key;
      return;
    }
    top.have_key = false;
    if (top.key_collection) {
      top.value[top.key] = std::move(value);
      return;
    }
    if (top.key_is_merge) {
      if (value.is_object()) {
        top.merges.push_back(std::move(value));
      } else if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_object(); })) {
        for (auto& v : value) top.merges.push_back(std::move(v));
      } else {
        fail(top.key_mark, "merge key '<<' needs a mapping or a list of mappings");
      }
      return;
    }
    std::string pointer = pointer_append(top.pointer, top.key);
    auto [it, inserted] = top.seen.emplace(top.key, top.key_mark);
    if (!inserted) {
      Mark first = it->second;
      std::string what = fmt::format("duplicate key '{}' (first at line {}, column {})", top.key,
                                     first.line, first.column);
      if (!options_.allow_duplicate_keys) fail(top.key_mark, what);
      out_.warnings.push_back({path_, top.key_mark.line, top.key_mark.column, core::Severity::kWarning,
                               what + "; the last one is kept"});
      it->second = top.key_mark;
      top.value[top.key] = std::move(value);
    } else {
      // Keys are known to be new: append without ordered_map's linear search.
      top.value.get_ref<Json::object_t&>().emplace_back(top.key, std::move(value));
    }
    if (top.key_mark.line > 0) doc_.keys[pointer] = top.key_mark;
    if (!recorded) record_mark(pointer, m);
  }

  const std::string& path_;
  const LoadOptions& options_;
  LoadResult& out_;
  Document doc_;
  bool have_root_ = false;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchored> anchors_;
  std::size_t alias_nodes_ = 0;
};

Json resolve_scalar(fy_event* e, const std::string& tag, bool yaml_1_1, const Builder& b) {
  std::string text = token_text(e->scalar.value);
  enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
  bool plain = style == FYSS_PLAIN;
  if (tag.empty() || tag == "!") {
    if (!plain || !tag.empty()) return Json(text);
    return yaml_1_1 ? resolve_plain_11(text) : resolve_plain_12(text);
  }
  if (!tag.starts_with("tag:yaml.org,2002:")) return Json(text);  // application tags: the text
  std::string_view kind = std::string_view(tag).substr(18);
  Json v = yaml_1_1 ? resolve_plain_11(text) : resolve_plain_12(text);
  auto bad = [&](const char* what) {
    b.fail(mark_of(e), fmt::format("!!{} value '{}' is not {}", kind, text, what));
  };
  if (kind == "str" || kind == "binary" || kind == "timestamp") return Json(text);
  if (kind == "null") {
    if (!v.is_null()) bad("null");
    return Json(nullptr);
  }
  if (kind == "bool") {
    if (!v.is_boolean()) bad("a boolean");
    return v;
  }
  if (kind == "int") {
    if (!v.is_number_integer()) bad("an integer");
    return v;
  }
  if (kind == "float") {
    if (v.is_number()) return Json(v.get<double>());
    if (v.is_string() && (text.find("inf") != std::string::npos || text.find("nan") != std::string::npos ||
                          text.find("Inf") != std::string::npos || text.find("NaN") != std::string::npos ||
                          text.find("INF") != std::string::npos || text.find("NAN") != std::string::npos)) {
      return v;
    }
    bad("a number");
  }
  return Json(text);
}

// libfyaml reports errors through its diag object; keep the first message.
struct DiagCapture {
  std::string first;
  std::unique_ptr<fy_diag, void (*)(fy_diag*)> diag{nullptr, fy_diag_destroy};
  DiagCapture() {
    fy_diag_cfg cfg;
    fy_diag_cfg_default(&cfg);
    cfg.fp = nullptr;
    cfg.user = &first;
    cfg.colorize = false;
    cfg.show_source = false;
    cfg.show_position = true;
    cfg.show_type = false;
    cfg.show_module = false;
    cfg.output_fn = [](fy_diag*, void* user, const char* buf, size_t len) {
      auto* out = static_cast<std::string*>(user);
      if (out->empty()) out->assign(buf, len);
    };
    diag.reset(fy_diag_create(&cfg));
  }
  // "<source>:L:C: error: what" -> line, column, what
  void parse(int& line, int& column, std::string& what) const {
    std::string msg = first;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    what = msg;
    line = column = 0;
    std::size_t colon = msg.find(':');
    if (colon != std::string::npos && std::sscanf(msg.c_str() + colon + 1, "%d:%d:", &line, &column) == 2) {
      std::size_t third = msg.find(':', msg.find(':', colon + 1) + 1);
      what = third != std::string::npos ? msg.substr(third + 1) : msg;
      while (!what.empty() && what.front() == ' ') what.erase(0, 1);
      if (what.rfind("error: ", 0) == 0) what.erase(0, 7);
    }
  }
};

}  // namespace

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

Mark Document::mark(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    if (auto it = values.find(p); it != values.end()) return it->second;
    if (p.empty()) return start;
    p.erase(p.rfind('/'));
  }
}

Mark Document::key_mark(std::string_view pointer) const {
  if (auto it = keys.find(std::string(pointer)); it != keys.end()) return it->second;
  return mark(pointer);
}

LoadResult load(std::string_view text, const std::string& path, const LoadOptions& options) {
  LoadResult result;
  DiagCapture capture;
  fy_parse_cfg cfg{};
  unsigned flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_DEPTH_LIMIT |
                   (options.yaml_1_1 ? FYPCF_DEFAULT_VERSION_1_1 : FYPCF_DEFAULT_VERSION_1_2) |
                   FYPCF_JSON_NONE;
  cfg.flags = static_cast<fy_parse_cfg_flags>(flags);
  cfg.diag = capture.diag.get();
  std::unique_ptr<fy_parser, void (*)(fy_parser*)> parser(fy_parser_create(&cfg), fy_parser_destroy);
  if (!parser) throw core::Error(core::ErrorKind::kInternal, "cannot create the YAML parser", path);
  // libfyaml keeps a pointer to the text; an empty view may carry a null pointer.
  static const char kEmpty[1] = {0};
  if (fy_parser_set_string(parser.get(), text.empty() ? kEmpty : text.data(), text.size()) != 0) {
    throw core::Error(core::ErrorKind::kInternal, "cannot hand the text to the YAML parser", path);
  }
  Builder builder(path, options, result);
  auto event_free = [&](fy_event* e) { fy_parser_event_free(parser.get(), e); };
  while (true) {
    std::unique_ptr<fy_event, decltype(event_free)> event(fy_parser_parse(parser.get()), event_free);
    if (!event) {
      if (fy_parser_get_stream_error(parser.get())) {
        int line = 0, column = 0;
        std::string what;
        capture.parse(line, column, what);
        throw core::Error(core::ErrorKind::kInput,
                          what.empty() ? std::string("invalid YAML") : "invalid YAML: " + what, path,
                          line, column);
      }
      break;
    }
    fy_event* e = event.get();
    switch (e->type) {
      case FYET_DOCUMENT_START: builder.document_start(mark_of(e)); break;
      case FYET_DOCUMENT_END: builder.document_end(); break;
      case FYET_MAPPING_START:
      case FYET_SEQUENCE_START: {
        bool is_map = e->type == FYET_MAPPING_START;
        std::string anchor = token_text(fy_event_get_anchor_token(e));
        std::string tag = token_text(fy_event_get_tag_token(e));
        Mark m = mark_of(e);
        if (m.line == 0) m = mark_of(fy_event_get_anchor_token(e));
        builder.collection_start(is_map, m, anchor, tag);
        break;
      }
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END: builder.collection_end(); break;
      case FYET_SCALAR: {
        std::string anchor = token_text(e->scalar.anchor);
        std::string tag = token_text(e->scalar.tag);
        Json v = resolve_scalar(e, tag, options.yaml_1_1, builder);
        bool merge = tag.empty() && fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN &&
                     v.is_string() && v.get_ref<const std::string&>() == "<<";
        Mark m = mark_of(e);
        enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
        if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && m.column > 1) {
          --m.column;  // libfyaml marks the first character inside the quotes
        }
        builder.scalar(std::move(v), m, anchor, merge);
        break;
      }
      case FYET_ALIAS: builder.alias(token_text(e->alias.anchor), mark_of(e)); break;
      default: break;
    }
  }
  return result;
}

}  // namespace obscore::config
