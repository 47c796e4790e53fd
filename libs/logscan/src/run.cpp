// The logscan run: walk inputs, pick each file's format, scan (large mapped files in parallel
// chunks that start at record boundaries, gzip and stdin as streams), merge, gate, render.
#include <re2/re2.h>
#include <sys/stat.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "formats.hpp"
#include "learn.hpp"
#include "obscore/core/parallel.hpp"
#include "obscore/core/read.hpp"
#include "obscore/core/run.hpp"
#include "obscore/core/terminal.hpp"
#include "obscore/core/time.hpp"
#include "obscore/core/tsan.hpp"
#include "obscore/logscan/logscan.hpp"
#include "records.hpp"
#include "scanner.hpp"

namespace obscore::logscan {

namespace {

using core::Json;

constexpr std::size_t kChunk = 8u << 20;       // parallel unit of a large file (fixed: -j independent)
constexpr std::size_t kSample = 256u << 10;     // bytes used for format detection
constexpr std::size_t kStreamBuffer = 4u << 20; // gzip / stdin read size

std::string rfc3339(std::int64_t t) { return t == kNoTime ? std::string() : core::format_rfc3339(t); }

Json time_json(std::int64_t t) { return t == kNoTime ? Json(nullptr) : Json(rfc3339(t)); }

int current_year() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

bool looks_like_log(std::string_view path, const void*) {
  auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.ends_with(".gz")) name.remove_suffix(3);
  // Rotated: app.log.1, syslog.2
  while (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) {
    std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) break;
    bool all = dot + 1 < name.size();
    for (std::size_t i = dot + 1; i < name.size(); ++i) {
      all = all && std::isdigit(static_cast<unsigned char>(name[i]));
    }
    if (!all) break;
    name = name.substr(0, dot);
  }
  for (const char* ext : {".log", ".logs", ".out", ".err", ".jsonl", ".ndjson", ".txt"}) {
    if (name.ends_with(ext)) return true;
  }
  for (const char* base : {"syslog", "messages", "dmesg", "auth", "kern", "daemon", "catalina"}) {
    if (name == base) return true;
  }
  return false;
}

struct Compiled {
  std::unique_ptr<core::RegexSet> patterns;
  std::unique_ptr<re2::RE2> header;
  int year = 0;
};

struct FileJob {
  core::InputFile input;
  std::optional<ScanStats> stats;
  FormatId format = FormatId::kPlain;
  std::shared_ptr<const LearnedFormat> learned;  // format == kLearned
  LevelWordShare level_words;                    // of the detection sample
  bool other_shard = false;  // --shard: this file (or all of its chunks) belongs to another shard
};

// --shard K/N: a file with at least N chunks is split, shard K taking chunks [C*K/N, C*(K+1)/N)
// (chunks start at record boundaries and are merged in order, so the shards' statistics merge
// into the unsharded ones); a smaller file, a gzip file or stdin goes whole to one shard.
bool owns_whole(const core::InputFile& f, const core::WalkOptions& w) {
  if (!w.sharded) return true;
  return (f.is_stdin ? 0 : core::shard_of(f.path, w.shard_count)) == w.shard_index;
}

// Streams an input (gzip already inflated by core::InputStream) through a scanner; the first
// kSample bytes pick the format. Returns false with `error` on a read or gzip error; the stats
// cover what was read.
class Streamer {
 public:
  Streamer(const Options& opt, const Compiled& c, FileJob& job) : opt_(opt), c_(c), job_(job) {}

  bool run(core::InputStream& in, std::string& error) {
    std::vector<char> buf(kStreamBuffer);
    bool ok = true;
    for (;;) {
      auto n = in.read(buf.data(), buf.size());
      if (!n) {
        error = n.error();
        ok = false;
        break;
      }
      if (*n == 0) break;
      push(std::string_view(buf.data(), *n), false);
    }
    push({}, true);
    flush();
    return ok;
  }

