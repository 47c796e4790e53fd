"""Output identity of the per-file runs across refactors: every case of identity.py gives the
bytes (durations aside) and the exit code recorded in tests/data/identity/expected.json."""
import json
import os

import pytest

import identity


@pytest.fixture(scope="module")
def measured(binary):
    if not os.path.isdir(identity.LOGHUB) or not os.path.isdir(identity.AST_CORPORA):
        pytest.fail(f"the shared corpora are missing: {identity.SHARED} must sit beside the checkout")
    return identity.measure(binary)


with open(identity.EXPECTED) as f:
    EXPECTED = json.load(f)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_output_is_unchanged(measured, name):
    assert name in measured, f"case {name!r} is recorded but no longer run"
    assert measured[name] == EXPECTED[name], (
        f"{name}: output changed; if that is intended, run tests/cli/identity.py --update BINARY "
        "and say why in the commit")


def test_every_case_is_recorded(measured):
    assert sorted(measured) == sorted(EXPECTED)


def test_the_cases_exercise_each_outcome():
    """The recorded cases cover clean runs, a tripped gate and partial failures, so the identity
    speaks for every exit path of the run skeleton, not only the happy one."""
    exits = {v["exit"] for v in EXPECTED.values()}
    assert {0, 1} <= exits, exits
    assert all(v["bytes"] > 200 for v in EXPECTED.values())
