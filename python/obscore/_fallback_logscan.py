"""The pure-Python `logscan` level counts (used when no obscore binary is available): format
detection, record boundaries, levels, severities, first/last timestamps and the time histogram,
exactly as obscore-logscan(1) computes them. libs/logscan/src/formats.cpp, daemons.cpp and scanner.cpp
are the reference; every header parser is restated here line for line, on bytes decoded as Latin-1
so that one character is one byte. Learned formats are in _fallback_learn.py (learn.cpp). Patterns,
templates, top errors, --header and --records need the binary.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import os
import zlib
from typing import Optional

K_SAMPLE = 256 << 10
# libs/logscan/src/formats.cpp's kFormatNames, in its order (detection ties go to the earlier one;
# the formats up to "iso" are detected).
FORMATS = ["docker", "json", "logfmt", "syslog5424", "syslog3164", "apache", "nginx", "access", "logcat", "hdfs",
           "spark", "python", "redis", "mysql", "postgres", "iso", "custom", "plain", "learned"]
FORMAT_ALIASES = {"log4j": "iso", "iso8601": "iso", "syslog": "syslog3164", "android": "logcat", "jsonl": "json",
                  "ndjson": "json", "postgresql": "postgres", "pg": "postgres", "mariadb": "mysql",
                  "clf": "access", "combined": "access", "common": "access"}
SEVERITIES = ["trace", "debug", "info", "notice", "warn", "error", "fatal", "none"]
TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, FATAL, NONE = range(8)
NO_TIME = None

_WORDS = {
    "trace": TRACE, "trc": TRACE, "finest": TRACE, "finer": TRACE, "verbose": TRACE, "debug": DEBUG, "dbg": DEBUG,
    "fine": DEBUG, "info": INFO, "inf": INFO, "information": INFO, "informational": INFO, "notice": NOTICE,
    "warn": WARN, "warning": WARN, "wrn": WARN, "error": ERROR, "err": ERROR, "severe": ERROR, "fatal": FATAL,
    "critical": FATAL, "crit": FATAL, "alert": FATAL, "emerg": FATAL, "emergency": FATAL, "panic": FATAL,
    "ftl": FATAL, "failure": ERROR,
}
_FAST = {"INFO": INFO, "WARN": WARN, "ERROR": ERROR, "DEBUG": DEBUG, "TRACE": TRACE, "FATAL": FATAL}
_SYSLOG_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]
_SYSLOG_MAP = [FATAL, FATAL, FATAL, ERROR, WARN, NOTICE, INFO, DEBUG]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PUNCT = set("[](){}<>:|,;-=\"'")
_ALNUM = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def parse_severity(token: str) -> Optional[int]:
    if len(token) < 3 or len(token) > 13:
        return None
    if token in _FAST:
        return _FAST[token]
    # ASCII case folding only (`| 0x20`), as the C++ does.
    folded = "".join(chr(ord(c) | 0x20) if ord(c) < 128 else c for c in token)
    return _WORDS.get(folded)


class Header:
    __slots__ = ("level", "severity", "ts", "msg")

    def __init__(self) -> None:
        self.level = ""
        self.severity = NONE
        self.ts: Optional[int] = NO_TIME
        self.msg = ""


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_alpha(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z"


def _digits(s: str, pos: int, n: int) -> Optional[tuple[int, int]]:
    if pos + n > len(s):
        return None
    chunk = s[pos:pos + n]
    if not all(_is_digit(c) for c in chunk):
        return None
    return int(chunk), pos + n


def _expect(s: str, pos: int, c: str) -> Optional[int]:
    return pos + 1 if pos < len(s) and s[pos] == c else None


def _skip_spaces(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in " \t":
        pos += 1
    return pos


def _month(m: str) -> int:
    return _MONTHS.index(m[:3]) + 1 if len(m) >= 3 and m[:3] in _MONTHS else 0


def _clock(s: str, pos: int) -> Optional[tuple[int, int, int, int]]:
    """HH:MM:SS with an optional .fraction or ,fraction: (hh, mm, ss, end) or None."""
    parts = []
    for k in range(3):
        if k and _expect(s, pos, ":") is None:
            return None
        r = _digits(s, pos + (1 if k else 0), 2)
        if r is None:
            return None
        parts.append(r[0])
        pos = r[1]
    hh, mm, ss = parts
    return _clock_end(s, hh, mm, ss, pos)


def _clock_end(s: str, hh: int, mm: int, ss: int, pos: int) -> Optional[tuple[int, int, int, int]]:
    """After HH:MM:SS at pos: an optional .fraction or ,fraction skipped, the fields range-checked
    (a leap second allowed): (hh, mm, ss, end) or None."""
    if pos + 1 < len(s) and s[pos] in ".," and _is_digit(s[pos + 1]):
        pos += 1
        while pos < len(s) and _is_digit(s[pos]):
            pos += 1
    if not (hh < 24 and mm < 60 and ss <= 60):
        return None
    return hh, mm, ss, pos


def _space_clock(s: str, pos: int) -> Optional[tuple[int, int, int, int]]:
    """" HH:MM:SS" at pos (the day-then-time of BSD syslog and Apache stamps)."""
    return None if _expect(s, pos, " ") is None else _clock(s, pos + 1)


def civil_to_epoch(y: int, m: int, d: int, hh: int, mm: int, ss: int) -> int:
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return days * 86400 + hh * 3600 + mm * 60 + ss


def parse_iso_time(s: str) -> tuple[Optional[int], int]:
    """(epoch seconds or None, characters used)."""
    r = _digits(s, 0, 4)
    if r is None:
        return None, 0
    y, pos = r
    if pos >= len(s) or s[pos] not in "-/":
        return None, 0
    sep = s[pos]
    pos += 1
    r = _digits(s, pos, 2)
    if r is None:
        return None, 0
    mo, pos = r
    if _expect(s, pos, sep) is None:
        return None, 0
    r = _digits(s, pos + 1, 2)
    if r is None:
        return None, 0
    d, pos = r
    if pos >= len(s) or s[pos] not in "T _":
        return None, 0
    c = _clock(s, pos + 1)
    if c is None:
        return None, 0
    hh, mm, ss, pos = c
    if mo < 1 or mo > 12 or d < 1 or d > 31:
        return None, 0
    t = civil_to_epoch(y, mo, d, hh, mm, ss)
    if pos < len(s) and s[pos] == "Z":
        pos += 1
    elif pos < len(s) and s[pos] in "+-" and pos + 3 <= len(s) and _is_digit(s[pos + 1]):
        sign = 1 if s[pos] == "+" else -1
        p = pos + 1
        r = _digits(s, p, 2)
        if r is not None:
            oh, p = r
            if p < len(s) and s[p] == ":":
                p += 1
            r2 = _digits(s, p, 2)
            om = 0
            if r2 is not None:
                om, p = r2
            t -= sign * (oh * 3600 + om * 60)
            pos = p
    return t, pos


def _trim_punct(t: str) -> str:
    i, j = 0, len(t)
    while i < j and t[i] in _PUNCT:
        i += 1
    while j > i and (t[j - 1] in _PUNCT or t[j - 1] == "."):
        j -= 1
    return t[i:j]


def _after_level(rest: str, q: int) -> int:
    while q < len(rest) and rest[q] in " \t-:|]":
        q += 1
    return q


def _scan_level(rest: str, h: Header, max_tokens: int = 3) -> None:
    pos = 0
    while pos < len(rest) and rest[pos] == " ":
        pos += 1
    q = pos
    while q < len(rest) and q - pos < 9 and "A" <= rest[q] <= "Z":
        q += 1
    if q >= pos + 3 and q < len(rest) and rest[q] in " ]:":
        tok = rest[pos:q]
        sev = _FAST.get(tok) if len(tok) in (4, 5) else None
        if sev is None:
            sev = parse_severity(tok)
        if sev is not None:
            h.level, h.severity = tok, sev
            h.msg = rest[_after_level(rest, q):]
            return
    pos, seen = 0, 0
    while pos < len(rest) and seen < max_tokens:
        while pos < len(rest) and rest[pos] in " \t":
            pos += 1
        start = pos
        while pos < len(rest) and rest[pos] not in " \t":
            pos += 1
        tok = _trim_punct(rest[start:pos])
        if not tok:
            continue
        seen += 1
        if 3 <= len(tok) <= 11 and _is_alpha(tok[0]):
            sev = parse_severity(tok)
            if sev is not None:
                h.level, h.severity = tok, sev
                h.msg = rest[_after_level(rest, pos):]
                return
    h.msg = rest


# -- JSON lines ------------------------------------------------------------------------------

def _skip_value(s: str, pos: int) -> Optional[int]:
    if pos >= len(s):
        return None
    c = s[pos]
    if c == '"':
        pos += 1
        while pos < len(s):
            if s[pos] == "\\":
                pos += 1
            elif s[pos] == '"':
                return pos + 1
            pos += 1
        return None
    if c in "{[":
        depth = 0
        while pos < len(s):
            d = s[pos]
            if d == '"':
                r = _skip_value(s, pos)
                if r is None:
                    return None
                pos = r - 1
            elif d in "{[":
                depth += 1
            elif d in "}]":
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
        return None
    while pos < len(s) and s[pos] not in ",}] \t":
        pos += 1
    return pos


def _unquote(v: str) -> str:
    return v[1:-1] if len(v) >= 2 and v[0] == '"' and v[-1] == '"' else v


def _epoch_number(v: str) -> Optional[int]:
    d, any_ = 0.0, False
    for ch in v:
        if not _is_digit(ch):
            break
        d = d * 10 + (ord(ch) - 48)
        any_ = True
    if not any_:
        return None
    while d > 1e11:
        d /= 1000
    return int(d)


def _parse_json(line: str, h: Header) -> bool:
    pos = _skip_spaces(line, 0)
    if pos >= len(line) or line[pos] != "{":
        return False
    pos += 1
    any_key = False
    while True:
        pos = _skip_spaces(line, pos)
        if pos >= len(line):
            return any_key
        if line[pos] == "}":
            return True
        if line[pos] != '"':
            return False
        kstart = pos
        r = _skip_value(line, pos)
        if r is None:
            return False
        pos = r
        key = line[kstart + 1:pos - 1]
        pos = _skip_spaces(line, pos)
        if _expect(line, pos, ":") is None:
            return False
        pos = _skip_spaces(line, pos + 1)
        vstart = pos
        r = _skip_value(line, pos)
        if r is None:
            return False
        pos = r
        value = line[vstart:pos]
        any_key = True
        if key in ("level", "lvl", "severity", "levelname", "log.level", "loglevel", "@l", "log_level"):
            if value and _is_digit(value[0]):
                n = _epoch_number(value) or 0
                h.level = value
                h.severity = (FATAL if n >= 60 else ERROR if n >= 50 else WARN if n >= 40 else INFO if n >= 30
                              else DEBUG if n >= 20 else TRACE)
            else:
                h.level = _unquote(value)
                sev = parse_severity(h.level)
                if sev is not None:
                    h.severity = sev
        elif key in ("time", "ts", "timestamp", "@timestamp", "@t", "datetime", "date"):
            v = _unquote(value)
            if v and _is_digit(v[0]) and "-" not in v:
                h.ts = _epoch_number(v)
            else:
                h.ts = parse_iso_time(v)[0]
        elif key in ("msg", "message", "@m", "@mt"):
            h.msg = _unquote(value)
        pos = _skip_spaces(line, pos)
        if pos < len(line) and line[pos] == ",":
            pos += 1


def _parse_logfmt(line: str, h: Header) -> bool:
    pos, pairs, level_or_time = 0, 0, False
    while pos < len(line):
        pos = _skip_spaces(line, pos)
        kstart = pos
        while pos < len(line) and (line[pos] in _ALNUM or line[pos] in "_.-@"):
            pos += 1
        if pos == kstart or pos >= len(line) or line[pos] != "=":
            if pairs == 0:
                return False
            break
        key = line[kstart:pos]
        pos += 1
        vstart = pos
        if pos < len(line) and line[pos] == '"':
            pos += 1
            while pos < len(line) and line[pos] != '"':
                if line[pos] == "\\":
                    pos += 1
                pos += 1
            if pos < len(line):
                pos += 1
        else:
            while pos < len(line) and line[pos] not in " \t":
                pos += 1
        value = _unquote(line[vstart:pos])
        pairs += 1
        if key in ("level", "lvl", "severity", "loglevel"):
            h.level = value
            sev = parse_severity(value)
            if sev is not None:
                h.severity = sev
            level_or_time = True
        elif key in ("time", "ts", "t", "timestamp"):
            h.ts = parse_iso_time(value)[0]
            if h.ts is None and value and _is_digit(value[0]):
                h.ts = _epoch_number(value)
            level_or_time = True
        elif key in ("msg", "message"):
            h.msg = value
    return pairs >= 2 and level_or_time


# -- syslog ----------------------------------------------------------------------------------

def _pri(s: str, pos: int) -> tuple[int, int]:
    if pos >= len(s) or s[pos] != "<":
        return -1, pos
    p, v, n = pos + 1, 0, 0
    while p < len(s) and _is_digit(s[p]) and n < 3:
        v = v * 10 + ord(s[p]) - 48
        p += 1
        n += 1
    if n == 0 or p >= len(s) or s[p] != ">" or v > 191:
        return -1, pos
    return v % 8, p + 1


def _set_syslog(h: Header, sev: int) -> None:
    if sev >= 0:
        h.level, h.severity = _SYSLOG_NAMES[sev], _SYSLOG_MAP[sev]


def _parse_syslog5424(s: str, h: Header) -> bool:
    sev, pos = _pri(s, 0)
    if sev < 0:
        return False
    r = _digits(s, pos, 1)
    if r is None or r[0] == 0 or _expect(s, r[1], " ") is None:
        return False
    pos = r[1] + 1
    if pos < len(s) and s[pos] == "-":
        pos += 1
    else:
        ts, used = parse_iso_time(s[pos:])
        if ts is None:
            return False
        h.ts = ts
        pos += used
    _set_syslog(h, sev)
    field = 0
    while field < 4 and pos < len(s):
        pos = _skip_spaces(s, pos)
        while pos < len(s) and s[pos] != " ":
            pos += 1
        field += 1
    pos = _skip_spaces(s, pos)
    if pos < len(s) and s[pos] == "[":
        while pos < len(s) and s[pos] == "[":
            quoted = False
            pos += 1
            while pos < len(s) and (quoted or s[pos] != "]"):
                if s[pos] == "\\":
                    pos += 1
                elif s[pos] == '"':
                    quoted = not quoted
                pos += 1
            pos += 1
    elif pos < len(s) and s[pos] == "-":
        pos += 1
    pos = _skip_spaces(s, pos)
    h.msg = s[pos:] if pos < len(s) else ""
    return True


def _bsd_time(s: str, pos: int, year: int) -> Optional[tuple[int, int]]:
    if pos + 15 > len(s):
        return None
    mon = _month(s[pos:pos + 3])
    if mon == 0 or s[pos + 3] != " ":
        return None
    pos += 4
    if s[pos] == " ":
        r = _digits(s, pos + 1, 1)
    else:
        r = _digits(s, pos, 2)
    if r is None:
        return None
    day, pos = r
    c = _space_clock(s, pos)
    if c is None:
        return None
    hh, mm, ss, pos = c
    return civil_to_epoch(year, mon, day, hh, mm, ss), pos


def _parse_syslog3164(s: str, h: Header, year: int) -> bool:
    sev, pos = _pri(s, 0)
    r = _bsd_time(s, pos, year)
    if r is None:
        return False
    h.ts, pos = r
    _set_syslog(h, sev)
    pos = _skip_spaces(s, pos)
    while pos < len(s) and s[pos] != " ":
        pos += 1
    pos = _skip_spaces(s, pos)
    colon = s.find(": ", pos)
    h.msg = s[pos:] if colon < 0 else s[colon + 2:]
    return True


def _parse_apache(s: str, h: Header) -> bool:
    pos = _expect(s, 0, "[")
    if pos is None or pos + 4 > len(s) or not _is_alpha(s[pos]):
        return False
    pos += 3
    if _expect(s, pos, " ") is None:
        return False
    pos += 1
    mon = _month(s[pos:pos + 3])
    if mon == 0:
        return False
    pos += 3
    if _expect(s, pos, " ") is None:
        return False
    pos += 1
    if pos < len(s) and s[pos] == " ":
        pos += 1
    r = _digits(s, pos, 2) or _digits(s, pos, 1)
    if r is None:
        return False
    day, pos = r
    c = _space_clock(s, pos)
    if c is None:
        return False
    hh, mm, ss, pos = c
    if _expect(s, pos, " ") is None:
        return False
    r = _digits(s, pos + 1, 4)
    if r is None:
        return False
    year, pos = r
    if _expect(s, pos, "]") is None:
        return False
    pos += 1
    h.ts = civil_to_epoch(year, mon, day, hh, mm, ss)
    pos = _skip_spaces(s, pos)
    if pos < len(s) and s[pos] == "[":
        close = s.find("]", pos)
        if close >= 0:
            tag = s[pos + 1:close]
            colon = tag.rfind(":")
            if colon >= 0:
                tag = tag[colon + 1:]
            base = tag[:5] if tag.startswith("trace") else tag
            sev = parse_severity(base)
            if sev is not None:
                h.level, h.severity = tag, sev
                pos = close + 1
    pos = _skip_spaces(s, pos)
    h.msg = s[min(pos, len(s)):]
    return True


def _parse_nginx(s: str, h: Header) -> bool:
    vals = []
    pos = 0
    for n, sep in ((4, "/"), (2, "/"), (2, " ")):
        r = _digits(s, pos, n)
        if r is None or _expect(s, r[1], sep) is None:
            return False
        vals.append(r[0])
        pos = r[1] + 1
    c = _clock(s, pos)
    if c is None:
        return False
    hh, mm, ss, pos = c
    if _expect(s, pos, " ") is None or _expect(s, pos + 1, "[") is None:
        return False
    pos += 2
    close = s.find("]", pos)
    if close < 0:
        return False
    tag = s[pos:close]
    sev = parse_severity(tag)
    if sev is None:
        return False
    h.ts = civil_to_epoch(vals[0], vals[1], vals[2], hh, mm, ss)
    h.level, h.severity = tag, sev
    h.msg = s[_skip_spaces(s, close + 1):]
    return True


_LOGCAT = {"V": TRACE, "D": DEBUG, "I": INFO, "W": WARN, "E": ERROR, "F": FATAL, "A": FATAL}


def _parse_logcat(s: str, h: Header, year: int) -> bool:
    r = _digits(s, 0, 2)
    if r is None or _expect(s, r[1], "-") is None:
        return False
    mo = r[0]
    r = _digits(s, r[1] + 1, 2)
    if r is None or _expect(s, r[1], " ") is None:
        return False
    d = r[0]
    c = _clock(s, r[1] + 1)
    if c is None or mo < 1 or mo > 12:
        return False
    hh, mm, ss, pos = c
    pos = _skip_spaces(s, pos)
    if pos + 1 < len(s) and s[pos + 1] == "/" and s[pos] in _LOGCAT:
        h.level, h.severity = s[pos], _LOGCAT[s[pos]]
    else:
        for _ in range(2):
            start = pos
            while pos < len(s) and _is_digit(s[pos]):
                pos += 1
            if pos == start:
                return False
            pos = _skip_spaces(s, pos)
        if pos + 1 >= len(s) or s[pos + 1] != " " or s[pos] not in _LOGCAT:
            return False
        h.level, h.severity = s[pos], _LOGCAT[s[pos]]
    h.ts = civil_to_epoch(year, mo, d, hh, mm, ss)
    h.msg = s[pos + 2:]
    return True


def _compact_tail(s: str, pos: int, h: Header, ts: int) -> bool:
    start = pos
    while pos < len(s) and _is_alpha(s[pos]):
        pos += 1
    sev = parse_severity(s[start:pos])
    if sev is None:
        return False
    h.level, h.severity, h.ts = s[start:pos], sev, ts
    h.msg = s[_skip_spaces(s, pos):]
    return True


def _parse_hdfs(s: str, h: Header) -> bool:
    vals, pos = [], 0
    for n, sep in ((2, None), (2, None), (2, " "), (2, None), (2, None), (2, " ")):
        r = _digits(s, pos, n)
        if r is None:
            return False
        vals.append(r[0])
        pos = r[1]
        if sep is not None:
            if _expect(s, pos, sep) is None:
                return False
            pos += 1
    y, mo, d, hh, mm, ss = vals
    if mo < 1 or mo > 12 or d < 1 or d > 31:
        return False
    start = pos
    while pos < len(s) and _is_digit(s[pos]):
        pos += 1
    if pos == start:
        return False
    return _compact_tail(s, _skip_spaces(s, pos), h, civil_to_epoch(2000 + y, mo, d, hh, mm, ss))


def _parse_spark(s: str, h: Header) -> bool:
    vals, pos = [], 0
    for sep in ("/", "/", " "):
        r = _digits(s, pos, 2)
        if r is None or _expect(s, r[1], sep) is None:
            return False
        vals.append(r[0])
        pos = r[1] + 1
    c = _clock(s, pos)
    if c is None:
        return False
    hh, mm, ss, pos = c
    if _expect(s, pos, " ") is None:
        return False
    return _compact_tail(s, pos + 1, h, civil_to_epoch(2000 + vals[0], vals[1], vals[2], hh, mm, ss))


def _parse_python(s: str, h: Header) -> bool:
    for lvl in ("DEBUG:", "INFO:", "WARNING:", "ERROR:", "CRITICAL:"):
        if len(s) > len(lvl) and s.startswith(lvl):
            h.level = lvl[:-1]
            h.severity = parse_severity(h.level)  # type: ignore[assignment]
            colon = s.find(":", len(lvl))
            h.msg = s[len(lvl):] if colon < 0 else s[colon + 1:]
            return True
    return False


def _parse_iso(s: str, h: Header) -> bool:
    pos = 1 if s[:1] == "[" else 0
    ts, used = parse_iso_time(s[pos:])
    if ts is None:
        return False
    h.ts = ts
    pos += used
    if pos < len(s) and s[0] == "[" and s[pos] == "]":
        pos += 1
    _scan_level(s[pos:], h)
    return True


# -- the daemons' own logs (libs/logscan/src/daemons.cpp) ---------------------------------------

def _dig(s: str, pos: int, n: int) -> bool:
    return pos + n <= len(s) and all("0" <= c <= "9" for c in s[pos:pos + n])


def _num(s: str, pos: int, n: int) -> int:
    return int(s[pos:pos + n])


def _clock_at(s: str, pos: int) -> Optional[tuple[int, int, int, int]]:
    """daemons.cpp's clock(): "HH:MM:SS[.frac]" at pos as (hh, mm, ss, end), or None."""
    if not _dig(s, pos, 2) or pos + 8 > len(s) or s[pos + 2] != ":" or not _dig(s, pos + 3, 2) or \
            s[pos + 5] != ":" or not _dig(s, pos + 6, 2):
        return None
    hh, mm, ss = _num(s, pos, 2), _num(s, pos + 3, 2), _num(s, pos + 6, 2)
    return _clock_end(s, hh, mm, ss, pos + 8)


