#!/usr/bin/env python3
"""The seed's approach, as a baseline: read the whole file, count each level with re.findall."""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
print({lvl: len(re.findall(lvl, text)) for lvl in ("DEBUG", "INFO", "WARN", "ERROR", "FATAL")})
