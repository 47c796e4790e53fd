#!/usr/bin/env python3
"""Python baseline (bench/run, bench/crypto/run): argon2-cffi (Debian python3-argon2) hashing every
line of a file with the given parameters, PHC strings to stdout in input order.

    crypto_argon2_cffi.py PASSWORDS T M_KIB P [--processes N]

Without --processes: one hash after another in this process (the seed's approach, one core).
With --processes N: a multiprocessing pool of N worker processes (argon2-cffi at its best on N
cores; its hash releases the GIL, but one process per core is the usual way to scale Python)."""
import argparse
import multiprocessing
import sys

from argon2 import PasswordHasher
from argon2.low_level import Type

_hasher = None


def _init(t, m, p):
    global _hasher
    _hasher = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p, hash_len=32, salt_len=16, type=Type.ID)


def _hash(password):
    return _hasher.hash(password)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("passwords")
    ap.add_argument("t", type=int)
    ap.add_argument("m", type=int)
    ap.add_argument("p", type=int)
    ap.add_argument("--processes", type=int, default=0)
    a = ap.parse_args()
    with open(a.passwords) as f:
        passwords = [line.rstrip("\n") for line in f]
    out = sys.stdout
    if a.processes <= 0:
        _init(a.t, a.m, a.p)
        for pw in passwords:
            out.write(_hash(pw) + "\n")
        return
    with multiprocessing.Pool(a.processes, initializer=_init, initargs=(a.t, a.m, a.p)) as pool:
        for phc in pool.imap(_hash, passwords, chunksize=1):
            out.write(phc + "\n")
        pool.close()
        pool.join()


if __name__ == "__main__":
    main()
