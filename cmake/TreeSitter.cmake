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

# Profile-guided optimisation of the runtime and grammars (gcc). OBSCORE_TS_PGO=generate builds
# instrumented objects that write their profiles under OBSCORE_TS_PGO_DIR when a binary linked
# with them exits; =use compiles the objects with those profiles. The profile names are the
# objects' paths relative to the build tree, so a profile made in one build tree serves another.
set(OBSCORE_TS_PGO "" CACHE STRING "tree-sitter PGO stage: empty, generate or use")
set(OBSCORE_TS_PGO_DIR "${CMAKE_BINARY_DIR}/ts-profile" CACHE PATH "where tree-sitter profiles are written and read")
set(OBSCORE_TS_PGO_FLAGS "")
if(OBSCORE_TS_PGO STREQUAL "generate")
  set(OBSCORE_TS_PGO_FLAGS -fprofile-generate=${OBSCORE_TS_PGO_DIR} -fprofile-update=atomic
      -fprofile-prefix-path=${CMAKE_BINARY_DIR})
elseif(OBSCORE_TS_PGO STREQUAL "use")
  set(OBSCORE_TS_PGO_FLAGS -fprofile-use=${OBSCORE_TS_PGO_DIR} -fprofile-partial-training
      -fprofile-prefix-path=${CMAKE_BINARY_DIR} -Wno-missing-profile)
elseif(NOT OBSCORE_TS_PGO STREQUAL "")
  message(FATAL_ERROR "OBSCORE_TS_PGO must be empty, generate or use (got ${OBSCORE_TS_PGO})")
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
  "rust=tree-sitter-rust/src"
  "objc=tree-sitter-objc/src"
  "dart=@sengac/tree-sitter-dart/src")

add_library(obscore_treesitter STATIC ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/src/lib.c)
target_include_directories(obscore_treesitter SYSTEM PUBLIC
  ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/include)
target_include_directories(obscore_treesitter PRIVATE
  ${TS_ROOT}/tree-sitter/vendor/tree-sitter/lib/src)
# Fixes to the pinned grammar sources, applied to copies in the build tree (the npm packages
# stay as their integrity hashes say). Each is name|file|text|replacement; a fix whose text is
# gone (a newer grammar fixed it) is skipped with a warning.
set(OBSCORE_GRAMMAR_FIXES
  # tree-sitter-swift 0.7.1 allocates its scanner state with calloc(0, ...) and then writes
  # 4 bytes into it on every deserialize: a heap overflow (found by valgrind memcheck).
  "swift|scanner.c|calloc(0, sizeof(struct ScannerState))|calloc(1, sizeof(struct ScannerState))"
  # tree-sitter-kotlin 1.1.0 reads the word after a newline letters only, so `in1.skip()` or
  # `as_x = 1` on a new line is taken for the keyword `in`/`as` continuing the previous line:
  # no automatic semicolon, and the statement turns into an ERROR. Read identifier characters.
  "kotlin|scanner.c|if (!iswalpha(lexer->lookahead)) {|if (!iswalnum(lexer->lookahead) && lexer->lookahead != '_') {")

function(obscore_grammar_source name dir file out)
  set(path ${TS_ROOT}/${dir}/${file})
  foreach(fix IN LISTS OBSCORE_GRAMMAR_FIXES)
    string(REPLACE "|" ";" parts "${fix}")
    list(GET parts 0 fix_name)
    list(GET parts 1 fix_file)
    if(NOT fix_name STREQUAL name OR NOT fix_file STREQUAL file)
      continue()
    endif()
    list(GET parts 2 text)
    list(GET parts 3 replacement)
    file(READ ${path} content)
    string(FIND "${content}" "${text}" at)
    if(at EQUAL -1)
      message(WARNING "grammar fix for ${name}/${file} no longer applies: check and drop it")
      continue()
    endif()
    string(REPLACE "${text}" "${replacement}" content "${content}")
    set(path ${CMAKE_BINARY_DIR}/grammar-fixes/${name}/${file})
    set(old_content "")
    if(EXISTS ${path})
      file(READ ${path} old_content)
    endif()
    if(NOT old_content STREQUAL content)  # rewrite only on change: no needless recompiles
      file(WRITE ${path} "${content}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TS_ROOT}/${dir}/${file})
  endforeach()
  set(${out} ${path} PARENT_SCOPE)
endfunction()

set(grammar_objects)
foreach(entry IN LISTS OBSCORE_GRAMMARS)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 name)
  list(GET pair 1 dir)
  set(sources ${TS_ROOT}/${dir}/parser.c)
  if(EXISTS ${TS_ROOT}/${dir}/scanner.c)
    obscore_grammar_source(${name} ${dir} scanner.c scanner)
    list(APPEND sources ${scanner})
  endif()
  add_library(ts_grammar_${name} OBJECT ${sources})
  target_include_directories(ts_grammar_${name} PRIVATE ${TS_ROOT}/${dir})
  target_compile_options(ts_grammar_${name} PRIVATE -O2 -g0 -w ${OBSCORE_TS_LTO_FLAGS} ${OBSCORE_TS_PGO_FLAGS})
  set_target_properties(ts_grammar_${name} PROPERTIES
    POSITION_INDEPENDENT_CODE OFF C_VISIBILITY_PRESET hidden)
  list(APPEND grammar_objects $<TARGET_OBJECTS:ts_grammar_${name}>)
endforeach()
target_sources(obscore_treesitter PRIVATE ${grammar_objects})
target_compile_options(obscore_treesitter PRIVATE -O2 -w ${OBSCORE_TS_LTO_FLAGS} ${OBSCORE_TS_PGO_FLAGS})
if(OBSCORE_TS_PGO STREQUAL "generate")
  target_link_options(obscore_treesitter INTERFACE -fprofile-generate=${OBSCORE_TS_PGO_DIR})
endif()
# Strip the per-config flags (-O0, sanitizers) from these third-party objects.
foreach(t obscore_treesitter)
  set_target_properties(${t} PROPERTIES C_STANDARD 11)
endforeach()
add_library(obscore::dep::treesitter ALIAS obscore_treesitter)
