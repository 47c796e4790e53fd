#!/usr/bin/env python3
"""Deterministic realistic logs for `obscore logscan` benchmarks and tests, with the true counts.

usage: gen_logs.py OUT_FILE [--size-mb N] [--format iso|json|logfmt|syslog|logcat] [--seed S]
                            [--crlf] [--truth TRUTH.json]

Writes about N MB (default 200) of log records in one format: mostly INFO with DEBUG, WARN,
ERROR and FATAL records; ERROR records often carry multi-line Java stack traces; some INFO
messages mention "ERROR" (e.g. "upstream returned ERROR 502") so substring counting over-counts.
The truth file has lines, records, continuation lines, per-level record counts, and for each of
the PATTERNS below the number of matching lines and records (computed while writing).
"""
import argparse
import json
import random
import re

PATTERNS = {
    "timeout": r"timed? ?out",
    "http5xx": r"\b5\d\d\b",
    "user": r"user=\w+",
    "ip": r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
    "npe": r"NullPointerException",
    "block": r"blk_-?\d+",
    "slow": r"took \d{4,} ms",
    "retry": r"[Rr]etry(ing)? attempt",
}
COMPILED = {k: re.compile(v) for k, v in PATTERNS.items()}

LEVELS = [("INFO", 0.70), ("DEBUG", 0.12), ("WARN", 0.10), ("ERROR", 0.07), ("FATAL", 0.01)]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank"]
CLASSES = ["org.apache.hadoop.mapreduce.v2.app.MRAppMaster", "com.example.api.OrderService",
           "com.example.db.Pool", "io.netty.channel.DefaultChannelPipeline", "org.eclipse.jetty.server.Server"]


def message(r, level):
    k = r.random()
    ip = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
    if level == "INFO" and k < 0.05:
        return f"upstream {ip} returned ERROR {r.choice([500, 502, 503, 504])} for /api/v1/orders/{r.randint(1, 99999)}"
    if k < 0.2:
        return f"request GET /api/v1/items/{r.randint(1, 10**6)} user={r.choice(USERS)} took {r.randint(1, 9000)} ms"
    if k < 0.3:
        return f"Receiving block blk_{r.randint(-10**18, 10**18)} src: /{ip}:{r.randint(1024, 65535)}"
    if k < 0.4:
        return f"connection to {ip}:5432 timed out after {r.randint(1, 60)}s, retry attempt {r.randint(1, 5)}"
    if k < 0.5:
        return f"cache hit ratio {r.random():.3f} for region {r.randint(1, 32)}"
    if k < 0.6:
        return f"session {r.getrandbits(64):016x} closed by user={r.choice(USERS)}"
    return f"processed batch {r.randint(1, 10**6)} with {r.randint(1, 500)} items in {r.randint(1, 3000)} ms"


def stack(r):
    exc = r.choice(["java.lang.NullPointerException", "java.io.IOException: Broken pipe",
                    "java.util.concurrent.TimeoutException: ERROR timed out"])
    lines = [exc]
    for _ in range(r.randint(3, 12)):
        cls = r.choice(CLASSES)
        lines.append(f"\tat {cls}.{r.choice(['run', 'call', 'handle', 'process'])}({cls.split('.')[-1]}.java:{r.randint(10, 900)})")
    if r.random() < 0.3:
        lines.append(f"Caused by: java.net.SocketTimeoutException: Read timed out")
        lines.append(f"\t... {r.randint(5, 40)} more")
    return lines


def header(fmt, t, level, msg, r):
    ts = f"2023-{1 + t // 2592000 % 12:02d}-{1 + t // 86400 % 28:02d}"
    hms = f"{t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
    if fmt == "iso":
        return f"{ts} {hms},{r.randint(0, 999):03d} {level} [{r.choice(['main', 'worker-1', 'worker-2', 'io'])}] {r.choice(CLASSES)}: {msg}"
    if fmt == "json":
        return json.dumps({"time": f"{ts}T{hms}Z", "level": level.lower(), "logger": r.choice(CLASSES), "msg": msg})
    if fmt == "logfmt":
        return f'time={ts}T{hms}Z level={level.lower()} logger={r.choice(CLASSES)} msg="{msg}"'
    if fmt == "syslog":
        sev = {"DEBUG": 7, "INFO": 6, "WARN": 4, "ERROR": 3, "FATAL": 2}[level]
        mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][t // 2592000 % 12]
        return f"<{8 + sev}>{mon} {1 + t // 86400 % 28:2d} {hms} host{r.randint(1, 9)} app[{r.randint(100, 9999)}]: {msg}"
    if fmt == "logcat":
        letter = {"DEBUG": "D", "INFO": "I", "WARN": "W", "ERROR": "E", "FATAL": "F"}[level]
        return f"{1 + t // 2592000 % 12:02d}-{1 + t // 86400 % 28:02d} {hms}.{r.randint(0, 999):03d} {r.randint(100, 9999):5d} {r.randint(100, 9999):5d} {letter} Tag{r.randint(1, 20)}: {msg}"
    raise SystemExit(f"unknown format {fmt}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=200)
    ap.add_argument("--format", default="iso")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--crlf", action="store_true")
    ap.add_argument("--truth")
    args = ap.parse_args()
    r = random.Random(args.seed)
    target = int(args.size_mb * 1024 * 1024)
    eol = "\r\n" if args.crlf else "\n"
    truth = {"lines": 0, "records": 0, "continuation_lines": 0, "levels": {},
             "patterns": {k: {"lines": 0, "records": 0} for k in PATTERNS}}
    written = 0
    t = 0
    buf = []
    with open(args.out, "w", newline="") as fh:
        while written < target:
            t += r.randint(0, 3)
            x, level = r.random(), "INFO"
            for name, p in LEVELS:
                if x < p:
                    level = name
                    break
                x -= p
            lines = [header(args.format, t, level, message(r, level), r)]
            if level in ("ERROR", "FATAL") and r.random() < 0.6 and args.format in ("iso", "logcat"):
                lines += stack(r)
            truth["records"] += 1
            truth["lines"] += len(lines)
            truth["continuation_lines"] += len(lines) - 1
            key = {"syslog": {"DEBUG": "debug", "INFO": "info", "WARN": "warning", "ERROR": "err", "FATAL": "crit"}[level],
                   "logcat": {"DEBUG": "D", "INFO": "I", "WARN": "W", "ERROR": "E", "FATAL": "F"}[level],
                   "json": level.lower(), "logfmt": level.lower()}.get(args.format, level)
            truth["levels"][key] = truth["levels"].get(key, 0) + 1
            for pid, rx in COMPILED.items():
                hits = sum(1 for l in lines if rx.search(l))
                if hits:
                    truth["patterns"][pid]["lines"] += hits
                    truth["patterns"][pid]["records"] += 1
            text = eol.join(lines) + eol
            buf.append(text)
            written += len(text)
            if len(buf) >= 4096:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))
    truth["bytes"] = written
    truth["pattern_regexes"] = PATTERNS
    if args.truth:
        with open(args.truth, "w") as fh:
            json.dump(truth, fh, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