def _month3(s: str, pos: int) -> int:
    return _month(s[pos:pos + 3]) if pos + 3 <= len(s) else 0


_PG_WORDS = {"LOG": (INFO, False), "ERROR": (ERROR, False), "FATAL": (FATAL, False), "WARNING": (WARN, False),
             "INFO": (INFO, False), "NOTICE": (NOTICE, False), "PANIC": (FATAL, False),
             "DEBUG1": (DEBUG, False), "DEBUG2": (DEBUG, False), "DEBUG3": (DEBUG, False),
             "DEBUG4": (DEBUG, False), "DEBUG5": (DEBUG, False), "DETAIL": (NONE, True), "HINT": (NONE, True),
             "CONTEXT": (NONE, True), "STATEMENT": (NONE, True), "QUERY": (NONE, True),
             "LOCATION": (NONE, True)}


def _upper(c: str) -> bool:
    return "A" <= c <= "Z"


def _pg_word(s: str) -> Optional[tuple[str, int, bool, int]]:
    """PostgreSQL's "WORD:  " at the start or after a prefix that begins with a timestamp:
    (word, severity, secondary, message offset) or None."""
    start = 0
    while start < len(s) and s[start] in "<[ ":
        start += 1
    prefixed = _dig(s, start, 4) and parse_iso_time(s[start:])[0] is not None
    if not prefixed and _dig(s, start, 10) and start + 10 < len(s) and s[start + 10] == ".":
        prefixed = True
    limit = min(len(s), 400) if prefixed else min(len(s), 1)
    pos = 0
    while pos < limit:
        if not _upper(s[pos]) or (pos > 0 and s[pos - 1] not in " :>]\t"):
            pos += 1
            continue
        q = pos
        while q < len(s) and (_upper(s[q]) or _is_digit(s[q])):
            q += 1
        if q >= len(s) or s[q] != ":" or (q + 1 < len(s) and s[q + 1] != " "):
            pos = q + 1
            continue
        entry = _PG_WORDS.get(s[pos:q])
        if entry is not None:
            msg = q + 1
            while msg < len(s) and s[msg] == " ":
                msg += 1
            return s[pos:q], entry[0], entry[1], msg
        pos = q + 1
    return None


