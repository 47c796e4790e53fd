// correlate's readers: NDJSON (simdjson, chunked), JSON arrays and HAR, through a memfd so the
// real file path is exercised; the first byte picks the role.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz_common.hpp"
#include "model.hpp"
#include "obscore/correlate/correlate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore;
  if (size == 0) return 0;
  int fd = ::memfd_create("fuzz", MFD_CLOEXEC);
  if (fd < 0) return 0;
  std::size_t off = 1;
  while (off < size) {
    ssize_t n = ::write(fd, data + off, size - off);
    if (n <= 0) break;
    off += static_cast<std::size_t>(n);
  }
  correlate::Options o;
  static constexpr correlate::Role kRoles[] = {correlate::Role::kUi, correlate::Role::kApi, correlate::Role::kNav,
                                               correlate::Role::kMixed};
  correlate::Role role = kRoles[data[0] % 4];
  bool har = (data[0] & 4) != 0 && role == correlate::Role::kApi;
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (har) {
    // HAR is recognised by extension: a symlink named *.har to the memfd.
    std::string link = "/tmp/obscore-fuzz-" + std::to_string(::getpid()) + ".har";
    ::unlink(link.c_str());
    if (::symlink(path.c_str(), link.c_str()) == 0) path = link;
  }
  o.inputs.push_back({path, role});
  o.strict = (data[0] & 8) != 0;
  fuzz::expect_diagnosed([&] {
    correlate::Store store;
    correlate::read_inputs(o, store);
  });
  if (har) ::unlink(path.c_str());
  ::close(fd);
  return 0;
}