 private:
  void push(std::string_view data, bool eof) {
    pending_.append(data);
    if (!scanner_) {
      if (pending_.size() < kSample && !eof) return;
      start(std::string_view(pending_).substr(0, kSample));
    }
    // Feed complete lines; keep the partial last line for the next read.
    std::size_t cut = eof ? pending_.size() : pending_.rfind('\n');
    if (cut == std::string::npos) return;
    if (!eof) ++cut;
    scanner_->feed(std::string_view(pending_).substr(0, cut), eof);
    pending_.erase(0, cut);
  }
  void start(std::string_view sample) {
    choose_format(sample, job_);
    parser_ = std::make_unique<FormatParser>(job_.format, c_.year, c_.header.get(), job_.learned.get());
    ctx_.parser = parser_.get();
    ctx_.patterns = c_.patterns.get();
    ctx_.templates = opt_.templates || opt_.records;
    ctx_.records = opt_.records;
    scanner_ = std::make_unique<Scanner>(ctx_);
  }
  void flush() {
    if (!scanner_) start(pending_);
    if (!pending_.empty()) scanner_->feed(pending_, true);
    pending_.clear();
    scanner_->finish();
    job_.stats = std::move(scanner_->stats());
  }

 public:
  // The file's format (built-in, custom or learned) and the level-word share of its sample.
  void choose_format(std::string_view sample, FileJob& job) const {
    job.level_words = level_word_share(sample);
    if (c_.header) {
      job.format = FormatId::kCustom;
    } else if (!opt_.format.empty()) {
      job.format = *parse_format_name(opt_.format);
    } else {
      Detection d = detect(sample, c_.year);
      job.format = d.format;
      if (d.learned) job.learned = std::make_shared<const LearnedFormat>(std::move(*d.learned));
    }
  }

 private:
  const Options& opt_;
  const Compiled& c_;
  FileJob& job_;
  std::string pending_;
  ScanContext ctx_;
  std::unique_ptr<FormatParser> parser_;
  std::unique_ptr<Scanner> scanner_;
};

// Chunk boundaries of a mapped file: every kChunk bytes, moved forward to the next header line.
std::vector<std::size_t> chunk_starts(std::string_view data, const FormatParser& parser) {
  std::vector<std::size_t> starts{0};
  Header h;
  for (std::size_t target = kChunk; target < data.size(); target += kChunk) {
    if (target <= starts.back()) continue;
    std::size_t pos = data.find('\n', target - 1);
    while (pos != std::string_view::npos && pos + 1 < data.size()) {
      std::size_t begin = pos + 1;
      std::size_t end = data.find('\n', begin);
      std::string_view line = data.substr(begin, (end == std::string_view::npos ? data.size() : end) - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (parser.parse(line, h)) {
        starts.push_back(begin);
        break;
      }
      pos = end;
    }
    if (pos == std::string_view::npos || pos + 1 >= data.size()) break;
  }
  return starts;
}

void scan_file(FileJob& job, const Options& opt, const Compiled& c, std::vector<core::Diagnostic>& diagnostics) {
  const std::string& path = job.input.path;
  auto error = [&](std::string msg) {
    diagnostics.push_back({path, 0, 0, core::Severity::kError, std::move(msg)});
  };
  Streamer streamer(opt, c, job);
  {
    // stdin, pipes, FIFOs, devices and gzip files are streamed (read once: a FIFO reopened
    // would wait for a second writer); plain files are mapped below.
    auto stream = core::InputStream::open(path, job.input.is_stdin);
    if (!stream) {
      error(stream.error());
      return;
    }
    struct stat st {};
    bool regular = !job.input.is_stdin && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    if (!regular || (*stream)->gzip()) {
      if (!owns_whole(job.input, opt.walk)) {
        job.other_shard = true;
        return;
      }
      std::string err;
      if (!streamer.run(**stream, err)) error(err + "; counts cover what was read");
      return;
    }
  }
  core::ReadLimits limits;
  limits.decompress_gzip = false;
  auto content = core::read_input(path, false, limits);
  if (!content) {
    error(content.error());
    return;
  }
  std::string_view data = content->bytes();
  streamer.choose_format(data.substr(0, kSample), job);
  FormatParser parser(job.format, c.year, c.header.get(), job.learned.get());
  ScanContext ctx{&parser, c.patterns.get(), opt.templates || opt.records, true, opt.records};
  std::vector<std::size_t> starts = chunk_starts(data, parser);
  if (opt.walk.sharded) {
    std::size_t n = opt.walk.shard_count, k = opt.walk.shard_index, count = starts.size();
    if (count >= n) {
      std::size_t first = count * k / n, last = count * (k + 1) / n;
      if (last < count) data = data.substr(0, starts[last]);
      starts = std::vector<std::size_t>(starts.begin() + static_cast<std::ptrdiff_t>(first),
                                        starts.begin() + static_cast<std::ptrdiff_t>(last));
    } else if (!owns_whole(job.input, opt.walk)) {
      job.other_shard = true;
      return;
    }
  }
  std::vector<ScanStats> parts(starts.size());
  core::TaskEdges edges;
  auto scan_chunks = [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
    std::size_t end = i + 1 < starts.size() ? starts[i + 1] : data.size();
    content->prefault(starts[i], end - starts[i]);
    Scanner s(ctx);
    s.feed(data.substr(starts[i], end - starts[i]), true);
    s.finish();
    parts[i] = std::move(s.stats());
    content->release(starts[i], end - starts[i]);  // unmap work done in parallel, not at the end
    }
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, starts.size(), 1), core::TaskEdges::body(scan_chunks), tbb::simple_partitioner());
  edges.joined();
  if (content->truncated()) {
    error(std::string(core::kChangedWhileRead));
    return;
  }
  for (std::size_t i = 1; i < parts.size(); ++i) parts[0].merge(std::move(parts[i]));
  if (parts.size() > 1 && ctx.templates) parts[0].consolidate_templates();  // across the chunks
  job.stats = std::move(parts[0]);
}

