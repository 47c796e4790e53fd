// obscore netscan: target expansion (hosts, CIDR, ranges, host:port, names), a non-blocking TCP
// connect engine on epoll with timeouts, retries, rate limiting and fd-limit handling, and
// service identification (greeting, then protocol probes) in the same event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>

#include "obscore/core/diagnostic.hpp"
#include "obscore/core/output.hpp"
#include "obscore/core/run.hpp"

namespace obscore::netscan {

using core::Json;

// An address (IPv4 or IPv6) and the name it came from.
struct Address {
  sockaddr_storage addr{};
  socklen_t len = 0;
  std::string text;  // numeric form
  std::string host;  // as the user named it
  bool operator<(const Address& o) const;
  bool operator==(const Address& o) const;
};

// An inventory service (shared by all its host:port targets).
struct Service {
  std::string name;
  std::string expect;  // regex the banner must match
  int timeout_ms = 0;  // 0 = the scan's
};

// One host:port: indices into its TargetList's addresses and services, so a full-range scan
// keeps 8 bytes a port (512 KB for 65535).
struct Target {
  std::uint32_t address = 0;  // index into TargetList's addresses
  std::uint16_t port = 0;
  std::uint16_t service = 0;  // 1 + index into its services; 0 = none (not an inventory target)
};

// The targets of a scan, in order, with the addresses and services they share.
class TargetList {
 public:
  std::uint32_t add_address(Address a);
  // The id for Target::service; throws core::Error (usage) past 65535 services.
  std::uint16_t add_service(Service s);
  void add(std::uint32_t address, std::uint16_t port, std::uint16_t service = 0) {
    targets_.push_back(Target{address, port, service});
  }
  void reserve(std::size_t n) { targets_.reserve(n); }
  // Appends `more`'s targets after these (its indices rebased).
  void append(TargetList&& more);

  std::size_t size() const { return targets_.size(); }
  bool empty() const { return targets_.empty(); }
  std::uint16_t port(std::size_t i) const { return targets_[i].port; }
  const Address& address(std::size_t i) const { return addresses_[targets_[i].address]; }
  const Service* service(std::size_t i) const {
    std::uint32_t s = targets_[i].service;
    return s == 0 ? nullptr : &services_[s - 1];
  }
  const std::vector<Service>& services() const { return services_; }
  // Whether targets i and j share one address entry (a faster test than comparing them).
  bool same_address(std::size_t i, std::size_t j) const { return targets_[i].address == targets_[j].address; }

