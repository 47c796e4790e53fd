"""Typed results: one dataclass per record kind of each subcommand, and Report[T], the envelope
{tool, version, command, schema_version, summary, results, diagnostics} whose `results` is a
list[T] of the subcommand's record type (Report[AstFile] for ast, Report[ScanResult] for netscan).

Fields follow the JSON names of obscore-<subcommand>(1) with their types; nested records are
dataclasses too (AstFile.functions is a list[AstFunction]). Numbers obscore may write without a
fraction (`confidence` 1) are floats where the field is a float. Keys a newer obscore adds
within the same schema_version land in `extra`, so an older client keeps working; an
incompatible output (another major schema_version) raises SchemaVersionError before any of
this runs."""

from __future__ import annotations

import dataclasses
import sys
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Type, TypeVar, Union

from ._process import Diagnostic

T = TypeVar("T")

_HINTS: Dict[type, Dict[str, Any]] = {}


def _hints(cls: type) -> Dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return _HINTS[cls]


def _convert(value: Any, hint: Any) -> Any:
    """`value` (parsed JSON) shaped by the annotation `hint`: dataclasses built, ints where a
    float is declared made floats, lists and dicts converted item by item. Values that do not fit
    are kept as they are (a newer obscore within the same schema)."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is Union:
        inner = [a for a in args if a is not type(None)]
        return _convert(value, inner[0]) if len(inner) == 1 else value
    if origin in (list, List) and isinstance(value, list):
        return [_convert(v, args[0]) for v in value] if args else value
    if origin in (dict, Dict) and isinstance(value, dict):
        return {k: _convert(v, args[1]) for k, v in value.items()} if args else value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if dataclasses.is_dataclass(hint) and isinstance(value, Mapping):
        return _build(hint, value)  # type: ignore[arg-type]
    return value


def _build(cls: Type[T], d: Mapping[str, Any]) -> T:
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    kw = {k: _convert(v, hints[k]) for k, v in d.items() if k in names and k != "extra"}
    extra = {k: v for k, v in d.items() if k not in names or k == "extra"}
    return cls(**kw, extra=extra)  # type: ignore[call-arg]


# --- ast --------------------------------------------------------------------------------------

@dataclass
class AstIncrement:
    """One step of a metric (`explain=True`): where and why cyclomatic or cognitive rose."""

    line: int = 0
    metric: str = ""
    amount: int = 0
    reason: str = ""
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class AstFunction:
    name: str = ""
    qualified_name: str = ""
    kind: str = ""
    start_line: int = 0
    end_line: int = 0
    first_line: Optional[int] = None  # the first annotation/decorator line, when above start_line
    loc: int = 0
    sloc: int = 0
    params: int = 0
    cyclomatic: int = 0
    cognitive: int = 0
    max_nesting: int = 0
    increments: List[AstIncrement] = field(default_factory=list)  # with explain=True only
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class AstFinding:
    """A function over a gate (max_cyclomatic, max_cognitive, max_nesting)."""

    rule: str = ""
    function: str = ""
    line: int = 0
    end_line: int = 0
    metric: str = ""
    value: int = 0
    threshold: int = 0
    message: str = ""
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class AstAssumption:
    """What was assumed to read a file (`explain=True`): kind "mask" for source text blanked
    before the parse (Objective-C SDK macros, Dart patterns...), with what it was."""

    line: int = 0
    end_line: int = 0
    kind: str = ""
    detail: str = ""
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class AstFile:
    path: str = ""
    language: str = ""  # for a .h file: c, cpp or objc, by its content
    lines: int = 0
    sloc: int = 0
    parse_errors: int = 0
    assumptions: List[AstAssumption] = field(default_factory=list)  # with explain=True only
    functions: List[AstFunction] = field(default_factory=list)
    findings: List[AstFinding] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- patterns ---------------------------------------------------------------------------------

@dataclass
class ExtractedField:
    """A field of a data model (rules that extract `fields`)."""

    name: str = ""
    type: Optional[str] = None            # null when neither declared nor inferable
    wire_name: Optional[str] = None       # the serialised key an annotation or CodingKeys declares
    wire_constant: Optional[str] = None   # the key given as a constant that was not resolved
    wire_policy: Optional[str] = None     # the code base's naming policy that gives wire_name
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class PatternFinding:
    rule_id: str = ""
    category: str = ""
    severity: str = ""
    path: str = ""
    line: int = 0
    column: int = 0
    end_line: int = 0
    message: str = ""
    text: str = ""
    captures: Dict[str, Optional[str]] = field(default_factory=dict)
    fields: Optional[List[ExtractedField]] = None   # rules with extract: fields
    states: Optional[List[str]] = None              # rules with extract: states
    methods: Optional[List[str]] = None             # rules with extract: methods
    endpoints: Optional[List[Dict[str, Any]]] = None  # extract: endpoints ({case, method, path})
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- logscan ----------------------------------------------------------------------------------

@dataclass
class LogPatternCount:
    """Records and lines of one file matching one pattern (`regexp=`, `patterns=`)."""

    id: str = ""
    records: int = 0
    lines: int = 0
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class LogFile:
    path: str = ""
    format: str = ""
    header: Optional[str] = None                             # a learned format's --header regex
    bytes: int = 0
    lines: int = 0
    records: int = 0
    continuation_lines: int = 0
    levels: Dict[str, int] = field(default_factory=dict)     # the level names as written
    severity: Dict[str, int] = field(default_factory=dict)   # trace, debug, info, notice, warn, error, fatal, none
    first_ts: Optional[str] = None                           # RFC 3339 UTC
    last_ts: Optional[str] = None
    # this file's records over time: {"bucket": "1m"|"1h"|"1d"|None, "buckets": [{"start", "records", "errors"}]}
    histogram: Dict[str, Any] = field(default_factory=dict)
    patterns: List[LogPatternCount] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- correlate --------------------------------------------------------------------------------

@dataclass
class Attribution:
    """One API call and its cause: `ui_id` None means background."""

    api_id: str = ""
    ui_id: Optional[str] = None
    session: str = ""
    confidence: float = 0.0
    delta_ms: Optional[float] = None
    method: str = ""
    url_template: str = ""
    status: int = 0
    reasons: List[str] = field(default_factory=list)
    truth: Optional[str] = None   # with truth=FIELD
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class GroupedCall:
    """One API call under its UI event (group_by="ui")."""

    api_id: str = ""
    method: str = ""
    url_template: str = ""
    status: int = 0
    delta_ms: float = 0.0
    confidence: float = 0.0
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class UiGroup:
    """One UI event with the API calls it caused: the results of correlate(group_by="ui")."""

    ui_id: str = ""
    session: str = ""
    time: str = ""
    ui: str = ""
    screen: str = ""
    api_calls: List[GroupedCall] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- config -----------------------------------------------------------------------------------

@dataclass
class LintFinding:
    path: str = ""
    line: int = 0
    column: int = 0
    rule: str = ""
    severity: str = ""
    message: str = ""
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass
class Validation:
    path: str = ""
    valid: bool = False
    documents: int = 0
    line: Optional[int] = None
    column: Optional[int] = None
    error: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- crypto -----------------------------------------------------------------------------------

@dataclass
class Verification:
    """One (password, hash) pair: `ok`; `needs_rehash` and `type` are None and `error` says why
    when the line could not be read."""

    index: int = 0
    ok: bool = False
    needs_rehash: Optional[bool] = None
    type: Optional[str] = None
    error: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- netscan ----------------------------------------------------------------------------------

@dataclass
class ScanResult:
    host: str = ""
    address: str = ""
    port: int = 0
    state: str = ""          # open, closed, filtered, unreachable, error
    latency_us: int = 0
    reason: str = ""
    banner: Optional[str] = None
    service: Optional[str] = None
    product: Optional[str] = None    # with --banner, when the service revealed it
    version: Optional[str] = None
    info: Optional[str] = None
    confidence: Optional[float] = None  # 0..1
    method: Optional[str] = None     # the probe that identified it ("banner" = the greeting)
    name: Optional[str] = None       # inventory targets
    healthy: Optional[bool] = None   # inventory targets
    extra: Dict[str, Any] = field(default_factory=dict, repr=False)


# --- the envelope -----------------------------------------------------------------------------

@dataclass
class Report(Generic[T]):
    """The envelope of one run: `summary` as obscore wrote it, `results` typed (list[T], T the
    subcommand's record type), `diagnostics` typed, `raw` the parsed JSON itself."""

    command: str
    version: str
    schema_version: int
    summary: Dict[str, Any]
    results: List[T]
    diagnostics: List[Diagnostic]
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], make: Callable[[Mapping[str, Any]], T]) -> "Report[T]":
        from ._process import schema_major
        return cls(command=raw.get("command", ""), version=raw.get("version", ""),
                   schema_version=schema_major(raw.get("schema_version")) or 0,
                   summary=dict(raw.get("summary", {})), results=[make(r) for r in raw.get("results", [])],
                   diagnostics=[Diagnostic.from_json(d) for d in raw.get("diagnostics", [])], raw=dict(raw))


def maker(cls: Type[T]) -> Callable[[Mapping[str, Any]], T]:
    """The function turning one result object into `cls`."""
    return lambda d: _build(cls, d)


RESULT_TYPES: Dict[str, type] = {
    "ast": AstFile, "patterns": PatternFinding, "logscan": LogFile, "correlate": Attribution,
    "config lint": LintFinding, "config validate": Validation, "crypto verify": Verification,
    "netscan": ScanResult,
}
"""The record type of each subcommand's results (correlate with group_by="ui": UiGroup)."""
