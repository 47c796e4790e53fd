"""`obscore logscan` end to end: every format (LF and CRLF), patterns against grep-style counts,
generated logs against their true counts, -j independence, gzip and stdin, bad inputs, gates."""
import gzip
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import check_log_file as check_file

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(SRC, "bench", "logscan", "gen_logs.py")
FIXTURES = os.path.join(SRC, "tests", "data", "logscan")
EXPECTED = json.load(open(os.path.join(FIXTURES, "expected.json")))




@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_format_hand_counted(run, name):
    r = run("logscan", "--year", "2023", os.path.join(FIXTURES, name))
    assert r.code == 0, r.err
    check_file(r.json()["results"][0], EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_format_with_crlf(run, tmp_path, name):
    data = open(os.path.join(FIXTURES, name), "rb").read().replace(b"\n", b"\r\n")
    f = tmp_path / name
    f.write_bytes(data)
    r = run("logscan", "--year", "2023", str(f))
    exp = dict(EXPECTED[name])
    check_file(r.json()["results"][0], exp)
    assert r.json()["results"][0]["bytes"] == len(data)


def test_level_comes_from_the_field_not_a_substring(run):
    doc = run("logscan", os.path.join(FIXTURES, "hadoop.log")).json()
    text = open(os.path.join(FIXTURES, "hadoop.log")).read()
    assert text.count("ERROR") == 3
    assert doc["summary"]["severity"]["error"] == 1


def test_patterns_match_grep_counts(run):
    pats = {"err": "ERROR", "exc": "Exception", "blk": r"blk_-?\d+", "ip": r"\d+\.\d+\.\d+\.\d+"}
    args = [a for k, v in pats.items() for a in ("-e", f"{k}={v}")]
    doc = run("logscan", *args, FIXTURES).json()
    lines = []
    for name in sorted(os.listdir(FIXTURES)):
        if name.endswith((".log", ".jsonl")):
            lines += open(os.path.join(FIXTURES, name), encoding="utf-8").read().splitlines()
    got = {p["id"]: p["lines"] for p in doc["summary"]["patterns"]}
    for k, v in pats.items():
        assert got[k] == sum(1 for l in lines if re.search(v, l)), k
    per_file = {os.path.basename(r["path"]): {p["id"]: p for p in r["patterns"]} for r in doc["results"]}
    assert per_file["hadoop.log"]["err"] == {"id": "err", "records": 2, "lines": 3}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """20 MB of iso logs (three 8 MB chunks) plus smaller files per format, with truths."""
    d = tmp_path_factory.mktemp("gen")
    out = {}
    for fmt, size, crlf in [("iso", 20, False), ("iso", 2, True), ("json", 2, False),
                            ("logfmt", 2, False), ("syslog", 2, False), ("logcat", 2, True)]:
        name = f"{fmt}{'-crlf' if crlf else ''}.log"
        cmd = [sys.executable, GEN, str(d / name), "--size-mb", str(size), "--format", fmt,
               "--truth", str(d / (name + ".truth"))]
        if crlf:
            cmd.append("--crlf")
        subprocess.run(cmd, check=True)
        out[name] = (str(d / name), json.load(open(d / (name + ".truth"))))
    return out


def pattern_args(truth):
    return [a for k, v in truth["pattern_regexes"].items() for a in ("-e", f"{k}={v}")]


@pytest.mark.parametrize("name", ["iso.log", "iso-crlf.log", "json.log", "logfmt.log", "syslog.log",
                                  "logcat-crlf.log"])
def test_generated_logs_match_their_truth(run, generated, name):
    path, truth = generated[name]
    r = run("logscan", *pattern_args(truth), path)
    assert r.code == 0, r.err
    res = r.json()["results"][0]
    for key in ("lines", "records", "continuation_lines", "bytes"):
        assert res[key] == truth[key], key
    assert res["levels"] == truth["levels"]
    for p in res["patterns"]:
        assert p["lines"] == truth["patterns"][p["id"]]["lines"], p["id"]
        assert p["records"] == truth["patterns"][p["id"]]["records"], p["id"]


def test_same_output_for_any_thread_count(run, generated):
    path, truth = generated["iso.log"]
    docs = []
    for j in ("1", "2", "4"):
        d = run("-j", j, "logscan", "--templates", *pattern_args(truth), path).json()
        d["summary"].pop("duration_ms")
        docs.append(d)
    assert docs[0] == docs[1] == docs[2]


def test_gzip_stdin_and_truncated_gzip(run, tmp_path, generated):
    path, truth = generated["iso-crlf.log"]
    data = open(path, "rb").read()
    gz = tmp_path / "app.log.gz"
    gz.write_bytes(gzip.compress(data))
    res = run("logscan", str(gz)).json()["results"][0]
    assert res["records"] == truth["records"] and res["bytes"] == truth["bytes"]
    piped = run("logscan", "-", stdin=data).json()["results"][0]
    assert piped["records"] == truth["records"] and piped["path"] == "-"
    piped_gz = run("logscan", "-", stdin=gzip.compress(data)).json()["results"][0]
    assert piped_gz["records"] == truth["records"]
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(gzip.compress(data)[: len(data) // 8])
    r = run("logscan", str(cut))
    assert r.code == 3
    assert "truncated gzip data" in r.err
    partial = r.json()["results"][0]
    assert 0 < partial["records"] < truth["records"]


def test_empty_binary_long_and_invalid_utf8_input(run, tmp_path):
    (tmp_path / "empty.log").write_bytes(b"")
    (tmp_path / "nul.log").write_bytes(b"2023-01-01 00:00:00 ERROR a\x00b\n\x00\x01\x02\n")
    (tmp_path / "long.log").write_bytes(b"2023-01-01 00:00:00 INFO " + b"x" * (5 << 20) + b"\n"
                                        b"2023-01-01 00:00:01 WARN short\n")
    (tmp_path / "latin1.log").write_bytes(b"2023-01-01 00:00:00 ERROR caf\xe9 \xff\xfe failed\n")
    r = run("logscan", str(tmp_path))
    assert r.code == 0, r.err
    res = {os.path.basename(x["path"]): x for x in r.json()["results"]}
    assert res["empty.log"]["records"] == 0 and res["empty.log"]["lines"] == 0
    assert res["nul.log"]["records"] == 1 and res["nul.log"]["continuation_lines"] == 1
    assert res["long.log"]["records"] == 2 and res["long.log"]["levels"] == {"INFO": 1, "WARN": 1}
    assert res["latin1.log"]["severity"]["error"] == 1
    top = r.json()["summary"]["top_errors"]
    assert any("caf\ufffd" in t["message"] for t in top)


def test_gates(run):
    f = os.path.join(FIXTURES, "hadoop.log")
    assert run("logscan", "--fail-on", "fatal", f).code == 1
    assert run("logscan", "--fail-on", "error", os.path.join(FIXTURES, "hdfs.log")).code == 0
    r = run("logscan", "-e", "npe=NullPointer", "-e", "rt=RuntimeException", "--fail-on-pattern", "rt", f)
    assert r.code == 1
    assert r.json()["summary"]["gates"]["fail_on_pattern"][0] == {"id": "rt", "records": 1, "tripped": True}
    assert run("logscan", "-e", "npe=NullPointer", "--fail-on-pattern", "npe", f).code == 0


@pytest.mark.parametrize("args,needle", [
    (["-e", "bad=(unclosed"], "invalid regular expression"),
    (["--log-format", "nope"], "unknown format"),
    (["--fail-on", "loud"], "unknown level"),
    (["--fail-on-pattern", "missing"], "no pattern has the id"),
    (["-e", "a=x", "-e", "a=y"], "duplicate pattern id"),
    (["--header", "(?P<ts"], "--header"),
])
def test_usage_errors(run, args, needle):
    r = run("logscan", *args, os.path.join(FIXTURES, "hadoop.log"))
    assert r.code == 2 and needle in r.err and r.out == b""


def test_forced_and_custom_formats(run, tmp_path):
    f = tmp_path / "custom.log"
    f.write_text("2023-01-01 10:00:00|E|disk full\nmore detail\n2023-01-01 10:00:05|W|slow\n")
    r = run("logscan", "--header", r"(?P<ts>\S+ \S+)\|(?P<level>[A-Z])\|(?P<msg>.*)", str(f))
    res = r.json()["results"][0]
    assert res["format"] == "custom" and res["records"] == 2 and res["continuation_lines"] == 1
    assert res["levels"] == {"E": 1, "W": 1}
    plain = run("logscan", "--log-format", "plain", os.path.join(FIXTURES, "hadoop.log")).json()
    assert plain["results"][0]["records"] == 9


def test_templates_group_messages(run, generated):
    path, truth = generated["json.log"]
    doc = run("logscan", "--templates", "--top", "5", path).json()
    t = doc["summary"]["templates"]
    assert len(t) == 5
    assert t[0]["count"] >= t[-1]["count"]
    assert sum(x["count"] for x in doc["summary"]["templates"]) <= truth["records"]
    assert any("<*>" in x["template"] for x in t)
    assert doc["summary"]["template_count"] < 200  # thousands of messages, few templates
    assert {"template", "count", "share", "severity", "first_seen", "last_seen", "example"} <= set(t[0])


def test_histogram_and_table(run):
    doc = run("logscan", "--bucket", "1m", os.path.join(FIXTURES, "hadoop.log")).json()
    h = doc["summary"]["histogram"]
    assert h["bucket"] == "1m"
    assert h["buckets"] == [{"start": "2015-10-18T18:01:00Z", "records": 5, "errors": 1},
                            {"start": "2015-10-18T18:02:00Z", "records": 1, "errors": 1}]
    table = run("--format", "table", "logscan", FIXTURES).text
    assert table.splitlines()[0].split()[:4] == ["path", "format", "lines", "records"]


def test_pattern_files_yaml_and_lines(run, tmp_path):
    f = os.path.join(FIXTURES, "hadoop.log")
    y = tmp_path / "p.yaml"
    y.write_text("patterns:\n  - id: err\n    regex: ERROR\n  - exc=Exception\n")
    m = tmp_path / "p.yml"
    m.write_text("err: ERROR\nrt: RuntimeException\n")
    t = tmp_path / "p.txt"
    t.write_text("# comment\nerr=ERROR\n\nrt=RuntimeException\n")
    for path, ids in [(y, ["err", "exc"]), (m, ["err", "rt"]), (t, ["err", "rt"])]:
        r = run("logscan", "--patterns", str(path), f)
        assert r.code == 0, r.err
        pats = r.json()["summary"]["patterns"]
        assert [p["id"] for p in pats] == ids
        assert pats[0]["lines"] == 3 and pats[0]["records"] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("patterns: [unclosed\n")
    r = run("logscan", "--patterns", str(bad), f)
    assert r.code == 2 and "bad.yaml:2:1: invalid YAML" in r.err
    r = run("logscan", "--patterns", str(tmp_path / "missing.yaml"), f)
    assert r.code == 2 and "missing.yaml" in r.err
    shape = tmp_path / "shape.yaml"
    shape.write_text("patterns:\n  - id: a\n    regex: x\n  - id: b\n    regex: [1, 2]\n")
    r = run("logscan", "--patterns", str(shape), f)
    assert r.code == 2 and "shape.yaml:4:5: pattern 2: needs a 'regex' string" in r.err, r.err
    dup = tmp_path / "dup.yaml"
    dup.write_text("err: ERROR\nerr: WARN\n")
    r = run("logscan", "--patterns", str(dup), f)
    assert r.code == 2 and "dup.yaml:2:1: duplicate key 'err'" in r.err, r.err
