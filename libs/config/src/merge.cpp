// Deep merge with provenance: every subtree remembers which source and which node it came from,
// so `merge --explain` can name file:line for each leaf and exact numbers survive.
#include "obscore/config/tools.hpp"

namespace obscore::config {

namespace {

class Merger {
 public:
  Merger(const MergeOptions& options, Merged& out) : options_(options), out_(out) {}

  void set_origin(const std::string& result, std::size_t source, const std::string& pointer) {
    // A replaced subtree forgets what its parts came from.
    auto first = out_.origins.lower_bound(result + "/");
    auto last = out_.origins.lower_bound(result + "0");  // '0' follows '/'
    out_.origins.erase(first, last);
    out_.origins[result] = Origin{source, pointer};
  }

  void merge(Json& dst, const Json& src, const std::string& rp, const std::string& sp, std::size_t s) {
    if (dst.is_object() && src.is_object()) {
      for (const auto& [k, v] : src.items()) {
        std::string rk = pointer_append(rp, k), sk = pointer_append(sp, k);
        auto it = dst.find(k);
        if (it != dst.end()) {
          merge(*it, v, rk, sk, s);
        } else {
          dst.get_ref<Json::object_t&>().emplace_back(k, v);
          set_origin(rk, s, sk);
        }
      }
      return;
    }
    if (dst.is_array() && src.is_array() && options_.lists != ListMerge::kReplace) {
      for (std::size_t j = 0; j < src.size(); ++j) {
        const Json& item = src[j];
        if (options_.lists == ListMerge::kMergeBy && item.is_object() && item.contains(options_.merge_key)) {
          const Json& id = item[options_.merge_key];
          bool merged = false;
          for (std::size_t i = 0; i < dst.size(); ++i) {
            Json& d = dst[i];
            if (d.is_object() && d.contains(options_.merge_key) && d[options_.merge_key] == id) {
              merge(d, item, pointer_append(rp, i), pointer_append(sp, j), s);
              merged = true;
              break;
            }
          }
          if (merged) continue;
        }
        dst.push_back(item);
        set_origin(pointer_append(rp, dst.size() - 1), s, pointer_append(sp, j));
      }
      return;
    }
    dst = src;
    set_origin(rp, s, sp);
  }

 private:
  const MergeOptions& options_;
  Merged& out_;
};

}  // namespace

std::optional<MergeOptions> parse_merge_lists(std::string_view text) {
  MergeOptions m;
  if (text == "append") {
    m.lists = ListMerge::kAppend;
  } else if (text.starts_with("merge-by=") && text.size() > 9) {
    m.lists = ListMerge::kMergeBy;
    m.merge_key = std::string(text.substr(9));
  } else if (text != "replace") {
    return std::nullopt;
  }
  return m;
}

Origin Merged::origin_of(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = origins.find(p); it != origins.end()) {
      return Origin{it->second.source, it->second.pointer + pointer.substr(p.size())};
    }
    if (p.empty()) return Origin{0, pointer};
    p.erase(p.rfind('/'));
  }
}

Merged merge(const std::vector<const Document*>& sources, const MergeOptions& options) {
  Merged out;
  if (sources.empty()) return out;
  out.value = sources[0]->value;
  out.origins[""] = Origin{0, ""};
  Merger m(options, out);
  for (std::size_t s = 1; s < sources.size(); ++s) m.merge(out.value, sources[s]->value, "", "", s);
  return out;
}

}  // namespace obscore::config
