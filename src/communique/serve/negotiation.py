"""HTTP content negotiation: a parser of ``Accept`` (RFC 9110 §12.5.1) and the choice among offers.

``parse_accept`` turns a header into media ranges with their weights; entries that do not parse
(a missing subtype, a bad ``q``) are dropped rather than failing the request, as RFC 9110 lets a
server do. ``negotiate`` weighs each offer by the most specific range that matches it (a range with
parameters beats ``type/subtype``, which beats ``type/*``, which beats ``*/*``) and returns the
offer of highest weight; ties go to the server's order of preference (the order of ``offers``).
An offer of weight 0 is never chosen. ``parse_media_type`` reads a ``Content-Type``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MediaRange", "negotiate", "parse_accept", "parse_media_type", "quality"]

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAM = re.compile(rf"\s*;\s*({_TOKEN})\s*=\s*({_TOKEN}|{_QUOTED})\s*", re.ASCII)
_RANGE = re.compile(rf"\s*({_TOKEN})/({_TOKEN})", re.ASCII)
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
#: a comma that is not inside a quoted string
_SPLIT = re.compile(rf"((?:{_QUOTED}|[^,\"])*)(?:,|$)")


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype;params;q=weight``."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()
    q: float = 1.0

    def specificity(self) -> int:
        """3 with parameters, 2 for type/subtype, 1 for type/*, 0 for */*."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        """True when ``media_type`` (with optional parameters) falls in this range."""
        mtype, params = parse_media_type(media_type)
        main, _, sub = mtype.partition("/")
        if self.type != "*" and self.type != main:
            return False
        if self.subtype != "*" and self.subtype != sub:
            return False
        return all(params.get(k) == v for k, v in self.params)


def _unquote(value: str) -> str:
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _parse_params(text: str) -> list[tuple[str, str]] | None:
    """``;k=v`` pairs (keys lowercased, values unquoted), or None when the text does not parse."""
    params: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _PARAM.match(text, pos)
        if m is None:
            return None if text[pos:].strip() else params
        params.append((m.group(1).lower(), _unquote(m.group(2))))
        pos = m.end()
    return params


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header, in the order given; malformed entries dropped."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for m in _SPLIT.finditer(header):
        entry = m.group(1).strip()
        if not entry:
            continue
        head = _RANGE.match(entry)
        if head is None:
            continue
        main, sub = head.group(1).lower(), head.group(2).lower()
        if main == "*" and sub != "*":
            continue
        params = _parse_params(entry[head.end():])
        if params is None:
            continue
        q = 1.0
        own: list[tuple[str, str]] = []
        for key, value in params:
            if key == "q":  # the weight ends the media type's parameters; what follows is extensions
                q = float(value) if _QVALUE.match(value) else -1.0
                break
            own.append((key, value.lower() if key == "charset" else value))
        if q < 0:
            continue
        ranges.append(MediaRange(main, sub, tuple(own), q))
    return ranges


def parse_media_type(value: str | None) -> tuple[str, dict[str, str]]:
    """``("type/subtype", {param: value})`` of a ``Content-Type``, lowercased; ``("", {})`` if absent."""
    if not value:
        return "", {}
    head = _RANGE.match(value)
    if head is None:
        return value.strip().lower(), {}
    params = _parse_params(value[head.end():]) or []
    mtype = f"{head.group(1)}/{head.group(2)}".lower()
    return mtype, {k: (v.lower() if k == "charset" else v) for k, v in params}


def quality(ranges: Sequence[MediaRange], offer: str) -> float:
    """The weight ``ranges`` give ``offer``: that of the most specific matching range, else 0."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(offer) and (best is None or r.specificity() > best.specificity()):
            best = r
    return best.q if best is not None else 0.0


def negotiate(header: str | None, offers: Sequence[str], default: str | None = None) -> str | None:
    """The best of ``offers`` for an ``Accept`` header.

    No header (or one with no parsable entry) accepts anything: the first offer. When every offer
    weighs 0, ``default`` is returned (None lets the caller answer 406 Not Acceptable).
    """
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else default
    best, best_q = default, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best