Json levels_json(const std::vector<std::pair<std::string, std::uint64_t>>& levels) {
  auto sorted = levels;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  Json j = Json::object();
  for (const auto& [k, v] : sorted) j[core::sanitize_utf8(k)] = v;
  return j;
}

Json severity_json(const std::array<std::uint64_t, 8>& s) {
  Json j = Json::object();
  for (int i = 0; i < kSeverities; ++i) j[severity_name(static_cast<LogLevel>(i))] = s[static_cast<std::size_t>(i)];
  j["none"] = s[7];
  return j;
}

// The counts a file result and the summary share, in their documented key order.
void put_counts(Json& j, const ScanStats& s) {
  j["bytes"] = s.bytes;
  j["lines"] = s.lines;
  j["records"] = s.records;
  j["continuation_lines"] = s.continuation_lines;
  j["levels"] = levels_json(s.levels);
  j["severity"] = severity_json(s.severity);
  j["first_ts"] = time_json(s.first_ts);
  j["last_ts"] = time_json(s.last_ts);
}

Json message_json(const char* key, const std::string& text, const MessageStats& m, std::uint64_t total) {
  Json sev = Json::object();
  for (int i = 0; i < kSeverities; ++i) {
    if (m.severity[static_cast<std::size_t>(i)] != 0) sev[severity_name(static_cast<LogLevel>(i))] = m.severity[static_cast<std::size_t>(i)];
  }
  if (m.severity[7] != 0) sev["none"] = m.severity[7];
  double share = total == 0 ? 0.0 : static_cast<double>(m.count) / static_cast<double>(total);
  return {{key, core::sanitize_utf8(text)},
          {"count", m.count},
          {"share", std::round(share * 10000.0) / 10000.0},
          {"severity", sev},
          {"first_seen", time_json(m.first_seen)},
          {"last_seen", time_json(m.last_seen)},
          {"example", core::sanitize_utf8(m.example)}};
}

Json histogram_json(const ScanStats& s, Bucket bucket) {
  Json h;
  if (s.first_ts == kNoTime) {
    h["bucket"] = nullptr;
    h["buckets"] = Json::array();
    return h;
  }
  std::int64_t span = s.last_ts - s.first_ts;
  if (bucket == Bucket::kAuto) {
    constexpr std::int64_t kSecondsPerHour = 3600, kSecondsPerDay = 86400;
    bucket = span <= 3 * kSecondsPerHour  ? Bucket::kMinute
             : span <= 14 * kSecondsPerDay ? Bucket::kHour
                                           : Bucket::kDay;
  }
  std::int64_t width = bucket == Bucket::kMinute ? 60 : bucket == Bucket::kHour ? 3600 : 86400;
  h["bucket"] = bucket == Bucket::kMinute ? "1m" : bucket == Bucket::kHour ? "1h" : "1d";
  std::map<std::int64_t, std::array<std::uint64_t, 2>> grouped;
  for (const auto& [minute, c] : s.minutes) {
    std::int64_t t = minute * 60;
    std::int64_t start = (t >= 0 ? t / width : (t - width + 1) / width) * width;
    auto& g = grouped[start];
    g[0] += c[0];
    g[1] += c[1];
  }
  Json buckets = Json::array();
  for (const auto& [start, c] : grouped) {
    buckets.push_back({{"start", rfc3339(start)}, {"records", c[0]}, {"errors", c[1]}});
  }
  h["buckets"] = std::move(buckets);
  return h;
}

