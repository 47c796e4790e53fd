// Service identification on canned replies written here from the protocol specifications (the
// shapes real servers send), every probe's payload checked against its own framing, and every
// prefix of every reply read without a crash (a server may stop anywhere).
#include <gtest/gtest.h>

#include <set>

#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}
std::string le32(std::uint32_t v) { return bytes({int(v & 0xff), int((v >> 8) & 0xff), int((v >> 16) & 0xff), int(v >> 24)}); }
std::string be32(std::uint32_t v) { return bytes({int(v >> 24), int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)}); }

// A BER element with a short or long definite length.
std::string ber(int tag, const std::string& content) {
  std::string s(1, static_cast<char>(tag));
  if (content.size() < 128) {
    s += static_cast<char>(content.size());
  } else {
    s += bytes({0x82, int(content.size() >> 8), int(content.size() & 0xff)});
  }
  return s + content;
}
std::string ldap_entry(const std::vector<std::pair<std::string, std::vector<std::string>>>& attrs) {
  std::string list;
  for (const auto& [name, values] : attrs) {
    std::string set;
    for (const auto& v : values) set += ber(0x04, v);
    list += ber(0x30, ber(0x04, name) + ber(0x31, set));
  }
  std::string entry = ber(0x30, ber(0x02, "\x02") + ber(0x64, ber(0x04, "") + ber(0x30, list)));
  return entry + ber(0x30, ber(0x02, "\x02") + ber(0x65, bytes({0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00})));
}

struct Case {
  const char* what;
  ProbeId probe;
  std::string reply;
  std::string service, product, version;
  int next = -1;
};

std::string mysql_greeting(const std::string& version) {
  std::string body = "\x0a" + version + std::string("\0", 1) + le32(42) + "abcdefgh" + std::string("\0", 1) +
                     bytes({0xff, 0xf7, 0x2d, 0x02, 0x00, 0xff, 0x81, 0x15}) + std::string(10, '\0') + "ijklmnopqrst" +
                     std::string("\0", 1) + "mysql_native_password" + std::string("\0", 1);
  return bytes({int(body.size() & 0xff), int(body.size() >> 8), 0, 0}) + body;
}

std::string bson_doc(const std::string& elements) { return le32(static_cast<std::uint32_t>(elements.size() + 5)) + elements + std::string("\0", 1); }
std::string bson_string(const std::string& key, const std::string& v) {
  return "\x02" + key + std::string("\0", 1) + le32(static_cast<std::uint32_t>(v.size() + 1)) + v + std::string("\0", 1);
}
std::string bson_int(const std::string& key, std::uint32_t v) { return "\x10" + key + std::string("\0", 1) + le32(v); }
std::string op_msg_reply(std::uint32_t response_to, const std::string& doc) {
  std::string body = le32(0) + std::string("\0", 1) + doc;
  return le32(static_cast<std::uint32_t>(16 + body.size())) + le32(7) + le32(response_to) + le32(2013) + body;
}
std::uint32_t request_id(ProbeId p) {
  std::string_view m = probe_payload(p);
  return static_cast<unsigned char>(m[4]) | (static_cast<unsigned char>(m[5]) << 8) |
         (static_cast<unsigned char>(m[6]) << 16) | (static_cast<std::uint32_t>(static_cast<unsigned char>(m[7])) << 24);
}

