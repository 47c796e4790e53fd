// The SIGBUS handler for guarded mappings (see mapping_guard.hpp).
#include "mapping_guard.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <mutex>

namespace obscore::core::detail {

namespace {

// Fixed slots, read by the signal handler: the base doubles as the slot's lock (null = free).
struct Slot {
  std::atomic<std::uintptr_t> base{0};
  std::atomic<std::size_t> size{0};
  std::atomic<bool> truncated{false};
};
Slot g_slots[256];
std::uintptr_t g_page = 4096;
struct sigaction g_previous {};

extern "C" void on_sigbus(int sig, siginfo_t* info, void* context) {
  auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (Slot& slot : g_slots) {
    std::uintptr_t base = slot.base.load();
    std::size_t size = slot.size.load();
    if (base == 0 || addr < base || addr - base >= size) continue;
    // Replace the rest of the mapping from the faulting page with zero pages; the faulting
    // read then completes and sees zeros.
    std::uintptr_t page = addr & ~(g_page - 1);
    void* page_start = static_cast<char*>(info->si_addr) - (addr - page);
    void* fixed = ::mmap(page_start, base + size - page, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (fixed != MAP_FAILED) {
      slot.truncated.store(true);
      return;
    }
    break;
  }
  // Not ours (or no memory for the zero pages): what would have happened without us.
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(sig, info, context);
    return;
  }
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN &&
      g_previous.sa_handler != nullptr) {
    g_previous.sa_handler(sig);
    return;
  }
  ::signal(SIGBUS, SIG_DFL);  // the faulting access repeats and ends the process as before
}

void install() {
  g_page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  struct sigaction sa {};
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGBUS, &sa, &g_previous);
}

}  // namespace

int guard_mapping(void* base, std::size_t size) {
  static std::once_flag once;
  std::call_once(once, install);
  for (int i = 0; i < static_cast<int>(std::size(g_slots)); ++i) {
    std::uintptr_t expected = 0;
    // Claim by base; a freed slot's size is 0, so the handler matches this one only once the
    // size is stored, after the flag is reset.
    if (g_slots[i].base.compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(base))) {
      g_slots[i].truncated.store(false);
      g_slots[i].size.store(size);
      return i;
    }
  }
  return -1;
}

bool mapping_truncated(int slot) { return slot >= 0 && g_slots[slot].truncated.load(); }

void unguard_mapping(int slot) {
  if (slot < 0) return;
  g_slots[slot].size.store(0);
  g_slots[slot].base.store(0);
}

}  // namespace obscore::core::detail
