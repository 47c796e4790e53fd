// Service identification: the probes (their bytes written from each protocol's specification)
// and the recognisers that read a reply. A reply is judged by its shape, never by the port: the
// port only orders the probes (a service's own probe first) and breaks the one tie that text
// cannot (a bare "220" greeting that also stays silent to EHLO).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "obscore/netscan/netscan.hpp"

namespace obscore::netscan {

namespace {

// ---- byte helpers ---------------------------------------------------------------------------

std::uint32_t be16(std::string_view b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) | static_cast<unsigned char>(b[at + 1]);
}
std::uint32_t be32(std::string_view b, std::size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }
std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8);
}
std::uint32_t le32(std::string_view b, std::size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }
unsigned char byte(std::string_view b, std::size_t at) { return static_cast<unsigned char>(b[at]); }

void put_be16(std::string& s, std::uint32_t v) {
  s += static_cast<char>((v >> 8) & 0xff);
  s += static_cast<char>(v & 0xff);
}
void put_be32(std::string& s, std::uint32_t v) {
  put_be16(s, v >> 16);
  put_be16(s, v & 0xffff);
}
void put_le32(std::string& s, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) s += static_cast<char>((v >> (8 * k)) & 0xff);
}
void put_le16(std::string& s, std::uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}

bool starts(std::string_view b, std::string_view p) { return b.substr(0, p.size()) == p; }
bool has(std::string_view b, std::string_view p) { return b.find(p) != std::string_view::npos; }

bool ifind(std::string_view hay, std::string_view needle, std::size_t* at = nullptr) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(hay[i + k])) ==
                                    std::tolower(static_cast<unsigned char>(needle[k]))) {
      ++k;
    }
    if (k == needle.size()) {
      if (at) *at = i;
      return true;
    }
  }
  return false;
}

bool printable_text(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7f;
  });
}

// A version token at `at` or just after separators: 9.2p1, 1.22.1, 2022.83, 3.0.3. Empty when
// none (a number needs a dot, so "Server 220" gives nothing).
std::string version_at(std::string_view s, std::size_t at) {
  while (at < s.size() && (s[at] == ' ' || s[at] == '/' || s[at] == '_' || s[at] == '-' || s[at] == ':' ||
                           ((s[at] == 'v' || s[at] == 'V') && at + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[at + 1]))))) {
    ++at;
  }
  std::size_t end = at;
  while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '.' || s[end] == '+' || s[end] == '~')) {
    ++end;
  }
  std::string_view v = s.substr(at, end - at);
  while (!v.empty() && (v.back() == '.' || v.back() == '+' || v.back() == '~')) v.remove_suffix(1);
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0])) || !has(v, ".")) return {};
  return std::string(v);
}

std::string first_line(std::string_view b) {
  std::size_t nl = b.find_first_of("\r\n");
  return std::string(b.substr(0, nl));
}

// Products that name themselves in greetings, with the service they serve.
struct Known {
  std::string_view needle;   // as the server writes it (case-insensitive)
  std::string_view product;  // as reported
  std::string_view service;  // "" = whatever the greeting's protocol is
};
constexpr Known kKnown[] = {
    {"vsFTPd", "vsftpd", "ftp"},          {"ProFTPD", "ProFTPD", "ftp"},
    {"Pure-FTPd", "Pure-FTPd", "ftp"},    {"FileZilla Server", "FileZilla ftpd", "ftp"},
    {"Microsoft FTP Service", "Microsoft ftpd", "ftp"},
    {"Postfix", "Postfix smtpd", "smtp"}, {"Exim", "Exim smtpd", "smtp"},
    {"Sendmail", "Sendmail", "smtp"},     {"OpenSMTPD", "OpenSMTPD", "smtp"},
    {"Microsoft ESMTP", "Microsoft ESMTP", "smtp"},
    {"Dovecot", "Dovecot", ""},           {"Cyrus", "Cyrus", ""},
    {"Courier", "Courier", ""},
};

// The product a greeting names, its version when one follows the name.
bool known_product(std::string_view text, Identity& id) {
  for (const Known& k : kKnown) {
    std::size_t at = 0;
    if (!ifind(text, k.needle, &at)) continue;
    id.product = std::string(k.product);
    if (!k.service.empty()) id.service = std::string(k.service);
    id.version = version_at(text, at + k.needle.size());
    return true;
  }
  return false;
}

// A line protocol's reply is whole once its last line ends and, for numbered replies, that line
// is the final one of a multi-line reply ("220-..." lines go on until "220 ").
bool lines_complete(std::string_view b) {
  if (b.empty() || b.back() != '\n') return false;
  std::string_view body = b.substr(0, b.size() - 1);
  if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
  std::size_t start = body.rfind('\n');
  std::string_view last = body.substr(start == std::string_view::npos ? 0 : start + 1);
  if (last.size() >= 4 && std::isdigit(static_cast<unsigned char>(last[0])) &&
      std::isdigit(static_cast<unsigned char>(last[1])) && std::isdigit(static_cast<unsigned char>(last[2]))) {
    return last[3] != '-';
  }
  return true;
}

// ---- probe bytes, from the specifications -----------------------------------------------------

