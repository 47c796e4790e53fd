# tree-sitter runtime 0.25 and the grammars, compiled from the npm packages' C sources
# (third_party/tree-sitter, installed by scripts/bootstrap with `npm ci`) into one static
# library. Always optimised and never sanitised: it is third-party code on the hot path, and
# fixed flags let ccache share the objects between the debug, release and asan builds.
set(TS_ROOT ${PROJECT_SOURCE_DIR}/third_party/tree-sitter/node_modules)
if(NOT EXISTS ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/src/lib.c)
  message(FATAL_ERROR "tree-sitter sources missing: run scripts/bootstrap (npm ci in third_party/tree-sitter)")
endif()

# Link-time optimisation of the runtime with the grammars makes parsing ~20 % faster (the
# lexer and table lookups inline across files). Objects are "fat", so only binaries that ask
# for it (the shipped obscore, in optimised builds) pay for the LTO link; tests link normally.
option(OBSCORE_LTO "LTO for the tree-sitter runtime and grammars in the obscore binary" ON)
set(OBSCORE_TS_LTO_FLAGS "")
if(OBSCORE_LTO AND NOT OBSCORE_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU"
   AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(OBSCORE_TS_LTO_FLAGS -flto=auto -ffat-lto-objects)
endif()

# name=directory of the grammar's src/ (relative to TS_ROOT)
set(OBSCORE_GRAMMARS
  "python=tree-sitter-python/src"
  "java=tree-sitter-java/src"
  "kotlin=@tree-sitter-grammars/tree-sitter-kotlin/src"
  "swift=tree-sitter-swift/src"
  "javascript=tree-sitter-javascript/src"
  "typescript=tree-sitter-typescript/typescript/src"
  "tsx=tree-sitter-typescript/tsx/src"
  "go=tree-sitter-go/src"
  "c=tree-sitter-c/src"
  "cpp=tree-sitter-cpp/src"
  "rust=tree-sitter-rust/src")

add_library(obscore_treesitter STATIC ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/src/lib.c)
target_include_directories(obscore_treesitter SYSTEM PUBLIC
  ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/include)
target_include_directories(obscore_treesitter PRIVATE
  ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/src)
set(grammar_objects)
foreach(entry IN LISTS OBSCORE_GRAMMARS)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 name)
  list(GET pair 1 dir)
  set(sources ${TS_ROOT}/${dir}/parser.c)
  if(EXISTS ${TS_ROOT}/${dir}/scanner.c)
    list(APPEND sources ${TS_ROOT}/${dir}/scanner.c)
  endif()
  add_library(ts_grammar_${name} OBJECT ${sources})
  target_include_directories(ts_grammar_${name} PRIVATE ${TS_ROOT}/${dir})
  target_compile_options(ts_grammar_${name} PRIVATE -O2 -g0 -w ${OBSCORE_TS_LTO_FLAGS})
  set_target_properties(ts_grammar_${name} PROPERTIES
    POSITION_INDEPENDENT_CODE OFF C_VISIBILITY_PRESET hidden)
  list(APPEND grammar_objects $<TARGET_OBJECTS:ts_grammar_${name}>)
endforeach()
target_sources(obscore_treesitter PRIVATE ${grammar_objects})
target_compile_options(obscore_treesitter PRIVATE -O2 -w ${OBSCORE_TS_LTO_FLAGS})
# Strip the per-config flags (-O0, sanitizers) from these third-party objects.
foreach(t obscore_treesitter)
  set_target_properties(${t} PROPERTIES C_STANDARD 11)
endforeach()
add_library(obscore::dep::treesitter ALIAS obscore_treesitter)
