// Record splitting and per-record accounting; template mining.
#include "scanner.hpp"

#include <emmintrin.h>
#include <xmmintrin.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>

#include "obscore/core/error.hpp"

namespace obscore::logscan {

// ---- patterns -------------------------------------------------------------------------------

std::vector<core::RegexSet::Entry> regex_entries(const std::vector<Pattern>& patterns) {
  std::vector<core::RegexSet::Entry> out;
  out.reserve(patterns.size());
  for (const auto& p : patterns) out.push_back({p.id, p.regex});
  return out;
}

// ---- message statistics ---------------------------------------------------------------------

std::uint64_t message_key(std::string_view msg) {
  // Fold each run of digits to one '0' into a small buffer (the first 512 bytes of the message
  // decide), then hash the buffer 8 bytes at a time. 16 bytes without a digit (after a
  // non-digit) are copied as they are; a block with digits is folded byte by byte.
  char buf[512 + 16];
  std::size_t n = 0;
  bool in_digits = false;
  std::size_t limit = std::min(msg.size(), std::size_t{512});
  std::size_t i = 0;
  const __m128i below0 = _mm_set1_epi8('0' - 1), above9 = _mm_set1_epi8('9' + 1);
  for (; i + 16 <= limit; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(msg.data() + i));
    int digits = _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, below0), _mm_cmplt_epi8(v, above9)));
    if (digits == 0) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(buf + n), v);
      n += 16;
      in_digits = false;
      continue;
    }
    for (std::size_t j = i; j < i + 16; ++j) {  // branch-free: digits in a run overwrite one slot
      char c = msg[j];
      bool digit = static_cast<unsigned char>(c - '0') < 10;
      buf[n] = digit ? '0' : c;
      n += !(digit && in_digits);
      in_digits = digit;
    }
  }
  for (; i < limit; ++i) {
    char c = msg[i];
    bool digit = static_cast<unsigned char>(c - '0') < 10;
    buf[n] = digit ? '0' : c;
    n += !(digit && in_digits);
    in_digits = digit;
  }
  return std::hash<std::string_view>{}(std::string_view(buf, n));
}

void MessageStats::add(LogLevel sev, std::int64_t ts, std::string_view msg) {
  if (count++ == 0) example.assign(msg.substr(0, 500));
  ++severity[static_cast<std::size_t>(sev)];
  if (ts != kNoTime) {
    if (first_seen == kNoTime || ts < first_seen) first_seen = ts;
    if (last_seen == kNoTime || ts > last_seen) last_seen = ts;
  }
}

void MessageStats::merge(const MessageStats& o) {
  if (count == 0) example = o.example;
  count += o.count;
  for (std::size_t i = 0; i < severity.size(); ++i) severity[i] += o.severity[i];
  if (o.first_seen != kNoTime && (first_seen == kNoTime || o.first_seen < first_seen)) {
    first_seen = o.first_seen;
  }
  if (o.last_seen != kNoTime && (last_seen == kNoTime || o.last_seen > last_seen)) {
    last_seen = o.last_seen;
  }
}

// ---- templates ------------------------------------------------------------------------------

namespace {

constexpr std::string_view kWild = "<*>";

// ASCII classes, inlined: the <cctype> calls were a tenth of a --templates run, and the program
// never sets a locale, so they answered the same (the "C" locale's classes are ASCII).
constexpr bool ascii_isalpha(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
constexpr bool ascii_isdigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
constexpr bool ascii_isalnum(char c) { return ascii_isalpha(c) || ascii_isdigit(c); }
constexpr bool ascii_isxdigit(char c) {
  return ascii_isdigit(c) || static_cast<unsigned char>((c | 0x20) - 'a') < 6;
}

bool variable_token(std::string_view t) {
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) return true;
  for (char c : t) {
    if (c >= '0' && c <= '9') return true;
  }
  // Paths: /a/b, C:\x, ./rel/path
  if (t.size() > 1 && t.front() == '/' && t.find('/', 1) != std::string_view::npos) return true;
  // Hex without decimal digits (hashes, masks): "ffffffff", "0xdeadbeef".
  std::string_view h = t.starts_with("0x") ? t.substr(2) : t;
  if (h.size() >= 8 && std::all_of(h.begin(), h.end(), [](char c) { return ascii_isxdigit(c); })) {
    return true;
  }
  // key=value: a structured field, its value varies ("ws=null", "tag=\"x\"").
  if (auto eq = t.find('='); eq != std::string_view::npos && eq > 0 && eq + 1 < t.size() &&
                             (ascii_isalpha(t[0]) || t[0] == '_')) {
    bool ident = true;
    for (std::size_t i = 0; i < eq && ident; ++i) {
      char c = t[i];
      ident = ascii_isalnum(c) || c == '_' || c == '.' || c == '-';
    }
    return ident;
  }
  return false;
}

}  // namespace

