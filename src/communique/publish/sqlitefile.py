"""A SQLite file of derived data beside the store: what :mod:`.reuse` and :mod:`.graphcache` keep.

The main process writes; any process reads, through a connection of its own (call
:meth:`SqliteFile.close` before forking: a connection must not cross a fork). The file says what
its data was made with (its ``meta`` table); :meth:`SqliteFile.start` empties a file made with
something else, and makes a file that cannot be read anew — derived data is never worth an error.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

__all__ = ["SqliteFile"]

_META = "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"


class SqliteFile:
    """The file at ``path`` of data made with ``meta``; subclasses name their ``SCHEMA`` (CREATE
    statements) and ``TABLES`` (emptied by :meth:`start` when the data was made otherwise)."""

    SCHEMA: tuple[str, ...] = ()
    TABLES: tuple[str, ...] = ()

    def __init__(self, path: Path, meta: dict[str, str]) -> None:
        self.path = path
        self.meta = meta
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def start(self) -> None:
        """Open the file: emptied when its data was made with other ``meta``, made anew when it
        cannot be read."""
        try:
            found = dict(self._connection().execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            self.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            found = {}
        if found != self.meta:
            db = self._connection()
            for table in (*self.TABLES, "meta"):
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(self.meta.items()))
            db.commit()

    def _keep_only(self, table: str, column: str, values: Iterable[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is not among ``values``."""
        db = self._connection()
        # the keys read and compared here: most are kept (writing them all into a table to compare
        # there took seconds at 100,000)
        kept = set(values)
        gone = sorted(key for (key,) in db.execute(f"SELECT {column} FROM {table}") if key not in kept)
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", ((key,) for key in gone))
        db.commit()

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(str(self.path), timeout=60)
            db.execute("PRAGMA journal_mode = WAL")  # workers read while the main process writes
            db.execute("PRAGMA synchronous = NORMAL")
            for statement in (_META, *self.SCHEMA):
                db.execute(statement)
            self._db, self._pid = db, os.getpid()
        return self._db
