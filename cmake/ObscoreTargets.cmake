# obscore_add_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates obscore_<name> with alias obscore::<name>, public headers in
# include/obscore/<name>/, private headers next to the sources in src/.
function(obscore_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS")
  add_library(obscore_${name} STATIC ${arg_SOURCES})
  add_library(obscore::${name} ALIAS obscore_${name})
  target_include_directories(obscore_${name}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(obscore_${name}
    PUBLIC ${arg_PUBLIC_DEPS}
    PRIVATE obscore_settings ${arg_PRIVATE_DEPS})
endfunction()

# obscore_add_test(<lib> <sources...>) -> executable <lib>_tests, one ctest
# entry per TEST() via gtest_discover_tests.
function(obscore_add_test lib)
  add_executable(${lib}_tests ${ARGN})
  target_link_libraries(${lib}_tests PRIVATE obscore::${lib} obscore_settings GTest::gtest_main)
  gtest_discover_tests(${lib}_tests TEST_PREFIX "${lib}." DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "OBSCORE_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
endfunction()
