// Allocator policy for commands that care more about peak memory than allocation speed.
#pragma once

namespace obscore::core {

// Freed memory goes back to the system at once instead of after the allocator's decay time
// (jemalloc keeps freed pages ~10 s by default). netscan calls it: a full-range scan's peak RSS
// drops by ~2 MB; the multi-threaded commands keep the default. No effect with other allocators.
void return_freed_memory_at_once();

}  // namespace obscore::core