// TLS ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2): TLS 1.3 and 1.2 suites, supported_versions,
// supported_groups, signature_algorithms, ec_point_formats. A 1.3-only server answers with a
// HelloRetryRequest (itself a ServerHello: no key_share is offered), others with a ServerHello.
std::string client_hello() {
  std::string suites;
  for (std::uint32_t s : {0x1301u, 0x1302u, 0x1303u, 0xc02bu, 0xc02fu, 0xc02cu, 0xc030u, 0xcca9u, 0xcca8u, 0x009cu,
                          0x009du, 0x002fu, 0x0035u}) {
    put_be16(suites, s);
  }
  std::string ext;
  auto extension = [&](std::uint32_t type, const std::string& body) {
    put_be16(ext, type);
    put_be16(ext, static_cast<std::uint32_t>(body.size()));
    ext += body;
  };
  std::string versions("\x04\x03\x04\x03\x03", 5);  // 1.3, 1.2
  extension(0x002b, versions);
  std::string groups;
  put_be16(groups, 8);
  for (std::uint32_t g : {0x001du, 0x0017u, 0x0018u, 0x0019u}) put_be16(groups, g);
  extension(0x000a, groups);
  std::string sigs;
  put_be16(sigs, 16);
  for (std::uint32_t a : {0x0403u, 0x0804u, 0x0401u, 0x0503u, 0x0805u, 0x0501u, 0x0806u, 0x0601u}) put_be16(sigs, a);
  extension(0x000d, sigs);
  extension(0x000b, std::string("\x01\x00", 2));  // ec_point_formats: uncompressed
  // key_share: one X25519 share (RFC 7748 accepts any 32 bytes as a public value; no handshake
  // is finished with it, the ServerHello is all this probe reads).
  std::string share;
  put_be16(share, 36);
  put_be16(share, 0x001d);
  put_be16(share, 32);
  for (int k = 0; k < 32; ++k) share += static_cast<char>(0x21 + k * 7);
  extension(0x0033, share);
  std::string hello;
  put_be16(hello, 0x0303);                           // legacy_version TLS 1.2
  for (int k = 0; k < 32; ++k) hello += static_cast<char>(0x4f ^ (k * 29));  // random
  hello += '\0';                                     // no session id
  put_be16(hello, static_cast<std::uint32_t>(suites.size()));
  hello += suites;
  hello += std::string("\x01\x00", 2);               // compression: null
  put_be16(hello, static_cast<std::uint32_t>(ext.size()));
  hello += ext;
  std::string hs;
  hs += '\x01';  // client_hello
  hs += static_cast<char>((hello.size() >> 16) & 0xff);
  put_be16(hs, static_cast<std::uint32_t>(hello.size() & 0xffff));
  hs += hello;
  std::string rec("\x16\x03\x01", 3);
  put_be16(rec, static_cast<std::uint32_t>(hs.size()));
  return rec + hs;
}

// PostgreSQL frontend/backend protocol 3.0: SSLRequest, then a StartupMessage.
std::string pg_ssl_request() {
  std::string s;
  put_be32(s, 8);
  put_be32(s, 80877103);
  return s;
}
std::string pg_startup() {
  std::string params;
  for (std::string_view p : {"user", "obscore", "database", "obscore", "application_name", "obscore"}) {
    params += p;
    params += '\0';
  }
  params += '\0';
  std::string s;
  put_be32(s, static_cast<std::uint32_t>(8 + params.size()));
  put_be32(s, 196608);  // 3.0
  return s + params;
}

// MongoDB OP_MSG (opCode 2013) with one body section holding {<command>: 1, $db: "admin"}.
constexpr std::uint32_t kMongoRequestId = 0x4f425343;  // "OBSC"
std::string mongo_command(std::string_view command) {
  std::string doc;
  doc += '\x10';  // int32
  doc += command;
  doc += '\0';
  put_le32(doc, 1);
  doc += '\x02';  // string
  doc += "$db";
  doc += '\0';
  put_le32(doc, 6);
  doc += "admin";
  doc += '\0';
  doc += '\0';
  std::string bson;
  put_le32(bson, static_cast<std::uint32_t>(doc.size() + 4));
  bson += doc;
  std::string msg;
  put_le32(msg, static_cast<std::uint32_t>(16 + 4 + 1 + bson.size()));
  put_le32(msg, kMongoRequestId);
  put_le32(msg, 0);
  put_le32(msg, 2013);
  put_le32(msg, 0);  // flagBits
  msg += '\0';       // section kind 0: body
  return msg + bson;
}

// SMB2 NEGOTIATE (MS-SMB2 2.2.3) in a NetBIOS session message: dialects 2.0.2, 2.1, 3.0.
std::string smb2_negotiate() {
  std::string m("\xfeSMB", 4);
  put_le16(m, 64);  // StructureSize
  put_le16(m, 0);   // CreditCharge
  put_le32(m, 0);   // Status
  put_le16(m, 0);   // Command: NEGOTIATE
  put_le16(m, 1);   // CreditRequest
  put_le32(m, 0);   // Flags
  put_le32(m, 0);   // NextCommand
  m.append(8, '\0');   // MessageId
  m.append(4, '\0');   // Reserved
  m.append(4, '\0');   // TreeId
  m.append(8, '\0');   // SessionId
  m.append(16, '\0');  // Signature
  put_le16(m, 36);  // StructureSize
  put_le16(m, 3);   // DialectCount
  put_le16(m, 1);   // SecurityMode: signing enabled
  put_le16(m, 0);
  put_le32(m, 0);   // Capabilities
  for (int k = 0; k < 16; ++k) m += static_cast<char>(0x30 + k);  // ClientGuid
  m.append(8, '\0');  // ClientStartTime
  for (std::uint32_t d : {0x0202u, 0x0210u, 0x0300u}) put_le16(m, d);
  std::string s("\x00", 1);
  s += static_cast<char>((m.size() >> 16) & 0xff);
  put_be16(s, static_cast<std::uint32_t>(m.size() & 0xffff));
  return s + m;
}

// DNS over TCP (RFC 1035 4.2.2, RFC 7766): "version.bind" TXT in class CHAOS, which name servers
// answer with their version (or refuse: the reply still names DNS).
constexpr std::uint32_t kDnsId = 0x4f53;
std::string dns_version_bind() {
  std::string q;
  put_be16(q, kDnsId);
  put_be16(q, 0x0000);  // standard query
  put_be16(q, 1);
  put_be16(q, 0);
  put_be16(q, 0);
  put_be16(q, 0);
  q += std::string("\x07version\x04" "bind\x00", 14);
  put_be16(q, 16);  // TXT
  put_be16(q, 3);   // CH
  std::string s;
  put_be16(s, static_cast<std::uint32_t>(q.size()));
  return s + q;
}