def _postgres_secondary(line: str) -> bool:
    w = _pg_word(line)
    return w is not None and w[2]


def _parse_postgres(s: str, h: Header) -> bool:
    w = _pg_word(s)
    if w is None or w[2]:
        return False
    start = 0
    while start < len(s) and s[start] in "<[ ":
        start += 1
    if _dig(s, start, 4):
        h.ts = parse_iso_time(s[start:])[0]
    elif _dig(s, start, 10):
        h.ts = int(s[start:start + 10])
    h.level, h.severity, h.msg = w[0], w[1], s[w[3]:]
    return True


_REDIS_LEVELS = {".": ("debug", DEBUG), "-": ("verbose", DEBUG), "*": ("notice", NOTICE), "#": ("warning", WARN)}


def _parse_redis(s: str, h: Header, year: int) -> bool:
    pos, old = 0, False
    if s[:1] == "[":
        old, pos = True, 1
    p0 = pos
    while pos < len(s) and _is_digit(s[pos]):
        pos += 1
    if pos == p0 or pos >= len(s):
        return False
    if old:
        if s[pos] != "]":
            return False
        pos += 1
    else:
        # strchr("MSCX", c) also finds the terminating NUL
        if s[pos] != ":" or pos + 2 >= len(s) or s[pos + 1] not in ("M", "S", "C", "X", "\0"):
            return False
        pos += 2
    if pos >= len(s) or s[pos] != " " or not _dig(s, pos + 1, 2) or pos + 7 > len(s) or s[pos + 3] != " ":
        return False
    day = _num(s, pos + 1, 2)
    mon = _month3(s, pos + 4)
    if mon == 0:
        return False
    pos += 7
    if pos >= len(s) or s[pos] != " ":
        return False
    pos += 1
    y = year
    if not old:
        if not _dig(s, pos, 4) or pos + 4 >= len(s) or s[pos + 4] != " ":
            return False
        y = _num(s, pos, 4)
        pos += 5
    c = _clock_at(s, pos)
    if c is None:
        return False
    hh, mm, ss, pos = c
    if pos + 2 >= len(s) or s[pos] != " " or s[pos + 2] != " ":
        return False
    lv = _REDIS_LEVELS.get(s[pos + 1])
    if lv is None:
        return False
    h.level, h.severity = lv
    h.ts = civil_to_epoch(y, mon, day, hh, mm, ss)
    h.msg = s[pos + 3:]
    return True


