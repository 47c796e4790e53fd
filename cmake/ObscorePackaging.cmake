# CPack: `cpack --config build/release/CPackConfig.cmake -G DEB` builds a Debian package of the
# binary, its man pages and the bash completion. dpkg-shlibdeps computes the library dependencies
# (libre2-9, libfyaml0, libssl3, libtbb12, ...) from the binary itself, so they stay correct when
# a dependency is added.
set(CPACK_PACKAGE_NAME obscore)
set(CPACK_PACKAGE_VENDOR "obscore")
set(CPACK_PACKAGE_CONTACT "obscore maintainers <obscore@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "fast, CI-friendly code, log, config, network and crypto analysis")
set(CPACK_PACKAGE_DESCRIPTION
    "One multiplexed binary: per-function complexity (ast), log summaries (logscan), regex rule packs over source trees (patterns), UI-to-API attribution (correlate), YAML/JSON tools (config), Argon2id and AES-256-GCM (crypto), TCP scanning (netscan). JSON, NDJSON, CSV or table output.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcrypto.so.3 is opened at run time (libs/core/src/libcrypto.cpp): dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl3 (>= 3.0.0)")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/obscore")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
