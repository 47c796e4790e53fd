// YAML/JSON events -> compact JSON text with no tree: each event appends to one buffer that is
// handed out every megabyte. Only what may be needed again stays in memory: the text of anchored
// nodes (for their aliases), a `<<` value until its mapping ends, and the keys of the open
// mappings (for duplicate detection). The rules are load()'s, so for any input both give the same
// JSON; tests/config checks that on the whole yaml-test-suite.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "drive.hpp"
#include "key_set.hpp"
#include "obscore/config/document.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/json.hpp"
#include "obscore/core/output.hpp"
#include "scalar.hpp"

namespace obscore::config {

namespace {

using detail::Scalar;
using detail::ScalarKind;

constexpr std::size_t kFlushBytes = 1u << 20;

// End of the JSON value starting at text[i] (our own compact output, so well-formed).
std::size_t value_end(std::string_view text, std::size_t i) {
  int depth = 0;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{':
      case '[': ++depth; break;
      case '}':
      case ']':
        if (depth == 0) return i;
        if (--depth == 0) return i + 1;
        break;
      case ',':
        if (depth == 0) return i;
        break;
      default: break;
    }
  }
  return i;
}

// Members (key literal, value text) of a compact JSON object.
std::vector<std::pair<std::string_view, std::string_view>> split_object(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  std::size_t i = 1;
  while (i < text.size() && text[i] != '}') {
    std::size_t key_end = value_end(text, i);
    std::string_view key = text.substr(i, key_end - i);
    std::size_t v = key_end + 1;  // past ':'
    std::size_t end = value_end(text, v);
    out.emplace_back(key, text.substr(v, end - v));
    i = end < text.size() && text[end] == ',' ? end + 1 : end;
  }
  return out;
}

std::vector<std::string_view> split_array(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 1;
  while (i < text.size() && text[i] != ']') {
    std::size_t end = value_end(text, i);
    out.push_back(text.substr(i, end - i));
    i = end < text.size() && text[end] == ',' ? end + 1 : end;
  }
  return out;
}

struct Frame {
  bool is_map = false;
  bool key_collection = false;  // this collection is a mapping key: its text becomes the key
  std::size_t count = 0;        // members or elements written
  std::size_t start = 0;        // absolute offset of '{' / '['
  Mark mark;
  std::string anchor;
  bool pinned = false;  // its text is needed later (anchor, key, merge value): not flushed
  std::size_t nodes = 1;
  std::size_t bytes = 0;
  // mappings
  bool have_key = false;
  bool key_is_merge = false;
  std::string key_name;  // for messages
  Mark key_mark;
  detail::KeySet keys;                // key literals -> first position
  std::vector<std::string> merges;    // `<<` sources: object texts

  void reset(bool map) {
    is_map = map;
    key_collection = false;
    count = 0;
    anchor.clear();
    nodes = 1;
    bytes = 0;
    have_key = false;
    key_is_merge = false;
    keys.clear();
    merges.clear();
  }

  const Mark* insert(std::string_view literal, Mark m) { return keys.insert(literal, m); }
};

struct Anchored {
  std::string text;
  std::size_t nodes = 1;
  std::size_t bytes = 0;
};

class Converter {
 public:
  Converter(const std::string& path, const LoadOptions& options, JsonOut* out)
      : path_(path), options_(options), out_(out) {}

  std::size_t documents() const { return documents_; }

  void document_start(Mark) {
    anchors_.clear();
    have_root_ = false;
    if (out_ != nullptr) out_->begin_document();
  }

  void document_end() {
    if (!have_root_) buf_ += "null";
    flush(true);
    ++documents_;
    if (out_ != nullptr) out_->end_document();
  }

  void collection_start(bool is_map, Mark m, std::string_view anchor, std::string_view tag) {
    if (depth_ >= options_.max_depth) fail(m, core::excess_nesting_message(options_.max_depth));
    if (auto bad = detail::collection_tag_error(is_map, tag)) fail(m, *bad);
    bool as_key = is_key_position();
    begin_node(as_key);
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.reset(is_map);
    f.key_collection = as_key;
    f.anchor.assign(anchor);
    f.start = base_ + buf_.size();
    f.mark = m;
    f.pinned = !anchor.empty() || as_key || merge_value_pending();
    if (f.pinned) pin(f.start);
    buf_ += is_map ? '{' : '[';
  }

