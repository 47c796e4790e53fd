"""The pure-Python backend, used when no obscore binary is available (obscore.backend() says
"python"): `ast` for Python files, with the numbers of obscore-ast(1) exactly, and `logscan`
level counts (in _fallback_logscan.py).

obscore measures Python through tree-sitter; this module walks CPython's own syntax tree with
the same rules (libs/ast/src/metrics.cpp and languages.cpp are the reference):

- cyclomatic = 1 + if, elif, for, while, loop else, try else, except, case (not `case _:` or a
  bare capture), conditional expression, each `and`/`or`, comprehension for and if, assert;
- cognitive: if, loop, match, except and conditional expression add 1 + nesting; elif, else and
  loop else add 1; each boolean operator sequence adds one per run of like operators;
- nesting rises inside the branches of if/elif/else, loop bodies (and a for loop's target and
  iterable), match bodies, except clauses, conditional expressions and lambdas; max_nesting
  counts the structures (if, loop, match, try, with) around the deepest one, from 1;
- a function's end includes comment lines after its last statement indented at least as deep
  as its body (tree-sitter keeps them in the block);
- default values, annotations and the inside of an assert count nowhere; a nested function
  counts for itself only; lambdas count for their function.

What it cannot reproduce: files that do not parse (tree-sitter recovers and measures the rest;
here the file reports parse_errors 1 and no functions), and other languages (BinaryNotFound).
.gitignore files are not read; hidden files and directories are skipped as obscore does.
"""

from __future__ import annotations

import ast as pyast
import io
import os
import time
import tokenize
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ._process import BinaryNotFound, Diagnostic, GateTripped, InputError, UsageError, find_binary

PY_EXTENSIONS = (".py", ".pyi", ".pyw")
# The other languages obscore measures (libs/ast/src/languages.cpp): their files need the binary.
OTHER_EXTENSIONS = (".java", ".kt", ".kts", ".swift", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx",
                    ".go", ".c", ".h", ".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tpp",
                    ".inl", ".rs", ".m", ".mm", ".dart")
_WS = " \t\r\f\v"


def active() -> bool:
    """True when no binary can be found (OBSCORE_FALLBACK=1 forces the fallback, for tests)."""
    if os.environ.get("OBSCORE_FALLBACK") == "1":
        return True
    try:
        find_binary()
        return False
    except BinaryNotFound:
        return True


def unavailable(what: str) -> BinaryNotFound:
    return BinaryNotFound(f"{what} needs the obscore binary (the pure-Python fallback covers `ast` for Python "
                          "files and `logscan` level counts): set OBSCORE_BIN, put obscore on PATH, install the "
                          ".deb, or build it with scripts/demo (README: Building by hand)")


# --- the metric walk ------------------------------------------------------------------------

@dataclass
class _Fn:
    name: str
    qualified_name: str
    kind: str
    start_line: int
    end_line: int
    params: int
    cyclomatic: int = 1
    cognitive: int = 0
    max_nesting: int = 0
    sloc: int = 0

    def as_json(self) -> dict:
        return {"name": self.name, "qualified_name": self.qualified_name, "kind": self.kind,
                "start_line": self.start_line, "end_line": self.end_line,
                "loc": self.end_line - self.start_line + 1, "sloc": self.sloc, "params": self.params,
                "cyclomatic": self.cyclomatic, "cognitive": self.cognitive, "max_nesting": self.max_nesting}


@dataclass
class _Scope:
    name: str
    parent: int
    is_function: bool


@dataclass
class _Ctx:
    func: int = -1       # index into functions, -1 = counts nowhere
    scope: int = -1      # index into scopes
    nesting: int = 0     # cognitive nesting
    depth: int = 0       # structural depth
    logical: bool = False  # directly inside a boolean operator sequence

    def but(self, **kw: Any) -> "_Ctx":
        c = _Ctx(self.func, self.scope, self.nesting, self.depth, False)
        for k, v in kw.items():
            setattr(c, k, v)
        return c


_COMPREHENSIONS = (pyast.ListComp, pyast.SetComp, pyast.DictComp, pyast.GeneratorExp)


