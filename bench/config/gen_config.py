#!/usr/bin/env python3
"""Deterministic large YAML configs for bench/config/run.

usage: gen_config.py OUTDIR [--mb 20] [--docs 20] [--files 2000]

Writes OUTDIR/single.yaml (one document of about --mb MB: a service catalogue with nested maps,
lists, block and flow collections, quoted and plain strings, numbers, booleans, multi-line
literals), OUTDIR/stream.yaml (--docs documents of the same total size separated by ---) and
OUTDIR/many/ (--files small files, for validate's scaling with -j).
"""
import argparse
import os
import random

WORDS = ("alpha beta gamma delta cache proxy gateway billing ledger search auth token session user "
         "order invoice payment refund shipment catalog inventory metrics tracing worker queue").split()


def service(rng, i):
    name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
    lines = [f"  {name}:"]
    lines.append(f"    image: registry.example.com/{rng.choice(WORDS)}/{name}:{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}")
    lines.append(f"    replicas: {rng.randint(1, 12)}")
    lines.append(f"    enabled: {rng.choice(['true', 'false'])}")
    lines.append(f"    weight: {rng.random() * 10:.4f}")
    lines.append(f'    description: "{rng.choice(WORDS)} service for {rng.choice(WORDS)} and {rng.choice(WORDS)}: tier {rng.randint(1, 3)}"')
    lines.append("    ports:")
    for _ in range(rng.randint(1, 4)):
        lines.append(f"      - {{name: {rng.choice(WORDS)}, port: {rng.randint(1024, 65535)}, protocol: {rng.choice(['TCP', 'UDP'])}}}")
    lines.append("    env:")
    seen = set()
    for _ in range(rng.randint(3, 10)):
        key = f"{rng.choice(WORDS).upper()}_{rng.choice(WORDS).upper()}"
        if key in seen:
            continue
        seen.add(key)
        val = rng.choice([f"'{rng.choice(WORDS)}'", str(rng.randint(0, 100000)), f"https://{rng.choice(WORDS)}.example.com/{rng.choice(WORDS)}", "null"])
        lines.append(f"      {key}: {val}")
    lines.append("    resources:")
    lines.append(f"      limits: {{cpu: {rng.choice(['100m', '250m', '500m', '1', '2'])}, memory: {rng.choice(['128Mi', '256Mi', '1Gi'])}}}")
    lines.append(f"      requests: {{cpu: {rng.choice(['50m', '100m'])}, memory: {rng.choice(['64Mi', '128Mi'])}}}")
    lines.append(f"    tags: [{', '.join(rng.sample(WORDS, 4))}]")
    if rng.random() < 0.2:
        lines.append("    script: |")
        for _ in range(rng.randint(2, 5)):
            lines.append(f"      {rng.choice(WORDS)} --{rng.choice(WORDS)}={rng.randint(0, 99)} {rng.choice(WORDS)}")
    lines.append("    healthcheck:")
    lines.append(f"      path: /{rng.choice(WORDS)}/health")
    lines.append(f"      interval_s: {rng.randint(5, 60)}")
    lines.append(f"      timeout_ms: {rng.randint(100, 5000)}")
    return "\n".join(lines) + "\n"


def document(rng, target, start):
    parts, size, i = [f"version: 3\ngenerated: 2026-11-30T12:00:00Z\nservices:\n"], 0, start
    while size < target:
        s = service(rng, i)
        parts.append(s)
        size += len(s)
        i += 1
    return "".join(parts), i


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--mb", type=float, default=20)
    p.add_argument("--docs", type=int, default=20)
    p.add_argument("--files", type=int, default=2000)
    a = p.parse_args()
    os.makedirs(os.path.join(a.out, "many"), exist_ok=True)
    rng = random.Random(7)
    total = int(a.mb * 1024 * 1024)
    text, _ = document(rng, total, 0)
    with open(os.path.join(a.out, "single.yaml"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "stream.yaml"), "w") as f:
        n = 0
        for d in range(a.docs):
            text, n = document(rng, total // a.docs, n)
            f.write("---\n" + text)
    for k in range(a.files):
        text, _ = document(rng, 8 * 1024, k * 100)
        with open(os.path.join(a.out, "many", f"svc-{k:05d}.yaml"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
