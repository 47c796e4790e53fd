"""The pure-Python backend: `ast` on Python files gives exactly the native results (the same
inputs through both), and everything else raises BinaryNotFound naming how to build."""
import copy
import os
import sys

import pytest

import obscore

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data", "ast"))
STDLIB = os.path.dirname(os.__file__)  # real code: Debian's Python standard library


def comparable(report):
    raw = copy.deepcopy(report.raw)
    for key in ("version", "tool"):
        raw.pop(key, None)
    for key in ("duration_ms", "cache"):
        raw["summary"].pop(key, None)
    return raw


def both(monkeypatch, *paths, **options):
    native = obscore.ast(*paths, no_cache=True, check_=False, **options)
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    assert obscore.backend() == "python"
    fallback = obscore.ast(*paths, check_=False, **options)
    monkeypatch.delenv("OBSCORE_FALLBACK")
    assert fallback.raw["version"] == "python-fallback"
    return comparable(native), comparable(fallback)


@pytest.mark.parametrize("paths", [
    [os.path.join(DATA, "python_fallback")],
    [os.path.join(DATA, "python")],
    [os.path.join(STDLIB, d) for d in ("email", "json", "asyncio", "importlib", "concurrent", "unittest")],
])
def test_fallback_equals_native(monkeypatch, paths):
    native, fallback = both(monkeypatch, *paths)
    assert native["summary"]["files"] > 0
    assert native["summary"]["parse_errors"] == 0
    for n, f in zip(native["results"], fallback["results"]):
        assert n == f, n["path"]
    assert native == fallback


