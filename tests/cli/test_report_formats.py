"""The formats people read: --format markdown (CI job summaries with Mermaid diagrams), html (one
self-contained report, checked in a real headless Chromium with script on and off), dot
(Graphviz), and the terminal table (paths cut from the left, diagnostics summarised above it)."""
import json
import os
import pty
import re
import select
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "data"))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(SRC, "bench", "correlate", "gen_events.py")


def bad_c_files(root, n):
    root.mkdir(exist_ok=True)
    for i in range(n):
        (root / f"bad{i}.c").write_text(f"int f{i}( {{\n  return 1;;; }}}}}}\n")
    (root / "good.c").write_text("int ok(int a) {\n  if (a) { return 1; }\n  return 0;\n}\n")
    return root


@pytest.fixture(scope="module")
def flows(tmp_path_factory):
    out = tmp_path_factory.mktemp("flows")
    subprocess.run(["python3", GEN, "--ui", "300", "--seed", "7", str(out)], check=True, capture_output=True)
    return out


def correlate_args(flows):
    return ["correlate", "--ui", flows / "ui.ndjson", "--api", flows / "api.ndjson", "--nav", flows / "nav.ndjson"]


# --- markdown --------------------------------------------------------------------------------

def test_markdown_ast_summary_top_rows_and_files(run):
    r = run("ast", os.path.join(DATA, "ast"), "--format", "markdown")
    assert r.code == 0, r.err
    md = r.text
    assert md.startswith("## obscore ast\n")
    assert "| cognitive.max | 14 |" in md
    top = md.split("### Top 10 functions by cognitive\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(top) == 2 + 10  # header, rule, ten rows
    values = [int(line.split("|")[5]) for line in top[2:]]
    assert values == sorted(values, reverse=True) and values[0] == 14
    assert "### Files by their most complex function" in md
    assert "duration_ms" not in md and "cache" not in md


def test_markdown_is_the_same_on_a_second_run(run, tmp_path):
    # The second run reads the ast cache: nothing in the report may show it.
    first = run("ast", os.path.join(DATA, "ast"), "--format", "markdown").text
    second = run("ast", os.path.join(DATA, "ast"), "--format", "markdown").text
    assert first == second


def test_markdown_stays_a_page_on_a_large_run(run, tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(400):
        (root / f"m{i}.py").write_text("".join(f"def f{k}(a):\n    if a:\n        return {k}\n    return 0\n\n"
                                               for k in range(5)))
    md = run("ast", root, "--format", "markdown").text
    assert md.count("\n") < 120, md
    assert "_… and 1990 more; the JSON output lists them all._" in md
    assert max(len(line) for line in md.splitlines()) < 400


def test_markdown_patterns_state_machine_diagram(run):
    md = run("patterns", os.path.join(DATA, "patterns", "app"), "--format", "markdown").text
    assert "### API endpoints" in md and "| POST | /auth/login |" in md
    block = md.split("### LoginState (", 1)[1].split("```mermaid\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0] == "stateDiagram-v2"
    states = {m.group(2): m.group(1) for m in (re.match(r'\s+state "(\w+)" as (n\d+)', l) for l in lines) if m}
    assert sorted(states.values()) == ["Error", "Idle", "Loading", "Success"]
    edges = {(states.get(a, a), states.get(b, b)) for a, b in re.findall(r"^\s+(\S+) --> (\w+)", block, re.M)}
    assert ("[*]", "Idle") in edges
    assert ("Loading", "Success") in edges and ("Loading", "Error") in edges


def test_markdown_correlate_sequence_of_top_flows(run, flows):
    r = run(*correlate_args(flows), "--format", "markdown")
    assert r.code == 0, r.err
    md = r.text
    doc = run(*correlate_args(flows)).json()
    top = doc["summary"]["flows"][0]
    seq = md.split("```mermaid\nsequenceDiagram\n", 1)[1].split("```", 1)[0]
    assert f"n0->>n1: {top['ui']}" in seq
    assert f"n1->>n2: {top['api']}" in seq
    assert seq.count("Note over") == min(5, len(doc["summary"]["flows"]))
    assert "### Endpoints" in md and "### Flows" in md


def test_markdown_logscan_sparklines(run):
    md = run("logscan", os.path.join(DATA, "logscan"), "--format", "markdown").text
    timeline = md.split("### Timeline\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert timeline[2].startswith("| all files | `")
    for row in timeline[2:]:
        spark = row.split("`")[1]
        assert spark and set(spark) <= set(" ▁▂▃▄▅▆▇█") and any(c != " " for c in spark)


def test_markdown_lists_diagnostics(run, tmp_path):
    md = run("ast", bad_c_files(tmp_path / "src", 2), "--format", "markdown").text
    assert "### Diagnostics (2)" in md
    assert re.search(r"- \*\*warning\*\* `[^`]*bad0\.c:1:1` syntax error", md), md


# --- dot -------------------------------------------------------------------------------------

def test_dot_state_machines_render_with_graphviz(run, tmp_path):
    r = run("patterns", os.path.join(DATA, "patterns", "app"), "--format", "dot")
    assert r.code == 0, r.err
    doc = run("patterns", os.path.join(DATA, "patterns", "app")).json()
    assert r.text.count("digraph ") == len(doc["summary"]["state_machines"])
    assert '"Loading" -> "Success"' in r.text
    if shutil.which("dot"):
        svg = subprocess.run(["dot", "-Tsvg"], input=r.out, capture_output=True)
        assert svg.returncode == 0, svg.stderr
        assert svg.stdout.count(b"<svg") == len(doc["summary"]["state_machines"])


def test_dot_flows(run, flows):
    r = run(*correlate_args(flows), "--format", "dot")
    assert r.code == 0, r.err
    assert r.text.startswith("digraph g0 {")
    top = run(*correlate_args(flows)).json()["summary"]["flows"][0]
    assert f'"{top["ui"]}" -> "{top["api"]}" [label="{top["count"]}x"];' in r.text


def test_dot_is_refused_where_there_are_no_diagrams(run, tmp_path):
    out = tmp_path / "x.dot"
    r = run("ast", os.path.join(DATA, "ast"), "--format", "dot", "-o", out)
    assert r.code == 2
    assert "--format dot draws state machines" in r.err
    assert not out.exists()


# --- html ------------------------------------------------------------------------------------

def test_html_is_one_self_contained_file(run, tmp_path):
    out = tmp_path / "report.html"
    r = run("patterns", os.path.join(DATA, "patterns", "app"), "--format", "html", "-o", out)
    assert r.code == 0, r.err
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", html)
    assert "<link" not in html and "@import" not in html and not re.search(r"url\((?!#)", html)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids are unique"
    assert html.count('<svg class="diagram"') == len(run("patterns", os.path.join(DATA, "patterns", "app")).json()
                                                     ["summary"]["state_machines"])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Background services off and every host name unresolvable: the only requests left are the page's.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                  "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1600"]


def chromium(tmp_path, page, *extra):
    profile = tmp_path / "chromium-profile"
    netlog = tmp_path / f"net-{page.stem}.json"
    proc = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--log-net-log={netlog}", *extra,
                           page.as_uri()], capture_output=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc.stdout.decode("utf-8"), netlog


def page_requests(netlog):
    """URLs the page itself asked for (its network isolation key is the file:// origin)."""
    d = json.loads(netlog.read_text())
    start = d["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for e in d["events"]:
        p = e.get("params", {})
        if e["type"] == start and "file://" in p.get("network_isolation_key", "") and "url" in p:
            if not p["url"].startswith(("file:", "data:")):
                urls.append(p["url"])
    return urls


def rows_of(dom, table_id):
    table = dom.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def cells(row):
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap installs it)")


@needs_chromium
def test_chromium_control_page_shows_the_request_check_can_fail(tmp_path):
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><body><script src="https://example.invalid/a.js"></script></body></html>')
    _, netlog = chromium(tmp_path, page, "--dump-dom")
    assert page_requests(netlog) == ["https://example.invalid/a.js"]


REPORTS = {
    "ast": lambda flows: ["ast", os.path.join(DATA, "ast")],
    "logscan": lambda flows: ["logscan", os.path.join(DATA, "logscan"), "--templates"],
    "patterns": lambda flows: ["patterns", os.path.join(DATA, "patterns", "app")],
    "correlate": correlate_args,
}


@needs_chromium
@pytest.mark.parametrize("command", sorted(REPORTS))
def test_html_report_in_chromium(run, tmp_path, flows, command):
    args = REPORTS[command](flows)
    report = tmp_path / f"{command}.html"
    r = run(*args, "--format", "html", "-o", report)
    assert r.code == 0, r.err
    results = run(*args).json()["results"]
    expected_rows = sum(len(x["functions"]) for x in results) if command == "ast" else len(results)
    expected_rows = min(expected_rows, 5000)

    # Script off (the page's own policy forbids scripts; --dump-dom needs the browser's script, so
    # Blink's scriptEnabled=false cannot be used): everything is there, in the order obscore wrote it.
    html = report.read_text()
    assert "script-src 'unsafe-inline'" in html
    plain = tmp_path / f"{command}-noscript.html"
    plain.write_text(html.replace("script-src 'unsafe-inline'", "script-src 'none'").replace(
        "</body>", "<script>document.body.insertAdjacentHTML('beforeend', '<p id=js-ran></p>')</script></body>"))
    dom_plain, netlog = chromium(tmp_path, plain, "--dump-dom")
    assert 'id="js-ran"' not in dom_plain, "scripts ran"
    assert page_requests(netlog) == []
    assert len(rows_of(dom_plain, "results-table")) == expected_rows
    assert "<svg" in dom_plain or command == "ast"

    # Script on: a click on a numeric header sorts by it (descending first, then ascending).
    headers = re.findall(r"<th([^>]*)><button[^>]*>([^<]*)</button>", dom_plain.split('id="results-table"', 1)[1])
    numeric = [i for i, (attrs, _) in enumerate(headers) if "data-num" in attrs]
    assert numeric, headers
    col = numeric[-1]
    clicked = tmp_path / f"{command}-clicked.html"
    clicked.write_text(html.replace(
        "</body>", "<script>var b=document.querySelectorAll('#results-table thead th button')[%d];"
                   "b.click();b.click();b.click();</script></body>" % col))
    dom, netlog = chromium(tmp_path, clicked, "--dump-dom")
    assert page_requests(netlog) == []
    rows = [cells(x) for x in rows_of(dom, "results-table")]
    assert len(rows) == expected_rows

    def key(v):
        try:
            return float(v)
        except ValueError:
            return float("-inf")

    values = [key(r[col]) for r in rows]
    assert values == sorted(values, reverse=True), (headers[col], values[:20])
    assert 'aria-sort="descending"' in dom.split('id="results-table"', 1)[1].split("</thead>", 1)[0]

    shot = tmp_path / f"{command}.png"
    chromium(tmp_path, report, f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


# --- terminal --------------------------------------------------------------------------------

def run_on_terminal(binary, args, columns=80, env_extra=None):
    """Runs obscore with stdout and stderr on one pseudo-terminal; returns what it showed."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    env.update(env_extra or {})
    proc = subprocess.Popen([binary, *map(str, args)], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    text = re.sub(r"\x1b\[[0-9;]*[mK]", "", out.decode("utf-8", "replace")).replace("\r\n", "\n")
    return proc.returncode, "\n".join(line.split("\r")[-1] for line in text.split("\n"))  # progress lines redrawn


def test_terminal_summarises_diagnostics_above_the_table(binary, tmp_path):
    root = bad_c_files(tmp_path / "src", 14)
    code, shown = run_on_terminal(binary, ["ast", "--no-cache", root], env_extra={"XDG_CACHE_HOME": str(tmp_path)})
    assert code == 0, shown
    lines = shown.splitlines()
    summary = [i for i, l in enumerate(lines) if "more like it" in l]
    header = [i for i, l in enumerate(lines) if l.startswith("path")]
    assert len(summary) == 1 and header, shown
    assert summary[0] < header[0], shown
    assert "and 13 more like it in 14 files; -v lists them" in lines[summary[0]]
    # -v lists every one.
    code, shown = run_on_terminal(binary, ["ast", "-v", "--no-cache", root], env_extra={"XDG_CACHE_HOME": str(tmp_path)})
    assert sum("syntax error" in l for l in shown.splitlines()) == 14


def test_terminal_table_cuts_paths_from_the_left(binary, tmp_path):
    deep = tmp_path / "Sources" / "NetworkingKitWithALongName" / "Internal" / "Transport" / "Tests"
    deep.mkdir(parents=True)
    (deep / "WebSocketTests.swift").write_text("func ping(a: Int) -> Int {\n  if a > 0 { return 1 }\n  return 0\n}\n")
    code, shown = run_on_terminal(binary, ["ast", "--no-cache", tmp_path / "Sources"], columns=70)
    assert code == 0, shown
    row = next(l for l in shown.splitlines() if "ping" in l)
    assert row.startswith("…/") and "/WebSocketTests.swift" in row, shown
    assert max(len(l) for l in shown.splitlines() if not l.startswith(("obscore:",))) <= 70, shown
