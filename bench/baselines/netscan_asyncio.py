#!/usr/bin/env python3
"""The seed's approach: an asyncio connect scanner (asyncio.open_connection under a semaphore),
for bench/netscan/run. usage: netscan_asyncio.py HOST FIRST LAST [--concurrency 1000] [--timeout 1]
Prints the open ports, one per line."""
import argparse
import asyncio


async def probe(host, port, sem, timeout, found):
    async with sem:
        try:
            _, w = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
            found.append(port)
            w.close()
        except (OSError, asyncio.TimeoutError):
            pass


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("host")
    p.add_argument("first", type=int)
    p.add_argument("last", type=int)
    p.add_argument("--concurrency", type=int, default=1000)
    p.add_argument("--timeout", type=float, default=1.0)
    a = p.parse_args()
    sem = asyncio.Semaphore(a.concurrency)
    found = []
    await asyncio.gather(*(probe(a.host, port, sem, a.timeout, found) for port in range(a.first, a.last + 1)))
    for port in sorted(found):
        print(port)


asyncio.run(main())
