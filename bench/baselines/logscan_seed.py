#!/usr/bin/env python3
"""The seed's approach, as a baseline: read the whole file, count each level with re.findall;
patterns given after the file are counted the same way, one re.findall pass each.

    logscan_seed.py LOG [REGEX...]
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
counts = {lvl: len(re.findall(lvl, text)) for lvl in ("DEBUG", "INFO", "WARN", "ERROR", "FATAL")}
for pattern in sys.argv[2:]:
    counts[pattern] = len(re.findall(pattern, text))
print(counts)
