// Overlay (the deep merge of `config merge`) with provenance: every subtree remembers which source and which node it came from,
// so `merge --explain` can name file:line for each leaf and exact numbers survive.
#include "obscore/config/config.hpp"

namespace obscore::config {

namespace {

class Overlayer {
 public:
  Overlayer(const OverlayOptions& options, Overlaid& out) : options_(options), out_(out) {}

  void set_origin(const std::string& result, std::size_t source, const std::string& pointer) {
    // A replaced subtree forgets what its parts came from.
    auto first = out_.origins.lower_bound(result + "/");
    auto last = out_.origins.lower_bound(result + "0");  // '0' follows '/'
    out_.origins.erase(first, last);
    out_.origins[result] = Origin{source, pointer};
  }

  void apply(Json& dst, const Json& src, const std::string& rp, const std::string& sp, std::size_t s) {
    if (dst.is_object() && src.is_object()) {
      for (const auto& [k, v] : src.items()) {
        std::string rk = pointer_append(rp, k), sk = pointer_append(sp, k);
        auto it = dst.find(k);
        if (it != dst.end()) {
          apply(*it, v, rk, sk, s);
        } else {
          dst.get_ref<Json::object_t&>().emplace_back(k, v);
          set_origin(rk, s, sk);
        }
      }
      return;
    }
    if (dst.is_array() && src.is_array() && options_.lists != ListOverlay::kReplace) {
      for (std::size_t j = 0; j < src.size(); ++j) {
        const Json& item = src[j];
        if (options_.lists == ListOverlay::kMergeBy && item.is_object() && item.contains(options_.match_key)) {
          const Json& id = item[options_.match_key];
          bool merged = false;
          for (std::size_t i = 0; i < dst.size(); ++i) {
            Json& d = dst[i];
            if (d.is_object() && d.contains(options_.match_key) && d[options_.match_key] == id) {
              apply(d, item, pointer_append(rp, i), pointer_append(sp, j), s);
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
  const OverlayOptions& options_;
  Overlaid& out_;
};

}  // namespace

std::optional<OverlayOptions> parse_overlay_lists(std::string_view text) {
  OverlayOptions m;
  if (text == "append") {
    m.lists = ListOverlay::kAppend;
  } else if (text.starts_with("merge-by=") && text.size() > 9) {
    m.lists = ListOverlay::kMergeBy;
    m.match_key = std::string(text.substr(9));
  } else if (text != "replace") {
    return std::nullopt;
  }
  return m;
}

Origin Overlaid::origin_of(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = origins.find(p); it != origins.end()) {
      return Origin{it->second.source, it->second.pointer + pointer.substr(p.size())};
    }
    if (p.empty()) return Origin{0, pointer};
    p.erase(p.rfind('/'));
  }
}

Overlaid overlay(const std::vector<const Document*>& sources, const OverlayOptions& options) {
  Overlaid out;
  if (sources.empty()) return out;
  out.value = sources[0]->value;
  out.origins[""] = Origin{0, ""};
  Overlayer m(options, out);
  for (std::size_t s = 1; s < sources.size(); ++s) m.apply(out.value, sources[s]->value, "", "", s);
  return out;
}

}  // namespace obscore::config
