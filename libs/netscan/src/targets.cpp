// Target expansion: ports, IPv4/IPv6 literals, CIDR blocks, ranges, host:port pairs and names.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "obscore/core/error.hpp"
#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {

namespace {

using core::Error;
using core::ErrorKind;

// nmap's most frequently open TCP ports (nmap-services), most frequent first.
const std::vector<std::uint16_t> kTopPorts = {
    80,    23,    443,   21,    22,    25,    3389,  110,   445,   139,   143,   53,    135,   3306,  8080,
    1723,  111,   995,   993,   5900,  1025,  587,   8888,  199,   1720,  465,   548,   113,   81,    6001,
    10000, 514,   5060,  179,   1026,  2000,  8443,  8000,  32768, 554,   26,    1433,  49152, 2001,  515,
    8008,  49154, 1027,  5666,  646,   5000,  5631,  631,   49153, 8081,  2049,  88,    79,    5800,  106,
    2121,  1110,  49155, 6000,  513,   990,   5357,  427,   49156, 543,   544,   5101,  144,   7,     389,
    8009,  3128,  444,   9999,  5009,  7070,  5190,  3000,  5432,  1900,  3986,  13,    1029,  9,     5051,
    6646,  49157, 1028,  873,   1755,  2717,  4899,  9100,  119,   37,    6379,  27017, 9200,  11211, 5672};

Address make_address(const sockaddr* sa, socklen_t len, const std::string& host) {
  Address a;
  std::memcpy(&a.addr, sa, len);
  a.len = len;
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  a.text = buf;
  a.host = host;
  return a;
}

Address v4(std::uint32_t host_order, const std::string& host) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(host_order);
  return make_address(reinterpret_cast<sockaddr*>(&sin), sizeof sin, host);
}

std::optional<std::uint32_t> parse_v4(std::string_view s) {
  in_addr a{};
  std::string z(s);
  if (::inet_pton(AF_INET, z.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<int> parse_int(std::string_view s, int lo, int hi) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

// One host spec (no port) -> addresses.
enum class SpecialName { kNone, kLoopback, kInvalid };

// Which RFC 6761 special-use domain a host name belongs to (case-insensitive, a final dot allowed).
SpecialName special_use_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  auto is_or_under = [&](std::string_view domain) {
    if (name.size() < domain.size()) return false;
    std::string_view tail = name.substr(name.size() - domain.size());
    for (std::size_t i = 0; i < domain.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(tail[i])) != domain[i]) return false;
    }
    return name.size() == domain.size() || name[name.size() - domain.size() - 1] == '.';
  };
  if (is_or_under("localhost")) return SpecialName::kLoopback;
  if (is_or_under("invalid")) return SpecialName::kInvalid;
  return SpecialName::kNone;
}

