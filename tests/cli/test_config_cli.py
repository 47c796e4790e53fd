"""`obscore config` end to end: to-json / to-yaml / get / merge / lint / validate, their output
shapes and exit codes, positions in every error, and inputs that must fail fast."""
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "data", "config"))


def d(name):
    return os.path.join(DATA, name)


def lines_json(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write(tmp_path, name, text, mode="w"):
    p = tmp_path / name
    with open(p, mode) as f:
        f.write(text)
    return str(p)


# ---- to-json ------------------------------------------------------------------------------

def test_to_json_single_document_compact_and_pretty(run):
    r = run("config", "to-json", d("base.yaml"))
    assert r.code == 0, r.err
    assert r.text.count("\n") == 1  # compact when not on a terminal
    doc = r.json()
    assert list(doc) == ["name", "image", "ports", "env", "services"]  # key order kept
    assert doc["env"] == {"A": 1, "B": 2}
    pretty = run("config", "to-json", "--indent", "2", d("base.yaml"))
    assert pretty.json() == doc
    assert pretty.text.startswith('{\n  "name": "app",\n')


def test_to_json_streams_one_value_per_document_or_an_array(run, tmp_path):
    p = write(tmp_path, "multi.yaml", "a: 1\n---\n- x\n---\n--- 3\n")
    r = run("config", "to-json", p)
    assert r.code == 0, r.err
    assert lines_json(r.text) == [{"a": 1}, ["x"], None, 3]
    arr = run("config", "to-json", "--array", p)
    assert arr.json() == [{"a": 1}, ["x"], None, 3]
    both = run("config", "to-json", "--array", p, d("clean.yml"))
    assert len(both.json()) == 5


def test_to_json_stdin_exact_numbers_merge_keys_and_schema(run):
    y = (b"big: 123456789012345678901234567890\npi: 3.14159265358979323846264338327950288\n"
         b"hex: 0x1F\noct: 0o17\nold_oct: 0755\nflag: yes\non: off\ninf: .inf\n"
         b"base: &b {x: 1, y: 2}\nchild: {<<: *b, y: 3}\n")
    r = run("config", "to-json", "-", stdin=y)
    assert r.code == 0, r.err
    assert b'"big":123456789012345678901234567890' in r.out
    assert b'"pi":3.14159265358979323846264338327950288' in r.out
    doc = r.json()
    assert doc["hex"] == 31 and doc["oct"] == 15 and doc["old_oct"] == 755
    assert doc["flag"] == "yes" and doc["on"] == "off" and doc["inf"] == ".inf"
    assert doc["child"] == {"y": 3, "x": 1}
    v11 = run("config", "to-json", "--yaml-1.1", "-", stdin=y).json()
    assert v11["flag"] is True and v11["old_oct"] == 493 and v11[list(v11)[6]] is False


def test_duplicate_keys_fail_with_both_positions_or_keep_last_with_warning(run, tmp_path):
    p = write(tmp_path, "dup.yaml", "a: 1\nb:\n  c: 1\n  c: 2\n")
    r = run("config", "to-json", p)
    assert r.code == 3
    assert r.out == b""
    assert f"{p}:4:3: duplicate key 'c' (first at line 3, column 3)" in r.err
    for verb in (["to-yaml", p], ["get", p, ".a"], ["merge", p, d("base.yaml")]):
        assert run("config", *verb).code == 3, verb
    ok = run("config", "to-json", "--allow-duplicate-keys", p)
    assert ok.code == 0
    assert ok.json() == {"a": 1, "b": {"c": 2}}
    assert "warning" in ok.err and ":4:3:" in ok.err


def test_strict_json_errors_have_positions(run, tmp_path):
    p = write(tmp_path, "c.json", '{\n  "a": 1, // comment\n  "b": 2\n}\n')
    r = run("config", "to-json", p)
    assert r.code == 3
    assert f"{p}:2:" in r.err and "invalid JSON" in r.err
    t = write(tmp_path, "t.json", '{"a": [1, 2,]}')
    assert run("config", "to-json", t).code == 3
    # The same text read as YAML (flow syntax) is accepted when asked for.
    y = write(tmp_path, "t2.json", '{"a": [1, 2,]}')
    assert run("config", "to-json", "--input-format", "yaml", y).json() == {"a": [1, 2]}


def test_output_file_is_atomic_and_never_an_input(run, tmp_path):
    out = tmp_path / "out.json"
    r = run("config", "to-json", d("base.yaml"), "-o", out)
    assert r.code == 0 and json.loads(out.read_text())["name"] == "app"
    bad = write(tmp_path, "bad.yaml", "a: [1\n")
    out2 = tmp_path / "out2.json"
    assert run("config", "to-json", d("base.yaml"), bad, "-o", out2).code == 3
    assert not out2.exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".out2")]
    src = write(tmp_path, "in.yaml", "a: 1\n")
    r = run("config", "to-json", src, "-o", src)
    assert r.code == 2 and "one of the inputs" in r.err
    assert open(src).read() == "a: 1\n"


