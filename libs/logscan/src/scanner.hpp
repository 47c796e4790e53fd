// The per-chunk scanner: splits lines, groups them into records by the format's header parser,
// and accumulates counts, levels, time, pattern hits and message templates. One Scanner per
// chunk; chunks start at record boundaries, so merged counts are exact.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "formats.hpp"
#include "obscore/core/diagnostic.hpp"
#include "obscore/core/regex_set.hpp"

namespace obscore::logscan {

// The user's patterns as entries of one core::RegexSet (their ids name an invalid one in errors).
std::vector<core::RegexSet::Entry> regex_entries(const std::vector<Pattern>& patterns);

struct MessageStats {
  std::uint64_t count = 0;
  std::array<std::uint64_t, 8> severity{};
  std::int64_t first_seen = kNoTime;
  std::int64_t last_seen = kNoTime;
  std::string example;
  void add(LogLevel sev, std::int64_t ts, std::string_view msg);
  void merge(const MessageStats& o);
};

// Drain-style template mining: tokens with digits, hex, UUIDs, IPs, paths and quoted values are
// masked to <*>; messages with the same token count and first token are merged into a cluster
// when at least half of their tokens agree, the differing positions becoming <*>.
// At most `max_templates` clusters are kept (memory stays bounded on any log); messages that
// would start a new cluster beyond that are counted in dropped().
class TemplateMiner {
 public:
  static constexpr std::size_t kMaxTemplates = 100'000;
  TemplateMiner() = default;
  explicit TemplateMiner(std::size_t max_templates) : max_templates_(max_templates) {}
  // Returns the message's cluster index (stable for this miner), or -1 when the table is full.
  int add(std::string_view msg, LogLevel sev, std::int64_t ts);
  // Merges another miner's clusters (by template text); `o` is consumed. Returns, for each of
  // o's clusters, its index here (-1: dropped, the table was full).
  std::vector<int> merge(TemplateMiner&& o);
  struct Cluster {
    std::vector<std::string> tokens;
    MessageStats stats;
    std::string text() const;
  };
  const std::vector<Cluster>& clusters() const { return clusters_; }
  // Messages not templated because the table was full.
  std::uint64_t dropped() const { return dropped_; }
  // A miner holding `clusters` as they are, for merging only (a shard's state read back).
  static TemplateMiner from_clusters(std::vector<Cluster> clusters, std::uint64_t dropped);
  // Folds clusters that differ at one token position only, where that position varies: the
  // clusters identical elsewhere hold at least kMinValues different tokens there, or one of them
  // already has <*> there. Repeats until nothing folds. Returns old index -> new index (clusters
  // renumbered in first-seen order).
  static constexpr std::size_t kMinValues = 3;
  std::vector<int> consolidate();

 private:
  int find_or_create(const std::vector<std::string_view>& tokens);  // -1: table full
  void rebuild_index(const std::vector<int>& map);
  std::size_t max_templates_ = kMaxTemplates;
  std::uint64_t dropped_ = 0;
  std::vector<Cluster> clusters_;
  std::unordered_map<std::string, std::vector<int>> groups_;  // "count|first" -> clusters
  std::unordered_map<std::string, int> exact_;                // masked text -> cluster
  std::string scratch_;
};

// Hash of a message with every run of digits folded to one placeholder. Exposed for tests.
std::uint64_t message_key(std::string_view msg);

// Splits `msg` into masked tokens (views into `storage`). Exposed for tests.
void mask_tokens(std::string_view msg, std::string& storage, std::vector<std::string_view>& out);

struct ScanContext {
  const FormatParser* parser = nullptr;
  const core::RegexSet* patterns = nullptr;
  bool templates = false;
  bool top_errors = true;  // without templates: collect error-and-above messages
  bool records = false;    // with templates: one RecordRow per record (--records)
};

// One record's row for --records: its first line (1-based, within the scanned text), the
// template cluster (-1: untemplated) and the level as written (at most 15 bytes kept).
struct RecordRow {
  std::uint64_t line = 0;
  std::int32_t cluster = -1;
  std::uint8_t level_size = 0;
  std::array<char, 15> level{};
  std::string_view level_text() const { return {level.data(), level_size}; }
};

struct ScanStats {
  std::uint64_t bytes = 0, lines = 0, records = 0, continuation_lines = 0;
  std::vector<std::pair<std::string, std::uint64_t>> levels;  // level token as written -> records
  std::array<std::uint64_t, 8> severity{};                    // by LogLevel, kNone last
  std::int64_t first_ts = kNoTime, last_ts = kNoTime;
  std::unordered_map<std::int64_t, std::array<std::uint64_t, 2>> minutes;  // minute -> {records, error+}
  std::vector<std::array<std::uint64_t, 2>> patterns;  // per pattern {records, lines}
  TemplateMiner templates;
  // Error-and-above messages, keyed by a hash of the message with digit runs folded (so
  // "timeout after 31s" and "timeout after 7s" count together); the example keeps one text.
  // At most kMaxTopErrors keys; messages with a new key beyond that are counted in
  // top_errors_dropped.
  static constexpr std::size_t kMaxTopErrors = 100'000;
  std::unordered_map<std::uint64_t, MessageStats> top_errors;
  std::uint64_t top_errors_dropped = 0;
  // --records: the rows in line order; merging renumbers o's lines after this one's and maps
  // its clusters onto this one's.
  std::vector<RecordRow> rows;
  // Adds `o` into this; `o` is left valid but unspecified (its maps and strings are moved).
  void merge(ScanStats&& o);
  // templates.consolidate(), with the record rows' clusters renumbered.
  void consolidate_templates();
};

// All of ScanStats as JSON and back: a sharded run hands its per-file statistics to
// `obscore merge`, which merges them as the run merges chunks. Throws core::Error (usage) for
// malformed input.
core::Json shard_state_json(const ScanStats& s);
ScanStats scan_stats_from_shard_state(const core::Json& j);

class Scanner {
 public:
  explicit Scanner(const ScanContext& ctx);
  // Feeds complete lines ('\n'-separated; a final line without '\n' only when `last`).
  void feed(std::string_view data, bool last);
  // Ends the open record.
  void finish();
  ScanStats& stats() { return stats_; }

 private:
  void line(std::string_view l);
  void end_record();
  void mark(int pattern);
  void count_level(std::string_view level);
  void count_minute(std::int64_t ts, bool severe);
  const ScanContext& ctx_;
  ScanStats stats_;
  bool in_record_ = false;
  std::size_t last_level_ = SIZE_MAX;  // index in stats_.levels of the previous record's level
  std::array<std::uint64_t, 6> fast_levels_{};  // records per kFastLevels word, folded at finish()
  std::int64_t last_minute_ = INT64_MIN;
  std::size_t next_consolidation_ = 4096;  // template clusters that trigger a consolidation
  std::array<std::uint64_t, 2>* last_bucket_ = nullptr;
  std::vector<std::uint8_t> record_hits_;
  std::vector<int> hit_list_;
  std::vector<int> matches_;

};

}  // namespace obscore::logscan