void mask_tokens(std::string_view msg, std::string& storage, std::vector<std::string_view>& out) {
  out.clear();
  storage.clear();
  storage.reserve(msg.size() * 2 + 16);  // views into storage stay valid: no reallocation
  std::size_t pos = 0;
  while (pos < msg.size()) {
    while (pos < msg.size() && (msg[pos] == ' ' || msg[pos] == '\t')) ++pos;
    std::size_t start = pos;
    int quotes = 0;
    while (pos < msg.size() && msg[pos] != ' ' && msg[pos] != '\t') quotes += msg[pos++] == '"';
    if (pos == start) break;
    if (quotes % 2 == 1) {  // a quoted value with spaces is one token: tag="View Lock",
      std::size_t close = msg.find('"', pos);
      if (close != std::string_view::npos && close - pos < 256) {
        pos = close;
        while (pos < msg.size() && msg[pos] != ' ' && msg[pos] != '\t') ++pos;
      }
    }
    std::string_view tok = msg.substr(start, pos - start);
    if (!variable_token(tok)) {
      out.push_back(tok);
      continue;
    }
    // key=value keeps the key: "user=42" -> "user=<*>".
    auto eq = tok.find('=');
    std::size_t keep = 0;
    if (eq != std::string_view::npos && eq > 0 && tok[0] != '"' && !variable_token(tok.substr(0, eq))) {
      keep = eq + 1;
    } else {
      // A word stem up to the last punctuation before the first digit stays:
      // "core.2275" -> "core.<*>", "blk_-69" -> "blk_<*>" (a sign is part of the number),
      // "MININT-FNANLI5" -> "MININT-<*>".
      std::size_t d = 0;
      while (d < tok.size() && !(tok[d] >= '0' && tok[d] <= '9')) ++d;
      std::size_t k = d;  // one past the stem's last punctuation
      while (k > 0 && ascii_isalnum(tok[k - 1])) --k;
      if (k == d && k >= 2 && (tok[k - 1] == '-' || tok[k - 1] == '+') &&
          !ascii_isalnum(tok[k - 2])) {
        --k;
      }
      bool letter = false;
      for (std::size_t i = 0; i < k; ++i) letter = letter || ascii_isalpha(tok[i]);
      if (k >= 2 && letter && tok[0] != '"' && tok[0] != '\'' && tok[0] != '/') keep = k;
    }
    if (keep != 0) {
      std::size_t at = storage.size();
      storage.append(tok.substr(0, keep));
      storage.append(kWild);
      out.emplace_back(storage.data() + at, keep + kWild.size());
    } else {
      out.push_back(kWild);
    }
  }
}

std::string TemplateMiner::Cluster::text() const {
  std::string s;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i != 0) s += ' ';
    s += tokens[i];
  }
  return s;
}

