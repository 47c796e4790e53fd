"""Every JSON/NDJSON output the real binary gives the Python client in these tests is validated
against schemas/ (as tests/cli/conftest.py does for the CLI tests); stand-in binaries that print
made-up documents on purpose are left alone."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import schema_check  # noqa: E402

from obscore import _process, dask as obscore_dask  # noqa: E402

REAL_BINARY = os.path.realpath(os.environ.get("OBSCORE_BIN", ""))


@pytest.fixture(autouse=True)
def validate_outputs(monkeypatch):
    execute = _process.execute

    def checked(cmd, **kw):
        code, out, err = execute(cmd, **kw)
        if REAL_BINARY and os.path.realpath(str(cmd[0])) == REAL_BINARY:
            problems = schema_check.check_output(out, [str(c) for c in cmd[1:]])
            if problems:
                pytest.fail(f"{' '.join(map(str, cmd))}: stdout does not match its schema:\n  "
                            + "\n  ".join(problems[:20]), pytrace=False)
        return code, out, err

    monkeypatch.setattr(_process, "execute", checked)
    monkeypatch.setattr(obscore_dask, "execute", checked)
