"""Running the obscore binary: discovery, flags from keyword arguments, timeouts, cancellation,
and one exception class per exit code (obscore(1), EXIT STATUS) carrying the diagnostics."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

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


class Timeout(ObscoreError, subprocess.TimeoutExpired):  # type: ignore[misc]  # stderr: str on both paths
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


# The call's own settings end with "_" (timeout_, cancel_, check_, env_, stdin_, ...): a flag
# never ends with "-", so these names cannot collide with any flag of any subcommand, today or
# later. Every keyword without a trailing underscore is a flag.
_FORMER_SETTINGS = ("timeout", "cancel", "check", "env", "stdin")
_FLAG_SCALARS = (str, int, float, os.PathLike)


def _renamed(key: str) -> str:
    return (f"{key}= is a flag (--{key.replace('_', '-')}); the call's own setting is {key}_= "
            "(python/README.md: Call settings and flags)")


def _flag_value(key: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, _FLAG_SCALARS):
        if key in _FORMER_SETTINGS:
            raise TypeError(_renamed(key))
        raise TypeError(f"{key}={value!r}: a flag value is a str, int, float or path (or a list of them)")
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


def flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword arguments to flags, each as one argument `--flag=value` (so a value beginning with
    `-` is never taken for a flag): max_cyclomatic=10 -> --max-cyclomatic=10; True -> the bare
    flag; a list or tuple repeats the flag; None and False are left out. Single-letter keys give
    short flags with the value attached (t=3 -> -t3). A key ending in "_" is a call setting the
    called function does not take: TypeError."""
    args: list[str] = []
    for key, value in options.items():
        if key.endswith("_"):
            raise TypeError(f"unknown call setting {key}= (call settings: timeout_, cancel_, check_, env_, stdin_; "
                            "see the function's documentation)")
        if key in ("check",) and isinstance(value, bool):
            raise TypeError(_renamed(key))  # check=False would otherwise be dropped without a word
        short = len(key) == 1
        flag = ("-" if short else "--") + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            args.append(flag)
            continue
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            text = _flag_value(key, v)
            if short:
                args += [flag + text] if text else [flag, text]
            else:
                args.append(f"{flag}={text}")
    return args


def command(subcommand: Union[Sequence[str], str], inputs: Iterable[PathLike], options: Mapping[str, Any], fmt: str,
            threads: Optional[int]) -> list[str]:
    sub = [subcommand] if isinstance(subcommand, str) else list(subcommand)
    cmd = [find_binary(), f"--format={fmt}", "--color=never"]
    if threads:
        cmd.append(f"--threads={int(threads)}")
    paths = [os.fspath(i) for i in inputs]
    return cmd + sub + flags(options) + (["--"] + paths if paths else [])


# --- schema_version ---------------------------------------------------------------------------

SUPPORTED_SCHEMA_VERSIONS = (1, 2)
"""The major versions of the JSON/NDJSON output (`schema_version`, obscore(1) OUTPUT) this client
reads. obscore bumps it only on an incompatible change."""


class SchemaVersionError(ObscoreError):
    """The output carries a `schema_version` whose major version this client does not read (or
    none at all): `seen` (the value as written, None when absent) and `supported` (the major
    versions this client reads). Results of an incompatible schema are never returned. Use the
    Python client that ships with that obscore."""

    def __init__(self, seen: Any, command: str = "", returncode: int = 0, stderr: str = ""):
        supported = ", ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
        what = f"obscore {command} output" if command else "obscore output"
        if seen is None:
            message = f"{what} has no schema_version; this client reads schema_version {supported}"
        else:
            message = (f"{what} has schema_version {seen!r}; this client reads schema_version {supported} "
                       "(use the Python client of the same obscore release)")
        ObscoreError.__init__(self, message, returncode, stderr)
        self.seen = seen
        self.supported = SUPPORTED_SCHEMA_VERSIONS