namespace {

bool is_wild(std::string_view t) { return t == kWild; }

std::string group_key(std::size_t count, std::string_view first) {
  std::string key = std::to_string(count);
  key += '|';
  key.append(first);
  return key;
}

// The message without the header fields that some layouts put before it: leading [thread] or
// [context] groups (nested brackets allowed) and a logger name ending in ':' (a dotted or
// $-qualified identifier: "org.apache.hadoop.ipc.Client:", "dfs.DataNode$PacketResponder:").
std::string_view message_body(std::string_view m) {
  auto skip_separators = [&]() {
    while (!m.empty() && (m.front() == ' ' || m.front() == '\t' ||
                          ((m.front() == '-' || m.front() == '|' || m.front() == ':') &&
                           (m.size() == 1 || m[1] == ' ')))) {
      m.remove_prefix(1);
    }
  };
  skip_separators();
  for (int groups = 0; groups < 2 && !m.empty() && m.front() == '['; ++groups) {
    int depth = 0;
    std::size_t end = 0;
    for (std::size_t i = 0; i < m.size() && i < 256; ++i) {
      if (m[i] == '[') ++depth;
      if (m[i] == ']' && --depth == 0) {
        end = i + 1;
        break;
      }
    }
    if (end == 0 || end == m.size()) break;
    m.remove_prefix(end);
    skip_separators();
  }
  std::size_t sp = m.find(' ');
  if (sp != std::string_view::npos && sp > 2 && m[sp - 1] == ':') {
    std::string_view name = m.substr(0, sp - 1);
    bool ident = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z');
    bool qualified = false;
    for (char c : name) {
      qualified = qualified || c == '.' || c == '$';
      ident = ident && (ascii_isalnum(c) || c == '.' || c == '$' || c == '_' || c == '-');
    }
    if (ident && qualified && name.back() != '.') {
      m.remove_prefix(sp);
      skip_separators();
    }
  }
  return m;
}

}  // namespace

int TemplateMiner::find_or_create(const std::vector<std::string_view>& tokens) {
  // A cluster whose tokens equal the message's wherever the cluster has no <*> (clusters with
  // <*> first are grouped under "<*>"). Bounded search per group.
  std::string key = group_key(tokens.size(), tokens.empty() ? std::string_view() : tokens[0]);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      if (tokens.empty() || is_wild(tokens[0])) break;
      key = group_key(tokens.size(), kWild);
    }
    auto group = groups_.find(key);
    if (group == groups_.end()) continue;
    std::size_t scanned = 0;
    for (int id : group->second) {
      if (++scanned > 256) break;
      const auto& ct = clusters_[static_cast<std::size_t>(id)].tokens;
      bool match = true;
      std::size_t constant = 0;
      bool identical = true;
      for (std::size_t i = 0; i < tokens.size() && match; ++i) {
        bool w = is_wild(ct[i]);
        bool eq = ct[i] == tokens[i];
        match = eq || w;
        identical = identical && eq;
        constant += !w;
      }
      // A template of mostly <*> takes only its own text (it would swallow every message of
      // its length otherwise).
      if (match && (identical || constant * 2 > tokens.size())) return id;
    }
  }
  if (clusters_.size() >= max_templates_) return -1;
  Cluster c;
  c.tokens.reserve(tokens.size());
  for (auto t : tokens) c.tokens.emplace_back(t);
  clusters_.push_back(std::move(c));
  int id = static_cast<int>(clusters_.size()) - 1;
  groups_[group_key(tokens.size(), tokens.empty() ? std::string_view() : tokens[0])].push_back(id);
  return id;
}

void TemplateMiner::rebuild_index(const std::vector<int>& map) {
  groups_.clear();
  for (std::size_t i = 0; i < clusters_.size(); ++i) {
    const auto& ct = clusters_[i].tokens;
    groups_[group_key(ct.size(), ct.empty() ? std::string_view() : std::string_view(ct[0]))].push_back(static_cast<int>(i));
  }
  for (auto& [text, id] : exact_) id = map[static_cast<std::size_t>(id)];
}

