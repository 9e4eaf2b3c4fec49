"""The embedded graph store: one named graph per statement, on disk (pyoxigraph) or in memory.

The named graph of a statement is named by the statement's IRI and holds what the statement
asserts; the descriptions of the parties it refers to (names, types, owl:sameAs links) live once in
the named graph ``{base}graph/entities``, so that the union of all graphs — which SPARQL sees as
its default graph, without a ``GRAPH`` clause — holds each triple once. ``GRAPH ?g`` still tells
which statement a triple came from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import QueryError, StoreError
from .nquads import lines_of

__all__ = ["GraphStore", "DEFAULT_STORE", "ENTITIES_GRAPH_PATH", "DERIVED_GRAPH_PATHS", "is_statement_graph", "describe_query"]

#: path (under the base IRI) of the named graph of party descriptions
ENTITIES_GRAPH_PATH = "graph/entities"
#: paths of the graphs that are not a statement's: derived from the statements by ``build``
DERIVED_GRAPH_PATHS = (ENTITIES_GRAPH_PATH, "graph/statistics")


_DERIVED_ENDINGS = tuple("/" + path for path in DERIVED_GRAPH_PATHS)


def is_statement_graph(name: str) -> bool:
    """Whether a graph name is a statement's (not one of :data:`DERIVED_GRAPH_PATHS`)."""
    return not name.endswith(_DERIVED_ENDINGS)

