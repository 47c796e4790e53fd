#!/usr/bin/env python3
"""Accuracy of two reference attributions on a generated data set, for comparison with obscore:
the plain as-of join (nearest preceding UI event of the session within the window) and the
Bayes rule that knows the generator's true delay distribution and rates (the best possible with
time as the only signal). Prints JSON.

    evaluate.py DIR [--window-ms 5000]
"""
import argparse
import bisect
import json
import math
import os
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--window-ms", type=float, default=5000)
    a = ap.parse_args()
    p = json.load(open(os.path.join(a.dir, "params.json")))
    ui = defaultdict(list)
    for line in open(os.path.join(a.dir, "ui.ndjson")):
        r = json.loads(line)
        ui[r["sessionId"]].append((r["timestamp"], r["eventId"]))
    for v in ui.values():
        v.sort()
    span = defaultdict(lambda: [math.inf, -math.inf])
    api = []
    for line in open(os.path.join(a.dir, "api.ndjson")):
        r = json.loads(line)
        api.append((r["sessionId"], r["timestamp"], r["cause"]))
    for s, v in ui.items():
        span[s] = [v[0][0], v[-1][0]]
    for s, t, _ in api:
        span[s][0] = min(span[s][0], t)
        span[s][1] = max(span[s][1], t)
    total_ms = sum(hi - lo + 1 for lo, hi in span.values())
    n_ui = sum(len(v) for v in ui.values())
    n_bg = sum(1 for x in api if x[2] is None)
    lam_b = n_bg / total_ms
    lam_c = (len(api) - n_bg) / n_ui
    mu, sigma = p["mu"], p["sigma"]

    def f(d):
        d = max(d, 0.5)
        z = (math.log(d) - mu) / sigma
        return math.exp(-0.5 * z * z) / (d * sigma * math.sqrt(2 * math.pi))

    res = {"asof": [0, 0, 0, 0], "oracle": [0, 0, 0, 0]}  # caused right, caused, bg right, bg
    for s, t, cause in api:
        times = ui[s]
        hi = bisect.bisect_right(times, (t, "\uffff"))
        lo = bisect.bisect_left(times, (t - a.window_ms, ""))
        cands = times[lo:hi]
        asof = cands[-1][1] if cands else None
        best, pick = lam_b, None
        for (tu, uid) in cands:
            w = lam_c * f(t - tu)
            if w > best:
                best, pick = w, uid
        for name, got in (("asof", asof), ("oracle", pick)):
            r = res[name]
            if cause is None:
                r[3] += 1
                r[2] += got is None
            else:
                r[1] += 1
                r[0] += got == cause
    out = {}
    for name, (cr, c, br, b) in res.items():
        out[name] = {"caused_accuracy": round(cr / c, 4) if c else None,
                     "background_accuracy": round(br / b, 4) if b else None,
                     "accuracy": round((cr + br) / (c + b), 4)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
