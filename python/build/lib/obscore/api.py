"""One function per subcommand. Keyword arguments map to flags (max_cyclomatic=10 ->
--max-cyclomatic 10, see obscore-<subcommand>(1)); every call takes `timeout` (seconds, default
600), `cancel` (a CancelToken) and `threads`. Calls whose subcommand has a gate take `check`:
True (default) raises GateTripped on exit 1, False returns the report anyway. `iter_*` variants
stream NDJSON and yield typed results as obscore finishes them."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Tuple, Type

from . import _fallback
from ._process import (CancelToken, GateTripped, PathLike, UsageError, run, run_raw, stream)
from .results import (AstFile, Attribution, LintFinding, LogFile, PatternFinding, Report, ScanResult, Validation,
                      Verification, maker)


def _report(sub: Any, cls: Type[Any], inputs: Sequence[PathLike], check: bool, **kw: Any) -> Report:
    try:
        raw = run(sub, *inputs, **kw)
    except GateTripped as exc:
        if check or exc.report is None:
            raise
        raw = exc.report
    return Report.from_json(raw, maker(cls))


def _iter(sub: Any, cls: Type[Any], inputs: Sequence[PathLike], **kw: Any) -> Iterator[Any]:
    make = maker(cls)
    for item in stream(sub, *inputs, **kw):
        if item.get("type") == "result":
            yield make(item["data"])


# --- ast ------------------------------------------------------------------------------------

def ast(*paths: PathLike, check: bool = True, **options: Any) -> Report:
    """Per-function complexity (Report of AstFile). Without the binary, Python files are
    measured by the pure-Python fallback with identical numbers (see obscore.backend())."""
    if _fallback.active():
        return _fallback.ast(paths, check=check, **options)
    return _report("ast", AstFile, paths, check, **options)


def iter_ast(*paths: PathLike, **options: Any) -> Iterator[AstFile]:
    if _fallback.active():
        yield from _fallback.ast(paths, check=False, **options).results
        return
    yield from _iter("ast", AstFile, paths, **options)


# --- logscan --------------------------------------------------------------------------------

def _logscan_options(patterns: Optional[Mapping[str, str]], options: dict) -> dict:
    if patterns:
        options["regexp"] = list(options.get("regexp") or []) + [f"{k}={v}" for k, v in patterns.items()]
    return options


def logscan(*paths: PathLike, patterns: Optional[Mapping[str, str]] = None, check: bool = True,
            **options: Any) -> Report:
    """Log summaries (Report of LogFile; levels, histogram, patterns, templates in `summary`).
    `patterns` maps an id to a regex. Without the binary, level counts come from the fallback."""
    if _fallback.active():
        return _fallback.logscan(paths, patterns=patterns, check=check, **options)
    return _report("logscan", LogFile, paths, check, **_logscan_options(patterns, options))


def iter_logscan(*paths: PathLike, patterns: Optional[Mapping[str, str]] = None, **options: Any) -> Iterator[LogFile]:
    if _fallback.active():
        yield from _fallback.logscan(paths, patterns=patterns, check=False, **options).results
        return
    yield from _iter("logscan", LogFile, paths, **_logscan_options(patterns, options))


# --- patterns -------------------------------------------------------------------------------

def patterns(*paths: PathLike, rules: Optional[Sequence[PathLike]] = None, check: bool = True,
             **options: Any) -> Report:
    """Business-logic findings (Report of PatternFinding); `rules` adds YAML rule files."""
    return _report("patterns", PatternFinding, paths, check, rules=list(rules) if rules else None, **options)


def iter_patterns(*paths: PathLike, rules: Optional[Sequence[PathLike]] = None,
                  **options: Any) -> Iterator[PatternFinding]:
    yield from _iter("patterns", PatternFinding, paths, rules=list(rules) if rules else None, **options)


# --- correlate ------------------------------------------------------------------------------

def _correlate_options(ui: Any, api: Any, nav: Any, events: Any, options: dict) -> dict:
    def many(x: Any) -> Optional[list]:
        if x is None:
            return None
        return [os.fspath(p) for p in x] if isinstance(x, (list, tuple)) else [os.fspath(x)]
    if not (ui and api) and not events:
        raise UsageError("correlate needs ui= and api= files, or events=", 2)
    options.update(ui=many(ui), api=many(api), nav=many(nav), events=many(events))
    return options


def correlate(ui: Any = None, api: Any = None, nav: Any = None, events: Any = None, **options: Any) -> Report:
    """Attribution of every API call to its UI event or background (Report of Attribution)."""
    return _report("correlate", Attribution, (), True, **_correlate_options(ui, api, nav, events, options))


def iter_correlate(ui: Any = None, api: Any = None, nav: Any = None, events: Any = None,
                   **options: Any) -> Iterator[Attribution]:
    yield from _iter("correlate", Attribution, (), **_correlate_options(ui, api, nav, events, options))


# --- config ---------------------------------------------------------------------------------

def config_to_json(path: PathLike, **options: Any) -> list:
    """The documents of a YAML/JSON file as Python values (one list item per document)."""
    out = run_raw(["config", "to-json"], path, array=True, compact=True, **options)
    return json.loads(out)


def config_to_yaml(path: PathLike, **options: Any) -> str:
    return run_raw(["config", "to-yaml"], path, **options).decode("utf-8")


_MISSING = object()


def config_get(path: PathLike, expr: str, default: Any = _MISSING, **options: Any) -> Any:
    """The value at `expr` (.a.b[0].c or a JSON Pointer) in a single-document file; `default`
    when absent, else KeyError. (Multi-document files: config_to_json.)"""
    try:
        out = run_raw(["config", "get"], path, expr, compact=True, **options)
    except GateTripped:
        if default is _MISSING:
            raise KeyError(expr) from None
        return default
    return json.loads(out)


def config_merge(base: PathLike, *overlays: PathLike, lists: Optional[str] = None, **options: Any) -> Any:
    """Deep merge (maps merge, lists replace; lists="append" or "merge-by=KEY")."""
    return json.loads(run_raw(["config", "merge"], base, *overlays, lists=lists, compact=True, **options))


def config_lint(*paths: PathLike, check: bool = True, **options: Any) -> Report:
    """Lint findings (Report of LintFinding); exit 1 (GateTripped) at --fail-on, default error."""
    return _report(["config", "lint"], LintFinding, paths, check, **options)


def config_validate(*paths: PathLike, **options: Any) -> Report:
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


def crypto_hash(passwords: Iterable[str], profile: str = "rfc9106", **options: Any) -> list[str]:
    """Argon2id PHC strings, one per password (sent on stdin, never on a command line)."""
    raw = run(["crypto", "hash"], stdin=_lines(passwords, "password"), input="-", profile=profile, **options)
    return [r["phc"] for r in sorted(raw.get("results", []), key=lambda r: r["index"])]


def crypto_verify(pairs: Iterable[Tuple[str, str]], check: bool = False, **options: Any) -> Report:
    """Verifies (password, phc) pairs; Report of Verification (ok, needs_rehash). With check=True
    a failed verification raises GateTripped."""
    lines = "".join(json.dumps({"password": p, "hash": h}) + "\n" for p, h in pairs).encode("utf-8")
    try:
        raw = run(["crypto", "verify"], stdin=lines, input="-", **options)
    except GateTripped as exc:
        if check or exc.report is None:
            raise
        raw = exc.report
    return Report.from_json(raw, maker(Verification))


def crypto_keygen(path: PathLike, force: bool = False, **options: Any) -> None:
    """A new 32-byte key file, mode 0600 (refuses to replace one unless force=True)."""
    run_raw(["crypto", "keygen"], path, force=force, fmt="json", **options)


def _secret(key_file: Optional[PathLike], passphrase: Optional[str], options: dict) -> dict:
    if (key_file is None) == (passphrase is None):
        raise UsageError("give exactly one of key_file= or passphrase=", 2)
    env = dict(options.pop("env", None) or {})
    if passphrase is not None:
        env[_PASS_ENV] = passphrase
        options["passphrase_env"] = _PASS_ENV
    else:
        options["key_file"] = key_file
    options["env"] = env
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


def netscan(*targets: str, ports: Any = None, inventory: Optional[PathLike] = None, check: bool = True,
            **options: Any) -> Report:
    """TCP scan or inventory health check (Report of ScanResult); `ports` is "22,80,8000-8100",
    "-" for all, an int or a list. An unhealthy inventory service raises GateTripped unless
    check=False."""
    return _report("netscan", ScanResult, targets, check, ports=_ports(ports), targets=inventory, **options)


def iter_netscan(*targets: str, ports: Any = None, inventory: Optional[PathLike] = None,
                 **options: Any) -> Iterator[ScanResult]:
    """Results in completion order, as each becomes final."""
    yield from _iter("netscan", ScanResult, targets, ports=_ports(ports), targets=inventory, **options)


__all__ = [
    "ast", "iter_ast", "logscan", "iter_logscan", "patterns", "iter_patterns", "correlate", "iter_correlate",
    "config_to_json", "config_to_yaml", "config_get", "config_merge", "config_lint", "config_validate",
    "crypto_hash", "crypto_verify", "crypto_keygen", "crypto_encrypt", "crypto_decrypt", "netscan", "iter_netscan",
    "CancelToken",
]
