#!/usr/bin/env python3
"""Python baseline (bench/run): the seed's file encryption with `cryptography`'s AESGCM (Debian
python3-cryptography, OpenSSL underneath), streamed in 64 KiB chunks like obscore's format: a
random 12-byte nonce per chunk, the chunk index as associated data, nonce + ciphertext + tag
written out.

    crypto_aesgcm.py KEYFILE INPUT OUTPUT [--fsync]

--fsync: fsync the output before exiting (durable on disk, as obscore's -o FILE is).
"""
import os
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK = 64 * 1024


def main() -> None:
    key_path, src, dst = sys.argv[1:4]
    durable = "--fsync" in sys.argv[4:]
    key = open(key_path, "rb").read()[:32]
    aead = AESGCM(key)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        index = 0
        while True:
            chunk = fin.read(CHUNK)
            nonce = os.urandom(12)
            fout.write(nonce + aead.encrypt(nonce, chunk, index.to_bytes(8, "big")))
            index += 1
            if len(chunk) < CHUNK:
                break
        if durable:
            fout.flush()
            os.fsync(fout.fileno())


if __name__ == "__main__":
    main()
