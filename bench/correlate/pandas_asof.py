#!/usr/bin/env python3
"""pandas peer for bench/correlate: read both NDJSON files, merge_asof each API call onto the
latest UI event of its session within the window, write NDJSON.

    pandas_asof.py UI API OUT [--window-ms 5000]
"""
import sys

import pandas as pd


def main():
    ui_path, api_path, out = sys.argv[1:4]
    window = int(sys.argv[5]) if len(sys.argv) > 5 else 5000
    ui = pd.read_json(ui_path, lines=True, convert_dates=False)[["eventId", "sessionId", "timestamp"]]
    api = pd.read_json(api_path, lines=True, convert_dates=False)[["eventId", "sessionId", "timestamp", "method", "url", "statusCode"]]
    ui = ui.rename(columns={"eventId": "ui_id", "timestamp": "ui_ts"}).sort_values("ui_ts")
    api = api.rename(columns={"eventId": "api_id"}).sort_values("timestamp")
    m = pd.merge_asof(api, ui, left_on="timestamp", right_on="ui_ts", by="sessionId",
                      direction="backward", tolerance=window)
    m["delta_ms"] = m["timestamp"] - m["ui_ts"]
    m[["api_id", "ui_id", "sessionId", "delta_ms", "method", "url", "statusCode"]].to_json(out, orient="records", lines=True)


if __name__ == "__main__":
    main()
