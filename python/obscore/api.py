"""One function per subcommand.

Every keyword that does not end in "_" is a flag of the subcommand, sent as `--flag=value`
(max_cyclomatic=10 -> --max-cyclomatic=10, see obscore-<subcommand>(1)); `threads=` is the
global --threads. The call's own settings end in "_", which no flag can, so the two never
collide (netscan(timeout=300, timeout_=60) is a 300 ms connect timeout within a 60 s call):

- `timeout_`: seconds (default 600 for calls, None for `iter_*` streams; Timeout),
- `cancel_`: a CancelToken (Cancelled),
- `env_`: variables added to the child's environment,
- `check_`: for subcommands with a gate, True (default) raises GateTripped on exit 1, False
  returns the report anyway.

Results are typed: each function returns Report[T] (or yields T) with T the subcommand's record
type; outputs of an unknown major schema_version raise SchemaVersionError."""

from __future__ import annotations

import json
import os
from typing import (Any, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union,
                    overload)

from . import _fallback
from ._process import GateTripped, PathLike, UsageError, run, run_raw, stream
from .results import (AstFile, Attribution, LintFinding, LogFile, PatternFinding, Report, ScanResult, UiGroup,
                      Validation, Verification, maker)

T = TypeVar("T")


def _report(sub: Any, cls: Type[T], inputs: Sequence[PathLike], check_: bool, **kw: Any) -> Report[T]:
    try:
        raw = run(sub, *inputs, **kw)
    except GateTripped as exc:
        if check_ or exc.report is None:
            raise
        raw = exc.report
    return Report.from_json(raw, maker(cls))


def _iter(sub: Any, cls: Type[T], inputs: Sequence[PathLike], **kw: Any) -> Iterator[T]:
    make = maker(cls)
    for item in stream(sub, *inputs, **kw):
        if item.get("type") == "result":
            yield make(item["data"])


# --- ast ------------------------------------------------------------------------------------

def ast(*paths: PathLike, check_: bool = True, **options: Any) -> Report[AstFile]:
    """Per-function complexity (Report of AstFile). Without the binary, Python files are
    measured by the pure-Python fallback with identical numbers (see obscore.backend())."""
    if _fallback.active():
        return _fallback.ast(paths, check_=check_, **options)
    return _report("ast", AstFile, paths, check_, **options)


def iter_ast(*paths: PathLike, **options: Any) -> Iterator[AstFile]:
    """AstFile results as obscore finishes them (timeout_ default None)."""
    if _fallback.active():
        yield from _fallback.ast(paths, check_=False, **options).results
        return
    yield from _iter("ast", AstFile, paths, **options)


# --- logscan --------------------------------------------------------------------------------

LogPatterns = Union[Mapping[str, str], PathLike, Sequence[PathLike], None]


def _logscan_options(patterns: LogPatterns, options: dict) -> dict:
    if isinstance(patterns, Mapping):
        regexp = options.get("regexp")
        regexp = [] if regexp is None else [regexp] if isinstance(regexp, (str, os.PathLike)) else list(regexp)
        options["regexp"] = regexp + [f"{k}={v}" for k, v in patterns.items()]
    elif patterns is not None:
        options["patterns"] = patterns  # the --patterns flag: pattern files
    return options


def logscan(*paths: PathLike, patterns: LogPatterns = None, check_: bool = True,
            **options: Any) -> Report[LogFile]:
    """Log summaries (Report of LogFile; levels, histogram, patterns, templates in `summary`).
    `patterns` as a mapping {id: regex} is sent as --regexp=ID=REGEX; a path or a list of paths
    is the --patterns flag (pattern files). Without the binary, level counts come from the
    fallback."""
    if _fallback.active():
        return _fallback.logscan(paths, patterns=patterns, check_=check_, **options)
    return _report("logscan", LogFile, paths, check_, **_logscan_options(patterns, options))


def iter_logscan(*paths: PathLike, patterns: LogPatterns = None, **options: Any) -> Iterator[LogFile]:
    """LogFile results as obscore finishes them (timeout_ default None)."""
    if _fallback.active():
        yield from _fallback.logscan(paths, patterns=patterns, check_=False, **options).results
        return
    yield from _iter("logscan", LogFile, paths, **_logscan_options(patterns, options))


# --- patterns -------------------------------------------------------------------------------

def _many(x: Any) -> Optional[List[Any]]:
    if x is None:
        return None
    return [os.fspath(p) for p in x] if isinstance(x, (list, tuple)) else [os.fspath(x)]


def patterns(*paths: PathLike, rules: Optional[Sequence[PathLike]] = None, check_: bool = True,
             **options: Any) -> Report[PatternFinding]:
    """Business-logic findings (Report of PatternFinding); `rules` adds YAML rule files."""
    return _report("patterns", PatternFinding, paths, check_, rules=_many(rules), **options)