std::vector<Address> expand_host(const std::string& spec, bool first_address, std::size_t limit) {
  std::vector<Address> out;
  if (spec.empty()) throw Error(ErrorKind::kUsage, "empty target");
  // CIDR
  if (auto slash = spec.find('/'); slash != std::string::npos) {
    std::string base = spec.substr(0, slash);
    std::string_view bits_text = std::string_view(spec).substr(slash + 1);
    if (auto b4 = parse_v4(base)) {
      auto bits = parse_int(bits_text, 0, 32);
      if (!bits) throw Error(ErrorKind::kUsage, fmt::format("invalid CIDR '{}': the prefix must be 0-32", spec));
      std::uint64_t count = std::uint64_t{1} << (32 - *bits);
      if (count > limit) {
        throw Error(ErrorKind::kUsage, fmt::format("'{}' is {} addresses, beyond --max-targets ({})", spec, count, limit));
      }
      std::uint32_t mask = *bits == 0 ? 0 : ~std::uint32_t{0} << (32 - *bits);
      std::uint32_t first = *b4 & mask;
      for (std::uint64_t i = 0; i < count; ++i) out.push_back(v4(first + static_cast<std::uint32_t>(i), spec));
      return out;
    }
    in6_addr a6{};
    if (::inet_pton(AF_INET6, base.c_str(), &a6) == 1) {
      auto bits = parse_int(bits_text, 0, 128);
      if (!bits) throw Error(ErrorKind::kUsage, fmt::format("invalid CIDR '{}': the prefix must be 0-128", spec));
      int host_bits = 128 - *bits;
      if (host_bits >= 63 || (std::uint64_t{1} << host_bits) > limit) {
        throw Error(ErrorKind::kUsage, fmt::format("'{}' is 2^{} addresses, beyond --max-targets ({})", spec, host_bits, limit));
      }
      std::uint64_t count = std::uint64_t{1} << host_bits;
      for (int b = 0; b < host_bits; ++b) a6.s6_addr[15 - b / 8] &= static_cast<unsigned char>(~(1u << (b % 8)));
      for (std::uint64_t i = 0; i < count; ++i) {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_addr = a6;
        std::uint64_t carry = i;
        for (int k = 15; k >= 0 && carry != 0; --k) {
          unsigned v = sin6.sin6_addr.s6_addr[k] + (carry & 0xFF);
          sin6.sin6_addr.s6_addr[k] = static_cast<unsigned char>(v);
          carry = (carry >> 8) + (v >> 8);
        }
        out.push_back(make_address(reinterpret_cast<sockaddr*>(&sin6), sizeof sin6, spec));
      }
      return out;
    }
    throw Error(ErrorKind::kUsage, fmt::format("invalid CIDR '{}'", spec));
  }
  // IPv6 literal
  in6_addr a6{};
  if (spec.find(':') != std::string::npos && ::inet_pton(AF_INET6, spec.c_str(), &a6) == 1) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = a6;
    out.push_back(make_address(reinterpret_cast<sockaddr*>(&sin6), sizeof sin6, spec));
    return out;
  }
  // IPv4 literal or range (10.0.0.1-20, 10.0.0.1-10.0.0.9)
  if (auto a = parse_v4(spec)) {
    out.push_back(v4(*a, spec));
    return out;
  }
  if (auto dash = spec.find('-'); dash != std::string::npos && parse_v4(spec.substr(0, dash))) {
    std::uint32_t first = *parse_v4(spec.substr(0, dash));
    std::string tail = spec.substr(dash + 1);
    std::uint32_t last = 0;
    if (auto full = parse_v4(tail)) {
      last = *full;
    } else if (auto octet = parse_int(tail, 0, 255)) {
      last = (first & 0xFFFFFF00u) | static_cast<std::uint32_t>(*octet);
    } else {
      throw Error(ErrorKind::kUsage, fmt::format("invalid range '{}': 10.0.0.1-20 or 10.0.0.1-10.0.0.9", spec));
    }
    if (last < first) throw Error(ErrorKind::kUsage, fmt::format("invalid range '{}': the end is before the start", spec));
    if (std::uint64_t{last} - first + 1 > limit) {
      throw Error(ErrorKind::kUsage, fmt::format("'{}' is {} addresses, beyond --max-targets ({})", spec,
                                                 std::uint64_t{last} - first + 1, limit));
    }
    for (std::uint64_t v = first; v <= last; ++v) out.push_back(v4(static_cast<std::uint32_t>(v), spec));
    return out;
  }
  // A name: every address it resolves to (or the first).
  if (spec.find_first_of(" /\\") != std::string::npos) throw Error(ErrorKind::kUsage, fmt::format("invalid target '{}'", spec));
  // RFC 6761 6.3 and 6.4: `localhost` and `*.localhost` are loopback and `*.invalid` never resolves,
  // answered here without asking a resolver (a machine without a localhost line in /etc/hosts too).
  switch (special_use_name(spec)) {
    case SpecialName::kLoopback: {
      out.push_back(v4(0x7F000001u, spec));
      if (!first_address) {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_addr = in6addr_loopback;
        out.push_back(make_address(reinterpret_cast<sockaddr*>(&sin6), sizeof sin6, spec));
      }
      return out;
    }
    case SpecialName::kInvalid:
      throw Error(ErrorKind::kInput, fmt::format("cannot resolve '{}': the .invalid domain never resolves (RFC 6761)", spec));
    case SpecialName::kNone:
      break;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(spec.c_str(), nullptr, &hints, &res);
  if (rc != 0) throw Error(ErrorKind::kInput, fmt::format("cannot resolve '{}': {}", spec, ::gai_strerror(rc)));
  std::set<std::string> seen;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    Address a = make_address(ai->ai_addr, ai->ai_addrlen, spec);
    if (seen.insert(a.text).second) out.push_back(std::move(a));
    if (first_address) break;
  }
  ::freeaddrinfo(res);
  return out;
}

