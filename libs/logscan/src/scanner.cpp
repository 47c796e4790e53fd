// Record splitting and per-record accounting; template mining.
#include "scanner.hpp"

#include <emmintrin.h>
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
  // decide), then hash the buffer 8 bytes at a time.
  char buf[512];
  std::size_t n = 0;
  bool in_digits = false;
  std::size_t limit = std::min(msg.size(), sizeof buf);
  for (std::size_t i = 0; i < limit; ++i) {  // branch-free: digits in a run overwrite one slot
    char c = msg[i];
    bool digit = static_cast<unsigned char>(c - '0') < 10;
    buf[n] = digit ? '0' : c;
    n += !(digit && in_digits);
    in_digits = digit;
  }
  return std::hash<std::string_view>{}(std::string_view(buf, n));
}

void MessageStats::add(Severity sev, std::int64_t ts, std::string_view msg) {
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

bool variable_token(std::string_view t) {
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) return true;
  for (char c : t) {
    if (c >= '0' && c <= '9') return true;
  }
  // Paths: /a/b, C:\x, ./rel/path
  if (t.size() > 1 && t.front() == '/' && t.find('/', 1) != std::string_view::npos) return true;
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
    while (pos < msg.size() && msg[pos] != ' ' && msg[pos] != '\t') ++pos;
    if (pos == start) break;
    std::string_view tok = msg.substr(start, pos - start);
    if (!variable_token(tok)) {
      out.push_back(tok);
      continue;
    }
    // key=value keeps the key: "user=42" -> "user=<*>".
    auto eq = tok.find('=');
    if (eq != std::string_view::npos && eq > 0 && !variable_token(tok.substr(0, eq))) {
      std::size_t at = storage.size();
      storage.append(tok.substr(0, eq + 1));
      storage.append(kWild);
      out.emplace_back(storage.data() + at, eq + 1 + kWild.size());
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

int TemplateMiner::find_or_create(const std::vector<std::string_view>& tokens) {
  std::string key = std::to_string(tokens.size());
  key += '|';
  if (!tokens.empty()) key.append(tokens[0]);
  auto group = groups_.find(key);
  int best = -1;
  std::size_t best_same = 0;
  // Bounded search: Drain's leaf lists stay short; a huge group just gets new clusters.
  std::size_t scanned = 0;
  static const std::vector<int> kNoClusters;
  const std::vector<int>& ids = group != groups_.end() ? group->second : kNoClusters;
  for (int id : ids) {
    if (++scanned > 256) break;
    const auto& ct = clusters_[static_cast<std::size_t>(id)].tokens;
    std::size_t same = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (ct[i] == tokens[i] && tokens[i] != kWild) ++same;
    }
    if (same > best_same || best < 0) {
      best = id;
      best_same = same;
    }
  }
  if (best >= 0 && !tokens.empty() && best_same * 2 >= tokens.size()) {
    auto& ct = clusters_[static_cast<std::size_t>(best)].tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (ct[i] != tokens[i]) ct[i] = std::string(kWild);
    }
    return best;
  }
  if (clusters_.size() >= max_templates_) return -1;
  Cluster c;
  c.tokens.reserve(tokens.size());
  for (auto t : tokens) c.tokens.emplace_back(t);
  clusters_.push_back(std::move(c));
  int id = static_cast<int>(clusters_.size()) - 1;
  groups_[key].push_back(id);
  return id;
}

void TemplateMiner::add(std::string_view msg, Severity sev, std::int64_t ts) {
  thread_local std::vector<std::string_view> tokens;
  mask_tokens(msg, scratch_, tokens);
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
      return;
    }
    if (exact_.size() < 1'000'000) exact_.emplace(std::move(masked), id);
  }
  clusters_[static_cast<std::size_t>(id)].stats.add(sev, ts, msg);
}

void TemplateMiner::merge(TemplateMiner&& o) {
  dropped_ += o.dropped_;
  if (o.clusters_.empty()) return;
  if (clusters_.empty() && o.clusters_.size() <= max_templates_) {
    std::uint64_t dropped = dropped_;
    *this = std::move(o);
    dropped_ = dropped;
    return;
  }
  std::unordered_map<std::string, int> by_text;
  for (std::size_t i = 0; i < clusters_.size(); ++i) by_text.emplace(clusters_[i].text(), static_cast<int>(i));
  for (auto& c : o.clusters_) {
    std::string t = c.text();
    auto it = by_text.find(t);
    if (it != by_text.end()) {
      clusters_[static_cast<std::size_t>(it->second)].stats.merge(c.stats);
    } else if (clusters_.size() >= max_templates_) {
      dropped_ += c.stats.count;
    } else {
      clusters_.push_back(std::move(c));
      by_text.emplace(std::move(t), static_cast<int>(clusters_.size()) - 1);
    }
  }
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

core::Json to_json(const ScanStats& s) {
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

ScanStats scan_stats_from_json(const core::Json& j) {
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
  templates.merge(std::move(o.templates));
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
  std::uint64_t window(std::size_t off) const {
    if (off + 64 <= n_) {
      const __m128i nl = _mm_set1_epi8('\n');
      std::uint64_t m = 0;
      for (int i = 0; i < 4; ++i) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_ + off + 16 * i));
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
    if (!header) h = Header{};  // text before the first header: a record of its own
    if (h.fast_level >= 0) {
      ++fast_levels_[static_cast<std::size_t>(h.fast_level)];
    } else if (!h.level.empty()) {
      count_level(h.level);
    }
    ++stats_.severity[static_cast<std::size_t>(h.severity)];
    bool severe = h.severity >= Severity::kError && h.severity != Severity::kNone;
    if (h.ts != kNoTime) {
      if (stats_.first_ts == kNoTime || h.ts < stats_.first_ts) stats_.first_ts = h.ts;
      if (stats_.last_ts == kNoTime || h.ts > stats_.last_ts) stats_.last_ts = h.ts;
      count_minute(h.ts, severe);
    }
    if (ctx_.templates) {
      stats_.templates.add(h.msg, h.severity, h.ts);
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