// A histogram (summary or file) as a series with every bucket between the first and the last,
// empty ones as zeros, so that a chart's x axis is time.
core::Series histogram_series(const std::string& title, const Json& h) {
  core::Series series;
  series.title = title;
  series.names = {"records", "errors"};
  series.values.resize(2);
  const Json& buckets = h["buckets"];
  if (h["bucket"].is_null() || buckets.empty()) return series;
  const std::string bucket = h["bucket"].get<std::string>();
  std::int64_t width = bucket == "1m" ? 60 : bucket == "1h" ? 3600 : 86400;
  auto start_of = [](const Json& b) { return core::parse_rfc3339_us(b["start"].get<std::string>()).value_or(0) / 1000000; };
  std::int64_t first = start_of(buckets.front()), last = start_of(buckets.back());
  constexpr std::int64_t kMaxBuckets = 4096;  // years of days: the chart sums neighbours anyway
  std::int64_t step = std::max<std::int64_t>(width, (last - first) / kMaxBuckets + 1);
  step = (step + width - 1) / width * width;
  std::size_t n = static_cast<std::size_t>((last - first) / step) + 1;
  series.values[0].assign(n, 0.0);
  series.values[1].assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) series.labels.push_back(rfc3339(first + static_cast<std::int64_t>(i) * step));
  for (const auto& b : buckets) {
    auto i = static_cast<std::size_t>((start_of(b) - first) / step);
    series.values[0][i] += b["records"].get<double>();
    series.values[1][i] += b["errors"].get<double>();
  }
  return series;
}

// One file's result object; `header` is the learned format's equivalent --header regex.
Json file_json(const std::string& path, const std::string& format, const std::string& header,
               const ScanStats& s, const std::vector<Pattern>& patterns, Bucket bucket) {
  Json r;
  r["path"] = core::sanitize_utf8(path);
  r["format"] = format;
  r["header"] = header.empty() ? Json(nullptr) : Json(header);
  put_counts(r, s);
  r["histogram"] = histogram_json(s, bucket);
  Json pats = Json::array();
  for (std::size_t p = 0; p < patterns.size(); ++p) {
    pats.push_back({{"id", patterns[p].id}, {"records", s.patterns[p][0]}, {"lines", s.patterns[p][1]}});
  }
  r["patterns"] = std::move(pats);
  return r;
}

