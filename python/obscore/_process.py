"""Running the obscore binary: discovery, flags from keyword arguments, timeouts, cancellation,
and one exception class per exit code (obscore(1), EXIT STATUS) carrying the diagnostics."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

_EXIT_GATE, _EXIT_USAGE, _EXIT_INPUT, _EXIT_INTERNAL, _EXIT_INTERRUPTED = 1, 2, 3, 4, 130

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem obscore reported: `path` (or None), `line`/`column` where there is one."""

    severity: str
    message: str
    path: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.severity}: {self.message}" if where else f"{self.severity}: {self.message}"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Diagnostic":
        return cls(str(d.get("severity", "error")), str(d.get("message", "")), d.get("path"), d.get("line"),
                   d.get("column"))


# "obscore: error: path:12:3: message", "obscore: error: path: message", "obscore: error: message"
_STDERR_LINE = re.compile(r"^obscore: (error|warning|note): (?:(.+?):(\d+):(\d+): |(.+?): )?(.*)$")


def parse_stderr(stderr: str) -> list[Diagnostic]:
    """Diagnostics from obscore's stderr lines (used when there is no JSON report)."""
    out = []
    for line in stderr.splitlines():
        m = _STDERR_LINE.match(line)
        if not m:
            continue
        sev, p1, ln, col, p2, msg = m.groups()
        out.append(Diagnostic(sev, msg, p1 or p2, int(ln) if ln else None, int(col) if col else None))
    return out


class ObscoreError(Exception):
    """Base class: the command failed. `returncode`, `stderr`, `report` (the parsed JSON output
    when there was one) and `diagnostics` (list of Diagnostic) are attached."""

    def __init__(self, message: str, returncode: int = -1, stderr: str = "", report: Optional[dict] = None,
                 diagnostics: Optional[list[Diagnostic]] = None):
        Exception.__init__(self, message)  # not super(): Timeout also derives from TimeoutExpired
        self.returncode = returncode
        self.stderr = stderr
        self.report = report
        if diagnostics is None:
            diagnostics = [Diagnostic.from_json(d) for d in (report or {}).get("diagnostics", [])] if report else []
            if not diagnostics:
                diagnostics = parse_stderr(stderr)
        self.diagnostics = diagnostics


class BinaryNotFound(ObscoreError):
    """No obscore binary could be found (set OBSCORE_BIN, put it on PATH, or build it)."""


class UsageError(ObscoreError):
    """Exit 2: bad flags or values."""


class InputError(ObscoreError):
    """Exit 3: some input was unreadable or malformed. `report` holds the results for the rest."""


class GateTripped(ObscoreError):
    """Exit 1: the job ran and a gate tripped (findings, a failed verification, an unhealthy
    service). `report` holds the full output."""


class InternalError(ObscoreError):
    """Exit 4 (or a crash): a bug in obscore."""


class Cancelled(ObscoreError):
    """The call was cancelled through its CancelToken; the child got SIGTERM (obscore removes
    its temporary files and exits 130)."""


class Timeout(ObscoreError, subprocess.TimeoutExpired):
    """The call ran longer than `timeout` seconds; the child was stopped like on cancellation.
    Also a subprocess.TimeoutExpired."""

    def __init__(self, cmd: Sequence[str], timeout: float, stderr: str = ""):
        ObscoreError.__init__(self, f"obscore did not finish within {timeout:g} s", -1, stderr)
        self.cmd = list(cmd)
        self.timeout = timeout
        self.output = None

    def __str__(self) -> str:
        return f"obscore did not finish within {self.timeout:g} s"


class CancelToken:
    """Cancels running calls from another thread: pass `cancel=token` to any call, then
    `token.cancel()`. One token may serve many calls; `reset()` makes it usable again."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def reset(self) -> None:
        self._event.clear()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def find_binary() -> str:
    """OBSCORE_BIN, then `obscore` on PATH, then a build next to this package's source tree."""
    env = os.environ.get("OBSCORE_BIN")
    if env:
        if os.access(env, os.X_OK) and os.path.isfile(env):
            return env
        raise BinaryNotFound(f"OBSCORE_BIN={env} is not an executable file")
    on_path = shutil.which("obscore")
    if on_path:
        return on_path
    root = Path(__file__).resolve().parent.parent.parent
    for candidate in (root / "build/release/apps/obscore/obscore", root / "build/debug/apps/obscore/obscore"):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BinaryNotFound("obscore binary not found: set OBSCORE_BIN, put obscore on PATH, install the .deb, "
                         "or build it from the repository with scripts/demo (README: Building by hand)")


def flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword arguments to flags: max_cyclomatic=10 -> --max-cyclomatic 10; True -> the bare
    flag; a list or tuple repeats the flag; None and False are left out. Single-letter keys give
    short flags (t=3 -> -t 3)."""
    args: list[str] = []
    for key, value in options.items():
        flag = ("-" if len(key) == 1 else "--") + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                args += [flag, os.fspath(v) if isinstance(v, os.PathLike) else str(v)]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


def command(subcommand: Union[Sequence[str], str], inputs: Iterable[PathLike], options: Mapping[str, Any], fmt: str,
            threads: Optional[int]) -> list[str]:
    sub = [subcommand] if isinstance(subcommand, str) else list(subcommand)
    cmd = [find_binary(), "--format", fmt, "--color", "never"]
    if threads:
        cmd += ["--threads", str(threads)]
    inputs = [os.fspath(i) for i in inputs]
    return cmd + sub + flags(options) + (["--"] + inputs if inputs else [])


def raise_for(code: int, stderr: str, report: Optional[dict]) -> None:
    message = stderr.strip().splitlines()[-1] if stderr.strip() else f"obscore exited with {code}"
    if message.startswith("obscore: error: "):
        message = message[len("obscore: error: "):]
    cls = {_EXIT_GATE: GateTripped, _EXIT_USAGE: UsageError, _EXIT_INPUT: InputError}.get(code, InternalError)
    raise cls(message, code, stderr, report)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (obscore cleans up and exits 130), then SIGKILL after 5 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def execute(cmd: list[str], *, stdin: Optional[bytes] = None, timeout: Optional[float] = None,
            cancel: Optional[CancelToken] = None, env: Optional[Mapping[str, str]] = None) -> tuple[int, bytes, str]:
    """Runs cmd to completion; returns (exit code, stdout, stderr). Without `stdin` the child
    reads /dev/null, never the caller's terminal."""
    full_env = None if env is None else {**os.environ, **env}
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    deadline = None if timeout is None else time.monotonic() + timeout
    feed = stdin
    while True:
        step = 0.1 if cancel is not None else None
        if deadline is not None:
            left = deadline - time.monotonic()
            step = max(0.0, min(step, left)) if step is not None else max(0.0, left)
        try:
            out, err = proc.communicate(input=feed, timeout=step)
            break
        except subprocess.TimeoutExpired:
            feed = None  # communicate() keeps feeding what it started
            if cancel is not None and cancel.cancelled:
                _stop(proc)
                out, err = proc.communicate()
                raise Cancelled("cancelled", proc.returncode, err.decode("utf-8", "replace"))
            if deadline is not None and time.monotonic() >= deadline:
                _stop(proc)
                _, err = proc.communicate()
                raise Timeout(cmd, timeout or 0, err.decode("utf-8", "replace"))
    return proc.returncode, out, err.decode("utf-8", "replace")


def run(subcommand: Union[Sequence[str], str], *inputs: PathLike, timeout: Optional[float] = 600,
        threads: Optional[int] = None, stdin: Optional[bytes] = None, cancel: Optional[CancelToken] = None,
        env: Optional[Mapping[str, str]] = None, **options: Any) -> dict:
    """Runs `obscore --format json [--threads N] SUBCOMMAND [options] -- INPUTS...` and returns
    the JSON envelope as a dict. Raises the exception for the exit code, Timeout after `timeout`
    seconds, Cancelled when `cancel` fires."""
    cmd = command(subcommand, inputs, options, "json", threads)
    code, out, stderr = execute(cmd, stdin=stdin, timeout=timeout, cancel=cancel, env=env)
    report = None
    if out:
        try:
            report = json.loads(out)
        except json.JSONDecodeError as exc:
            raise InternalError(f"obscore printed invalid JSON: {exc}", code, stderr)
    if code != 0:
        raise_for(code, stderr, report)
    if report is None:
        raise InternalError("obscore printed nothing", code, stderr)
    return report


def run_raw(subcommand: Union[Sequence[str], str], *inputs: PathLike, timeout: Optional[float] = 600,
            stdin: Optional[bytes] = None, cancel: Optional[CancelToken] = None,
            env: Optional[Mapping[str, str]] = None, fmt: str = "json", **options: Any) -> bytes:
    """Like run(), for subcommands whose output is a document rather than a report (config
    to-json/to-yaml/get/merge): returns stdout as bytes."""
    cmd = command(subcommand, inputs, options, fmt, None)
    code, out, stderr = execute(cmd, stdin=stdin, timeout=timeout, cancel=cancel, env=env)
    if code != 0:
        raise_for(code, stderr, None)
    return out


def stream(subcommand: Union[Sequence[str], str], *inputs: PathLike, threads: Optional[int] = None,
           cancel: Optional[CancelToken] = None, stdin: Optional[bytes] = None,
           env: Optional[Mapping[str, str]] = None, **options: Any) -> Iterator[dict]:
    """Runs the subcommand with --format ndjson and yields each line's object as it arrives
    ({"type": "result"|"diagnostic"|"summary", ...}); raises for the exit code at the end.
    Closing the generator early (or `cancel`) stops the child."""
    cmd = command(subcommand, inputs, options, "ndjson", threads)
    full_env = None if env is None else {**os.environ, **env}
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    assert proc.stdout is not None and proc.stderr is not None
    # stderr is drained on a thread so a chatty child never blocks on a full pipe.
    err_chunks: list[bytes] = []
    drain = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    drain.start()
    if stdin is not None:
        threading.Thread(target=lambda: (proc.stdin.write(stdin), proc.stdin.close()), daemon=True).start()
    watcher = None
    if cancel is not None:
        def watch() -> None:
            while proc.poll() is None:
                if cancel.cancelled:
                    _stop(proc)
                    return
                time.sleep(0.05)
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    finished = False
    try:
        for line in proc.stdout:
            if line.strip():
                yield json.loads(line)
        finished = True
    finally:
        if not finished:
            _stop(proc)
        proc.stdout.close()
        code = proc.wait()
        drain.join()
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    if cancel is not None and cancel.cancelled:
        raise Cancelled("cancelled", code, stderr)
    if code != 0:
        raise_for(code, stderr, None)


def version() -> str:
    """The binary's `--version` line, e.g. "obscore 0.1.0 (git abc123)"."""
    out = subprocess.run([find_binary(), "--version"], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()