struct ProbeDef {
  const char* name;
  std::string payload;
  std::vector<std::uint16_t> ports;  // where this service usually listens: the tie-breaker
  bool in_plan;                      // false: only as another probe's follow-up
};

const std::array<ProbeDef, kProbeCount>& probe_table() {
  static const std::array<ProbeDef, kProbeCount> kTable = [] {
    std::array<ProbeDef, kProbeCount> t;
    t[kProbeNull] = {"banner", "", {}, true};
    t[kProbeHttp] = {"http", "GET / HTTP/1.0\r\n\r\n", {80, 8000, 8008, 8080, 8088, 8888}, true};
    t[kProbeTls] = {"tls", client_hello(), {443, 8443, 993, 995, 465, 636, 853, 990, 5986, 6443}, true};
    // RESP array: INFO server (the server section names redis_version).
    t[kProbeRedis] = {"redis-info", "*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n", {6379, 6380}, true};
    t[kProbeMemcached] = {"memcached-version", "version\r\n", {11211}, true};
    t[kProbePostgres] = {"postgresql-sslrequest", pg_ssl_request(), {5432, 5433}, true};
    t[kProbeMongo] = {"mongodb-hello", mongo_command("hello"), {27017, 27018, 27019}, true};
    // AMQP 0-9-1 protocol header (spec 4.2.2): the server answers Connection.Start or its own header.
    t[kProbeAmqp] = {"amqp", std::string("AMQP\x00\x00\x09\x01", 8), {5672}, true};
    // LDAPv3 anonymous simple BindRequest, messageID 1 (RFC 4511 4.2, BER).
    t[kProbeLdap] = {"ldap-bind", std::string("\x30\x0c\x02\x01\x01\x60\x07\x02\x01\x03\x04\x00\x80\x00", 14), {389, 3268}, true};
    // MQTT 3.1.1 CONNECT (3.1): protocol "MQTT" level 4, clean session, keep-alive 60, client id "obscore".
    t[kProbeMqtt] = {"mqtt-connect", std::string("\x10\x13\x00\x04MQTT\x04\x02\x00\x3c\x00\x07obscore", 21), {1883}, true};
    t[kProbeDns] = {"dns-version-bind", dns_version_bind(), {53}, true};
    t[kProbeSmb] = {"smb-negotiate", smb2_negotiate(), {445, 139}, true};
    // TPKT + X.224 Connection Request + RDP_NEG_REQ asking for TLS and CredSSP (MS-RDPBCGR 2.2.1.1).
    t[kProbeRdp] = {"rdp", std::string("\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00", 19), {3389}, true};
    // ZooKeeper's four-letter "srvr" (last: servers that wait for 8 bytes stay silent to 4).
    t[kProbeZookeeper] = {"zookeeper-srvr", "srvr", {2181}, true};
    t[kProbePostgresStartup] = {"postgresql-startup", pg_startup(), {}, false};
    t[kProbeMongoBuildInfo] = {"mongodb-buildinfo", mongo_command("buildInfo"), {}, false};
    t[kProbeSmtpEhlo] = {"smtp-ehlo", "EHLO obscore.invalid\r\n", {}, false};
    t[kProbeTlsHttp] = {"tls-http", "GET / HTTP/1.0\r\n\r\n", {}, false};
    // After the bind, on the same connection: a base-object search of the root DSE for all user
    // and operational attributes (RFC 4512 5.1), messageID 2: SearchRequest [APPLICATION 3] with
    // base "", scope base, no alias dereferencing, no limits, filter (objectClass=*), "*" and "+".
    t[kProbeLdapRootDse] = {"ldap-rootdse",
                            std::string("\x30\x2b\x02\x01\x02\x63\x26\x04\x00\x0a\x01\x00\x0a\x01\x00\x02\x01\x00"
                                        "\x02\x01\x00\x01\x01\x00\x87\x0b" "objectClass" "\x30\x06\x04\x01*\x04\x01+", 45),
                            {}, false};
    return t;
  }();
  return kTable;
}

// ---- recognisers ------------------------------------------------------------------------------

Recognition make(std::string_view service, std::uint8_t confidence) {
  Recognition r;
  r.id.service = std::string(service);
  r.id.confidence = confidence;
  return r;
}

// "nginx/1.22.1", "Apache/2.4.57 (Debian)", "Microsoft-IIS/10.0", "lighttpd/1.4.69".
void server_header(std::string_view value, Identity& id) {
  std::size_t end = value.find_first_of(" /");
  std::string name(value.substr(0, end));
  if (name.empty()) return;
  id.product = name == "Apache" ? "Apache httpd" : name;
  if (end != std::string_view::npos && value[end] == '/') id.version = version_at(value, end + 1);
  std::size_t open = value.find('(');
  std::size_t close = value.find(')', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos) id.info = std::string(value.substr(open + 1, close - open - 1));
}

bool http_reply(std::string_view b, Recognition& r) {
  if (!starts(b, "HTTP/1.") && !starts(b, "HTTP/2") && !starts(b, "HTTP/0.9")) return false;
  r = make("http", 90);
  std::size_t end = b.find("\r\n\r\n");
  if (end == std::string_view::npos) end = b.find("\n\n");
  r.complete = end != std::string_view::npos;
  std::string_view head = b.substr(0, end);
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 7 && ifind(line.substr(0, 7), "server:")) {
      std::string_view v = line.substr(7);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      server_header(v, r.id);
      r.id.confidence = 100;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  // A TLS port answering plain HTTP (nginx: "The plain HTTP request was sent to HTTPS port").
  if (ifind(b, "sent to HTTPS port") || ifind(b, "speaking plain HTTP to an SSL")) r.next = kProbeTls;
  return true;
}

