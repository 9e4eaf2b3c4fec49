"""Ingest: a source file in, :class:`~communique.model.Document` records out.

One reader per input format, chosen by file suffix through the ``READERS`` table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import DocumentError
from ..model import Document
from .text import read_text_document

__all__ = ["READERS", "read_document", "discover"]

#: suffix → reader of one file
READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_text_document,
    ".md": read_text_document,
}


def read_document(path: str | Path) -> Document:
    """Read one source file with the reader its suffix selects."""
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise DocumentError(p, f"unsupported file type {p.suffix or '(none)'!r}; "
                               f"expected one of {', '.join(sorted(READERS))}")
    return reader(p)


def discover(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Expand directories to the readable files below them (sorted); files pass through.

    Sidecar files (``*.truth.json`` and other suffixes without a reader) inside directories are
    ignored; a file named explicitly is always yielded, so an unsupported one is reported.
    """
    for source in sources:
        p = Path(source)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS)
        else:
            yield p
