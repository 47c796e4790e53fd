// Micro-benchmarks of libs/netscan's non-network kernels: port-list and target expansion (a /16
// and the full port range) and the service guess from a banner. Nothing is sent anywhere.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "obscore/netscan/netscan.hpp"

namespace {

using namespace obscore::netscan;

void BM_ParsePortsAll(benchmark::State& state) {
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(parse_ports("1-65535").size());
}
BENCHMARK(BM_ParsePortsAll);

void BM_ExpandCidr16(benchmark::State& state) {
  TargetOptions o;
  o.hosts = {"10.20.0.0/16"};
  o.ports = "443";
  for ([[maybe_unused]] auto _ : state) benchmark::DoNotOptimize(expand_targets(o).size());
  state.SetItemsProcessed(state.iterations() * 65536);
}
BENCHMARK(BM_ExpandCidr16);

void BM_GuessService(benchmark::State& state) {
  std::vector<std::string> banners = {
      "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n",
      "220 mail.example.com ESMTP Postfix\r\n", "+PONG\r\n", std::string("\x16\x03\x03\x00\x4a\x02", 6),
      "* OK [CAPABILITY IMAP4rev1] ready\r\n", "RFB 003.008\n", "something else entirely\n"};
  for ([[maybe_unused]] auto _ : state) {
    for (const auto& b : banners) benchmark::DoNotOptimize(guess_service(b, 8080));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * banners.size()));
}
BENCHMARK(BM_GuessService);

}  // namespace

BENCHMARK_MAIN();