def _parse_mysql(s: str, h: Header) -> bool:
    if _dig(s, 0, 6) and len(s) > 7 and s[6] == " ":
        y, mo, d = 2000 + _num(s, 0, 2), _num(s, 2, 2), _num(s, 4, 2)
        pos = 7
        while pos < len(s) and s[pos] == " ":
            pos += 1
        hs = pos
        while pos < len(s) and _is_digit(s[pos]):
            pos += 1
        if pos == hs or pos - hs > 2 or pos >= len(s) or s[pos] != ":" or not _dig(s, pos + 1, 2) or \
                pos + 6 > len(s) or s[pos + 3] != ":" or not _dig(s, pos + 4, 2) or mo < 1 or mo > 12:
            return False
        h.ts = civil_to_epoch(y, mo, d, _num(s, hs, pos - hs), _num(s, pos + 1, 2), _num(s, pos + 4, 2))
        pos += 6
    else:
        ts, used = parse_iso_time(s)
        if ts is None:
            return False
        h.ts, pos = ts, used
    while pos < len(s) and s[pos] == " ":
        pos += 1
    while pos < len(s) and _is_digit(s[pos]):
        pos += 1
    while pos < len(s) and s[pos] == " ":
        pos += 1
    if pos >= len(s) or s[pos] != "[":
        return False
    close = s.find("]", pos)
    if close < 0 or close - pos > 10:
        return False
    tag = s[pos + 1:close]
    sev = {"Note": INFO, "System": NOTICE, "Warning": WARN, "ERROR": ERROR, "Error": ERROR}.get(tag)
    if sev is None:
        sev = parse_severity(tag)
        if sev is None:
            return False
    h.level, h.severity = tag, sev
    pos = close + 1
    for tags in range(2):  # MySQL 8: "[MY-010116] [Server]" after the level
        p = pos
        while p < len(s) and s[p] == " ":
            p += 1
        if p >= len(s) or s[p] != "[":
            break
        c = s.find("]", p)
        if c < 0 or c - p > 24 or " " in s[p + 1:c]:
            break
        if tags == 0 and s[p:p + 4] != "[MY-":
            break
        pos = c + 1
    while pos < len(s) and s[pos] == " ":
        pos += 1
    h.msg = s[pos:]
    return True