std::vector<int> TemplateMiner::consolidate() {
  const std::size_t n = clusters_.size();
  std::vector<int> target(n);
  for (std::size_t i = 0; i < n; ++i) target[i] = static_cast<int>(i);
  std::vector<bool> alive(n, true);
  const std::hash<std::string> hasher;
  const std::uint64_t wild_hash = hasher(std::string(kWild));
  auto weight = [](std::size_t p) { return (static_cast<std::uint64_t>(p) * 0x9E3779B97F4A7C15ull) | 1u; };
  // Clusters by token count.
  std::unordered_map<std::size_t, std::vector<int>> by_len;
  for (std::size_t i = 0; i < n; ++i) by_len[clusters_[i].tokens.size()].push_back(static_cast<int>(i));
  std::vector<std::size_t> lens;
  lens.reserve(by_len.size());
  for (const auto& [len, ids] : by_len) lens.push_back(len);
  std::sort(lens.begin(), lens.end());  // deterministic order
  for (std::size_t len : lens) {
    std::vector<int>& ids = by_len[len];
    if (ids.size() < 2 || len == 0) continue;
    // Token hashes and each cluster's weighted sum.
    std::vector<std::uint64_t> th(ids.size() * len), sum(ids.size(), 0);
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const auto& ct = clusters_[static_cast<std::size_t>(ids[k])].tokens;
      for (std::size_t p = 0; p < len; ++p) {
        th[k * len + p] = hasher(ct[p]);
        sum[k] += th[k * len + p] * weight(p);
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t p = 0; p < len; ++p) {
        std::unordered_map<std::uint64_t, std::vector<std::size_t>> buckets;
        std::vector<std::uint64_t> order;
        for (std::size_t k = 0; k < ids.size(); ++k) {
          if (!alive[static_cast<std::size_t>(ids[k])]) continue;
          std::uint64_t key = sum[k] - th[k * len + p] * weight(p);
          auto& b = buckets[key];
          if (b.empty()) order.push_back(key);
          b.push_back(k);
        }
        for (std::uint64_t key : order) {
          auto& b = buckets[key];
          if (b.size() < 2) continue;
          const auto& first = clusters_[static_cast<std::size_t>(ids[b[0]])].tokens;
          // Members that really equal the first one away from p (hash collisions excluded).
          std::vector<std::size_t> same{b[0]};
          bool wild = is_wild(first[p]);
          for (std::size_t j = 1; j < b.size(); ++j) {
            const auto& ct = clusters_[static_cast<std::size_t>(ids[b[j]])].tokens;
            bool eq = true;
            for (std::size_t q = 0; q < len && eq; ++q) eq = q == p || ct[q] == first[q];
            if (!eq) continue;
            same.push_back(b[j]);
            wild = wild || is_wild(ct[p]);
          }
          if (same.size() < 2 || (!wild && same.size() < kMinValues)) continue;
          // Most of the template stays constant (as Drain's similarity threshold asks).
          std::size_t constant = 0;
          for (std::size_t q = 0; q < len; ++q) constant += q != p && !is_wild(first[q]);
          if (constant * 2 <= len) continue;
          auto keep = static_cast<std::size_t>(ids[same[0]]);
          clusters_[keep].tokens[p] = std::string(kWild);
          sum[same[0]] += (wild_hash - th[same[0] * len + p]) * weight(p);
          th[same[0] * len + p] = wild_hash;
          for (std::size_t j = 1; j < same.size(); ++j) {
            auto gone = static_cast<std::size_t>(ids[same[j]]);
            clusters_[keep].stats.merge(clusters_[gone].stats);
            alive[gone] = false;
            target[gone] = static_cast<int>(keep);
          }
          changed = true;
        }
      }
    }
  }
  // Renumber: survivors in their order; a folded cluster maps to where its survivor went.
  std::vector<int> map(n, -1);
  std::vector<Cluster> kept;
  for (std::size_t i = 0; i < n; ++i) {
    if (!alive[i]) continue;
    map[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(clusters_[i]));
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t t = i;
    while (!alive[t]) t = static_cast<std::size_t>(target[t]);
    map[i] = map[t];
  }
  clusters_ = std::move(kept);
  rebuild_index(map);
  return map;
}

int TemplateMiner::add(std::string_view msg, LogLevel sev, std::int64_t ts) {
  thread_local std::vector<std::string_view> tokens;
  mask_tokens(message_body(msg), scratch_, tokens);
  std::string masked;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i != 0) masked += ' ';
    masked.append(tokens[i]);
  }
  int id;
  if (auto it = exact_.find(masked); it != exact_.end()) {
    id = it->second;
  } else {
    id = find_or_create(tokens);
    if (id < 0) {
      ++dropped_;
      return -1;
    }
    if (exact_.size() < 1'000'000) exact_.emplace(std::move(masked), id);
  }
  clusters_[static_cast<std::size_t>(id)].stats.add(sev, ts, msg);
  return id;
}

