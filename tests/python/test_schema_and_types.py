"""schema_version is checked on every JSON and NDJSON output (SchemaVersionError names the
version seen and the versions supported), and Report.results is typed per subcommand: the
annotations are precise (Report[AstFile], Iterator[ScanResult], ...) and the records the real
binary writes fit them exactly, with no key left over in `extra`."""
import json
import os
import socket
import subprocess
import sys
import textwrap
import typing
from dataclasses import fields, is_dataclass

import pytest

import obscore
import obscore.dask
from obscore import results as R

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data"))


def stand_in(tmp_path, monkeypatch, stdout, code=0):
    script = tmp_path / "fake-obscore"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.write({stdout!r})\nsys.exit({code})\n")
    script.chmod(0o755)
    monkeypatch.setenv("OBSCORE_BIN", str(script))


def envelope(version, **kw):
    doc = {"tool": "obscore", "version": "9.0.0", "command": "ast", "schema_version": version,
           "summary": {}, "results": [{"path": "a.py"}], "diagnostics": []}
    doc.update(kw)
    if version is None:
        del doc["schema_version"]
    return json.dumps(doc)


# --- schema_version ---------------------------------------------------------------------------

@pytest.mark.parametrize("code", [0, 1, 3])
def test_unknown_major_schema_version_in_json(tmp_path, monkeypatch, code):
    stand_in(tmp_path, monkeypatch, envelope(3), code)
    with pytest.raises(obscore.SchemaVersionError) as exc:
        obscore.ast("a.py", check_=False)
    assert exc.value.seen == 3 and exc.value.supported == (1, 2) == obscore.SUPPORTED_SCHEMA_VERSIONS
    assert "schema_version 3" in str(exc.value) and "schema_version 1, 2" in str(exc.value)
    assert "obscore ast output" in str(exc.value)
    assert isinstance(exc.value, obscore.ObscoreError) and exc.value.returncode == code


@pytest.mark.parametrize("seen", [None, "two", True, "3.0"])
def test_missing_or_unreadable_schema_version(tmp_path, monkeypatch, seen):
    stand_in(tmp_path, monkeypatch, envelope(seen))
    with pytest.raises(obscore.SchemaVersionError) as exc:
        obscore.run("ast", "a.py")
    assert exc.value.seen == seen
    assert ("has no schema_version" if seen is None else repr(seen)) in str(exc.value)


@pytest.mark.parametrize("minor", [1, "1", "1.4", 1.2])
def test_a_newer_minor_version_is_read(tmp_path, monkeypatch, minor):
    stand_in(tmp_path, monkeypatch, envelope(minor, results=[{"path": "a.py", "new_key": 1}]))
    report = obscore.ast("a.py")
    assert report.schema_version == 1
    assert report.results[0].path == "a.py" and report.results[0].extra == {"new_key": 1}


def ndjson(*objs):
    return "".join(json.dumps(o) + "\n" for o in objs)


RESULT = {"type": "result", "data": {"path": "a.py"}}


def summary(version):
    s = {"type": "summary", "tool": "obscore", "version": "9", "command": "ast", "schema_version": version,
         "data": {}}
    if version is None:
        del s["schema_version"]
    return s


def test_unknown_major_schema_version_in_ndjson(tmp_path, monkeypatch):
    stand_in(tmp_path, monkeypatch, ndjson(RESULT, summary(3)))
    with pytest.raises(obscore.SchemaVersionError) as exc:
        list(obscore.iter_ast("a.py"))
    assert exc.value.seen == 3 and exc.value.supported == (1, 2)
    # a line that carries the version is checked when it arrives, before anything after it
    stand_in(tmp_path, monkeypatch, ndjson(dict(summary(3), type="header"), RESULT, summary(3)))
    it = obscore.stream("ast", "a.py")
    with pytest.raises(obscore.SchemaVersionError):
        next(it)
    # a stream without any schema_version fails at its end
    stand_in(tmp_path, monkeypatch, ndjson(RESULT, summary(None)))
    with pytest.raises(obscore.SchemaVersionError, match="no schema_version"):
        list(obscore.stream("ast", "a.py"))
    for version in (1, 2):  # both versions this client reads
        stand_in(tmp_path, monkeypatch, ndjson(RESULT, summary(version)))
        assert [f.path for f in obscore.iter_ast("a.py")] == ["a.py"]


