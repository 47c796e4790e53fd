# The only file that knows how each dependency is found (all from Debian 12).
# Everything else links the obscore::dep::* names, so swapping a package for a
# vendored copy or a newer version touches this file only.
find_package(PkgConfig REQUIRED)

find_package(CLI11 REQUIRED CONFIG)          # CLI11::CLI11 (2.1.2)
find_package(fmt REQUIRED CONFIG)            # fmt::fmt (9.1)
find_package(spdlog REQUIRED CONFIG)         # spdlog::spdlog (1.10, external fmt)
find_package(nlohmann_json REQUIRED CONFIG)  # nlohmann_json::nlohmann_json (3.11.2)
find_package(TBB REQUIRED CONFIG)            # TBB::tbb (oneTBB 2021.8)
find_package(OpenSSL REQUIRED)               # OpenSSL::Crypto (3.0)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)                 # no CMake config in Debian 12
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(FYAML REQUIRED IMPORTED_TARGET libfyaml)            # YAML 1.2, event API with marks

add_library(obscore::dep::cli11 ALIAS CLI11::CLI11)
add_library(obscore::dep::fmt ALIAS fmt::fmt)
# Header-only: the shared libspdlog costs every run ~0.4 MB of resident pages at load (its
# relocations and static registry), for a handful of debug lines.
add_library(obscore::dep::spdlog ALIAS spdlog::spdlog_header_only)
add_library(obscore::dep::json ALIAS nlohmann_json::nlohmann_json)
add_library(obscore::dep::tbb ALIAS TBB::tbb)
add_library(obscore::dep::yaml ALIAS PkgConfig::FYAML)
# OpenSSL's headers only: libs/core/src/libcrypto.cpp opens libcrypto.so.3 on first use (a
# linked libcrypto cost every run ~1.4 MB of resident pages). The .deb names libssl3 itself.
add_library(obscore_openssl INTERFACE)
target_include_directories(obscore_openssl SYSTEM INTERFACE ${OPENSSL_INCLUDE_DIR})
target_link_libraries(obscore_openssl INTERFACE ${CMAKE_DL_LIBS})
add_library(obscore::dep::crypto ALIAS obscore_openssl)
add_library(obscore::dep::re2 ALIAS PkgConfig::RE2)
# tree-sitter: runtime 0.25 and grammars are compiled from the npm packages' C sources (cmake/TreeSitter.cmake)
add_library(obscore::dep::argon2 ALIAS PkgConfig::ARGON2)
find_package(simdjson REQUIRED CONFIG)       # simdjson::simdjson (3.0.1): bulk NDJSON for correlate
add_library(obscore::dep::simdjson ALIAS simdjson::simdjson)
find_package(Git QUIET)                      # GIT_EXECUTABLE: the version header's revision, ast --changed-since tests
if(OBSCORE_BUILD_TESTS)
  find_package(GTest REQUIRED)               # GTest::gtest_main (1.12)
endif()
find_package(ZLIB REQUIRED)                  # gzip inputs
add_library(obscore::dep::zlib ALIAS ZLIB::ZLIB)
# jemalloc for the shipped binary: tree-sitter allocates one subtree per syntax node, and glibc
# malloc costs ~8 % of an `ast` run (perf); jemalloc halves that. Not with sanitizers (they
# bring their own allocator).
pkg_check_modules(JEMALLOC IMPORTED_TARGET jemalloc)
if(JEMALLOC_FOUND AND NOT OBSCORE_SANITIZE AND NOT OBSCORE_TSAN AND NOT OBSCORE_FUZZ)
  add_library(obscore::dep::malloc ALIAS PkgConfig::JEMALLOC)
else()
  add_library(obscore_no_malloc INTERFACE)
  add_library(obscore::dep::malloc ALIAS obscore_no_malloc)
endif()
