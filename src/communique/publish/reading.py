"""Statement descriptions for the publication, read graph by graph instead of one SPARQL query each.

:meth:`GraphStore.describe` is a CONSTRUCT per statement: the statement's graph, the descriptions
(in the graph of party descriptions) of every node its triples point to, and the descriptions of
every node those descriptions point to. :class:`Descriptions` reads the graph of party
descriptions once, indexed by subject, and each statement's graph as N-Triples
(:meth:`GraphStore.nquads`), and joins them in Python: the same triples, the same sorted lines.
Whatever it cannot join by the text of the terms — blank nodes, RDF-star triple terms, a
statement whose graph of party descriptions is another than the publication's — it leaves to
:meth:`~GraphStore.describe`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from ..iris import IRIs
from ..nquads import lines_of
from ..store import ENTITIES_GRAPH_PATH

__all__ = ["Descriptions", "StoreReader", "split_triple", "whole_lines"]



class StoreReader(Protocol):
    """What the publication reads of a store (a :class:`GraphStore` or a server backend)."""

    def describe(self, name: str) -> str: ...

    def nquads(self, graph: str | None = None) -> str: ...


def whole_lines(text: str) -> tuple[list[str], bool]:
    """The lines of ``text``, and whether they are whole lines (always, since only ``\n`` ends a
    line: see :func:`communique.nquads.lines_of`)."""
    return lines_of(text), True


def split_triple(line: str) -> tuple[str, str, str] | None:
    """Subject, predicate and object of an N-Triples line as Oxigraph writes it; None for lines
    this module does not join by text (blank nodes, triple terms)."""
    if not line.endswith(" .") or line.startswith(("<<", "_:")):
        return None
    parts = line[:-2].split(" ", 2)
    if len(parts) != 3 or parts[2].startswith(("<<", "_:")):
        return None
    return parts[0], parts[1], parts[2]


class Descriptions:
    """Sorted N-Triples lines of each statement's description, as :meth:`GraphStore.describe`."""

    def __init__(self, store: StoreReader, iris: IRIs) -> None:
        self.store = store
        self.entities = str(iris.entities_graph())
        self.described: dict[str, list[str]] = defaultdict(list)  #: subject term → its lines
        self.pointing: dict[str, list[str]] = defaultdict(list)  #: subject term → objects of its lines
        self.entity_lines, self.entity_whole = whole_lines(store.nquads(self.entities))
        #: False when the graph of party descriptions cannot be joined by text
        self.exact = self.entity_whole
        for line in self.entity_lines if self.exact else ():
            parts = split_triple(line)
            if parts is None:
                self.exact = False
                break
            self.described[parts[0]].append(line)
            self.pointing[parts[0]].append(parts[2])

    def lines(self, name: str) -> list[str]:
        """The description of statement ``name``: sorted, unique N-Triples lines (no newlines)."""
        return self.read(name)[1]

    def read(self, name: str, text: str | None = None) -> tuple[list[str], list[str], bool]:
        """The N-Triples lines of statement ``name``'s own graph (``text``, when it was read
        already: ``store.nquads(name)``), those of its description, and whether the former are
        whole lines (see :func:`whole_lines`)."""
        own, whole = whole_lines(self.store.nquads(name) if text is None else text)
        if not whole or not self.exact or name.split("/statement/", 1)[0] + "/" + ENTITIES_GRAPH_PATH != self.entities:
            return own, lines_of(self.store.describe(name)), whole
        lines = set(own)
        first: set[str] = set()
        for line in own:
            parts = split_triple(line)
            if parts is None:
                return own, lines_of(self.store.describe(name)), whole
            first.add(parts[2])
        second: set[str] = set()
        for node in first:
            lines.update(self.described.get(node, ()))
            second.update(self.pointing.get(node, ()))
        for node in second:
            lines.update(self.described.get(node, ()))
        return own, sorted(lines), whole