# ---- to-yaml ------------------------------------------------------------------------------

def test_to_yaml_reads_back_to_the_same_data(run, tmp_path):
    src = write(tmp_path, "src.json", json.dumps({
        "on": "yes", "num_str": "0755", "time": "1:30", "empty": "", "multi": "line 1\nline 2\n",
        "list": [1, 2.5, None, True, {"k": "v"}, []], "nested": {"a": {"b": {}}},
        "big": 123456789012345678901234567890, "unicode": "h\u00e9llo \u2028", "colon": "a: b"}))
    r = run("config", "to-yaml", src)
    assert r.code == 0, r.err
    assert "multi: |\n  line 1\n  line 2\n" in r.text
    back = write(tmp_path, "back.yaml", r.text)
    for flags in ([], ["--yaml-1.1"]):
        again = run("config", "to-json", *flags, back)
        assert again.code == 0, again.err
        assert again.json() == json.loads(open(src).read())
        assert b"123456789012345678901234567890" in again.out


def test_to_yaml_separates_documents(run, tmp_path):
    p = write(tmp_path, "m.yaml", "a: 1\n---\nb: 2\n")
    assert run("config", "to-yaml", p).text == "a: 1\n---\nb: 2\n"


# ---- get ----------------------------------------------------------------------------------

@pytest.mark.parametrize("expr,want", [
    (".services[1].replicas", "1"), ("/services/1/name", '"db"'), (".env", '{"A":1,"B":2}'),
    ("ports[0]", "80"), (".services[-1].name", '"db"'), (".", None)])
def test_get_paths(run, expr, want):
    r = run("config", "get", d("base.yaml"), expr)
    assert r.code == 0, r.err
    if want is not None:
        assert r.text == want + "\n"
    else:
        assert r.json()["name"] == "app"


def test_get_raw_absent_and_bad_expressions(run, tmp_path):
    assert run("config", "get", "-r", d("base.yaml"), ".image").text == "app:1.0\n"
    r = run("config", "get", d("base.yaml"), ".nope.deeper")
    assert r.code == 1 and r.out == b"" and "not found" in r.err
    r = run("config", "get", d("base.yaml"), ".services[x]")
    assert r.code == 2 and "invalid path" in r.err
    p = write(tmp_path, "m.yaml", "a: 1\n---\na: 2\n---\nb: 3\n")
    r = run("config", "get", p, ".a")
    assert r.code == 1 and r.text == "1\n2\n" and "document 3" in r.err


# ---- merge --------------------------------------------------------------------------------

