// Log formats: a header parser per format (hand-written, no regex on the hot path), format
// detection from a file's first lines, timestamp parsing.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "obscore/logscan/logscan.hpp"

namespace re2 {
class RE2;
}

namespace obscore::logscan {

constexpr std::int64_t kNoTime = INT64_MIN;

// What a header line tells: the level token as written (may be empty), its severity, the
// timestamp in seconds since the epoch (UTC), and the message.
// Upper-case level words the hot paths recognise without a table search; Header::fast_level
// indexes this list (-1 otherwise), so the scanner can count them in a fixed array.
inline constexpr std::string_view kFastLevels[] = {"INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL"};
inline constexpr LogLevel kFastSeverity[] = {LogLevel::kInfo,  LogLevel::kWarn,  LogLevel::kError,
                                             LogLevel::kDebug, LogLevel::kTrace, LogLevel::kFatal};

// Index in kFastLevels of an exactly upper-case common level word, or -1 (4/5-byte loads).
inline int fast_level_index(std::string_view t) {
  auto word = [](const char* w) {
    std::uint32_t v;
    std::memcpy(&v, w, 4);
    return v;
  };
  if (t.size() != 4 && t.size() != 5) return -1;
  std::uint32_t head;
  std::memcpy(&head, t.data(), 4);
  if (t.size() == 4) {
    if (head == word("INFO")) return 0;
    if (head == word("WARN")) return 1;
    return -1;
  }
  char last = t[4];
  if (head == word("ERRO") && last == 'R') return 2;
  if (head == word("DEBU") && last == 'G') return 3;
  if (head == word("TRAC") && last == 'E') return 4;
  if (head == word("FATA") && last == 'L') return 5;
  return -1;
}

struct Header {
  std::string_view level;
  int fast_level = -1;  // index in kFastLevels when `level` is exactly one of them
  LogLevel severity = LogLevel::kNone;
  std::int64_t ts = kNoTime;
  std::string_view msg;
};

// Detection priority order (ties go to the earlier format); the formats up to kIso are detected.
enum class FormatId : std::uint8_t {
  kDocker, kJson, kLogfmt, kSyslog5424, kSyslog3164, kApache, kNginx, kAccess, kLogcat, kHdfs,
  kSpark, kPython, kRedis, kMysql, kPostgres, kIso, kCustom, kPlain, kLearned
};

struct LearnedFormat;

const char* format_name(FormatId f);
std::optional<FormatId> parse_format_name(std::string_view name);

// Parses header lines of one format. Thread-safe (const).
class FormatParser {
 public:
  FormatParser(FormatId id, int year, const re2::RE2* custom = nullptr,
               const LearnedFormat* learned = nullptr)
      : id_(id), year_(year), custom_(custom), learned_(learned) {}
  FormatId id() const { return id_; }
  // True when `line` (no trailing newline / CR) starts a record; fills `h`.
  bool parse(std::string_view line, Header& h) const;

 private:
  FormatId id_;
  int year_;
  const re2::RE2* custom_;
  const LearnedFormat* learned_;
};

// The daemon formats (daemons.cpp): PostgreSQL, Redis, MySQL/MariaDB error log, Docker
// json-file, HTTP access logs (common/combined). Each fills `h` and returns true for a line that
// starts a record.
bool parse_postgres(std::string_view line, Header& h);
// PostgreSQL's DETAIL/HINT/CONTEXT/STATEMENT/QUERY/LOCATION lines (with the prefix or without):
// parts of the record before them. Detection counts them as lines of the format.
bool postgres_secondary(std::string_view line);
bool parse_redis(std::string_view line, Header& h, int year);
bool parse_mysql(std::string_view line, Header& h);
bool parse_docker(std::string_view line, Header& h);
bool parse_access(std::string_view line, Header& h);

// Picks the built-in format whose header parser accepts most of the first lines of `sample`
// (ties go to the earlier format in priority order); kPlain when none accepts any line.
FormatId detect_format(std::string_view sample, int year);

// Seconds since the epoch for a civil UTC date-time.
std::int64_t civil_to_epoch(int y, int m, int d, int hh, int mm, int ss);
// ISO 8601 / RFC 3339 style "YYYY-MM-DD[T ]HH:MM:SS[.,fraction][Z|±HH[:]MM]" (also '/' as date
// separator); returns kNoTime when `s` does not start with one. `used` gets the length parsed.
std::int64_t parse_iso_time(std::string_view s, std::size_t* used = nullptr);

// 1-12 for a month name's first three letters ("Jan", "February"), 0 otherwise.
int month_index(std::string_view m);

}  // namespace obscore::logscan