class _Walker:
    def __init__(self, source: str, lines: list[str]):
        self.src = source
        self.lines = lines  # physical lines, split on "\n" only
        self.functions: list[_Fn] = []
        self.scopes: list[_Scope] = []

    # -- bookkeeping
    def add(self, ctx: _Ctx, cyclomatic: int = 0, cognitive: int = 0) -> None:
        if ctx.func >= 0:
            f = self.functions[ctx.func]
            f.cyclomatic += cyclomatic
            f.cognitive += cognitive

    def depth(self, ctx: _Ctx, depth: int) -> None:
        if ctx.func >= 0:
            f = self.functions[ctx.func]
            f.max_nesting = max(f.max_nesting, depth)

    def qualified(self, scope: int, name: str) -> str:
        parts = []
        while scope >= 0:
            if self.scopes[scope].name:
                parts.append(self.scopes[scope].name)
            scope = self.scopes[scope].parent
        return ".".join(reversed(parts)) + ("." if parts else "") + name

    def starts_with(self, node: pyast.AST, word: str) -> bool:
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        # col_offset is in UTF-8 bytes.
        return line.encode("utf-8")[node.col_offset:].startswith(word.encode())

    def visit_all(self, nodes: Iterable[Any], ctx: _Ctx) -> None:
        for n in nodes:
            if isinstance(n, pyast.AST):
                self.visit(n, ctx)

    def children(self, node: pyast.AST, ctx: _Ctx) -> None:
        for child in pyast.iter_child_nodes(node):
            self.visit(child, ctx)

    # -- boolean operator sequences
    @staticmethod
    def runs(node: pyast.BoolOp) -> int:
        ops: list[type] = []

        def emit(n: pyast.AST) -> None:
            if not isinstance(n, pyast.BoolOp):
                return
            for i, v in enumerate(n.values):
                if i:
                    ops.append(type(n.op))
                emit(v)
        emit(node)
        count, prev = 0, None
        for op in ops:
            if op is not prev:
                count += 1
            prev = op
        return count

    # -- the walk
    def visit(self, node: pyast.AST, ctx: _Ctx) -> None:
        if isinstance(node, (pyast.FunctionDef, pyast.AsyncFunctionDef)):
            self.visit_all(node.decorator_list, ctx.but())
            self.function(node, ctx)
        elif isinstance(node, pyast.ClassDef):
            self.visit_all(node.decorator_list, ctx.but())
            self.visit_all(node.bases, ctx.but())
            self.visit_all(node.keywords, ctx.but())
            self.scopes.append(_Scope(node.name, ctx.scope, False))
            inner = ctx.but(scope=len(self.scopes) - 1)
            self.visit_all(node.body, inner)
        elif isinstance(node, pyast.If):
            self.if_chain(node, ctx)
        elif isinstance(node, (pyast.For, pyast.AsyncFor, pyast.While)):
            self.add(ctx, 1, 1 + ctx.nesting)
            self.depth(ctx, ctx.depth + 1)
            inner = ctx.but(nesting=ctx.nesting + 1, depth=ctx.depth + 1)
            if isinstance(node, pyast.While):
                self.visit(node.test, ctx.but())
            else:
                self.visit(node.target, inner)
                self.visit(node.iter, inner)
            self.visit_all(node.body, inner)
            if node.orelse:
                self.add(ctx, 1, 1)  # loop else
                self.visit_all(node.orelse, inner)
        elif isinstance(node, pyast.Match):
            self.add(ctx, 0, 1 + ctx.nesting)
            self.depth(ctx, ctx.depth + 1)
            self.visit(node.subject, ctx.but())
            inner = ctx.but(nesting=ctx.nesting + 1, depth=ctx.depth + 1)
            for case in node.cases:
                if not self.default_case(case):
                    self.add(inner, 1)
                self.visit(case.pattern, inner)
                if case.guard is not None:
                    self.visit(case.guard, inner)
                self.visit_all(case.body, inner)
        elif isinstance(node, (pyast.Try, getattr(pyast, "TryStar", pyast.Try))):
            node = typing.cast(pyast.Try, node)  # TryStar (3.11) has the same fields
            self.depth(ctx, ctx.depth + 1)
            inner = ctx.but(depth=ctx.depth + 1)
            self.visit_all(node.body, inner)
            for h in node.handlers:
                self.add(inner, 1, 1 + inner.nesting)
                handler = inner.but(nesting=inner.nesting + 1)
                if h.type is not None:
                    self.visit(h.type, handler)
                self.visit_all(h.body, handler)
            if node.orelse:
                self.add(inner, 1)  # try else
                self.visit_all(node.orelse, inner)
            self.visit_all(node.finalbody, inner)
        elif isinstance(node, (pyast.With, pyast.AsyncWith)):
            self.depth(ctx, ctx.depth + 1)
            self.children(node, ctx.but(depth=ctx.depth + 1))
        elif isinstance(node, pyast.IfExp):
            self.add(ctx, 1, 1 + ctx.nesting)
            self.children(node, ctx.but(nesting=ctx.nesting + 1))
        elif isinstance(node, pyast.BoolOp):
            self.add(ctx, len(node.values) - 1, 0 if ctx.logical else self.runs(node))
            for v in node.values:
                self.visit(v, ctx.but(logical=isinstance(v, pyast.BoolOp)))
        elif isinstance(node, pyast.Lambda):
            self.children(node, ctx.but(nesting=ctx.nesting + 1))
        elif isinstance(node, _COMPREHENSIONS):
            for gen in node.generators:
                self.add(ctx, 1 + len(gen.ifs))
            self.children(node, ctx.but())
        elif isinstance(node, pyast.Assert):
            self.add(ctx, 1)
            self.children(node, ctx.but(func=-1))
        else:
            self.children(node, ctx.but())

    def if_chain(self, node: pyast.If, ctx: _Ctx) -> None:
        self.add(ctx, 1, 1 + ctx.nesting)
        self.depth(ctx, ctx.depth + 1)
        inner = ctx.but(nesting=ctx.nesting + 1, depth=ctx.depth + 1)
        self.visit(node.test, ctx.but())
        self.visit_all(node.body, inner)
        orelse = node.orelse
        # elif clauses sit at the level of the first if (tree-sitter: children of the if).
        while len(orelse) == 1 and isinstance(orelse[0], pyast.If) and self.starts_with(orelse[0], "elif"):
            elif_ = orelse[0]
            self.add(ctx, 1, 1)
            self.visit(elif_.test, ctx.but())
            self.visit_all(elif_.body, inner)
            orelse = elif_.orelse
        if orelse:
            self.add(ctx, 0, 1)  # else
            self.visit_all(orelse, inner)

    @staticmethod
    def default_case(case: Any) -> bool:
        p = case.pattern
        return isinstance(p, pyast.MatchAs) and p.pattern is None

    def function(self, node: Any, ctx: _Ctx) -> None:
        in_function = ctx.func >= 0
        in_class = ctx.scope >= 0 and not self.scopes[ctx.scope].is_function
        kind = "closure" if in_function else "method" if in_class else "function"
        a = node.args
        params = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)
        fn = _Fn(node.name, self.qualified(ctx.scope, node.name), kind, node.lineno, self.end_line(node), params)
        self.functions.append(fn)
        self.scopes.append(_Scope(node.name, ctx.scope, True))
        body = _Ctx(func=len(self.functions) - 1, scope=len(self.scopes) - 1)
        self.visit_all(node.body, body)

    def end_line(self, node: Any) -> int:
        end = node.end_lineno
        first = node.body[0]
        if first.lineno == node.lineno:
            return end  # a one-line body has no block for comments to join
        indent = self.indent_of(self.lines[first.lineno - 1])
        for i in range(end, len(self.lines)):  # the lines after the last statement
            line = self.lines[i]
            stripped = line.strip(_WS)
            if not stripped:
                continue
            if not stripped.startswith("#") or self.indent_of(line) < indent:
                break
            end = i + 1
        return end

    @staticmethod
    def indent_of(line: str) -> int:
        n = 0
        for ch in line:
            if ch in " \t\f":  # tree-sitter-python counts a tab as 8 columns, a form feed resets
                n = 0 if ch == "\f" else n + (8 - n % 8 if ch == "\t" else 1)
            else:
                break
        return n


