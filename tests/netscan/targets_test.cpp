#include <gtest/gtest.h>

#include "obscore/core/error.hpp"
#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {
namespace {

std::vector<std::string> expand(std::vector<std::string> hosts, std::string ports, std::vector<std::string> exclude = {},
                                std::size_t max = 1'000'000) {
  TargetOptions o;
  o.hosts = std::move(hosts);
  o.ports = std::move(ports);
  o.exclude = std::move(exclude);
  o.max_targets = max;
  std::vector<std::string> out;
  TargetList t = expand_targets(o);
  for (std::size_t i = 0; i < t.size(); ++i) out.push_back(t.address(i).text + "/" + std::to_string(t.port(i)));
  return out;
}

core::ErrorKind error_kind(std::vector<std::string> hosts, std::string ports, std::size_t max = 1'000'000) {
  try {
    expand(std::move(hosts), std::move(ports), {}, max);
  } catch (const core::Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no error";
  return core::ErrorKind::kInternal;
}

TEST(Targets, Ports) {
  EXPECT_EQ(parse_ports("22,80,8000-8002"), (std::vector<std::uint16_t>{22, 80, 8000, 8001, 8002}));
  EXPECT_EQ(parse_ports("80,80,79-80"), (std::vector<std::uint16_t>{80, 79}));
  EXPECT_EQ(parse_ports("-").size(), 65535u);
  EXPECT_EQ(parse_ports("65530-").size(), 6u);
  for (const char* bad : {"0", "65536", "80-70", "x", "", "1,,2", "-1-5"}) {
    EXPECT_THROW(parse_ports(bad), core::Error) << bad;
  }
  EXPECT_EQ(top_ports().front(), 80);
}

TEST(Targets, LiteralsCidrRangesAndPairs) {
  EXPECT_EQ(expand({"10.0.0.0/30"}, "22"),
            (std::vector<std::string>{"10.0.0.0/22", "10.0.0.1/22", "10.0.0.2/22", "10.0.0.3/22"}));
  EXPECT_EQ(expand({"10.0.0.5/31"}, "1"), (std::vector<std::string>{"10.0.0.4/1", "10.0.0.5/1"}));
  EXPECT_EQ(expand({"192.168.1.250-252"}, "80"),
            (std::vector<std::string>{"192.168.1.250/80", "192.168.1.251/80", "192.168.1.252/80"}));
  EXPECT_EQ(expand({"10.0.0.255-10.0.1.0"}, "80"), (std::vector<std::string>{"10.0.0.255/80", "10.0.1.0/80"}));
  EXPECT_EQ(expand({"::1", "[::1]:8080", "127.0.0.1:22"}, "443"),
            (std::vector<std::string>{"::1/443", "::1/8080", "127.0.0.1/22"}));
  EXPECT_EQ(expand({"fe80::/126"}, "22").size(), 4u);
  EXPECT_EQ(expand({"10.0.0.0/30"}, "1", {"10.0.0.1", "10.0.0.2/32"}),
            (std::vector<std::string>{"10.0.0.0/1", "10.0.0.3/1"}));
}

TEST(Targets, LoopbackNamesNeedNoResolver) {
  // RFC 6761 6.3: answered without /etc/hosts or DNS, both families, any case, a final dot allowed.
  EXPECT_EQ(expand({"localhost:22"}, ""), (std::vector<std::string>{"127.0.0.1/22", "::1/22"}));
  EXPECT_EQ(expand({"LocalHost."}, "80"), (std::vector<std::string>{"127.0.0.1/80", "::1/80"}));
  EXPECT_EQ(expand({"api.dev.localhost:8080"}, ""), (std::vector<std::string>{"127.0.0.1/8080", "::1/8080"}));
  EXPECT_EQ(error_kind({"notlocalhost.invalid"}, "22"), core::ErrorKind::kInput);
  EXPECT_EQ(error_kind({"x.INVALID."}, "22"), core::ErrorKind::kInput);
}

TEST(Targets, BadTargetsAreClearErrors) {
  EXPECT_EQ(error_kind({"10.0.0.0/33"}, "22"), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"10.0.0.9-3"}, "22"), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"127.0.0.1:0"}, ""), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"127.0.0.1:70000"}, ""), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"127.0.0.1"}, ""), core::ErrorKind::kUsage);  // no port
  EXPECT_EQ(error_kind({"10.0.0.0/16"}, "22", 1000), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"10.0.0.0/24"}, "1-10", 1000), core::ErrorKind::kUsage);
  EXPECT_EQ(error_kind({"no-such-host.invalid"}, "22"), core::ErrorKind::kInput);
}