std::vector<int> TemplateMiner::merge(TemplateMiner&& o) {
  dropped_ += o.dropped_;
  std::vector<int> map(o.clusters_.size(), -1);
  if (o.clusters_.empty()) return map;
  if (clusters_.empty() && o.clusters_.size() <= max_templates_) {
    std::uint64_t dropped = dropped_;
    *this = std::move(o);
    dropped_ = dropped;
    for (std::size_t i = 0; i < map.size(); ++i) map[i] = static_cast<int>(i);
    return map;
  }
  std::unordered_map<std::string, int> by_text;
  for (std::size_t i = 0; i < clusters_.size(); ++i) by_text.emplace(clusters_[i].text(), static_cast<int>(i));
  for (std::size_t i = 0; i < o.clusters_.size(); ++i) {
    auto& c = o.clusters_[i];
    std::string t = c.text();
    auto it = by_text.find(t);
    if (it != by_text.end()) {
      clusters_[static_cast<std::size_t>(it->second)].stats.merge(c.stats);
      map[i] = it->second;
    } else if (clusters_.size() >= max_templates_) {
      dropped_ += c.stats.count;
    } else {
      clusters_.push_back(std::move(c));
      map[i] = static_cast<int>(clusters_.size()) - 1;
      by_text.emplace(std::move(t), map[i]);
    }
  }
  return map;
}

TemplateMiner TemplateMiner::from_clusters(std::vector<Cluster> clusters, std::uint64_t dropped) {
  TemplateMiner m;
  m.clusters_ = std::move(clusters);
  m.dropped_ = dropped;
  return m;
}

// ---- statistics as JSON (shard state) -------------------------------------------------------

namespace {

core::Json time_or_null(std::int64_t t) { return t == kNoTime ? core::Json(nullptr) : core::Json(t); }

std::int64_t time_from(const core::Json& j) { return j.is_null() ? kNoTime : j.get<std::int64_t>(); }

core::Json message_stats_json(const MessageStats& m) {
  return {{"count", m.count}, {"severity", m.severity}, {"first_seen", time_or_null(m.first_seen)},
          {"last_seen", time_or_null(m.last_seen)}, {"example", m.example}};
}

MessageStats message_stats_from(const core::Json& j) {
  MessageStats m;
  m.count = j.at("count").get<std::uint64_t>();
  m.severity = j.at("severity").get<std::array<std::uint64_t, 8>>();
  m.first_seen = time_from(j.at("first_seen"));
  m.last_seen = time_from(j.at("last_seen"));
  m.example = j.at("example").get<std::string>();
  return m;
}

}  // namespace

core::Json shard_state_json(const ScanStats& s) {
  core::Json j;
  j["bytes"] = s.bytes;
  j["lines"] = s.lines;
  j["records"] = s.records;
  j["continuation_lines"] = s.continuation_lines;
  j["levels"] = s.levels;
  j["severity"] = s.severity;
  j["first_ts"] = time_or_null(s.first_ts);
  j["last_ts"] = time_or_null(s.last_ts);
  std::vector<std::array<std::int64_t, 3>> minutes;
  for (const auto& [m, c] : s.minutes) {
    minutes.push_back({m, static_cast<std::int64_t>(c[0]), static_cast<std::int64_t>(c[1])});
  }
  std::sort(minutes.begin(), minutes.end());
  j["minutes"] = minutes;
  j["patterns"] = s.patterns;
  core::Json clusters = core::Json::array();
  for (const auto& c : s.templates.clusters()) clusters.push_back({{"tokens", c.tokens}, {"stats", message_stats_json(c.stats)}});
  j["templates"] = std::move(clusters);
  j["templates_dropped"] = s.templates.dropped();
  std::vector<std::pair<std::uint64_t, const MessageStats*>> errors;
  for (const auto& [k, m] : s.top_errors) errors.emplace_back(k, &m);
  std::sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  core::Json top = core::Json::array();
  for (const auto& [k, m] : errors) top.push_back({{"key", k}, {"stats", message_stats_json(*m)}});
  j["top_errors"] = std::move(top);
  j["top_errors_dropped"] = s.top_errors_dropped;
  return j;
}