std::vector<Case> cases() {
  std::string redis_info = "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\nos:Linux\r\n";
  std::string pg_error = std::string("E") + be32(0) + std::string("SFATAL\0VFATAL\0C28000\0Mno pg_hba.conf entry for host \"127.0.0.1\"\0Fauth.c\0L543\0RClientAuthentication\0\0", 86);
  auto pg_len = static_cast<std::uint32_t>(pg_error.size() - 1);
  pg_error.replace(1, 4, be32(pg_len));
  std::string sasl = std::string("R") + be32(23) + be32(10) + std::string("SCRAM-SHA-256\0\0", 15);
  std::string amqp_props = std::string("\x07product") + "S" + be32(8) + "RabbitMQ" + std::string("\x07version") + "S" + be32(6) + "3.12.1";
  std::string amqp_args = bytes({0, 0x0a, 0, 0x0a, 0, 9}) + be32(static_cast<std::uint32_t>(amqp_props.size())) + amqp_props +
                          be32(5) + "PLAIN" + be32(5) + "en_US";
  std::string amqp = bytes({1, 0, 0}) + be32(static_cast<std::uint32_t>(amqp_args.size())) + amqp_args + bytes({0xce});
  std::string smb_body = bytes({0x41, 0x00, 0x01, 0x00, 0x10, 0x02}) + std::string(58, '\0');
  std::string smb = std::string("\xfeSMB", 4) + bytes({64, 0}) + std::string(58, '\0') + smb_body;
  smb = bytes({0, 0, 0, int(smb.size())}) + smb;
  std::string dns_answer = bytes({0x4f, 0x53, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0}) + std::string("\x07version\x04" "bind\x00", 14) +
                           bytes({0, 16, 0, 3}) + bytes({0xc0, 0x0c, 0, 16, 0, 3, 0, 0, 0, 0, 0, 17, 16}) + "9.18.24-1-Debian";
  std::string dns = bytes({0, int(dns_answer.size())}) + dns_answer;
  std::string hello = op_msg_reply(request_id(kProbeMongo), bson_doc("\x08isWritablePrimary" + std::string("\0\x01", 2) +
                                                                     bson_int("maxWireVersion", 21)));
  std::string build = op_msg_reply(request_id(kProbeMongoBuildInfo), bson_doc(bson_string("version", "7.0.5") +
                                                                              bson_int("ok", 1)));
  // A ServerHello choosing TLS 1.3 through supported_versions (RFC 8446 4.1.3).
  std::string sh_body = bytes({0x03, 0x03}) + std::string(32, '\x11') + bytes({0}) + bytes({0x13, 0x01, 0x00}) +
                        bytes({0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04});
  std::string sh = bytes({0x02, 0, 0, int(sh_body.size())}) + sh_body;
  std::string tls = bytes({0x16, 0x03, 0x03, 0, int(sh.size())}) + sh;
  return {
      {"openssh", kProbeNull, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh", "OpenSSH", "9.2p1"},
      {"dropbear", kProbeNull, "SSH-2.0-dropbear_2022.83\r\n", "ssh", "Dropbear sshd", "2022.83"},
      {"vsftpd", kProbeNull, "220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3"},
      {"vsftpd-oops", kProbeNull, "500 OOPS: vsftpd: both local and anonymous access disabled!\r\n", "ftp", "vsftpd", ""},
      {"proftpd-multiline", kProbeNull, "220-Welcome\r\n220 ProFTPD 1.3.8 Server (Debian) [127.0.0.1]\r\n", "ftp", "ProFTPD", "1.3.8"},
      {"postfix", kProbeNull, "220 mx.example.test ESMTP Postfix (Debian/GNU)\r\n", "smtp", "Postfix smtpd", ""},
      {"exim", kProbeNull, "220 mx.example.test ESMTP Exim 4.96 Sun, 06 Dec 2026 10:00:00 +0000\r\n", "smtp", "Exim smtpd", "4.96"},
      {"bare-220", kProbeNull, "220 ready\r\n", "ftp-or-smtp", "", "", kProbeSmtpEhlo},
      {"ehlo-250", kProbeSmtpEhlo, "250-mx.example.test\r\n250 PIPELINING\r\n", "smtp", "", ""},
      {"ehlo-500", kProbeSmtpEhlo, "500 Unknown command.\r\n", "ftp", "", ""},
      {"dovecot-pop3", kProbeNull, "+OK Dovecot (Debian) ready.\r\n", "pop3", "Dovecot", ""},
      {"dovecot-imap", kProbeNull, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE] Dovecot (Debian) ready.\r\n", "imap", "Dovecot", ""},
      {"nginx", kProbeHttp, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 3\r\n\r\nok\n", "http", "nginx", "1.22.1"},
      {"apache", kProbeHttp, "HTTP/1.1 403 Forbidden\r\nserver: Apache/2.4.57 (Debian)\r\n\r\n", "http", "Apache httpd", "2.4.57"},
      {"http-no-server", kProbeHttp, "HTTP/1.0 404 Not Found\r\n\r\n", "http", "", ""},
      {"http-to-https", kProbeHttp, "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n<html>The plain HTTP request was sent to HTTPS port</html>", "http", "nginx", "", kProbeTls},
      {"tls13", kProbeTls, tls, "tls", "", "", kProbeTlsHttp},
      {"tls-alert", kProbeTls, bytes({0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}), "tls", "", "", kProbeTlsHttp},
      {"redis-info", kProbeRedis, "$" + std::to_string(redis_info.size()) + "\r\n" + redis_info + "\r\n", "redis", "Redis", "7.2.4"},
      {"redis-noauth", kProbeRedis, "-NOAUTH Authentication required.\r\n", "redis", "Redis", ""},
      {"redis-to-http", kProbeHttp, "-ERR wrong number of arguments for 'get' command\r\n", "redis", "Redis", "", kProbeRedis},
      {"memcached", kProbeMemcached, "VERSION 1.6.18\r\n", "memcached", "memcached", "1.6.18"},
      {"memcached-to-http", kProbeHttp, "END\r\nERROR\r\n", "memcached", "", "", kProbeMemcached},
      {"pg-sslrequest", kProbePostgres, "N", "postgresql", "", "", kProbePostgresStartup},
      {"pg-sasl", kProbePostgresStartup, sasl, "postgresql", "PostgreSQL", "10 or later"},
      {"pg-hba", kProbePostgresStartup, pg_error, "postgresql", "PostgreSQL", ""},
      {"mysql", kProbeNull, mysql_greeting("8.0.36"), "mysql", "MySQL", "8.0.36"},
      {"mariadb", kProbeNull, mysql_greeting("5.5.5-10.11.6-MariaDB-0+deb12u1"), "mysql", "MariaDB", "10.11.6"},
      {"mysql-denied", kProbeNull, bytes({0x44, 0, 0, 0, 0xff, 0x6a, 0x04}) + "Host '127.0.0.1' is not allowed to connect to this MariaDB server",
       "mysql", "MariaDB", ""},
      {"mongodb-hello", kProbeMongo, hello, "mongodb", "MongoDB", "", kProbeMongoBuildInfo},
      {"mongodb-buildinfo", kProbeMongoBuildInfo, build, "mongodb", "MongoDB", "7.0.5"},
      {"rabbitmq", kProbeAmqp, amqp, "amqp", "RabbitMQ", "3.12.1"},
      {"amqp-header", kProbeAmqp, std::string("AMQP\x00\x00\x09\x01", 8), "amqp", "", ""},
      {"mqtt", kProbeMqtt, bytes({0x20, 0x02, 0x00, 0x00}), "mqtt", "", ""},
      {"ldap", kProbeLdap, bytes({0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00}), "ldap", "", "",
       kProbeLdapRootDse},
      {"openldap-rootdse", kProbeLdapRootDse, ldap_entry({{"objectClass", {"top", "OpenLDAProotDSE"}}}), "ldap", "OpenLDAP", ""},
      {"389ds-rootdse", kProbeLdapRootDse,
       ldap_entry({{"vendorName", {"389 Project"}}, {"vendorVersion", {"389-Directory/2.3.1 B2023.123.0000"}},
                   {"supportedLDAPVersion", {"3"}}}),
       "ldap", "389 Project", "2.3.1"},
      {"zookeeper", kProbeZookeeper, "Zookeeper version: 3.8.3-6ad6d364c7c0bcf0de452d54ebefa3058098ab56, built on 2023-10-05 10:34 UTC\nMode: standalone\nNode count: 5\n",
       "zookeeper", "Apache ZooKeeper", "3.8.3"},
      {"vnc", kProbeNull, "RFB 003.008\n", "vnc", "", ""},
      {"rdp", kProbeRdp, bytes({3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0, 0x02, 0x1f, 0x08, 0, 0x02, 0, 0, 0}), "rdp", "", ""},
      {"smb2", kProbeSmb, smb, "smb", "", ""},
      {"dns-bind", kProbeDns, dns, "dns", "ISC BIND", "9.18.24"},
  };
}

TEST(Identify, EveryProbeRecognisesItsReply) {
  for (const Case& c : cases()) {
    Recognition r = recognize(c.reply, c.probe, 40000);
    EXPECT_EQ(r.id.service, c.service) << c.what;
    EXPECT_EQ(r.id.product, c.product) << c.what;
    EXPECT_EQ(r.id.version, c.version) << c.what;
    EXPECT_EQ(r.next, c.next) << c.what;
    EXPECT_TRUE(r.complete) << c.what;
    EXPECT_GT(r.id.confidence, 0) << c.what;
  }
}

TEST(Identify, CutShortRepliesWaitForTheRest) {
  EXPECT_FALSE(recognize("HTTP/1.1 200 OK\r\nServer: ngi", kProbeHttp, 80).complete);
  EXPECT_FALSE(recognize("220-Welcome\r\n", kProbeNull, 21).complete);
  EXPECT_FALSE(recognize("SSH-2.0-OpenSSH_9", kProbeNull, 22).complete);
  EXPECT_FALSE(recognize("$200\r\n# Server\r\nredis_version:7.2.4\r\n", kProbeRedis, 6379).complete);
  EXPECT_FALSE(recognize("something else", kProbeNull, 1).complete);  // unrecognised: more may come
}

TEST(Identify, NeverByPortAlone) {
  // Services on ports that belong to others: the reply decides.
  EXPECT_EQ(recognize("SSH-2.0-OpenSSH_9.2p1\r\n", kProbeNull, 80).id.service, "ssh");
  EXPECT_EQ(recognize("HTTP/1.1 200 OK\r\n\r\n", kProbeHttp, 22).id.service, "http");
  EXPECT_EQ(recognize("VERSION 1.6.18\r\n", kProbeMemcached, 6379).id.service, "memcached");
  // The port only breaks the tie of a bare 220 greeting.
  EXPECT_EQ(recognize("220 ready\r\n", kProbeNull, 21).id.service, "ftp");
  EXPECT_EQ(recognize("220 ready\r\n", kProbeNull, 25).id.service, "smtp");
  // Binary replies count only as the answer to their own probe.
  EXPECT_EQ(recognize(bytes({0x20, 0x02, 0x00, 0x00}), kProbeNull, 1883).id.service, "");
  EXPECT_EQ(recognize("N", kProbeNull, 5432).id.service, "");
}

TEST(Identify, EveryPrefixIsReadSafely) {
  for (const Case& c : cases()) {
    for (std::size_t n = 0; n <= c.reply.size(); ++n) {
      for (int p = 0; p < kProbeCount; ++p) {
        Recognition r = recognize(std::string_view(c.reply).substr(0, n), static_cast<ProbeId>(p), 1);
        EXPECT_LE(r.id.service.size(), 64u);
      }
    }
  }
  std::string junk;
  for (int k = 0; k < 4096; ++k) junk += static_cast<char>((k * 131 + 7) & 0xff);
  for (int p = 0; p < kProbeCount; ++p) recognize(junk, static_cast<ProbeId>(p), 1);
}

std::uint32_t be(std::string_view s, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int k = 0; k < n; ++k) v = (v << 8) | static_cast<unsigned char>(s[at + k]);
  return v;
}
std::uint32_t le(std::string_view s, std::size_t at) {
  return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8) |
         (static_cast<unsigned char>(s[at + 2]) << 16) | (static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24);
}