def test_dask_shards_and_merge_check_the_version(tmp_path, monkeypatch):
    stand_in(tmp_path, monkeypatch, envelope(3), 1)
    with pytest.raises(obscore.SchemaVersionError):
        obscore.dask.run_shard("ast", ["a.py"], 1, 2, {})
    with pytest.raises(obscore.SchemaVersionError):
        obscore.dask.merge("ast", [json.loads(envelope(1))])


def test_the_real_binary_writes_a_supported_version(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    return 1\n")
    assert obscore.run("ast", tmp_path, no_cache=True)["schema_version"] in obscore.SUPPORTED_SCHEMA_VERSIONS
    assert obscore.ast(tmp_path, no_cache=True).schema_version == 2
    assert list(obscore.stream("ast", tmp_path, no_cache=True))[-1]["schema_version"] == 2


# --- types ------------------------------------------------------------------------------------

def test_annotations_are_precise_per_subcommand():
    R_, It = obscore.Report, typing.Iterator
    expected = {
        obscore.ast: R_[obscore.AstFile], obscore.iter_ast: It[obscore.AstFile],
        obscore.logscan: R_[obscore.LogFile], obscore.iter_logscan: It[obscore.LogFile],
        obscore.patterns: R_[obscore.PatternFinding], obscore.iter_patterns: It[obscore.PatternFinding],
        obscore.config_lint: R_[obscore.LintFinding], obscore.config_validate: R_[obscore.Validation],
        obscore.crypto_verify: R_[obscore.Verification], obscore.crypto_hash: typing.List[str],
        obscore.netscan: R_[obscore.ScanResult], obscore.iter_netscan: It[obscore.ScanResult],
    }
    for fn, ann in expected.items():
        assert typing.get_type_hints(fn)["return"] == ann, fn.__name__
    overloads = [typing.get_type_hints(o)["return"] for o in typing.get_overloads(obscore.correlate)]
    assert overloads == [R_[obscore.UiGroup], R_[obscore.Attribution]]
    overloads = [typing.get_type_hints(o)["return"] for o in typing.get_overloads(obscore.iter_correlate)]
    assert overloads == [It[obscore.UiGroup], It[obscore.Attribution]]
    assert typing.get_type_hints(obscore.AstFile)["functions"] == typing.List[obscore.AstFunction]
    assert typing.get_type_hints(obscore.AstFile)["findings"] == typing.List[obscore.AstFinding]


def fits(value, hint, where):
    """`value` conforms to the annotation `hint`; dataclasses recursively, with `extra` empty."""
    if hint is typing.Any:
        return
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        if value is None:
            assert type(None) in args, where
            return
        (inner,) = [a for a in args if a is not type(None)]
        return fits(value, inner, where)
    if origin is list:
        assert isinstance(value, list), where
        for i, v in enumerate(value):
            fits(v, args[0], f"{where}[{i}]")
        return
    if origin is dict:
        assert isinstance(value, dict), where
        for k, v in value.items():
            fits(k, args[0], where)
            fits(v, args[1], f"{where}.{k}")
        return
    if is_dataclass(hint):
        assert isinstance(value, hint), f"{where}: {type(value).__name__} is not {hint.__name__}"
        hints = typing.get_type_hints(hint)
        for f in fields(hint):
            if f.name == "extra":
                assert getattr(value, "extra") == {}, f"{where}: keys left over: {sorted(value.extra)}"
            else:
                fits(getattr(value, f.name), hints[f.name], f"{where}.{f.name}")
        return
    if hint is float:
        assert isinstance(value, float), f"{where}: {value!r} is not a float"
    elif hint is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r} is not an int"
    else:
        assert isinstance(value, hint), f"{where}: {value!r} is not {hint}"


def check_report(report, cls):
    assert isinstance(report, obscore.Report) and report.results, report.command
    for i, r in enumerate(report.results):
        fits(r, cls, f"{report.command}.results[{i}]")
    for d in report.diagnostics:
        assert isinstance(d, obscore.Diagnostic)
    return report


