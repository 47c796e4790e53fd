// Parallel execution on oneTBB with deterministic, in-order delivery of results.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace obscore::core {

// Limits the worker threads for its lifetime (`-j N`; 0 = all cores).
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;
  static int default_threads();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs work(i) for i in [0, n) in parallel and calls deliver(i) serially in increasing i as soon
// as every earlier item is delivered, so output streams in order with bounded memory: at most
// about `in_flight` items are between work and delivery. work must not throw.
void for_each_ordered(std::size_t n, const std::function<void(std::size_t)>& work,
                      const std::function<void(std::size_t)>& deliver, std::size_t in_flight = 0);

}  // namespace obscore::core
