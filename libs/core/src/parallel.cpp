// In-order parallel map on oneTBB: a parallel_pipeline whose first and last stages are
// serial_in_order, so results are delivered in input order while later items are computed.
#include "obscore/core/parallel.hpp"

#include "obscore/core/tsan.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>

namespace obscore::core {

struct ThreadLimit::Impl {
  std::unique_ptr<tbb::global_control> control;
};

ThreadLimit::ThreadLimit(int threads) : impl_(std::make_unique<Impl>()) {
  if (threads > 0) {
    impl_->control = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  }
}

ThreadLimit::~ThreadLimit() = default;

int ThreadLimit::default_threads() { return tbb::info::default_concurrency(); }

void for_each_ordered(std::size_t n, const std::function<void(std::size_t)>& work,
                      const std::function<void(std::size_t)>& deliver, std::size_t in_flight) {
  if (n == 0) return;
  auto threads = static_cast<std::size_t>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  // Generous: an item in flight holds only its result (the file is released after work), and a
  // large file must not stall the others behind the in-order delivery.
  if (in_flight == 0) in_flight = std::max<std::size_t>(64, threads * 32);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      work(i);
      deliver(i);
    }
    return;
  }
  std::size_t next = 0;
  TaskEdges edges;
  auto chain =
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          TaskEdges::body([&](tbb::flow_control& fc) -> std::size_t {
                                            if (next >= n) {
                                              fc.stop();
                                              return 0;
                                            }
                                            return next++;
                                          })) &
      tbb::make_filter<std::size_t, std::size_t>(tbb::filter_mode::parallel,
                                                 TaskEdges::body([&](std::size_t i) {
                                                   work(i);
                                                   return i;
                                                 })) &
      tbb::make_filter<std::size_t, void>(tbb::filter_mode::serial_in_order, TaskEdges::body([&](std::size_t i) {
        deliver(i);
      }));
  edges.fork();
  tbb::parallel_pipeline(in_flight, chain);
  edges.joined();
}

}  // namespace obscore::core
