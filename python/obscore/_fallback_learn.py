"""Learned log formats for the pure-Python `logscan` fallback, restated from
libs/logscan/src/learn.cpp: when no built-in format reads a file's levels, the first lines are split
into whitespace fields, the field position holding a level word in most of them is the level field,
and each field before it gets the most specific shape all those lines agree on. Also the
"level words in the text" share behind the rule that a gate never passes blind. Strings are the
file's bytes decoded as Latin-1 (one character per byte), as in _fallback_logscan.
"""

from __future__ import annotations

import re
from typing import Optional

from . import _fallback_logscan as L

MAX_FIELDS = 16
MAX_LINES = 200

# FieldKind, in the C++ enum's order.
ANY, NUMBER, EPOCH, ISO_DATETIME, DB2, ISO_DATE, DOT_DATE, CLOCK, MONTH = range(9)
KIND_ORDER = (DB2, ISO_DATETIME, ISO_DATE, DOT_DATE, CLOCK, EPOCH, MONTH, NUMBER)  # most specific first

_FIELD = re.compile(r"[^ \t]+")
_LEVEL_PUNCT = frozenset("[](){}<>:|,;-=\"'.*")


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _all_digits(t: str) -> bool:
    return bool(t) and all("0" <= c <= "9" for c in t)


def _dig(s: str, pos: int, n: int) -> bool:
    return pos + n <= len(s) and all("0" <= c <= "9" for c in s[pos:pos + n])


def _num(s: str, pos: int, n: int) -> int:
    v = 0  # as the C++ computes it, whatever the characters
    for c in s[pos:pos + n]:
        v = v * 10 + ord(c) - 48
    return v


def trim_wrap(t: str) -> str:
    i, j = 0, len(t)
    while i < j and t[i] in "[(<":
        i += 1
    while j > i and t[j - 1] in "])>:,;":
        j -= 1
    return t[i:j]


def trim_level(t: str) -> str:
    i, j = 0, len(t)
    while i < j and t[i] in _LEVEL_PUNCT:
        i += 1
    while j > i and t[j - 1] in _LEVEL_PUNCT:
        j -= 1
    return t[i:j]


def _clock_at(s: str, pos: int, whole: bool) -> Optional[tuple[int, int, int, int]]:
    """learn.cpp's clock_at: (hh, mm, ss, end) or None; the whole rest when `whole`."""
    if not _dig(s, pos, 2) or pos + 8 > len(s) or s[pos + 2] != ":" or not _dig(s, pos + 3, 2) or \
            s[pos + 5] != ":" or not _dig(s, pos + 6, 2):
        return None
    hh, mm, ss = _num(s, pos, 2), _num(s, pos + 3, 2), _num(s, pos + 6, 2)
    p = pos + 8
    if p + 1 < len(s) and s[p] in ".," and _is_digit(s[p + 1]):
        p += 1
        while p < len(s) and _is_digit(s[p]):
            p += 1
    if whole and p != len(s):
        return None
    if not (hh < 24 and mm < 60 and ss <= 60):
        return None
    return hh, mm, ss, p


def _date_at(s: str, sep: str) -> Optional[tuple[int, int, int]]:
    if len(s) < 10 or not _dig(s, 0, 4) or s[4] != sep or not _dig(s, 5, 2) or s[7] != sep or not _dig(s, 8, 2):
        return None
    y, m, d = _num(s, 0, 4), _num(s, 5, 2), _num(s, 8, 2)
    return (y, m, d) if 1 <= m <= 12 and 1 <= d <= 31 else None


def epoch_of(t: str) -> Optional[int]:
    n = 0
    while n < len(t) and _is_digit(t[n]):
        n += 1
    if n not in (9, 10, 12, 13, 16, 19):
        return None
    if n < len(t):  # a fraction after seconds only: 1117838570.123
        if n > 10 or t[n] != "." or not _all_digits(t[n + 1:]):
            return None
    v = int(t[:n])
    if n >= 12:
        v //= 1000 if n <= 13 else 1000000 if n == 16 else 1000000000
    if v < 100_000_000 or v > 4_102_444_800:  # 1973 .. 2100
        return None
    return v


