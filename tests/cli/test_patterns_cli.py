"""`obscore patterns` end to end: the fixture app's contracts, state machines, data models and
edge cases (listed by hand below), every format, SARIF's required fields, gates, rule-file
errors with positions, -j independence and bad inputs."""
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.abspath(os.path.join(HERE, "..", "data", "patterns", "app"))


def rel(path):
    return os.path.relpath(path, APP)


@pytest.fixture
def doc(run):
    r = run("patterns", APP)
    assert r.code == 0, r.err
    return r.json()


def test_api_contracts(doc):
    got = [(a["method"], a["path"], rel(a["file"]), a["line"]) for a in doc["summary"]["api_contracts"]]
    assert got == [
        ("POST", "/auth/login", "android/AuthApi.kt", 6),
        ("GET", "/users/{id}", "android/AuthApi.kt", 9),
        ("DELETE", "/sessions/{id}", "android/AuthApi.kt", 12),
        ("PUT", "/profile", "ios/ProfileView.swift", 21),
        ("GET", "/health", "server/routes.js", 3),
        ("POST", "/api/orders", "server/routes.js", 4),
        ("POST", "/api/orders", "web/cart.ts", 13),
    ]


def test_state_machines(doc):
    got = {m["name"]: (m["states"], rel(m["file"]), m["line"]) for m in doc["summary"]["state_machines"]}
    assert got == {
        "LoginState": (["Idle", "Loading", "Success", "Error"], "android/LoginViewModel.kt", 6),
        "ProfileState": (["idle", "loading", "loaded", "failed"], "ios/ProfileView.swift", 3),
        "CheckoutStep": (["cart", "shipping", "payment", "done"], "web/cart.ts", 7),
    }  # enum PaymentStatus is named like a state but never held: a constant set, not a machine


def test_data_models(doc):
    got = {m["name"]: [(f["name"], f["type"]) for f in m["fields"]] for m in doc["summary"]["data_models"]}
    assert got["User"] == [("id", "String"), ("email", "String"), ("displayName", "String?"),
                           ("loginCount", "Int")]
    assert got["Profile"] == [("id", "UUID"), ("name", "String"), ("age", "Int?")]  # no computed
    assert got["OrderLine"] == [("sku", "String"), ("quantity", "int"), ("priceCents", "long")]
    assert got["CartItem"] == [("sku", "string"), ("quantity", "number"), ("note", "string")]
    assert got["Success"] == [("user", "User")]


def test_edge_cases_with_boundaries(doc):
    got = {(rel(e["file"]), e["line"]): (e["expression"], e["boundaries"]) for e in doc["summary"]["edge_cases"]}
    assert got[("android/LoginViewModel.kt", 27)] == ("password.length < 8", ["7", "8", "9"])
    assert got[("android/Checkout.java", 10)] == ("line.quantity() <= 0", ["-1", "0", "1"])
    assert got[("web/cart.ts", 10)] == ("items.length === 0", ["-1", "0", "1"])
    assert got[("android/Checkout.java", 13)][0] == "line.priceCents() * line.quantity()"
    assert ("ios/ProfileView.swift", 21) in got  # guard let url: a nil check


def test_findings_shape_and_order(doc):
    results = doc["results"]
    keys = ["rule_id", "category", "severity", "path", "line", "column", "end_line", "message", "text", "captures"]
    for f in results:
        assert list(f)[:10] == keys
    order = [(f["path"], f["line"], f["column"]) for f in results]
    assert order == sorted(order)
    vm = [f for f in results if f["rule_id"] == "viewmodel"][0]
    assert vm["methods"] == ["login", "logout"]  # private reset() is not a user action
    transitions = [f["captures"]["value"] for f in results if f["rule_id"] == "state-assignment"
                   and f["path"].endswith("LoginViewModel.kt")]
    assert "LoginState.Loading" in transitions and "LoginState.Idle" in transitions
    req = [f for f in results if f["rule_id"] == "kotlin-require-check"][0]
    assert (req["line"], req["column"]) == (26, 9)
    assert req["captures"] == {"kind": "require", "condition": "email.isNotBlank()"}
    assert req["message"] == "validation: require(email.isNotBlank())"


def test_summary_counts(doc):
    s = doc["summary"]
    assert s["files"] == 6 and s["files_with_findings"] == 6
    assert s["findings"] == len(doc["results"])
    assert sum(s["categories"].values()) == s["findings"]
    assert set(s["categories"]) == {"api_contract", "business_rule", "data_model", "edge_case",
                                    "state_machine", "user_flow"}
    assert s["counts"] == {"api_contracts": 7, "state_machines": 3, "data_models": 6,
                           "edge_cases": len(s["edge_cases"])}


