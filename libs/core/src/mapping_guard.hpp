// Memory-mapped inputs that shrink while they are read. Reading a page of a mapping past the
// file's new end raises SIGBUS, which would kill the process: a guarded mapping instead gets
// zero-filled pages there and is marked truncated, for the reader to report.
#pragma once

#include <cstddef>

namespace obscore::core::detail {

// Registers [base, base + size) and installs the SIGBUS handler (once). Returns a slot, or -1
// when every slot is taken (the caller then reads the file instead of mapping it).
int guard_mapping(void* base, std::size_t size);
// Whether a read past the file's end happened in the slot's mapping.
bool mapping_truncated(int slot);
// Forgets the slot; call before munmap.
void unguard_mapping(int slot);

}  // namespace obscore::core::detail
