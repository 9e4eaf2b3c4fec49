"""Full-text search over the statements' text: an SQLite FTS5 index beside the store.

A substring test over every statement body (``FILTER(CONTAINS(?text, "…"))``) reads every text in
the store: at 100,000 statements, 122 million characters and ~4 s a query. ``build`` keeps an
inverted index of headlines and texts in ``STORE.text.sqlite`` (added, replaced and removed with the
statements' graphs; ~5 s of the build at 100,000 statements), with each statement's date and
headline, and ``communique query --text`` answers from it alone.

Matching is by words (FTS5's ``unicode61`` tokenizer: case and diacritics folded), with FTS5's query
syntax: ``humanitarian aid`` (both words), ``"humanitarian aid"`` (the phrase), ``aid OR relief``,
``humanit*`` (a prefix).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreError
from .mapping import date_literal
from .nquads import literal
from .namespaces import SCHEMA

__all__ = ["TextIndex", "index_path", "text_result"]

#: the words (FTS5, by rowid) and the statement IRI of each rowid (an ordinary indexed table: FTS5
#: finds rows by word, not by the value of a column)
_SCHEMA = ("CREATE VIRTUAL TABLE IF NOT EXISTS statements USING "
           "fts5(headline, body, tokenize='unicode61 remove_diacritics 2')",
           "CREATE TABLE IF NOT EXISTS iris (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, date TEXT, headline TEXT)")


def index_path(store_path: Path) -> Path:
    """Where the text index of the store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".text.sqlite")


class TextIndex:
    """The headlines and texts of the statements of one store, by statement IRI (``path`` None: in
    memory, for a store in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(str(path) if path is not None else ":memory:")
            # derived data, written while the build spools gigabytes: no fsync at each commit (a build
            # that does not finish leaves its marker, and the next one starts the index afresh)
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("PRAGMA journal_mode = MEMORY")
            for statement in _SCHEMA:
                self._db.execute(statement)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the text index {path}: {exc}") from exc

    def _remove(self, iris: Iterable[str]) -> None:
        for iri in iris:
            row = self._db.execute("SELECT id FROM iris WHERE iri = ?", (iri,)).fetchone()
            if row is not None:
                self._db.execute("DELETE FROM statements WHERE rowid = ?", row)
                self._db.execute("DELETE FROM iris WHERE id = ?", row)

    def remove(self, iris: Iterable[str]) -> None:
        with self._db:
            self._remove(iris)

    def add(self, rows: Iterable[tuple[str, str, str, str]], replace: bool = True) -> None:
        """Index (IRI, date or "", headline, text) rows, replacing what an IRI had (``replace=False``:
        the IRIs are new to the index, as in a build from empty)."""
        rows = list(rows)
        with self._db:
            if replace:
                self._remove(iri for iri, _, _, _ in rows)
            for iri, date, headline, text in rows:
                rowid = self._db.execute("INSERT INTO iris (iri, date, headline) VALUES (?, ?, ?)",
                                         (iri, date or None, headline)).lastrowid
                self._db.execute("INSERT INTO statements (rowid, headline, body) VALUES (?, ?, ?)",
                                 (rowid, headline, text))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM iris").fetchone()[0])

    def matches(self, terms: str) -> list[tuple[str, str | None, str]]:
        """(IRI, date, headline) of the statements whose headline or text match ``terms``, by date
        (undated first, as SPARQL orders them) then IRI."""
        try:
            rows = self._db.execute("SELECT iris.iri, iris.date, iris.headline FROM statements "
                                    "JOIN iris ON iris.id = statements.rowid WHERE statements MATCH ?",
                                    (terms,)).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"full-text query {terms!r}: {exc}") from exc
        return sorted(rows, key=lambda row: (row[1] is not None, row[1] or "", row[0]))

    def search(self, terms: str) -> list[str]:
        """The IRIs of the statements whose headline or text match ``terms``, sorted."""
        return sorted(iri for iri, _, _ in self.matches(terms))

    def close(self) -> None:
        self._db.close()


@lru_cache(maxsize=4096)
def _datatype(date: str) -> str:
    return str(date_literal(date).datatype)


_RESULT = (f"SELECT ?statement ?date ?headline WHERE {{ ?statement <{SCHEMA.headline}> ?headline "
           f"OPTIONAL {{ ?statement <{SCHEMA.datePublished}> ?date }} }} ORDER BY ?date ?statement")


def text_result(store_path: Path, terms: str) -> ox.QuerySolutions:
    """The statements of the store at ``store_path`` that match ``terms``: (statement, date, headline)
    solutions by date then IRI, read from the index alone (a ``VALUES`` list of tens of thousands of
    IRIs costs the SPARQL parser seconds), ready for any result format of ``query``."""
    path = index_path(store_path)
    if not path.exists():
        raise StoreError(f"no text index at {path}: build the store again to make one")
    index = TextIndex(path)
    try:
        rows = index.matches(terms)
    finally:
        index.close()
    headline_of, date_of = f"<{SCHEMA.headline}>", f"<{SCHEMA.datePublished}>"
    lines = []
    for iri, date, headline in rows:  # one N-Triples text loaded at once: no Python object per term
        lines.append(f"<{iri}> {headline_of} {literal(headline)} .\n")
        if date:
            lines.append(f"<{iri}> {date_of} {literal(date, _datatype(date))} .\n")
    found = ox.Store()
    try:
        found.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as exc:
        raise StoreError(f"the text index {path} holds what is not a statement IRI or date: {exc}") from exc
    result = found.query(_RESULT)
    assert isinstance(result, ox.QuerySolutions)
    return result
