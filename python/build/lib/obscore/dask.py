"""Scale-out on a Dask distributed cluster: a subcommand run as N shards (`--shard K/N`), one
task each, then `obscore merge` into exactly the unsharded run's output.

    from distributed import Client
    import obscore.dask

    client = Client("tcp://scheduler:8786")          # or LocalCluster() on one machine
    report = obscore.dask.run_sharded("ast", "/shared/monorepo", shards=64, client=client,
                                      max_cognitive=25, check=False)
    print(report.summary["functions"])

Requirements on the cluster: every worker has the obscore binary (the .deb, or OBSCORE_BIN in
the worker's environment) and sees the inputs under the same paths as the caller (a shared or
replicated file system); paths are partitioned by how they are written, so give them the same
way everywhere. The caller needs the binary too (for the merge). `ast`, `patterns`, `logscan`
(large plain logs split by byte ranges at record boundaries), `config lint` and
`config validate` shard;
see docs/ARCHITECTURE.md (Scale-out) for deploying a cluster.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Optional

from ._process import GateTripped, InputError, ObscoreError, command, execute, raise_for
from .results import AstFile, LintFinding, LogFile, PatternFinding, Report, Validation, maker

SHARDABLE = {"ast": AstFile, "patterns": PatternFinding, "logscan": LogFile, "config lint": LintFinding,
             "config validate": Validation}


def run_shard(subcommand: str, inputs: list, index: int, count: int, options: dict,
              timeout: Optional[float] = None) -> dict:
    """One shard on whichever machine runs it: the JSON output of `obscore SUB --shard K/N`,
    returned also when the shard tripped a gate or met bad inputs (exit 1 or 3): the merge
    decides what the whole run reports."""
    options = dict(options)
    threads = options.pop("threads", None)
    cmd = command(subcommand.split(), inputs, dict(options, shard=f"{index}/{count}"), "json", threads)
    code, out, stderr = execute(cmd, timeout=timeout)
    if code not in (0, 1, 3) or not out:
        raise_for(code, stderr, None)
    return json.loads(out)


def merge(subcommand: str, partials: list, check: bool = True, timeout: Optional[float] = 600) -> Report:
    """`obscore merge` over partial outputs (dicts) on this machine; a Report, raising as the
    unsharded run would (GateTripped unless check=False, InputError for bad inputs)."""
    with tempfile.TemporaryDirectory(prefix="obscore-merge-") as tmp:
        paths = []
        for k, doc in enumerate(partials):
            path = os.path.join(tmp, f"part-{k}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            paths.append(path)
        code, out, stderr = execute(command("merge", paths, {}, "json", None), timeout=timeout)
    raw = json.loads(out) if out else None
    if code != 0:
        if code == 1 and not check and raw is not None:
            return Report.from_json(raw, maker(SHARDABLE[subcommand]))
        raise_for(code, stderr, raw)
    return Report.from_json(raw, maker(SHARDABLE[subcommand]))


def run_sharded(subcommand: str, *inputs: Any, shards: int, client: Any = None, check: bool = True,
                timeout: Optional[float] = None, **options: Any) -> Report:
    """Runs `obscore SUBCOMMAND [options] INPUTS` as `shards` Dask tasks and merges them: the
    same Report (and the same exception) as `obscore.ast(...)`/`obscore.patterns(...)` on one
    machine. `client` is a distributed.Client (default: the current one). `timeout` bounds each
    shard."""
    if subcommand not in SHARDABLE:
        raise ValueError(f"{subcommand} does not shard; choose from {', '.join(sorted(SHARDABLE))}")
    if shards < 1 or shards > 65536:
        raise ValueError("shards must be between 1 and 65536")
    if client is None:
        from distributed import get_client
        client = get_client()
    paths = [os.fspath(p) for p in inputs]
    futures = [client.submit(run_shard, subcommand, paths, k, shards, dict(options), timeout, pure=False,
                             key=f"obscore-{subcommand}-shard-{k}-of-{shards}-{os.getpid()}-{id(paths)}")
               for k in range(1, shards + 1)]
    try:
        partials = client.gather(futures)
    except ObscoreError:
        for f in futures:
            f.cancel()
        raise
    return merge(subcommand, partials, check=check)


__all__ = ["run_sharded", "run_shard", "merge", "SHARDABLE", "GateTripped", "InputError"]