  void collection_end() {
    Frame& f = frames_[depth_ - 1];
    if (f.is_map && !f.merges.empty()) expand_merges(f);
    buf_ += f.is_map ? '}' : ']';
    --depth_;
    std::size_t nodes = f.nodes, bytes = f.bytes;
    if (!f.anchor.empty()) {
      anchors_[f.anchor] = Anchored{std::string(text_from(f.start)), nodes, bytes};
    }
    if (f.pinned) unpin();  // nothing is flushed before end_node() has cut what it needs
    if (f.key_collection) {
      // The collection's JSON text, as a string, is the key.
      std::string text(text_from(f.start));
      truncate_to(f.start);
      std::string literal;
      core::append_json_string(literal, text);
      Frame& parent = frames_[depth_ - 1];
      parent.nodes += nodes;
      parent.bytes += bytes;
      set_key(parent, literal, text, f.mark, false);
      return;
    }
    end_node(nodes, bytes, f.start);
  }

  // `e` gives the position, which only keys need (looking it up for every value costs 5 %).
  void scalar(const Scalar& s, std::string_view text, fy_event* e, std::string_view anchor, bool plain_merge_key) {
    if (is_key_position()) {
      Mark m = detail::scalar_mark(e);
      Frame& parent = frames_[depth_ - 1];
      std::string literal;
      switch (s.kind) {
        case ScalarKind::kString: core::append_json_string(literal, text); break;
        case ScalarKind::kNull: literal = "\"null\""; break;
        case ScalarKind::kTrue: literal = "\"true\""; break;
        case ScalarKind::kFalse: literal = "\"false\""; break;
        default: core::append_json_string(literal, s.number); break;
      }
      if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{literal, 1, text.size()};
      parent.nodes += 1;
      parent.bytes += text.size();
      set_key(parent, literal, text, m, plain_merge_key);
      return;
    }
    begin_node(false);
    std::size_t start = base_ + buf_.size();
    switch (s.kind) {
      case ScalarKind::kString: core::append_json_string(buf_, text); break;
      case ScalarKind::kNull: buf_ += "null"; break;
      case ScalarKind::kTrue: buf_ += "true"; break;
      case ScalarKind::kFalse: buf_ += "false"; break;
      case ScalarKind::kInt:
      case ScalarKind::kFloat: buf_ += s.number; break;
      case ScalarKind::kSpecialFloat: core::append_json_string(buf_, s.number); break;
    }
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{std::string(text_from(start)), 1, text.size()};
    end_node(1, text.size(), start);
  }

  void alias(std::string_view name, Mark m) {
    auto it = anchors_.find(std::string(name));
    if (it == anchors_.end()) fail(m, fmt::format("undefined alias '*{}'", name));
    const Anchored& a = it->second;
    alias_nodes_ += a.nodes;
    alias_bytes_ += a.bytes;
    if (alias_nodes_ > options_.max_alias_nodes || alias_bytes_ > options_.max_alias_bytes) {
      fail(m, fmt::format("alias expansion beyond the budget of {} nodes or {} bytes (a billion-laughs "
                          "document?); aliases copy in {} nodes and {} bytes so far",
                          options_.max_alias_nodes, options_.max_alias_bytes, alias_nodes_, alias_bytes_));
    }
    if (is_key_position()) {
      Frame& parent = frames_[depth_ - 1];
      parent.nodes += a.nodes;
      parent.bytes += a.bytes;
      std::string literal;
      if (!a.text.empty() && a.text[0] == '"') {
        literal = a.text;
      } else {
        core::append_json_string(literal, a.text);
      }
      set_key(parent, literal, literal, m, false);
      return;
    }
    begin_node(false);
    std::size_t start = base_ + buf_.size();
    buf_ += a.text;
    end_node(a.nodes, a.bytes, start);
  }

  [[noreturn]] void fail(Mark m, const std::string& what) const {
    throw core::Error(core::ErrorKind::kInput, what, path_, m.line, m.column);
  }

 private:
  bool is_key_position() const {
    return depth_ > 0 && frames_[depth_ - 1].is_map && !frames_[depth_ - 1].have_key;
  }

  bool merge_value_pending() const {
    return depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].have_key &&
           frames_[depth_ - 1].key_is_merge;
  }

  // Before a node's text: the separator inside a sequence.
  void begin_node(bool as_key) {
    if (depth_ == 0 || as_key) return;
    Frame& parent = frames_[depth_ - 1];
    if (!parent.is_map && parent.count > 0) buf_ += ',';
  }

