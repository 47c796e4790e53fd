// Terminal facts: is a stream a TTY, its width, whether to colour, and a progress line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace obscore::core {

bool is_terminal(std::FILE* stream);
int terminal_width(std::FILE* stream);  // columns, 0 when not a terminal

enum class ColorMode { kAuto, kAlways, kNever };
// kAuto: colour only on a terminal and never when NO_COLOR is set (non-empty).
bool use_color(ColorMode mode, std::FILE* stream);

// "\r[label] done/total" on stderr, at most ~10 times a second, only when enabled
// (stderr is a terminal and not --quiet); cleared by finish().
class Progress {
 public:
  Progress(bool enabled, std::string label, std::size_t total);
  ~Progress();
  void advance(std::size_t n = 1);
  void finish();

 private:
  bool enabled_;
  std::string label_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  bool shown_ = false;
};

}  // namespace obscore::core