def iter_patterns(*paths: PathLike, rules: Optional[Sequence[PathLike]] = None,
                  **options: Any) -> Iterator[PatternFinding]:
    """PatternFinding results as files complete (timeout_ default None)."""
    yield from _iter("patterns", PatternFinding, paths, rules=_many(rules), **options)


# --- correlate ------------------------------------------------------------------------------

def _correlate_options(ui: Any, api: Any, nav: Any, events: Any, group_by: Optional[str], options: dict) -> dict:
    if not (ui and api) and not events:
        raise UsageError("correlate needs ui= and api= files, or events=", 2)
    options.update(ui=_many(ui), api=_many(api), nav=_many(nav), events=_many(events), group_by=group_by)
    return options


@overload
def correlate(ui: Any = ..., api: Any = ..., nav: Any = ..., events: Any = ..., *,
              group_by: Literal["ui"], **options: Any) -> Report[UiGroup]: ...
@overload
def correlate(ui: Any = ..., api: Any = ..., nav: Any = ..., events: Any = ..., *,
              group_by: Optional[Literal["api"]] = ..., **options: Any) -> Report[Attribution]: ...


def correlate(ui: Any = None, api: Any = None, nav: Any = None, events: Any = None, *,
              group_by: Optional[str] = None, **options: Any) -> Report[Any]:
    """Attribution of every API call to its UI event or background (Report of Attribution);
    with group_by="ui" one UiGroup per UI event with its calls (Report of UiGroup)."""
    options = _correlate_options(ui, api, nav, events, group_by, options)
    return _report("correlate", UiGroup if group_by == "ui" else Attribution, (), True, **options)


@overload
def iter_correlate(ui: Any = ..., api: Any = ..., nav: Any = ..., events: Any = ..., *,
                   group_by: Literal["ui"], **options: Any) -> Iterator[UiGroup]: ...
@overload
def iter_correlate(ui: Any = ..., api: Any = ..., nav: Any = ..., events: Any = ..., *,
                   group_by: Optional[Literal["api"]] = ..., **options: Any) -> Iterator[Attribution]: ...


def iter_correlate(ui: Any = None, api: Any = None, nav: Any = None, events: Any = None, *,
                   group_by: Optional[str] = None, **options: Any) -> Iterator[Any]:
    """Attributions (UiGroups with group_by="ui") as a stream (timeout_ default None)."""
    options = _correlate_options(ui, api, nav, events, group_by, options)
    yield from _iter("correlate", UiGroup if group_by == "ui" else Attribution, (), **options)


# --- config ---------------------------------------------------------------------------------

def config_to_json(path: PathLike, **options: Any) -> List[Any]:
    """The documents of a YAML/JSON file as Python values (one list item per document)."""
    out = run_raw(["config", "to-json"], path, array=True, compact=True, **options)
    return json.loads(out)


def config_to_yaml(path: PathLike, **options: Any) -> str:
    return run_raw(["config", "to-yaml"], path, **options).decode("utf-8")


_MISSING = object()


def config_get(path: PathLike, expr: str, default_: Any = _MISSING, **options: Any) -> Any:
    """The value at `expr` (.a.b[0].c or a JSON Pointer) in a single-document file; `default_`
    (also the third positional argument) when absent, else KeyError. (Multi-document files:
    config_to_json.)"""
    if "default" in options:
        raise TypeError("config_get: the value for a missing key is default_= (or the third positional argument)")
    try:
        out = run_raw(["config", "get"], path, expr, compact=True, **options)
    except GateTripped:
        if default_ is _MISSING:
            raise KeyError(expr) from None
        return default_
    return json.loads(out)


def config_merge(base: PathLike, *overlays: PathLike, lists: Optional[str] = None, **options: Any) -> Any:
    """Deep merge (maps merge, lists replace; lists="append" or "merge-by=KEY")."""
    return json.loads(run_raw(["config", "merge"], base, *overlays, lists=lists, compact=True, **options))


def config_lint(*paths: PathLike, check_: bool = True, **options: Any) -> Report[LintFinding]:
    """Lint findings (Report of LintFinding); exit 1 (GateTripped) at --fail-on, default error."""
    return _report(["config", "lint"], LintFinding, paths, check_, **options)


def config_validate(*paths: PathLike, **options: Any) -> Report[Validation]:
    """One Validation per file. Invalid files raise InputError (its `report` has them all);
    catch it, or read `exc.report`."""
    return _report(["config", "validate"], Validation, paths, True, **options)


# --- crypto ---------------------------------------------------------------------------------

_PASS_ENV = "OBSCORE_PY_PASSPHRASE"


