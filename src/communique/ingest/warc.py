"""WARC web archives (plain or gzipped): every captured HTML statement page, with its provenance.

A ``response`` record with HTTP status 200 and an HTML content type becomes a
:class:`~communique.model.Document` (through :func:`~communique.ingest.html.parse_html`) wrapped
in a :class:`WarcCapture` that keeps the target URI, the capture date and the record id. Every
other record is counted in ``skipped`` by reason ("request", "metadata", "status 404",
"non-html", ...); an HTML page that cannot be parsed is collected in ``errors`` and the others
continue. A truncated or corrupt archive raises :class:`~communique.errors.DocumentError`.
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import DocumentError, EmptyDocumentError
from ..model import Document
from .html import parse_html

__all__ = ["WarcCapture", "WarcResult", "read_warc_documents", "HTML_TYPES"]

#: media types read as HTML pages
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcCapture:
    """One statement page as archived: the document and where and when it was captured."""

    document: Document
    target_uri: str  #: WARC-Target-URI, the address of the captured page
    capture_date: str  #: WARC-Date, ISO 8601 as written in the record (e.g. "2019-01-23T21:04:00Z")
    record_id: str  #: WARC-Record-ID without its angle brackets (e.g. "urn:uuid:…")


@dataclass(frozen=True)
class WarcResult:
    """What one archive gave: captures in archive order, skipped records by reason, page errors."""

    captures: tuple[WarcCapture, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)
    errors: tuple[DocumentError, ...] = ()

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(c.document for c in self.captures)


def _skip_reason(record: ArcWarcRecord) -> str | None:
    """Why a record is not a statement page, or None when it is one."""
    if record.rec_type != "response":
        return record.rec_type or "unknown"
    http = record.http_headers
    if http is None:
        return "no http headers"
    status = http.get_statuscode()
    if status != "200":
        return f"status {status}"
    media = (http.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    return None if media in HTML_TYPES else "non-html"


def _charset(record: ArcWarcRecord) -> str | None:
    for param in (record.http_headers.get_header("Content-Type") or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip(' "\''):
            return value.strip(' "\'')
    return None


def _page_name(uri: str, record_id: str) -> str:
    segment = urlsplit(uri).path.rstrip("/").rsplit("/", 1)[-1]
    return segment or urlsplit(uri).netloc or record_id


def _check_gzip(path: Path) -> None:
    """warcio stops quietly at a cut gzip member; decompress the whole file once to notice."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DocumentError(path, f"truncated or corrupt gzip data: {exc}") from exc


def _check_record(path: Path, record: ArcWarcRecord, number: int) -> None:
    """A record cut short or without its mandatory headers means a damaged archive."""
    if record.format != "warc":
        raise DocumentError(path, f"not a WARC archive (record {number} is {record.format or 'unknown'})")
    for name in ("WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length"):
        if not record.rec_headers.get_header(name):
            raise DocumentError(path, f"record {number} has no {name} header (truncated or corrupt)")
    while record.raw_stream.read(1 << 16):
        pass
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise DocumentError(path, f"record {number} is truncated ({record.raw_stream.limit} bytes missing)")


def read_warc_documents(path: Path) -> WarcResult:
    """Read every statement page of one WARC file; errors name the file (and the record)."""
    path = Path(path)
    captures: list[WarcCapture] = []
    errors: list[DocumentError] = []
    skipped: Counter[str] = Counter()
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
            if not magic:
                raise EmptyDocumentError(path, "the file is empty")
            if magic == b"\x1f\x8b":
                _check_gzip(path)
            fh.seek(0)
            for number, record in enumerate(ArchiveIterator(fh), 1):
                reason = _skip_reason(record)
                document = None
                if reason is None:
                    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ")
                    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                    payload = record.content_stream().read()
                    try:
                        document = parse_html(payload, source=f"{path}#{record_id}", url=uri or None,
                                              name=_page_name(uri, record_id), charset=_charset(record))
                    except DocumentError as exc:
                        errors.append(exc)
                _check_record(path, record, number)
                if reason is not None:
                    skipped[reason] += 1
                elif document is not None:
                    captures.append(WarcCapture(document, uri, record.rec_headers.get_header("WARC-Date"),
                                                record_id))
    except OSError as exc:
        raise DocumentError(path, f"cannot be read: {exc.strerror or exc}") from exc
    except (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError) as exc:
        problem = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(path, f"not a readable WARC archive (truncated or corrupt): {problem}") from exc
    return WarcResult(tuple(captures), dict(skipped), tuple(errors))
