# The upstream optimised Argon2 implementation (reference code package 20171227: opt.c with
# SSE2/SSSE3/AVX2/AVX-512F BlaMka, blake2b, core), compiled from the C sources the npm `argon2`
# package bundles (argon2/argon2/src; pinned with its integrity hash in
# third_party/tree-sitter/package-lock.json, installed by scripts/bootstrap's `npm ci`).
#
# Debian's libargon2 is the reference (portable, non-SIMD) build; it stays linked and is the
# fallback (libs/crypto/src/argon2.cpp). The fill routine (opt.c) is compiled once per
# instruction set under distinct names, and dispatch.c picks one with __builtin_cpu_supports
# at first use. Every upstream symbol is renamed obscore_a2_* (libs/crypto/argon2opt/prefix.h),
# so nothing clashes with libargon2 in the same binary.
#
# Defines obscore_argon2opt (static) and OBSCORE_ARGON2_OPT (ON where it is built: x86-64).
set(OBSCORE_ARGON2_OPT OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(OBSCORE_ARGON2_OPT ON)
endif()
if(NOT OBSCORE_ARGON2_OPT)
  message(STATUS "argon2: ${CMAKE_SYSTEM_PROCESSOR} is not x86-64: libargon2 (reference build) only")
  return()
endif()

set(A2_ROOT ${PROJECT_SOURCE_DIR}/third_party/tree-sitter/node_modules/argon2/argon2)
set(A2_GLUE ${PROJECT_SOURCE_DIR}/libs/crypto/argon2opt)
if(NOT EXISTS ${A2_ROOT}/src/opt.c)
  message(FATAL_ERROR "Argon2 sources missing (${A2_ROOT}/src/opt.c): run scripts/bootstrap (npm ci in third_party/tree-sitter)")
endif()

# Fixed flags (optimised, never sanitised, no warnings: third-party code), so ccache shares the
# objects between the debug, release and sanitizer builds.
set(A2_FLAGS -O3 -w -include ${A2_GLUE}/prefix.h)

# One object library per instruction set: opt.c defines fill_segment, renamed per variant.
set(A2_VARIANTS "avx512f=-mavx512f" "avx2=-mavx2" "ssse3=-mssse3" "sse2=-msse2")
set(A2_VARIANT_OBJECTS "")
foreach(v IN LISTS A2_VARIANTS)
  string(REPLACE "=" ";" parts "${v}")
  list(GET parts 0 name)
  list(GET parts 1 flag)
  add_library(obscore_argon2opt_${name} OBJECT ${A2_ROOT}/src/opt.c)
  target_include_directories(obscore_argon2opt_${name} PRIVATE ${A2_ROOT}/include ${A2_ROOT}/src)
  target_compile_options(obscore_argon2opt_${name} PRIVATE ${A2_FLAGS} ${flag})
  target_compile_definitions(obscore_argon2opt_${name} PRIVATE OBSCORE_A2_FILL_SEGMENT=obscore_a2_fill_segment_${name})
  set_target_properties(obscore_argon2opt_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  list(APPEND A2_VARIANT_OBJECTS $<TARGET_OBJECTS:obscore_argon2opt_${name}>)
endforeach()

# argon2.c, core.c, encoding.c, thread.c and blake2b.c at the baseline instruction set.
add_library(obscore_argon2opt STATIC
  ${A2_ROOT}/src/argon2.c
  ${A2_ROOT}/src/core.c
  ${A2_ROOT}/src/encoding.c
  ${A2_ROOT}/src/thread.c
  ${A2_ROOT}/src/blake2/blake2b.c
  ${A2_GLUE}/dispatch.c
  ${A2_VARIANT_OBJECTS})
target_include_directories(obscore_argon2opt PRIVATE ${A2_ROOT}/include ${A2_ROOT}/src)
target_include_directories(obscore_argon2opt INTERFACE ${A2_GLUE})
target_compile_options(obscore_argon2opt PRIVATE ${A2_FLAGS})
set_target_properties(obscore_argon2opt PROPERTIES POSITION_INDEPENDENT_CODE ON)
find_package(Threads REQUIRED)
target_link_libraries(obscore_argon2opt PUBLIC Threads::Threads)
target_compile_definitions(obscore_argon2opt INTERFACE OBSCORE_ARGON2_OPT=1)

# Every global symbol must carry the obscore_a2_ prefix (an unprefixed one would clash with, or
# be interposed by, libargon2's): checked on the archive after each build.
find_program(OBSCORE_NM NAMES nm)
if(OBSCORE_NM)
  add_custom_command(TARGET obscore_argon2opt POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DNM=${OBSCORE_NM} -DARCHIVE=$<TARGET_FILE:obscore_argon2opt>
            -P ${PROJECT_SOURCE_DIR}/cmake/Argon2OptCheckSymbols.cmake
    VERBATIM)
endif()
