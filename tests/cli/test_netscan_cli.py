"""`obscore netscan` end to end, on loopback only (127.0.0.1 and ::1) with listeners the test
starts itself: open/closed/filtered states, banners and probes, service guesses, inventories,
ordering, bad targets, and a tiny RLIMIT_NOFILE that must not turn open ports into "closed"."""
import os
import resource
import shutil
import socket
import subprocess
import threading
import time

import pytest


class Listener:
    """A TCP listener that sends `banner`, answers HTTP probes (`http`), or stays silent."""

    def __init__(self, family=socket.AF_INET, host="127.0.0.1", banner=None, http=False, backlog=64, accept=True):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        self.banner, self.http = banner, http
        self.clients = []
        if accept:
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
            if self.banner:
                c.sendall(self.banner)
            if self.http:
                c.settimeout(5)
                data = c.recv(1024)
                if data.startswith(b"GET "):
                    c.sendall(b"HTTP/1.1 200 OK\r\nServer: obscore-test\r\nContent-Length: 2\r\n\r\nok")
            time.sleep(0.2)
        except OSError:
            pass
        finally:
            c.close()

    def close(self):
        self.sock.close()


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def listeners():
    made = []

    def make(**kw):
        l = Listener(**kw)
        made.append(l)
        return l

    yield make
    for l in made:
        l.close()


def by_port(doc):
    return {(r["address"], r["port"]): r for r in doc["results"]}


def test_states_banners_and_services(run, listeners):
    ssh = listeners(banner=b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    web = listeners(http=True)
    silent = listeners()
    closed = free_port()
    ports = ",".join(str(p) for p in [ssh.port, web.port, silent.port, closed])
    r = run("--format", "json", "netscan", "127.0.0.1", "-p", ports, "--banner", "--banner-timeout", "300")
    assert r.code == 0, r.err
    doc = r.json()
    got = by_port(doc)
    assert got[("127.0.0.1", ssh.port)]["state"] == "open"
    assert got[("127.0.0.1", ssh.port)]["service"] == "ssh"
    assert got[("127.0.0.1", ssh.port)]["banner"].startswith("SSH-2.0-OpenSSH_9.2p1")
    assert got[("127.0.0.1", web.port)]["service"] == "http"  # answered the generic HTTP probe
    assert got[("127.0.0.1", silent.port)]["state"] == "open"
    assert got[("127.0.0.1", closed)]["state"] == "closed"
    assert got[("127.0.0.1", closed)]["reason"] == "conn-refused"
    assert doc["summary"]["open"] == 3 and doc["summary"]["closed"] == 1
    ports_in_order = [x["port"] for x in doc["results"]]
    assert ports_in_order == sorted(ports_in_order)
    for x in doc["results"]:
        assert set(x) >= {"host", "address", "port", "state", "latency_us", "reason", "banner", "service"}


def test_ipv6_loopback_and_host_port_pairs(run, listeners):
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        l6 = listeners(family=socket.AF_INET6, host="::1", banner=b"220 test ESMTP ready\r\n")
    except OSError:
        pytest.skip("::1 is not configured")
    l4 = listeners(banner=b"+OK POP3 ready\r\n")
    r = run("--format", "json", "netscan", f"[::1]:{l6.port}", f"127.0.0.1:{l4.port}", "--banner")
    assert r.code == 0, r.err
    res = r.json()["results"]
    assert [(x["address"], x["state"], x["service"]) for x in res] == [
        ("127.0.0.1", "open", "pop3"), ("::1", "open", "smtp")]  # IPv4 sorts before IPv6


def test_full_backlog_is_filtered(run, listeners):
    full = listeners(backlog=0, accept=False)
    held = []
    for _ in range(8):  # fill the accept queue; later SYNs are dropped
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", full.port))
        except BlockingIOError:
            pass
        held.append(c)
    time.sleep(0.2)
    r = run("--format", "json", "netscan", "127.0.0.1", "-p", str(full.port), "--timeout", "300", "--retries", "0")
    for c in held:
        c.close()
    res = r.json()["results"][0]
    assert res["state"] == "filtered" and res["reason"] == "timeout"


def test_inventory_health_check(run, listeners, tmp_path):
    web = listeners(http=True)
    ssh = listeners(banner=b"SSH-2.0-test\r\n")
    closed = free_port()
    inv = tmp_path / "inventory.yaml"
    inv.write_text(f"""services:
  - name: web
    host: 127.0.0.1
    port: {web.port}
    expect: "^HTTP/1\\\\.[01] 200"
  - name: ssh-wrong-expectation
    host: 127.0.0.1
    port: {ssh.port}
    expect: "^SSH-1"
  - name: gone
    host: 127.0.0.1
    port: {closed}
    timeout_ms: 200
""")
    r = run("--format", "json", "netscan", "--targets", inv)
    assert r.code == 1  # an unhealthy service
    got = {x["name"]: x for x in r.json()["results"]}
    assert got["web"]["healthy"] is True
    assert got["ssh-wrong-expectation"]["healthy"] is False and got["ssh-wrong-expectation"]["state"] == "open"
    assert got["gone"]["healthy"] is False and got["gone"]["state"] == "closed"
    s = r.json()["summary"]
    assert s["healthy"] == 1 and s["unhealthy"] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("services:\n  - host: 127.0.0.1\n    port: 0\n")
    r = run("netscan", "--targets", bad)
    assert r.code == 2 and f"{bad}:3:11: port: 1-65535" in r.err


@pytest.mark.parametrize("args,code,needle", [
    (["10.0.0.0/33", "-p", "22"], 2, "CIDR"),
    (["127.0.0.1", "-p", "0"], 2, "port"),
    (["127.0.0.1", "-p", "70000"], 2, "port"),
    (["127.0.0.1:99999"], 2, "port"),
    (["127.0.0.0/8", "-p", "1-100", "--max-targets", "1000"], 2, "max-targets"),
    (["no-such-host.invalid", "-p", "22"], 3, "cannot resolve"),
    (["127.0.0.1"], 2, "no port"),
    ([], 2, "no targets"),
    (["127.0.0.1", "-p", "1", "--rate", "fast"], 2, "--rate"),
])
def test_bad_targets(run, args, code, needle):
    r = run("netscan", *args)
    assert r.code == code, r.err
    assert needle in r.err and r.err.count("\n") == 1


def test_tiny_fd_limit_never_reports_open_ports_as_closed(binary, listeners):
    opened = [listeners() for _ in range(10)]
    lo = min(l.port for l in opened)
    hi = max(l.port for l in opened)
    lo, hi = max(1, lo - 200), min(65535, hi + 200)

    def small_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))

    proc = subprocess.run([binary, "--format", "json", "netscan", "127.0.0.1", "-p", f"{lo}-{hi}",
                           "--concurrency", "5000"], capture_output=True, preexec_fn=small_limit, timeout=120)
    assert proc.returncode == 0, proc.stderr
    import json
    doc = json.loads(proc.stdout)
    open_ports = {x["port"] for x in doc["results"] if x["state"] == "open"}
    assert {l.port for l in opened} <= open_ports
    assert doc["summary"]["concurrency"] <= 48
    assert doc["summary"]["errors"] == 0


