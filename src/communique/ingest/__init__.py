"""Ingest: a source file in, :class:`~communique.model.Document` records out.

One reader per single-document format, chosen by file suffix through the ``READERS`` table
(seed text ``.txt``/``.md``, HTML pages ``.html``/``.htm``); :func:`read_document` reads one.

Containers hold many documents and have their own table, ``CONTAINERS`` (``.warc``,
``.warc.gz``). Their reader returns a :class:`~communique.ingest.warc.WarcResult`: ``captures``
(one :class:`~communique.ingest.warc.WarcCapture` per archived statement page: the ``document``
plus its ``target_uri``, ``capture_date`` and ``record_id``), ``skipped`` (records that are not
statement pages, counted by reason) and ``errors`` (one ``DocumentError`` per page that could
not be parsed; the others are still read). Callers that handle any path do::

    if is_container(path):
        result = read_container(path)      # WarcCapture items, skipped counts, per-page errors
    else:
        document = read_document(path)

or use :func:`read_documents`, which gives the documents of either kind as a list.
:func:`read_document` refuses a container with a ``DocumentError`` saying so. :func:`discover`
yields containers from folders too.
"""

from __future__ import annotations

import os

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import DocumentError
from ..model import Document
from .html import read_html_document
from .text import read_text_document
from .warc import WarcCapture, WarcResult, read_warc_documents

__all__ = [
    "READERS", "CONTAINERS", "WarcCapture", "WarcResult",
    "read_document", "read_documents", "read_container", "is_container", "discover",
]

#: suffix → reader of one file
READERS: dict[str, Callable[[Path], Document]] = {
    ".txt": read_text_document,
    ".md": read_text_document,
    ".html": read_html_document,
    ".htm": read_html_document,
}

#: suffix (possibly double, like ".warc.gz") → reader of a file holding many documents
CONTAINERS: dict[str, Callable[[Path], WarcResult]] = {
    ".warc": read_warc_documents,
    ".warc.gz": read_warc_documents,
}


def _container_suffix(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in sorted(CONTAINERS, key=len, reverse=True) if name.endswith(s)), None)


def is_container(path: str | Path) -> bool:
    """Whether the file holds many documents (a WARC archive) rather than one."""
    return _container_suffix(Path(path)) is not None


def read_document(path: str | Path) -> Document:
    """Read one source file with the reader its suffix selects."""
    p = Path(path)
    if is_container(p):
        raise DocumentError(p, "a web archive holds many documents; read it with read_container() "
                               "or read_documents()")
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise DocumentError(p, f"unsupported file type {p.suffix or '(none)'!r}; "
                               f"expected one of {', '.join(sorted([*READERS, *CONTAINERS]))}")
    return reader(p)


def read_container(path: str | Path) -> WarcResult:
    """Read a multi-document file with the reader its suffix selects."""
    p = Path(path)
    suffix = _container_suffix(p)
    if suffix is None:
        raise DocumentError(p, f"not a container file; expected one of {', '.join(sorted(CONTAINERS))}")
    return CONTAINERS[suffix](p)


def read_documents(path: str | Path, errors: list[DocumentError] | None = None) -> list[Document]:
    """The documents of any source file: one for a single document, every page of a container.

    A page of a container that cannot be parsed is appended to ``errors`` when a list is given;
    otherwise the first such error is raised.
    """
    if not is_container(path):
        return [read_document(path)]
    result = read_container(path)
    if errors is not None:
        errors.extend(result.errors)
    elif result.errors:
        raise result.errors[0]
    return list(result.documents)


def discover(sources: Iterable[str | Path]) -> Iterator[Path]:
    """Expand directories to the readable files below them (sorted); files pass through.

    Directories yield single documents and containers (``.warc``, ``.warc.gz``) alike; sidecar
    files (``*.truth.json`` and other suffixes without a reader) inside directories are ignored; a
    file named explicitly is always yielded, so an unsupported one is reported.
    """
    for source in sources:
        p = Path(source)
        if p.is_dir():  # os.walk reads each directory once, without a stat per file
            found = [os.path.join(root, n) for root, _, files in os.walk(p) for n in files
                     if os.path.splitext(n)[1].lower() in READERS or is_container(Path(n))]
            yield from (Path(f) for f in sorted(found, key=lambda f: f.split(os.sep)))
        else:
            yield p
