"""What the server reads from a store: one interface, an embedded and a remote implementation.

The server needs a store for two things: the SPARQL endpoint (:meth:`Backend.endpoint_query`,
with the protocol's dataset and the endpoint's base IRI) and, when it serves no published folder,
the documents and pages of every resource, rendered once at startup by the publication code from
the reads it makes of a store (:meth:`~Backend.statement_names`, :meth:`~Backend.describe`,
:meth:`~Backend.nquads`, :meth:`~Backend.query` over the union of the graphs, ``len``).

- :class:`EmbeddedBackend`: the embedded :class:`~communique.store.GraphStore` (pyoxigraph, in
  process);
- :class:`communique.remote.RemoteBackend`: a SPARQL 1.1 endpoint, every read a SPARQL query over
  HTTP, its N-Triples and N-Quads sorted as the embedded store's, so that the same data gives the
  same bytes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Protocol, cast

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..iris import IRIs
from ..store import GraphStore, QueryResult
from .sparql import Dataset, keywords

__all__ = ["Backend", "EmbeddedBackend", "RenderedSite", "as_backend"]


class Backend(Protocol):
    """A store as the server reads it."""

    @property
    def location(self) -> str:
        """Where the store is (a path or a URL), for messages."""
        ...

    def check(self) -> None:
        """Raise StoreError when the store cannot serve (unreachable, misconfigured)."""
        ...

    def __len__(self) -> int:
        """The number of triples in all named graphs."""
        ...

    def graph_names(self) -> list[str]:
        """Names of the named graphs, sorted."""
        ...

    def statement_names(self) -> list[str]:
        """Named graphs of statements (every graph but the entities graph), sorted."""
        ...

    def describe(self, name: str) -> str:
        """Sorted N-Triples of a statement's graph and of the parties it refers to."""
        ...

    def nquads(self, graph: str | None = None) -> str:
        """Sorted N-Quads of every graph, or sorted N-Triples of one."""
        ...

    def query(self, sparql: str) -> QueryResult:
        """Run a query whose default graph is the union of all graphs."""
        ...

    def endpoint_query(self, sparql: str, dataset: Dataset | None, base_iri: str | None,
                       timeout: float) -> QueryResult:
        """Run a query of the SPARQL endpoint: ``dataset`` (the protocol's ``default-graph-uri`` and
        ``named-graph-uri``) overrides the query's FROM; without either the default graph is the
        union of all graphs. Relative IRIs resolve against ``base_iri``. ``timeout`` bounds the wait
        for a remote answer. SyntaxError/ValueError/OSError as pyoxigraph raises them, or the
        library's QueryError/StoreError."""
        ...


class EmbeddedBackend:
    """The embedded :class:`GraphStore` as a backend."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"EmbeddedBackend({self.location!r})"

    @property
    def location(self) -> str:
        return str(self.store.path) if self.store.path is not None else "the in-memory store"

    def check(self) -> None:
        """Nothing to check: the store opened."""

    def __len__(self) -> int:
        return len(self.store)

    def __bool__(self) -> bool:
        return True

    def graph_names(self) -> list[str]:
        return self.store.graph_names()

    def statement_names(self) -> list[str]:
        return self.store.statement_names()

    def describe(self, name: str) -> str:
        return self.store.describe(name)

    def nquads(self, graph: str | None = None) -> str:
        return self.store.nquads(graph)

    def query(self, sparql: str) -> QueryResult:
        return self.store.query(sparql)

    def endpoint_query(self, sparql: str, dataset: Dataset | None, base_iri: str | None,
                       timeout: float) -> QueryResult:
        options: dict[str, object] = {"base_iri": base_iri}
        if dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        else:  # pyoxigraph's union default graph would override the query's own FROM / FROM NAMED
            options["use_default_graph_as_union"] = "FROM" not in keywords(sparql)
        return self.store.oxigraph.query(sparql, **options)  # type: ignore[arg-type]


def as_backend(store: GraphStore | Backend) -> Backend:
    """A backend for ``store``: the embedded store wrapped, any backend as it is."""
    return EmbeddedBackend(store) if isinstance(store, GraphStore) else store


class RenderedSite:
    """The publication of a backend's data, written into a temporary folder that lives as long as
    this object (and is removed at exit at the latest)."""

    def __init__(self, backend: Backend, base: str) -> None:
        from ..publish import publish

        self._folder = tempfile.TemporaryDirectory(prefix="communique-site-")
        self.root = Path(self._folder.name)
        # the publication reads a store through exactly the methods of Backend
        try:
            publish(cast(GraphStore, backend), self.root, IRIs(base))
        except (QueryError, StoreError) as exc:
            self._folder.cleanup()
            raise StoreError(f"cannot render the documents from {backend.location}: {exc}") from exc
        except OSError as exc:
            self._folder.cleanup()
            raise StoreError(f"cannot write the rendered documents into {self.root}: {exc}") from exc

    def close(self) -> None:
        """Remove the folder now (a server that stops on a signal is ended by that signal once it
        has shut down, before any exit handler could remove it)."""
        self._folder.cleanup()
