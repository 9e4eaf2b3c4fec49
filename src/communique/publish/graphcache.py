"""The text of statement graphs as the store gives it, kept compressed beside the store.

Reading one statement's graph from the store (:meth:`GraphStore.nquads`: Oxigraph writes it, ~17 MB/s
on a small machine) is what publishing every statement costs most, even when its files are kept
from the last publication. ``build`` knows each graph's *version* — the SHA-256 of the N-Quads it
loaded — and keeps it in its state file; :class:`GraphCache` (``STORE.graphs.sqlite``) keeps, per
statement graph, the version and the text the store gave for it, zlib-compressed. A graph whose
version is the one the cache holds is read from the cache (a look-up and a decompression); any
other is read from the store, and the text goes into the cache for the next publication. Without
versions (a store that ``build`` did not make, or a state file of an older build) everything is read
from the store. The cache is derived data: when it cannot be read it is started afresh.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from .corpusrows import ROWS_FORMAT, GraphRows, unpack_rows
from .sqlitefile import SqliteFile

__all__ = ["GraphCache", "cache_path"]

#: a row for :meth:`GraphCache.add`: (graph name, its version, its text compressed)
Row = tuple[str, str, bytes]


def cache_path(store_path: Path) -> Path:
    """Where the cache of the store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".graphs.sqlite")


def _meta() -> dict[str, str]:
    """What the text of a graph depends on besides its version: the store's writer."""
    try:
        return {"pyoxigraph": metadata.version("pyoxigraph")}
    except metadata.PackageNotFoundError:
        return {"pyoxigraph": ""}


class GraphCache(SqliteFile):
    """The text of each statement graph at ``versions`` (graph name → version), at ``path``.

    The main process writes (:meth:`start`, :meth:`add`, :meth:`keep`); any process reads
    (:meth:`get`, :meth:`row`) through a connection of its own (call :meth:`close` before forking)."""

    SCHEMA = ("CREATE TABLE IF NOT EXISTS graphs (name TEXT PRIMARY KEY, version TEXT NOT NULL, text BLOB NOT NULL)",
              "CREATE TABLE IF NOT EXISTS corpus (name TEXT PRIMARY KEY, version TEXT NOT NULL, rows BLOB NOT NULL)")
    TABLES = ("graphs", "corpus")

    def __init__(self, path: Path, versions: Mapping[str, str]) -> None:
        super().__init__(path, _meta())
        self.versions = versions

    def get(self, name: str) -> str | None:
        """The text of graph ``name`` at its current version, when the cache holds it."""
        version = self.versions.get(name)
        if version is None:
            return None
        row = self._connection().execute("SELECT version, text FROM graphs WHERE name = ?", (name,)).fetchone()
        if row is None or row[0] != version:
            return None
        try:
            return zlib.decompress(row[1]).decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            return None

    def row(self, name: str, text: str) -> Row | None:
        """What :meth:`add` needs to keep ``text``, read from the store, as graph ``name``'s (None
        when the graph has no version)."""
        version = self.versions.get(name)
        return None if version is None else (name, version, zlib.compress(text.encode("utf-8"), 1))

    def add(self, rows: Iterable[Row]) -> None:
        db = self._connection()
        db.executemany("INSERT OR REPLACE INTO graphs VALUES (?, ?, ?)", rows)
        db.commit()

    def corpus_rows(self) -> dict[str, GraphRows]:
        """The rows of the list of resources (:mod:`.corpusrows`) of each graph kept at its current
        version, by graph name."""
        found: dict[str, GraphRows] = {}
        versions = self.versions
        for name, version, rows in self._connection().execute("SELECT name, version, rows FROM corpus"):
            if version == f"{ROWS_FORMAT}:{versions.get(name)}":
                try:
                    found[name] = unpack_rows(rows)
                except (zlib.error, UnicodeDecodeError, ValueError, TypeError):
                    continue  # queried again
        return found

    def add_corpus(self, rows: Iterable[tuple[str, bytes]]) -> None:
        """Keep (graph name, packed rows) at the graph's current version (a graph without a
        version is not kept)."""
        db = self._connection()
        db.executemany("INSERT OR REPLACE INTO corpus VALUES (?, ?, ?)",
                       ((name, f"{ROWS_FORMAT}:{self.versions[name]}", packed) for name, packed in rows
                        if name in self.versions))
        db.commit()

    def keep(self) -> None:
        """Forget the graphs that have no version now."""
        self._keep_only("graphs", "name", self.versions)
        self._keep_only("corpus", "name", self.versions)