// "host:port" / "[v6]:port" -> (host, port); plain hosts -> (host, nullopt).
std::pair<std::string, std::optional<std::uint16_t>> split_host_port(const std::string& spec) {
  if (!spec.empty() && spec[0] == '[') {
    auto close = spec.find(']');
    if (close == std::string::npos) throw Error(ErrorKind::kUsage, fmt::format("invalid target '{}': missing ']'", spec));
    std::string host = spec.substr(1, close - 1);
    if (close + 1 == spec.size()) return {host, std::nullopt};
    if (spec[close + 1] != ':') throw Error(ErrorKind::kUsage, fmt::format("invalid target '{}'", spec));
    auto port = parse_int(std::string_view(spec).substr(close + 2), 1, 65535);
    if (!port) throw Error(ErrorKind::kUsage, fmt::format("invalid port in '{}': 1-65535", spec));
    return {host, static_cast<std::uint16_t>(*port)};
  }
  auto colon = spec.rfind(':');
  if (colon == std::string::npos || spec.find(':') != colon) return {spec, std::nullopt};  // none, or IPv6
  auto port = parse_int(std::string_view(spec).substr(colon + 1), 1, 65535);
  if (!port) throw Error(ErrorKind::kUsage, fmt::format("invalid port in '{}': 1-65535", spec));
  return {spec.substr(0, colon), static_cast<std::uint16_t>(*port)};
}

}  // namespace

bool Address::operator<(const Address& o) const {
  if (addr.ss_family != o.addr.ss_family) return addr.ss_family < o.addr.ss_family;  // IPv4 first
  if (addr.ss_family == AF_INET) {
    return ntohl(reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr.s_addr) <
           ntohl(reinterpret_cast<const sockaddr_in*>(&o.addr)->sin_addr.s_addr);
  }
  return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr,
                     &reinterpret_cast<const sockaddr_in6*>(&o.addr)->sin6_addr, 16) < 0;
}

bool Address::operator==(const Address& o) const { return !(*this < o) && !(o < *this); }

const std::vector<std::uint16_t>& top_ports() { return kTopPorts; }

