#!/usr/bin/env python3
"""The seed's correlator, reproduced for benchmarks: every UI event scored against every API
call (O(n^2)); a pair links when its score passes the threshold, so one call may link to many
UI events (same screen counts with no time limit). Prints the number of links.

    correlate_seed.py UI API
"""
import json
import sys


def score(u, a):
    s = 0.0
    if u["sessionId"] == a["sessionId"]:
        s += 0.3
    dt = a["timestamp"] - u["timestamp"]
    if 0 <= dt <= 5000:
        s += 0.5 * (1 - dt / 5000)
    if u.get("screen") and u.get("screen") == a.get("screen", u.get("screen")):
        s += 0.2
    return s


def main():
    ui = [json.loads(l) for l in open(sys.argv[1])]
    api = [json.loads(l) for l in open(sys.argv[2])]
    links = 0
    for a in api:
        for u in ui:
            if score(u, a) >= 0.6:
                links += 1
    print(json.dumps({"ui": len(ui), "api": len(api), "links": links}))


if __name__ == "__main__":
    main()