def test_fallback_gates_and_relative_paths(monkeypatch, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.py").write_text("def f(a):\n    if a and a > 1:\n        return 1\n")
    (tmp_path / ".hidden.py").write_text("def g():\n    pass\n")
    monkeypatch.chdir(tmp_path)
    native, fallback = both(monkeypatch, ".", max_cyclomatic=2, max_nesting=1)
    assert native == fallback
    assert [r["path"] for r in fallback["results"]] == ["sub/a.py"]
    assert fallback["results"][0]["findings"][0]["rule"] == "max-cyclomatic"
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    with pytest.raises(obscore.GateTripped):
        obscore.ast(".", max_cyclomatic=2)


def test_without_a_binary(monkeypatch, tmp_path):
    monkeypatch.setenv("OBSCORE_BIN", str(tmp_path / "no-such-obscore"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert obscore.backend() == "python"
    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    assert obscore.ast(tmp_path / "a.py").results[0].functions[0].name == "f"
    (tmp_path / "A.java").write_text("class A { void f() {} }\n")
    with pytest.raises(obscore.BinaryNotFound, match="non-Python"):
        obscore.ast(tmp_path)
    with pytest.raises(obscore.BinaryNotFound, match="scripts/demo"):
        obscore.logscan(tmp_path / "a.log", patterns={"x": "y"})
    with pytest.raises(obscore.BinaryNotFound):
        obscore.patterns(tmp_path)
    with pytest.raises(obscore.InputError) as exc:
        obscore.ast(tmp_path / "a.py", tmp_path / "missing.py")
    assert exc.value.diagnostics[0].path.endswith("missing.py")


def test_syntax_errors_are_reported_not_raised(monkeypatch, tmp_path):
    (tmp_path / "bad.py").write_text("def f(:\n    pass\n")
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    report = obscore.ast(tmp_path / "bad.py")
    assert report.results[0].parse_errors == 1 and report.results[0].functions == []


LOGS = os.path.normpath(os.path.join(HERE, "..", "data", "logscan"))
LEVEL_KEYS = ("files", "bytes", "lines", "records", "continuation_lines", "levels", "severity", "first_ts",
              "last_ts", "histogram")
FILE_KEYS = ("path", "format", "bytes", "lines", "records", "continuation_lines", "levels", "severity",
             "first_ts", "last_ts", "histogram")


def generated_logs(root):
    """Every format the generator writes, CRLF and gzip, continuation lines and odd lines."""
    import gzip
    import subprocess
    gen = os.path.normpath(os.path.join(HERE, "..", "..", "bench", "logscan", "gen_logs.py"))
    for fmt in ("iso", "json", "logfmt", "syslog", "logcat"):
        subprocess.run([sys.executable, gen, str(root / f"g-{fmt}.log"), "--size-mb", "0.3", "--format", fmt],
                       check=True, capture_output=True)
    subprocess.run([sys.executable, gen, str(root / "crlf.log"), "--size-mb", "0.2", "--crlf"], check=True,
                   capture_output=True)
    with open(root / "crlf.log", "rb") as f, gzip.open(root / "crlf.log.1.gz", "wb") as g:
        g.write(f.read())
    (root / "mixed.log").write_text(
        "2024-01-01 10:00:00,123 - mod - WARNING - x\n2024-01-01 10:00:01 [main] ERROR c.Foo: y\n"
        "[2024-01-01T10:00:02+02:00] info z\n  at continuation\n2024-13-01 10:00:00 bad month\n"
        "2024/01/01 10:00:03 notice: w\n")
    (root / "plain.log").write_text("no header here\nanother ERROR word\n\n   \n")
    (root / "empty.log").write_text("")


@pytest.mark.parametrize("which", ["fixtures", "generated"])
def test_logscan_level_counts_equal_native(monkeypatch, tmp_path, which):
    if which == "fixtures":
        paths = [LOGS]
    else:
        generated_logs(tmp_path)
        paths = [tmp_path]
    native = obscore.logscan(*paths, year=2026, check_=False)
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    fallback = obscore.logscan(*paths, year=2026, check_=False)
    monkeypatch.delenv("OBSCORE_FALLBACK")
    assert native.summary["files"] >= 5
    assert {k: fallback.summary[k] for k in LEVEL_KEYS} == {k: native.summary[k] for k in LEVEL_KEYS}
    n = [{k: r.extra.get(k, getattr(r, k, None)) for k in FILE_KEYS} for r in native.results]
    f = [{k: r.extra.get(k, getattr(r, k, None)) for k in FILE_KEYS} for r in fallback.results]
    assert f == n


def test_logscan_fallback_gate_and_formats(monkeypatch):
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    log = os.path.join(LOGS, "hadoop.log")
    with pytest.raises(obscore.GateTripped) as exc:
        obscore.logscan(log, fail_on="fatal")
    assert exc.value.report["summary"]["gates"]["fail_on"]["records"] == 1
    forced = obscore.logscan(log, log_format="plain")
    assert forced.results[0].format == "plain"
    with pytest.raises(obscore.UsageError):
        obscore.logscan(log, log_format="nosuch")
    assert [r.path for r in obscore.iter_logscan(log)] == [log]


def test_fallback_takes_the_same_call_settings(monkeypatch, tmp_path):
    (tmp_path / "a.py").write_text("def f(a):\n    if a and a > 1:\n        return 1\n")
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    report = obscore.ast(tmp_path, max_cyclomatic=2, check_=False, timeout_=30, env_={"X": "1"},
                         cancel_=obscore.CancelToken(), threads=1)
    assert report.results[0].findings[0].rule == "max-cyclomatic"
    assert isinstance(report.results[0].findings[0], obscore.AstFinding)
    with pytest.raises(obscore.GateTripped):
        obscore.ast(tmp_path, max_cyclomatic=2, check_=True)
    for old in ("timeout", "check", "cancel"):
        with pytest.raises(TypeError, match=f"{old}_="):
            obscore.ast(tmp_path, **{old: 5 if old == "timeout" else obscore.CancelToken() if old == "cancel" else False})
    with pytest.raises(TypeError, match="unknown call setting"):
        obscore.logscan(os.path.join(LOGS, "hadoop.log"), tiemout_=3)
    token = obscore.CancelToken()
    token.cancel()
    with pytest.raises(obscore.Cancelled):
        obscore.logscan(os.path.join(LOGS, "hadoop.log"), cancel_=token)
    assert [r.path for r in obscore.iter_logscan(os.path.join(LOGS, "hadoop.log"), timeout_=5)] == [
        os.path.join(LOGS, "hadoop.log")]


# Issue 22's formats: the daemons' logs, learned formats, and loghub's real samples, through both.
FORMATS_DIR = os.path.normpath(os.path.join(HERE, "..", "data", "logscan-formats"))
LOGHUB = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpora", "loghub-2k"))
REAL_KEYS = FILE_KEYS + ("header",)


def real_logs():
    logs = sorted(os.path.join(FORMATS_DIR, n) for n in os.listdir(FORMATS_DIR) if n.endswith(".log"))
    if os.path.isdir(LOGHUB):  # ../shared beside the worktree (tests/cli reads it too)
        logs += sorted(os.path.join(LOGHUB, d, f"{d}_2k.log") for d in os.listdir(LOGHUB)
                       if os.path.isfile(os.path.join(LOGHUB, d, f"{d}_2k.log")))
    return logs


def logscan_both(monkeypatch, path, **options):
    """(native, fallback): each the report, or the InputError it raised."""
    out = []
    for fallback in (False, True):
        if fallback:
            monkeypatch.setenv("OBSCORE_FALLBACK", "1")
        try:
            out.append(obscore.logscan(path, year=2023, check_=False, **options))
        except obscore.InputError as exc:
            out.append(exc)
        finally:
            monkeypatch.delenv("OBSCORE_FALLBACK", raising=False)
    return out


def test_real_logs_are_all_there():
    names = {os.path.basename(p) for p in real_logs()}
    assert {"postgres.log", "redis.log", "mysql_error.log", "mariadb_error.log", "docker-json.log", "access.log",
            "learned_bgl.log", "learned_openstack.log", "gate_unreadable.log"} <= names
    if os.path.isdir(LOGHUB):
        assert "BGL_2k.log" in names and "OpenSSH_2k.log" in names


@pytest.mark.parametrize("path", real_logs(), ids=os.path.basename)
def test_logscan_real_logs_equal_native(monkeypatch, path):
    native, fallback = logscan_both(monkeypatch, path)
    assert type(native) is type(fallback)
    n = native.results[0]
    f = fallback.results[0]
    assert {k: f.extra.get(k, getattr(f, k, None)) for k in REAL_KEYS} == \
        {k: n.extra.get(k, getattr(n, k, None)) for k in REAL_KEYS}
    assert [(d.severity, d.path, d.message) for d in fallback.diagnostics] == \
        [(d.severity, d.path, d.message) for d in native.diagnostics]
    assert {k: fallback.summary[k] for k in LEVEL_KEYS} == {k: native.summary[k] for k in LEVEL_KEYS}


def test_logscan_fallback_reads_the_new_formats(monkeypatch):
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    formats = {os.path.basename(p): obscore.logscan(p, year=2023).results[0]
               for p in (os.path.join(FORMATS_DIR, n) for n in ("postgres.log", "redis.log", "learned_bgl.log"))}
    assert formats["postgres.log"].format == "postgres"
    assert formats["redis.log"].format == "redis"
    bgl = formats["learned_bgl.log"]
    assert bgl.format == "learned" and bgl.header is not None and bgl.header.startswith("^")
    pinned = obscore.logscan(os.path.join(FORMATS_DIR, "postgres.log"), log_format="pg", year=2023)
    assert pinned.results[0].format == "postgres"


def test_logscan_fallback_gate_never_passes_blind(monkeypatch):
    path = os.path.join(FORMATS_DIR, "gate_unreadable.log")
    native, fallback = logscan_both(monkeypatch, path, fail_on="error")
    assert isinstance(native, obscore.InputError) and isinstance(fallback, obscore.InputError)
    assert str(fallback) == str(native)
    assert "--fail-on cannot judge this file" in str(fallback)
    native, fallback = logscan_both(monkeypatch, path, fail_on="error", fail_on_unknown_format="ignore")
    assert [d.severity for d in fallback.diagnostics] == [d.severity for d in native.diagnostics] == ["warning"]


@pytest.mark.parametrize("option", ["records", "templates", "header"])
def test_logscan_fallback_says_what_it_does_not_support(monkeypatch, option):
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    value = r"^(?P<msg>.*)" if option == "header" else True
    with pytest.raises(obscore.BinaryNotFound, match=f"{option}.*Python fallback does not support"):
        obscore.logscan(os.path.join(FORMATS_DIR, "records_small.log"), **{option: value})