def _json_string(s: str, key: str) -> Optional[str]:
    """The raw (still escaped) string value of top-level `key` in a one-line JSON object; None when
    the key is missing or its value is not a string (daemons.cpp's json_string)."""
    pos = 0
    while True:
        k = s.find(key, pos)
        if k < 0:
            return None
        pos = k + len(key)
        if k == 0 or s[k - 1] != '"' or pos >= len(s) or s[pos] != '"':
            continue
        p = pos + 1
        while p < len(s) and s[p] == " ":
            p += 1
        if p >= len(s) or s[p] != ":":
            continue
        p += 1
        while p < len(s) and s[p] == " ":
            p += 1
        if p >= len(s) or s[p] != '"':
            return None
        p += 1
        v = p
        while p < len(s) and s[p] != '"':
            p += 2 if s[p] == "\\" else 1
        if p > len(s):
            return None
        return s[v:p]


def _inner_level(text: str, h: Header) -> None:
    ts, used = parse_iso_time(text)
    pos = used if ts is not None else 0
    tokens = 0
    while tokens < 3 and pos < len(text):
        tokens += 1
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        start = pos
        while pos < len(text) and text[pos] not in " \t":
            pos += 1
        tok = text[start:pos]
        i, j = 0, len(tok)
        while i < j and tok[i] in "[]<>():|-=\0":  # strchr also finds the terminating NUL
            i += 1
        while j > i and tok[j - 1] in "[]<>():|-=,\0":
            j -= 1
        tok = tok[i:j]
        if len(tok) < 3:
            continue
        sev = parse_severity(tok)
        if sev is not None:
            h.level, h.severity = tok, sev
            return


