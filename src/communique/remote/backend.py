"""A remote SPARQL endpoint as the store behind ``communique serve --endpoint``.

:class:`RemoteBackend` is the remote implementation of :class:`communique.serve.backend.Backend`:
every read is a SPARQL 1.1 Protocol request to the endpoint's query address, the same query the
embedded store runs where there is one (``describe``'s CONSTRUCT). Graphs come back as N-Triples
(N-Quads for the whole store) written by pyoxigraph from the parsed answer, lines sorted and
deduplicated as :class:`~communique.store.GraphStore` writes them, so the same data gives the same
bytes whichever store holds it (blank nodes aside: their labels are the store's own).

The endpoint's default graph must be the union of its named graphs, as the embedded store's is
(see :mod:`communique.remote`); :meth:`RemoteBackend.check` refuses an endpoint whose named graphs
hold triples while its default graph holds none.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..store import QueryResult, describe_query, is_statement_graph
from .endpoint import RemoteStore
from .http import RemoteQueryError, _shown

if TYPE_CHECKING:
    from ..serve.sparql import Dataset

__all__ = ["RemoteBackend"]

_GRACE = 1.0  #: seconds a forwarded query's request waits past the endpoint's time limit
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_UNION_HINT = ("its named graphs hold triples but its default graph holds none: the server needs the "
               "default graph to be the union of the named graphs (Oxigraph: 'oxigraph serve "
               "--union-default-graph' or a query URL ending in '?union-default-graph'; Fuseki: "
               "tdb2:unionDefaultGraph true)")


def _without(url: str, name: str) -> str:
    """``url`` without the query parameter ``name``."""
    parts = urllib.parse.urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair and pair.split("=", 1)[0] != name]
    return urllib.parse.urlunsplit(parts._replace(query="&".join(kept)))


def _sorted_lines(raw: bytes) -> str:
    return "".join(line + "\n" for line in sorted(set(raw.decode("utf-8").splitlines())))


class RemoteBackend(RemoteStore):
    """A SPARQL endpoint (its query address) with the reads of the embedded store."""

    def __repr__(self) -> str:
        return f"RemoteBackend({self.location!r})"

    @property
    def location(self) -> str:
        return _shown(self.query_url)

    def __bool__(self) -> bool:
        return True

    # -- what the server checks and asks ---------------------------------------------------------
    def check(self) -> None:
        """Reach the endpoint (StoreError naming it otherwise) and check its default graph."""
        named, default = self._ask("ASK { GRAPH ?g { ?s ?p ?o } }"), self._ask("ASK { ?s ?p ?o }")
        if named and not default:
            raise StoreError(f"{self.location}: {_UNION_HINT}")

    def endpoint_query(self, sparql: str, dataset: Dataset | None, base_iri: str | None,
                       timeout: float) -> QueryResult:
        """Forward a query of the SPARQL endpoint: the dataset as ``default-graph-uri`` and
        ``named-graph-uri`` parameters — the protocol's, or else those of the query's own FROM and
        FROM NAMED, which some stores ignore when their default graph is the union (Oxigraph's
        ``--union-default-graph``); the base IRI, when the query has a relative IRI, as a ``BASE``
        declaration put before it on its first line (the line of a syntax error holds). The request
        waits a second longer than ``timeout``, so that the endpoint's own time limit answers first."""
        # the server's query scanner (imported here: the server is loaded when this runs)
        from ..serve.sparql import has_relative_iri, query_dataset

        params: list[tuple[str, str]] = []
        dataset = dataset if dataset is not None else query_dataset(sparql, base_iri)
        if dataset is not None:
            params += [("default-graph-uri", g) for g in dataset.default_graphs]
            params += [("named-graph-uri", g) for g in dataset.named_graphs]
        text = f"BASE <{base_iri}> {sparql}" if base_iri and has_relative_iri(sparql) else sparql
        # a dataset given, the union of all graphs is not asked for (Oxigraph refuses both at once)
        url = _without(self.query_url, "union-default-graph") if params else self.query_url
        try:
            return self._query(text, params, timeout=timeout + _GRACE, url=url)
        except RemoteQueryError as exc:  # the client's query, in the words of the triplestore
            raise QueryError(f"SPARQL syntax error: {exc.detail}") from None

    # -- the reads of GraphStore -----------------------------------------------------------------
    def __len__(self) -> int:
        rows = self._select(_SIZE)
        count = rows[0]["n"] if rows else None
        return int(count.value) if isinstance(count, ox.Literal) else 0

    def graph_names(self) -> list[str]:
        graphs = (row["g"] for row in self._select(_GRAPHS))
        return sorted(g.value for g in graphs if isinstance(g, ox.NamedNode))

    def statement_names(self) -> list[str]:
        return [g for g in self.graph_names() if is_statement_graph(g)]

    def describe(self, name: str) -> str:
        """The query of :meth:`GraphStore.describe`, run at the endpoint."""
        return self._ntriples(describe_query(name))

    def nquads(self, graph: str | None = None) -> str:
        """Sorted N-Quads of every named graph, or sorted N-Triples of ``graph``."""
        if graph is not None:
            return self._ntriples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        quads = []
        for row in self._select(_QUADS):
            s, p, o, g = row["s"], row["p"], row["o"], row["g"]
            if isinstance(s, ox.NamedNode | ox.BlankNode) and isinstance(p, ox.NamedNode) and o is not None \
                    and isinstance(g, ox.NamedNode):
                quads.append(ox.Quad(s, p, o, g))
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")

    # -- helpers ---------------------------------------------------------------------------------
    def _select(self, sparql: str) -> list[ox.QuerySolution]:
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"{self.location} did not answer a SELECT query with solutions")
        return list(result)

    def _ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError(f"{self.location} did not answer an ASK query with a boolean")
        return bool(result)

    def _ntriples(self, construct: str) -> str:
        result = self.query(construct)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError(f"{self.location} did not answer a CONSTRUCT query with triples")
        return _sorted_lines(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"")