#: where ``build`` writes and ``query``/``export``/``validate`` read when no --store is given
DEFAULT_STORE = Path(".communique/store")

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def describe_query(name: str) -> str:
    """The CONSTRUCT behind :meth:`GraphStore.describe`: statement ``name``'s graph, the party
    descriptions it refers to, and those they refer to (an office's organisation)."""
    entities = name.split("/statement/", 1)[0] + "/" + ENTITIES_GRAPH_PATH
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
            {{ GRAPH <{name}> {{ ?s ?p ?o }} }}
            UNION {{ GRAPH <{name}> {{ ?x ?q ?s }} GRAPH <{entities}> {{ ?s ?p ?o }} }}
            UNION {{ GRAPH <{name}> {{ ?x ?q ?e }} GRAPH <{entities}> {{ ?e ?r ?s . ?s ?p ?o }} }}
        }}"""


class GraphStore:
    """A quad store holding one named graph per statement."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise StoreError(f"{self.path}: no store here (run 'communique build' first)")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc

    # -- writing ---------------------------------------------------------------------------
    def replace_graph(self, name: str, graph: Graph) -> int:
        """Put ``graph`` in the named graph ``name``, replacing what was there; returns its size."""
        node = ox.NamedNode(name)
        data = graph.serialize(format="nt", encoding="utf-8")
        try:
            self._store.remove_graph(node)
        except (OSError, RuntimeError):
            pass  # the graph did not exist yet
        try:
            self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot store graph <{name}>: {exc}") from exc
        return len(graph)

    def load_ntriples(self, name: str, data: str) -> None:
        """Put N-Triples in the named graph ``name``, replacing what was there."""
        node = ox.NamedNode(name)
        try:
            self._store.remove_graph(node)
        except (OSError, RuntimeError):
            pass  # the graph did not exist yet
        try:
            self._store.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot store graph <{name}>: {exc}") from exc

    def load_nquads(self, data: str, bulk: bool = False) -> None:
        """Add N-Quads — each statement's triples in its own named graph — in one go. ``bulk``
        skips the transaction and the re-validation of IRIs (Oxigraph's bulk loader, lenient: 2–3
        times faster): for a store being built from empty — a failed build leaves it to be rebuilt
        from empty — with quads the mapping wrote, whose IRIs :mod:`communique.iris` made valid."""
        if not data:
            return
        try:
            if bulk and self.path is not None:
                self._store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS, lenient=True)
            else:
                self._store.load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot store a batch of statements: {exc}") from exc

    def bulk_load_file(self, path: Path) -> None:
        """Bulk-load an N-Quads file into a store being built from empty, in one call (lenient,
        no transaction, as :meth:`load_nquads` with ``bulk``). One call of many quads is much
        cheaper than many calls of few: each call adds its own sorted files to every index, which
        the store then has to merge (at 100,000 statements, 65 s in one call against 168 s in 196)."""
        try:
            if self.path is not None:
                self._store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
            else:
                self._store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot store the statements of {path}: {exc}") from exc

    def graph_size(self, name: str) -> int:
        """The number of triples in the named graph ``name`` (read from the index, not counted
        over the whole store)."""
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(name)))

    def subjects(self, name: str) -> set[ox.NamedNode | ox.BlankNode]:
        """The distinct subjects of the named graph ``name`` (read from its index)."""
        return {q.subject for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))}  # type: ignore[misc]

    def subject_outside(self, subject: ox.NamedNode | ox.BlankNode, graphs: Collection[str]) -> bool:
        """Whether ``subject`` is the subject of a quad in a graph not among ``graphs`` (names)."""
        for quad in self._store.quads_for_pattern(subject, None, None, None):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode) or graph.value not in graphs:
                return True
        return False

    def remove_graph(self, name: str) -> int:
        """Remove the named graph ``name``; returns the number of triples it held."""
        size = self.graph_size(name)
        try:
            self._store.remove_graph(ox.NamedNode(name))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot remove graph <{name}>: {exc}") from exc
        return size

    def clear(self) -> None:
        self._store.clear()

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def optimize(self) -> None:
        """Compact the indexes of a store on disk. A bulk-loaded store reads each graph from many
        sorted files: compacted, reading a statement's graph is ~3 times faster at 100,000
        statements (29 s of compaction there)."""
        if self.path is not None:
            try:
                self._store.optimize()
            except OSError as exc:
                raise StoreError(f"cannot compact the store {self.path}: {exc}") from exc

    # -- reading ---------------------------------------------------------------------------
    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need its full query options
        (a dataset per query, a base IRI) — the SPARQL endpoint does."""
        return self._store

    def is_empty(self) -> bool:
        """No named graph at all (cheap: the store's graph index is read for one name)."""
        return next(iter(self._store.named_graphs()), None) is None

    def graph_names(self) -> list[str]:
        """Every named graph, sorted (each name decoded: 1.5 s at 100,000 statements)."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, name: str) -> bool:
        """Whether the named graph ``name`` is in the store (one lookup in its graph index)."""
        return self._store.contains_named_graph(ox.NamedNode(name))

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query over the union of all statement graphs."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def lines(self, graph: str | None = None) -> list[str]:
        """The N-Quads lines of the store (or one graph's N-Triples lines), sorted, each once,
        without newlines (sorted and deduplicated in place: no second copy of the corpus)."""
        if graph is None:
            raw = self._store.dump(format=ox.RdfFormat.N_QUADS)
        else:
            raw = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        lines = lines_of(raw.decode("utf-8"))
        lines.sort()
        return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]

    def nquads(self, graph: str | None = None) -> str:
        """N-Quads of the store (or one graph's N-Triples), lines sorted: deterministic."""
        return "".join(line + "\n" for line in self.lines(graph))

    def graph(self, name: str) -> Graph:
        """One statement's named graph as an rdflib Graph."""
        g = Graph()
        g.parse(data=self.nquads(name), format="nt")
        return g

    def statement_names(self) -> list[str]:
        """Named graphs of statements (every graph but the derived ones)."""
        return [g for g in self.graph_names() if is_statement_graph(g)]

    def describe(self, name: str) -> str:
        """N-Triples of a statement's graph plus the descriptions of the parties it refers to."""
        result = self._store.query(describe_query(name))
        raw = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        return "".join(line + "\n" for line in sorted(set(lines_of(raw.decode("utf-8")))))

    def graphs(self) -> Iterator[tuple[str, Graph]]:
        """Each statement with the descriptions of its parties, as an rdflib Graph."""
        for name in self.statement_names():
            g = Graph()
            g.parse(data=self.describe(name), format="nt")
            yield name, g