bool ssh_greeting(std::string_view b, Recognition& r) {
  if (!starts(b, "SSH-")) return false;
  r = make("ssh", 100);
  r.complete = has(b, "\n");
  std::string line = first_line(b);
  // SSH-protoversion-softwareversion SP comments (RFC 4253 4.2)
  std::size_t dash = line.find('-', 4);
  if (dash == std::string::npos) return true;
  std::string proto = line.substr(4, dash - 4);
  std::string rest = line.substr(dash + 1);
  std::size_t sp = rest.find(' ');
  std::string software = rest.substr(0, sp);
  std::string comments = sp == std::string::npos ? "" : rest.substr(sp + 1);
  std::size_t us = software.find('_');
  if (us != std::string::npos) {
    r.id.product = software.substr(0, us);
    r.id.version = version_at(software, us + 1);
    if (r.id.version.empty()) r.id.version = software.substr(us + 1);
  } else {
    r.id.product = software;
  }
  if (r.id.product == "dropbear") r.id.product = "Dropbear sshd";
  r.id.info = comments.empty() ? "protocol " + proto : comments + "; protocol " + proto;
  return true;
}

// FTP, SMTP, POP3, IMAP greetings (and vsftpd's "500 OOPS: ..." when it cannot serve).
bool text_greeting(std::string_view b, std::uint16_t port, Recognition& r) {
  if (starts(b, "500 OOPS: ")) {
    r = make("ftp", 90);
    r.id.product = "vsftpd";  // vsftpd's own failure report (its die() prefix)
    r.id.info = first_line(b.substr(10));
    r.complete = lines_complete(b);
    return true;
  }
  if (starts(b, "+OK")) {
    r = make("pop3", 80);
    known_product(b, r.id);
    r.id.service = "pop3";
    r.complete = has(b, "\n");
    return true;
  }
  if (starts(b, "* OK") || starts(b, "* PREAUTH") || starts(b, "* BYE")) {
    r = make("imap", has(b, "IMAP") ? 95 : 75);
    known_product(b, r.id);
    r.id.service = "imap";
    r.complete = has(b, "\n");
    return true;
  }
  bool numbered = b.size() >= 4 && (starts(b, "220") || starts(b, "421") || starts(b, "554")) && (b[3] == ' ' || b[3] == '-');
  if (!numbered) return false;
  r.complete = lines_complete(b);
  std::string_view text = b;
  Identity id;
  bool named = known_product(text, id);
  std::string service = id.service;
  if (service.empty()) {
    if (has(text, "FTP") || has(text, "ftp")) service = "ftp";
    else if (has(text, "SMTP") || has(text, "smtp") || has(text, "Mail") || has(text, "mail")) service = "smtp";
  }
  if (service.empty()) {
    // A bare "220": EHLO on the same connection tells SMTP (250) from FTP (5xx).
    r = make(port == 21 ? "ftp" : port == 25 || port == 587 || port == 465 ? "smtp" : "ftp-or-smtp", 40);
    r.complete = lines_complete(b);
    r.next = kProbeSmtpEhlo;
    r.same_connection = true;
    return true;
  }
  r.id = id;
  r.id.service = service;
  r.id.confidence = named ? 100 : 80;
  return true;
}

// Replies in Redis's protocol (RESP): INFO's bulk string, errors, PONG.
bool redis_reply(std::string_view b, Recognition& r) {
  if (starts(b, "$") && has(b, "redis_version:")) {
    r = make("redis", 100);
    r.id.product = "Redis";
    std::size_t at = b.find("redis_version:");
    r.id.version = version_at(b, at + 14);
    if (std::size_t m = b.find("redis_mode:"); m != std::string_view::npos) {
      r.id.info = std::string(b.substr(m + 11, b.find_first_of("\r\n", m) - m - 11)) + " mode";
    }
    std::size_t nl = b.find("\r\n");
    long len = std::strtol(std::string(b.substr(1, nl - 1)).c_str(), nullptr, 10);
    r.complete = nl != std::string_view::npos && b.size() >= nl + 2 + static_cast<std::size_t>(std::max(0L, len)) + 2;
    return true;
  }
  if (starts(b, "-NOAUTH") || starts(b, "-DENIED Redis") || starts(b, "-WRONGPASS")) {
    r = make("redis", 95);
    r.id.product = "Redis";
    r.id.info = first_line(b.substr(1));
    r.complete = has(b, "\n");
    return true;
  }
  if (starts(b, "+PONG") || starts(b, "-ERR wrong number of arguments") || starts(b, "-ERR unknown command")) {
    r = make("redis", 75);
    r.id.product = "Redis";
    r.complete = has(b, "\n");
    r.next = kProbeRedis;  // INFO server names the version
    return true;
  }
  return false;
}

bool memcached_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (starts(b, "VERSION ")) {
    r = make("memcached", 100);
    r.id.product = "memcached";
    r.id.version = version_at(b, 8);
    r.complete = has(b, "\n");
    return true;
  }
  // memcached's text protocol reads "GET / HTTP/1.0" as a get of two keys, then an empty command.
  if (probe == kProbeHttp && (starts(b, "END\r\n") || b == "ERROR\r\n")) {
    r = make("memcached", 40);
    r.complete = has(b, "ERROR\r\n");
    r.next = kProbeMemcached;
    return true;
  }
  return false;
}