// The summary (without duration_ms) from the merged statistics; sets `gate_tripped`.
Json summary_json(const ScanStats& total, std::size_t files, const Options& options, bool& gate_tripped) {
  Json gates = Json::object();
  if (options.fail_on) {
    std::uint64_t n = 0;
    for (int sv = static_cast<int>(*options.fail_on); sv < kSeverities; ++sv) n += total.severity[static_cast<std::size_t>(sv)];
    gates["fail_on"] = {{"level", severity_name(*options.fail_on)}, {"records", n}, {"tripped", n > 0}};
    gate_tripped = gate_tripped || n > 0;
  }
  if (!options.fail_on_patterns.empty()) {
    Json pg = Json::array();
    for (const auto& id : options.fail_on_patterns) {
      for (std::size_t p = 0; p < options.patterns.size(); ++p) {
        if (options.patterns[p].id != id) continue;
        bool tripped = total.patterns[p][0] > 0;
        pg.push_back({{"id", id}, {"records", total.patterns[p][0]}, {"tripped", tripped}});
        gate_tripped = gate_tripped || tripped;
      }
    }
    gates["fail_on_pattern"] = std::move(pg);
  }
  Json summary;
  summary["files"] = files;
  put_counts(summary, total);
  summary["histogram"] = histogram_json(total, options.bucket);
  Json pats = Json::array();
  for (std::size_t p = 0; p < options.patterns.size(); ++p) {
    pats.push_back({{"id", options.patterns[p].id},
                    {"regex", options.patterns[p].regex},
                    {"records", total.patterns[p][0]},
                    {"lines", total.patterns[p][1]}});
  }
  summary["patterns"] = std::move(pats);
  if (options.templates || options.records) {
    std::vector<const TemplateMiner::Cluster*> cl;
    for (const auto& k : total.templates.clusters()) cl.push_back(&k);
    auto first_n = cl.begin() + static_cast<std::ptrdiff_t>(std::min(cl.size(), options.top));
    std::partial_sort(cl.begin(), first_n, cl.end(), [](const auto* a, const auto* b) {
      return a->stats.count != b->stats.count ? a->stats.count > b->stats.count : a->text() < b->text();
    });
    Json t = Json::array();
    for (std::size_t i = 0; i < cl.size() && i < options.top; ++i) {
      t.push_back(message_json("template", cl[i]->text(), cl[i]->stats, total.records));
    }
    summary["templates"] = std::move(t);
    summary["template_count"] = cl.size();
    summary["untemplated"] = total.templates.dropped();
  } else {
    std::vector<const MessageStats*> top;
    std::uint64_t severe = 0;
    for (const auto& [key, st] : total.top_errors) {
      top.push_back(&st);
      severe += st.count;
    }
    // Only the first --top are needed: a partial sort, not a sort of every distinct message.
    auto first_n = top.begin() + static_cast<std::ptrdiff_t>(std::min(top.size(), options.top));
    std::partial_sort(top.begin(), first_n, top.end(), [](const auto* a, const auto* b) {
      return a->count != b->count ? a->count > b->count : a->example < b->example;
    });
    Json t = Json::array();
    for (std::size_t i = 0; i < top.size() && i < options.top; ++i) {
      t.push_back(message_json("message", top[i]->example, *top[i], severe));
    }
    summary["top_errors"] = std::move(t);
    summary["uncounted_errors"] = total.top_errors_dropped;
  }
  summary["gates"] = std::move(gates);
  return summary;
}

// The options `obscore merge` needs to render merged statistics as the run would.
Json options_state(const Options& o) {
  Json pats = Json::array();
  for (const auto& p : o.patterns) pats.push_back({{"id", p.id}, {"regex", p.regex}});
  const char* bucket = o.bucket == Bucket::kMinute ? "1m" : o.bucket == Bucket::kHour ? "1h"
                       : o.bucket == Bucket::kDay  ? "1d" : "auto";
  return {{"patterns", std::move(pats)},
          {"templates", o.templates},
          {"top", o.top},
          {"bucket", bucket},
          {"fail_on", o.fail_on ? Json(severity_name(*o.fail_on)) : Json(nullptr)},
          {"fail_on_patterns", o.fail_on_patterns}};
}

Options options_from_state(const Json& j) {
  try {
    Options o;
    for (const auto& p : j.at("patterns")) o.patterns.push_back({p.at("id").get<std::string>(), p.at("regex").get<std::string>()});
    o.templates = j.at("templates").get<bool>();
    o.top = j.at("top").get<std::size_t>();
    o.bucket = parse_bucket(j.at("bucket").get<std::string>()).value_or(Bucket::kAuto);
    if (!j.at("fail_on").is_null()) o.fail_on = parse_severity(j.at("fail_on").get<std::string>());
    o.fail_on_patterns = j.at("fail_on_patterns").get<std::vector<std::string>>();
    return o;
  } catch (const Json::exception& e) {
    throw core::Error(core::ErrorKind::kUsage, std::string("malformed logscan shard state: ") + e.what());
  }
}

}  // namespace

Pattern parse_pattern_arg(std::string_view arg) {
  auto eq = arg.find('=');
  if (eq != std::string_view::npos && eq > 0 && eq + 1 < arg.size()) {
    std::string_view id = arg.substr(0, eq);
    bool ident = std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_';
    for (char c : id) {
      ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
    }
    if (ident) return {std::string(id), std::string(arg.substr(eq + 1))};
  }
  return {std::string(arg), std::string(arg)};
}

