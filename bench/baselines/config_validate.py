#!/usr/bin/env python3
"""Python baseline (bench/run): validate every YAML file of a directory with PyYAML's C loader
(CSafeLoader, Debian python3-yaml), every document of each file; prints the number of files that
failed to parse.

    config_validate.py DIR [--processes N]

Without --processes: one file after another (one core). With --processes N: a multiprocessing pool
of N workers, the files handed out in chunks (the baseline at its best on N cores).
"""
import argparse
import multiprocessing
import pathlib

import yaml


def check(path):
    try:
        with open(path, "rb") as f:
            for _ in yaml.load_all(f, Loader=yaml.CSafeLoader):
                pass
        return 0
    except yaml.YAMLError:
        return 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--processes", type=int, default=0)
    a = ap.parse_args()
    files = sorted(p for p in pathlib.Path(a.dir).iterdir() if p.is_file())
    if a.processes > 0:
        with multiprocessing.Pool(a.processes) as pool:
            bad = sum(pool.imap_unordered(check, files, chunksize=16))
    else:
        bad = sum(map(check, files))
    print(bad)


if __name__ == "__main__":
    main()
