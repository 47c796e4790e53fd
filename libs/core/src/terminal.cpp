// TTY detection, terminal width, colour policy (NO_COLOR) and the stderr progress line.
#include "obscore/core/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace obscore::core {

bool is_terminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

int terminal_width(std::FILE* stream) {
  if (!is_terminal(stream)) return 0;
  winsize ws{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* cols = std::getenv("COLUMNS")) {
    int c = std::atoi(cols);
    if (c > 0) return c;
  }
  return 80;
}

bool use_color(ColorMode mode, std::FILE* stream) {
  switch (mode) {
    case ColorMode::kAlways: return true;
    case ColorMode::kNever: return false;
    case ColorMode::kAuto: {
      const char* no_color = std::getenv("NO_COLOR");
      if (no_color != nullptr && *no_color != '\0') return false;
      const char* term = std::getenv("TERM");
      if (term != nullptr && std::string_view(term) == "dumb") return false;
      return is_terminal(stream);
    }
  }
  return false;
}

Progress::Progress(bool enabled, std::string label, std::size_t total)
    : enabled_(enabled), label_(std::move(label)), total_(total) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t n) {
  std::size_t done = done_.fetch_add(n) + n;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (now - last_ < std::chrono::milliseconds(100) && done < total_) return;
  last_ = now;
  shown_ = true;
  fmt::print(stderr, "\r\x1b[K[{}] {}/{} files", label_, done, total_);
  std::fflush(stderr);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (enabled_ && shown_) {
    fmt::print(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

}  // namespace obscore::core