std::vector<Pattern> parse_pattern_lines(std::string_view text, const std::string& path) {
  std::vector<Pattern> out;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      if (nl == text.size()) break;
      continue;
    }
    Pattern p = parse_pattern_arg(line.substr(first));
    if (p.regex.empty()) {
      throw core::Error(core::ErrorKind::kUsage, fmt::format("{}:{}: empty pattern", path, line_no));
    }
    out.push_back(std::move(p));
    if (nl == text.size()) break;
  }
  return out;
}

std::optional<Bucket> parse_bucket(std::string_view s) {
  if (s == "auto" || s.empty()) return Bucket::kAuto;
  if (s == "1m") return Bucket::kMinute;
  if (s == "1h") return Bucket::kHour;
  if (s == "1d") return Bucket::kDay;
  return std::nullopt;
}

void validate(const Options& options) {
  if (!options.format.empty() && !parse_format_name(options.format)) {
    throw core::Error(core::ErrorKind::kUsage,
                      fmt::format("--log-format: unknown format '{}'", options.format));
  }
  if (!options.header_regex.empty()) {
    re2::RE2::Options o;
    o.set_log_errors(false);
    re2::RE2 re(options.header_regex, o);
    if (!re.ok()) {
      throw core::Error(core::ErrorKind::kUsage, fmt::format("--header: {}", re.error()));
    }
    if (re.NumberOfCapturingGroups() > 15) {
      throw core::Error(core::ErrorKind::kUsage, "--header: at most 15 capturing groups");
    }
  }
  if (options.records && options.walk.sharded) {
    throw core::Error(core::ErrorKind::kUsage, "--records cannot be combined with --shard");
  }
  core::RegexSet check(regex_entries(options.patterns));
  std::vector<std::string> ids;
  for (const auto& p : options.patterns) {
    if (std::find(ids.begin(), ids.end(), p.id) != ids.end()) {
      throw core::Error(core::ErrorKind::kUsage, fmt::format("duplicate pattern id '{}'", p.id));
    }
    ids.push_back(p.id);
  }
  for (const auto& id : options.fail_on_patterns) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      throw core::Error(core::ErrorKind::kUsage,
                        fmt::format("--fail-on-pattern: no pattern has the id '{}'", id));
    }
  }
}

core::View make_view() {
  core::View v;
  v.columns = {{"path", false, true},  {"format", false}, {"lines", true}, {"records", true},
               {"fatal", true},  {"error", true},   {"warn", true},  {"info", true},
               {"debug", true},  {"first", false},  {"last", false}};
  v.rows = [](const Json& r, std::vector<Json>& rows) {
    const Json& s = r["severity"];
    rows.push_back(Json::array({r["path"], r["format"], r["lines"], r["records"], s["fatal"],
                                s["error"], s["warn"], s["info"],
                                s["debug"].get<std::uint64_t>() + s["trace"].get<std::uint64_t>(),
                                r["first_ts"], r["last_ts"]}));
  };
  v.footer = [](const Json& s) {
    std::string line = fmt::format("{} files, {} lines, {} records; fatal {}, error {}, warn {}",
                                   s["files"].get<std::uint64_t>(), s["lines"].get<std::uint64_t>(),
                                   s["records"].get<std::uint64_t>(),
                                   s["severity"]["fatal"].get<std::uint64_t>(),
                                   s["severity"]["error"].get<std::uint64_t>(),
                                   s["severity"]["warn"].get<std::uint64_t>());
    for (const auto& p : s["patterns"]) {
      line += fmt::format("; {}: {} records", p["id"].get<std::string>(), p["records"].get<std::uint64_t>());
    }
    return line + fmt::format("; {} ms", s["duration_ms"].get<long long>());
  };
  v.rows_title = "files";
  v.summary_keys = {"files", "lines", "records", "severity.fatal", "severity.error", "severity.warn", "first_ts",
                    "last_ts", "template_count", "untemplated", "uncounted_errors"};
  v.report_result = [](const Json& r, core::Report& report) {
    if (r.contains("histogram")) report.series.push_back(histogram_series(r["path"].get<std::string>(), r["histogram"]));
  };
  v.report_summary = [](const Json& s, core::Report& report) {
    if (report.series.size() > 1 && s.contains("histogram")) {
      report.series.insert(report.series.begin(), histogram_series("all files", s["histogram"]));
    }
    auto messages = [&](const char* key, const char* text_key, const char* title) {
      if (!s.contains(key) || s[key].empty()) return;
      core::Table t{title, {{text_key, false}, {"count", true}, {"share", true}, {"severity", false}, {"first seen", false},
                            {"last seen", false}}, {}, -1};
      for (const auto& m : s[key]) {
        std::string sev;
        for (const auto& [k, n] : m["severity"].items()) sev += fmt::format("{}{} {}", sev.empty() ? "" : ", ", k, n.get<std::uint64_t>());
        t.rows.push_back(Json::array({m[text_key], m["count"], m["share"], sev, m["first_seen"], m["last_seen"]}));
      }
      report.tables.push_back(std::move(t));
    };
    messages("templates", "template", "Top templates");
    messages("top_errors", "message", "Top error messages");
  };
  return v;
}

