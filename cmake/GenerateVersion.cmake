# Run at every build (cmake -P): writes the version header with the current git revision.
# configure_file only touches the file when its content changes, so nothing rebuilds otherwise.
set(OBSCORE_GIT_REVISION "")
if(GIT_EXECUTABLE AND EXISTS ${SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE OBSCORE_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
set(PROJECT_VERSION ${VERSION})
configure_file(${SOURCE_DIR}/cmake/version.hpp.in ${OUTPUT} @ONLY)
