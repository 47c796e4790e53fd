#!/usr/bin/env python3
"""The rule pack's patterns for ripgrep's -f: named groups made plain (rg joins -e patterns into
one regex, where names would clash); a pattern with a literal newline (rg needs -U for it) is
left out.

    rg_patterns.py RULES.yaml > patterns.txt
"""
import re
import sys

import yaml

for r in yaml.safe_load(open(sys.argv[1]))["rules"]:
    p = re.sub(r"\(\?P<\w+>", "(", r["pattern"])
    if "\\n" not in re.sub(r"\[(?:\\.|[^\]])*\]", "", p):
        print(p)