def test_merge_lists_replace_append_and_merge_by(run):
    r = run("config", "merge", d("base.yaml"), d("overlay.yaml"))
    assert r.code == 0, r.err
    assert r.json() == {"name": "app", "image": "app:2.0", "ports": [443], "env": {"A": 1, "B": 3, "C": 4},
                        "services": [{"name": "db", "replicas": 3}]}
    app = run("config", "merge", "--lists", "append", d("base.yaml"), d("overlay.yaml")).json()
    assert app["ports"] == [80, 443] and len(app["services"]) == 3
    by = run("config", "merge", "--lists", "merge-by=name", d("base.yaml"), d("overlay.yaml")).json()
    assert by["services"] == [{"name": "web", "replicas": 1}, {"name": "db", "replicas": 3}]
    y = run("config", "merge", "--to", "yaml", d("base.yaml"), d("overlay.yaml"))
    assert y.text.startswith("name: app\nimage: app:2.0\n")
    assert run("config", "merge", "--lists", "zip", d("base.yaml"), d("overlay.yaml")).code == 2
    assert run("config", "merge", d("base.yaml")).code == 2


def test_merge_explain_names_file_line_column_of_every_leaf(run):
    r = run("--format", "json", "config", "merge", "--explain", d("base.yaml"), d("overlay.yaml"))
    assert r.code == 0, r.err
    doc = r.json()
    leaves = {x["path"]: (os.path.basename(x["file"]), x["line"], x["column"], x["value"]) for x in doc["results"]}
    assert leaves["/image"] == ("overlay.yaml", 1, 8, "app:2.0")
    assert leaves["/name"] == ("base.yaml", 1, 7, "app")
    assert leaves["/env/A"] == ("base.yaml", 5, 6, 1)
    assert leaves["/env/C"] == ("overlay.yaml", 5, 6, 4)
    assert leaves["/ports/0"] == ("overlay.yaml", 2, 9, 443)
    assert doc["summary"]["leaves"] == len(doc["results"])
    table = run("--format", "table", "config", "merge", "--explain", d("base.yaml"), d("overlay.yaml"))
    assert "overlay.yaml:1:8" in table.text


def test_merge_refuses_multi_document_files(run, tmp_path):
    p = write(tmp_path, "m.yaml", "a: 1\n---\nb: 2\n")
    r = run("config", "merge", d("base.yaml"), p)
    assert r.code == 2 and "one document per file" in r.err


# ---- lint ---------------------------------------------------------------------------------

def test_lint_reports_every_rule_with_position(run):
    r = run("--format", "json", "config", "lint", d("lint.yaml"))
    assert r.code == 1  # errors are at or above the default --fail-on error
    doc = r.json()
    got = [(x["line"], x["column"], x["rule"], x["severity"]) for x in doc["results"]]
    assert got == [
        (1, 1, "yaml11-boolean", "warning"), (2, 7, "octal-ambiguity", "warning"),
        (3, 7, "sexagesimal", "warning"), (6, 1, "duplicate-key", "error"),
        (7, 1, "non-string-key", "warning"), (9, 9, "unused-anchor", "warning"),
        (11, 7, "merge-key-misuse", "error"), (12, 6, "undefined-alias", "error")]
    dup = [x for x in doc["results"] if x["rule"] == "duplicate-key"][0]
    assert "first at line 5, column 1" in dup["message"]
    assert doc["summary"]["errors"] == 3 and doc["summary"]["warnings"] == 5