def schema_major(value: Any) -> Optional[int]:
    """The major version of a schema_version value (1, 1.2 or "1.2" -> 1); None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value >= 0:
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)(?:\.\d+)*\s*", value)
        return int(m.group(1)) if m else None
    return None


def check_schema(doc: Any, returncode: int = 0, stderr: str = "") -> None:
    """Raises SchemaVersionError unless `doc` (a JSON envelope or an NDJSON summary line) carries
    a schema_version of a supported major version."""
    seen = doc.get("schema_version") if isinstance(doc, Mapping) else None
    if schema_major(seen) not in SUPPORTED_SCHEMA_VERSIONS:
        command = doc.get("command", "") if isinstance(doc, Mapping) else ""
        raise SchemaVersionError(seen, command if isinstance(command, str) else "", returncode, stderr)


def parse_report(out: bytes, code: int, stderr: str) -> Optional[dict]:
    """The JSON envelope on stdout (None when stdout is empty), its schema_version checked."""
    if not out:
        return None
    try:
        report = json.loads(out)
    except json.JSONDecodeError as exc:
        raise InternalError(f"obscore printed invalid JSON: {exc}", code, stderr)
    if not isinstance(report, dict):
        raise InternalError("obscore printed JSON that is not an object", code, stderr)
    check_schema(report, code, stderr)
    return report


# --- running ----------------------------------------------------------------------------------

def raise_for(code: int, stderr: str, report: Optional[dict]) -> None:
    message = stderr.strip().splitlines()[-1] if stderr.strip() else f"obscore exited with {code}"
    if message.startswith("obscore: error: "):
        message = message[len("obscore: error: "):]
    if code == _EXIT_USAGE:
        former = re.search(r"--(" + "|".join(_FORMER_SETTINGS) + r")\b(?!-)", message)
        if former:
            message += f" ({_renamed(former.group(1))})"
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


def run(subcommand: Union[Sequence[str], str], *inputs: PathLike, timeout_: Optional[float] = 600,
        cancel_: Optional[CancelToken] = None, stdin_: Optional[bytes] = None,
        env_: Optional[Mapping[str, str]] = None, threads: Optional[int] = None, **flags: Any) -> dict:
    """Runs `obscore --format=json [--threads=N] SUBCOMMAND [flags] -- INPUTS...` and returns the
    JSON envelope as a dict. Call settings end with "_": `timeout_` (seconds, None for none;
    Timeout), `cancel_` (a CancelToken; Cancelled), `stdin_` (bytes for the child's standard
    input), `env_` (variables added to the child's environment). Every other keyword is a flag.
    Raises the exception for the exit code, SchemaVersionError for an output this client cannot
    read."""
    cmd = command(subcommand, inputs, flags, "json", threads)
    code, out, stderr = execute(cmd, stdin=stdin_, timeout=timeout_, cancel=cancel_, env=env_)
    report = parse_report(out, code, stderr)
    if code != 0:
        raise_for(code, stderr, report)
    if report is None:
        raise InternalError("obscore printed nothing", code, stderr)
    return report


def run_raw(subcommand: Union[Sequence[str], str], *inputs: PathLike, timeout_: Optional[float] = 600,
            cancel_: Optional[CancelToken] = None, stdin_: Optional[bytes] = None,
            env_: Optional[Mapping[str, str]] = None, format_: str = "json", **flags: Any) -> bytes:
    """Like run(), for subcommands whose output is a document rather than a report (config
    to-json/to-yaml/get/merge, crypto keygen/encrypt/decrypt): returns stdout as bytes."""
    cmd = command(subcommand, inputs, flags, format_, None)
    code, out, stderr = execute(cmd, stdin=stdin_, timeout=timeout_, cancel=cancel_, env=env_)
    if code != 0:
        raise_for(code, stderr, None)
    return out


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except OSError:  # the child exited (or was stopped) before reading it all
        pass


def stream(subcommand: Union[Sequence[str], str], *inputs: PathLike, timeout_: Optional[float] = None,
           cancel_: Optional[CancelToken] = None, stdin_: Optional[bytes] = None,
           env_: Optional[Mapping[str, str]] = None, threads: Optional[int] = None, **flags: Any) -> Iterator[dict]:
    """Runs the subcommand with --format=ndjson and yields each line's object as it arrives
    ({"type": "result"|"diagnostic"|"summary", ...}); raises for the exit code at the end.

    `timeout_` (seconds, default None: as long as the consumer reads) bounds the whole stream from
    the child's start, including the time the consumer spends between items: when it passes, the
    child is stopped and Timeout raised (no further item is yielded). `cancel_` and closing the
    generator early stop the child too. Every line that carries a schema_version (the summary
    does) is checked when it arrives; a stream that ends without one raises SchemaVersionError."""
    cmd = command(subcommand, inputs, flags, "ndjson", threads)
    full_env = None if env_ is None else {**os.environ, **env_}
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_ is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    assert proc.stdout is not None and proc.stderr is not None
    child_err, child_in, data = proc.stderr, proc.stdin, stdin_
    # stderr is drained on a thread so a chatty child never blocks on a full pipe.
    err_chunks: list[bytes] = []
    drain = threading.Thread(target=lambda: err_chunks.append(child_err.read()), daemon=True)
    drain.start()
    if child_in is not None and data is not None:
        threading.Thread(target=_feed, args=(child_in, data), daemon=True).start()
    deadline = None if timeout_ is None else time.monotonic() + timeout_
    stopped: list[str] = []  # "timeout" or "cancel", set by the watcher before it stops the child
    done = threading.Event()

    def expired() -> bool:
        return deadline is not None and time.monotonic() >= deadline

    def stderr_text() -> str:
        return b"".join(err_chunks).decode("utf-8", "replace")

    if cancel_ is not None or deadline is not None:
        def watch() -> None:
            while not done.is_set() and proc.poll() is None:
                if cancel_ is not None and cancel_.cancelled:
                    stopped.append("cancel")
                elif expired():
                    stopped.append("timeout")
                if stopped:
                    _stop(proc)
                    return
                done.wait(0.05)
        threading.Thread(target=watch, daemon=True).start()
    finished = False
    seen_schema = False
    try:
        for line in proc.stdout:
            if stopped or expired() or (cancel_ is not None and cancel_.cancelled):
                break
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InternalError(f"obscore printed an invalid NDJSON line: {exc}", -1, "")
            if isinstance(item, dict) and "schema_version" in item:
                check_schema(item)
                seen_schema = True
            yield item
        finished = not (stopped or expired() or (cancel_ is not None and cancel_.cancelled))
    finally:
        done.set()
        if not finished:
            _stop(proc)
        proc.stdout.close()
        code = proc.wait()
        drain.join()
    stderr = stderr_text()
    if cancel_ is not None and cancel_.cancelled:
        raise Cancelled("cancelled", code, stderr)
    if "timeout" in stopped or (deadline is not None and not finished):
        raise Timeout(cmd, timeout_ or 0, stderr)
    if code != 0:
        raise_for(code, stderr, None)
    if not seen_schema:
        raise SchemaVersionError(None, " ".join([subcommand] if isinstance(subcommand, str) else subcommand),
                                 code, stderr)


def version() -> str:
    """The binary's `--version` line, e.g. "obscore 0.1.0 (git abc123)"."""
    out = subprocess.run([find_binary(), "--version"], capture_output=True, text=True, timeout=30)
    return out.stdout.strip()