ScanStats scan_stats_from_shard_state(const core::Json& j) {
  try {
    ScanStats s;
    s.bytes = j.at("bytes").get<std::uint64_t>();
    s.lines = j.at("lines").get<std::uint64_t>();
    s.records = j.at("records").get<std::uint64_t>();
    s.continuation_lines = j.at("continuation_lines").get<std::uint64_t>();
    s.levels = j.at("levels").get<std::vector<std::pair<std::string, std::uint64_t>>>();
    s.severity = j.at("severity").get<std::array<std::uint64_t, 8>>();
    s.first_ts = time_from(j.at("first_ts"));
    s.last_ts = time_from(j.at("last_ts"));
    for (const auto& m : j.at("minutes")) {
      s.minutes[m.at(0).get<std::int64_t>()] = {m.at(1).get<std::uint64_t>(), m.at(2).get<std::uint64_t>()};
    }
    s.patterns = j.at("patterns").get<std::vector<std::array<std::uint64_t, 2>>>();
    std::vector<TemplateMiner::Cluster> clusters;
    for (const auto& c : j.at("templates")) {
      clusters.push_back({c.at("tokens").get<std::vector<std::string>>(), message_stats_from(c.at("stats"))});
    }
    s.templates = TemplateMiner::from_clusters(std::move(clusters), j.value("templates_dropped", std::uint64_t{0}));
    for (const auto& e : j.at("top_errors")) s.top_errors[e.at("key").get<std::uint64_t>()] = message_stats_from(e.at("stats"));
    s.top_errors_dropped = j.value("top_errors_dropped", std::uint64_t{0});
    return s;
  } catch (const core::Json::exception& e) {
    throw core::Error(core::ErrorKind::kUsage, std::string("malformed logscan shard state: ") + e.what());
  }
}

// ---- statistics merge -----------------------------------------------------------------------

void ScanStats::consolidate_templates() {
  std::vector<int> map = templates.consolidate();
  for (auto& r : rows) {
    if (r.cluster >= 0) r.cluster = map[static_cast<std::size_t>(r.cluster)];
  }
}

void ScanStats::merge(ScanStats&& o) {
  bytes += o.bytes;
  lines += o.lines;
  records += o.records;
  continuation_lines += o.continuation_lines;
  for (auto& entry : o.levels) {
    const std::string& level = entry.first;  // not a structured binding: clang 14 cannot capture those
    auto it = std::find_if(levels.begin(), levels.end(), [&](const auto& e) { return e.first == level; });
    if (it == levels.end()) levels.emplace_back(std::move(entry.first), entry.second);
    else it->second += entry.second;
  }
  for (std::size_t i = 0; i < severity.size(); ++i) severity[i] += o.severity[i];
  if (o.first_ts != kNoTime && (first_ts == kNoTime || o.first_ts < first_ts)) first_ts = o.first_ts;
  if (o.last_ts != kNoTime && (last_ts == kNoTime || o.last_ts > last_ts)) last_ts = o.last_ts;
  if (minutes.empty()) {
    minutes = std::move(o.minutes);
  } else {
    for (const auto& [m, c] : o.minutes) {
      auto& mine = minutes[m];
      mine[0] += c[0];
      mine[1] += c[1];
    }
  }
  if (patterns.size() < o.patterns.size()) patterns.resize(o.patterns.size());
  for (std::size_t i = 0; i < o.patterns.size(); ++i) {
    patterns[i][0] += o.patterns[i][0];
    patterns[i][1] += o.patterns[i][1];
  }
  std::vector<int> map = templates.merge(std::move(o.templates));
  if (!o.rows.empty()) {
    const std::uint64_t offset = lines - o.lines;  // `lines` already includes o's
    std::size_t at = rows.size();
    rows.insert(rows.end(), o.rows.begin(), o.rows.end());
    for (std::size_t i = at; i < rows.size(); ++i) {
      auto& r = rows[i];
      r.line += offset;
      if (r.cluster >= 0) r.cluster = map[static_cast<std::size_t>(r.cluster)];
    }
    o.rows.clear();
  }
  top_errors_dropped += o.top_errors_dropped;
  if (top_errors.empty()) {
    top_errors = std::move(o.top_errors);
  } else {
    for (auto& [key, s] : o.top_errors) {
      auto it = top_errors.find(key);
      if (it != top_errors.end()) {
        it->second.merge(s);
      } else if (top_errors.size() < kMaxTopErrors) {
        top_errors.emplace(key, std::move(s));
      } else {
        top_errors_dropped += s.count;
      }
    }
  }
}