TEST(Targets, Inventory) {
  Json inv = Json::parse(R"({"services": [
    {"name": "api", "host": "127.0.0.1", "port": 8080, "expect": "^HTTP/1\\.[01] 200", "timeout_ms": 500},
    {"name": "db", "host": "::1", "ports": [5432, 5433]},
    {"host": "127.0.0.1", "ports": "6379-6380"}]})");
  auto t = inventory_targets(inv, false);
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t.service(0)->name, "api");
  EXPECT_EQ(t.service(0)->timeout_ms, 500);
  EXPECT_EQ(t.service(0)->expect, "^HTTP/1\\.[01] 200");
  EXPECT_EQ(t.address(2).text, "::1");
  EXPECT_EQ(t.service(4)->name, "127.0.0.1");
  EXPECT_EQ(t.service(3), t.service(4));  // one service entry, shared by its ports
  EXPECT_TRUE(t.same_address(1, 2));
  // Appending rebases the second list's indices.
  TargetOptions o;
  o.hosts = {"127.0.0.2"};
  o.ports = "22";
  TargetList more = expand_targets(o);
  t.append(std::move(more));
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t.address(5).text, "127.0.0.2");
  EXPECT_EQ(t.service(5), nullptr);
  EXPECT_EQ(t.service(0)->name, "api");
  for (const char* bad : {R"({"services": [{"name": "x", "port": 1}]})", R"([{"host": "h", "port": 0}])",
                          R"([{"host": "127.0.0.1"}])", R"([{"host": "127.0.0.1", "port": 1, "color": "red"}])",
                          R"("not a list")", R"([{"host": "127.0.0.1", "port": 1, "timeout_ms": -5}])"}) {
    EXPECT_THROW(inventory_targets(Json::parse(bad), false), core::DataError) << bad;
  }
}

TEST(Service, GuessesFromWhatCameBack) {
  EXPECT_EQ(guess_service("SSH-2.0-OpenSSH_9.2", 2222), "ssh");
  EXPECT_EQ(guess_service("HTTP/1.1 404 Not Found\r\n", 9), "http");
  EXPECT_EQ(guess_service("220 mx ESMTP Postfix\r\n", 2525), "smtp");
  EXPECT_EQ(guess_service("220 (vsFTPd 3.0.3)\r\n", 2121), "ftp");
  EXPECT_EQ(guess_service("+PONG\r\n", 7000), "redis");
  EXPECT_EQ(guess_service("-ERR unknown command 'GET'\r\n", 7000), "redis");
  EXPECT_EQ(guess_service(std::string("\x16\x03\x03\x00\x2a\x02", 6), 8443), "tls");
  static constexpr char kMysql[] = "\x4a\x00\x00\x00\x0a" "8.0.36\0....mysql_native_password";
  EXPECT_EQ(guess_service(std::string(kMysql, sizeof kMysql - 1), 3306), "mysql");
  static constexpr char kPostgres[] = "E\0\0\0\x5bSFATAL\0VFATAL\0C0A000\0Munsupported frontend protocol 1234.5678";
  EXPECT_EQ(guess_service(std::string(kPostgres, sizeof kPostgres - 1), 5432), "postgresql");
  EXPECT_EQ(guess_service("", 22), "");
  EXPECT_EQ(guess_service("hello", 1), "unknown");
}

}  // namespace
}  // namespace obscore::netscan
