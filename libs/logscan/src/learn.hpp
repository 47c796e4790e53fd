// Learned formats: when no built-in format reads a file's levels, the first lines are split into
// whitespace fields and the position that holds a level word in most of them is learned, with
// the shapes of the fields before it (timestamps of many kinds, numbers). Also the general
// timestamp parser those shapes use, and the "level words in the text" measure of the gate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats.hpp"

namespace obscore::logscan {

// The shape of one whitespace-separated field of a header line.
enum class FieldKind : std::uint8_t {
  kAny,          // anything (not checked)
  kNumber,       // digits only (after trimming brackets)
  kEpoch,        // seconds (9-10 digits) or ms/us/ns since the epoch, optional fraction
  kIsoDateTime,  // 2017-05-16T00:00:00.008Z (one field)
  kDb2,          // 2005-06-03-15.42.50.675872 (DB2 / BlueGene style)
  kIsoDate,      // 2017-05-16 or 2017/05/16
  kDotDate,      // 2005.06.03
  kClock,        // 00:00:00 with optional .fraction or ,fraction
  kMonth,        // Jan .. Dec (syslog, with the day and clock fields after it)
};

const char* field_kind_name(FieldKind k);

// A format learned from a file's first lines: fields 0..fields.size()-1 have the given shapes,
// field `fields.size()` holds the level (when has_level), the rest is the message.
struct LearnedFormat {
  std::vector<FieldKind> fields;
  bool has_level = false;
  // The fields that make the timestamp: first index and count (0 count: none).
  int ts_field = -1;
  int ts_count = 0;
  // The equivalent --header regex (named groups ts, level, msg).
  std::string header_regex;
  // True when `line` starts a record (its typed fields up to the end of the timestamp have their
  // shapes); fills `h`.
  bool parse(std::string_view line, Header& h, int year) const;
};

// Learns a format from the first non-empty lines of `sample` (at most 200); nullopt when no
// field position holds a level word in most lines. Deterministic.
std::optional<LearnedFormat> learn_format(std::string_view sample, int year);

// What detection decided for one file.
struct Detection {
  FormatId format = FormatId::kPlain;
  std::optional<LearnedFormat> learned;  // set when format == kLearned
};

// Built-in detection, then learning when the built-in format accepts fewer than half of the
// first lines or reads a level in fewer than half of the lines it accepts, and the learned
// format reads levels in more lines.
Detection detect(std::string_view sample, int year);

// Any of the timestamp shapes above (one field or several, e.g. "2017-05-16 00:00:00.008",
// "Dec 10 06:55:46", "1117838570", "2005-06-03-15.42.50.675872"); `year` for shapes without
// one. kNoTime when `s` is none of them.
std::int64_t parse_any_time(std::string_view s, int year);

// A level word in its usual spelling, any case (TRACE ... FAILURE), for learned formats:
// parse_severity() plus FAILURE; never a single letter.
std::optional<LogLevel> learned_severity(std::string_view token);

// The share of the first lines of `sample` that carry a level word where a level would be
// written: an upper-case word (ERROR, WARN, ...), or any case in [..], <..>, |..|, before ':'
// or after '='. Measured on at most 200 non-empty lines.
struct LevelWordShare {
  std::uint32_t lines = 0;
  std::uint32_t with_level_words = 0;
  double share() const { return lines == 0 ? 0.0 : static_cast<double>(with_level_words) / lines; }
};
LevelWordShare level_word_share(std::string_view sample);

}  // namespace obscore::logscan
