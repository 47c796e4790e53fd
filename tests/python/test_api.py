"""The typed API: one function per subcommand, dataclass results, iter_* streams, check_=,
timeouts, cancellation and diagnostics on the exceptions."""
import json
import os
import socket
import subprocess
import threading
import time

import pytest

import obscore

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def test_backend_is_native_with_the_binary():
    assert obscore.backend() == "native"


def test_ast_returns_typed_files_and_functions(tmp_path):
    (tmp_path / "a.py").write_text("def f(a):\n    if a and a > 1:\n        return 1\n")
    report = obscore.ast(tmp_path, no_cache=True)
    assert isinstance(report, obscore.Report) and report.command == "ast"
    (f,) = report.results
    assert isinstance(f, obscore.AstFile) and f.language == "python" and f.lines == 3
    (fn,) = f.functions
    assert isinstance(fn, obscore.AstFunction)
    assert (fn.name, fn.cyclomatic, fn.cognitive, fn.max_nesting, fn.params) == ("f", 3, 2, 1, 1)
    assert report.summary["functions"] == 1
    streamed = list(obscore.iter_ast(tmp_path, no_cache=True))
    assert [x.functions[0].cyclomatic for x in streamed] == [3]


def test_check_false_returns_the_report_of_a_tripped_gate(tmp_path):
    (tmp_path / "a.py").write_text("def f(a):\n    if a and a > 1:\n        return 1\n")
    with pytest.raises(obscore.GateTripped) as exc:
        obscore.ast(tmp_path, max_cyclomatic=2, no_cache=True)
    assert exc.value.report["summary"]["findings"] == 1
    report = obscore.ast(tmp_path, max_cyclomatic=2, no_cache=True, check_=False)
    assert report.results[0].findings[0].rule == "max-cyclomatic"