// A gate never passes blind: a file none of whose records has a level, while level words appear
// in a sizeable share of its first lines, gets a warning naming the share; with --fail-on it is
// an error (exit 3) unless --fail-on-unknown-format ignore.
constexpr double kLevelWordShare = 0.10;

void check_levels_read(const FileJob& job, const ScanStats& s, const Options& options,
                       std::vector<core::Diagnostic>& out) {
  std::uint64_t with_level = 0;
  for (int i = 0; i < kSeverities; ++i) with_level += s.severity[static_cast<std::size_t>(i)];
  const LevelWordShare& w = job.level_words;
  if (s.records == 0 || with_level != 0 || w.with_level_words < 2 || w.share() < kLevelWordShare) return;
  bool gate = options.fail_on && options.unknown_format == Options::UnknownFormat::kError;
  std::string msg = fmt::format(
      "levels could not be read (format {}), but {:.0f}% of the first {} lines contain level words",
      format_name(job.format), w.share() * 100.0, w.lines);
  if (gate) {
    msg += "; --fail-on cannot judge this file: give its format with --header REGEX or --log-format "
           "(or --fail-on-unknown-format ignore)";
  } else {
    msg += "; give its format with --header REGEX or --log-format";
  }
  out.push_back({job.input.path, 0, 0, gate ? core::Severity::kError : core::Severity::kWarning, std::move(msg)});
}

// Warnings for bounds the run reached: the template and message tables (memory stays bounded
// on any log) and the pattern set's DFA memory budget (results stay exact, matching slows).
void add_limit_warnings(const ScanStats& total, const core::RegexSet* patterns, std::vector<core::Diagnostic>& out) {
  auto warn = [&](std::string msg) { out.push_back({"", 0, 0, core::Severity::kWarning, std::move(msg)}); };
  if (total.templates.dropped() != 0) {
    warn(fmt::format("template table full ({} templates): {} messages that would start a new template are "
                     "not counted in templates (summary.untemplated)",
                     TemplateMiner::kMaxTemplates, total.templates.dropped()));
  }
  if (total.top_errors_dropped != 0) {
    warn(fmt::format("error-message table full ({} distinct messages): {} records with a new message are not "
                     "counted in top_errors (summary.uncounted_errors)",
                     ScanStats::kMaxTopErrors, total.top_errors_dropped));
  }
  if (patterns == nullptr || patterns->size() == 0) return;
  if (!patterns->uses_set()) {
    warn(fmt::format("the {} patterns do not fit one DFA within {} MiB: each line is matched pattern by pattern "
                     "(same results, slower)", patterns->size(), patterns->max_budget() >> 20));
  } else if (patterns->fallbacks() != 0) {
    warn(fmt::format("the pattern set's DFA ran out of memory ({} MiB) on {} lines: those lines were matched "
                     "pattern by pattern (same results, slower)", patterns->budget() >> 20, patterns->fallbacks()));
  }
}

