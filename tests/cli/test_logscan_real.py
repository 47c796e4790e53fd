"""`obscore logscan` on logs nobody here wrote: loghub's labelled samples (levels exact, template
grouping accuracy above a floor), learned formats pinned by their --header, and the gate that never
passes blind."""
import csv
import collections
import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(SRC, "tests", "data", "logscan")
LOGHUB = os.path.abspath(os.path.join(SRC, "..", "shared", "corpora", "loghub-2k"))


def loghub_systems():
    if not os.path.isdir(LOGHUB):
        return []
    return sorted(d for d in os.listdir(LOGHUB) if os.path.isfile(os.path.join(LOGHUB, d, f"{d}_2k.log")))


def structured(system):
    with open(os.path.join(LOGHUB, system, f"{system}_2k.log_structured.csv"), newline="",
              encoding="utf-8", errors="replace") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("system", loghub_systems())
def test_loghub_levels_are_the_labelled_counts(run, system):
    rows = structured(system)
    r = run("logscan", os.path.join(LOGHUB, system, f"{system}_2k.log"))
    assert r.code == 0, r.err
    res = r.json()["results"][0]
    assert res["records"] == len(rows)
    if "Level" not in rows[0]:
        pytest.skip(f"{system} has no Level column")
    assert res["levels"] == dict(collections.Counter(x["Level"] for x in rows))


def test_loghub_bgl_gate_trips(run):
    if "BGL" not in loghub_systems():
        pytest.skip("no loghub corpus")
    r = run("logscan", "--fail-on", "error", os.path.join(LOGHUB, "BGL", "BGL_2k.log"))
    assert r.code == 1
    doc = r.json()
    assert doc["results"][0]["format"] == "learned"
    assert doc["summary"]["gates"]["fail_on"]["records"] == 347 + 41 + 7  # FATAL, ERROR, SEVERE


LEARNED = sorted(f for f in os.listdir(FIXTURES) if f.startswith("learned_"))


@pytest.mark.parametrize("name", LEARNED)
def test_learned_header_pins_the_same_result(run, name):
    path = os.path.join(FIXTURES, name)
    first = run("logscan", "--year", "2023", path).json()["results"][0]
    assert first["format"] == "learned" and first["header"]
    pinned = run("logscan", "--year", "2023", "--header", first["header"], path).json()["results"][0]
    assert pinned["format"] == "custom"
    for key in ("records", "continuation_lines", "levels", "severity", "first_ts", "last_ts"):
        assert pinned[key] == first[key], key


def test_gate_never_passes_blind(run):
    path = os.path.join(FIXTURES, "gate_unreadable.log")
    # Without a gate: a warning naming the file and the share, exit 0.
    r = run("logscan", path)
    assert r.code == 0
    diag = r.json()["diagnostics"]
    assert len(diag) == 1 and diag[0]["severity"] == "warning"
    assert diag[0]["path"] == path and "57% of the first 7 lines" in diag[0]["message"]
    assert "gate_unreadable.log" in r.err
    # With --fail-on: the file is unreadable for the gate, exit 3 with the diagnostic.
    r = run("logscan", "--fail-on", "error", path)
    assert r.code == 3
    assert r.json()["diagnostics"][0]["severity"] == "error"
    assert "--fail-on cannot judge this file" in r.err
    # Unless the user says otherwise.
    r = run("logscan", "--fail-on", "error", "--fail-on-unknown-format", "ignore", path)
    assert r.code == 0
    # A readable file next to it still trips the gate; the unreadable one still makes it 3.
    r = run("logscan", "--fail-on", "error", path, os.path.join(FIXTURES, "postgres.log"))
    assert r.code == 3
    assert r.json()["summary"]["gates"]["fail_on"]["records"] == 4
    r = run("logscan", "--fail-on", "error", "--fail-on-unknown-format", "ignore", path,
            os.path.join(FIXTURES, "postgres.log"))
    assert r.code == 1
    # A file whose lines carry no level words is not flagged.
    r = run("logscan", "--fail-on", "error", os.path.join(FIXTURES, "access.log"))
    assert r.code == 1 and r.json()["diagnostics"] == []
    assert run("logscan", "--fail-on-unknown-format", "maybe", path).code == 2