def test_records_of_the_real_binary_fit_their_types(tmp_path):
    check_report(obscore.ast(os.path.join(DATA, "ast"), no_cache=True, explain=True, max_cyclomatic=1, check_=False),
                 obscore.AstFile)
    assert any(f.findings for f in obscore.ast(os.path.join(DATA, "ast", "python"), no_cache=True,
                                              max_cyclomatic=1, check_=False).results)
    pat = check_report(obscore.patterns(os.path.join(DATA, "patterns"), check_=False), obscore.PatternFinding)
    assert any(p.fields for p in pat.results) and any(p.states for p in pat.results)
    assert all(isinstance(f, obscore.ExtractedField) for p in pat.results for f in (p.fields or []))
    logs = check_report(obscore.logscan(os.path.join(DATA, "logscan"), patterns={"err": "ERROR"}, year=2026,
                                        check_=False), obscore.LogFile)
    assert any(p.records for f in logs.results for p in f.patterns)

    ui, api = tmp_path / "ui.ndjson", tmp_path / "api.ndjson"
    ui.write_text(json.dumps({"id": "u1", "session": "s", "timestamp": 1700000000000, "action": "tap",
                              "screen": "Home"}) + "\n")
    api.write_text("".join(json.dumps(r) + "\n" for r in (
        {"id": "a1", "session": "s", "timestamp": 1700000000150, "method": "GET", "url": "/x/1", "status": 200,
         "cause": "u1"},
        {"id": "a2", "session": "s", "timestamp": 1700000090150, "method": "GET", "url": "/y", "status": 500,
         "cause": "background"})))
    calls = check_report(obscore.correlate(ui=ui, api=api, truth="cause"), obscore.Attribution)
    assert [(c.ui_id, c.truth) for c in calls.results] == [("u1", "u1"), (None, "background")]
    assert all(isinstance(c.confidence, float) for c in calls.results)  # written as 1, read as 1.0
    check_report(obscore.correlate(ui=ui, api=api), obscore.Attribution)
    groups = check_report(obscore.correlate(ui=ui, api=api, group_by="ui"), obscore.UiGroup)
    assert [c.api_id for c in groups.results[0].api_calls] == ["a1"]
    assert [type(g).__name__ for g in obscore.iter_correlate(ui=ui, api=api, group_by="ui")] == ["UiGroup"]

    config = os.path.join(DATA, "config")
    check_report(obscore.config_lint(os.path.join(config, "lint.yaml"), check_=False), obscore.LintFinding)
    with pytest.raises(obscore.InputError) as exc:
        obscore.config_validate(os.path.join(config, "base.yaml"), os.path.join(config, "broken.yaml"))
    check_report(obscore.Report.from_json(exc.value.report, R.maker(obscore.Validation)), obscore.Validation)
    phc = obscore.crypto_hash(["pw"], profile="owasp")
    check_report(obscore.crypto_verify([("pw", phc[0]), ("no", phc[0])], profile="owasp"), obscore.Verification)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        port = listener.getsockname()[1]
        check_report(obscore.netscan("127.0.0.1", ports=port), obscore.ScanResult)
        for r in obscore.iter_netscan("127.0.0.1", ports=port):
            fits(r, obscore.ScanResult, "iter_netscan")
    finally:
        listener.close()


def test_static_types_with_mypy(tmp_path):
    """When mypy is installed (python3-mypy), it agrees: the package checks clean and a caller
    sees Report[AstFile] and its typed fields."""
    pytest.importorskip("mypy")
    pkg = os.path.normpath(os.path.join(HERE, "..", "..", "python"))
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent("""
        import obscore
        r = obscore.ast("src", check_=False)
        reveal_type(r)
        reveal_type(r.results[0].functions[0].cyclomatic)
        reveal_type(obscore.correlate(ui="u", api="a", group_by="ui").results[0])
        reveal_type(next(obscore.iter_netscan("127.0.0.1")))
    """))
    config = tmp_path / "mypy.ini"  # distributed (imported lazily by obscore.dask) is not what is checked
    config.write_text("[mypy]\n[mypy-distributed.*]\nfollow_imports = skip\nignore_missing_imports = True\n")
    env = dict(os.environ, MYPYPATH=pkg)
    out = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(tmp_path / "c"),
                          os.path.join(pkg, "obscore"), str(user)], capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    notes = [line for line in out.stdout.splitlines() if "Revealed type" in line]
    errors = [line for line in out.stdout.splitlines() if ": error:" in line]
    assert errors == [], out.stdout
    assert "obscore.results.Report[obscore.results.AstFile]" in notes[0]
    assert "builtins.int" in notes[1]
    assert "obscore.results.UiGroup" in notes[2]
    assert "obscore.results.ScanResult" in notes[3]