// MySQL/MariaDB: the server speaks first, a HandshakeV10 packet or an ERR packet.
bool mysql_greeting(std::string_view b, Recognition& r) {
  if (b.size() < 5 || byte(b, 3) != 0) return false;
  std::uint32_t len = le16(b, 0) | (static_cast<std::uint32_t>(byte(b, 2)) << 16);
  if (len < 5 || len > 4096) return false;
  if (byte(b, 4) == 0x0a) {
    std::size_t nul = b.find('\0', 5);
    if (nul == std::string_view::npos || nul == 5 || nul - 5 > 100) return false;
    std::string ver(b.substr(5, nul - 5));
    if (!printable_text(ver) || !std::isdigit(static_cast<unsigned char>(ver[0]))) return false;
    r = make("mysql", 100);
    r.complete = b.size() >= len + 4;
    // MariaDB prefixes "5.5.5-" for old clients' sake.
    std::string_view v = ver;
    if (starts(v, "5.5.5-") && has(v, "MariaDB")) v.remove_prefix(6);
    r.id.product = has(ver, "MariaDB") ? "MariaDB" : "MySQL";
    r.id.version = version_at(v, 0);
    if (r.id.version.empty()) r.id.version = std::string(v.substr(0, v.find('-')));
    r.id.info = ver;
    return true;
  }
  if (byte(b, 4) == 0xff && b.size() >= 7) {
    std::string_view msg = b.substr(7);
    if (starts(msg, "#")) msg.remove_prefix(std::min<std::size_t>(6, msg.size()));
    if (!ifind(msg, "mysql") && !ifind(msg, "mariadb") && !ifind(msg, "is not allowed to connect")) return false;
    r = make("mysql", 90);
    r.id.product = ifind(msg, "MariaDB") ? "MariaDB" : "MySQL";
    r.id.info = std::string(msg.substr(0, std::min<std::size_t>(msg.size(), len - 3)));
    r.complete = b.size() >= len + 4;
    return true;
  }
  return false;
}

// PostgreSQL backend messages: ErrorResponse 'E', AuthenticationXXX 'R', ParameterStatus 'S'.
bool postgres_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe == kProbePostgres && b.size() == 1 && (b[0] == 'S' || b[0] == 'N')) {
    r = make("postgresql", 50);  // one byte: the answer to SSLRequest, confirmed by a startup
    r.id.info = b[0] == 'S' ? "SSL supported" : "SSL not supported";
    r.next = kProbePostgresStartup;
    return true;
  }
  if (b.size() < 5 || (b[0] != 'E' && b[0] != 'R')) return false;
  std::uint32_t len = be32(b, 1);
  if (len < 4 || len > 65536) return false;
  if (b[0] == 'R') {
    if (probe != kProbePostgresStartup || len < 8 || b.size() < 9) return false;
    std::uint32_t code = be32(b, 5);
    if (code > 12) return false;
    r = make("postgresql", 90);
    r.id.product = "PostgreSQL";
    static constexpr const char* kAuth[] = {"trust", "", "kerberos", "password", "", "md5", "scm", "gss",
                                            "gss-continue", "sspi", "sasl", "sasl-continue", "sasl-final"};
    if (code < std::size(kAuth) && kAuth[code][0] != '\0') r.id.info = std::string("auth ") + kAuth[code];
    if (code == 10) {
      // AuthenticationSASL lists its mechanisms; SASL came with PostgreSQL 10, a lower bound.
      std::string mechs;
      std::size_t pos = 9, end = std::min<std::size_t>(b.size(), len + 1);
      while (pos < end && b[pos] != '\0') {
        std::size_t nul = b.find('\0', pos);
        if (nul == std::string_view::npos || nul > end) break;
        mechs += (mechs.empty() ? "" : " ") + std::string(b.substr(pos, nul - pos));
        pos = nul + 1;
      }
      if (!mechs.empty()) r.id.info = "auth " + mechs;
      r.id.version = "10 or later";
    }
    // After AuthenticationOk ('trust'), ParameterStatus messages carry server_version.
    std::size_t sv = b.find(std::string_view("server_version\0", 15));
    if (sv != std::string_view::npos) {
      r.id.version = version_at(b, sv + 15);
      r.id.confidence = 100;
    }
    r.complete = b.size() >= len + 1;
    return true;
  }
  // ErrorResponse: fields (type byte, C string), ending with a zero byte.
  std::string_view fields = b.substr(5, std::min<std::size_t>(b.size() - 5, len - 4));
  bool severity = false, code = false;
  std::string message;
  std::size_t pos = 0;
  while (pos < fields.size() && fields[pos] != '\0') {
    char type = fields[pos];
    std::size_t nul = fields.find('\0', pos + 1);
    std::string_view value = fields.substr(pos + 1, nul == std::string_view::npos ? std::string_view::npos : nul - pos - 1);
    if (type == 'S') severity = value == "FATAL" || value == "ERROR" || value == "PANIC";
    if (type == 'C') code = value.size() == 5;
    if (type == 'M') message = std::string(value);
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  if (!severity || (!code && message.empty())) return false;
  r = make("postgresql", code && !message.empty() ? 100 : 85);
  r.id.product = "PostgreSQL";
  r.id.info = message;
  r.complete = b.size() >= len + 1;
  return true;
}

