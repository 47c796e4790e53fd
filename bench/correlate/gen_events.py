#!/usr/bin/env python3
"""Deterministic recorded test sessions for `obscore correlate` benchmarks, with ground truth.

UI events per session arrive with exponential gaps (mean 1.5 s); each causes 0..2k calls
(uniform, mean --calls-per-ui) after a lognormal delay (median 120 ms, sigma 0.8) to an endpoint
that depends on the action; background calls (--background share of all calls) are spread
uniformly over the session. Every API record carries its true cause in `cause` (a UI event id,
or null). Writes OUT/ui.ndjson, OUT/api.ndjson, OUT/nav.ndjson and OUT/params.json.

    gen_events.py OUT --ui N [--sessions S] [--calls-per-ui M] [--background 0.1] [--seed 1]
"""
import argparse
import json
import math
import os
import random

ACTIONS = [("tap", "login_button", "POST", "/auth/login", "Home"),
           ("tap", "cart_icon", "GET", "/cart/{}", "Cart"),
           ("tap", "checkout", "POST", "/orders", "Confirmation"),
           ("scroll", "feed", "GET", "/feed?page={}", None),
           ("tap", "profile", "GET", "/users/{}/profile", "Profile"),
           ("input", "search_box", "GET", "/search?q=x{}", None),
           ("tap", "like", "PUT", "/posts/{}/like", None)]
BACKGROUND = [("GET", "/config"), ("POST", "/analytics/events"), ("GET", "/notifications/count")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--ui", type=int, default=10000)
    ap.add_argument("--sessions", type=int, default=0, help="default: one per 200 UI events")
    ap.add_argument("--calls-per-ui", type=float, default=1.5)
    ap.add_argument("--background", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--background-endpoints", choices=["same", "own"], default="same",
                    help="same: background calls hit the endpoints UI events cause (time is the only "
                         "signal); own: they have endpoints of their own")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    sessions = a.sessions or max(1, a.ui // 200)
    per_session = a.ui // sessions
    t0 = 1_700_000_000_000  # ms
    ui_f = open(os.path.join(a.out, "ui.ndjson"), "w")
    api_f = open(os.path.join(a.out, "api.ndjson"), "w")
    nav_f = open(os.path.join(a.out, "nav.ndjson"), "w")
    mu, sigma = math.log(120.0), 0.8
    max_calls = int(round(2 * a.calls_per_ui))
    n_ui = n_api = n_bg = 0
    for s in range(sessions):
        sid = f"s{s:05d}"
        t = t0 + s * 3_600_000
        start = t
        calls = []
        for _ in range(per_session):
            t += max(1, int(rng.expovariate(1 / 1500.0)))
            action, element, method, path, dest = ACTIONS[rng.randrange(len(ACTIONS))]
            uid = f"u{n_ui}"
            n_ui += 1
            ui_f.write(json.dumps({"eventId": uid, "sessionId": sid, "timestamp": t, "type": "ui",
                                   "action": action, "elementId": element, "screen": "Main"}) + "\n")
            k = rng.randint(0, max_calls)
            for _ in range(k):
                d = rng.lognormvariate(mu, sigma)
                start_t = t + int(d)
                calls.append((start_t, method, path.format(rng.randrange(1000)), uid, dest))
        end = t
        n_bg_session = int(round(len(calls) * a.background / (1 - a.background)))
        for _ in range(n_bg_session):
            if a.background_endpoints == "own":
                method, path = BACKGROUND[rng.randrange(len(BACKGROUND))]
            else:
                _, _, method, path, _ = ACTIONS[rng.randrange(len(ACTIONS))]
                path = path.format(rng.randrange(1000))
            calls.append((rng.randint(start, end), method, path, None, None))
        calls.sort(key=lambda c: c[0])
        for (ts, method, url, cause, dest) in calls:
            aid = f"a{n_api}"
            n_api += 1
            n_bg += cause is None
            dur = int(rng.lognormvariate(math.log(80.0), 0.5))
            status = 200 if rng.random() > 0.05 else 500
            api_f.write(json.dumps({"eventId": aid, "sessionId": sid, "timestamp": ts, "type": "network",
                                    "method": method, "url": "https://api.example.com" + url,
                                    "statusCode": status, "duration": dur, "cause": cause}) + "\n")
            if dest and status < 400 and rng.random() < 0.5:
                nav_f.write(json.dumps({"sessionId": sid, "timestamp": ts + dur + rng.randint(5, 400),
                                        "type": "navigation", "fromScreen": "Main", "toScreen": dest}) + "\n")
    json.dump({"background_endpoints": a.background_endpoints, "ui": n_ui, "api": n_api, "background": n_bg, "sessions": sessions, "mu": mu,
               "sigma": sigma, "calls_per_ui": a.calls_per_ui, "background_share": a.background},
              open(os.path.join(a.out, "params.json"), "w"))


if __name__ == "__main__":
    main()
