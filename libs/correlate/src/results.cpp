// Result records of a correlate run (see results.hpp).
#include "results.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <charconv>
#include <numeric>
#include <tuple>

#include "obscore/core/time.hpp"
#include "obscore/core/tsan.hpp"

#include "statistics.hpp"

namespace obscore::correlate {

using core::Json;

std::string ui_event_id(const Store& store, std::int64_t i) {
  const UiEvent& u = store.ui[static_cast<std::size_t>(i)];
  return u.id.empty() ? fmt::format("ui-{}", u.order) : std::string(store.text.get(u.id));
}

std::string api_call_id(const Store& store, std::uint32_t i) {
  const ApiCall& a = store.api[i];
  return a.id.empty() ? fmt::format("api-{}", a.order) : std::string(store.text.get(a.id));
}

std::string ui_label(const Store& store, const UiEvent& u) {
  std::string action = store.strings.name(u.action);
  std::string target = store.strings.name(u.element);
  if (target.empty()) target = store.strings.name(u.screen);
  if (action.empty()) action = "ui";
  return target.empty() ? action : action + " " + target;
}

CallFormatter::CallFormatter(const Store& store, const Attribution& attr, bool truth)
    : store_(store),
      attr_(attr),
      truth_(truth),
      reason_text_(1u << 9),
      quoted_(store.strings.size()) {
  static_assert(kSession < (1u << 9));
  for (std::uint32_t bits = 0; bits < reason_text_.size(); ++bits) {
    std::string& t = reason_text_[bits];
    t = "[";
    for (const char* n : reason_names(bits)) {
      if (t.size() > 1) t += ',';
      t += '"';
      t += n;
      t += '"';
    }
    t += ']';
  }
  for (std::uint32_t id = 0; id < quoted_.size(); ++id)
    core::append_json_string(quoted_[id], store.strings.name(id));
}

void CallFormatter::append(std::uint32_t i, std::string& r) const {
  const ApiCall& a = store_.api[i];
  const Link& link = attr_.links[i];
  r += std::string_view("{\"api_id\":");
  if (a.id.empty()) {
    core::append_json_string(r, api_call_id(store_, i));
  } else {
    core::append_json_string(r, store_.text.get(a.id));
  }
  r += std::string_view(",\"ui_id\":");
  if (link.ui < 0) {
    r += std::string_view("null");
  } else if (const UiEvent& u = store_.ui[static_cast<std::size_t>(link.ui)]; !u.id.empty()) {
    core::append_json_string(r, store_.text.get(u.id));
  } else {
    core::append_json_string(r, ui_event_id(store_, link.ui));
  }
  r += std::string_view(",\"session\":");
  r += quoted_[a.session];
  r += std::string_view(",\"confidence\":");
  append_round3(r, link.confidence);
  r += std::string_view(",\"delta_ms\":");
  if (link.ui >= 0) {
    append_round3(
        r, static_cast<double>(a.t - store_.ui[static_cast<std::size_t>(link.ui)].t) / 1000.0);
  } else {
    r += std::string_view("null");
  }
  r += std::string_view(",\"method\":");
  r += quoted_[a.method];
  r += std::string_view(",\"url_template\":");
  r += quoted_[a.endpoint];
  r += std::string_view(",\"status\":");
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, a.status);
  r.append(buf, end);
  r += std::string_view(",\"reasons\":");
  r += reason_text_[link.reasons];
  if (truth_) {
    r += std::string_view(",\"truth\":");
    core::append_json_string(r, store_.text.get(a.truth));
  }
  r += '}';
}