def test_ndjson_has_record_types(run):
    r = run("--format", "ndjson", "patterns", APP)
    lines = [json.loads(l) for l in r.text.splitlines()]
    types = [l["type"] for l in lines]
    assert types[-1] == "summary"
    for t in ("result", "api_contract", "state_machine", "data_model", "edge_case"):
        assert t in types
    assert sum(1 for t in types if t == "api_contract") == 7
    assert "api_contracts" not in lines[-1]["data"]  # streamed instead
    assert lines[-1]["data"]["counts"]["api_contracts"] == 7


def test_csv_and_table(run):
    r = run("--format", "csv", "patterns", "--category", "api_contract", APP)
    rows = r.text.splitlines()
    assert rows[0] == "path,line,column,rule,category,severity,text"
    # 7 contracts, plus the httpMethod and URLRequest(url:) findings folded into one
    assert len(rows) == 1 + 9
    t = run("--format", "table", "patterns", APP)
    assert t.code == 0 and "API contracts" in t.text


def test_sarif_required_fields(run):
    r = run("--format", "sarif", "patterns", APP)
    s = r.json()
    assert s["version"] == "2.1.0"
    run0 = s["runs"][0]
    driver = run0["tool"]["driver"]
    assert driver["name"] == "obscore"
    ids = {rule["id"] for rule in driver["rules"]}
    assert run0["results"]
    for res in run0["results"]:
        assert res["ruleId"] in ids
        assert res["level"] in ("note", "warning", "error")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"]
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1


def test_fail_on(run):
    assert run("patterns", "--fail-on", "note", APP).code == 1
    assert run("patterns", "--fail-on", "warning", APP).code == 1  # overflow-risk is a warning
    assert run("patterns", "--fail-on", "error", APP).code == 0
    bad = run("patterns", "--fail-on", "fatal", APP)
    assert bad.code == 2 and "--fail-on" in bad.err


def test_thread_count_does_not_change_output(run):
    a = run("-j", "1", "--format", "ndjson", "patterns", APP).text.splitlines()[:-1]
    b = run("-j", "2", "--format", "ndjson", "patterns", APP).text.splitlines()[:-1]
    assert a == b


RULES = """\
name: house rules
rules:
  - id: todo
    category: hygiene
    languages: [kt, .swift]
    scope: comments
    pattern: '(?i)\\bTODO\\((?P<owner>\\w+)\\):\\s*(?P<what>.*)'
    message: '{owner} owes {what}'
    severity: warning
  - id: money-field
    category: audit
    pattern: '^\\s*(?:val|var|let)\\s+(?P<name>\\w*(?:price|amount)\\w*)'
"""


