"""Call settings versus flags: the call's own settings end in "_" (timeout_, cancel_, check_,
env_, stdin_) and every other keyword is a flag sent as one `--flag=value` argument, so
netscan's own --timeout and values beginning with "-" reach the binary; stream() and the iter_*
functions honour timeout_.

Some tests run a stand-in binary (a small Python script set as OBSCORE_BIN) that records its
argv or misbehaves on purpose (never finishes); the rest run the real obscore."""
import json
import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import obscore
from obscore._process import flags

HERE = os.path.dirname(os.path.abspath(__file__))
LOG = os.path.join(HERE, "..", "data", "logscan", "hadoop.log")
ENVELOPE = {"tool": "obscore", "version": "0.1.0", "command": "netscan", "schema_version": 1,
            "summary": {"targets": 0}, "results": [], "diagnostics": []}


def stand_in(tmp_path, monkeypatch, body):
    """OBSCORE_BIN becomes a script: `argv` (its arguments) and `out` (its stdout) in scope."""
    script = tmp_path / "fake-obscore"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys, time\nargv = sys.argv[1:]\nout = sys.stdout\n"
                      + textwrap.dedent(body))
    script.chmod(0o755)
    monkeypatch.setenv("OBSCORE_BIN", str(script))
    return script


# --- --flag=value -----------------------------------------------------------------------------

def test_flags_are_single_arguments_with_the_value_attached():
    assert flags({"exclude": "-gen.py", "max_cyclomatic": 10, "no_cache": True, "lang": None, "hidden": False}) == [
        "--exclude=-gen.py", "--max-cyclomatic=10", "--no-cache"]
    assert flags({"include": ["-a", "b"], "t": -1, "m": "19M"}) == ["--include=-a", "--include=b", "-t-1", "-m19M"]
    assert flags({"header": ""}) == ["--header="]


