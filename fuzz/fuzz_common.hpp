// Shared by the fuzz targets: errors that are the expected answer to bad input are caught;
// anything else (a crash, a sanitizer report, an unexpected exception type) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "obscore/core/error.hpp"

namespace obscore::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `f`; obscore's own errors (a diagnosed bad input) are fine.
template <class F>
void expect_diagnosed(F&& f) {
  try {
    f();
  } catch (const core::Error&) {
  } catch (const core::DataError&) {  // a problem at a JSON Pointer of loaded data (rule files)
  }
}

}  // namespace obscore::fuzz
