"""Dates as statements write them → ISO 8601 (``yyyy-mm-dd``, or ``yyyy-mm`` for a month)."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["parse_date", "find_date"]

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # January 23, 2019 / Jan. 23 2019
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 23 January 2019
    re.compile(rf"\b{_YEAR}-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),  # 2019-01-23
]
_MONTH_ONLY = re.compile(rf"^\s*{_MONTH}\s+{_YEAR}\s*$", re.I)


def _iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    month = int(g["mnum"]) if g.get("mnum") else _MONTHS[g["month"].lower()]
    try:
        return date(int(g["year"]), month, int(g["day"])).isoformat()
    except ValueError:
        return None


def parse_date(line: str) -> str | None:
    """The date a header line consists of (a little leading/trailing text allowed), else None."""
    text = line.strip()
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m and len(text) - len(m.group(0)) <= 24:
            return _iso(m)
    m = _MONTH_ONLY.match(text)
    if m:
        return f"{m.group('year')}-{_MONTHS[m.group('month').lower()]:02d}"
    return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date anywhere in ``text`` with its span."""
    best: tuple[str, int, int] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m)
            if iso and (best is None or m.start() < best[1]):
                best = (iso, m.start(), m.end())
            break
    return best
