"""Every bound on recursion and expansion, reached through the real binary: each one must stop
with a clear message (naming the input where there is one) and the documented exit code, never a
crash, a hang or unbounded memory.

Bounds tested elsewhere, listed here so the audit is in one place:
  config alias budget (billion laughs), config depth 1000 (YAML and JSON) -> test_config_cli
      test_bad_inputs_fail_fast_with_a_position
  ast parse budget (runaway error recovery) -> test_ast_cli
      test_runaway_parser_recovery_is_skipped_with_a_warning
  ast / patterns --max-file-size -> test_cli, test_patterns_cli
  netscan --max-targets -> test_netscan_cli (bad target table)
  crypto --max-memory and headers asking for more -> test_crypto_cli
  logscan pattern-set DFA budget -> tests/logscan/scanner_test (PatternByPatternFallback...)
"""
import json
import os

import pytest


def word(i, n=4):
    """A digit-free token unique to i (template mining masks anything with digits)."""
    s = ""
    for _ in range(n):
        s += chr(ord("a") + i % 26)
        i //= 26
    return s


# ---- JSON nesting: nlohmann/json recurses per level, so untrusted JSON is depth-checked first --

def deep(n):
    return "[" * n + "]" * n


def test_merge_refuses_a_partial_nested_too_deep(run, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text("def f(x):\n    return x\n")
    parts = [run("--format", "json", "ast", "--no-cache", "--shard", k, src) for k in ("1/2", "2/2")]
    assert [p.code for p in parts] == [0, 0]
    # Nest the file result's findings 100 000 levels deep in whichever shard holds the file.
    texts = [p.text.replace('"findings":[]', '"findings":[' + deep(100000) + "]", 1) for p in parts]
    assert sum(deep(1000) in t for t in texts) == 1
    bad, other = tmp_path / "deep.json", tmp_path / "other.json"
    bad.write_text(max(texts, key=len))
    other.write_text(min(texts, key=len))
    r = run("merge", bad, other)
    assert r.code == 2, r.err
    assert f"{bad}:1:" in r.err and "nesting deeper than 1000 levels" in r.err
    assert r.err.count("\n") == 1


def test_crypto_verify_reports_a_line_nested_too_deep(run, tmp_path):
    batch = tmp_path / "batch.ndjson"
    batch.write_text('{"password": ' + deep(100000) + ', "hash": "x"}\n')
    r = run("--format", "json", "crypto", "verify", "--input", batch)
    assert r.code == 3, r.err
    doc = r.json()
    assert doc["results"][0]["error"] == "nesting deeper than 1000 levels"
    assert f"{batch}:1: nesting deeper than 1000 levels" in r.err


def test_correlate_skips_a_record_nested_too_deep_and_names_its_line(run, tmp_path):
    events = tmp_path / "events.ndjson"
    lines = [
        {"type": "ui", "id": "u1", "session": "s", "timestamp": 1700000000000, "action": "tap"},
        None,
        {"type": "network", "id": "a1", "session": "s", "timestamp": 1700000000120, "url": "/x", "method": "GET"},
    ]
    text = ""
    for rec in lines:
        if rec is None:
            text += '{"type": "ui", "id": "u2", "session": "s", "timestamp": 1700000000001, "x": ' + deep(100000) + "}\n"
        else:
            text += json.dumps(rec) + "\n"
    events.write_text(text)
    r = run("--format", "json", "correlate", "--events", events)
    assert r.code == 3, r.err
    assert f"{events}:2:" in r.err and "too deep" in r.err
    doc = r.json()
    assert doc["summary"]["api_calls"] == 1 and doc["results"][0]["ui_id"] == "u1"


# ---- ast: nesting far beyond any real code --------------------------------------------------

def test_ast_deep_nesting_is_walked_without_recursion_and_metrics_saturate(run, tmp_path):
    # 70 000 nested ifs: the walk is iterative, and cognitive complexity (sum of 1 + depth per
    # if, about 2.45e9) saturates at INT_MAX instead of overflowing.
    n = 70000
    src = tmp_path / "deep.js"
    src.write_text("function f(x) {\n" + "if (x) {\n" * n + "return 1;\n" + "}\n" * n + "}\n")
    r = run("--format", "json", "ast", "--no-cache", src)
    assert r.code == 0, r.err
    (fn,) = r.json()["results"][0]["functions"]
    assert fn["max_nesting"] == n
    assert fn["cyclomatic"] == n + 1
    assert fn["cognitive"] == 2**31 - 1


def test_ast_deep_expression_nesting(run, tmp_path):
    # 100 000 nested parentheses over short lines (not "minified"): parsed and measured.
    src = tmp_path / "deep.py"
    body = "\n".join("(" * 50 for _ in range(2000)) + "1" + "\n".join(")" * 50 for _ in range(2000))
    src.write_text("def f():\n    return " + body + "\n")
    r = run("--format", "json", "ast", "--no-cache", src)
    assert r.code == 0, r.err
    (fn,) = r.json()["results"][0]["functions"]
    assert fn["name"] == "f" and fn["cyclomatic"] == 1


# ---- logscan: the message tables --------------------------------------------------------------

def many_messages_log(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write(f"2024-01-01 10:00:00,000 ERROR {word(i)} {word(i * 7 + 3)} happened\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_logscan_template_table_is_bounded_and_says_so(run, tmp_path, jobs):
    log = tmp_path / "many.log"
    many_messages_log(log, 120000)  # 120 000 distinct templates: 20 000 past the table's 100 000
    r = run("--format", "json", "-j", jobs, "logscan", "--templates", log)
    assert r.code == 0, r.err
    s = r.json()["summary"]
    assert s["records"] == 120000
    assert s["template_count"] == 100000 and s["untemplated"] == 20000
    assert "template table full (100000 templates): 20000 messages" in r.err
    assert r.err.count("\n") == 1


def test_logscan_error_message_table_is_bounded_and_says_so(run, tmp_path):
    log = tmp_path / "many.log"
    many_messages_log(log, 120000)
    r = run("--format", "json", "logscan", log)
    assert r.code == 0, r.err
    s = r.json()["summary"]
    assert s["severity"]["error"] == 120000 and s["uncounted_errors"] == 20000
    assert sum(m["count"] for m in s["top_errors"]) == len(s["top_errors"])  # every kept one is unique
    assert "error-message table full (100000 distinct messages): 20000 records" in r.err


def test_logscan_table_bounds_survive_a_sharded_merge(run, tmp_path):
    log = tmp_path / "many.log"
    many_messages_log(log, 120000)
    parts = []
    for k in ("1/2", "2/2"):
        p = tmp_path / f"part{k[0]}.json"
        r = run("--format", "json", "logscan", "--templates", "--shard", k, log)
        assert r.code == 0, r.err
        p.write_bytes(r.out)
        parts.append(p)
    m = run("--format", "json", "merge", *parts)
    assert m.code == 0, m.err
    s = m.json()["summary"]
    assert s["template_count"] == 100000 and s["untemplated"] == 20000
    assert "template table full" in m.err


# ---- patterns: matches per rule -----------------------------------------------------------------

def test_patterns_caps_matches_per_rule_per_file_and_warns(run, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: every-line\n    pattern: 'hit'\n    severity: note\n")
    src = tmp_path / "src"
    src.mkdir()
    big = src / "big.py"
    big.write_text("x = 'hit'\n" * 12000)
    small = src / "small.py"
    small.write_text("y = 'hit'\n" * 5)
    r = run("--format", "json", "patterns", "--no-builtin", "--rules", rules, src)
    assert r.code in (0, 1), r.err
    per_file = {}
    for f in r.json()["results"]:
        per_file[os.path.basename(f["path"])] = per_file.get(os.path.basename(f["path"]), 0) + 1
    assert per_file == {"big.py": 10000, "small.py": 5}
    assert f"{big}: a rule matched more than 10000 times" in r.err
    assert str(small) not in r.err


# ---- crypto: Argon2 passes asked for by a hash from outside -----------------------------------

def test_crypto_verify_refuses_a_hash_asking_for_billions_of_passes(run, tmp_path):
    # Without the bound this line ran for days; now it is an invalid item, at once.
    batch = tmp_path / "batch.ndjson"
    slow = "$argon2id$v=19$m=65536,t=4000000000,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
    batch.write_text(json.dumps({"password": "pw", "hash": slow}) + "\n")
    r = run("--format", "json", "crypto", "verify", "--input", batch)
    assert r.code == 3, r.err
    assert r.json()["results"][0]["error"] == \
        "hash asks for 4000000000 passes, more than 64 (refused: it would run for hours)"
    assert f"{batch}:1: hash asks for 4000000000 passes" in r.err


def test_crypto_hash_caps_the_passes_it_is_asked_for(run):
    r = run("crypto", "hash", "-t", "65", stdin=b"pw\n")
    assert r.code == 2 and "-t: at most 64 passes" in r.err