void write_call_results(const Store& store, const Attribution& attr,
                        const std::vector<std::uint32_t>& order, const Options& options,
                        core::Output& out) {
  const bool serialise = !out.needs_structure();
  const CallFormatter formatter(store, attr, !options.truth_field.empty());
  // Blocks of results are formatted on all cores (a batch of them at a time) while the previous
  // batch is written. JSON and NDJSON take each block as one framed text (one write per block);
  // the other formats get each result's text parsed back.
  constexpr std::size_t kBlock = 1u << 14;
  const std::size_t n_blocks = (order.size() + kBlock - 1) / kBlock;
  const std::size_t batch =
      4 * static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  const core::Output::Framing framing = serialise ? out.framing() : core::Output::Framing{};
  struct Block {
    std::string text;
    std::vector<std::size_t> ends;  // end of each result's text (only when parsed back)
  };
  auto format_batch = [&](std::size_t first_block, std::vector<Block>& blocks) {
    std::size_t last_block = std::min(n_blocks, first_block + batch);
    blocks.resize(last_block - first_block);
    core::TaskEdges edges;
    auto format_block = [&](std::size_t blk) {
      Block& b = blocks[blk - first_block];
      b.text.clear();
      b.ends.clear();
      std::size_t from = blk * kBlock, to = std::min(order.size(), from + kBlock);
      for (std::size_t k = from; k < to; ++k) {
        b.text += framing.prefix;
        formatter.append(order[k], b.text);
        b.text += framing.suffix;
        if (!serialise) b.ends.push_back(b.text.size());
      }
    };
    edges.fork();
    tbb::parallel_for(first_block, last_block, core::TaskEdges::body(format_block));
    edges.joined();
  };
  std::vector<Block> current, next;
  if (n_blocks > 0) format_batch(0, current);
  for (std::size_t first = 0; first < n_blocks; first += batch) {
    tbb::task_group tg;
    core::TaskEdges ahead;
    auto format_ahead = [&, first] { format_batch(first + batch, next); };
    ahead.fork();
    if (first + batch < n_blocks) tg.run(core::TaskEdges::body(format_ahead));
    for (std::size_t blk = 0; blk < current.size(); ++blk) {
      const Block& b = current[blk];
      std::size_t count =
          std::min(order.size(), (first + blk + 1) * kBlock) - (first + blk) * kBlock;
      if (serialise) {
        out.results_framed(b.text, count);
        continue;
      }
      std::string_view t = b.text;
      std::size_t prev = 0;
      for (std::size_t end : b.ends) {
        out.result(Json::parse(t.substr(prev, end - prev)));
        prev = end;
      }
    }
    tg.wait();
    ahead.joined();
    std::swap(current, next);
  }
}

void write_ui_results(const Store& store, const Attribution& attr,
                      const std::vector<std::uint32_t>& order,
                      const std::vector<std::uint32_t>& ranks, core::Output& out) {
  std::vector<std::vector<std::uint32_t>> per_ui(
      store.ui.size());  // each UI event's calls in output order
  for (std::uint32_t i : order) {
    if (attr.links[i].ui >= 0) per_ui[static_cast<std::size_t>(attr.links[i].ui)].push_back(i);
  }
  std::vector<std::uint32_t> ui_order(store.ui.size());
  std::iota(ui_order.begin(), ui_order.end(), 0u);
  std::sort(ui_order.begin(), ui_order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const UiEvent& x = store.ui[a];
    const UiEvent& y = store.ui[b];
    return std::tie(ranks[x.session], x.t, x.order) < std::tie(ranks[y.session], y.t, y.order);
  });
  for (std::uint32_t u : ui_order) {
    const UiEvent& e = store.ui[u];
    Json r;
    r["ui_id"] = core::sanitize_utf8(ui_event_id(store, u));
    r["session"] = core::sanitize_utf8(store.strings.name(e.session));
    r["time"] = core::format_rfc3339_ms(e.t);
    r["ui"] = core::sanitize_utf8(ui_label(store, e));
    r["screen"] = core::sanitize_utf8(store.strings.name(e.screen));
    Json calls = Json::array();
    for (std::uint32_t i : per_ui[u]) {
      const ApiCall& a = store.api[i];
      calls.push_back({{"api_id", core::sanitize_utf8(api_call_id(store, i))},
                       {"method", store.strings.name(a.method)},
                       {"url_template", core::sanitize_utf8(store.strings.name(a.endpoint))},
                       {"status", a.status},
                       {"delta_ms", round3(static_cast<double>(a.t - e.t) / 1000.0)},
                       {"confidence", round3(attr.links[i].confidence)}});
    }
    r["api_calls"] = std::move(calls);
    out.result(r);
  }
}

}  // namespace obscore::correlate