def test_input_error_carries_parsed_diagnostics(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    missing = tmp_path / "missing.py"
    with pytest.raises(obscore.InputError) as exc:
        obscore.ast(tmp_path / "a.py", missing, no_cache=True)
    (d,) = exc.value.diagnostics
    assert isinstance(d, obscore.Diagnostic)
    assert d.path == str(missing) and d.severity == "error" and "no such file" in d.message
    assert len(exc.value.report["results"]) == 1


def test_usage_error_diagnostics_from_stderr(tmp_path):
    (tmp_path / "c.yaml").write_text("a: 1\n")
    with pytest.raises(obscore.UsageError) as exc:
        obscore.config_get(tmp_path / "c.yaml", "..bad[")
    assert exc.value.returncode == 2 and exc.value.diagnostics


def test_logscan_with_patterns_mapping():
    log = os.path.join(DATA, "logscan", "hadoop.log")
    report = obscore.logscan(log, patterns={"err": "ERROR"}, check_=False)
    assert isinstance(report.results[0], obscore.LogFile)
    assert report.results[0].records == 6
    assert report.summary["patterns"][0]["id"] == "err"
    assert [f.path for f in obscore.iter_logscan(log)] == [log]


def test_patterns_typed_findings(tmp_path):
    (tmp_path / "a.kt").write_text("fun f(x: Int) { require(x > 0) }\n")
    report = obscore.patterns(tmp_path)
    assert report.results and all(isinstance(f, obscore.PatternFinding) for f in report.results)
    hit = next(f for f in report.results if f.rule_id == "numeric-comparison")
    assert (hit.line, hit.captures["operator"]) == (1, ">")
    assert [f.rule_id for f in obscore.iter_patterns(tmp_path)] == [f.rule_id for f in report.results]


def test_correlate_typed_attributions(tmp_path):
    ui = tmp_path / "ui.ndjson"
    api = tmp_path / "api.ndjson"
    ui.write_text(json.dumps({"id": "u1", "session": "s", "timestamp": 1700000000000, "action": "tap"}) + "\n")
    api.write_text(json.dumps({"id": "a1", "session": "s", "timestamp": 1700000000150, "method": "GET", "url": "/x/1",
                               "status": 200}) + "\n")
    report = obscore.correlate(ui=ui, api=api)
    (a,) = report.results
    assert isinstance(a, obscore.Attribution)
    assert (a.api_id, a.ui_id, a.method, a.url_template) == ("a1", "u1", "GET", "/x/{id}")
    assert [x.api_id for x in obscore.iter_correlate(ui=ui, api=api)] == ["a1"]
    with pytest.raises(obscore.UsageError):
        obscore.correlate(ui=ui)


def test_config_functions(tmp_path):
    base = tmp_path / "base.yaml"
    over = tmp_path / "over.yaml"
    base.write_text("a: 1\nlist: [1, 2]\nnested: {x: 1}\n---\nsecond: true\n")
    over.write_text("nested: {y: 2}\n")
    assert obscore.config_to_json(base) == [{"a": 1, "list": [1, 2], "nested": {"x": 1}}, {"second": True}]
    single = tmp_path / "single.yaml"
    single.write_text("nested: {x: 1}\nlist: [1, 2]\n")
    assert obscore.config_get(single, ".list[1]") == 2
    assert obscore.config_get(single, ".missing", default_=None) is None
    with pytest.raises(KeyError):
        obscore.config_get(single, ".missing")
    assert obscore.config_merge(single, over) == {"nested": {"x": 1, "y": 2}, "list": [1, 2]}
    assert "nested:" in obscore.config_to_yaml(single)
    dup = tmp_path / "dup.yaml"
    dup.write_text("a: 1\na: 2\n")
    lint = obscore.config_lint(dup, check_=False)
    assert [(f.rule, f.line) for f in lint.results] == [("duplicate-key", 2)]
    assert isinstance(lint.results[0], obscore.LintFinding)
    with pytest.raises(obscore.InputError) as exc:
        obscore.config_validate(single, dup)
    assert [d.line for d in exc.value.diagnostics] == [2]
    ok = obscore.config_validate(single)
    assert isinstance(ok.results[0], obscore.Validation) and ok.results[0].valid


def test_crypto_round_trip_with_passphrase_never_in_argv(tmp_path):
    phc = obscore.crypto_hash(["correct horse", "battery"], profile="owasp")
    assert len(phc) == 2 and all(p.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for p in phc)
    report = obscore.crypto_verify([("correct horse", phc[0]), ("wrong", phc[1])], profile="owasp")
    assert [v.ok for v in report.results] == [True, False]
    with pytest.raises(obscore.GateTripped):
        obscore.crypto_verify([("wrong", phc[1])], check_=True)
    with pytest.raises(ValueError):
        obscore.crypto_hash(["two\nlines"])
    src = tmp_path / "plain.bin"
    src.write_bytes(os.urandom(70000))
    enc, dec = tmp_path / "c.obscrypt", tmp_path / "back.bin"
    obscore.crypto_encrypt(src, enc, passphrase="s3cret pass", profile="owasp")
    obscore.crypto_decrypt(enc, dec, passphrase="s3cret pass")
    assert dec.read_bytes() == src.read_bytes()
    with pytest.raises(obscore.InputError):
        obscore.crypto_decrypt(enc, tmp_path / "never.bin", passphrase="wrong")
    assert not (tmp_path / "never.bin").exists()
    key = tmp_path / "k.key"
    obscore.crypto_keygen(key)
    assert os.stat(key).st_mode & 0o777 == 0o600
    obscore.crypto_encrypt(src, tmp_path / "k.enc", key_file=key)
    obscore.crypto_decrypt(tmp_path / "k.enc", tmp_path / "k.out", key_file=key)
    assert (tmp_path / "k.out").read_bytes() == src.read_bytes()


def test_netscan_typed_results_on_loopback():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        report = obscore.netscan("127.0.0.1", ports=[port, closed_port], timeout_=60)
        states = {r.port: r.state for r in report.results}
        assert states == {port: "open", closed_port: "closed"}
        assert all(isinstance(r, obscore.ScanResult) for r in report.results)
        streamed = sorted((r.port, r.state) for r in obscore.iter_netscan("127.0.0.1", ports=port))
        assert streamed == [(port, "open")]
    finally:
        listener.close()


def test_timeout_stops_the_child_and_is_a_timeout_expired(tmp_path):
    fifo = tmp_path / "never-written.py"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(obscore.Timeout) as exc:
        obscore.ast(fifo, timeout_=0.5, no_cache=True)
    assert isinstance(exc.value, subprocess.TimeoutExpired)
    assert time.monotonic() - started < 30


def test_cancel_token_stops_a_running_call(tmp_path):
    fifo = tmp_path / "never-written.py"
    os.mkfifo(fifo)
    token = obscore.CancelToken()
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(obscore.Cancelled):
        obscore.ast(fifo, cancel_=token, no_cache=True)
    token.reset()
    assert not token.cancelled
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(obscore.Cancelled):
        list(obscore.iter_ast(fifo, cancel_=token, no_cache=True))


def test_closing_a_stream_early_stops_the_child(tmp_path):
    for i in range(50):
        (tmp_path / f"m{i:02d}.py").write_text("def f():\n    pass\n")
    it = obscore.iter_ast(tmp_path, no_cache=True, threads=1)
    first = next(it)
    assert first.path.endswith("m00.py")
    it.close()  # no exception, no zombie
