"""The triples of every graph that the documents of parties quote, some read only when a document
needs them.

For each graph (a term: ``<iri>``): its statement's own triples (``outgoing``), the triples whose
object is the statement (``incoming``), and its *backlinks* — the triples whose object is a party —
by party and by subject (:data:`GraphLinks`, from :func:`~.corpus.graph_links` or the
queries of :meth:`.Corpus.read_links`).

A statement kept by its version brings only the parties its graph points to (:meth:`Links.defer`):
its links stay in the record until a document of one of those parties is made
(:meth:`Links.backlinks_of`), and then only the graphs that document quotes are read (:attr:`Links.loader`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

__all__ = ["Backlink", "GraphLinks", "Links"]

#: a backlink: (the graph holding the triple, the triple's line)
Backlink = tuple[str, str]
#: what :meth:`.Corpus.read_links` reads of one graph: (subject, line) of the triples whose object is
#: the graph; (object, subject, line) of the backlinks; (predicate, object) of the graph's own
#: triples about itself (its text aside)
GraphLinks = tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[tuple[str, str]]]


class Links:
    """The links of every graph: added as they are found, or deferred and loaded when asked for."""

    def __init__(self) -> None:
        self.outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)  #: a statement's triples about itself
        self.incoming: dict[tuple[str, str], list[str]] = defaultdict(list)  #: (graph, subject) → lines
        self.backlinks: dict[str, list[Backlink]] = defaultdict(list)  #: party → its backlinks
        self.links_of: dict[tuple[str, str], list[str]] = defaultdict(list)  #: (graph, subject) → its backlinks' lines
        #: the graphs whose links are not read yet, each with the parties it points to
        self.pending: dict[str, tuple[str, ...]] = {}
        #: party → the graphs deferred that point to it (some of them read since)
        self.pointers: dict[str, list[str]] = defaultdict(list)
        #: reads the links of a deferred graph (set by whoever defers)
        self.loader: Callable[[str], GraphLinks] | None = None
        self._by_graph: dict[str, tuple[int, dict[str, list[Backlink]]]] = {}

    def add(self, graph: str, links: GraphLinks) -> None:
        """The links of ``graph`` (a term)."""
        self.pending.pop(graph, None)
        incoming, backlinks, outgoing = links
        if outgoing:
            self.outgoing[graph] = outgoing
        for s, line in incoming:
            self.incoming[(graph, s)].append(line)
        for o, s, line in backlinks:
            self.backlinks[o].append((graph, line))
            self.links_of[(graph, s)].append(line)

    def defer(self, graph: str, parties: Iterable[str]) -> None:
        """``graph``'s links are read by :attr:`loader` when a document needs them; ``parties``: the
        objects of its backlinks."""
        found = self.pending[graph] = tuple(parties)
        for party in found:
            self.pointers[party].append(graph)

    def load(self, graphs: Iterable[str]) -> None:
        """Read the links of those of ``graphs`` that are deferred."""
        for graph in graphs:
            if graph in self.pending:
                if self.loader is None:
                    raise RuntimeError(f"the links of {graph} were deferred with nothing to read them")
                self.add(graph, self.loader(graph))

    def graphs_of(self, party: str) -> list[str]:
        """The graphs that point to ``party`` (read or deferred), each once."""
        read = (graph for graph, _ in self.backlinks.get(party, ()))
        deferred = (graph for graph in self.pointers.get(party, ()) if graph in self.pending)
        return list(dict.fromkeys([*read, *deferred]))

    def count(self, party: str) -> int:
        """How many backlinks ``party`` has, about (a deferred graph counts one)."""
        return len(self.backlinks.get(party, ())) + len(self.pointers.get(party, ()))

    def backlinks_of(self, party: str, graphs: Collection[str] | None = None) -> list[Backlink]:
        """The backlinks of ``party`` (from ``graphs`` only, when given), their graphs read first."""
        if graphs is None:
            self.load([graph for graph in self.pointers.get(party, ()) if graph in self.pending])
            return self.backlinks.get(party, [])
        self.load(graphs)
        by_graph = self._grouped(party)
        return [backlink for graph in dict.fromkeys(graphs) for backlink in by_graph.get(graph, ())]

    def _grouped(self, party: str) -> dict[str, list[Backlink]]:
        """The backlinks of ``party`` by graph (made again when more were read since)."""
        found = self.backlinks.get(party, [])
        done = self._by_graph.get(party)
        if done is None or done[0] != len(found):
            grouped: dict[str, list[Backlink]] = defaultdict(list)
            for backlink in found:
                grouped[backlink[0]].append(backlink)
            done = self._by_graph[party] = (len(found), grouped)
        return done[1]
