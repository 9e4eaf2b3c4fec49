"""Publishing again into the same folder: the files of statements that did not change are kept.

A statement's files — its documents and page, and the documents and pages of its recognition acts
— are a function of its description (the sorted N-Triples lines :class:`~.reading.Descriptions`
reads: its graph and the descriptions of the parties it refers to), of the resources those lines
name (their paths, labels and dates), of the base IRI and of the code that writes them. Their
SHA-256 is the statement's *fingerprint*. :class:`Reuse` keeps, beside the store
(``STORE.site.sqlite``), for each statement published into a folder: its fingerprint, the size and
modification time of each of its files, and what the pages of parties and the indexes need of it
(a :class:`Piece`). Publishing again, a statement whose fingerprint is the same and whose files are
still there as they were written is not written again: its piece is read instead. The heads of the
pieces of all statements are also kept packed together (:meth:`Reuse.heads`), with the statements
recorded since.

The documents of parties and of their listings (``id/``, ``refs/``) are a function of their lines
and of the code: the SHA-256 of the lines (:func:`lines_digest`) and the size and time of the files
are kept too, and a document made of the same lines, whose files are as written, is not written
again. So are the pages of parties, listings, indexes, timelines and the graph (``index.html``,
``index/``, ``timeline/``, ``graph/``): a page rendered from the same inputs is not rendered again
(:mod:`.pagerecord`). Everything else of the site is written anew each time. Files under those
folders that this publication did not write or keep are removed (:meth:`Reuse.finish`), so the folder is
the same, byte for byte, as a publication into an empty folder. The record is derived data: when it cannot be
read it is started afresh, which costs one publication's worth of writing and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from ..resources import ontology_dir
from .links import GraphLinks
from .documents import document_files, write_document
from .dumps import Earlier, Member
from .piece import Piece, unpack_links, UNREADABLE
from .sitewalk import Row, SiteWalk, Stat, encoded, file_stat, flatten, site_files
from .sqlitefile import SqliteFile

__all__ = ["DUMPS", "OWNED", "PAGES", "PARTIES", "DocumentRow", "Piece", "Reuse", "code_digest", "lines_digest",
           "reuse_path", "site_files"]

#: the folders of the publication whose files belong to statements (kept between publications)
OWNED = ("statement", "act")
#: the folders of the documents of parties and of their listings (kept between publications: a
#: document whose lines did not change is not written again)
PARTIES = ("id", "refs")
#: the folders of the pages written once every statement is read, and the home page (kept between
#: publications: a page rendered from the same inputs is not rendered again; see :mod:`.pagerecord`)
PAGES = ("index", "timeline", "graph", "index.html")
#: the folder of the dumps (kept between publications: their members are copied)
DUMPS = "dumps"
_PACKAGES = ("pyoxigraph", "rdflib", "jinja2", "markupsafe")
_SCHEMA = ("DROP TABLE IF EXISTS pieces",  # without the version of the graph and what else the files depend on
           "DROP TABLE IF EXISTS statements",  # pieces with their links
           "CREATE TABLE IF NOT EXISTS statement_pieces (iri TEXT PRIMARY KEY, fingerprint BLOB NOT NULL, "
           "files BLOB NOT NULL, piece BLOB NOT NULL, links BLOB NOT NULL, version TEXT NOT NULL, "
           "depends BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS dump_files (name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL)",
           "DROP TABLE IF EXISTS dump_members",  # members without their subjects and graphs
           "CREATE TABLE IF NOT EXISTS dump_parts (position INTEGER PRIMARY KEY, key BLOB NOT NULL, "
           "nq_offset INTEGER NOT NULL, nq_length INTEGER NOT NULL, ttl_offset INTEGER NOT NULL, "
           "ttl_length INTEGER NOT NULL, start TEXT NOT NULL, graphs BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS dump_graphs (name TEXT PRIMARY KEY, version TEXT NOT NULL)",
           "DROP TABLE IF EXISTS site",  # a row per file: the folders' rows hold them (see .sitewalk)
           "CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, files INTEGER NOT NULL, "
           "folders TEXT NOT NULL, entries BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS published (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS documents (path TEXT PRIMARY KEY, digest BLOB NOT NULL, files BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS heads (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS heads_stale (iri TEXT PRIMARY KEY)")
_TABLES = ("statement_pieces", "dump_files", "dump_parts", "dump_graphs", "folders", "published", "documents",
           "heads", "heads_stale")
#: a row of the documents of parties and of the pages kept: (site path — without suffix for a
#: document —, digest of what it is made of, its files)
DocumentRow = tuple[str, bytes, bytes]


def lines_digest(lines: list[str]) -> bytes:
    """The SHA-256 of sorted, unique N-Triples lines: what a document is made of."""
    sha = hashlib.sha256()
    for line in lines:
        sha.update(line.encode("utf-8"))
        sha.update(b"\n")
    return sha.digest()


def reuse_path(store_path: Path) -> Path:
    """Where the record of the publications of the store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".site.sqlite")


