#!/usr/bin/env python3
"""The seed's business-logic analyser, reproduced for benchmarks: for every category, one
`rglob` walk per file extension, Python `re` over each file for each pattern of the category.
Uses the same rule pack as obscore (read with PyYAML), prints the number of findings per
category as JSON.

    business_logic_seed.py RULES.yaml ROOT
"""
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

LANG_EXT = {"kotlin": ["kt", "kts"], "java": ["java"], "swift": ["swift"],
            "typescript": ["ts", "tsx", "mts", "cts"], "javascript": ["js", "jsx", "mjs", "cjs"]}


def main():
    rules = yaml.safe_load(open(sys.argv[1]))["rules"]
    root = Path(sys.argv[2])
    by_category = defaultdict(list)
    for r in rules:
        exts = []
        for lang in r.get("languages", []):
            exts += LANG_EXT.get(lang, [lang.lstrip(".")])
        by_category[r.get("category", "custom")].append((re.compile(r["pattern"], re.M), exts))
    counts = {}
    for category, patterns in by_category.items():
        found = []
        exts = sorted({e for _, es in patterns for e in es})
        for ext in exts:  # one walk per category and extension, as the seed does
            for path in root.rglob(f"*.{ext}"):
                text = path.read_text(encoding="utf-8", errors="replace")
                for regex, rexts in patterns:
                    if ext not in rexts:
                        continue
                    for m in regex.finditer(text):
                        if m.end() > m.start():
                            found.append((str(path), text.count("\n", 0, m.start()) + 1))
        counts[category] = len(found)
    json.dump(counts, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