RunResult run(const std::vector<std::string>& inputs, const Options& options, core::Output& out) {
  RunResult result;
  core::ItemRun file_run(result, "logscan", options.progress);  // from here, the run's duration
  validate(options);
  Compiled c;
  c.year = options.year != 0 ? options.year : current_year();
  c.patterns = std::make_unique<core::RegexSet>(regex_entries(options.patterns));
  if (!options.header_regex.empty()) {
    re2::RE2::Options o;
    o.set_log_errors(false);
    c.header = std::make_unique<re2::RE2>(options.header_regex, o);
  }

  core::WalkOptions wo = options.walk;
  wo.accept = looks_like_log;
  wo.shard_index = 0;  // --shard: scan_file decides per file (whole, or a range of its chunks)
  wo.shard_count = 1;
  core::WalkResult walked = core::walk(inputs, wo);
  result.diagnostics = std::move(walked.diagnostics);
  std::vector<FileJob> jobs(walked.files.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].input = walked.files[i];

  ScanStats total;
  total.patterns.assign(options.patterns.size(), {0, 0});
  std::size_t files = 0;
  Json state_files = Json::array();
  RecordWriter records_out(out);
  file_run.for_each(
      jobs.size(), [&](std::size_t i) { return core::ItemPlace{jobs[i].input.path}; },
      [&](std::size_t i, std::vector<core::Diagnostic>& diagnostics) { scan_file(jobs[i], options, c, diagnostics); },
      [&](std::size_t i) {
        FileJob& job = jobs[i];
        if (!job.stats || job.other_shard) return;
        const ScanStats& s = *job.stats;
        ++files;
        std::string header = job.learned ? job.learned->header_regex : std::string();
        check_levels_read(job, s, options, result.diagnostics);
        if (!options.records) out.result(file_json(job.input.path, format_name(job.format), header, s, options.patterns, options.bucket));
        if (options.walk.sharded) {
          state_files.push_back({{"path", job.input.path}, {"format", format_name(job.format)},
                                 {"header", header}, {"stats", shard_state_json(s)}});
        }
        const std::uint64_t lines_before = total.lines;
        total.merge(std::move(*job.stats));
        job.stats.reset();
        if (options.records) {
          records_out.write(job.input.path, total.rows, lines_before, total.templates);
          total.rows.clear();
        }  // bounded memory: the file's counts now live in the total
      });

  add_limit_warnings(total, c.patterns.get(), result.diagnostics);
  Json summary = summary_json(total, files, options, result.gate_tripped);
  file_run.finish(summary, &options.walk, result.gate_tripped);
  if (options.walk.sharded) {
    summary["shard"]["state"] = {{"options", options_state(options)}, {"files", std::move(state_files)}};
  }
  out.finish(summary, result.diagnostics);
  return result;
}

std::vector<core::Diagnostic> merge(const core::Partials& p, core::Output& out) {
  if (p.states.empty() || !p.states.front().is_object()) {
    throw core::Error(core::ErrorKind::kUsage, "merge: logscan partial without its shard state");
  }
  Options options = options_from_state(p.states.front().at("options"));
  struct File {
    std::string format;
    std::string header;
    ScanStats stats;
  };
  // Output order of a run: stdin first, then by path.
  std::map<std::pair<bool, std::string>, File> files;
  for (const auto& state : p.states) {
    if (!state.is_object() || !state.contains("files")) {
      throw core::Error(core::ErrorKind::kUsage, "merge: logscan partial without its shard state");
    }
    for (const auto& f : state["files"]) {
      std::string path = f.at("path").get<std::string>();
      ScanStats stats = scan_stats_from_shard_state(f.at("stats"));
      auto [it, inserted] = files.try_emplace(
          {path != "-", path}, File{f.at("format").get<std::string>(), f.value("header", std::string()), {}});
      if (inserted) {
        it->second.stats = std::move(stats);
      } else {
        it->second.stats.merge(std::move(stats));  // the file's next chunks, in shard order
      }
    }
  }
  ScanStats total;
  total.patterns.assign(options.patterns.size(), {0, 0});
  for (auto& [key, f] : files) {
    out.result(file_json(key.second, f.format, f.header, f.stats, options.patterns, options.bucket));
    total.merge(std::move(f.stats));
  }
  bool gate_tripped = false;
  std::vector<core::Diagnostic> found;
  add_limit_warnings(total, nullptr, found);
  std::vector<core::Diagnostic> diagnostics = p.diagnostics;
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  core::sort_diagnostics(diagnostics);
  Json summary = summary_json(total, files.size(), options, gate_tripped);
  long long duration = 0;
  for (const auto& s : p.summaries) duration = std::max(duration, s.value("duration_ms", 0LL));
  summary["duration_ms"] = duration;
  out.finish(summary, diagnostics);
  return found;
}

}  // namespace obscore::logscan
