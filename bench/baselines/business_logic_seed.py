#!/usr/bin/env python3
"""The seed's business-logic analyser, reproduced for benchmarks: for every category, one
`rglob` walk per file extension, Python `re` over each file for each pattern of the category.
Uses the same rule pack as obscore (read with PyYAML), prints the number of findings per
category as JSON.

    business_logic_seed.py RULES.yaml ROOT [--processes N]

--processes N spreads the (category, extension) walks over a multiprocessing pool of N workers:
the same work, the seed at its best on N cores.
"""
import argparse
import json
import multiprocessing
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

LANG_EXT = {"kotlin": ["kt", "kts"], "java": ["java"], "swift": ["swift"],
            "typescript": ["ts", "tsx", "mts", "cts"], "javascript": ["js", "jsx", "mjs", "cjs"]}


def walk(unit):
    """One (category, extension) walk: every file of the extension, every pattern that applies."""
    category, ext, patterns, root = unit
    found = 0
    for path in Path(root).rglob(f"*.{ext}"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern, rexts in patterns:
            if ext not in rexts:
                continue
            for m in re.finditer(pattern, text, re.M):
                if m.end() > m.start():
                    found += 1
    return category, found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rules")
    ap.add_argument("root")
    ap.add_argument("--processes", type=int, default=0)
    a = ap.parse_args()
    rules = yaml.safe_load(open(a.rules))["rules"]
    by_category = defaultdict(list)
    for r in rules:
        exts = []
        for lang in r.get("languages", []):
            exts += LANG_EXT.get(lang, [lang.lstrip(".")])
        by_category[r.get("category", "custom")].append((r["pattern"], exts))
    # one walk per category and extension, as the seed does
    units = [(category, ext, patterns, a.root) for category, patterns in by_category.items()
             for ext in sorted({e for _, es in patterns for e in es})]
    counts = {category: 0 for category in by_category}
    if a.processes > 0:
        with multiprocessing.Pool(a.processes) as pool:
            results = pool.map(walk, units, chunksize=1)
    else:
        results = map(walk, units)
    for category, found in results:
        counts[category] += found
    json.dump(counts, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
