"""The seed text format: ``# title``, header lines, ``---``, body paragraphs.

Tolerant of what real files do: a byte-order mark, leading blank lines, trailing double spaces as
line breaks, CRLF line ends, a missing ``---`` separator (then the header is empty and the whole
rest is body).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import DocumentError, EmptyDocumentError
from ..model import Document

__all__ = ["read_bytes", "read_text_document", "parse_text"]

_SEPARATOR = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")


def read_bytes(path: Path) -> bytes:
    """The bytes of a source file; an unreadable file is a DocumentError naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot be read: {exc.strerror or exc}") from exc


def read_text_document(path: Path) -> Document:
    """Read and parse one text file; errors name the file and the problem."""
    return parse_text(read_bytes(path), source=str(path), name=path.name)


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise EmptyDocumentError(source, "the file is empty")
    if b"\x00" in data:
        raise DocumentError(source, "binary data (NUL bytes), not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(source, f"not UTF-8 text (invalid byte at offset {exc.start})") from exc
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise DocumentError(source, "binary data (control characters), not a text document")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs at blank lines; a line ending in two spaces is a hard break."""
    paragraphs: list[str] = []
    current = ""
    hard_break = False
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current:
            current += "\n" if hard_break else " "
        current += line.strip()
        hard_break = raw.endswith("  ")
    if current:
        paragraphs.append(current)
    return paragraphs


def parse_text(data: bytes, source: str, name: str | None = None, url: str | None = None) -> Document:
    """Parse the bytes of a seed-format document."""
    text = _decode(data, source)
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise EmptyDocumentError(source, "the file contains only white space")
    first = lines[i].strip()
    if not first.startswith("#") or not first.lstrip("#").strip():
        raise DocumentError(source, f"no title: the first line must be '# <title>', found {first[:60]!r}")
    title = first.lstrip("#").strip()
    rest = lines[i + 1:]
    sep = next((k for k, line in enumerate(rest) if _SEPARATOR.match(line)), None)
    if sep is None:
        header_lines: list[str] = []
        body_lines = rest
    else:
        header_lines = rest[:sep]
        body_lines = rest[sep + 1:]
    header = tuple(p for p in (line.strip() for line in header_lines) if p)
    paragraphs = tuple(_paragraphs(body_lines))
    if not paragraphs:
        raise DocumentError(source, "no body text after the header")
    return Document(
        source=source,
        name=name or Path(source).name,
        sha256=hashlib.sha256(data).hexdigest(),
        title=title,
        header=header,
        paragraphs=paragraphs,
        url=url,
    )
