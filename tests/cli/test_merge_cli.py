"""`--shard K/N` partitions the input files stably; `obscore merge` turns the shards' JSON
outputs into exactly the unsharded run's output (duration aside), with its exit code."""
import json
import os

import pytest

PY = """def f{i}(a, b):
    if a and b or a:
        for x in b:
            if x:
                return x
    return None
"""
KT = """class Screen{i}ViewModel : ViewModel() {{
    fun load(id: Int) {{
        require(id > 0) {{ "bad id" }}
        _state.value = UiState.Loading
    }}
}}
"""


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "src"
    for i in range(40):
        d = root / f"pkg{i % 5}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"m{i}.py").write_text(PY.format(i=i) * (1 + i % 3))
        (d / f"S{i}.kt").write_text(KT.format(i=i))
    (root / "blob.py").write_bytes(b"\x00\x01binary\x00" * 10)
    return root


def without_duration(doc):
    doc = json.loads(json.dumps(doc))
    doc["summary"].pop("duration_ms")
    return doc


def shard_and_merge(run, tmp_path, args, n, order=None):
    full = run("--format", "json", *args)
    parts = []
    for k in range(1, n + 1):
        r = run("--format", "json", *args[:1], "--shard", f"{k}/{n}", *args[1:])
        assert r.code == full.code, r.err
        summary = r.json()["summary"]
        assert summary["shard"] == {"index": k, "count": n, "gate_tripped": summary["shard"]["gate_tripped"]}
        path = tmp_path / f"part{k}.json"
        path.write_bytes(r.out)
        parts.append(str(path))
    merged = run("--format", "json", "merge", *(order(parts) if order else parts))
    return full, parts, merged


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_ast_shards_merge_to_the_unsharded_output(run, tmp_path, tree, n):
    full, parts, merged = shard_and_merge(run, tmp_path, ["ast", "--no-cache", "--max-cyclomatic", "4",
                                                          str(tree), str(tree / "missing.py")], n,
                                          order=lambda p: list(reversed(p)))
    assert full.code == 3  # the missing input
    assert merged.code == full.code, merged.err
    assert without_duration(merged.json()) == without_duration(full.json())
    # Disjoint and covering: every file in exactly one shard.
    seen = [r["path"] for p in parts for r in json.load(open(p))["results"]]
    assert sorted(seen) == sorted(r["path"] for r in full.json()["results"]) and len(seen) == len(set(seen))


def test_patterns_shards_merge_to_the_unsharded_output(run, tmp_path, tree):
    full, parts, merged = shard_and_merge(run, tmp_path, ["patterns", "--fail-on", "warning", str(tree)], 4)
    assert full.json()["summary"]["findings"] > 0
    assert merged.code == full.code
    assert without_duration(merged.json()) == without_duration(full.json())


def test_shard_assignment_is_stable_whatever_else_is_in_the_set(run, tmp_path, tree):
    one = run("--format", "json", "ast", "--no-cache", "--shard", "2/3", str(tree)).json()
    (tree / "pkg0" / "extra.py").write_text("x = 1\n")
    two = run("--format", "json", "ast", "--no-cache", "--shard", "2/3", str(tree)).json()
    before = {r["path"] for r in one["results"]}
    after = {r["path"] for r in two["results"]}
    assert before <= after and len(after - before) <= 1


@pytest.mark.parametrize("spec", ["0/3", "4/3", "3", "a/b", "1/0", "1/70000"])
def test_bad_shard_specs_are_usage_errors(run, tree, spec):
    r = run("ast", "--shard", spec, str(tree))
    assert r.code == 2 and "--shard" in r.err


def test_merge_refuses_incomplete_or_mixed_sets(run, tmp_path, tree):
    parts = []
    for k in (1, 2, 3):
        r = run("--format", "json", "ast", "--no-cache", "--shard", f"{k}/3", str(tree))
        p = tmp_path / f"a{k}.json"
        p.write_bytes(r.out)
        parts.append(str(p))
    r = run("merge", parts[0], parts[1])
    assert r.code == 2 and "missing shard(s) 3/3" in r.err
    r = run("merge", parts[0], parts[0], parts[1], parts[2])
    assert r.code == 2 and "given twice" in r.err and parts[0] in r.err
    pat = tmp_path / "p.json"
    pat.write_bytes(run("--format", "json", "patterns", "--shard", "3/3", str(tree)).out)
    r = run("merge", parts[0], parts[1], str(pat))
    assert r.code == 2 and str(pat) in r.err
    plain = tmp_path / "plain.json"
    plain.write_bytes(run("--format", "json", "ast", "--no-cache", str(tree)).out)
    r = run("merge", str(plain))
    assert r.code == 2 and "no --shard" in r.err
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    r = run("merge", str(junk))
    assert r.code == 2 and str(junk) in r.err
    r = run("merge", str(tmp_path / "absent.json"))
    assert r.code == 3 and "absent.json" in r.err


