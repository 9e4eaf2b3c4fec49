"""Sentence segmentation with code-point offsets, aware of the abbreviations statements use."""

from __future__ import annotations

import re

from ..model import Evidence

__all__ = ["sentences", "evidence"]

_ABBREVIATIONS = {
    "u.s", "u.n", "u.k", "e.u", "d.c", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col",
    "sen", "rep", "amb", "gov", "no", "nos", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "vs", "etc", "approx", "dept",
}
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s+[\"'\u201c\u2018(]?[A-Z0-9])|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``; white space is never part of a span."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group(0) != "\n":
            word = re.search(r"([\w.]+)[.!?][\"'\u201d\u2019)]*$", text[start:end])
            if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
        _append(text, start, end, spans)
        start = end
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def evidence(text: str, start: int, end: int, context: int = 32) -> Evidence:
    """The Web Annotation quote of ``text[start:end]`` with prefix and suffix."""
    return Evidence(exact=text[start:end], start=start, end=end,
                    prefix=text[max(0, start - context):start], suffix=text[end:end + context])