 private:
  std::vector<Address> addresses_;
  std::vector<Service> services_;
  std::vector<Target> targets_;
};

struct TargetOptions {
  std::vector<std::string> hosts;   // hosts, literals, CIDR, ranges, host:port
  std::string ports;                // "22,80,8000-8100", "-" = all
  int top_ports = 0;                // the first N of the built-in frequency list
  std::vector<std::string> exclude; // hosts/CIDR/ranges to drop
  bool first_address = false;       // a name gives its first address only
  std::size_t max_targets = 1'000'000;
};

// Parses "22,80,8000-8100" or "-"; throws core::Error(kUsage) for port 0, > 65535, bad ranges.
std::vector<std::uint16_t> parse_ports(std::string_view spec);

// The built-in list of common ports, most frequent first.
const std::vector<std::uint16_t>& top_ports();

// Expands hosts x ports (host:port pairs keep their port). Throws core::Error(kUsage) for bad
// syntax, kInput for names that do not resolve; beyond max_targets is a usage error.
TargetList expand_targets(const TargetOptions& options);

// An inventory ({services: [...]} or a list): name, host, port or ports, timeout_ms, expect.
// Throws core::DataError at the JSON Pointer of a bad field (the command maps it to line:col).
TargetList inventory_targets(const Json& inventory, bool first_address);

enum class State : std::uint8_t { kOpen, kClosed, kFiltered, kUnreachable, kError };
const char* to_string(State s);

struct ScanOptions {
  int timeout_ms = 1000;
  int retries = 1;                 // extra attempts after a timeout
  int rate = 0;                    // connection attempts per second, 0 = unlimited
  std::size_t concurrency = 1000;  // sockets at once (capped by the fd limit)
  bool banner = false;
  int banner_timeout_ms = 300;
  bool probes = true;              // send probes to silent ports (with banner)
};

// What a service revealed about itself.
struct Identity {
  std::string service;         // ssh, http, ftp, redis, postgresql, ... ("" = not identified)
  std::string product;         // OpenSSH, nginx, Redis, vsftpd, PostgreSQL, ... ("" = not named)
  std::string version;         // 9.2p1, 1.22.1, ... ("" = not revealed)
  std::string info;            // details: protocol, OS build, auth method, TLS version, ...
  std::uint8_t confidence = 0; // percent: 100 the reply named the product, 90-95 a protocol's own
                               // reply structure, 70-85 a greeting's wording, <= 50 a guess
};

// The probes, in cost order. kProbeNull sends nothing (waits for a greeting); the ones after
// kProbeZookeeper only follow another probe's answer.
enum ProbeId : std::uint8_t {
  kProbeNull, kProbeHttp, kProbeMemcached, kProbeRedis, kProbeTls, kProbePostgres, kProbeMongo, kProbeAmqp,
  kProbeLdap, kProbeMqtt, kProbeDns, kProbeSmb, kProbeRdp, kProbeZookeeper,
  kProbePostgresStartup, kProbeMongoBuildInfo, kProbeSmtpEhlo, kProbeTlsHttp, kProbeLdapRootDse, kProbeCount
};
const char* probe_name(ProbeId p);          // "banner", "http", "redis-info", ...
std::string_view probe_payload(ProbeId p);  // the bytes sent ("" for kProbeNull)
// The probes to try on a port: the null probe, the probes of services that usually listen on
// this port (the port is only a tie-breaker for order), then every other one in cost order.
std::vector<ProbeId> probe_plan(std::uint16_t port);

struct Recognition {
  Identity id;               // id.service empty: not recognised
  bool complete = true;      // false: the reply looks cut short, wait for more bytes
  int next = -1;             // a follow-up probe (ProbeId) that can say more, -1 none
  bool same_connection = false;  // the follow-up goes on this connection (EHLO after a greeting)
};
// Reads a reply to `probe` (kProbeNull: a greeting). Pure: the unit tests feed it fixtures.
Recognition recognize(std::string_view reply, ProbeId probe, std::uint16_t port);

struct Banner {
  std::string text;     // printable excerpt of what the service sent
  std::string service;  // identified service: ssh, http, smtp, ... ("unknown" = it spoke, unrecognised)
  std::string product, version, info;
  std::uint8_t confidence = 0;  // percent
  const char* method = "";      // the probe whose reply identified it ("banner" = the greeting)
};

// 12 bytes: a 65535-port scan keeps one per port (768 KB) until the sorted output is written.
// Result i belongs to target i.
struct Result {
  std::uint32_t banner = 0;             // 1 + index into ScanResults::banners; 0 = nothing read
  std::uint32_t latency_us = 0;         // of the attempt that decided (saturates at ~71 minutes)
  State state = State::kError;
  std::uint8_t reason = 0;              // reason_text(): "syn-ack", "conn-refused", "timeout", ...
  bool healthy = false;                 // inventory: open and the banner matched `expect`
  std::uint8_t attempts = 0;            // connects started (timeouts retried, local errors not counted)
};

// "syn-ack", "conn-refused", "self-connect", "timeout", "host-unreach", "net-unreach",
// "admin-prohibited", or the description of the errno that ended an attempt.
const char* reason_text(std::uint8_t reason);

struct ScanResults {
  std::vector<Result> results;  // in target order
  std::vector<Banner> banners;  // only the ports that sent something
  const Banner* banner(const Result& r) const { return r.banner == 0 ? nullptr : &banners[r.banner - 1]; }
};

struct ScanStats {
  std::size_t effective_concurrency = 0;
  std::size_t local_retries = 0;  // EMFILE/EADDRNOTAVAIL/ENOBUFS backed off and retried
};

// Scans every target; results in target order. Never reports a local resource error as
// "closed": those attempts are retried after a back-off. `done`, when given, sees each result
// (with its target's index) as soon as it is final (in completion order).
using ResultCallback = std::function<void(std::size_t target, const Result&, const Banner*)>;
ScanResults scan(const TargetList& targets, const ScanOptions& options, ScanStats* stats = nullptr,
                 const ResultCallback& done = {});

// The service a greeting or reply names (the port only as a tie-breaker); "unknown" for data
// nothing recognises, "" for none.
std::string guess_service(std::string_view banner, std::uint16_t port);

// Output: results sorted by address then port.
core::View make_view(bool all_states);
Json to_json(const TargetList& targets, std::size_t i, const Result& r, const Banner* banner);  // target i's

}  // namespace obscore::netscan

namespace obscore::netscan {

// gate_tripped: inventory mode found an unhealthy service.
using RunResult = core::RunResult;

// Scans, sorts by address then port, writes results and the summary {targets, open, closed,
// filtered, unreachable, errors, healthy?, unhealthy?, concurrency, local_retries, duration_ms}.
RunResult run(const TargetList& targets, const ScanOptions& options, core::Output& out);

}  // namespace obscore::netscan
