"""Where publishing reads the graphs of the store, and what the dumps know of them.

A statement's graph is read from the :class:`~.graphcache.GraphCache` when it holds the graph at
its current version, else from the store (and the text then goes to the cache). The dumps are told
the version of every graph — ``build``'s for the statement graphs, the SHA-256 of the text for the
others — and read the graphs they make members of again through :meth:`GraphReader.lines`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..nquads import lines_of
from .dataset import DUMP_FILES, GraphSource
from .documents import Plan, Resource
from .graphcache import GraphCache, Row
from .reuse import Reuse

__all__ = ["GraphReader", "quad_lines"]


def quad_lines(name: str, triples: list[str]) -> list[str] | None:
    """The N-Quads lines of graph ``name`` from its N-Triples lines: ``<name>`` before each final
    `` .`` (None if a line does not end so)."""
    if not all(line.endswith(" .") for line in triples):
        return None
    suffix = f" <{name}> ."
    return [line[:-2] + suffix for line in triples]


class GraphReader:
    """The graphs of ``publication``'s store, read through ``cache`` (None: from the store)."""

    def __init__(self, publication: Plan, cache: GraphCache | None) -> None:
        self.publication = publication
        self.cache = cache
        #: the graphs but the statements': the SHA-256 of their lines (see :meth:`other`)
        self.others: dict[str, str] = {}

    def statement(self, name: str) -> tuple[str, Row | None]:
        """The text of statement graph ``name`` (``store.nquads(name)``), and the cache's row for
        it when it was read from the store."""
        text = self.cache.get(name) if self.cache is not None else None
        if text is not None:
            return text, None
        text = self.publication.store.nquads(name)
        return text, self.cache.row(name, text) if self.cache is not None else None

    def other(self, name: str, lines: list[str]) -> None:
        """Graph ``name`` (not a statement's) was read: these are its lines."""
        self.others[name] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def versioned(self, statements: Iterable[Resource]) -> bool:
        """Whether every statement graph has a version."""
        return self.cache is not None and all(self.cache.versions.get(r.iri) is not None for r in statements)

    def dumps_planned(self, reuse: Reuse | None, out: Path, statements: list[Resource]) -> bool:
        """Whether the dumps will be written from the members of the earlier ones and the graphs
        that changed (:mod:`.members`): they need no sorted runs of every graph's lines."""
        if reuse is None or not self.versioned(statements):
            return False
        earlier = reuse.earlier_dumps(*(out / name for name in DUMP_FILES))
        return earlier is not None and earlier.graphs is not None and bool(earlier.members)

    def source(self, statements: list[Resource]) -> GraphSource | None:
        """What the dumps are told of the graphs (once :meth:`other` was told of every other
        graph); None when a statement graph has no version."""
        if self.cache is None or not self.versioned(statements):
            return None
        versions = {f"<{name}>": v for name, v in self.others.items()}
        versions.update((f"<{r.iri}>", self.cache.versions[r.iri]) for r in statements)
        return GraphSource(versions, self.lines)

    def lines(self, term: str) -> list[str]:
        """The N-Quads lines of graph ``term`` (``<iri>``), sorted; none for a graph that is gone."""
        name = term[1:-1]
        text = self.cache.get(name) if self.cache is not None else None
        return quad_lines(name, lines_of(self.publication.store.nquads(name) if text is None else text)) or []
