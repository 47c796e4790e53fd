// netscan's target parser: hosts, CIDR, ranges, host:port, exclusions and port lists, and
// inventories; and the service recognisers, which read whatever bytes a server sends, as the
// reply to each probe. Name resolution is replaced by a stub (below) so no lookup ever leaves the
// process: the fuzzer may only exercise parsing.
#include <netdb.h>

#include <string>

#include "fuzz_common.hpp"
#include "obscore/netscan/netscan.hpp"

// Interposes libc's resolver for this binary: every name is unknown.
extern "C" int getaddrinfo(const char*, const char*, const struct addrinfo*, struct addrinfo** res) {
  if (res != nullptr) *res = nullptr;
  return EAI_NONAME;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace obscore;
  std::string_view text = fuzz::bytes(data, size);
  auto nl = text.find('\n');
  std::string hosts(text.substr(0, nl));
  std::string ports(nl == std::string_view::npos ? "" : text.substr(nl + 1, 256));
  fuzz::expect_diagnosed([&] { netscan::parse_ports(ports); });
  fuzz::expect_diagnosed([&] {
    netscan::TargetOptions o;
    o.hosts = {hosts};
    o.ports = ports.empty() ? "80" : ports;
    o.max_targets = 4096;
    netscan::expand_targets(o);
  });
  fuzz::expect_diagnosed([&] {
    netscan::TargetOptions o;
    o.hosts = {"127.0.0.0/28"};
    o.ports = "1-3";
    o.exclude = {hosts};
    o.max_targets = 4096;
    netscan::expand_targets(o);
  });
  for (int p = 0; p < netscan::kProbeCount; ++p) {
    netscan::recognize(text, static_cast<netscan::ProbeId>(p), 4242);
  }
  return 0;
}
