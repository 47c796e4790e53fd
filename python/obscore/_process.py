"""obscore: a small, dependency-free Python client for the obscore command-line tool.

It finds the binary, runs a subcommand with a timeout, returns the parsed JSON envelope, and
raises an exception chosen by the exit code (see obscore(1), EXIT STATUS):

    >>> import obscore
    >>> report = obscore.run("ast", "src/", max_cyclomatic=15)   # doctest: +SKIP
    >>> report["summary"]["functions"]                           # doctest: +SKIP

Exit 1 (a gate tripped) raises GateTripped, which carries the parsed report, so callers that
want the findings anyway can catch it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

__all__ = [
    "ObscoreError", "UsageError", "InputError", "GateTripped", "InternalError",
    "BinaryNotFound", "find_binary", "run", "stream", "version",
]

_EXIT_USAGE, _EXIT_GATE, _EXIT_INPUT, _EXIT_INTERNAL = 2, 1, 3, 4


class ObscoreError(Exception):
    """Base class: the command failed. `returncode`, `stderr` and `report` (parsed stdout when
    there was any) are attached."""

    def __init__(self, message: str, returncode: int = -1, stderr: str = "",
                 report: Optional[dict] = None):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
        self.report = report


class BinaryNotFound(ObscoreError):
    """No obscore binary could be found (set OBSCORE_BIN or put it on PATH)."""


class UsageError(ObscoreError):
    """Exit 2: bad flags or values."""


class InputError(ObscoreError):
    """Exit 3: some input was unreadable or malformed. `report` holds results for the rest."""


class GateTripped(ObscoreError):
    """Exit 1: the job ran and a gate tripped (findings). `report` holds the full output."""


class InternalError(ObscoreError):
    """Exit 4 (or a crash): a bug in obscore."""


def find_binary() -> str:
    """OBSCORE_BIN, then `obscore` on PATH, then the release build next to this package."""
    env = os.environ.get("OBSCORE_BIN")
    if env:
        if os.access(env, os.X_OK):
            return env
        raise BinaryNotFound(f"OBSCORE_BIN={env} is not an executable file")
    on_path = shutil.which("obscore")
    if on_path:
        return on_path
    root = Path(__file__).resolve().parent.parent.parent
    for candidate in (root / "build/release/apps/obscore/obscore",
                      root / "build/debug/apps/obscore/obscore"):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BinaryNotFound("obscore binary not found: set OBSCORE_BIN, put obscore on PATH, "
                         "or build it with scripts/demo")


def _flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword arguments to flags: max_cyclomatic=10 -> --max-cyclomatic 10; True -> bare flag;
    lists repeat the flag; None/False are left out."""
    args: list[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


def _command(subcommand: Sequence[str] | str, inputs: Iterable[str], options: Mapping[str, Any],
             fmt: str, threads: Optional[int]) -> list[str]:
    sub = [subcommand] if isinstance(subcommand, str) else list(subcommand)
    cmd = [find_binary(), "--format", fmt, "--color", "never"]
    if threads:
        cmd += ["--threads", str(threads)]
    return cmd + sub + _flags(options) + ["--"] + [str(i) for i in inputs]


def _raise_for(code: int, stderr: str, report: Optional[dict]) -> None:
    message = stderr.strip().splitlines()[-1] if stderr.strip() else f"obscore exited with {code}"
    if code == _EXIT_GATE:
        raise GateTripped(message, code, stderr, report)
    if code == _EXIT_USAGE:
        raise UsageError(message, code, stderr, report)
    if code == _EXIT_INPUT:
        raise InputError(message, code, stderr, report)
    raise InternalError(message, code, stderr, report)


def run(subcommand: Sequence[str] | str, *inputs: str, timeout: Optional[float] = 600,
        threads: Optional[int] = None, stdin: Optional[bytes] = None, **options: Any) -> dict:
    """Runs `obscore [--threads N] SUBCOMMAND [options] -- INPUTS...` and returns the JSON
    envelope as a dict. Options are keyword arguments (see `_flags`). Raises the exception for
    the exit code; subprocess.TimeoutExpired after `timeout` seconds (the child is killed)."""
    cmd = _command(subcommand, inputs, options, "json", threads)
    # Without `stdin` the child gets /dev/null, never the caller's terminal.
    feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout, **feed)
    stderr = proc.stderr.decode("utf-8", "replace")
    report = None
    if proc.stdout:
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise InternalError(f"obscore printed invalid JSON: {exc}", proc.returncode, stderr)
    if proc.returncode != 0:
        _raise_for(proc.returncode, stderr, report)
    if report is None:
        raise InternalError("obscore printed nothing", proc.returncode, stderr)
    return report


def stream(subcommand: Sequence[str] | str, *inputs: str, threads: Optional[int] = None,
           **options: Any) -> Iterator[dict]:
    """Runs the subcommand with --format ndjson and yields each line's object as it arrives
    ({"type": "result"|"diagnostic"|"summary", ...}); raises for the exit code at the end."""
    cmd = _command(subcommand, inputs, options, "ndjson", threads)
    with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            if line.strip():
                yield json.loads(line)
        stderr = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait()
    if code != 0:
        _raise_for(code, stderr, None)


def version() -> str:
    """The binary's `--version` line, e.g. "obscore 0.1.0 (git abc123)"."""
    out = subprocess.run([find_binary(), "--version"], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()