def is_kind(raw: str, k: int) -> bool:
    t = trim_wrap(raw)
    if k == ANY:
        return True
    if k == NUMBER:
        return _all_digits(t)
    if k == EPOCH:
        return epoch_of(t) is not None
    if k == ISO_DATETIME:
        if len(t) < 19 or t[10] not in "T_":
            return False
        ts, used = L.parse_iso_time(t)
        return ts is not None and used == len(t)
    if k == DB2:
        return (_date_at(t, "-") is not None and len(t) >= 19 and t[10] == "-" and _dig(t, 11, 2) and t[13] == "."
                and _dig(t, 14, 2) and t[16] == "." and _dig(t, 17, 2)
                and (len(t) == 19 or (t[19] == "." and _all_digits(t[20:]))))
    if k == ISO_DATE:
        return len(t) == 10 and (_date_at(t, "-") is not None or _date_at(t, "/") is not None)
    if k == DOT_DATE:
        return len(t) == 10 and _date_at(t, ".") is not None
    if k == CLOCK:
        return _clock_at(t, 0, True) is not None
    if k == MONTH:
        return 3 <= len(t) <= 9 and L._month(t) != 0 and "A" <= t[0] <= "Z"
    return False


def _kind_mask(field: str) -> int:
    m = 0
    for k in KIND_ORDER:
        if is_kind(field, k):
            m |= 1 << k
    return m


def learned_severity(token: str) -> Optional[int]:
    return L.parse_severity(token) if len(token) >= 3 else None


def parse_any_time(s: str, year: int) -> Optional[int]:
    i, j = 0, len(s)
    while i < j and s[i] in " [":
        i += 1
    while j > i and s[j - 1] in " ]":
        j -= 1
    s = s[i:j]
    if not s:
        return None
    if _all_digits(s[:9]) and len(s) >= 9 and (len(s) < 10 or s[4] != "-"):
        e = epoch_of(s)
        if e is not None:
            return e
    if is_kind(s, DB2):
        y, m, d = _date_at(s, "-") or (0, 0, 0)
        return L.civil_to_epoch(y, m, d, _num(s, 11, 2), _num(s, 14, 2), _num(s, 17, 2))
    if len(s) >= 19:
        date = _date_at(s, ".")
        if date is not None and s[10] in " -T":
            c = _clock_at(s, 11, False)
            if c is not None:
                return L.civil_to_epoch(*date, c[0], c[1], c[2])
    iso = L.parse_iso_time(s)[0]
    if iso is not None:
        return iso
    mon = L._month(s)
    if mon != 0 and "A" <= s[0] <= "Z":  # Mmm dd HH:MM:SS (syslog), optionally followed by the year
        p = 3
        while p < len(s) and s[p] != " ":
            p += 1
        while p < len(s) and s[p] == " ":
            p += 1
        dstart = p
        while p < len(s) and _is_digit(s[p]):
            p += 1
        if p == dstart or p - dstart > 2:
            return None
        d = _num(s, dstart, p - dstart)
        while p < len(s) and s[p] == " ":
            p += 1
        c = _clock_at(s, p, False)
        if c is None:
            return None
        hh, mm, ss, end = c
        yy = year
        if end + 5 <= len(s) and s[end] == " " and _dig(s, end + 1, 4):
            yy = _num(s, end + 1, 4)
        return L.civil_to_epoch(yy, mon, d, hh, mm, ss)
    return None


def _field_time(k: int, t: str, clock_field: str, year: int) -> Optional[int]:
    t = trim_wrap(t)
    if k == EPOCH:
        return epoch_of(t)
    if k == DB2:
        return L.civil_to_epoch(_num(t, 0, 4), _num(t, 5, 2), _num(t, 8, 2), _num(t, 11, 2), _num(t, 14, 2),
                                _num(t, 17, 2))
    if k in (ISO_DATE, DOT_DATE):
        c = trim_wrap(clock_field)
        return L.civil_to_epoch(_num(t, 0, 4), _num(t, 5, 2), _num(t, 8, 2), _num(c, 0, 2), _num(c, 3, 2),
                                _num(c, 6, 2))
    return parse_any_time(t, year)