def test_merge_renders_other_formats(run, tmp_path, tree):
    parts = []
    for k in (1, 2):
        r = run("--format", "json", "ast", "--no-cache", "--shard", f"{k}/2", str(tree))
        p = tmp_path / f"a{k}.json"
        p.write_bytes(r.out)
        parts.append(str(p))
    files = run("--format", "json", "ast", "--no-cache", str(tree)).json()["summary"]["files"]
    nd = run("--format", "ndjson", "merge", *parts)
    lines = [json.loads(l) for l in nd.text.splitlines()]
    assert lines[-1]["type"] == "summary" and lines[-1]["data"]["files"] == files
    assert sum(1 for l in lines if l["type"] == "result") == files
    out = tmp_path / "merged.json"
    r = run("merge", *parts, "-o", str(out))
    assert r.code == 0 and json.load(open(out))["summary"]["files"] == files
    table = run("--format", "table", "merge", *parts)
    assert table.code == 0 and "f0" in table.text


@pytest.fixture
def configs(tmp_path):
    root = tmp_path / "cfg"
    for i in range(30):
        d = root / f"env{i % 4}"
        d.mkdir(parents=True, exist_ok=True)
        body = f"name: svc{i}\nport: {8000 + i}\nenabled: yes\n"
        if i % 5 == 0:
            body += "port: 1\n"  # duplicate key: invalid, and a lint error
        if i % 7 == 0:
            body += "bad: [unclosed\n"
        (d / f"s{i}.yaml").write_text(body)
        (d / f"s{i}.json").write_text('{"a": 1, "b": [1, 2]}' if i % 6 else '{"a": 1,}')
    return root


@pytest.mark.parametrize("verb,extra", [("lint", ["--fail-on", "warning"]), ("lint", []), ("validate", [])])
def test_config_lint_and_validate_shards_merge(run, tmp_path, configs, verb, extra):
    args = ["config", verb, *extra, str(configs), str(configs / "absent.yaml")]
    full = run("--format", "json", *args)
    parts = []
    for k in (1, 2, 3):
        r = run("--format", "json", "config", verb, *extra, "--shard", f"{k}/3", str(configs),
                str(configs / "absent.yaml"))
        p = tmp_path / f"{verb}{k}.json"
        p.write_bytes(r.out)
        parts.append(str(p))
    merged = run("--format", "json", "merge", *parts)
    assert merged.code == full.code, (merged.err, full.err)
    assert without_duration(merged.json()) == without_duration(full.json())
    assert full.json()["summary"]["files"] == 60


@pytest.fixture
def logs(tmp_path):
    import gzip
    root = tmp_path / "logs"
    root.mkdir()
    levels = ["INFO", "DEBUG", "WARN", "ERROR", "INFO", "INFO"]
    lines = []
    for i in range(260000):  # ~18 MB: three 8 MiB chunks, so two shards split it
        lvl = levels[i % len(levels)]
        h, m, s = (i // 3600) % 24, (i // 60) % 60, i % 60
        lines.append(f"2024-05-0{1 + i // 86400}T{h:02d}:{m:02d}:{s:02d}.{i % 1000:03d}Z {lvl} [w{i % 7}] "
                     f"svc.Handler - request {i} user=u{i % 97} took {i % 1500} ms\n")
        if i % 1000 == 0:
            lines.append("java.lang.IllegalStateException: boom\n\tat a.b.C.d(C.java:12)\n")
    (root / "big.log").write_text("".join(lines))
    for k in range(5):
        (root / f"small{k}.log").write_text("".join(lines[k * 100:(k + 1) * 100]))
    with gzip.open(root / "rotated.log.1.gz", "wt") as f:
        f.write("".join(lines[:5000]))
    return root


@pytest.mark.parametrize("extra", [[], ["--templates", "--top", "5"],
                                   ["-e", "err=ERROR", "-e", r"slow=took 1[0-9]{3} ms", "--fail-on-pattern", "err"]])
def test_logscan_shards_merge_including_split_files(run, tmp_path, logs, extra):
    args = ["logscan", *extra, str(logs)]
    full = run("--format", "json", *args)
    parts = []
    for k in (1, 2):
        r = run("--format", "json", "logscan", "--shard", f"{k}/2", *extra, str(logs))
        p = tmp_path / f"log{k}.json"
        p.write_bytes(r.out)
        parts.append(str(p))
        # The big file is split: both shards report part of it.
        assert any(x["path"].endswith("big.log") for x in r.json()["results"])
    merged = run("--format", "json", "merge", *parts)
    assert merged.code == full.code
    assert without_duration(merged.json()) == without_duration(full.json())
    assert full.json()["summary"]["files"] == 7
