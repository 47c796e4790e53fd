"""`obscore netscan --banner` identifies services by what they say, on any port: one loopback
listener per protocol (127.0.0.1, and ::1 for a few) answers obscore's probes with canned
replies written here from the protocol specifications, and stays silent or hangs up on
anything else, as real servers do. Ports are the kernel's choice, never the services' usual
ones, so nothing can come from the port number."""
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import threading

import pytest


def le32(v):
    return struct.pack("<I", v)


def bson(elements):
    return le32(len(elements) + 5) + elements + b"\0"


def op_msg(response_to, doc):
    body = le32(0) + b"\0" + doc
    return le32(16 + len(body)) + le32(7) + le32(response_to) + le32(2013) + body


def mysql_greeting(version):
    body = (b"\x0a" + version + b"\0" + le32(42) + b"abcdefgh\0" + bytes([0xff, 0xf7, 0x2d, 0x02, 0, 0xff, 0x81, 0x15])
            + b"\0" * 10 + b"ijklmnopqrst\0mysql_native_password\0")
    return struct.pack("<I", len(body))[:3] + b"\0" + body


def redis(data):
    if data.startswith(b"*2\r\n$4\r\nINFO"):
        info = b"# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n"
        return b"$%d\r\n%s\r\n" % (len(info), info)
    if data.startswith(b"GET "):
        return b"-ERR wrong number of arguments for 'get' command\r\n"
    return b"-ERR unknown command '" + data.split()[0][:20] + b"'\r\n" if data.split() else None


def memcached(data):
    if data.startswith(b"GET "):
        return "close"  # memcached hangs up on HTTP
    if data == b"version\r\n":
        return b"VERSION 1.6.21\r\n"
    return b"ERROR\r\n" if data.endswith(b"\n") else None


def postgres(data):
    if len(data) < 8:
        return None
    n, code = struct.unpack(">II", data[:8])
    if n == 8 and code == 80877103:
        return b"N"  # SSLRequest: no SSL; the client goes on with a StartupMessage on a new connection
    if code == 196608 and n == len(data):
        return b"R" + struct.pack(">II", 23, 10) + b"SCRAM-SHA-256\0\0"
    return "close"  # an impossible length: PostgreSQL hangs up


def mongodb(data):
    if len(data) < 16 or struct.unpack("<I", data[12:16])[0] != 2013:
        return "close"
    req = struct.unpack("<I", data[4:8])[0]
    if b"buildInfo" in data:
        return op_msg(req, bson(b"\x02version\0" + le32(6) + b"7.0.5\0" + b"\x10ok\0" + le32(1)))
    if b"hello" in data:
        return op_msg(req, bson(b"\x08isWritablePrimary\0\x01" + b"\x10maxWireVersion\0" + le32(21)))
    return "close"


def amqp(data):
    if data != b"AMQP\x00\x00\x09\x01":
        return "close" if len(data) >= 8 else None
    props = (b"\x07productS" + struct.pack(">I", 8) + b"RabbitMQ" + b"\x07versionS" + struct.pack(">I", 6) + b"3.12.1")
    args = b"\x00\x0a\x00\x0a\x00\x09" + struct.pack(">I", len(props)) + props + struct.pack(">I", 5) + b"PLAIN" \
        + struct.pack(">I", 5) + b"en_US"
    return b"\x01\x00\x00" + struct.pack(">I", len(args)) + args + b"\xce"


def mqtt(data):
    if data[:1] == b"\x10" and b"MQTT" in data:
        return b"\x20\x02\x00\x00"
    return "close"


def ber(tag, content):
    n = len(content)
    return bytes([tag]) + (bytes([n]) if n < 128 else bytes([0x82, n >> 8, n & 0xff])) + content


def ldap(data):
    if data[:1] == b"\x30" and data[5:6] == b"\x60":  # BindRequest
        return bytes([0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])
    if data[:1] == b"\x30" and data[5:6] == b"\x63":  # SearchRequest: the root DSE
        attr = ber(0x30, ber(0x04, b"objectClass") + ber(0x31, ber(0x04, b"top") + ber(0x04, b"OpenLDAProotDSE")))
        entry = ber(0x30, ber(0x02, b"\x02") + ber(0x64, ber(0x04, b"") + ber(0x30, attr)))
        return entry + ber(0x30, ber(0x02, b"\x02") + ber(0x65, bytes([0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])))
    return "close"


def zookeeper(data):
    if data == b"srvr":
        return (b"Zookeeper version: 3.8.3-6ad6d364c7c0bcf0de452d54ebefa3058098ab56, built on 2023-10-05 10:34 UTC\n"
                b"Latency min/avg/max: 0/0.0/0\nMode: standalone\nNode count: 5\n", "close")
    return None if len(data) < 4 else "close"


