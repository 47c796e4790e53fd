#!/usr/bin/env python3
"""Python baseline (bench/run, bench/crypto/run): argon2-cffi (Debian python3-argon2) hashing every line of a file
with the given parameters, one after another (the seed's approach), PHC strings to stdout."""
import sys

from argon2 import PasswordHasher
from argon2.low_level import Type

t, m, p = (int(x) for x in sys.argv[2:5])
ph = PasswordHasher(time_cost=t, memory_cost=m, parallelism=p, hash_len=32, salt_len=16, type=Type.ID)
with open(sys.argv[1]) as f:
    for line in f:
        print(ph.hash(line.rstrip("\n")))