def _lines(items: Iterable[str], what: str) -> bytes:
    out = []
    for s in items:
        if "\n" in s or "\r" in s:
            raise ValueError(f"a {what} cannot contain a line break")
        out.append(s)
    return ("\n".join(out) + ("\n" if out else "")).encode("utf-8")


def crypto_hash(passwords: Iterable[str], profile: str = "rfc9106", **options: Any) -> List[str]:
    """Argon2id PHC strings, one per password (sent on stdin, never on a command line)."""
    raw = run(["crypto", "hash"], stdin_=_lines(passwords, "password"), input="-", profile=profile, **options)
    return [r["phc"] for r in sorted(raw.get("results", []), key=lambda r: r["index"])]


def crypto_verify(pairs: Iterable[Tuple[str, str]], check_: bool = False, **options: Any) -> Report[Verification]:
    """Verifies (password, phc) pairs; Report of Verification (ok, needs_rehash). With check_=True
    a failed verification raises GateTripped."""
    lines = "".join(json.dumps({"password": p, "hash": h}) + "\n" for p, h in pairs).encode("utf-8")
    try:
        raw = run(["crypto", "verify"], stdin_=lines, input="-", **options)
    except GateTripped as exc:
        if check_ or exc.report is None:
            raise
        raw = exc.report
    return Report.from_json(raw, maker(Verification))


def crypto_keygen(path: PathLike, force: bool = False, **options: Any) -> None:
    """A new 32-byte key file, mode 0600 (refuses to replace one unless force=True)."""
    run_raw(["crypto", "keygen"], path, force=force, **options)


def _secret(key_file: Optional[PathLike], passphrase: Optional[str], options: dict) -> dict:
    if (key_file is None) == (passphrase is None):
        raise UsageError("give exactly one of key_file= or passphrase=", 2)
    env = dict(options.pop("env_", None) or {})
    if passphrase is not None:
        env[_PASS_ENV] = passphrase
        options["passphrase_env"] = _PASS_ENV
    else:
        options["key_file"] = key_file
    options["env_"] = env
    return options


def crypto_encrypt(src: PathLike, dst: PathLike, key_file: Optional[PathLike] = None,
                   passphrase: Optional[str] = None, force: bool = False, **options: Any) -> None:
    """Encrypts src to dst (written atomically). The passphrase travels in the child's
    environment, never on its command line."""
    run_raw(["crypto", "encrypt"], src, output=dst, force=force, **_secret(key_file, passphrase, options))


def crypto_decrypt(src: PathLike, dst: PathLike, key_file: Optional[PathLike] = None,
                   passphrase: Optional[str] = None, force: bool = False, **options: Any) -> None:
    """Decrypts src to dst; dst appears only when every chunk authenticated (InputError names
    the failure otherwise)."""
    run_raw(["crypto", "decrypt"], src, output=dst, force=force, **_secret(key_file, passphrase, options))


# --- netscan --------------------------------------------------------------------------------

def _ports(ports: Any) -> Optional[str]:
    if ports is None or isinstance(ports, str):
        return ports
    if isinstance(ports, int):
        return str(ports)
    return ",".join(str(p) for p in ports)


def _inventory(inventory: Optional[PathLike], options: dict) -> dict:
    if inventory is not None:
        if options.get("targets") is not None:
            raise UsageError("give the inventory once: inventory= or targets=", 2)
        options["targets"] = inventory
    return options


def netscan(*targets: str, ports: Any = None, inventory: Optional[PathLike] = None, check_: bool = True,
            **options: Any) -> Report[ScanResult]:
    """TCP scan or inventory health check (Report of ScanResult); `ports` is "22,80,8000-8100",
    "-" for all, an int or a list; `inventory` (or targets=, the flag's own name) an inventory
    file. `timeout=` is netscan's connect timeout in ms (--timeout); the call's is `timeout_=`
    in seconds. An unhealthy inventory service raises GateTripped unless check_=False."""
    return _report("netscan", ScanResult, targets, check_, ports=_ports(ports), **_inventory(inventory, options))


def iter_netscan(*targets: str, ports: Any = None, inventory: Optional[PathLike] = None,
                 **options: Any) -> Iterator[ScanResult]:
    """Results in completion order, as each becomes final (timeout_ default None)."""
    yield from _iter("netscan", ScanResult, targets, ports=_ports(ports), **_inventory(inventory, options))


__all__ = [
    "ast", "iter_ast", "logscan", "iter_logscan", "patterns", "iter_patterns", "correlate", "iter_correlate",
    "config_to_json", "config_to_yaml", "config_get", "config_merge", "config_lint", "config_validate",
    "crypto_hash", "crypto_verify", "crypto_keygen", "crypto_encrypt", "crypto_decrypt", "netscan", "iter_netscan",
    "CancelToken",
]
