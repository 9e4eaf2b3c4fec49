"""The static site as the server sees it: documents, resources and their variants, redirects, gone.

A request path relative to the base IRI's path, ``P``, is one of:

- a document: a file of the site (``P.ttl``, ``index.html``, ``dumps/…``, ``.well-known/void``), or
  ``P.rdf`` made on the fly from ``P.ttl`` with rdflib (cached by file and modification time);
- a resource IRI: no file ``P`` but at least one of ``P.html``/``P.ttl``/``P.jsonld``/``P.nt``;
- an IRI described inside a statement's document (``annotation/``, ``attribution/``, ``source/``,
  ``activity/`` + the statement's key and a suffix), whose statement path the key spells;
- withdrawn, when ``gone.txt`` of the site lists it (one path per line, ``#`` comments);
- nothing.

Dot segments (``..``, ``.htaccess``) are never served; ``.well-known`` is the one dot folder that is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from ..errors import DocumentError
from ..namespaces import PREFIXES

__all__ = ["MEDIA_TYPES", "VARIANTS", "DocumentFile", "Site", "statement_candidates"]

MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json", ".nt": "application/n-triples", ".rdf": "application/rdf+xml",
    ".nq": "application/n-quads", ".trig": "application/trig", ".gz": "application/gzip",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".json": "application/json",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".csv": "text/csv; charset=utf-8",
    ".rq": "application/sparql-query", ".conf": "text/plain; charset=utf-8",
}
#: files without a suffix whose type is known
_NAMED_TYPES = {".well-known/void": "text/turtle; charset=utf-8"}
#: a resource's documents, in the server's order of preference (HTML first, as the static rules)
VARIANTS: tuple[tuple[str, str], ...] = (
    ("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"), ("application/rdf+xml", ".rdf"),
)
_DESCRIBED = ("annotation/", "attribution/", "activity/", "source/")
_SUFFIX = r"-(?:m?\d+(?:-(?:target|quote|position))?|extraction|curation)"
_DATES = ((re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$"), "statement/{0}/{1}/{2}/{3}"),
          (re.compile(r"^(\d{4})-(\d{2})-(.+)$"), "statement/{0}/{1}/{2}"),
          (re.compile(r"^undated-(.+)$"), "statement/undated/{0}"))


def statement_candidates(path: str) -> list[str]:
    """Statement paths that the key in an ``annotation/``… path may spell, most likely first.

    ``annotation/2019-01-23-slug-1-quote`` → ``statement/2019/01/23/slug``; ``source/{key}`` has no
    suffix. A slug may itself end in ``-2``, so both readings of the suffix are offered.
    """
    kind = next((k for k in _DESCRIBED if path.startswith(k)), None)
    if kind is None:
        return []
    rest = path[len(kind):]
    keys = [rest] if kind == "source/" else []
    if kind != "source/":
        for suffix in (rf"^(.+){_SUFFIX}$", rf"^(.+?){_SUFFIX}$"):  # shortest, then longest suffix
            m = re.match(suffix, rest)
            if m and m.group(1) not in keys:
                keys.append(m.group(1))
    found: list[str] = []
    for key in keys:
        for date, target in _DATES:
            d = date.match(key)
            if d and target.format(*d.groups()) not in found:
                found.append(target.format(*d.groups()))
    return found


@dataclass(frozen=True)
class DocumentFile:
    """A document to send: a file of the site, or bytes made from one (RDF/XML)."""

    relative: str
    media_type: str
    etag: str
    size: int
    path: Path | None = None
    body: bytes | None = None


@lru_cache(maxsize=4096)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return f'"{h.hexdigest()}"'


@lru_cache(maxsize=512)
def _rdfxml(path: str, mtime_ns: int) -> bytes:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    try:
        graph.parse(path, format="turtle")
    except (ValueError, SyntaxError) as exc:
        raise DocumentError(path, f"cannot be converted to RDF/XML: {exc}") from exc
    return graph.serialize(format="pretty-xml", encoding="utf-8")


class Site:
    """The published folder behind the server."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._gone: frozenset[str] = frozenset()
        self._gone_stamp: tuple[int, int] | None = None

    # -- paths ---------------------------------------------------------------------------------
    def _file(self, relative: str) -> Path | None:
        """The regular file at ``relative`` inside the site (a folder gives its index.html)."""
        parts = [p for p in relative.split("/") if p]
        if any(p.startswith(".") and p != ".well-known" for p in parts) or any("\\" in p or "\x00" in p
                                                                               for p in parts):
            return None
        path = self.root.joinpath(*parts) if parts else self.root
        if path.is_dir():
            path = path / "index.html"
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return None
        return resolved

    def document(self, relative: str) -> DocumentFile | None:
        """The document at ``relative``, or None."""
        path = self._file(relative)
        if path is not None:
            stat = path.stat()
            suffix = path.suffix.lower()
            media = _NAMED_TYPES.get(relative.strip("/")) or MEDIA_TYPES.get(suffix, "application/octet-stream")
            return DocumentFile(relative, media, _digest(str(path), stat.st_mtime_ns, stat.st_size),
                                stat.st_size, path=path)
        if relative.endswith(".rdf"):
            turtle = self._file(relative[:-4] + ".ttl")
            if turtle is not None:
                body = _rdfxml(str(turtle), turtle.stat().st_mtime_ns)
                return DocumentFile(relative, MEDIA_TYPES[".rdf"], f'"{hashlib.sha256(body).hexdigest()}"',
                                    len(body), body=body)
        return None

    def variants(self, relative: str) -> list[tuple[str, str]]:
        """(media type, suffix) of each document of the resource ``relative`` (empty: no resource)."""
        if not relative or relative.endswith("/"):
            return []
        found = [(m, s) for m, s in VARIANTS if s != ".rdf" and self._file(relative + s) is not None]
        if any(s == ".ttl" for _, s in found):
            found.append(VARIANTS[-1])
        return found

    def statement_of(self, relative: str) -> str | None:
        """The statement path an ``annotation/``… IRI redirects to, if that statement is here."""
        return next((c for c in statement_candidates(relative) if self.variants(c)), None)

    # -- withdrawn -----------------------------------------------------------------------------
    def gone(self) -> frozenset[str]:
        """The paths listed in ``gone.txt`` (re-read when the file changes)."""
        path = self.root / "gone.txt"
        try:
            stat = path.stat()
        except OSError:
            self._gone, self._gone_stamp = frozenset(), None
            return self._gone
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._gone_stamp:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            self._gone = frozenset(line.strip().strip("/") for line in lines
                                   if line.strip() and not line.lstrip().startswith("#"))
            self._gone_stamp = stamp
        return self._gone

    def is_gone(self, relative: str, base: str = "") -> bool:
        """True for a withdrawn path, or any document of a withdrawn resource."""
        gone = self.gone()
        if not gone:
            return False
        if base:
            gone = frozenset(g[len(base):].strip("/") if g.startswith(base) else g for g in gone)
        relative = relative.strip("/")
        stem = next((relative[: -len(s)] for _, s in VARIANTS if relative.endswith(s)), relative)
        return relative in gone or stem in gone
