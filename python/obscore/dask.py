"""Scale-out on a Dask distributed cluster: a subcommand run as N shards (`--shard K/N`), one
task each, then `obscore merge` into exactly the unsharded run's output.

    from distributed import Client
    import obscore.dask

    client = Client("tcp://scheduler:8786")          # or LocalCluster() on one machine
    report = obscore.dask.run_sharded("ast", "/shared/monorepo", shards_=64, client_=client,
                                      max_cognitive=25, check_=False)
    print(report.summary["functions"])

Requirements on the cluster: every worker has the obscore binary (the .deb, or OBSCORE_BIN in
the worker's environment) and sees the inputs under the same paths as the caller (a shared or
replicated file system); paths are partitioned by how they are written, so give them the same
way everywhere. The caller needs the binary too (for the merge). `ast`, `patterns`, `logscan`
(large plain logs split by byte ranges at record boundaries), `config lint` and
`config validate` shard;
see docs/ARCHITECTURE.md (Scale-out) for deploying a cluster.

As everywhere in the client, keywords ending in "_" are the call's own settings (shards_,
client_, check_, timeout_) and every other keyword is a flag of the subcommand.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, List, Optional

from ._process import (GateTripped, InputError, ObscoreError, command, execute, flags, parse_report,
                       raise_for)
from .results import AstFile, LintFinding, LogFile, PatternFinding, Report, Validation, maker

SHARDABLE = {"ast": AstFile, "patterns": PatternFinding, "logscan": LogFile, "config lint": LintFinding,
             "config validate": Validation}


def run_shard(subcommand: str, inputs: List[str], index: int, count: int, options: Dict[str, Any],
              timeout: Optional[float] = None) -> Dict[str, Any]:
    """One shard on whichever machine runs it: the JSON output of `obscore SUB --shard K/N`
    (its schema_version checked), returned also when the shard tripped a gate or met bad
    inputs (exit 1 or 3): the merge decides what the whole run reports."""
    options = dict(options)
    threads = options.pop("threads", None)
    cmd = command(subcommand.split(), inputs, dict(options, shard=f"{index}/{count}"), "json", threads)
    code, out, stderr = execute(cmd, timeout=timeout)
    report = parse_report(out, code, stderr)
    if code not in (0, 1, 3) or report is None:
        raise_for(code, stderr, report)
    assert report is not None  # raise_for always raises
    return report


def merge(subcommand: str, partials: List[Dict[str, Any]], check_: bool = True,
          timeout_: Optional[float] = 600) -> Report[Any]:
    """`obscore merge` over partial outputs (dicts) on this machine; a Report, raising as the
    unsharded run would (GateTripped unless check=False, InputError for bad inputs)."""
    with tempfile.TemporaryDirectory(prefix="obscore-merge-") as tmp:
        paths = []
        for k, doc in enumerate(partials):
            path = os.path.join(tmp, f"part-{k}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            paths.append(path)
        code, out, stderr = execute(command("merge", paths, {}, "json", None), timeout=timeout_)
    raw = parse_report(out, code, stderr)
    if code != 0:
        if code == 1 and not check_ and raw is not None:
            return Report.from_json(raw, maker(SHARDABLE[subcommand]))
        raise_for(code, stderr, raw)
    if raw is None:
        raise ObscoreError("obscore merge printed nothing", code, stderr)
    return Report.from_json(raw, maker(SHARDABLE[subcommand]))


def run_sharded(subcommand: str, *inputs: Any, shards_: int, client_: Any = None, check_: bool = True,
                timeout_: Optional[float] = None, **options: Any) -> Report[Any]:
    """Runs `obscore SUBCOMMAND [flags] INPUTS` as `shards_` Dask tasks and merges them: the
    same Report (and the same exception) as `obscore.ast(...)`/`obscore.patterns(...)` on one
    machine. `client_` is a distributed.Client (default: the current one). `timeout_` bounds
    each shard (and the merge, when given). Every other keyword is a flag."""
    if subcommand not in SHARDABLE:
        raise ValueError(f"{subcommand} does not shard; choose from {', '.join(sorted(SHARDABLE))}")
    for key in ("shards", "client", "check", "timeout"):
        if key in options:
            raise TypeError(f"run_sharded: {key}= is a flag; the call's own setting is {key}_=")
    if shards_ < 1 or shards_ > 65536:
        raise ValueError("shards_ must be between 1 and 65536")
    client = client_
    if client is None:
        from distributed import get_client
        client = get_client()
    shards = shards_
    flags({k: v for k, v in options.items() if k != "threads"})  # a bad keyword fails here, once, not per shard
    paths = [os.fspath(p) for p in inputs]
    futures = [client.submit(run_shard, subcommand, paths, k, shards, dict(options), timeout_, pure=False,
                             key=f"obscore-{subcommand}-shard-{k}-of-{shards}-{os.getpid()}-{id(paths)}")
               for k in range(1, shards + 1)]
    try:
        partials = client.gather(futures)
    except ObscoreError:
        for f in futures:
            f.cancel()
        raise
    return merge(subcommand, partials, check_=check_, timeout_=timeout_ if timeout_ is not None else 600)


__all__ = ["run_sharded", "run_shard", "merge", "SHARDABLE", "GateTripped", "InputError"]