  // After a node's text (which starts at absolute offset `start`).
  void end_node(std::size_t nodes, std::size_t bytes, std::size_t start) {
    if (depth_ == 0) {
      have_root_ = true;
      flush(false);
      return;
    }
    Frame& parent = frames_[depth_ - 1];
    parent.nodes += nodes;
    parent.bytes += bytes;
    if (!parent.is_map) {
      ++parent.count;
    } else {
      parent.have_key = false;
      if (parent.key_is_merge) {
        std::string text(text_from(start));
        truncate_to(start);
        add_merge(parent, std::move(text));
      } else {
        ++parent.count;
      }
    }
    flush(false);
  }

  void set_key(Frame& f, std::string_view literal, std::string_view name, Mark m, bool merge) {
    f.have_key = true;
    f.key_is_merge = merge;
    f.key_mark = m;
    if (merge) return;
    if (const Mark* first = f.insert(literal, m)) {
      fail(m, detail::duplicate_key_message(name, *first));
    }
    if (f.count > 0) buf_ += ',';
    buf_ += literal;
    buf_ += ':';
  }

  void add_merge(Frame& f, std::string text) {
    if (!text.empty() && text[0] == '{') {
      f.merges.push_back(std::move(text));
      return;
    }
    if (!text.empty() && text[0] == '[') {
      auto items = split_array(text);
      bool ok = !items.empty() && std::all_of(items.begin(), items.end(),
                                              [](std::string_view v) { return !v.empty() && v[0] == '{'; });
      if (ok) {
        for (auto item : items) f.merges.emplace_back(item);
        return;
      }
    }
    fail(f.key_mark, "merge key '<<' needs a mapping, an alias of one, or a list of them");
  }

  // Explicit keys win over merged ones; earlier merge sources win over later ones.
  void expand_merges(Frame& f) {
    for (const auto& src : f.merges) {
      for (auto [key, value] : split_object(src)) {
        if (f.insert(key, Mark{}) != nullptr) continue;
        if (f.count++ > 0) buf_ += ',';
        buf_ += key;
        buf_ += ':';
        buf_ += value;
        f.nodes += 1;
      }
    }
    f.merges.clear();
  }

  std::string_view text_from(std::size_t absolute) const {
    return std::string_view(buf_).substr(absolute - base_);
  }
  void truncate_to(std::size_t absolute) { buf_.resize(absolute - base_); }

  void pin(std::size_t absolute) { pins_.push_back(absolute); }
  void unpin() { pins_.pop_back(); }

  // Hands text out, except what an open capture (anchor, merge value, key) still needs.
  void flush(bool all) {
    if (!all && buf_.size() < kFlushBytes) return;
    std::size_t limit = pins_.empty() ? base_ + buf_.size() : pins_.front();
    std::size_t n = limit - base_;
    if (n == 0) return;
    if (out_ != nullptr) out_->write(std::string_view(buf_).substr(0, n));
    buf_.erase(0, n);
    base_ = limit;
  }

  const std::string& path_;
  const LoadOptions& options_;
  JsonOut* out_;
  std::string buf_;
  std::size_t base_ = 0;  // absolute offset of buf_[0]
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
  std::vector<std::size_t> pins_;
  std::unordered_map<std::string, Anchored> anchors_;
  std::size_t alias_nodes_ = 0;
  std::size_t alias_bytes_ = 0;
  std::size_t documents_ = 0;
  bool have_root_ = false;
};

std::size_t run(std::string_view text, const std::string& path, const LoadOptions& options, JsonOut* out,
                const Consumed& consumed) {
  detail::EventParser parser(text, path, options, consumed);
  Converter conv(path, options, out);
  detail::drive(parser, options, conv);
  return conv.documents();
}

}  // namespace

ConvertResult convert_to_json(std::string_view text, const std::string& path, const LoadOptions& options,
                              JsonOut& out, const Consumed& consumed) {
  if (options.allow_duplicate_keys) {
    // Keeping the last of two keys needs the earlier member back: build the tree.
    LoadResult loaded = load(text, path, options);
    ConvertResult r;
    std::string buf;
    for (const auto& doc : loaded.documents) {
      buf.clear();
      write_json(doc.value, buf, raw_lookup(doc.raw_numbers));
      out.begin_document();
      out.write(buf);
      out.end_document();
    }
    r.documents = loaded.documents.size();
    r.warnings = std::move(loaded.warnings);
    return r;
  }
  ConvertResult r;
  r.documents = run(text, path, options, &out, consumed);
  return r;
}

std::size_t validate(std::string_view text, const std::string& path, const LoadOptions& options,
                     const Consumed& consumed) {
  LoadOptions o = options;
  o.allow_duplicate_keys = false;
  return run(text, path, o, nullptr, consumed);
}

}  // namespace obscore::config