def test_lint_gates_and_formats(run, tmp_path):
    warn_only = write(tmp_path, "w.yaml", "enabled: yes\n")
    assert run("config", "lint", warn_only).code == 0
    assert run("config", "lint", "--fail-on", "warning", warn_only).code == 1
    assert run("config", "lint", "--fail-on", "never", d("lint.yaml")).code == 0
    sarif = run("--format", "sarif", "config", "lint", d("lint.yaml")).json()
    assert sarif["version"] == "2.1.0"
    res = sarif["runs"][0]["results"]
    assert {x["ruleId"] for x in res} >= {"duplicate-key", "yaml11-boolean", "undefined-alias"}
    region = res[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1 and region["startColumn"] == 1
    nd = run("--format", "ndjson", "config", "lint", d("lint.yaml"))
    recs = lines_json(nd.text)
    assert recs[-1]["type"] == "summary" and len(recs) == 9


def test_lint_walks_directories_for_yaml_and_json(run):
    r = run("--format", "json", "config", "lint", DATA)
    doc = r.json()
    files = {os.path.basename(x["path"]) for x in doc["results"]}
    assert files == {"lint.yaml", "tabs.yaml", "dup.json", "broken.yaml"}
    rules = {(os.path.basename(x["path"]), x["rule"]) for x in doc["results"]}
    assert ("tabs.yaml", "tab-indent") in rules and ("dup.json", "duplicate-key") in rules
    assert ("broken.yaml", "syntax-error") in rules
    assert doc["summary"]["files"] == 7  # notes.txt is not a config file


# ---- validate -----------------------------------------------------------------------------

def test_validate_directory_reports_each_invalid_file(run):
    r = run("--format", "json", "config", "validate", DATA)
    assert r.code == 3
    doc = r.json()
    bad = {os.path.basename(x["path"]): (x["line"], x["column"]) for x in doc["results"] if not x["valid"]}
    assert set(bad) == {"lint.yaml", "tabs.yaml", "dup.json", "broken.yaml"}
    assert bad["dup.json"] == (1, 10) and bad["tabs.yaml"][0] == 2
    assert doc["summary"] == {**doc["summary"], "files": 7, "valid": 3, "invalid": 4}
    assert f"{d('dup.json')}:1:10:" in r.err
    one = run("--format", "json", "-j", "1", "config", "validate", DATA).json()
    two = run("--format", "json", "-j", "2", "config", "validate", DATA).json()
    assert one["results"] == two["results"] == doc["results"]
    assert run("config", "validate", d("clean.yml"), d("base.yaml")).code == 0


# ---- inputs that must fail fast and clearly -----------------------------------------------

def bomb_text():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        p, c = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{c}: &{c} [" + ", ".join(["*" + p] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name,content,needle", [
    ("bomb.yaml", bomb_text(), "alias expansion"),
    ("deep.yaml", "[" * 200000 + "]" * 200000, "nesting deeper than 1000"),
    ("deep.json", "[" * 200000 + "]" * 200000, "nesting deeper than 1000"),
    ("quote.yaml", 'a: "unterminated\nb: 1\n', "invalid YAML"),
    ("utf8.yaml", b"a: ok\nb: \xff\xfe\n", "invalid UTF-8"),
    ("bin.yaml", b"\x00\x01\x02binary", "binary file"),
    ("tab.yaml", "a:\n\tb: 1\n", "tab"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 and "." in v else "")
def test_bad_inputs_fail_fast_with_a_position(run, tmp_path, name, content, needle):
    p = write(tmp_path, name, content, "wb" if isinstance(content, bytes) else "w")
    r = run("config", "to-json", p)
    assert r.code == 3, r.err
    assert needle in r.err
    assert r.err.count("\n") == 1 and p in r.err
    assert run("config", "validate", p).code == 3


def test_empty_bom_and_crlf(run, tmp_path):
    assert run("config", "to-json", write(tmp_path, "e.yaml", "")).text == ""
    r = run("config", "to-json", write(tmp_path, "b.yaml", b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "wb"))
    assert r.json() == {"a": 1, "b": "two"}
    assert run("config", "to-json", str(tmp_path / "missing.yaml")).code == 3
    assert run("config", "to-json", str(tmp_path)).code == 3


# ---- fuzz findings --------------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["to-json", "to-yaml", "lint", "validate"])
def test_fuzz_finding_flow_scalar_error_is_reported_not_a_crash(run, tmp_path, verb):
    # libfyaml 0.7.12 crashed rendering the source excerpt of this error; the fuzz input's
    # first byte selects the harness options, the rest is the YAML.
    with open(d("fuzz/flow-scalar-error-display.bin"), "rb") as f:
        text = f.read()[1:]
    path = write(tmp_path, "bad.yaml", text, "wb")
    r = run("config", verb, path)
    assert r.code in (1, 3), r.err
    assert "double-quoted scalar without closing quote" in (r.err + r.out.decode())
    if verb != "lint":
        assert r.err.startswith(f"obscore: error: {path}:1:285: invalid YAML"), r.err
