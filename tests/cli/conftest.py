"""Shared fixtures for the end-to-end tests: the binary under test and a runner."""
import json
import os
import subprocess

import pytest

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
        return Run(proc)

    return _run