// ---- the scanner ----------------------------------------------------------------------------

Scanner::Scanner(const ScanContext& ctx) : ctx_(ctx) {
  std::size_t n = ctx.patterns != nullptr ? ctx.patterns->size() : 0;
  stats_.patterns.assign(n, {0, 0});
  record_hits_.assign(n, 0);
}

namespace {

// Newline positions of a buffer, 64 bytes at a time: SSE2 compares build a 64-bit mask and each
// set bit is one line end. Cheaper than one memchr call per (short) log line.
class NewlineFinder {
 public:
  explicit NewlineFinder(std::string_view s) : p_(s.data()), n_(s.size()) {}
  // Offset of the next '\n', or npos.
  std::size_t next() {
    while (mask_ == 0) {
      if (started_) base_ += 64;
      started_ = true;
      if (base_ >= n_) return std::string_view::npos;
      mask_ = window(base_);
    }
    auto bit = static_cast<std::size_t>(__builtin_ctzll(mask_));
    mask_ &= mask_ - 1;
    return base_ + bit;
  }

 private:
  static constexpr std::size_t kPrefetchAhead = 1024;
  std::uint64_t window(std::size_t off) const {
    if (off + 64 <= n_) {
      // The hardware prefetcher stops at page boundaries: ask for the bytes a few windows ahead.
      if (off + 64 + kPrefetchAhead <= n_) _mm_prefetch(p_ + off + kPrefetchAhead, _MM_HINT_T0);
      const __m128i nl = _mm_set1_epi8('\n');
      std::uint64_t m = 0;
      for (int i = 0; i < 4; ++i) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_ + off + std::size_t{16} * static_cast<std::size_t>(i)));
        auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
        m |= static_cast<std::uint64_t>(bits) << (16 * i);
      }
      return m;
    }
    std::uint64_t m = 0;
    for (std::size_t i = off; i < n_; ++i) {
      if (p_[i] == '\n') m |= std::uint64_t{1} << (i - off);
    }
    return m;
  }
  const char* p_;
  std::size_t n_;
  std::size_t base_ = 0;
  std::uint64_t mask_ = 0;
  bool started_ = false;
};

}  // namespace

void Scanner::feed(std::string_view data, bool last) {
  stats_.bytes += data.size();
  std::size_t p = 0;
  NewlineFinder newlines(data);
  while (p < data.size()) {
    std::size_t nl = newlines.next();
    if (nl == std::string_view::npos && !last) return;  // the caller only passes complete lines
    std::size_t end = nl != std::string_view::npos ? nl : data.size();
    std::string_view l = data.substr(p, end - p);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line(l);
    p = end + 1;
  }
}

void Scanner::mark(int m) {
  auto i = static_cast<std::size_t>(m);
  ++stats_.patterns[i][1];
  if (!record_hits_[i]) {
    record_hits_[i] = 1;
    hit_list_.push_back(m);
  }
}