def _parse_docker(s: str, h: Header) -> bool:
    pos = 0
    while pos < len(s) and s[pos] == " ":
        pos += 1
    if pos >= len(s) or s[pos] != "{":
        return False
    log = _json_string(s, "log")
    if log is None or _json_string(s, "stream") is None:
        return False
    time = _json_string(s, "time")
    if time is not None:
        h.ts = parse_iso_time(time)[0]
    while len(log) >= 2 and log.endswith("\\n"):
        log = log[:-2]
    if len(log) >= 2 and log.endswith("\\r"):
        log = log[:-2]
    h.msg = log
    _inner_level(log, h)
    return True


def _parse_access(s: str, h: Header) -> bool:
    pos = 0
    for _ in range(3):
        start = pos
        while pos < len(s) and s[pos] != " ":
            pos += 1
        if pos == start or pos >= len(s):
            return False
        pos += 1
    if pos >= len(s) or s[pos] != "[" or not _dig(s, pos + 1, 2) or pos + 28 > len(s):
        return False
    t = pos + 1
    d, mon = _num(s, t, 2), _month3(s, t + 3)
    if s[t + 2] != "/" or mon == 0 or s[t + 6] != "/" or not _dig(s, t + 7, 4) or s[t + 11] != ":":
        return False
    y = _num(s, t + 7, 4)
    clock = _clock_at(s, t + 12)
    if clock is None:
        return False
    hh, mm, ss, c = clock
    ts = civil_to_epoch(y, mon, d, hh, mm, ss)
    if c + 6 <= len(s) and s[c] == " " and s[c + 1] in "+-" and _dig(s, c + 2, 4):
        off = _num(s, c + 2, 2) * 3600 + _num(s, c + 4, 2) * 60
        ts -= off if s[c + 1] == "+" else -off
        c += 6
    if c + 2 >= len(s) or s[c] != "]" or s[c + 1] != " " or s[c + 2] != '"':
        return False
    req = c + 2
    p = req + 1
    while p < len(s) and s[p] != '"':
        p += 2 if s[p] == "\\" else 1
    if p + 5 > len(s) or s[p + 1] != " " or not _dig(s, p + 2, 3):
        return False
    cls = s[p + 2]
    if not "1" <= cls <= "5":
        return False
    h.level = cls + "xx"
    h.severity = ERROR if cls == "5" else WARN if cls == "4" else INFO
    h.ts = ts
    h.msg = s[req:]
    return True


