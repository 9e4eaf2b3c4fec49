"""A remote SPARQL endpoint with the query interface of the embedded store."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import StoreError
from ..store import QueryResult
from .http import (  # the shared HTTP layer
    _RESULTS_ACCEPT,
    _credentials,
    _Http,
    _shown,
)

__all__ = ["RemoteStore"]


# -- querying the remote store -------------------------------------------------------------------
class RemoteStore:
    """A SPARQL endpoint with the ``query`` interface of :class:`GraphStore`.

    ``query`` returns pyoxigraph objects (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``),
    so ``communique.query.run_query``/``format_result`` work on it unchanged.
    """

    path = None

    def __init__(self, query_url: str, *, auth: tuple[str, str] | None = None, token: str | None = None,
                 timeout: float = 60) -> None:
        self.query_url, auth = _credentials(query_url, auth)
        self._http = _Http(self.query_url, auth, token, timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({_shown(self.query_url)!r})"

    def query(self, sparql: str) -> QueryResult:
        """Run ``sparql`` at the endpoint; HTTP 400 (a malformed query) is a QueryError."""
        _, media_type, body = self._http(
            "POST", self.query_url, sparql.encode("utf-8"), content_type="application/sparql-query",
            accept=_RESULTS_ACCEPT, query=True,
            not_found="no SPARQL query service here (Oxigraph: /query, Fuseki: /DATASET/sparql)")
        where = _shown(self.query_url)
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        try:
            if results_format is not None:
                return ox.parse_query_results(body, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            graph = ox.Store()
            graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(body, format=rdf_format))
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{where} answered with unreadable {media_type}: {exc}") from None