def test_a_value_beginning_with_a_dash_reaches_the_flag(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    (tmp_path / "-gen.py").write_text("def g(x):\n    return x or 1\n")
    everything = obscore.ast(tmp_path, no_cache=True)
    assert sorted(os.path.basename(f.path) for f in everything.results) == ["-gen.py", "a.py"]
    kept = obscore.ast(tmp_path, exclude="-gen.py", no_cache=True)  # was: "-gen.py" taken for a flag
    assert [os.path.basename(f.path) for f in kept.results] == ["a.py"]
    # a regex beginning with "-", repeated through a list as well
    report = obscore.logscan(LOG, regexp=["-?ERROR", "-{0}FATAL"], check_=False)
    assert [(p["regex"], p["records"]) for p in report.summary["patterns"]] == [("-?ERROR", 2), ("-{0}FATAL", 1)]


def test_logscan_patterns_mapping_and_pattern_file(tmp_path):
    rules = tmp_path / "p.txt"
    rules.write_text("fatal=FATAL\n")
    by_file = obscore.logscan(LOG, patterns=rules, check_=False)  # the --patterns flag
    assert [(p["id"], p["records"]) for p in by_file.summary["patterns"]] == [("fatal", 1)]
    both = obscore.logscan(LOG, patterns={"err": "ERROR"}, regexp="WARN", check_=False)
    assert sorted(p["regex"] for p in both.summary["patterns"]) == ["ERROR", "WARN"]


# --- netscan --timeout versus the call's timeout_ ---------------------------------------------

def test_netscan_timeout_is_the_flag_and_timeout_underscore_the_call(tmp_path, monkeypatch):
    script = stand_in(tmp_path, monkeypatch, f"""
        open({str(tmp_path / 'argv.json')!r}, "w").write(json.dumps(argv))
        out.write(json.dumps({ENVELOPE!r}))
    """)
    obscore.netscan("127.0.0.1", ports=[22, 80], timeout=250, retries=0, timeout_=30)
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv == ["--format=json", "--color=never", "netscan", "--ports=22,80", "--timeout=250", "--retries=0",
                    "--", "127.0.0.1"]
    assert list(obscore.iter_netscan("127.0.0.1", ports=22, timeout=250, timeout_=30)) == []
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv == ["--format=ndjson", "--color=never", "netscan", "--ports=22", "--timeout=250", "--", "127.0.0.1"]
    # the call's own timeout still bounds the call, whatever netscan's --timeout says
    script.write_text(script.read_text().replace("out.write(", "time.sleep(60); out.write("))
    started = time.monotonic()
    with pytest.raises(obscore.Timeout):
        obscore.netscan("127.0.0.1", ports=22, timeout=60000, timeout_=0.5)
    assert time.monotonic() - started < 30


def test_netscan_timeout_reaches_the_real_binary():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    # --timeout is 1..600000 ms: 0 is refused by netscan itself (before, timeout=0 was a 0 s call)
    with pytest.raises(obscore.UsageError, match="--timeout"):
        obscore.netscan("127.0.0.1", ports=port, timeout=0)
    report = obscore.netscan("127.0.0.1", ports=port, timeout=5000, retries=0, timeout_=60)
    assert [(r.port, r.state) for r in report.results] == [(port, "closed")]
    assert [(r.port, r.state) for r in obscore.iter_netscan("127.0.0.1", ports=port, timeout=5000,
                                                           timeout_=60)] == [(port, "closed")]


def test_former_call_setting_names_fail_loudly(tmp_path):
    src = tmp_path / "a.py"
    src.write_text("def f():\n    return 1\n")
    with pytest.raises(obscore.UsageError, match=r"timeout_="):  # ast has no --timeout
        obscore.ast(src, timeout=5, no_cache=True)
    with pytest.raises(TypeError, match="check_="):  # check=False would have been dropped silently
        obscore.ast(src, check=False)
    with pytest.raises(TypeError, match="cancel_="):
        obscore.ast(src, cancel=obscore.CancelToken())
    with pytest.raises(TypeError, match="env_="):
        obscore.run("ast", src, env={"X": "1"})
    with pytest.raises(TypeError, match="stdin_="):
        obscore.run("ast", "-", stdin=b"x = 1\n", lang="python")
    with pytest.raises(TypeError, match="unknown call setting timout_"):
        obscore.ast(src, timout_=5)
    with pytest.raises(TypeError, match="default_"):
        obscore.config_get(src, ".a", default=None)
    with pytest.raises(TypeError, match="flag value"):
        obscore.ast(src, exclude={"a": 1})


def test_env_and_stdin_underscore(tmp_path, monkeypatch):
    stand_in(tmp_path, monkeypatch, f"""
        env = {{"seen": os.environ.get("OBSCORE_PY_TEST"), "stdin": sys.stdin.read()}}
        out.write(json.dumps(dict({ENVELOPE!r}, summary=env)))
    """)
    report = obscore.run("netscan", env_={"OBSCORE_PY_TEST": "yes"}, stdin_=b"-data-")
    assert report["summary"] == {"seen": "yes", "stdin": "-data-"}


# --- stream timeout ---------------------------------------------------------------------------

RESULT = {"type": "result", "data": {"host": "h", "address": "127.0.0.1", "port": 1, "state": "closed",
                                     "latency_us": 1, "reason": "conn-refused", "banner": None, "service": None}}


def test_stream_timeout_stops_a_child_that_never_finishes(tmp_path, monkeypatch):
    stand_in(tmp_path, monkeypatch, f"""
        open({str(tmp_path / 'pid')!r}, "w").write(str(os.getpid()))
        out.write(json.dumps({RESULT!r}) + "\\n")
        out.flush()
        time.sleep(60)
    """)
    started = time.monotonic()
    it = obscore.iter_netscan("127.0.0.1", ports=1, timeout_=1.0)
    first = next(it)  # what arrived before the deadline is yielded
    assert isinstance(first, obscore.ScanResult) and first.state == "closed"
    with pytest.raises(obscore.Timeout) as exc:
        next(it)
    assert isinstance(exc.value, subprocess.TimeoutExpired) and exc.value.timeout == 1.0
    assert time.monotonic() - started < 30
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(int((tmp_path / "pid").read_text()), 0)


def test_stream_timeout_covers_the_consumer(tmp_path, monkeypatch):
    summary = {"type": "summary", "tool": "obscore", "version": "0", "command": "netscan", "schema_version": 1,
               "data": {}}
    stand_in(tmp_path, monkeypatch, f"""
        out.write(json.dumps({RESULT!r}) + "\\n" + json.dumps({RESULT!r}) + "\\n" + json.dumps({summary!r}) + "\\n")
    """)
    assert len(list(obscore.stream("netscan", timeout_=30))) == 3
    it = obscore.stream("netscan", timeout_=0.3)
    next(it)
    time.sleep(0.6)  # the consumer outlives the deadline: no further item
    with pytest.raises(obscore.Timeout):
        next(it)


def test_stream_timeout_on_the_real_binary(tmp_path):
    fifo = tmp_path / "never-written.py"
    os.mkfifo(fifo)  # opening a FIFO nobody writes blocks obscore
    with pytest.raises(obscore.Timeout):
        list(obscore.iter_ast(fifo, no_cache=True, timeout_=0.5))
    with pytest.raises(obscore.Timeout):
        list(obscore.stream("ast", fifo, no_cache=True, timeout_=0.5))
    src = tmp_path / "a.py"
    src.write_text("def f():\n    return 1\n")
    assert [f.functions[0].name for f in obscore.iter_ast(src, no_cache=True, timeout_=60)] == ["f"]
