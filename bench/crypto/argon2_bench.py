#!/usr/bin/python3
"""bench/crypto/argon2_bench.py: Argon2id hashing, obscore against argon2-cffi (Debian's
python3-argon2, which links Debian's libargon2), wall AND CPU time, medians of alternating runs.

    argon2_bench.py OBSCORE_BIN OUT_DIR [--runs N] [--batch N] [--json FILE]

Rows (each command runs as a direct child; wall from a monotonic clock, CPU = user + system from
wait4()'s rusage, which includes the pool workers the child reaped; runs alternate between the
tools, so a burst of load from elsewhere on the machine hits both):
  - per hash on one core, t=3 m=64 MiB p=1 and the OWASP profile (t=2 m=19 MiB p=1): obscore -j1
    and argon2-cffi one hash after another, K passwords each (start-up included, amortised over K);
    obscore also forced to libargon2 (OBSCORE_ARGON2_IMPL) to show what the optimised core adds;
  - a batch of N passwords (OWASP) on two cores: obscore -j2 against argon2-cffi in a 2-process
    multiprocessing pool (and, for reference, argon2-cffi one at a time and obscore -j1).
The argon2 CLI is not measured: it hashes one password per process, so any batch would time its
start-up; its single-hash speed is libargon2's, which the libargon2 row shows.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PY = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFFI = os.path.join(ROOT, "bench", "baselines", "crypto_argon2_cffi.py")


def run_once(cmd, env=None):
    out = open(os.devnull, "wb")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE,
                            env=dict(os.environ, **(env or {})))
    err = proc.stderr.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{err.decode(errors='replace')}")
    return wall, ru.ru_utime + ru.ru_stime


def measure(jobs, runs):
    """jobs: {name: (cmd, env)}; returns {name: (median wall, median cpu)} over alternating runs."""
    walls = {k: [] for k in jobs}
    cpus = {k: [] for k in jobs}
    for r in range(runs):
        names = list(jobs) if r % 2 == 0 else list(reversed(jobs))
        for k in names:
            w, c = run_once(*jobs[k])
            walls[k].append(w)
            cpus[k].append(c)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in jobs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--per-hash", type=int, default=20, help="passwords per run in the one-core rows (x2.5 for owasp)")
    ap.add_argument("--json")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    impl = subprocess.run([a.bin, "-v", "crypto", "hash", "--profile", "owasp", "--input", "-"], input=b"x\n",
                          capture_output=True).stderr.decode()
    impl = impl.split("Argon2 implementation ", 1)[1].split()[0] if "Argon2 implementation " in impl else "?"

    def pwfile(n):
        path = os.path.join(a.out, f"passwords-{n}.txt")
        with open(path, "w") as f:
            f.writelines(f"password-{i:06d}-{i * 7919 % 100003}\n" for i in range(n))
        return path

    batch = pwfile(a.batch)
    lib = {"OBSCORE_ARGON2_IMPL": "libargon2"}
    rows = []

    def ob(jobs, pw, *params):
        return [a.bin, "-j", str(jobs), "--format", "ndjson", "crypto", "hash", *params, "--input", pw]

    for label, k, ob_params, cffi_params in [
        ("t=3 m=64 MiB p=1", a.per_hash, ["-t", "3", "-m", "64M", "-p", "1"], ["3", "65536", "1"]),
        ("owasp t=2 m=19 MiB p=1", a.per_hash * 5 // 2, ["--profile", "owasp"], ["2", "19456", "1"]),
    ]:
        few = pwfile(k)
        res = measure({
            "obscore": (ob(1, few, *ob_params), None),
            "argon2-cffi": ([PY, CFFI, few, *cffi_params], None),
            "obscore libargon2": (ob(1, few, *ob_params), lib),
        }, a.runs)
        rows.append({"measure": f"per hash, one core, {label} ({k} hashes per run)", "per": k,
                     "obscore": res["obscore"], "peer": res["argon2-cffi"], "peer_name": "argon2-cffi (one process)",
                     "extra": {"obscore -j1 forced to libargon2": res["obscore libargon2"]}, "target": 1.2})
    res = measure({
        "obscore -j2": (ob(2, batch, "--profile", "owasp"), None),
        "argon2-cffi pool 2": ([PY, CFFI, batch, "2", "19456", "1", "--processes", "2"], None),
    }, a.runs)
    ref = measure({
        "obscore -j1": (ob(1, batch, "--profile", "owasp"), None),
        "argon2-cffi sequential": ([PY, CFFI, batch, "2", "19456", "1"], None),
    }, max(1, a.runs // 2))
    rows.append({"measure": f"batch of {a.batch} (owasp) on two cores", "per": 1,
                 "obscore": res["obscore -j2"], "peer": res["argon2-cffi pool 2"],
                 "peer_name": "argon2-cffi, 2-process pool",
                 "extra": {"obscore -j1": ref["obscore -j1"], "argon2-cffi one process": ref["argon2-cffi sequential"]},
                 "target": 1.8})

    print(f"Argon2id: obscore ({impl}) vs argon2-cffi (libargon2); medians of {a.runs} alternating runs; "
          f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (shared)")
    hdr = ["measure", "obscore wall / CPU", "peer", "peer wall / CPU", "ratio wall / CPU", "target"]
    table = []
    for r in rows:
        per, unit = r["per"], ("ms" if r["per"] > 1 else "s")
        f = (lambda s: f"{s / per * 1000:.1f}") if per > 1 else (lambda s: f"{s:.2f}")
        (ow, oc), (pw_, pc) = r["obscore"], r["peer"]
        table.append([r["measure"], f"{f(ow)} / {f(oc)} {unit}", r["peer_name"], f"{f(pw_)} / {f(pc)} {unit}",
                      f"{pw_ / ow:.2f}x / {pc / oc:.2f}x", f">= {r['target']}x"])
        for name, (ew, ec) in r["extra"].items():
            table.append([f"  (reference) {name}", f"{f(ew)} / {f(ec)} {unit}", "", "", "", ""])
    w = [max(len(str(x[i])) for x in table + [hdr]) for i in range(len(hdr))]
    for line in [hdr] + table:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(line)).rstrip())
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"implementation": impl, "runs": a.runs, "rows": rows, "loadavg": os.getloadavg()}, f, indent=1)


if __name__ == "__main__":
    main()