// A BSON document's top-level string or int32 element `name`.
bool bson_find(std::string_view doc, std::string_view name, std::string* text, std::int64_t* number) {
  if (doc.size() < 5) return false;
  std::size_t end = std::min<std::size_t>(doc.size(), le32(doc, 0));
  std::size_t pos = 4;
  for (int guard = 0; guard < 256 && pos < end; ++guard) {
    unsigned char type = byte(doc, pos);
    if (type == 0) return false;
    std::size_t nul = doc.find('\0', pos + 1);
    if (nul == std::string_view::npos || nul >= end) return false;
    std::string_view key = doc.substr(pos + 1, nul - pos - 1);
    std::size_t v = nul + 1;
    std::size_t size = 0;
    switch (type) {
      case 0x01: case 0x09: case 0x11: case 0x12: size = 8; break;
      case 0x02: case 0x0d: case 0x0e:
        if (v + 4 > end) return false;
        size = 4 + le32(doc, v);
        if (key == name && text && v + size <= end && size > 4) {
          *text = std::string(doc.substr(v + 4, size - 5));
          return true;
        }
        break;
      case 0x03: case 0x04:
        if (v + 4 > end) return false;
        size = le32(doc, v);
        break;
      case 0x05:
        if (v + 4 > end) return false;
        size = 5 + le32(doc, v);
        break;
      case 0x07: size = 12; break;
      case 0x08: size = 1; break;
      case 0x0a: case 0x7f: case 0xff: size = 0; break;
      case 0x10:
        size = 4;
        if (key == name && number && v + 4 <= end) {
          *number = static_cast<std::int32_t>(le32(doc, v));
          return true;
        }
        break;
      case 0x13: size = 16; break;
      default: return false;
    }
    if (size > end - v) return false;
    pos = v + size;
  }
  return false;
}

bool mongo_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if ((probe != kProbeMongo && probe != kProbeMongoBuildInfo) || b.size() < 16) return false;
  std::uint32_t len = le32(b, 0);
  if (len < 16 || len > (48u << 20) || le32(b, 8) != kMongoRequestId) return false;
  std::uint32_t op = le32(b, 12);
  if (op != 2013 && op != 1) return false;
  r = make("mongodb", 95);
  r.id.product = "MongoDB";
  r.complete = b.size() >= len;
  std::string_view doc = op == 2013 ? (b.size() > 21 ? b.substr(21) : std::string_view()) : (b.size() > 36 ? b.substr(36) : std::string_view());
  std::string version;
  std::int64_t wire = -1;
  if (bson_find(doc, "version", &version, nullptr)) {
    r.id.version = version_at(version, 0);
    r.id.confidence = 100;
  } else if (probe == kProbeMongo) {
    r.next = kProbeMongoBuildInfo;
  }
  if (bson_find(doc, "maxWireVersion", nullptr, &wire)) r.id.info = "wire version " + std::to_string(wire);
  return true;
}

// AMQP: a Connection.Start method frame (its server-properties name product and version), or the
// server's own protocol header when it speaks another version.
bool amqp_reply(std::string_view b, Recognition& r) {
  if (starts(b, "AMQP") && b.size() >= 8) {
    r = make("amqp", 90);
    r.id.info = "protocol " + std::to_string(byte(b, 5)) + "-" + std::to_string(byte(b, 6)) + "-" + std::to_string(byte(b, 7));
    return true;
  }
  if (b.size() < 11 || byte(b, 0) != 1 || be16(b, 1) != 0 || be16(b, 7) != 10 || be16(b, 9) != 10) return false;
  r = make("amqp", 95);
  std::uint32_t size = be32(b, 3);
  r.complete = b.size() >= 7 + static_cast<std::size_t>(size) + 1;
  r.id.info = "AMQP " + std::to_string(b.size() > 11 ? byte(b, 11) : 0) + "." + std::to_string(b.size() > 12 ? byte(b, 12) : 0);
  auto longstr = [&](std::string_view key) -> std::string {
    std::string pat;
    pat += static_cast<char>(key.size());
    pat += key;
    pat += 'S';
    std::size_t at = b.find(pat);
    if (at == std::string_view::npos || at + pat.size() + 4 > b.size()) return {};
    std::uint32_t n = be32(b, at + pat.size());
    std::size_t from = at + pat.size() + 4;
    if (n > 256 || from + n > b.size()) return {};
    return std::string(b.substr(from, n));
  };
  r.id.product = longstr("product");
  r.id.version = longstr("version");
  if (!r.id.product.empty()) r.id.confidence = 100;
  return true;
}

bool mqtt_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe != kProbeMqtt || b.size() < 4 || byte(b, 0) != 0x20) return false;
  // 3.1.1 CONNACK: remaining length 2, flags 0/1, return code 0-5.
  if (byte(b, 1) != 2 || byte(b, 2) > 1 || byte(b, 3) > 5) return false;
  r = make("mqtt", 95);
  static constexpr const char* kCodes[] = {"accepted", "unacceptable protocol version", "identifier rejected",
                                           "server unavailable", "bad user name or password", "not authorized"};
  r.id.info = std::string("CONNACK ") + kCodes[byte(b, 3)];
  return true;
}

// LDAPMessage SEQUENCE { messageID 1, BindResponse [APPLICATION 1] | ExtendedResponse [APPLICATION 24] }.
bool ldap_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe != kProbeLdap || b.size() < 7 || byte(b, 0) != 0x30) return false;
  std::size_t at = 2;
  if (byte(b, 1) & 0x80) at += byte(b, 1) & 0x7f;
  if (at + 5 > b.size() || byte(b, at) != 0x02 || byte(b, at + 1) != 0x01) return false;
  unsigned char op = byte(b, at + 3);
  if (op != 0x61 && op != 0x78) return false;
  r = make("ldap", op == 0x61 ? 100 : 85);
  // resultCode ENUMERATED inside the response.
  std::size_t inner = at + 5;
  if (inner < b.size() && (byte(b, at + 4) & 0x80)) inner += byte(b, at + 4) & 0x7f;
  if (inner + 2 < b.size() && byte(b, inner) == 0x0a && byte(b, inner + 1) == 1) {
    r.id.info = "bind result " + std::to_string(byte(b, inner + 2));
  }
  if (op == 0x61) {
    r.next = kProbeLdapRootDse;  // the root DSE names the server's vendor
    r.same_connection = true;
  }
  return true;
}