_PARSERS = {
    "docker": lambda s, h, y: _parse_docker(s, h), "json": lambda s, h, y: _parse_json(s, h),
    "logfmt": lambda s, h, y: _parse_logfmt(s, h), "syslog5424": lambda s, h, y: _parse_syslog5424(s, h),
    "syslog3164": _parse_syslog3164, "apache": lambda s, h, y: _parse_apache(s, h),
    "nginx": lambda s, h, y: _parse_nginx(s, h), "access": lambda s, h, y: _parse_access(s, h),
    "logcat": _parse_logcat, "hdfs": lambda s, h, y: _parse_hdfs(s, h), "spark": lambda s, h, y: _parse_spark(s, h),
    "python": lambda s, h, y: _parse_python(s, h), "redis": _parse_redis,
    "mysql": lambda s, h, y: _parse_mysql(s, h), "postgres": lambda s, h, y: _parse_postgres(s, h),
    "iso": lambda s, h, y: _parse_iso(s, h),
}
_BY_INDEX = [_PARSERS.get(name) for name in FORMATS]
_DETECTED = FORMATS.index("iso") + 1
_POSTGRES = FORMATS.index("postgres")


def format_index(name: str) -> Optional[int]:
    """The index in FORMATS of a --log-format name or alias (never custom or learned), or None."""
    name = FORMAT_ALIASES.get(name, name)
    return FORMATS.index(name) if name in FORMATS and name not in ("custom", "learned") else None


def parse_line(fmt: int, line: str, h: Header, year: int, learned: object = None) -> bool:
    """One line with format `fmt`; `learned` is the LearnedFormat when fmt is "learned"."""
    parser = _BY_INDEX[fmt]
    if parser is not None:
        return parser(line, h, year)
    if FORMATS[fmt] == "learned":
        return learned is not None and learned.parse(line, h, year)  # type: ignore[attr-defined]
    h.msg = line
    return True  # plain


def detect_format(sample: str, year: int) -> int:
    hits = [0] * _DETECTED
    lines = 0
    for line in sample.split("\n"):
        if lines >= 200:
            break
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(" \t"):
            continue
        lines += 1
        for f in range(_DETECTED):
            parser = _BY_INDEX[f]
            assert parser is not None  # every detected format has its parser
            if parser(line, Header(), year) or (f == _POSTGRES and _postgres_secondary(line)):
                hits[f] += 1
    best, best_hits = -1, 0
    for f, n in enumerate(hits):
        if n > best_hits:
            best, best_hits = f, n
    return FORMATS.index("plain") if best < 0 else best


# -- counting ----------------------------------------------------------------------------------

