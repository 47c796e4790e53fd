"""Shared fixtures for the end-to-end tests: the binary under test and a runner."""
import json
import os
import subprocess

import pytest

import schema_check

BIN = os.environ.get("OBSCORE_BIN", "")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


@pytest.fixture(scope="session")
def binary():
    if not BIN or not os.access(BIN, os.X_OK):
        pytest.fail("OBSCORE_BIN must name the obscore binary under test")
    return BIN


@pytest.fixture(scope="session")
def data_dir():
    return os.path.abspath(DATA)


class Run:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr.decode("utf-8", "replace")

    @property
    def text(self):
        return self.out.decode("utf-8")

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run(binary, tmp_path):
    """run(*args, stdin=None, env=None) -> Run; a private cache dir unless the test passes one."""

    def _run(*args, stdin=None, env=None, cwd=None):
        e = dict(os.environ)
        e.pop("NO_COLOR", None)
        e["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
        if env:
            e.update(env)
        proc = subprocess.run([binary, *map(str, args)], input=stdin, capture_output=True,
                              env=e, cwd=cwd, timeout=120)
        check_schemas(args, proc.stdout, cwd)
        return Run(proc)

    return _run


def check_schemas(args, stdout, cwd=None):
    """Fails the test when stdout, or the -o/--output file, is an obscore JSON envelope or NDJSON
    stream that its schema (schemas/<subcommand>.schema.json) rejects."""
    args = [str(a) for a in args]
    outputs = [("stdout", stdout)]
    for i, a in enumerate(args):
        path = None
        if a in ("-o", "--output") and i + 1 < len(args):
            path = args[i + 1]
        elif a.startswith("--output="):
            path = a.split("=", 1)[1]
        if path and path != "-":
            full = os.path.join(cwd or os.getcwd(), path)
            if os.path.isfile(full) and os.path.getsize(full) < (64 << 20):
                with open(full, "rb") as f:
                    outputs.append((path, f.read()))
            break
    for where, out in outputs:
        if len(out) > (64 << 20):
            continue  # the multi-GB stress outputs: their shape is checked on small runs
        problems = schema_check.check_output(out, args)
        if problems:
            pytest.fail(f"obscore {' '.join(args)}: {where} does not match its schema:\n  "
                        + "\n  ".join(problems[:20]), pytrace=False)


def check_log_file(result, exp):
    """One logscan file result against a hand-counted expectation (tests/data/logscan*/expected.json)."""
    assert result["format"] == exp["format"]
    for key in ("lines", "records", "continuation_lines", "first_ts", "last_ts"):
        assert result[key] == exp[key], key
    assert result["levels"] == exp["levels"]
