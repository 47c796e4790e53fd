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
    native = obscore.ast(*paths, no_cache=True, check=False, **options)
    monkeypatch.setenv("OBSCORE_FALLBACK", "1")
    assert obscore.backend() == "python"
    fallback = obscore.ast(*paths, check=False, **options)
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
        obscore.logscan(tmp_path / "a.py")
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