TEST(Identify, ProbePayloadsAreWellFramed) {
  std::string_view tls = probe_payload(kProbeTls);
  EXPECT_EQ(tls[0], 0x16);
  EXPECT_EQ(be(tls, 3, 2), tls.size() - 5);      // record length
  EXPECT_EQ(tls[5], 0x01);                       // ClientHello
  EXPECT_EQ(be(tls, 6, 3), tls.size() - 9);      // handshake length
  std::string_view ssl = probe_payload(kProbePostgres);
  EXPECT_EQ(ssl.size(), 8u);
  EXPECT_EQ(be(ssl, 4, 4), 80877103u);
  std::string_view startup = probe_payload(kProbePostgresStartup);
  EXPECT_EQ(be(startup, 0, 4), startup.size());
  EXPECT_EQ(be(startup, 4, 4), 196608u);
  for (ProbeId p : {kProbeMongo, kProbeMongoBuildInfo}) {
    std::string_view m = probe_payload(p);
    EXPECT_EQ(le(m, 0), m.size());
    EXPECT_EQ(le(m, 12), 2013u);
    EXPECT_EQ(le(m, 21), m.size() - 21);  // the BSON body's own length
  }
  std::string_view smb = probe_payload(kProbeSmb);
  EXPECT_EQ(be(smb, 1, 3), smb.size() - 4);
  EXPECT_EQ(smb.substr(4, 4), std::string_view("\xfeSMB", 4));
  std::string_view dns = probe_payload(kProbeDns);
  EXPECT_EQ(be(dns, 0, 2), dns.size() - 2);
  std::string_view mqtt = probe_payload(kProbeMqtt);
  EXPECT_EQ(static_cast<std::size_t>(mqtt[1]), mqtt.size() - 2);
  std::string_view ldap = probe_payload(kProbeLdap);
  EXPECT_EQ(static_cast<std::size_t>(ldap[1]), ldap.size() - 2);
  std::string_view rdp = probe_payload(kProbeRdp);
  EXPECT_EQ(be(rdp, 2, 2), rdp.size());
  EXPECT_EQ(static_cast<std::size_t>(rdp[4]), rdp.size() - 5);
}

TEST(Identify, PlanStartsWithTheGreetingAndTriesEachProbeOnce) {
  for (int p : {1, 22, 80, 443, 5432, 6379, 11211, 27017, 40000}) {
    const auto port = static_cast<std::uint16_t>(p);
    std::vector<ProbeId> plan = probe_plan(port);
    ASSERT_FALSE(plan.empty());
    EXPECT_EQ(plan[0], kProbeNull);
    EXPECT_EQ(std::set<ProbeId>(plan.begin(), plan.end()).size(), plan.size());
    EXPECT_EQ(plan.size(), static_cast<std::size_t>(kProbeZookeeper) + 1);  // follow-ups are not in the plan
  }
  EXPECT_EQ(probe_plan(5432)[1], kProbePostgres);  // the port's own service first: a tie-breaker for order
  EXPECT_EQ(probe_plan(40000)[1], kProbeHttp);
  EXPECT_EQ(std::string(probe_name(kProbeNull)), "banner");
}

}  // namespace
}  // namespace obscore::netscan
