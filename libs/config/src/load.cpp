// YAML/JSON -> ordered_json from libfyaml's event stream: one pass, a position for every node,
// duplicate keys caught with both positions, anchors and aliases resolved under an expansion
// budget, `<<` merge keys expanded, scalars resolved by the YAML 1.2 core schema (or 1.1 on
// request) and explicit !!tags, numbers beyond double kept exactly in Document::raw_numbers.
#include <algorithm>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "drive.hpp"
#include "obscore/config/document.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"
#include "scalar.hpp"

namespace obscore::config {

namespace {

using detail::Scalar;
using detail::ScalarKind;

struct Frame {
  Json value;
  bool is_map = false;
  std::string pointer;
  std::string anchor;
  Mark mark;
  // mappings: the pending key (set when a key has been read and its value not yet)
  bool have_key = false;
  bool key_is_merge = false;
  std::string key;
  Mark key_mark;
  std::unordered_map<std::string, Mark> seen;  // explicit keys and where they were
  std::vector<std::pair<Json, std::string>> merges;  // `<<` sources (value, pointer), in precedence order
  std::size_t nodes = 1;                       // nodes in this subtree (for alias budgets)
  std::size_t bytes = 0;                       // scalar bytes in this subtree
  bool key_collection = false;                 // this collection is itself a mapping key
};

struct Anchored {
  Json value;
  std::string pointer;
  std::size_t nodes = 1;
  std::size_t bytes = 0;
};

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

  void collection_start(bool is_map, Mark m, std::string_view anchor, std::string_view tag) {
    if (stack_.size() >= options_.max_depth) {
      fail(m, core::excess_nesting_message(options_.max_depth));
    }
    if (auto bad = detail::collection_tag_error(is_map, tag)) fail(m, *bad);
    Frame f;
    f.is_map = is_map;
    f.value = is_map ? Json::object() : Json::array();
    f.anchor = std::string(anchor);
    f.mark = m;
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
      for (auto& [src, src_pointer] : f.merges) {
        for (auto& [k, v] : src.items()) {
          if (f.seen.contains(k)) continue;
          f.seen.emplace(k, Mark{});
          if (!doc_.raw_numbers.empty() && !f.key_collection) {
            copy_raw(pointer_append(src_pointer, k), pointer_append(f.pointer, k));
          }
          obj.emplace_back(k, v);
          f.nodes += 1;
        }
      }
    }
    if (!f.anchor.empty()) anchors_[f.anchor] = Anchored{f.value, f.pointer, f.nodes, f.bytes};
    add_value(std::move(f.value), f.nodes, f.bytes, f.mark, /*recorded=*/true, false, f.pointer);
  }

  void scalar(const Scalar& s, std::string_view text, fy_event* e, std::string_view anchor_view, bool plain_merge_key) {
    Mark m = detail::scalar_mark(e);
    std::string anchor(anchor_view);
    if (is_key_position()) {
      std::string key = detail::key_string(s, text);
      if (!anchor.empty()) anchors_[anchor] = Anchored{Json(key), {}, 1, text.size()};
      stack_.back().nodes += 1;
      stack_.back().bytes += text.size();
      set_key(std::move(key), m, plain_merge_key);
      return;
    }
    Json value = detail::to_json_value(s, text);
    std::string pointer;
    if (s.exact) {
      pointer = stack_.empty() ? std::string() : child_pointer();
      doc_.raw_numbers[pointer] = s.number;
    }
    if (!anchor.empty()) anchors_[anchor] = Anchored{value, pointer, 1, text.size()};
    add_value(std::move(value), 1, text.size(), m, false, false, pointer);
  }

  void alias(std::string_view name, Mark m) {
    auto it = anchors_.find(std::string(name));
    if (it == anchors_.end()) fail(m, fmt::format("undefined alias '*{}'", name));
    alias_nodes_ += it->second.nodes;
    alias_bytes_ += it->second.bytes;
    if (alias_nodes_ > options_.max_alias_nodes || alias_bytes_ > options_.max_alias_bytes) {
      fail(m, fmt::format("alias expansion beyond the budget of {} nodes or {} bytes (a billion-laughs "
                          "document?); aliases copy in {} nodes and {} bytes so far",
                          options_.max_alias_nodes, options_.max_alias_bytes, alias_nodes_, alias_bytes_));
    }
    if (is_key_position()) {
      const Json& v = it->second.value;
      stack_.back().nodes += it->second.nodes;
      stack_.back().bytes += it->second.bytes;
      set_key(v.is_string() ? v.get<std::string>() : dump_key(v), m, false);
      return;
    }
    std::string target = stack_.empty() ? std::string() : child_pointer();
    if (!doc_.raw_numbers.empty() && !it->second.pointer.empty()) copy_raw(it->second.pointer, target);
    add_value(it->second.value, it->second.nodes, it->second.bytes, m, false, false, it->second.pointer);
  }