def rdp(data):
    if data[:4] == b"\x03\x00\x00\x13":
        return bytes([3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0, 0x02, 0x1f, 0x08, 0, 0x02, 0, 0, 0])
    return "close"


def smb(data):
    if data[4:8] != b"\xfeSMB":
        return "close"
    body = bytes([0x41, 0x00, 0x01, 0x00, 0x10, 0x02]) + b"\0" * 58
    msg = b"\xfeSMB" + bytes([64, 0]) + b"\0" * 58 + body
    return struct.pack(">I", len(msg)) + msg


def dns(data):
    if len(data) < 4 or struct.unpack(">H", data[:2])[0] != len(data) - 2:
        return "close" if len(data) > 2 and struct.unpack(">H", data[:2])[0] < len(data) - 2 else None
    qid = data[2:4]
    txt = b"9.18.24-1-Debian"
    msg = (qid + bytes([0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]) + b"\x07version\x04bind\x00" + bytes([0, 16, 0, 3])
           + bytes([0xc0, 0x0c, 0, 16, 0, 3, 0, 0, 0, 0, 0, len(txt) + 1, len(txt)]) + txt)
    return struct.pack(">H", len(msg)) + msg


def http(data):
    if data.startswith(b"GET "):
        return b"HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\nContent-Length: 2\r\n\r\nok", "close"
    return "close"


def ehlo(data):
    if data.startswith(b"EHLO "):
        return b"250-mx.test\r\n250 PIPELINING\r\n"
    return b"500 unrecognised command\r\n"


