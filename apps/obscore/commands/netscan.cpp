// `obscore netscan`: flags -> targets (or an inventory loaded through libs/config) and scan
// options, then one call into libs/netscan.
#include <limits>

#include <fmt/format.h>

#include "commands/commands.hpp"
#include "commands/yaml_input.hpp"
#include "obscore/core/error.hpp"
#include "obscore/core/memory.hpp"
#include "obscore/core/read.hpp"
#include "obscore/netscan/netscan.hpp"

namespace obscore::app {

Runner setup_netscan(CLI::App& sub) {
  struct Flags {
    netscan::TargetOptions targets;
    netscan::ScanOptions scan;
    std::string inventory, rate;
    bool all = false, no_probes = false;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("targets", f->targets.hosts, "hosts, IPs, CIDR blocks, ranges (10.0.0.1-20), host:port");
  sub.add_option("-p,--ports", f->targets.ports, "ports: 22,80,8000-8100, or - for all 65535");
  sub.add_option("--top-ports", f->targets.top_ports, "the N most common ports (built-in list of 105)")->check(whole_number(1, 65535));
  sub.add_option("--targets", f->inventory, "inventory (YAML/JSON): services with name, host, port(s), timeout_ms, expect");
  sub.add_option("--exclude", f->targets.exclude, "drop these hosts/CIDR/ranges (repeatable)")->allow_extra_args(false);
  sub.add_flag("--first-address", f->targets.first_address, "a name gives its first address only");
  sub.add_option("--max-targets", f->targets.max_targets, "refuse more host:port pairs (default 1000000)")
      ->check(whole_number(1, std::numeric_limits<int>::max()));
  sub.add_option("--timeout", f->scan.timeout_ms, "connect timeout in ms (default 1000)")->check(whole_number(1, 600000));
  sub.add_option("--retries", f->scan.retries, "extra attempts after a timeout (default 1)")->check(whole_number(0, 10));
  sub.add_option("--rate", f->rate, "connection attempts per second, e.g. 500 or 500/s (default unlimited)");
  sub.add_option("--concurrency", f->scan.concurrency, "sockets at once (default 1000; capped by the fd limit)")->check(whole_number(1, 1000000));
  sub.add_flag("--banner", f->scan.banner, "identify services by what they say: greeting, then HTTP and protocol probes (service, product, version)");
  sub.add_option("--banner-timeout", f->scan.banner_timeout_ms, "wait for a greeting, the HTTP probe and follow-ups in ms (default 300); other probes wait less")->check(whole_number(1, 60000));
  sub.add_flag("--no-probes", f->no_probes, "with --banner: only listen for a greeting, send no probes");
  sub.add_flag("--all", f->all, "table: every state, not only open ports");

  return [f](const Globals& g) {
    core::return_freed_memory_at_once();  // one thread, peak memory matters more than malloc speed
    netscan::ScanOptions o = f->scan;
    o.probes = !f->no_probes;
    if (!f->rate.empty()) {
      std::string r = f->rate.ends_with("/s") ? f->rate.substr(0, f->rate.size() - 2) : f->rate;
      try {
        o.rate = std::stoi(r);
      } catch (...) {
        o.rate = -1;
      }
      if (o.rate <= 0) throw core::Error(core::ErrorKind::kUsage, fmt::format("--rate: '{}' is not N or N/s", f->rate));
    }
    netscan::TargetList targets;
    if (!f->inventory.empty()) {
      auto text = core::read_input(f->inventory, f->inventory == "-", core::ReadLimits{16u << 20, false});
      if (!text) throw core::Error(core::ErrorKind::kUsage, "--targets: " + text.error(), f->inventory);
      load_yaml_documents(text->bytes(), f->inventory, [&](const core::Json& doc) {
        targets.append(netscan::inventory_targets(doc, f->targets.first_address));
      });
      if (targets.empty()) {
        throw core::Error(core::ErrorKind::kUsage, "--targets: the inventory lists no services", f->inventory);
      }
      o.banner = o.banner || std::any_of(targets.services().begin(), targets.services().end(),
                                         [](const netscan::Service& s) { return !s.expect.empty(); });
    }
    if (!f->targets.hosts.empty()) {
      targets.append(netscan::expand_targets(f->targets));
    }
    if (targets.empty()) throw core::Error(core::ErrorKind::kUsage, "no targets: name hosts with -p PORTS, or --targets FILE");
    core::Output out(g.output_options("netscan"), netscan::make_view(f->all));
    return finish(g, netscan::run(targets, o, out));
  };
}

}  // namespace obscore::app