  [[noreturn]] void fail(Mark m, const std::string& what) const {
    throw core::Error(core::ErrorKind::kInput, what, path_, m.line, m.column);
  }

 private:
  static std::string dump_key(const Json& v) {
    std::string s;
    write_json(v, s);
    return s;
  }

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

  // Raw numbers under `from` are also under `to` (an alias or a merge copied the node).
  void copy_raw(const std::string& from, const std::string& to) {
    if (from == to) return;
    std::vector<std::pair<std::string, std::string>> add;
    for (const auto& [p, text] : doc_.raw_numbers) {
      if (p == from || (p.size() > from.size() && p.starts_with(from) && p[from.size()] == '/')) {
        add.emplace_back(to + p.substr(from.size()), text);
      }
    }
    for (auto& [p, text] : add) doc_.raw_numbers[p] = std::move(text);
  }

  void set_key(std::string key, Mark m, bool merge) {
    Frame& top = stack_.back();
    top.have_key = true;
    top.key = std::move(key);
    top.key_mark = m;
    top.key_is_merge = merge;
  }

  void add_value(Json value, std::size_t nodes, std::size_t bytes, Mark m, bool recorded,
                 bool plain_merge_key, const std::string& source_pointer) {
    if (stack_.empty()) {
      if (!recorded) record_mark("", m);
      doc_.value = std::move(value);
      have_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    top.nodes += nodes;
    top.bytes += bytes;
    if (!top.is_map) {
      if (!recorded && !top.key_collection) record_mark(pointer_append(top.pointer, top.value.size()), m);
      top.value.push_back(std::move(value));
      return;
    }
    if (!top.have_key) {  // a collection as a key: its compact JSON text is the key
      set_key(dump_key(value), m, plain_merge_key);
      return;
    }
    top.have_key = false;
    if (top.key_collection) {
      top.value[top.key] = std::move(value);
      return;
    }
    if (top.key_is_merge) {
      if (value.is_object()) {
        top.merges.emplace_back(std::move(value), source_pointer);
      } else if (value.is_array() && !value.empty() &&
                 std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_object(); })) {
        std::size_t i = 0;
        for (auto& v : value) top.merges.emplace_back(std::move(v), pointer_append(source_pointer, i++));
      } else {
        fail(top.key_mark, "merge key '<<' needs a mapping, an alias of one, or a list of them");
      }
      return;
    }
    std::string pointer = pointer_append(top.pointer, top.key);
    auto [it, inserted] = top.seen.emplace(top.key, top.key_mark);
    if (!inserted) {
      Mark first = it->second;
      std::string what = detail::duplicate_key_message(top.key, first);
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
  std::size_t alias_bytes_ = 0;
};

}  // namespace

bool is_json_path(std::string_view path) {
  if (path.size() < 5) return false;
  std::string_view ext = path.substr(path.size() - 5);
  return ext[0] == '.' && (ext[1] | 0x20) == 'j' && (ext[2] | 0x20) == 's' && (ext[3] | 0x20) == 'o' &&
         (ext[4] | 0x20) == 'n';
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out;
  out.reserve(pointer.size() + token.size() + 1);
  out += pointer;
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

RawLookup raw_lookup(const RawNumbers& raw) {
  if (raw.empty()) return {};
  return [&raw](const std::string& pointer) -> const std::string* {
    auto it = raw.find(pointer);
    return it == raw.end() ? nullptr : &it->second;
  };
}

LoadResult load(std::string_view text, const std::string& path, const LoadOptions& options) {
  LoadResult result;
  detail::EventParser parser(text, path, options);
  Builder builder(path, options, result);
  detail::drive(parser, options, builder);
  return result;
}

}  // namespace obscore::config