_KIND_REGEX = {
    ANY: r"\S+", NUMBER: r"\d+", EPOCH: r"\d{9,19}(?:\.\d+)?",
    ISO_DATETIME: r"\d{4}-\d{2}-\d{2}[T_]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
    DB2: r"\d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}(?:\.\d+)?", ISO_DATE: r"\d{4}[-/]\d{2}[-/]\d{2}",
    DOT_DATE: r"\d{4}\.\d{2}\.\d{2}", CLOCK: r"\d{2}:\d{2}:\d{2}(?:[.,]\d+)?", MONTH: r"[A-Z][a-z]{2,8}",
}


class LearnedFormat:
    """Fields 0..len(fields)-1 have the given shapes; field len(fields) holds the level."""

    def __init__(self, fields: list[int]) -> None:
        self.fields = fields
        self.has_level = True
        self.ts_field = -1
        self.ts_count = 0
        self.header_regex = ""

    def choose_timestamp(self) -> None:
        k = self.fields
        for i in range(len(k)):
            if k[i] in (EPOCH, ISO_DATETIME, DB2):
                self.ts_field, self.ts_count = i, 1
                return
            if k[i] in (ISO_DATE, DOT_DATE) and i + 1 < len(k) and k[i + 1] == CLOCK:
                self.ts_field, self.ts_count = i, 2
                return
            if k[i] == MONTH and i + 2 < len(k) and k[i + 1] == NUMBER and k[i + 2] == CLOCK:
                self.ts_field, self.ts_count = i, 3
                return

    def build_regex(self) -> str:
        re_ = "^"
        open_, close = r"[\[(<]?", r"[\])>]?[:,;]?"
        n = len(self.fields)
        for i, k in enumerate(self.fields):
            if i > 0:
                re_ += r"\s+"
            if k == ANY:
                re_ += _KIND_REGEX[k]
                continue
            inner_ts = self.ts_field < i < self.ts_field + self.ts_count
            if not inner_ts:
                re_ += open_
            if i == self.ts_field:
                re_ += "(?P<ts>"
            re_ += _KIND_REGEX[k]
            if i == self.ts_field + self.ts_count - 1 and self.ts_count > 0:
                re_ += ")"
            if not (self.ts_field <= i < self.ts_field + self.ts_count - 1):
                re_ += close
        if self.has_level:
            if n > 0:
                re_ += r"\s+"
            re_ += r"[^\w\s]*(?P<level>[A-Za-z]+)[^\w\s]*"
        re_ += r"\s*(?P<msg>.*)"
        return re_

    def parse(self, line: str, h: "L.Header", year: int) -> bool:
        n = len(self.fields)
        want = n + (1 if self.has_level else 0)
        spans: list[tuple[int, int]] = []
        typed = False
        epoch = None
        for m in _FIELD.finditer(line):
            if len(spans) >= want:
                break
            tok = m.group()
            got = len(spans)
            if got < n:
                k = self.fields[got]
                if k == EPOCH:
                    typed = True
                    epoch = epoch_of(trim_wrap(tok))
                    if epoch is None:
                        return False
                elif k != ANY:
                    typed = True
                    if not is_kind(tok, k):
                        return False
            spans.append(m.span())
        if len(spans) < n:
            return False
        rest = 0 if n == 0 else spans[n - 1][1]
        if self.has_level and len(spans) > n:
            a, b = spans[n]
            raw = line[a:b]
            tok = trim_level(raw)
            sev = learned_severity(tok)
            if sev is not None:
                h.level, h.severity = tok, sev
                rest = b
            elif not typed:
                return False  # nothing but the level marks a header here
        elif not typed:
            return False
        if self.ts_count > 0:
            first, last = spans[self.ts_field], spans[self.ts_field + self.ts_count - 1]
            k = self.fields[self.ts_field]
            if self.ts_count == 3:
                h.ts = parse_any_time(trim_wrap(line[first[0]:last[1]]), year)
            elif k == EPOCH:
                h.ts = epoch
            else:
                h.ts = _field_time(k, line[first[0]:first[1]], line[last[0]:last[1]], year)
        while rest < len(line) and line[rest] in " \t:-|":
            rest += 1
        h.msg = line[rest:]
        return True


