#!/usr/bin/env python3
"""Peer for bench/config/run: PyYAML's C loader (CSafeLoader, Debian python3-yaml) + json.dump,
every document of the stream, one JSON value per line (what `obscore config to-json` does)."""
import datetime
import json
import sys

import yaml


def default(o):
    if isinstance(o, (datetime.date, datetime.datetime)):
        return o.isoformat()
    return str(o)


with open(sys.argv[1], "rb") as f, open(sys.argv[2], "w") as out:
    for doc in yaml.load_all(f, Loader=yaml.CSafeLoader):
        json.dump(doc, out, default=default)
        out.write("\n")