def _code_lines(source: str, lines: list[str]) -> list[bool]:
    """code[i] for line i (1-based): the line has a character outside a comment."""
    comment_col: dict[int, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comment_col[tok.start[0]] = tok.start[1]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    code = [False] * (len(lines) + 2)
    for i, line in enumerate(lines, start=1):
        text = line[:comment_col[i]] if i in comment_col else line
        code[i] = bool(text.strip(_WS))
    return code


def analyze(source: str) -> dict:
    """The file fields and functions of one Python source, as obscore reports them."""
    lines = source.split("\n")
    n_lines = 0 if not source else source.count("\n") + (0 if source.endswith("\n") else 1)
    code = _code_lines(source, lines)
    prefix = [0]
    for i in range(1, len(code)):
        prefix.append(prefix[-1] + code[i])
    sloc = prefix[min(n_lines, len(prefix) - 1)]
    try:
        tree = pyast.parse(source)
    except (SyntaxError, ValueError):
        return {"lines": n_lines, "sloc": sloc, "parse_errors": 1, "functions": []}
    w = _Walker(source, lines)
    w.visit_all(tree.body, _Ctx())
    for f in w.functions:
        s, e = max(1, f.start_line), min(f.end_line, len(prefix) - 1)
        f.sloc = prefix[e] - prefix[s - 1] if e >= s else 0
    return {"lines": n_lines, "sloc": sloc, "parse_errors": 0, "functions": [f.as_json() for f in w.functions]}


# --- the run: inputs, gates, summary --------------------------------------------------------

def _walk(inputs: Iterable[Any], accept: Any = None) -> tuple[list[str], list[Diagnostic], int]:
    """Files under the inputs as obscore lists them (hidden entries skipped, sorted by path).
    Without `accept`: Python files, and a count of files of the other languages `ast` knows.
    With it: the files it accepts (directories only; files named explicitly are always kept)."""
    files: list[str] = []
    diags: list[Diagnostic] = []
    others = 0
    for raw in inputs:
        p = os.fspath(raw)
        if p == "-":
            raise unavailable("reading stdin")
        if os.path.isdir(p):
            base = "" if p == "." else p.rstrip("/") + "/" if p != "/" else "/"
            for root, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                rel = os.path.relpath(root, p)
                prefix = base + ("" if rel == "." else rel + "/")
                for name in names:
                    if name.startswith("."):
                        continue
                    if accept is not None:
                        if accept(name):
                            files.append(prefix + name)
                    elif name.endswith(PY_EXTENSIONS):
                        files.append(prefix + name)
                    elif name.endswith(OTHER_EXTENSIONS):
                        others += 1
        elif os.path.exists(p):
            if accept is not None or p.endswith(PY_EXTENSIONS):
                files.append(p)
            else:
                others += 1
        else:
            diags.append(Diagnostic("error", "no such file or directory", p))
    return sorted(set(files)), diags, others


def _stats(values: list[int]) -> dict:
    if not values:
        return {"mean": 0.0, "max": 0}
    return {"mean": round(sum(values) / len(values) * 100.0) / 100.0, "max": max(values)}


def _call_settings(options: dict) -> None:
    """The native calls' settings the fallback has no use for (it runs in this process, no
    child to bound or to give an environment), checked like flags() checks them."""
    for key in ("timeout_", "env_", "stdin_"):
        options.pop(key, None)
    from ._process import _FORMER_SETTINGS, _renamed, flags
    for key in _FORMER_SETTINGS:  # neither ast nor logscan has such a flag: the old call settings
        if options.get(key) not in (None, False):
            raise TypeError(_renamed(key))
    flags({k: v for k, v in options.items() if k.endswith("_") or k == "check"})  # TypeError for bad names


def ast(paths: Iterable[Any], *, check_: bool = True, max_cyclomatic: Optional[int] = None,
        max_cognitive: Optional[int] = None, max_nesting: Optional[int] = None, cancel_: Any = None,
        threads: Optional[int] = None, no_cache: bool = False, **options: Any) -> Any:
    from .results import AstFile, Report, maker
    _call_settings(options)
    cancel = cancel_
    unsupported = {k: v for k, v in options.items() if v not in (None, False)}
    if unsupported:
        raise unavailable(f"ast option(s) {', '.join('--' + k.replace('_', '-') for k in unsupported)}")
    started = time.monotonic()
    files, diags, others = _walk(paths)
    if others:
        raise unavailable(f"ast on {others} non-Python file(s)")
    gates = [(rule, metric, limit) for rule, metric, limit in
             (("max-cyclomatic", "cyclomatic", max_cyclomatic), ("max-cognitive", "cognitive", max_cognitive),
              ("max-nesting", "max_nesting", max_nesting)) if limit]
    results: list[dict[str, Any]] = []
    for path in files:
        if cancel is not None and cancel.cancelled:
            from ._process import Cancelled
            raise Cancelled("cancelled", 130)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            diags.append(Diagnostic("error", exc.strerror or str(exc), path))
            continue
        m = analyze(data.decode("utf-8", "replace"))
        findings = []
        for f in m["functions"]:
            for rule, metric, limit in gates:
                value = f[metric]
                if value > limit:
                    what = "nesting depth" if metric == "max_nesting" else metric
                    findings.append({"rule": rule, "function": f["qualified_name"], "line": f["start_line"],
                                     "end_line": f["end_line"], "metric": metric, "value": value, "threshold": limit,
                                     "message": f"{f['qualified_name']} has {what} {value} (limit {limit})"})
        results.append({"path": path, "language": "python", **m, "findings": findings})
    fns = [f for r in results for f in r["functions"]]
    summary = {
        "files": len(results), "skipped": 0, "functions": len(fns),
        "lines": sum(r["lines"] for r in results), "sloc": sum(r["sloc"] for r in results),
        "parse_errors": sum(r["parse_errors"] for r in results),
        "languages": {"python": {"files": len(results), "functions": len(fns)}} if results else {},
        "cyclomatic": _stats([f["cyclomatic"] for f in fns]), "cognitive": _stats([f["cognitive"] for f in fns]),
        "max_nesting": _stats([f["max_nesting"] for f in fns]), "loc": _stats([f["loc"] for f in fns]),
        "findings": sum(len(r["findings"]) for r in results),
        "cache": {"enabled": False, "hits": 0, "misses": len(results)},
        "duration_ms": int((time.monotonic() - started) * 1000),
    }
    raw = {"tool": "obscore", "version": "python-fallback", "command": "ast", "schema_version": 2, "summary": summary,
           "results": results, "diagnostics": [d.__dict__ for d in diags]}
    if diags:
        raise InputError(str(diags[0]), 3, "", raw, diags)
    if summary["findings"] and check_:
        raise GateTripped(f"{summary['findings']} function(s) over the limits", 1, "", raw)
    return Report.from_json(raw, maker(AstFile))


def logscan(paths: Iterable[Any], *, patterns: Any = None, check_: bool = True, log_format: Optional[str] = None,
            year: Optional[int] = None, bucket: str = "auto", fail_on: Optional[str] = None,
            fail_on_unknown_format: Optional[str] = None, cancel_: Any = None, threads: Optional[int] = None,
            **options: Any) -> Any:
    """Level counts, severities, first/last times and the histogram of each log and of all,
    as obscore-logscan(1) reports them: the same format detection (built-in formats, the daemons'
    logs, learned formats) and the same rule that a gate never passes blind. Patterns, templates,
    records, top errors and --header need the binary."""
    from . import _fallback_logscan as L
    from .results import LogFile, Report, maker
    _call_settings(options)
    cancel = cancel_
    unsupported = [k for k, v in options.items() if v not in (None, False)]
    if patterns:
        unsupported.append("patterns")
    if unsupported:
        raise unavailable(f"logscan option(s) {', '.join(sorted(unsupported))} (the Python fallback does not "
                          "support them)")
    if log_format is not None and L.format_index(log_format) is None:
        raise UsageError(f"--log-format: unknown format '{log_format}'", 2)
    if fail_on is not None and L.parse_severity(fail_on) is None:
        raise UsageError(f"--fail-on: unknown level '{fail_on}'", 2)
    if fail_on_unknown_format not in (None, "error", "ignore"):
        raise UsageError(f"--fail-on-unknown-format: expected error or ignore, got '{fail_on_unknown_format}'", 2)
    blind_gate = fail_on is not None and fail_on_unknown_format != "ignore"
    started = time.monotonic()
    year = year or time.gmtime().tm_year
    files, diags, _ = _walk(paths, accept=L.looks_like_log)
    results, total = [], L.empty_counts()
    for path in files:
        if cancel is not None and cancel.cancelled:
            from ._process import Cancelled
            raise Cancelled("cancelled", 130)
        try:
            data = L.read_log(path)
        except OSError as exc:
            diags.append(Diagnostic("error", getattr(exc, "strerror", None) or str(exc), path))
            continue
        c = L.scan(data, year, log_format)
        unread = L.levels_unread(c, blind_gate)
        if unread is not None:
            diags.append(Diagnostic("error" if blind_gate else "warning", unread, path))
        results.append({"path": path, "format": c["format"], "header": c["header"], **L.counts_json(c),
                        "histogram": L.histogram_json(c, bucket), "patterns": []})
        L.merge_counts(total, c)
    gates: dict = {}
    tripped = False
    if fail_on is not None:
        level = L.parse_severity(fail_on)
        assert level is not None  # checked above
        n = sum(total["severity"][level:7])
        gates["fail_on"] = {"level": L.SEVERITIES[level], "records": n, "tripped": n > 0}
        tripped = n > 0
    summary = {"files": len(results), **L.counts_json(total), "histogram": L.histogram_json(total, bucket),
               "patterns": [], "gates": gates, "duration_ms": int((time.monotonic() - started) * 1000)}
    raw = {"tool": "obscore", "version": "python-fallback", "command": "logscan", "schema_version": 2,
           "summary": summary, "results": results, "diagnostics": [d.__dict__ for d in diags]}
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        first = errors[0]  # worded as the binary's last stderr line: "path: message"
        raise InputError(f"{first.path}: {first.message}" if first.path else first.message, 3, "", raw, diags)
    if tripped and check_:
        raise GateTripped(f"{gates['fail_on']['records']} record(s) at {fail_on} or above", 1, "", raw)
    return Report.from_json(raw, maker(LogFile))


__all__ = ["active", "analyze", "ast", "UsageError"]