// The first value of attribute `name` in a SearchResultEntry: OCTET STRING name, SET { OCTET STRING value }.
std::string ldap_value(std::string_view b, std::string_view name) {
  std::string pat;
  pat += '\x04';
  pat += static_cast<char>(name.size());
  pat += name;
  std::size_t at = b.find(pat);
  if (at == std::string_view::npos) return {};
  std::size_t p = at + pat.size();
  if (p + 4 > b.size() || byte(b, p) != 0x31) return {};
  p += 2 + ((byte(b, p + 1) & 0x80) ? (byte(b, p + 1) & 0x7f) : 0);
  if (p + 2 > b.size() || byte(b, p) != 0x04 || (byte(b, p + 1) & 0x80)) return {};
  std::size_t n = byte(b, p + 1);
  if (p + 2 + n > b.size()) return {};
  std::string v(b.substr(p + 2, n));
  return printable_text(v) ? v : std::string();
}

// Replies to the root DSE search: entries (SearchResultEntry, 0x64) up to SearchResultDone (0x65).
bool ldap_rootdse(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe != kProbeLdapRootDse || b.size() < 7 || byte(b, 0) != 0x30) return false;
  std::size_t at = 2;
  if (byte(b, 1) & 0x80) at += byte(b, 1) & 0x7f;
  if (at + 4 > b.size() || byte(b, at) != 0x02 || byte(b, at + 1) != 0x01 || byte(b, at + 2) != 0x02) return false;
  unsigned char op = byte(b, at + 3);
  if (op != 0x64 && op != 0x65 && op != 0x73) return false;
  r = make("ldap", 100);
  r.complete = has(b, std::string_view("\x02\x01\x02\x65", 4));
  std::string vendor = ldap_value(b, "vendorName");
  std::string version = ldap_value(b, "vendorVersion");
  if (has(b, "OpenLDAProotDSE")) {
    r.id.product = "OpenLDAP";
  } else if (!vendor.empty()) {
    r.id.product = vendor;
  } else if (has(b, "isGlobalCatalogReady") || has(b, "forestFunctionality")) {
    r.id.product = "Microsoft Active Directory LDAP";
  }
  if (!version.empty()) {
    // The first dotted number token: "389-Directory/2.3.1 B2023.123" gives 2.3.1.
    for (std::size_t k = 0; k < version.size() && r.id.version.empty(); ++k) {
      if (std::isdigit(static_cast<unsigned char>(version[k])) && (k == 0 || !std::isalnum(static_cast<unsigned char>(version[k - 1])))) {
        r.id.version = version_at(version, k);
      }
    }
    r.id.info = version;
  }
  return true;
}

bool zookeeper_reply(std::string_view b, Recognition& r) {
  if (starts(b, "Zookeeper version:")) {
    r = make("zookeeper", 100);
    r.id.product = "Apache ZooKeeper";
    r.id.version = version_at(b, 18);
    r.complete = has(b, "Node count:") && b.back() == '\n';  // the last line of srvr's report
    return true;
  }
  if (starts(b, "srvr is not executed because it is not in the whitelist")) {
    r = make("zookeeper", 90);
    r.id.product = "Apache ZooKeeper";
    r.id.info = "four-letter words disabled";
    return true;
  }
  return false;
}

bool rdp_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe != kProbeRdp || b.size() < 11 || byte(b, 0) != 3 || byte(b, 1) != 0) return false;
  if ((byte(b, 5) & 0xf0) != 0xd0) return false;  // X.224 Connection Confirm
  r = make("rdp", 95);
  if (b.size() >= 19 && byte(b, 11) == 0x02) {
    std::uint32_t proto = le32(b, 15);
    r.id.info = proto == 0 ? "standard RDP security" : proto & 8 ? "RDSTLS" : proto & 2 ? "CredSSP" : proto & 1 ? "TLS" : "";
  } else if (b.size() >= 19 && byte(b, 11) == 0x03) {
    r.id.info = "negotiation failure";
  }
  return true;
}

bool smb_reply(std::string_view b, Recognition& r) {
  if (b.size() < 8 || byte(b, 0) != 0) return false;
  std::string_view proto = b.substr(4, 4);
  if (proto != std::string_view("\xfeSMB", 4) && proto != std::string_view("\xffSMB", 4)) return false;
  r = make("smb", 100);
  r.complete = b.size() >= 4 + ((static_cast<std::size_t>(byte(b, 1)) << 16) | be16(b, 2));
  if (proto[0] == '\xfe' && b.size() >= 4 + 64 + 6) {
    std::uint32_t dialect = le16(b, 4 + 64 + 4);
    if (dialect != 0 && dialect != 0x02ff) {
      r.id.info = "dialect " + std::to_string(dialect >> 8) + "." + std::to_string((dialect >> 4) & 0xf) +
                  ((dialect & 0xf) ? "." + std::to_string(dialect & 0xf) : "");
    }
  } else if (proto[0] == '\xff') {
    r.id.info = "SMB1";
  }
  return true;
}

// A DNS reply to version.bind: its ID, the QR bit; the first TXT string names the server.
bool dns_reply(std::string_view b, ProbeId probe, Recognition& r) {
  if (probe != kProbeDns || b.size() < 14 || be16(b, 2) != kDnsId || !(byte(b, 4) & 0x80)) return false;
  std::size_t len = be16(b, 0);
  r = make("dns", 95);
  r.complete = b.size() >= len + 2;
  std::string_view m = b.substr(2, std::min(len, b.size() - 2));
  if (m.size() < 12 || be16(m, 6) == 0) return true;
  std::size_t pos = 12;
  auto skip_name = [&]() {
    for (int guard = 0; guard < 128 && pos < m.size(); ++guard) {
      unsigned char l = byte(m, pos);
      if (l == 0) { ++pos; return true; }
      if ((l & 0xc0) == 0xc0) { pos += 2; return true; }
      pos += 1 + l;
    }
    return false;
  };
  if (!skip_name()) return true;
  pos += 4;  // question type and class
  if (!skip_name() || pos + 10 > m.size()) return true;
  std::uint32_t type = be16(m, pos);
  std::size_t rdlen = be16(m, pos + 8);
  pos += 10;
  if (type != 16 || pos + rdlen > m.size() || rdlen < 1) return true;
  std::size_t n = byte(m, pos);
  if (n + 1 > rdlen) return true;
  std::string txt(m.substr(pos + 1, n));
  if (!printable_text(txt)) return true;
  r.id.info = txt;
  if (starts(txt, "dnsmasq-")) {
    r.id.product = "dnsmasq";
    r.id.version = version_at(txt, 8);
  } else if (std::isdigit(static_cast<unsigned char>(txt[0]))) {
    r.id.product = "ISC BIND";
    r.id.version = version_at(txt, 0);
  } else {
    std::size_t sp = txt.find(' ');
    r.id.product = txt.substr(0, sp);
    if (sp != std::string::npos) r.id.version = version_at(txt, sp);
  }
  r.id.confidence = 100;
  return true;
}

