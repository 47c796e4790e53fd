/* Runtime dispatch of the upstream optimised Argon2 core (obscore_argon2opt).
 *
 * opt.c (the upstream BlaMka fill routine) is compiled once per instruction set with distinct
 * names; upstream core.c calls obscore_a2_fill_segment, which jumps to the variant chosen by
 * obscore_a2_select() (the fastest one __builtin_cpu_supports allows, unless a name is forced).
 * Everything here is C (the upstream headers are C); the C++ side is libs/crypto/src/argon2.cpp. */
#include <stddef.h>
#include <string.h>

#include "argon2.h"
#include "core.h"
#include "dispatch.h"

typedef void (*fill_fn)(const argon2_instance_t *instance, argon2_position_t position);

void obscore_a2_fill_segment_avx512f(const argon2_instance_t *instance, argon2_position_t position);
void obscore_a2_fill_segment_avx2(const argon2_instance_t *instance, argon2_position_t position);
void obscore_a2_fill_segment_ssse3(const argon2_instance_t *instance, argon2_position_t position);
void obscore_a2_fill_segment_sse2(const argon2_instance_t *instance, argon2_position_t position);

struct variant {
  const char *name;
  fill_fn fill;
};

/* Fastest first (measured in docs/BENCHMARKS.md). */
static const struct variant kVariants[] = {
    {"avx512f", obscore_a2_fill_segment_avx512f},
    {"avx2", obscore_a2_fill_segment_avx2},
    {"ssse3", obscore_a2_fill_segment_ssse3},
    {"sse2", obscore_a2_fill_segment_sse2},
};
#define VARIANTS (sizeof(kVariants) / sizeof(kVariants[0]))

static fill_fn chosen; /* accessed with __atomic builtins */

static int cpu_supports(size_t i) {
  __builtin_cpu_init();
  switch (i) {
    case 0: return __builtin_cpu_supports("avx512f");
    case 1: return __builtin_cpu_supports("avx2");
    case 2: return __builtin_cpu_supports("ssse3");
    case 3: return __builtin_cpu_supports("sse2");
    default: return 0;
  }
}

const char *obscore_a2_variant(size_t i) {
  if (i >= VARIANTS) return NULL;
  return kVariants[i].name;
}

int obscore_a2_variant_supported(size_t i) { return i < VARIANTS && cpu_supports(i); }

const char *obscore_a2_select(const char *name) {
  for (size_t i = 0; i < VARIANTS; ++i) {
    if (name != NULL && strcmp(name, kVariants[i].name) != 0) continue;
    if (!cpu_supports(i)) {
      if (name != NULL) return NULL;
      continue;
    }
    __atomic_store_n(&chosen, kVariants[i].fill, __ATOMIC_RELEASE);
    return kVariants[i].name;
  }
  return NULL;
}

void fill_segment(const argon2_instance_t *instance, argon2_position_t position) {
  fill_fn f = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
  /* obscore_a2_argon2_ctx is only called after a successful obscore_a2_select(). */
  if (f == NULL) __builtin_trap();
  f(instance, position);
}