@cache
def code_digest() -> str:
    """The SHA-256 of what writes the files: this package's files, the ontology folder (the JSON-LD
    contexts), Python's version and those of the libraries that serialize."""
    sha = hashlib.sha256(sys.version.encode())
    for name in _PACKAGES:
        try:
            sha.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            sha.update(f"\0{name}".encode())
    package = Path(__file__).resolve().parent.parent
    for root in (package, ontology_dir()):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            sha.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


class Reuse(SqliteFile):
    """The record of what was published into ``out`` from the store whose record is at ``path``.

    ``key`` names what the files also depend on (the base IRI); a record of another folder, key or
    code is emptied by :meth:`start`. The main process writes (:meth:`start`, :meth:`record`,
    :meth:`keep`); any process reads (:meth:`lookup`), each through a connection of its own (call
    :meth:`close` before forking)."""

    SCHEMA = _SCHEMA
    TABLES = _TABLES

    def __init__(self, path: Path, out: Path, key: str) -> None:
        super().__init__(path, {"out": str(out.resolve()), "key": key, "code": code_digest()})
        self.out = out
        self._written: list[bytes] = []  #: the files of the rows recorded, as written (see :meth:`finish`)
        self._prefix = os.path.join(out, "")  #: of the files' site paths

    # -- the main process -------------------------------------------------------------------------
    def unchanged(self, token: str, names: Iterable[str]) -> tuple[list[str], int] | None:
        """What the last publication wrote (its paths, its number of statements) when it was made
        from the same ``token`` (what the store was then: see :func:`~communique.publish.publish`),
        finished, and every file of it under ``names`` (of ``out``) is still there as written, and no
        other; else None (and the record of the last publication's end is dropped: this one will
        write)."""
        db = self._connection()
        done = dict(db.execute("SELECT name, value FROM published").fetchall())
        if done.get("token") == token.encode() and "written" in done:
            if site_files(self.out, names) == self.recorded_files():
                return zlib.decompress(done["written"]).decode("utf-8").split("\n"), int(done["statements"])
        db.execute("DELETE FROM published")
        db.commit()
        return None

    def finish(self, token: str | None, written: list[str], statements: int, names: Iterable[str]) -> None:
        """The publication is written: remove the files under the folders of statements, parties,
        pages and dumps (:data:`OWNED`, :data:`PARTIES`, :data:`PAGES`, :data:`DUMPS`) that it did
        not write or keep (not in ``written``), remember every file under ``names`` as it is now, and what the publication
        was made from (``token``: None, nothing to compare with next time). Only the folders
        that changed since the last publication are read (:class:`.SiteWalk`): the files of the
        others are as recorded then, or as recorded now by the rows of what was written."""
        db = self._connection()
        db.execute("DELETE FROM published")
        rows = self._folders() if token is not None else {}
        walk = SiteWalk(self.out, rows)
        for files in self._written:
            walk.written(files)
        self._written = []
        walk.files(names, written, (*OWNED, *PARTIES, *PAGES, DUMPS))  # one walk
        if token is None:
            db.execute("DELETE FROM folders")
        else:  # the rows that differ (most folders are as they were)
            db.executemany("DELETE FROM folders WHERE path = ?", ((path,) for path in sorted(rows.keys() - walk.rows.keys())))
            changed = ((path, encoded(row)) for path, row in walk.rows.items())
            db.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?)",
                           sorted((path, *row) for path, row in changed if row != rows.get(path)))
            db.executemany("INSERT INTO published VALUES (?, ?)", [
                ("token", token.encode()), ("statements", str(statements).encode()),
                ("written", zlib.compress("\n".join(written).encode("utf-8"), 1))])
        db.commit()

    def _folders(self) -> dict[str, Row]:
        return {path: (mtime, files, folders, entries)
                for path, mtime, files, folders, entries in self._connection().execute("SELECT * FROM folders")}

    def recorded_files(self) -> dict[str, Stat]:
        """Size and time of every file (and (-1, 0) of every folder) of the last publication as
        recorded when it finished, by site path."""
        return flatten(self._folders())

    def record(self, rows: list[tuple[str, bytes, bytes, bytes, bytes, str, bytes]]) -> None:
        """Add or replace (statement IRI, fingerprint, files, packed piece — its head and its links:
        :meth:`.Piece.pack` —, version of its graph, what else its files depend on) rows."""
        if rows:
            db = self._connection()
            db.executemany("INSERT OR REPLACE INTO statement_pieces VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self._written += (row[2] for row in rows)
            db.executemany("INSERT OR IGNORE INTO heads_stale VALUES (?)", ((row[0],) for row in rows))
            db.commit()

    def heads(self) -> tuple[bytes | None, set[str]]:
        """The heads of the statements of a publication, packed together (:func:`.pack_heads`), and
        the statements whose rows were recorded since (:meth:`record`): their heads there are stale."""
        db = self._connection()
        row = db.execute("SELECT value FROM heads WHERE name = 'heads'").fetchone()
        return None if row is None else bytes(row[0]), {iri for (iri,) in db.execute("SELECT iri FROM heads_stale")}

    def stale_heads(self) -> int:
        """How many statements' heads packed together are stale (see :meth:`heads`)."""
        return int(self._connection().execute("SELECT COUNT(*) FROM heads_stale").fetchone()[0])

    def record_heads(self, packed: bytes) -> None:
        """Keep the heads of this publication's statements (:func:`.pack_heads`): each is the head of
        its statement's row now."""
        db = self._connection()
        db.execute("INSERT OR REPLACE INTO heads VALUES ('heads', ?)", (packed,))
        db.execute("DELETE FROM heads_stale")
        db.commit()

    def keep(self, iris: Iterable[str]) -> None:
        """Forget every statement but ``iris`` (those of this publication)."""
        self._keep_only("statement_pieces", "iri", iris)

    def record_documents(self, rows: list[DocumentRow]) -> None:
        """Add or replace rows of the documents of parties and of pages (:data:`DocumentRow`)."""
        if rows:
            db = self._connection()
            db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", rows)
            self._written += (row[2] for row in rows)
            db.commit()

    def keep_documents(self, paths: Iterable[str]) -> None:
        """Forget every document of a party and every page but those at ``paths`` (this publication's)."""
        self._keep_only("documents", "path", paths)

    def earlier_dumps(self, nq: Path, ttl: Path) -> Earlier | None:
        """The dumps ``nq`` and ``ttl`` as last written and their members, when they are still as
        they were written."""
        db = self._connection()
        files = dict((name, (size, mtime)) for name, size, mtime in db.execute("SELECT * FROM dump_files"))
        if not files or any(files.get(path.name) != file_stat(path) for path in (nq, ttl)):
            return None
        members = [Member(key, (a, b, c, d), start, tuple(zlib.decompress(graphs).decode("utf-8").split("\n")))
                   for _, key, a, b, c, d, start, graphs in db.execute("SELECT * FROM dump_parts ORDER BY position")]
        graphs = dict(db.execute("SELECT name, version FROM dump_graphs").fetchall())
        return Earlier(nq, ttl, members, graphs or None)

    def record_dumps(self, nq: Path, ttl: Path, members: list[Member], graphs: Mapping[str, str] | None) -> None:
        """Remember the dumps just written, their members and (when known) the version of each
        graph they hold."""
        db = self._connection()
        for table in ("dump_files", "dump_parts", "dump_graphs"):
            db.execute(f"DELETE FROM {table}")
        if members:
            for path in (nq, ttl):
                found = file_stat(path)
                if found is not None:
                    db.execute("INSERT INTO dump_files VALUES (?, ?, ?)", (path.name, *found))
            db.executemany("INSERT INTO dump_parts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           ((n, m.key, *m.at, m.start, zlib.compress("\n".join(m.graphs).encode("utf-8"), 1))
                            for n, m in enumerate(members)))
            db.executemany("INSERT INTO dump_graphs VALUES (?, ?)", sorted((graphs or {}).items()))
        db.commit()

    # -- any process ------------------------------------------------------------------------------
    def lookup(self, iri: str, fingerprint: bytes) -> Piece | None:
        """The piece of statement ``iri`` (with its links) when its fingerprint is ``fingerprint``
        and its files are as they were written; else None."""
        row = self._connection().execute("SELECT fingerprint, files, piece, links FROM statement_pieces "
                                          "WHERE iri = ?", (iri,)).fetchone()
        if row is None or row[0] != fingerprint or not self._as_recorded(row[1]):
            return None
        return Piece.unpack_or_none(row[2], row[3])

    def lookup_version(self, iri: str, version: str, unchanged: Callable[[bytes], bool],
                       head: bool = True) -> bytes | None:
        """The head of the piece of statement ``iri``, packed (:meth:`.Piece.pack`), when its graph
        is at ``version`` as it was, what else its files depend on is ``unchanged`` (given what
        :meth:`.Fingerprints.depends` gave), and its files are as they were written; else None. Its
        graph is not read, nor its piece unpacked (whoever needs it does: :meth:`.Piece.unpack`),
        nor its links (:meth:`links`); nor its head when not ``head`` (then ``b""``)."""
        row = self._connection().execute(f"SELECT version, depends, files{', piece' if head else ''} "
                                          "FROM statement_pieces WHERE iri = ?", (iri,)).fetchone()
        if row is None or row[0] != version or not unchanged(row[1]) or not self._as_recorded(row[2]):
            return None
        return bytes(row[3]) if head else b""

    def head(self, iri: str) -> bytes | None:
        """The packed head of the piece of statement ``iri`` (None: no row)."""
        row = self._connection().execute("SELECT piece FROM statement_pieces WHERE iri = ?", (iri,)).fetchone()
        return None if row is None else bytes(row[0])

    def links(self, iri: str) -> GraphLinks | None:
        """The links of the graph of statement ``iri`` as its piece was recorded (None: no row, or
        not links this code can read)."""
        row = self._connection().execute("SELECT links FROM statement_pieces WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            return None
        try:
            return unpack_links(row[0])
        except UNREADABLE:
            return None

    def write_document(self, path: str, lines: list[str]) -> DocumentRow | None:
        """Write the document of a party at ``path`` of ``lines`` (sorted, unique) — unless the one
        there was written from the same lines and is as it was written; what the record needs of
        a document written (None: kept, or a file is missing)."""
        return self.write_unless_kept(path, lines_digest(lines), document_files(path),
                                      lambda: write_document(self.out, path, lines))

    def write_unless_kept(self, path: str, digest: bytes, files: list[str],
                          write: Callable[[], object]) -> DocumentRow | None:
        """``write()`` the ``files`` (site paths) of the document or page at ``path`` made of what
        ``digest`` digests — unless they were written from the same and are as they were written;
        the record's row of what was written (None: kept, or a file is missing)."""
        if self.document_kept(path, digest):
            return None
        write()
        recorded = self.files(files)
        return None if recorded is None else (path, digest, recorded)

    def document_kept(self, path: str, digest: bytes) -> bool:
        """Whether the document of a party or the page at ``path`` was written from what this
        ``digest`` digests and its files are as they were written."""
        row = self._connection().execute("SELECT digest, files FROM documents WHERE path = ?", (path,)).fetchone()
        return row is not None and row[0] == digest and self._as_recorded(row[1])

    def _as_recorded(self, files: bytes) -> bool:
        prefix = self._prefix
        for line in zlib.decompress(files).decode("utf-8").splitlines():
            name, size, mtime = line.rsplit("\t", 2)
            try:
                st = os.stat(prefix + name)
            except OSError:
                return False
            if st.st_size != int(size) or st.st_mtime_ns != int(mtime):
                return False
        return True

    def files(self, paths: Iterable[str]) -> bytes | None:
        """The record of files ``paths`` (site paths) as they are now (None if one is missing)."""
        lines = []
        for name in paths:
            found = file_stat(self._prefix + name)
            if found is None:
                return None
            lines.append(f"{name}\t{found[0]}\t{found[1]}\n")
        return zlib.compress("".join(lines).encode("utf-8"), 1)
