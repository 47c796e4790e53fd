// Internal to libs/core: the output writer and the sink interface shared by output.cpp (machine
// formats, table) and report.cpp (markdown, html, dot).
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "obscore/core/atomic_file.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/output.hpp"

namespace obscore::core {

// Compact JSON, invalid UTF-8 replaced.
std::string dump(const Json& j);
// A table cell's text: strings as they are, floats with two decimals, null empty.
std::string cell_text(const Json& v);
// Code points in UTF-8 text (the width of a terminal cell for the text obscore prints).
std::size_t display_width(std::string_view s);
// Truncated to `width` code points, the cut marked with '…'.
std::string fit(std::string_view s, std::size_t width);
// Each line of `text` that is wider than `width` code points (0: unlimited) broken at spaces, its
// continuation indented like it; every line ends in a newline. Lines that fit are kept as they are.
std::string wrap(std::string_view text, std::size_t width);
// {"tool","version","command","schema_version"}
Json envelope_head(const OutputOptions& o);

// stdout, or an AtomicFile for -o.
class Writer {
 public:
  explicit Writer(const std::string& path) {
    if (!path.empty() && path != "-") {
      file_ = std::make_unique<AtomicFile>(path);
      stream_ = file_->stream();
      path_ = path;
      // Large results (GBs of JSON) otherwise go out in 4 KiB write() calls.
      buffer_ = std::make_unique<char[]>(kBuffer);
      std::setvbuf(stream_, buffer_.get(), _IOFBF, kBuffer);
    } else {
      stream_ = stdout;
      path_ = "<stdout>";
      // Redirected to a file or pipe, glibc would write in st_blksize (4 KiB) pieces. The buffer
      // lives as long as the process: stdout may be flushed after this Writer is gone.
      static const bool kBuffered = [] {  // once, before the first write to stdout
        if (isatty(fileno(stdout))) return false;
        static std::unique_ptr<char[]> stdout_buffer = std::make_unique<char[]>(kBuffer);
        return std::setvbuf(stdout, stdout_buffer.get(), _IOFBF, kBuffer) == 0;
      }();
      (void)kBuffered;
    }
  }
  void write(std::string_view s) {
    // One thread writes an output: no stdio lock per call (millions of small records). Large
    // blocks go in pieces of the buffer's size: one write() of several MB measured slower here
    // (1 GB of correlate results: 2.1 s instead of 1.1-1.4 s; 64 KiB to 1 MiB pieces all alike).
    for (std::size_t k = 0; k < s.size(); k += kBuffer) {
      std::string_view piece = s.substr(k, kBuffer);
      if (fwrite_unlocked(piece.data(), 1, piece.size(), stream_) != piece.size()) fail();
    }
  }
  void flush() {
    if (std::fflush(stream_) != 0) fail();
  }
  void commit() {
    flush();
    if (file_) file_->commit();
  }

 private:
  [[noreturn]] void fail() {
    if (!file_ && errno == EPIPE) throw ReaderGone();
    throw Error(ErrorKind::kInput, fmt::format("cannot write output: {}", std::strerror(errno)),
                path_);
  }
  // 256 KiB: a write per 256 KiB costs nothing measurable (correlate writes ~1 GB), and a
  // smaller buffer is less resident memory for the light commands (netscan).
  static constexpr std::size_t kBuffer = 256u << 10;
  std::unique_ptr<char[]> buffer_;  // declared before file_: outlives the stream that uses it
  std::unique_ptr<AtomicFile> file_;
  std::FILE* stream_ = nullptr;
  std::string path_;
};


class Sink {
 public:
  Sink(OutputOptions o, View v) : opt_(std::move(o)), view_(std::move(v)), out_(opt_.path) {}
  virtual ~Sink() = default;
  virtual void result(const Json& r) = 0;
  virtual bool needs_structure() const { return true; }
  // Default: parse the text back (only reached by misuse; JSON and NDJSON override it).
  virtual void result_text(std::string_view text) { result(Json::parse(text)); }
  // Framed blocks (see Output::framing): only sinks that write text (JSON, NDJSON) take them.
  virtual Output::Framing framing() const { throw std::logic_error("framed results need a text sink"); }
  virtual void results_framed(std::string_view, std::size_t) { throw std::logic_error("framed results need a text sink"); }
  virtual void finish(const Json& summary, const std::vector<Diagnostic>& diagnostics) = 0;
  virtual bool streams_records() const { return false; }
  virtual void early_summary(const Json&) {}
  virtual void record(std::string_view, const Json&) {}

 protected:
  OutputOptions opt_;
  View view_;
  Writer out_;
};


// The sinks of report.cpp.
std::unique_ptr<Sink> make_markdown_sink(OutputOptions o, View v);
std::unique_ptr<Sink> make_html_sink(OutputOptions o, View v);
std::unique_ptr<Sink> make_dot_sink(OutputOptions o, View v);

}  // namespace obscore::core