def scan(data: bytes, year: int, format_name: Optional[str] = None) -> dict:
    """The per-file counts of one log's bytes."""
    from . import _fallback_learn as learn
    text = data.decode("latin-1")
    sample = text[:K_SAMPLE]
    learned = None
    if format_name:
        fmt = format_index(format_name)
        if fmt is None:
            raise ValueError(f"unknown format '{format_name}'")
    else:
        fmt, learned = learn.detect(sample, year)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    levels: dict[str, int] = {}
    severity = [0] * 8
    n_lines = records = continuation = 0
    first = last = None
    minutes: dict[int, list[int]] = {}
    in_record = False
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        n_lines += 1
        h = Header()
        header = parse_line(fmt, line, h, year, learned)
        if header or not in_record:
            in_record = True
            records += 1
            if not header:
                h = Header()
            if h.level:
                levels[h.level] = levels.get(h.level, 0) + 1
            severity[h.severity] += 1
            if h.ts is not None:
                first = h.ts if first is None or h.ts < first else first
                last = h.ts if last is None or h.ts > last else last
                bucket = minutes.setdefault(h.ts // 60, [0, 0])
                bucket[0] += 1
                if ERROR <= h.severity < NONE:
                    bucket[1] += 1
        else:
            continuation += 1
    return {"format": FORMATS[fmt], "header": learned.header_regex if learned is not None else None,
            "level_words": learn.level_word_share(sample), "bytes": len(data), "lines": n_lines,
            "records": records, "continuation_lines": continuation, "levels": levels, "severity": severity,
            "first_ts": first, "last_ts": last, "minutes": minutes}


# A gate never passes blind (run.cpp's check_levels_read): a file none of whose records has a
# level, while level words appear in a sizeable share of its first lines.
LEVEL_WORD_SHARE = 0.10


def levels_unread(c: dict, gate: bool) -> Optional[str]:
    """The diagnostic for a file whose levels could not be read though its text has level words
    (an error when `gate`: --fail-on cannot judge it), or None."""
    lines, with_words = c["level_words"]
    share = with_words / lines if lines else 0.0
    if c["records"] == 0 or sum(c["severity"][:7]) != 0 or with_words < 2 or share < LEVEL_WORD_SHARE:
        return None
    msg = (f"levels could not be read (format {c['format']}), but {share * 100:.0f}% of the first {lines} lines "
           "contain level words")
    if gate:
        return msg + ("; --fail-on cannot judge this file: give its format with --header REGEX or --log-format "
                      "(or --fail-on-unknown-format ignore)")
    return msg + "; give its format with --header REGEX or --log-format"


def _rfc3339(t: Optional[int]) -> Optional[str]:
    if t is None:
        return None
    return (_dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _levels_json(levels: dict) -> dict:
    ordered = sorted(levels.items(), key=lambda kv: (-kv[1], kv[0].encode("latin-1")))
    return {k.encode("latin-1").decode("utf-8", "replace"): v for k, v in ordered}


def _severity_json(s: list) -> dict:
    out = {SEVERITIES[i]: s[i] for i in range(7)}
    out["none"] = s[7]
    return out


def counts_json(c: dict) -> dict:
    return {"bytes": c["bytes"], "lines": c["lines"], "records": c["records"],
            "continuation_lines": c["continuation_lines"], "levels": _levels_json(c["levels"]),
            "severity": _severity_json(c["severity"]), "first_ts": _rfc3339(c["first_ts"]),
            "last_ts": _rfc3339(c["last_ts"])}


def histogram_json(c: dict, bucket: str = "auto") -> dict:
    if c["first_ts"] is None:
        return {"bucket": None, "buckets": []}
    span = c["last_ts"] - c["first_ts"]
    if bucket == "auto":
        bucket = "1m" if span <= 3 * 3600 else "1h" if span <= 14 * 86400 else "1d"
    width = {"1m": 60, "1h": 3600, "1d": 86400}[bucket]
    grouped: dict[int, list[int]] = {}
    for minute, (n, severe) in c["minutes"].items():
        start = (minute * 60 // width) * width
        g = grouped.setdefault(start, [0, 0])
        g[0] += n
        g[1] += severe
    return {"bucket": bucket, "buckets": [{"start": _rfc3339(k), "records": v[0], "errors": v[1]}
                                          for k, v in sorted(grouped.items())]}


def merge_counts(total: dict, c: dict) -> None:
    for k in ("bytes", "lines", "records", "continuation_lines"):
        total[k] += c[k]
    for k, v in c["levels"].items():
        total["levels"][k] = total["levels"].get(k, 0) + v
    for i in range(8):
        total["severity"][i] += c["severity"][i]
    for key, better in (("first_ts", min), ("last_ts", max)):
        if c[key] is not None:
            total[key] = c[key] if total[key] is None else better(total[key], c[key])
    for m, (n, severe) in c["minutes"].items():
        b = total["minutes"].setdefault(m, [0, 0])
        b[0] += n
        b[1] += severe


def empty_counts() -> dict:
    return {"bytes": 0, "lines": 0, "records": 0, "continuation_lines": 0, "levels": {}, "severity": [0] * 8,
            "first_ts": None, "last_ts": None, "minutes": {}}


def read_log(path: str) -> bytes:
    """A log's bytes, gzip inflated (by magic, concatenated members) as obscore reads it."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise OSError(f"gzip: {exc}") from exc
    return data


_LOG_EXTS = (".log", ".logs", ".out", ".err", ".jsonl", ".ndjson", ".txt")
_LOG_NAMES = ("syslog", "messages", "dmesg", "auth", "kern", "daemon", "catalina")


def looks_like_log(path: str) -> bool:
    name = os.path.basename(path)
    if name.endswith(".gz"):
        name = name[:-3]
    while name and name[-1].isdigit():
        dot = name.rfind(".")
        if dot < 0 or not name[dot + 1:].isdigit() or dot + 1 >= len(name):
            break
        name = name[:dot]
    return name.endswith(_LOG_EXTS) or name in _LOG_NAMES
