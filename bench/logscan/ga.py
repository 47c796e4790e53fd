#!/usr/bin/env python3
"""Grouping accuracy (GA) of `obscore logscan --templates --records` on loghub's labelled 2k samples.

GA is the loghub benchmark's measure (logparser's evaluator, Zhu et al. ICSE 2019): a line counts as
correct when the set of lines in its template group equals the set of lines of its truth EventId.
obscore runs with no per-system option (format auto-detected, no regexes, no thresholds). Drain's and
Brain's figures are those of ../shared/corpora/loghub-2k/README.md (logparser's own scripts, each given a
hand-written format, regexes and thresholds per system).

usage: ga.py [--obscore BIN] [--corpus DIR] [--systems A,B] [--min-each X] [--min-mean Y]
Exits 1 when a floor given by --min-each / --min-mean is not met.
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
REFERENCE = {  # system: (Drain GA, Brain GA), from the corpus README
    "HDFS": (0.9975, 0.9975), "Hadoop": (0.9475, 0.9490), "Spark": (0.9200, 0.9975),
    "Zookeeper": (0.9665, 0.9875), "BGL": (0.9625, 0.9860), "Android": (0.9110, 0.9605),
    "Apache": (1.0000, 1.0000), "OpenSSH": (0.7875, 1.0000),
}


def truth(corpus, system):
    with open(os.path.join(corpus, system, f"{system}_2k.log_structured.csv"), newline="",
              encoding="utf-8", errors="replace") as f:
        return [row["EventId"] for row in csv.DictReader(f)]


def parsed(binary, corpus, system, n):
    """Template id per line (1-based lines; a continuation line takes its record's id)."""
    path = os.path.join(corpus, system, f"{system}_2k.log")
    out = subprocess.run([binary, "--format", "ndjson", "logscan", "--templates", "--records", path],
                         capture_output=True, check=True).stdout
    ids = [None] * (n + 1)
    for line in out.splitlines():
        rec = json.loads(line)
        if rec.get("type") != "result":
            continue
        d = rec["data"]
        if d["line"] <= n:
            ids[d["line"]] = d["template_id"]
    last = None
    for i in range(1, n + 1):
        if ids[i] is None:
            ids[i] = last
        last = ids[i]
    return ids[1:]


def grouping_accuracy(truth_ids, parsed_ids):
    truth_size = collections.Counter(truth_ids)
    groups = collections.defaultdict(list)
    for i, p in enumerate(parsed_ids):
        groups[p].append(i)
    correct = 0
    for members in groups.values():
        events = {truth_ids[i] for i in members}
        if len(events) == 1 and truth_size[next(iter(events))] == len(members):
            correct += len(members)
    return correct / len(truth_ids)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--obscore", default=os.path.join(SRC, "build", "release", "apps", "obscore", "obscore"))
    ap.add_argument("--corpus", default=os.path.join(SRC, "..", "shared", "corpora", "loghub-2k"))
    ap.add_argument("--systems", default="")
    ap.add_argument("--min-each", type=float, default=0.0)
    ap.add_argument("--min-mean", type=float, default=0.0)
    args = ap.parse_args()
    systems = args.systems.split(",") if args.systems else [s for s in REFERENCE if os.path.isdir(os.path.join(args.corpus, s))]
    print(f"{'system':<10} {'obscore':>8} {'Drain':>8} {'Brain':>8}")
    scores = []
    for s in systems:
        t = truth(args.corpus, s)
        ga = grouping_accuracy(t, parsed(args.obscore, args.corpus, s, len(t)))
        scores.append(ga)
        drain, brain = REFERENCE.get(s, (float("nan"), float("nan")))
        print(f"{s:<10} {ga:>8.4f} {drain:>8.4f} {brain:>8.4f}")
    mean = sum(scores) / len(scores)
    ref = [REFERENCE[s] for s in systems if s in REFERENCE]
    print(f"{'mean':<10} {mean:>8.4f} {sum(r[0] for r in ref) / len(ref):>8.4f} {sum(r[1] for r in ref) / len(ref):>8.4f}")
    failed = [s for s, g in zip(systems, scores) if g < args.min_each]
    if failed or mean < args.min_mean:
        print(f"below the floor: {', '.join(failed) or 'mean'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