std::vector<std::uint16_t> parse_ports(std::string_view spec) {
  std::vector<std::uint16_t> out;
  if (spec == "-") {
    for (int p = 1; p <= 65535; ++p) out.push_back(static_cast<std::uint16_t>(p));
    return out;
  }
  std::vector<bool> seen(65536);
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    std::string_view item = spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto dash = item.find('-');
    std::optional<int> lo, hi;
    if (dash == std::string_view::npos) {
      lo = hi = parse_int(item, 1, 65535);
    } else {
      lo = dash == 0 ? std::optional<int>(1) : parse_int(item.substr(0, dash), 1, 65535);
      hi = dash + 1 == item.size() ? std::optional<int>(65535) : parse_int(item.substr(dash + 1), 1, 65535);
    }
    if (!lo || !hi || *hi < *lo) {
      throw Error(ErrorKind::kUsage, fmt::format("invalid port '{}': ports are 1-65535, ranges low-high", item));
    }
    for (int p = *lo; p <= *hi; ++p) {
      if (!seen[p]) out.push_back(static_cast<std::uint16_t>(p));
      seen[p] = true;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

TargetList expand_targets(const TargetOptions& o) {
  std::vector<std::uint16_t> ports;
  if (!o.ports.empty()) ports = parse_ports(o.ports);
  if (o.top_ports > 0) {
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(o.top_ports), kTopPorts.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (std::find(ports.begin(), ports.end(), kTopPorts[i]) == ports.end()) ports.push_back(kTopPorts[i]);
    }
  }
  std::set<std::string> excluded;
  for (const auto& e : o.exclude) {
    for (const auto& a : expand_host(split_host_port(e).first, false, o.max_targets)) excluded.insert(a.text);
  }
  TargetList out;
  for (const auto& spec : o.hosts) {
    auto [host, port] = split_host_port(spec);
    if (!port && ports.empty()) {
      throw Error(ErrorKind::kUsage, fmt::format("no port for '{}': give -p, --top-ports or host:port", spec));
    }
    auto addresses = expand_host(host, o.first_address, o.max_targets);
    // Exact size up front: growing a 65535-target vector would hold old and new copies at once.
    std::size_t per_address = port ? 1 : ports.size();
    out.reserve(std::min(o.max_targets + 1, out.size() + addresses.size() * per_address));
    for (auto& a : addresses) {
      if (excluded.contains(a.text)) continue;
      std::uint32_t address = out.add_address(std::move(a));
      auto add = [&](std::uint16_t p) {
        if (out.size() >= o.max_targets) {
          throw Error(ErrorKind::kUsage, fmt::format("more than --max-targets ({}) host:port pairs", o.max_targets));
        }
        out.add(address, p);
      };
      if (port) {
        add(*port);
      } else {
        for (auto p : ports) add(p);
      }
    }
  }
  return out;
}

TargetList inventory_targets(const Json& inventory, bool first_address) {
  const Json* list = &inventory;
  std::string base;
  if (inventory.is_object() && inventory.contains("services")) {
    list = &inventory["services"];
    base = "/services";
  }
  if (!list->is_array()) throw core::DataError(base, "an inventory is a list of services (or {services: [...]})");
  TargetList out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& s = (*list)[i];
    std::string at = fmt::format("{}/{}", base, i);
    if (!s.is_object()) throw core::DataError(at, "a service is a mapping");
    for (const auto& [k, v] : s.items()) {
      if (k != "name" && k != "host" && k != "port" && k != "ports" && k != "timeout_ms" && k != "expect") {
        throw core::DataError(fmt::format("{}/{}", at, k), fmt::format("unknown key '{}' (name, host, port, ports, timeout_ms, expect)", k), true);
      }
    }
    if (!s.contains("host") || !s["host"].is_string()) throw core::DataError(at, "host: a string is required");
    std::vector<std::uint16_t> ports;
    if (s.contains("port")) {
      const Json& p = s["port"];
      if (!p.is_number_integer() || p.get<long long>() < 1 || p.get<long long>() > 65535) {
        throw core::DataError(at + "/port", "port: 1-65535");
      }
      ports.push_back(static_cast<std::uint16_t>(p.get<int>()));
    }
    if (s.contains("ports")) {
      const Json& p = s["ports"];
      if (p.is_string()) {
        std::vector<std::uint16_t> more;
        try {
          more = parse_ports(p.get<std::string>());
        } catch (const Error& e) {
          throw core::DataError(at + "/ports", e.what());
        }
        ports.insert(ports.end(), more.begin(), more.end());
      } else if (p.is_array()) {
        for (std::size_t j = 0; j < p.size(); ++j) {
          if (!p[j].is_number_integer() || p[j].get<long long>() < 1 || p[j].get<long long>() > 65535) {
            throw core::DataError(fmt::format("{}/ports/{}", at, j), "port: 1-65535");
          }
          ports.push_back(static_cast<std::uint16_t>(p[j].get<int>()));
        }
      } else {
        throw core::DataError(at + "/ports", "ports: a list or \"22,80-90\"");
      }
    }
    if (ports.empty()) throw core::DataError(at, "port or ports required");
    int timeout = 0;
    if (s.contains("timeout_ms")) {
      if (!s["timeout_ms"].is_number_integer() || s["timeout_ms"].get<long long>() <= 0) {
        throw core::DataError(at + "/timeout_ms", "timeout_ms: a positive integer");
      }
      timeout = s["timeout_ms"].get<int>();
    }
    std::string name = s.contains("name") && s["name"].is_string() ? s["name"].get<std::string>() : s["host"].get<std::string>();
    std::string expect = s.contains("expect") && s["expect"].is_string() ? s["expect"].get<std::string>() : "";
    std::uint16_t service = out.add_service(Service{name, expect, timeout});
    for (auto& a : expand_host(s["host"].get<std::string>(), first_address, 65536)) {
      std::uint32_t address = out.add_address(std::move(a));
      for (auto p : ports) out.add(address, p, service);
    }
  }
  return out;
}

std::uint32_t TargetList::add_address(Address a) {
  addresses_.push_back(std::move(a));
  return static_cast<std::uint32_t>(addresses_.size() - 1);
}

std::uint16_t TargetList::add_service(Service s) {
  if (services_.size() >= 65535) throw Error(ErrorKind::kUsage, "more than 65535 services in the inventories");
  services_.push_back(std::move(s));
  return static_cast<std::uint16_t>(services_.size());
}

void TargetList::append(TargetList&& more) {
  if (targets_.empty()) {
    *this = std::move(more);
    return;
  }
  auto address_base = static_cast<std::uint32_t>(addresses_.size());
  if (services_.size() + more.services_.size() > 65535) {
    throw Error(ErrorKind::kUsage, "more than 65535 services in the inventories");
  }
  auto service_base = static_cast<std::uint16_t>(services_.size());
  std::move(more.addresses_.begin(), more.addresses_.end(), std::back_inserter(addresses_));
  std::move(more.services_.begin(), more.services_.end(), std::back_inserter(services_));
  targets_.reserve(targets_.size() + more.targets_.size());
  for (const Target& t : more.targets_) {
    auto service = static_cast<std::uint16_t>(t.service == 0 ? 0 : t.service + service_base);
    targets_.push_back(Target{t.address + address_base, t.port, service});
  }
}

}  // namespace obscore::netscan