class Server:
    """Listens on loopback; sends `greeting` on accept, then answers each request with
    respond(data) -> bytes | (bytes, "close") | "close" | None (wait for more bytes)."""

    def __init__(self, respond=None, greeting=None, family=socket.AF_INET, host="127.0.0.1", tls_context=None):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.respond, self.greeting, self.tls = respond, greeting, tls_context
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.talk, args=(c,), daemon=True).start()

    def talk(self, c):
        try:
            c.settimeout(5)
            if self.tls is not None:
                c = self.tls.wrap_socket(c, server_side=True)  # a client that is not TLS fails here
            if self.greeting:
                c.sendall(self.greeting)
            data = b""
            for _ in range(16):  # bounded: a test conversation is a few requests
                chunk = c.recv(4096)
                if not chunk:
                    return
                data += chunk
                if self.respond is None:
                    continue
                out = self.respond(data)
                if out is None:
                    continue
                close = out == "close" or (isinstance(out, tuple) and out[1] == "close")
                if isinstance(out, tuple):
                    out = out[0]
                if isinstance(out, bytes):
                    c.sendall(out)
                if close:
                    return
                data = b""
        except (OSError, ssl.SSLError):
            pass
        finally:
            c.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def servers():
    made = []

    def make(**kw):
        s = Server(**kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def tls_context(tmp_path):
    if not shutil.which("openssl"):
        return None
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-subj", "/CN=localhost", "-days", "2", "-keyout", str(key), "-out", str(cert)], capture_output=True)
    if r.returncode != 0:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


EXPECTED = {
    # name: (server kwargs, service, product, version, method)
    "openssh": (dict(greeting=b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), "ssh", "OpenSSH", "9.2p1", "banner"),
    "vsftpd": (dict(greeting=b"220 (vsFTPd 3.0.3)\r\n"), "ftp", "vsftpd", "3.0.3", "banner"),
    "vsftpd-oops": (dict(greeting=b"500 OOPS: vsftpd: refusing to run with writable root inside chroot()\r\n"),
                    "ftp", "vsftpd", None, "banner"),
    "postfix": (dict(greeting=b"220 mx.test ESMTP Postfix (Debian/GNU)\r\n"), "smtp", "Postfix smtpd", None, "banner"),
    "bare-220": (dict(greeting=b"220 ready\r\n", respond=ehlo), "smtp", None, None, "smtp-ehlo"),
    "pop3": (dict(greeting=b"+OK Dovecot (Debian) ready.\r\n"), "pop3", "Dovecot", None, "banner"),
    "imap": (dict(greeting=b"* OK [CAPABILITY IMAP4rev1 IDLE] Dovecot (Debian) ready.\r\n"), "imap", "Dovecot", None, "banner"),
    "mysql": (dict(greeting=mysql_greeting(b"8.0.36")), "mysql", "MySQL", "8.0.36", "banner"),
    "mariadb": (dict(greeting=mysql_greeting(b"5.5.5-10.11.6-MariaDB-0+deb12u1")), "mysql", "MariaDB", "10.11.6", "banner"),
    "vnc": (dict(greeting=b"RFB 003.008\n"), "vnc", None, None, "banner"),
    "http": (dict(respond=http), "http", "Apache httpd", "2.4.57", "http"),
    "redis": (dict(respond=redis), "redis", "Redis", "7.2.4", "redis-info"),
    "memcached": (dict(respond=memcached), "memcached", "memcached", "1.6.21", "memcached-version"),
    "postgresql": (dict(respond=postgres), "postgresql", "PostgreSQL", "10 or later", "postgresql-startup"),
    "mongodb": (dict(respond=mongodb), "mongodb", "MongoDB", "7.0.5", "mongodb-buildinfo"),
    "rabbitmq": (dict(respond=amqp), "amqp", "RabbitMQ", "3.12.1", "amqp"),
    "ldap": (dict(respond=ldap), "ldap", "OpenLDAP", None, "ldap-rootdse"),
    "mqtt": (dict(respond=mqtt), "mqtt", None, None, "mqtt-connect"),
    "dns": (dict(respond=dns), "dns", "ISC BIND", "9.18.24", "dns-version-bind"),
    "smb": (dict(respond=smb), "smb", None, None, "smb-negotiate"),
    "rdp": (dict(respond=rdp), "rdp", None, None, "rdp"),
    "zookeeper": (dict(respond=zookeeper), "zookeeper", "Apache ZooKeeper", "3.8.3", "zookeeper-srvr"),
}


def scan(run, addr, ports, timeout="150"):
    r = run("--format", "json", "netscan", addr, "-p", ",".join(str(p) for p in ports), "--banner",
            "--banner-timeout", timeout)
    assert r.code == 0, r.err
    return {x["port"]: x for x in r.json()["results"]}


def test_every_probe_identifies_its_service_on_any_port(run, servers):
    made = {name: servers(**kw) for name, (kw, *_) in EXPECTED.items()}
    silent = servers()
    got = scan(run, "127.0.0.1", [s.port for s in made.values()] + [silent.port])
    for name, (_, service, product, version, method) in EXPECTED.items():
        r = got[made[name].port]
        assert r["state"] == "open", name
        assert (r["service"], r["product"], r["version"], r["method"]) == (service, product, version, method), (name, r)
        assert 0 < r["confidence"] <= 1, name
    s = got[silent.port]
    assert s["state"] == "open" and s["service"] is None and s["banner"] is None and s["confidence"] is None


def test_https_is_http_inside_tls(run, servers, tmp_path):
    ctx = tls_context(tmp_path)
    if ctx is None:
        pytest.skip("needs the openssl command")
    s = servers(respond=http, tls_context=ctx)
    r = scan(run, "127.0.0.1", [s.port], timeout="300")[s.port]
    assert (r["service"], r["product"], r["version"], r["method"]) == ("https", "Apache httpd", "2.4.57", "tls-http"), r
    assert "TLSv1.3" in r["info"]


def test_ipv6_loopback_identifies_like_ipv4(run, servers):
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    names = ["openssh", "redis", "postgresql", "http"]
    try:
        six = {n: servers(family=socket.AF_INET6, host="::1", **EXPECTED[n][0]) for n in names}
    except OSError:
        pytest.skip("::1 is not configured")
    four = {n: servers(**EXPECTED[n][0]) for n in names}
    got6 = scan(run, "::1", [s.port for s in six.values()])
    got4 = scan(run, "127.0.0.1", [s.port for s in four.values()])
    for n in names:
        a, b = got6[six[n].port], got4[four[n].port]
        assert a["address"] == "::1"
        assert [a[k] for k in ("state", "service", "product", "version", "method", "banner")] == \
            [b[k] for k in ("state", "service", "product", "version", "method", "banner")], n


def test_no_probes_only_listens(run, servers):
    greet = servers(greeting=b"SSH-2.0-OpenSSH_9.2p1\r\n")
    web = servers(respond=http)
    r = run("--format", "json", "netscan", "127.0.0.1", "-p", f"{greet.port},{web.port}", "--banner", "--no-probes",
            "--banner-timeout", "150")
    got = {x["port"]: x for x in r.json()["results"]}
    assert got[greet.port]["service"] == "ssh" and got[greet.port]["method"] == "banner"
    assert got[web.port]["service"] is None  # it only answers a request, and none was sent


def test_table_shows_product_and_version(run, servers):
    s = servers(greeting=b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    r = run("--format", "table", "netscan", "127.0.0.1", "-p", str(s.port), "--banner")
    assert "OpenSSH 9.2p1" in r.text


def test_latency_is_measured_per_socket(run, servers):
    # Each open port's latency comes from its own connect() and event; microseconds as integers.
    made = [servers() for _ in range(8)]
    r = run("--format", "json", "netscan", "127.0.0.1", "-p", ",".join(str(s.port) for s in made))
    res = r.json()["results"]
    assert all(isinstance(x["latency_us"], int) and x["latency_us"] >= 0 for x in res)
