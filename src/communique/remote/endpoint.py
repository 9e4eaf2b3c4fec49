"""A remote SPARQL endpoint with the query interface of the embedded store."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..store import QueryResult
from .http import (  # the shared HTTP layer
    _RESULTS_ACCEPT,
    RemoteError,
    _credentials,
    _Http,
    _shown,
    _with_param,
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
        return self._query(sparql)

    def _query(self, sparql: str, params: Sequence[tuple[str, str]] = (), timeout: float | None = None,
               url: str | None = None) -> QueryResult:
        """Run ``sparql`` at ``url`` (default: the query address) with extra URL parameters (the
        protocol's dataset) and a request timeout."""
        url = url or self.query_url
        for key, value in params:
            url = _with_param(url, key, value)
        _, media_type, body = self._http(
            "POST", url, sparql.encode("utf-8"), content_type="application/sparql-query",
            accept=_RESULTS_ACCEPT, query=True, timeout=timeout,
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
            raise RemoteError(f"{where} answered with unreadable {media_type}: {exc}") from None
