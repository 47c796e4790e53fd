"""obscore: the Python client for the obscore command-line tool. Standard library only.

One function per subcommand, keyword arguments mapped to flags, typed results::

    import obscore
    report = obscore.ast("src/", max_cognitive=15, check_=False)  # Report[AstFile]
    for f in report.results:
        for fn in f.functions:
            print(f.path, fn.qualified_name, fn.cognitive)
    for hit in obscore.iter_patterns("app/", timeout_=300):        # streamed, typed
        print(hit.path, hit.line, hit.rule_id)
    obscore.netscan("127.0.0.1", ports="1-1024", timeout=200, timeout_=60)
    # --timeout=200 (netscan's connect timeout, ms) within a call of at most 60 s

Keywords ending in "_" are the call's own settings, which no flag can be named: `timeout_`
(seconds), `cancel_` (a CancelToken), `env_`, `check_` (gated subcommands) and, on run/stream,
`stdin_`; every other keyword is a flag, sent as `--flag=value` (`threads=` is the global
--threads). Failures raise by exit code (obscore(1), EXIT STATUS): GateTripped (1, carries the
report), UsageError (2), InputError (3, carries the report and the diagnostics), InternalError
(4), plus Timeout, Cancelled, BinaryNotFound, and SchemaVersionError for an output whose major
schema_version this client does not read.

Without the binary, `ast` on Python files and `logscan` level counts run in pure Python with
the same numbers (`backend()` says which is in use); every other call raises BinaryNotFound
naming how to build it. `run`/`stream` remain for any subcommand or flag the typed functions do not cover.
"""

from __future__ import annotations

from . import _fallback
from ._process import (SUPPORTED_SCHEMA_VERSIONS, BinaryNotFound, Cancelled, CancelToken, Diagnostic, GateTripped,
                       InputError, InternalError, ObscoreError, SchemaVersionError, Timeout, UsageError, find_binary,
                       run, stream, version)
from .api import (ast, config_get, config_lint, config_merge, config_to_json, config_to_yaml, config_validate,
                  correlate, crypto_decrypt, crypto_encrypt, crypto_hash, crypto_keygen, crypto_verify, iter_ast,
                  iter_correlate, iter_logscan, iter_netscan, iter_patterns, logscan, netscan, patterns)
from .results import (AstFile, AstFinding, AstFunction, AstIncrement, Attribution, ExtractedField, GroupedCall,
                      LintFinding, LogFile, LogPatternCount, PatternFinding, Report, ScanResult, UiGroup, Validation,
                      Verification)

__version__ = "0.1.0"


def backend() -> str:
    """"native" when the obscore binary is found, "python" when the pure-Python fallback
    serves the calls it covers (ast on Python files, logscan level counts)."""
    return "python" if _fallback.active() else "native"


__all__ = [
    "ast", "iter_ast", "logscan", "iter_logscan", "patterns", "iter_patterns", "correlate", "iter_correlate",
    "config_to_json", "config_to_yaml", "config_get", "config_merge", "config_lint", "config_validate",
    "crypto_hash", "crypto_verify", "crypto_keygen", "crypto_encrypt", "crypto_decrypt", "netscan", "iter_netscan",
    "run", "stream", "version", "backend", "find_binary",
    "Report", "AstFile", "AstFunction", "AstFinding", "AstIncrement", "PatternFinding", "ExtractedField", "LogFile",
    "LogPatternCount", "Attribution", "UiGroup", "GroupedCall", "LintFinding", "Validation", "Verification",
    "ScanResult", "Diagnostic", "CancelToken",
    "ObscoreError", "BinaryNotFound", "UsageError", "InputError", "GateTripped", "InternalError", "Timeout",
    "Cancelled", "SchemaVersionError", "SUPPORTED_SCHEMA_VERSIONS",
]
