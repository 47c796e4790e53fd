// Happens-before edges for ThreadSanitizer at oneTBB's hand-offs.
//
// oneTBB passes tasks and their data between threads through atomics inside libtbb.so, which
// Debian builds without ThreadSanitizer: TSan cannot see those edges and reports every read of
// data the spawning thread wrote (or a previous task wrote) as a race. A TaskEdges object
// restores them: fork() once the task body is built, right before the parallel call (release),
// each task body holds a guard (acquire on entry, release on exit), and joined() after the
// region (acquire). The body must be built before fork(): oneTBB copies it into its tasks, and
// the workers read that copy. Task bodies
// that overlap in time still race-check against each other; only hand-offs through the
// scheduler become ordered. Without ThreadSanitizer everything here compiles to nothing.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define OBSCORE_TSAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OBSCORE_TSAN_ENABLED 1
#endif
#endif

#ifdef OBSCORE_TSAN_ENABLED
#include <sanitizer/tsan_interface.h>
#endif

namespace obscore::core {

class TaskEdges {
 public:
  TaskEdges() = default;
  TaskEdges(const TaskEdges&) = delete;
  TaskEdges& operator=(const TaskEdges&) = delete;

  class Guard {
   public:
    explicit Guard(const TaskEdges& e) : e_(e) { e_.acquire(); }
    ~Guard() { e_.release(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    const TaskEdges& e_;
  };

  // Before the parallel call, after building its body.
  void fork() const { release(); }
  // Held for the duration of one task body.
  [[nodiscard]] Guard task() const { return Guard(*this); }
  // After the parallel region returned: everything the tasks did is visible.
  void joined() const { acquire(); }

 private:
  void acquire() const {
#ifdef OBSCORE_TSAN_ENABLED
    __tsan_acquire(const_cast<char*>(&token_));
#endif
  }
  void release() const {
#ifdef OBSCORE_TSAN_ENABLED
    __tsan_release(const_cast<char*>(&token_));
#endif
  }
  char token_ = 0;
};

}  // namespace obscore::core
