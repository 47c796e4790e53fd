"""The CLI contract every subcommand shares: help, version, exit codes, output formats,
atomic output, colour, determinism, and bad inputs. Exercised through `obscore ast`."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

PY = "def f(a):\n    if a and a > 1:\n        return 1\n    return 0\n"


def write(path, text, mode="w"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode) as fh:
        fh.write(text)
    return str(path)


def strip_timing(doc):
    doc["summary"].pop("duration_ms", None)
    doc["summary"].pop("cache", None)
    return doc


# --- help and version ---------------------------------------------------------------------

def test_version(run):
    r = run("--version")
    assert r.code == 0
    assert re.fullmatch(r"obscore \d+\.\d+\.\d+( \(git [0-9a-f]+\))?\n", r.text)


@pytest.mark.parametrize("args", [["--help"], ["ast", "--help"], ["help", "ast"], ["help"]])
def test_help_goes_to_stdout_and_exits_0(run, args):
    r = run(*args)
    assert r.code == 0
    assert "Usage" in r.text or "usage" in r.text.lower()
    if "ast" in args:
        assert "--max-cyclomatic" in r.text


# --- exit codes: every row of the table -----------------------------------------------------

def test_exit_0_success(run, tmp_path):
    assert run("ast", write(tmp_path / "a.py", PY)).code == 0


def test_exit_1_gate_tripped(run, tmp_path):
    r = run("ast", "--max-cyclomatic", "2", write(tmp_path / "a.py", PY))
    assert r.code == 1
    doc = r.json()
    assert doc["summary"]["findings"] == 1
    finding = doc["results"][0]["findings"][0]
    assert finding["rule"] == "max-cyclomatic" and finding["value"] == 3 and finding["line"] == 1


@pytest.mark.parametrize("args,needle", [
    (["astt", "x"], "did you mean 'ast'"),
    (["frobnicate"], "unknown subcommand"),
    (["ast", "--no-such-flag", "x"], "no-such-flag"),
    (["--format", "yaml", "ast", "x"], "format"),
    (["--threads", "0", "ast", "x"], "threads"),
    (["ast"], "no inputs"),
    (["ast", "--lang", "cobol", "x"], "unknown language"),
    (["ast", "--max-cyclomatic", "-3", "x"], "max-cyclomatic"),
    (["ast", "--max-cognitive", "-1", "x"], "-1 is not a whole number >= 0"),
    (["ast", "--max-nesting", "2.5", "x"], "'2.5' is not a whole number"),
    (["-j", "0", "ast", "x"], "0 is not between 1 and 1024"),
    (["logscan", "--top", "-5", "x"], "-5 is not a whole number >= 0"),
    (["netscan", "--timeout", "0", "127.0.0.1"], "0 is not between 1 and 600000"),
    (["ast", "--max-file-size", "lots", "x"], "max-file-size"),
])
def test_exit_2_usage_errors_never_leak_cli11_codes(run, args, needle):
    r = run(*args)
    assert r.code == 2, r.err
    assert r.out == b""
    assert r.err.startswith("obscore: error: ")
    assert needle in r.err


def test_zero_is_a_valid_gate(run, tmp_path):
    # `--max-cognitive 0`: no cognitive complexity allowed; a function with one `if` trips it.
    path = write(tmp_path / "a.py", "def f(x):\n    if x:\n        return 1\n    return 0\n\ndef g():\n    return 2\n")
    r = run("ast", "--max-cognitive", "0", path)
    assert r.code == 1, r.err
    findings = [f for res in r.json()["results"] for f in res["findings"]]
    assert [(f["rule"], f["value"]) for f in findings] == [("max-cognitive", 1)]


def test_exit_3_partial_failure_still_reports_the_rest(run, tmp_path):
    good = write(tmp_path / "a.py", PY)
    r = run("ast", good, str(tmp_path / "missing.py"))
    assert r.code == 3
    doc = r.json()
    assert [x["path"] for x in doc["results"]] == [good]
    assert doc["diagnostics"][0]["severity"] == "error"
    assert doc["diagnostics"][0]["path"].endswith("missing.py")
    assert "missing.py: no such file or directory" in r.err


def test_exit_3_beats_exit_1(run, tmp_path):
    r = run("ast", "--max-cyclomatic", "1", write(tmp_path / "a.py", PY), str(tmp_path / "nope"))
    assert r.code == 3


def test_exit_4_internal_error(run, tmp_path):
    r = run("ast", write(tmp_path / "a.py", PY), env={"OBSCORE_INTERNAL_TEST_FAULT": "1"})
    assert r.code == 4
    assert "internal error" in r.err


def test_exit_130_interrupted_leaves_no_partial_output(binary, tmp_path):
    out = tmp_path / "out.json"
    proc = subprocess.Popen([binary, "-o", str(out), "ast", "--lang", "python", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The temp file exists once output is set up; obscore then waits on stdin.
    for _ in range(500):
        if any(p.name.startswith(".out.json.tmp") for p in tmp_path.iterdir()):
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cmd", ["correlate", "config", "crypto"])
def test_a_reader_that_stops_early_ends_the_run_quietly(binary, tmp_path, cmd):
    # `obscore ... | head -1`: standard output closed by its reader is not an error (as in rg).
    ui = tmp_path / "ui.ndjson"
    api = tmp_path / "api.ndjson"
    ui.write_text("".join(json.dumps({"id": f"u{i}", "session": "s", "timestamp": 1700000000000 + i * 2000})
                          + "\n" for i in range(2000)))
    api.write_text("".join(json.dumps({"id": f"a{i}", "session": "s", "timestamp": 1700000000100 + i * 2000,
                                       "method": "GET", "url": f"/items/{i}"}) + "\n" for i in range(20000)))
    big = tmp_path / "big.yaml"
    big.write_text("".join(f"key{i}: [value {i}, {i}, true]\n" for i in range(100000)))
    args = {"correlate": ["--format", "ndjson", "correlate", "--ui", ui, "--api", api],
            "config": ["config", "to-json", big],
            "crypto": ["crypto", "decrypt", "--key-file", tmp_path / "k", "-o", "-", tmp_path / "big.enc"]}[cmd]
    if cmd == "crypto":
        assert subprocess.run([binary, "crypto", "keygen", "-o", tmp_path / "k"]).returncode == 0
        blob = tmp_path / "blob"
        blob.write_bytes(os.urandom(8 << 20))
        assert subprocess.run([binary, "crypto", "encrypt", "--key-file", tmp_path / "k", "-o",
                               tmp_path / "big.enc", blob]).returncode == 0
    proc = subprocess.Popen([binary, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert len(first) == 100 and err == b""
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


@pytest.mark.parametrize("args,text", [
    (["ast"], PY),
    (["logscan"], "2024-01-01T00:00:00Z ERROR boom\n"),
    (["patterns"], "val url = \"/api/v1/users\"\n"),
    (["config", "lint"], "a: 1\n"),
    (["config", "to-json"], "a: 1\n"),
    (["crypto", "hash", "--input"], "password\n"),
    (["correlate", "--ui", "ui.ndjson", "--api"], '{"t": 1, "id": "a"}\n'),
])
def test_an_input_is_never_the_output(run, tmp_path, args, text):
    """-o naming one of the inputs (by another spelling too) is refused before anything runs,
    and the input keeps its bytes."""
    src = write(tmp_path / "in" / "source.kt", text)
    other_spelling = str(tmp_path / "in" / ".." / "in" / "source.kt")
    r = run(*args, src, "-o", other_spelling)
    assert r.code == 2, r.err
    assert "one of the inputs" in r.err and "source.kt" in r.err
    assert open(src).read() == text
    assert sorted(os.listdir(tmp_path / "in")) == ["source.kt"]


@pytest.mark.parametrize("cmd", ["result", "config", "crypto"])
def test_output_to_a_pipe_or_device_is_written_in_place(binary, tmp_path, cmd):
    # -o /dev/null, -o /dev/stdout, a named pipe: written like a shell redirection. A temp file
    # renamed over the target would replace the node itself (as root, /dev/null became a file).
    import stat
    import threading
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    doc = tmp_path / "doc.yaml"
    doc.write_text("a: 1\nb: [x, y]\n")
    key = tmp_path / "key"
    if cmd == "crypto":
        assert subprocess.run([binary, "crypto", "keygen", "-o", key]).returncode == 0
    args = {"result": ["-o", fifo, "config", "validate", doc],
            "config": ["config", "to-json", "-o", fifo, doc],
            "crypto": ["crypto", "encrypt", "--key-file", key, "-o", fifo, doc]}[cmd]
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    proc = subprocess.run([binary, *map(str, args)], capture_output=True, timeout=60)
    if reader.is_alive():  # obscore never opened the pipe: release the reader
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert received and received[0], "nothing came through the pipe"
    if cmd == "config":
        assert json.loads(received[0]) == {"a": 1, "b": ["x", "y"]}
    if cmd == "result":
        assert json.loads(received[0])["summary"]["valid"] == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not [p.name for p in tmp_path.iterdir() if ".tmp" in p.name]  # no temp file left


# --- output formats -------------------------------------------------------------------------

def test_json_envelope_shape(run, data_dir):
    r = run("ast", os.path.join(data_dir, "ast"))
    assert r.code == 0, r.err
    doc = r.json()
    assert list(doc) == ["tool", "version", "command", "schema_version", "summary", "results",
                         "diagnostics"]
    assert doc["tool"] == "obscore" and doc["command"] == "ast" and doc["schema_version"] == 2
    s = doc["summary"]
    for key in ["files", "functions", "lines", "languages", "cyclomatic", "cognitive",
                "max_nesting", "findings", "duration_ms"]:
        assert key in s
    assert set(s["languages"]) == {"c", "cpp", "go", "java", "javascript", "kotlin", "python",
                                   "rust", "swift", "typescript"}
    paths = [x["path"] for x in doc["results"]]
    assert paths == sorted(paths)
    f = doc["results"][0]["functions"][0]
    assert list(f) == ["name", "qualified_name", "kind", "start_line", "end_line", "loc", "sloc",
                       "params", "cyclomatic", "cognitive", "max_nesting"]
    assert list(doc["results"][0])[:5] == ["path", "language", "lines", "sloc", "parse_errors"]


def test_ndjson_lines_are_valid_and_summary_last(run, data_dir):
    r = run("--format", "ndjson", "ast", os.path.join(data_dir, "ast"))
    lines = [json.loads(l) for l in r.text.splitlines()]
    assert all(l["type"] in ("result", "diagnostic", "summary") for l in lines)
    assert lines[-1]["type"] == "summary"
    assert sum(1 for l in lines if l["type"] == "result") == lines[-1]["data"]["files"]


def test_csv_has_header_and_one_row_per_function(run, data_dir):
    r = run("--format", "csv", "ast", os.path.join(data_dir, "ast"))
    rows = r.text.split("\r\n")
    assert rows[0] == "path,line,function,cyclomatic,cognitive,nesting,loc,sloc,params"
    doc = run("ast", os.path.join(data_dir, "ast")).json()
    assert len([x for x in rows[1:] if x]) == doc["summary"]["functions"]


def test_table_sorted_worst_first_with_top(run, data_dir):
    r = run("--format", "table", "--color", "never", "ast", "--top", "3", os.path.join(data_dir, "ast"))
    lines = r.text.splitlines()
    assert lines[0].split()[:3] == ["path", "line", "function"]
    assert len(lines) == 5  # header, 3 rows, summary line
    cognitive = [int(l.split()[4]) for l in lines[1:4]]
    assert cognitive == sorted(cognitive, reverse=True)
    assert "files" in lines[-1] and "functions" in lines[-1]


def test_sarif_output_for_gate_findings(run, tmp_path):
    r = run("--format", "sarif", "ast", "--max-cognitive", "1", write(tmp_path / "a.py", PY))
    assert r.code == 1
    doc = r.json()
    assert doc["version"] == "2.1.0"
    res = doc["runs"][0]["results"]
    assert res[0]["ruleId"] == "ast/max-cognitive"
    assert res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_explain_lists_increments(run, tmp_path):
    doc = run("ast", "--explain", write(tmp_path / "a.py", PY)).json()
    incs = doc["results"][0]["functions"][0]["increments"]
    assert {"line": 2, "metric": "cyclomatic", "amount": 1, "reason": "if"} in incs


def test_same_output_for_one_and_two_threads(run, data_dir):
    a = strip_timing(run("-j", "1", "ast", "--no-cache", os.path.join(data_dir, "ast")).json())
    b = strip_timing(run("-j", "2", "ast", "--no-cache", os.path.join(data_dir, "ast")).json())
    assert a == b


def test_output_file_is_written_atomically(run, tmp_path):
    out = tmp_path / "report.json"
    r = run("-o", str(out), "ast", write(tmp_path / "src" / "a.py", PY))
    assert r.code == 0 and r.out == b""
    assert json.loads(out.read_text())["summary"]["files"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "src", "xdg-cache"]


def test_output_into_missing_directory_fails_cleanly(run, tmp_path):
    r = run("-o", str(tmp_path / "no" / "dir" / "x.json"), "ast", write(tmp_path / "a.py", PY))
    assert r.code == 3
    assert "x.json" in r.err and "cannot create output file" in r.err


def test_no_color_and_color_always(run, tmp_path):
    f = write(tmp_path / "a.py", PY)
    plain = run("--format", "table", "ast", f, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.text
    forced = run("--format", "table", "--color", "always", "ast", f)
    assert "\x1b[1m" in forced.text
    err = run("ast", str(tmp_path / "missing"), env={"NO_COLOR": "1"})
    assert "\x1b[" not in err.err


# --- bad inputs ---------------------------------------------------------------------------------

def test_directory_where_a_file_is_needed(run, tmp_path):
    r = run("ast", "--print-tree", str(tmp_path))
    assert r.code == 3
    assert "is a directory" in r.err


def test_print_tree_goes_through_the_output_layer(run, tmp_path):
    f = write(tmp_path / "a.py", "def f(x):\n    return x\n")
    doc = run("ast", "--print-tree", f).json()
    assert doc["command"] == "ast" and doc["summary"] == {"files": 1}
    (res,) = doc["results"]
    assert res["language"] == "python" and res["tree"].startswith("(module (function_definition")
    out = tmp_path / "tree.json"
    r = run("-o", str(out), "ast", "--print-tree", f)
    assert r.code == 0 and r.out == b""
    assert json.loads(out.read_text())["results"][0]["tree"] == res["tree"]


def test_error_messages_honour_color(run):
    # Before and after parsing, --color decides for error messages too (stderr is not a terminal here).
    assert "\x1b[" in run("--color", "always", "frobnicate").err
    assert "\x1b[" in run("--color=always", "ast", "--no-such-flag").err
    assert "\x1b[" not in run("frobnicate").err


def test_empty_file_has_no_functions(run, tmp_path):
    doc = run("ast", write(tmp_path / "empty.py", "")).json()
    assert doc["results"][0]["functions"] == [] and doc["results"][0]["lines"] == 0


def test_binary_file_is_skipped_with_a_warning(run, tmp_path):
    f = write(tmp_path / "bin.py", b"\x00\x01\x02ELF\x00" * 100, "wb")
    r = run("ast", f)
    assert r.code == 0
    doc = r.json()
    assert doc["results"] == [] and doc["summary"]["skipped"] == 1
    assert doc["diagnostics"][0]["severity"] == "warning"
    assert "binary" in doc["diagnostics"][0]["message"]


def test_symlink_loop(run, tmp_path):
    write(tmp_path / "d" / "a.py", PY)
    os.symlink("..", tmp_path / "d" / "up")
    r = run("ast", "--follow", str(tmp_path / "d"))
    assert r.code == 0
    assert "loop" in r.err
    os.symlink("self", tmp_path / "self")
    r = run("ast", str(tmp_path / "self"))
    assert r.code == 3 and "loop" in r.err


def test_unreadable_file(binary, tmp_path):
    # A directory of its own that nobody can enter (pytest's tmp_path is private to the user),
    # removed when the test ends.
    with tempfile.TemporaryDirectory(prefix="obscore-cli-") as base:
        os.chmod(base, 0o755)
        good = write(__import__("pathlib").Path(base) / "ok.py", PY)
        bad = write(__import__("pathlib").Path(base) / "secret.py", PY)
        os.chmod(bad, 0)
        cmd = [binary, "ast", "--no-cache", good, bad]
        if os.geteuid() == 0:  # root reads anything: drop to nobody for this run
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        proc = subprocess.run(cmd, capture_output=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert b"secret.py: permission denied" in proc.stderr
    assert len(json.loads(proc.stdout)["results"]) == 1


def test_non_utf8_file_name(run, tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.py")
    with open(name, "w") as fh:
        fh.write(PY)
    r = run("ast", str(tmp_path))
    assert r.code == 0
    doc = r.json()  # valid UTF-8 JSON
    assert doc["results"][0]["path"].endswith("caf\ufffd.py")


def test_stdin_needs_lang(run):
    r = run("ast", "--lang", "python", "-", stdin=PY.encode())
    assert r.code == 0
    assert r.json()["results"][0]["path"] == "-"
    assert r.json()["results"][0]["functions"][0]["cyclomatic"] == 3
    r = run("ast", "-", stdin=PY.encode())
    assert r.code == 3 and "--lang" in r.err


def test_unknown_extension_named_explicitly(run, tmp_path):
    r = run("ast", write(tmp_path / "notes.txt", "hello"))
    assert r.code == 3 and "pass --lang" in r.err


def test_gzip_and_crlf_inputs(run, tmp_path):
    import gzip
    f = tmp_path / "a.py.gz"
    f.write_bytes(gzip.compress(PY.replace("\n", "\r\n").encode()))
    doc = run("ast", str(f)).json()
    assert doc["results"][0]["functions"][0]["cyclomatic"] == 3


def test_large_and_minified_files_are_skipped(run, tmp_path):
    big = write(tmp_path / "big.py", "x = 1\n" * 2000)
    r = run("ast", "--max-file-size", "1K", big)
    assert r.code == 0 and "max-file-size" in r.err
    mini = write(tmp_path / "app.js", "var a=1;" * 2000)
    r = run("ast", mini)
    assert r.code == 0 and "minified" in r.err


def test_progress_only_when_stderr_is_a_terminal(binary, data_dir, tmp_path):
    import pty
    try:
        master, slave = pty.openpty()
    except OSError as exc:  # a container without /dev/pts
        pytest.skip(f"no pseudo-terminal available: {exc}")
    proc = subprocess.Popen([binary, "ast", "--no-cache", os.path.join(data_dir, "ast")],
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    chunks = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks += data
    os.close(master)
    assert proc.returncode == 0
    assert b"[ast]" in chunks and b"files" in chunks
    json.loads(out)  # stdout still carries only data
    piped = subprocess.run([binary, "ast", "--no-cache", os.path.join(data_dir, "ast")],
                           capture_output=True, timeout=60)
    assert piped.stderr == b""


def test_verbose_logs_go_to_stderr_only(run, tmp_path):
    r = run("-v", "ast", write(tmp_path / "a.py", PY))
    assert "obscore: info:" in r.err
    json.loads(r.out)
    q = run("-q", "ast", write(tmp_path / "bin.py", b"\x00" * 10, "wb"))
    assert q.err == ""
