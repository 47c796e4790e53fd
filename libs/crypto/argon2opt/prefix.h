/* Force-included (-include) into every upstream Argon2 source compiled into obscore_argon2opt:
 * gives each external symbol of the upstream optimised build an obscore_a2_ name, so it can
 * never clash with, or be interposed by, Debian's libargon2 that is linked into the same
 * binary (libargon2 exports argon2_ctx & co. under the same names; the upstream core and
 * blake2b functions are global too). Keep in sync with `nm` of the objects: the build checks
 * that no unprefixed symbol is left (cmake/Argon2Opt.cmake). */
#ifndef OBSCORE_ARGON2OPT_PREFIX_H
#define OBSCORE_ARGON2OPT_PREFIX_H

#define FLAG_clear_internal_memory obscore_a2_FLAG_clear_internal_memory
#define allocate_memory obscore_a2_allocate_memory
#define argon2_ctx obscore_a2_argon2_ctx
#define argon2_encodedlen obscore_a2_argon2_encodedlen
#define argon2_error_message obscore_a2_argon2_error_message
#define argon2_hash obscore_a2_argon2_hash
#define argon2_thread_create obscore_a2_argon2_thread_create
#define argon2_thread_exit obscore_a2_argon2_thread_exit
#define argon2_thread_join obscore_a2_argon2_thread_join
#define argon2_type2string obscore_a2_argon2_type2string
#define argon2_verify obscore_a2_argon2_verify
#define argon2_verify_ctx obscore_a2_argon2_verify_ctx
#define argon2d_ctx obscore_a2_argon2d_ctx
#define argon2d_hash_encoded obscore_a2_argon2d_hash_encoded
#define argon2d_hash_raw obscore_a2_argon2d_hash_raw
#define argon2d_verify obscore_a2_argon2d_verify
#define argon2d_verify_ctx obscore_a2_argon2d_verify_ctx
#define argon2i_ctx obscore_a2_argon2i_ctx
#define argon2i_hash_encoded obscore_a2_argon2i_hash_encoded
#define argon2i_hash_raw obscore_a2_argon2i_hash_raw
#define argon2i_verify obscore_a2_argon2i_verify
#define argon2i_verify_ctx obscore_a2_argon2i_verify_ctx
#define argon2id_ctx obscore_a2_argon2id_ctx
#define argon2id_hash_encoded obscore_a2_argon2id_hash_encoded
#define argon2id_hash_raw obscore_a2_argon2id_hash_raw
#define argon2id_verify obscore_a2_argon2id_verify
#define argon2id_verify_ctx obscore_a2_argon2id_verify_ctx
#define b64len obscore_a2_b64len
#define blake2b obscore_a2_blake2b
#define blake2b_final obscore_a2_blake2b_final
#define blake2b_init obscore_a2_blake2b_init
#define blake2b_init_key obscore_a2_blake2b_init_key
#define blake2b_init_param obscore_a2_blake2b_init_param
#define blake2b_long obscore_a2_blake2b_long
#define blake2b_update obscore_a2_blake2b_update
#define clear_internal_memory obscore_a2_clear_internal_memory
#define copy_block obscore_a2_copy_block
#define decode_string obscore_a2_decode_string
#define encode_string obscore_a2_encode_string
#define fill_first_blocks obscore_a2_fill_first_blocks
#define fill_memory_blocks obscore_a2_fill_memory_blocks
#define finalize obscore_a2_finalize
#define free_memory obscore_a2_free_memory
#define index_alpha obscore_a2_index_alpha
#define init_block_value obscore_a2_init_block_value
#define initial_hash obscore_a2_initial_hash
#define initialize obscore_a2_initialize
#define numlen obscore_a2_numlen
#define secure_wipe_memory obscore_a2_secure_wipe_memory
#define validate_inputs obscore_a2_validate_inputs
#define xor_block obscore_a2_xor_block

/* opt.c is compiled once per instruction set, each defining its own fill_segment
 * (OBSCORE_A2_FILL_SEGMENT, e.g. obscore_a2_fill_segment_avx2); core.c calls the dispatcher
 * obscore_a2_fill_segment (dispatch.c), which jumps to the one chosen at first use. */
#ifdef OBSCORE_A2_FILL_SEGMENT
#define fill_segment OBSCORE_A2_FILL_SEGMENT
#else
#define fill_segment obscore_a2_fill_segment
#endif

#endif
