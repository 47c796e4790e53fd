"""Typed results: one dataclass per record kind of each subcommand, and Report, the envelope
{tool, version, command, summary, results, diagnostics} with typed results.

Fields follow the JSON names of obscore(1); keys a newer obscore adds land in `extra`, so an
older client keeps working."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Generic, Mapping, Optional, Type, TypeVar

from ._process import Diagnostic

T = TypeVar("T")


def _build(cls: Type[T], d: Mapping[str, Any], **nested: Any) -> T:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kw = {k: v for k, v in d.items() if k in names and k != "extra"}
    kw.update(nested)
    extra = {k: v for k, v in d.items() if k not in names}
    return cls(**kw, extra=extra)  # type: ignore[call-arg]


@dataclass
class AstFunction:
    name: str = ""
    qualified_name: str = ""
    kind: str = ""
    start_line: int = 0
    end_line: int = 0
    loc: int = 0
    sloc: int = 0
    params: int = 0
    cyclomatic: int = 0
    cognitive: int = 0
    max_nesting: int = 0
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class AstFile:
    path: str = ""
    language: str = ""
    lines: int = 0
    sloc: int = 0
    parse_errors: int = 0
    functions: list = field(default_factory=list)   # list[AstFunction]
    findings: list = field(default_factory=list)    # gate findings (dicts)
    extra: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "AstFile":
        return _build(cls, d, functions=[_build(AstFunction, f) for f in d.get("functions", [])])


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
    captures: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class LogFile:
    path: str = ""
    format: str = ""
    bytes: int = 0
    lines: int = 0
    records: int = 0
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class Attribution:
    """One API call and its cause: `ui_id` None means background."""

    api_id: str = ""
    ui_id: Optional[str] = None
    session: Optional[str] = None
    confidence: float = 0.0
    delta_ms: Optional[float] = None
    method: Optional[str] = None
    url_template: Optional[str] = None
    status: Optional[int] = None
    reasons: list = field(default_factory=list)
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class LintFinding:
    path: str = ""
    line: Optional[int] = None
    column: Optional[int] = None
    rule: str = ""
    severity: str = ""
    message: str = ""
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class Validation:
    path: str = ""
    valid: bool = False
    documents: int = 0
    line: Optional[int] = None
    column: Optional[int] = None
    error: Optional[str] = None
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class Verification:
    index: int = 0
    ok: bool = False
    needs_rehash: bool = False
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class ScanResult:
    host: str = ""
    address: str = ""
    port: int = 0
    state: str = ""
    latency_us: int = 0
    reason: str = ""
    banner: Optional[str] = None
    service: Optional[str] = None
    product: Optional[str] = None
    version: Optional[str] = None
    info: Optional[str] = None
    confidence: Optional[float] = None
    method: Optional[str] = None
    name: Optional[str] = None
    healthy: Optional[bool] = None
    extra: dict = field(default_factory=dict, repr=False)


@dataclass
class Report(Generic[T]):
    """The envelope of one run: `summary` as obscore wrote it, `results` typed, `raw` the parsed
    JSON itself."""

    command: str
    version: str
    summary: dict
    results: list
    diagnostics: list
    raw: dict = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], make: Any) -> "Report":
        return cls(command=raw.get("command", ""), version=raw.get("version", ""), summary=dict(raw.get("summary", {})),
                   results=[make(r) for r in raw.get("results", [])],
                   diagnostics=[Diagnostic.from_json(d) for d in raw.get("diagnostics", [])], raw=dict(raw))


def maker(cls: Type[Any]) -> Any:
    """The function turning one result object into `cls`."""
    if hasattr(cls, "from_json"):
        return cls.from_json
    return lambda d: _build(cls, d)
