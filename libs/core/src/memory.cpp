// Allocator policy: jemalloc told to return freed pages at once, when jemalloc is the allocator.
#include "obscore/core/memory.hpp"

#include <sys/types.h>

#include <cstddef>
#include <initializer_list>
#include <string>

// jemalloc's control interface, when jemalloc is the allocator (the release build); null
// otherwise (sanitizer and fuzz builds).
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen)
    __attribute__((weak));

namespace obscore::core {

void return_freed_memory_at_once() {
  if (mallctl == nullptr) return;
  ssize_t zero = 0;
  // Arenas created from now on, then each existing one (arena.<all>.* cannot be written).
  mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &zero, sizeof zero);
  mallctl("arenas.muzzy_decay_ms", nullptr, nullptr, &zero, sizeof zero);
  unsigned arenas = 0;
  std::size_t len = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &len, nullptr, 0) != 0) return;
  for (unsigned i = 0; i < arenas; ++i) {
    for (const char* what : {"dirty", "muzzy"}) {
      std::string name = "arena." + std::to_string(i) + "." + what + "_decay_ms";
      mallctl(name.c_str(), nullptr, nullptr, &zero, sizeof zero);  // EFAULT: arena not created yet
    }
  }
}

}  // namespace obscore::core
