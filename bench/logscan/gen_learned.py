#!/usr/bin/env python3
"""A log in a shape no built-in format reads (BlueGene/L-like: label, epoch seconds, yyyy.mm.dd,
node, yyyy-mm-dd-HH.MM.SS.ffffff, node, type, component, LEVEL, message), for the learned-format
benchmark: obscore must learn the level field from the first lines, then scan at full speed.

usage: gen_learned.py OUT [--size-mb N] [--seed S] [--truth FILE.json]

--truth writes what obscore must report for it: records, lines and records per level word."""
import argparse
import json
import random

MESSAGES = [
    ("INFO", "instruction cache parity error corrected"),
    ("INFO", "generating core.{n}"),
    ("INFO", "{n} double-hummer alignment exceptions"),
    ("INFO", "CE sym {n}, at 0x{h}, mask 0x{h}"),
    ("WARNING", "link card temperature above {n} C"),
    ("ERROR", "idoproxydb hit ASSERT condition: ASSERT expression={n}"),
    ("FATAL", "data TLB error interrupt"),
    ("FATAL", "ciod: failed to read message prefix on control stream (CioStream socket to 172.16.{n}.{n}:{n}"),
    ("SEVERE", "machine check interrupt (bit=0x{h})"),
    ("FAILURE", "node card is not fully functional"),
]
WEIGHTS = [40, 20, 10, 10, 4, 3, 6, 4, 2, 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--truth", help="write the expected counts (JSON) here")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    target = a.size_mb << 20
    t = 1117838570
    written = 0
    lines = 0
    levels = {}
    with open(a.out, "w") as f:
        buf = []
        while written < target:
            t += rnd.randint(0, 3)
            level, msg = rnd.choices(MESSAGES, WEIGHTS)[0]
            msg = msg.replace("{n}", str(rnd.randint(0, 5000))).replace("{h}", f"{rnd.getrandbits(24):06x}")
            node = f"R{rnd.randint(0, 63):02d}-M{rnd.randint(0, 1)}-N{rnd.randint(0, 15)}-C:J{rnd.randint(2, 17):02d}-U{rnd.randint(0, 1)}1"
            label = "-" if level in ("INFO", "WARNING") or rnd.random() < 0.5 else "KERNDTLB"
            import time as _t
            g = _t.gmtime(t)
            line = (f"{label} {t} {g.tm_year:04d}.{g.tm_mon:02d}.{g.tm_mday:02d} {node} "
                    f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}-{g.tm_hour:02d}.{g.tm_min:02d}.{g.tm_sec:02d}."
                    f"{rnd.randint(0, 999999):06d} {node} RAS KERNEL {level} {msg}\n")
            buf.append(line)
            written += len(line)
            lines += 1
            levels[level] = levels.get(level, 0) + 1
            if len(buf) >= 10000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    if a.truth:
        with open(a.truth, "w") as t:
            json.dump({"records": lines, "lines": lines, "levels": levels}, t, sort_keys=True)


if __name__ == "__main__":
    main()