bool tls_reply(std::string_view b, Recognition& r) {
  if (b.size() < 6 || byte(b, 1) != 3 || byte(b, 2) > 4) return false;
  if (byte(b, 0) == 0x15) {  // alert: the port speaks TLS but refused this hello
    if (be16(b, 3) != 2) return false;
    r = make("tls", 75);
    if (b.size() >= 7) r.id.info = "alert " + std::to_string(byte(b, 6));
    r.next = kProbeTlsHttp;  // a full client may still agree with it
    return true;
  }
  if (byte(b, 0) != 0x16 || byte(b, 5) != 0x02) return false;
  r = make("tls", 95);
  // ServerHello: legacy_version, random, session id, suite, compression, extensions.
  std::size_t p = 9;
  std::uint32_t version = b.size() >= p + 2 ? be16(b, p) : 0;
  p += 2 + 32;
  if (p < b.size()) p += 1 + byte(b, p);
  p += 3;
  if (p + 2 <= b.size()) {
    std::size_t ext_end = std::min(b.size(), p + 2 + be16(b, p));
    p += 2;
    while (p + 4 <= ext_end) {
      std::uint32_t type = be16(b, p);
      std::size_t n = be16(b, p + 2);
      if (type == 0x002b && n == 2 && p + 6 <= ext_end) version = be16(b, p + 4);
      p += 4 + n;
    }
  }
  static constexpr const char* kVersions[] = {"SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"};
  if (version >= 0x0300 && version <= 0x0304) r.id.info = kVersions[version - 0x0300];
  r.next = kProbeTlsHttp;
  return true;
}

}  // namespace

const char* probe_name(ProbeId p) { return probe_table()[p].name; }
std::string_view probe_payload(ProbeId p) { return probe_table()[p].payload; }

std::vector<ProbeId> probe_plan(std::uint16_t port) {
  const auto& t = probe_table();
  std::vector<ProbeId> plan{kProbeNull};
  // The service that usually listens on this port is asked first; then the rest in cost order.
  for (int k = 1; k < kProbeCount; ++k) {
    if (t[k].in_plan && std::find(t[k].ports.begin(), t[k].ports.end(), port) != t[k].ports.end()) {
      plan.push_back(static_cast<ProbeId>(k));
    }
  }
  for (int k = 1; k < kProbeCount; ++k) {
    auto p = static_cast<ProbeId>(k);
    if (t[k].in_plan && std::find(plan.begin(), plan.end(), p) == plan.end()) plan.push_back(p);
  }
  return plan;
}

Recognition recognize(std::string_view b, ProbeId probe, std::uint16_t port) {
  Recognition r;
  if (b.empty()) return r;
  if (probe == kProbeSmtpEhlo) {
    // The reply to EHLO after a bare 220 greeting.
    if (starts(b, "250")) {
      r = make("smtp", 85);
      known_product(b, r.id);
      r.id.service = "smtp";
      r.complete = lines_complete(b);
      return r;
    }
    if (b.size() >= 3 && (b[0] == '5' || starts(b, "421")) && std::isdigit(static_cast<unsigned char>(b[1]))) {
      r = make("ftp", 70);  // an FTP server rejecting an unknown command
      r.complete = lines_complete(b);
      return r;
    }
  }
  if (ssh_greeting(b, r) || http_reply(b, r) || mysql_greeting(b, r) || mongo_reply(b, probe, r) ||
      postgres_reply(b, probe, r) || dns_reply(b, probe, r) || smb_reply(b, r) || rdp_reply(b, probe, r) ||
      ldap_reply(b, probe, r) || ldap_rootdse(b, probe, r) || mqtt_reply(b, probe, r) || tls_reply(b, r) || amqp_reply(b, r) ||
      redis_reply(b, r) || memcached_reply(b, probe, r) || zookeeper_reply(b, r) || text_greeting(b, port, r)) {
    return r;
  }
  if (starts(b, "RFB ") && b.size() >= 11) {
    r = make("vnc", 100);
    r.id.info = "protocol " + std::to_string(std::atoi(std::string(b.substr(4, 3)).c_str())) + "." +
                std::to_string(std::atoi(std::string(b.substr(8, 3)).c_str()));
    r.complete = has(b, "\n");
    return r;
  }
  if (starts(b, "<!DOCTYPE") || starts(b, "<html") || starts(b, "<HTML")) {
    r = make("http", 60);
    return r;
  }
  r.complete = false;  // unrecognised: more may come
  return r;
}

std::string guess_service(std::string_view banner, std::uint16_t port) {
  if (banner.empty()) return {};
  Recognition r = recognize(banner, kProbeNull, port);
  if (r.id.service.empty()) r = recognize(banner, kProbeHttp, port);
  return r.id.service.empty() ? "unknown" : r.id.service;
}

}  // namespace obscore::netscan