def test_user_rules(run, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    src = tmp_path / "src"
    src.mkdir()
    (src / "A.kt").write_text("// TODO(ann): handle refunds\nval priceCents = 1\n")
    (src / "B.swift").write_text("let amount = 2 // todo(bob): currency\n")
    (src / "c.txt").write_text("TODO(x): not a kotlin file\nvar price = 3\n")
    r = run("patterns", "--no-builtin", "--rules", rules, src)
    assert r.code == 0, r.err
    got = [(os.path.basename(f["path"]), f["line"], f["rule_id"], f["message"]) for f in r.json()["results"]]
    assert got == [
        ("A.kt", 1, "todo", "ann owes handle refunds"),
        ("A.kt", 2, "money-field", "money-field"),
        ("B.swift", 1, "money-field", "money-field"),
        ("B.swift", 1, "todo", "bob owes currency"),
        ("c.txt", 2, "money-field", "money-field"),  # no languages: every file
    ]
    assert r.json()["summary"]["categories"] == {"audit": 3, "hygiene": 2}
    assert run("patterns", "--no-builtin", "--rules", rules, "--fail-on", "warning", src).code == 1


@pytest.mark.parametrize("body,line,col,what", [
    ("rules:\n  - id: a\n    pattern: '(unclosed'\n", 3, 14, "invalid regular expression"),
    ("rules:\n  - id: a\n    pattern: x\n    colour: red\n", 4, 5, "unknown key 'colour'"),
    ("rules:\n  - id: a\n    pattern: x\n  - id: a\n    pattern: y\n", 4, 9, "duplicate rule id 'a'"),
    ("rules:\n  - id: a\n    pattern: x\n    severity: fatal\n", 4, 15, "unknown severity"),
    ("rules:\n  - id: a\n    pattern: x\n    extract: everything\n", 4, 14, "unknown extract"),
    ("rules:\n  - id: a\n", 2, 5, "has no 'pattern'"),
    ("rules:\n  - id: a\n    pattern: [x\n", 4, 1, "invalid YAML"),
    ("rules:\n  - id: a\n    pattern: x\n    id: b\n", 4, 5, "duplicate key 'id'"),
])
def test_rule_file_errors_are_positioned(run, tmp_path, body, line, col, what):
    rules = tmp_path / "bad.yaml"
    rules.write_text(body)
    r = run("patterns", "--rules", rules, APP)
    assert r.code == 2, r.err
    assert f"bad.yaml:{line}:{col}:" in r.err, r.err
    assert what in r.err
    assert r.out == b""


def test_rule_id_clashing_with_builtin(run, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("rules:\n  - id: swift-guard\n    pattern: guard\n")
    r = run("patterns", "--rules", rules, APP)
    assert r.code == 2 and "already defined by builtin:mobile" in r.err
    assert run("patterns", "--no-builtin", "--rules", rules, APP).code == 0


def test_missing_rule_file_and_no_rules(run, tmp_path):
    r = run("patterns", "--rules", tmp_path / "nope.yaml", APP)
    assert r.code == 2 and "nope.yaml" in r.err
    r = run("patterns", "--no-builtin", APP)
    assert r.code == 2 and "no rules" in r.err


def test_list_rules(run):
    # Through the output layer like every other output: JSON when piped, a table on request.
    r = run("patterns", "--list-rules")
    assert r.code == 0
    doc = r.json()
    rules = doc["results"]
    assert doc["command"] == "patterns" and doc["summary"]["rules"] == len(rules)
    # The built-in pack loads and compiles: more than 40 rules in the six built-in categories.
    assert len(rules) > 40
    assert {x["category"] for x in rules} == {"api_contract", "business_rule", "data_model",
                                              "edge_case", "state_machine", "user_flow"}
    retrofit = next(x for x in rules if x["id"] == "retrofit-endpoint")
    assert retrofit["origin"] == "builtin:mobile" and "kt" in retrofit["languages"]
    table = run("--format", "table", "patterns", "--list-rules")
    assert table.code == 0
    assert "retrofit-endpoint" in table.text and "builtin:mobile" in table.text
    assert table.text.count("\n") > 40


def test_bad_inputs(run, tmp_path):
    (tmp_path / "bin.kt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "empty.kt").write_bytes(b"")
    (tmp_path / "latin1.kt").write_bytes(b"val price = a * b // caf\xe9\n")
    r = run("patterns", tmp_path, tmp_path / "missing.kt")
    assert r.code == 3
    d = r.json()
    msgs = {os.path.basename(x["path"]): x for x in d["diagnostics"]}
    assert msgs["bin.kt"]["severity"] == "warning" and "binary" in msgs["bin.kt"]["message"]
    assert msgs["missing.kt"]["severity"] == "error"
    texts = [f["text"] for f in d["results"]]
    assert any("price" in t for t in texts)  # invalid UTF-8 sanitised, not fatal
    assert "missing.kt" in r.err


def test_stdin_gets_rules_without_languages(run, tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("rules:\n  - id: word\n    pattern: '\\bneedle\\b'\n")
    r = run("patterns", "--no-builtin", "--rules", rules, "-", stdin=b"hay\nneedle\n")
    assert r.code == 0
    assert [(f["path"], f["line"]) for f in r.json()["results"]] == [("-", 2)]


def test_max_file_size_skips_with_a_warning(run, tmp_path):
    (tmp_path / "Big.kt").write_text("val total = price * quantity\n" * 100)
    r = run("patterns", "--max-file-size", "1K", tmp_path)
    assert r.code == 0
    d = r.json()["diagnostics"]
    assert d[0]["severity"] == "warning" and "--max-file-size" in d[0]["message"]
    assert r.json()["summary"]["files"] == 0
    assert run("patterns", "--max-file-size", "lots", tmp_path).code == 2


def test_state_machine_transitions_from_writes_and_guards(run):
    """Transitions are claimed only where the code shows the source state: a declaration's initial
    value, a write after another in the same or an enclosing block, a write under a branch that
    tested the state. Writes in comments or under `default`/`else` claim nothing."""
    root = os.path.join(HERE, "..", "data", "patterns", "transitions")
    doc = run("patterns", root, "--all-files").json()
    got = {m["name"]: {(t["from"], t["to"]) for t in m["transitions"]} for m in doc["summary"]["state_machines"]}
    assert got["PlayerState"] == {(None, "idle"), ("idle", "buffering"), ("paused", "buffering"),
                                  ("buffering", "playing"), ("playing", "paused")}
    assert got["DoorState"] == {(None, "CLOSED"), ("OPEN", "CLOSED"), ("CLOSED", "OPEN"), ("CLOSED", "LOCKED")}
    assert got["SyncState"] == {(None, "Idle"), ("Running", "Done"), ("Running", "Failed"),
                                ("Failed", "Idle"), ("Done", "Idle")}
    for m in doc["summary"]["state_machines"]:
        for t in m["transitions"]:
            assert t["file"].startswith(root) and t["line"] > 0
