"""The Python client: binary discovery, parsed results, exceptions by exit code, streaming."""
import os

import pytest

import obscore

PY = "def f(a):\n    if a and a > 1:\n        return 1\n"


@pytest.fixture
def src(tmp_path):
    p = tmp_path / "a.py"
    p.write_text(PY)
    return str(p)


def test_find_binary_prefers_obscore_bin(monkeypatch):
    assert obscore.find_binary() == os.environ["OBSCORE_BIN"]
    monkeypatch.setenv("OBSCORE_BIN", "/nonexistent/obscore")
    with pytest.raises(obscore.BinaryNotFound):
        obscore.find_binary()


def test_run_returns_the_envelope(src):
    report = obscore.run("ast", src, no_cache=True)
    assert report["command"] == "ast"
    assert report["results"][0]["functions"][0]["cyclomatic"] == 3


def test_gate_tripped_carries_the_report(src):
    with pytest.raises(obscore.GateTripped) as exc:
        obscore.run("ast", src, max_cyclomatic=2, no_cache=True)
    assert exc.value.returncode == 1
    assert exc.value.report["summary"]["findings"] == 1


def test_usage_and_input_errors(src, tmp_path):
    with pytest.raises(obscore.UsageError) as exc:
        obscore.run("ast", src, lang="cobol")
    assert "unknown language" in str(exc.value)
    with pytest.raises(obscore.InputError) as exc:
        obscore.run("ast", src, str(tmp_path / "missing.py"), no_cache=True)
    assert len(exc.value.report["results"]) == 1


def test_stdin_and_threads(src):
    report = obscore.run("ast", "-", stdin_=PY.encode(), lang="python", threads=1, no_cache=True)
    assert report["results"][0]["path"] == "-"


def test_stream_yields_ndjson_objects(src):
    items = list(obscore.stream("ast", src, no_cache=True))
    assert items[0]["type"] == "result"
    assert items[-1]["type"] == "summary"


def test_timeout_kills_the_child(tmp_path):
    import subprocess
    fifo = tmp_path / "never-written.py"
    os.mkfifo(fifo)
    with pytest.raises(subprocess.TimeoutExpired):
        # Opening a FIFO with no writer blocks: the timeout must fire.
        obscore.run("ast", str(fifo), timeout_=0.5, no_cache=True)


def test_version():
    assert obscore.version().startswith("obscore ")


def test_logscan_through_the_client():
    here = os.path.dirname(os.path.abspath(__file__))
    log = os.path.join(here, "..", "data", "logscan", "hadoop.log")
    report = obscore.run("logscan", log, regexp=["err=ERROR"], fail_on=None)
    assert report["summary"]["records"] == 6
    assert report["summary"]["patterns"][0] == {"id": "err", "regex": "ERROR", "records": 2, "lines": 3}
    with pytest.raises(obscore.GateTripped) as exc:
        obscore.run("logscan", log, fail_on="fatal")
    assert exc.value.report["summary"]["severity"]["fatal"] == 1
