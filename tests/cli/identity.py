#!/usr/bin/env python3
"""Output identity of the per-file runs (ast, logscan, patterns, config, crypto verify): each case
is a command over the test corpora whose output, with durations set to 0, must keep its exact
bytes. tests/data/identity/expected.json holds their SHA-256 and sizes, written by the binary
before a refactor; test_identity.py checks the binary under test against it.

A change that is meant to alter output regenerates the file and says why in its commit:

    tests/cli/identity.py --update path/to/obscore
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get("OBSCORE_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data")
SHARED = os.path.abspath(os.path.join(SRC, "..", "shared"))
EXPECTED = os.path.join(DATA, "identity", "expected.json")

LOGHUB = os.path.join(SHARED, "corpora", "loghub-2k")
AST_CORPORA = os.path.join(SHARED, "corpora", "ast")
CORPORA = os.path.join(SHARED, "corpora")  # the working directory of every case


def loghub_logs():
    logs = []
    for system in sorted(os.listdir(LOGHUB)) if os.path.isdir(LOGHUB) else []:
        d = os.path.join(LOGHUB, system)
        if os.path.isdir(d):
            logs += [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.endswith(".log")]
    return logs


def cases(workdir):
    """name -> argv (after the binary). Inputs are the repository's fixtures and ../shared."""
    batch = os.path.join(workdir, "verify.ndjson")
    c = {
        "ast fixtures json": ["ast", "--no-cache", "--format", "json", os.path.join(DATA, "ast")],
        "ast fixtures ndjson explain": ["ast", "--no-cache", "--explain", "--format", "ndjson", os.path.join(DATA, "ast")],
        "ast gson+ripgrep json": ["ast", "--no-cache", "--format", "json", os.path.join(AST_CORPORA, "gson"),
                                  os.path.join(AST_CORPORA, "ripgrep")],
        "ast gson gates": ["ast", "--no-cache", "--format", "json", "--max-cognitive", "10", "--max-cyclomatic", "8",
                           os.path.join(AST_CORPORA, "gson")],
        # --shard assigns files by a hash of their path as given: relative paths from a fixed
        # directory (CORPORA below) keep the partition the same in every checkout.
        "ast shard 1/2": ["ast", "--no-cache", "--format", "json", "--shard", "1/2", "ast/gson"],
        "logscan loghub json": ["logscan", "--format", "json", "--templates", *loghub_logs()],
        "logscan loghub records": ["logscan", "--format", "ndjson", "--templates", "--records", *loghub_logs()[:3]],
        "logscan fixtures json": ["logscan", "--format", "json", os.path.join(DATA, "logscan"),
                                  os.path.join(DATA, "logscan-formats")],
        "logscan shard 1/2": ["logscan", "--format", "json", "--shard", "1/2",
                              *[os.path.relpath(p, CORPORA) for p in loghub_logs()]],
        "patterns fixtures json": ["patterns", "--format", "json", os.path.join(DATA, "patterns")],
        "patterns fixtures ndjson": ["patterns", "--format", "ndjson", os.path.join(DATA, "patterns")],
        "config lint yaml-suite": ["config", "lint", "--format", "json", os.path.join(DATA, "yaml-test-suite"),
                                   os.path.join(DATA, "config")],
        "config validate yaml-suite": ["config", "validate", "--format", "json", os.path.join(DATA, "yaml-test-suite"),
                                       os.path.join(DATA, "config")],
        "crypto verify": ["crypto", "verify", "--format", "json", "--input", batch],
    }
    return c


def prepare(binary, workdir):
    """The crypto batch: hashes made here (their salts are random) of known passwords, two of them
    checked against the wrong password and one unreadable; the verify output does not depend on
    the salts."""
    passwords = "".join(f"password-{i}\n" for i in range(6))
    proc = subprocess.run([binary, "crypto", "hash", "--allow-weak", "-t", "1", "-m", "8K", "-p", "1",
                           "--format", "ndjson"], input=passwords.encode(), capture_output=True, check=True)
    hashes = [json.loads(l)["data"]["phc"] for l in proc.stdout.decode().splitlines()
              if json.loads(l).get("type") == "result"]
    lines = []
    for i, h in enumerate(hashes):
        lines.append(json.dumps({"password": f"password-{i if i % 3 else i + 1}", "hash": h}))
    lines.append(json.dumps({"password": "x", "hash": "$argon2id$v=19$broken"}))
    with open(os.path.join(workdir, "verify.ndjson"), "w") as f:
        f.write("\n".join(lines) + "\n")


DURATION = re.compile(rb'"duration_ms":\d+')
# crypto's concurrency limit follows the machine's available memory
CONCURRENCY = re.compile(rb'"concurrency_limit":\d+')


def normalise(out, workdir):
    # The source and shared directories appear in paths: a checkout anywhere gives the same bytes.
    out = DURATION.sub(b'"duration_ms":0', out).replace(workdir.encode(), b"WORKDIR")
    out = CONCURRENCY.sub(b'"concurrency_limit":0', out)
    return out.replace(SHARED.encode(), b"SHARED").replace(SRC.encode(), b"SRC")


def run_case(binary, argv, workdir):
    proc = subprocess.run([binary, "-j", "2", *argv], capture_output=True, timeout=600, cwd=CORPORA)
    out = normalise(proc.stdout, workdir)
    return {"exit": proc.returncode, "sha256": hashlib.sha256(out).hexdigest(), "bytes": len(out)}


def measure(binary):
    with tempfile.TemporaryDirectory() as workdir:
        prepare(binary, workdir)
        return {name: run_case(binary, argv, workdir) for name, argv in cases(workdir).items()}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--update":
        sys.exit("usage: identity.py --update OBSCORE_BINARY")
    got = measure(os.path.abspath(sys.argv[2]))
    with open(EXPECTED, "w") as f:
        json.dump(got, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {EXPECTED} ({len(got)} cases)")