def test_table_shows_open_ports_unless_all(run, listeners):
    l = listeners()
    closed = free_port()
    r = run("--format", "table", "netscan", "127.0.0.1", "-p", f"{l.port},{closed}")
    assert str(l.port) in r.text and str(closed) not in r.text.split("targets:")[0]
    r = run("--format", "table", "netscan", "127.0.0.1", "-p", f"{l.port},{closed}", "--all")
    assert str(closed) in r.text


def netns_available():
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    name = f"obsprobe{os.getpid()}"
    ok = subprocess.run(["ip", "netns", "add", name], capture_output=True).returncode == 0
    if ok:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
    return ok


@pytest.fixture
def netns():
    """A network namespace of this test's own (no link to the outside): routes inside it make
    'unreachable' and 'filtered' answers without touching any real network."""
    if not netns_available():
        pytest.skip("needs root and ip netns")
    name = f"obstest{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    ex = ["ip", "netns", "exec", name]
    try:
        subprocess.run(ex + ["ip", "link", "set", "lo", "up"], check=True)
        subprocess.run(ex + ["ip", "route", "add", "unreachable", "10.99.0.0/24"], check=True)
        subprocess.run(ex + ["ip", "route", "add", "prohibit", "10.98.0.0/24"], check=True)
        # A veth whose peer stays down: nothing answers on 10.97.0.0/24.
        subprocess.run(ex + ["ip", "link", "add", "veth0", "type", "veth", "peer", "name", "veth1"], check=True)
        subprocess.run(ex + ["ip", "addr", "add", "10.97.0.1/24", "dev", "veth0"], check=True)
        subprocess.run(ex + ["ip", "link", "set", "veth0", "up"], check=True)
        yield ex
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_unreachable_and_filtered_inside_a_namespace(binary, netns):
    # 10.99/24: unreachable route; 10.98/24: prohibit route; 10.97.0.2: behind a veth whose peer
    # is down (no answer -> timeout). All inside the test's own namespace.
    proc = subprocess.run(netns + [binary, "--format", "json", "netscan", "10.99.0.1", "10.98.0.1", "10.97.0.2",
                                   "-p", "80", "--timeout", "300", "--retries", "0"],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    import json
    got = {r["address"]: (r["state"], r["reason"]) for r in json.loads(proc.stdout)["results"]}
    assert got["10.99.0.1"] == ("unreachable", "host-unreach")
    assert got["10.98.0.1"] == ("filtered", "admin-prohibited")
    assert got["10.97.0.2"] == ("filtered", "timeout")


def test_ndjson_streams_every_result_then_the_summary(run, listeners):
    l = listeners()
    closed = free_port()
    r = run("--format", "ndjson", "netscan", "127.0.0.1", "-p", f"{l.port},{closed},{l.port}")
    import json
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [x["type"] for x in lines] == ["result", "result", "summary"]  # the duplicate port once
    assert {x["data"]["port"]: x["data"]["state"] for x in lines[:2]} == {l.port: "open", closed: "closed"}
    assert lines[-1]["data"]["targets"] == 2
