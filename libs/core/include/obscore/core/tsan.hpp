// Happens-before edges for ThreadSanitizer at oneTBB's hand-offs.
//
// oneTBB passes tasks and their data between threads through atomics inside libtbb.so, which
// Debian builds without ThreadSanitizer: TSan cannot see those edges and reports every read of
// data the spawning thread wrote (or a previous task wrote) as a race. A TaskEdges object
// restores them: the task body is passed through body() (each call acquires on entry and
// releases on exit), fork() right before the parallel call (release), and joined() after the
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

#include <utility>

namespace obscore::core {

class TaskEdges {
 public:
  TaskEdges() = default;
  TaskEdges(const TaskEdges&) = delete;
  TaskEdges& operator=(const TaskEdges&) = delete;

  class Guard {
   public:
    Guard() { acquire(); }
    ~Guard() { release(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
  };

  // A task body for oneTBB: copies of it (oneTBB copies bodies into its tasks before handing
  // them to workers) publish their contents, and each call runs under a Guard. Without
  // ThreadSanitizer, the function object itself.
  template <typename F>
  static auto body(const F& f) {
#ifdef OBSCORE_TSAN_ENABLED
    return Body<F>(f);
#else
    return f;
#endif
  }

  // Before the parallel call, after building its body.
  void fork() const { release(); }
  // After the parallel region returned: everything the tasks did is visible.
  void joined() const { acquire(); }

 private:
  // Acquires before the members of a class deriving from it are copied.
  struct AcquireFirst {
    AcquireFirst() { acquire(); }
    AcquireFirst(const AcquireFirst&) { acquire(); }
  };

  template <typename F>
  class Body : private AcquireFirst {
   public:
    explicit Body(const F& f) : f_(f) { release(); }
    Body(const Body& o) : AcquireFirst(o), f_(o.f_) { release(); }
    Body& operator=(const Body&) = delete;
    template <typename... A>
    decltype(auto) operator()(A&&... a) const {
      Guard guard;
      return f_(std::forward<A>(a)...);
    }

   private:
    F f_;
  };

  // One token for every region: acquiring needs no read of the (racy, from TSan's view) task
  // object. Regions run one after another, so the extra ordering between them hides nothing.
  static void acquire() {
#ifdef OBSCORE_TSAN_ENABLED
    __tsan_acquire(&region_token);
#endif
  }
  static void release() {
#ifdef OBSCORE_TSAN_ENABLED
    __tsan_release(&region_token);
#endif
  }
  static inline char region_token = 0;
};

}  // namespace obscore::core
