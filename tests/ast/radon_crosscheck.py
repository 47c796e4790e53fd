#!/usr/bin/env python3
"""Cross-check: obscore ast's Python cyclomatic complexity must equal radon's (`radon cc -j`)
for every function, method and closure. radon 5.1 (Debian 12) predates `match`, so functions
containing a match statement are skipped.

usage: radon_crosscheck.py OBSCORE_BIN PATH... [--report]   (exit 1 on any mismatch)
"""
import json
import subprocess
import sys


def radon_blocks(paths):
    out = subprocess.run(["radon", "cc", "-j", *paths], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    result = {}
    for path, blocks in data.items():
        if isinstance(blocks, dict):  # {"error": ...}
            continue
        found = {}

        def add(b):
            if b["type"] in ("function", "method"):
                found[(b["lineno"], b["name"])] = b["complexity"]
            for c in b.get("closures", []):
                add(c)
            for m in b.get("methods", []):
                add(m)

        for b in blocks:
            add(b)
        result[path] = found
    return result


def obscore_blocks(binary, paths):
    out = subprocess.run([binary, "ast", "--no-cache", "--format", "json", *paths],
                         capture_output=True, text=True)
    if out.returncode not in (0, 3):
        sys.exit(f"obscore failed ({out.returncode}): {out.stderr}")
    data = json.loads(out.stdout)
    result = {}
    for r in data["results"]:
        result[r["path"]] = {(f["start_line"], f["name"]): f for f in r["functions"]}
    return result


def has_match(path, start, end):
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().splitlines()[start - 1:end]
    return any(l.lstrip().startswith("match ") for l in lines)


def main():
    args = [a for a in sys.argv[1:] if a != "--report"]
    binary, paths = args[0], args[1:]
    ours = obscore_blocks(binary, paths)
    theirs = radon_blocks(paths)
    compared = mismatches = skipped = 0
    for path, blocks in theirs.items():
        mine = ours.get(path, {})
        for key, cc in sorted(blocks.items()):
            f = mine.get(key)
            if f is None:
                # radon reports a def's line; a decorated def starts at the same line for both.
                print(f"MISSING {path}:{key[0]} {key[1]} (radon {cc})")
                mismatches += 1
                continue
            if has_match(path, f["start_line"], f["end_line"]):
                skipped += 1
                continue
            compared += 1
            if f["cyclomatic"] != cc:
                mismatches += 1
                print(f"MISMATCH {path}:{key[0]} {key[1]}: obscore {f['cyclomatic']} radon {cc}")
    print(f"{compared} functions compared, {mismatches} mismatches, {skipped} skipped (match)")
    return 1 if mismatches or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