void Scanner::line(std::string_view l) {
  ++stats_.lines;
  Header h;
  bool header = ctx_.parser->parse(l, h);
  if (header || !in_record_) {
    if (in_record_) end_record();
    in_record_ = true;
    ++stats_.records;
    if (!header) {  // text before the first header: a record of its own
      h = Header{};
      h.msg = l;
    }
    if (h.fast_level >= 0) {
      ++fast_levels_[static_cast<std::size_t>(h.fast_level)];
    } else if (!h.level.empty()) {
      count_level(h.level);
    }
    ++stats_.severity[static_cast<std::size_t>(h.severity)];
    bool severe = h.severity >= LogLevel::kError && h.severity != LogLevel::kNone;
    if (h.ts != kNoTime) {
      if (stats_.first_ts == kNoTime || h.ts < stats_.first_ts) stats_.first_ts = h.ts;
      if (stats_.last_ts == kNoTime || h.ts > stats_.last_ts) stats_.last_ts = h.ts;
      count_minute(h.ts, severe);
    }
    if (ctx_.templates) {
      int cluster = stats_.templates.add(h.msg, h.severity, h.ts);
      if (ctx_.records) {
        RecordRow row;
        row.line = stats_.lines;
        row.cluster = cluster;
        row.level_size = static_cast<std::uint8_t>(std::min(h.level.size(), row.level.size()));
        if (row.level_size > 0) std::memcpy(row.level.data(), h.level.data(), row.level_size);  // no level: data() may be null
        stats_.rows.push_back(row);
      }
      if (stats_.templates.clusters().size() >= next_consolidation_) {
        // Fold what varies before the bounded table fills up (rows are renumbered).
        stats_.consolidate_templates();
        next_consolidation_ = std::max(next_consolidation_, stats_.templates.clusters().size() * 2);
      }
    } else if (ctx_.top_errors && severe) {
      std::uint64_t key = message_key(h.msg);
      auto it = stats_.top_errors.find(key);
      if (it != stats_.top_errors.end()) {
        it->second.add(h.severity, h.ts, h.msg);
      } else if (stats_.top_errors.size() < ScanStats::kMaxTopErrors) {
        stats_.top_errors[key].add(h.severity, h.ts, h.msg);
      } else {
        ++stats_.top_errors_dropped;
      }
    }
  } else {
    ++stats_.continuation_lines;
  }
  if (ctx_.patterns != nullptr && ctx_.patterns->size() != 0) {
    ctx_.patterns->match_line(l, matches_);
    for (int m : matches_) mark(m);
  }
}

namespace {
// Short-string equality without a memcmp call (level tokens are a few bytes).
bool same_token(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
}  // namespace

void Scanner::count_level(std::string_view level) {
  // Logs repeat a handful of level tokens: check the previous one first.
  if (last_level_ < stats_.levels.size() && same_token(stats_.levels[last_level_].first, level)) {
    ++stats_.levels[last_level_].second;
    return;
  }
  for (std::size_t i = 0; i < stats_.levels.size(); ++i) {
    if (same_token(stats_.levels[i].first, level)) {
      ++stats_.levels[i].second;
      last_level_ = i;
      return;
    }
  }
  stats_.levels.emplace_back(std::string(level), 1);
  last_level_ = stats_.levels.size() - 1;
}

void Scanner::count_minute(std::int64_t ts, bool severe) {
  std::int64_t minute = ts >= 0 ? ts / 60 : (ts - 59) / 60;
  // Records come in time order: most land in the previous record's minute.
  if (minute != last_minute_ || last_bucket_ == nullptr) {
    last_bucket_ = &stats_.minutes[minute];  // unordered_map references stay valid on insert
    last_minute_ = minute;
  }
  ++(*last_bucket_)[0];
  if (severe) ++(*last_bucket_)[1];
}

void Scanner::end_record() {
  for (int m : hit_list_) {
    ++stats_.patterns[static_cast<std::size_t>(m)][0];
    record_hits_[static_cast<std::size_t>(m)] = 0;
  }
  hit_list_.clear();
}

void Scanner::finish() {
  if (in_record_) end_record();
  if (ctx_.templates) stats_.consolidate_templates();
  in_record_ = false;
  for (std::size_t i = 0; i < fast_levels_.size(); ++i) {
    if (fast_levels_[i] == 0) continue;
    std::string_view word = kFastLevels[i];
    auto it = std::find_if(stats_.levels.begin(), stats_.levels.end(),
                           [&](const auto& e) { return e.first == word; });
    if (it == stats_.levels.end()) stats_.levels.emplace_back(std::string(word), fast_levels_[i]);
    else it->second += fast_levels_[i];
    fast_levels_[i] = 0;
  }
}

}  // namespace obscore::logscan
