/* C interface of obscore_argon2opt (the upstream optimised Argon2 build, every symbol prefixed
 * obscore_a2_; see prefix.h and dispatch.c). Include after <argon2.h> (for argon2_context). */
#ifndef OBSCORE_ARGON2OPT_DISPATCH_H
#define OBSCORE_ARGON2OPT_DISPATCH_H

#include <stddef.h> /* NOLINT(modernize-deprecated-headers): a C header */

#ifdef __cplusplus
extern "C" {
#endif

/* The i-th instruction-set variant of the fill routine, fastest first ("avx512f", "avx2",
 * "ssse3", "sse2"); NULL past the last. */
const char *obscore_a2_variant(size_t i);
/* Whether this CPU runs variant i. */
int obscore_a2_variant_supported(size_t i);
/* Makes `name` (or, when NULL, the fastest variant this CPU runs) the one obscore_a2_argon2_ctx
 * uses; returns its name, or NULL when unknown or not supported here (nothing changes then). */
const char *obscore_a2_select(const char *name);

/* Upstream argon2_ctx and argon2_error_message, renamed. */
int obscore_a2_argon2_ctx(argon2_context *context, argon2_type type);

#ifdef __cplusplus
}
#endif

#endif