def sample_lines(sample: str) -> list[str]:
    """The first non-blank lines of a sample (at most 200), CR stripped."""
    out: list[str] = []
    for line in sample.split("\n"):
        if len(out) >= MAX_LINES:
            break
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(" \t"):
            continue
        out.append(line)
    return out


def learn_format(sample: str, year: int) -> Optional[LearnedFormat]:
    del year  # as in the C++: the shapes do not depend on it
    lines = [_FIELD.findall(line)[:MAX_FIELDS] for line in sample_lines(sample)]
    if len(lines) < 2:
        return None
    count = [0] * MAX_FIELDS
    for fields in lines:
        for i, f in enumerate(fields):
            if learned_severity(trim_level(f)) is not None:
                count[i] += 1
    best = 0
    for i in range(MAX_FIELDS):
        if count[i] > count[best]:
            best = i
    hits = count[best]
    if hits < 2 or hits * 4 < len(lines):
        return None
    masks = [~0] * best
    for fields in lines:
        if len(fields) <= best or learned_severity(trim_level(fields[best])) is None:
            continue
        for i in range(best):
            masks[i] &= _kind_mask(fields[i])
    kinds = []
    for i in range(best):
        kinds.append(next((k for k in KIND_ORDER if masks[i] & (1 << k)), ANY))
    f = LearnedFormat(kinds)
    f.choose_timestamp()
    accepted = with_level = 0
    for line in sample_lines(sample):
        h = L.Header()
        if f.parse(line, h, 2000):
            accepted += 1
            if h.severity != L.NONE:
                with_level += 1
    if accepted == 0 or with_level * 2 < accepted:
        return None
    typed = any(k != ANY for k in kinds)
    if not typed and hits * 2 < len(lines):
        return None
    f.header_regex = f.build_regex()
    return f


def detect(sample: str, year: int) -> tuple[int, Optional[LearnedFormat]]:
    """(format index in L.FORMATS, learned format or None): built-in detection, then learning when
    the built-in format accepts fewer than half of the first lines or reads a level in fewer than
    half of those it accepts, and the learned format reads levels in more lines."""
    fmt = L.detect_format(sample, year)
    plain = L.FORMATS.index("plain")
    accepted = with_level = 0
    lines = sample_lines(sample)
    for line in lines:
        h = L.Header()
        if fmt != plain and L.parse_line(fmt, line, h, year):
            accepted += 1
            if h.severity != L.NONE:
                with_level += 1
    if accepted * 2 >= len(lines) and with_level * 2 >= accepted:
        return fmt, None
    learned = learn_format(sample, year)
    if learned is None:
        return fmt, None
    learned_levels = 0
    for line in lines:
        h = L.Header()
        if learned.parse(line, h, year) and h.severity != L.NONE:
            learned_levels += 1
    if learned_levels <= with_level:
        return fmt, None
    return L.FORMATS.index("learned"), learned


def level_word_share(sample: str) -> tuple[int, int]:
    """(lines, lines with a level word where a level would be written) of the first lines."""
    lines = sample_lines(sample)
    with_words = 0
    word = re.compile(r"[A-Za-z]+")
    for line in lines:
        for m in word.finditer(line):
            w = m.group()
            if len(w) < 3 or len(w) > 8 or learned_severity(w) is None:
                continue
            start, end = m.span()
            upper = all("A" <= c <= "Z" for c in w)
            before = line[start - 1] if start > 0 else " "
            after = line[end] if end < len(line) else " "
            if upper or before in "[<|=" or after in ":]>|":
                with_words += 1
                break
    return len(lines), with_words
