"""An external SPARQL 1.1 triplestore: push the store into it, query it like the embedded store.

``push`` copies every named graph of a :class:`~communique.store.GraphStore` into a remote store
over the SPARQL 1.1 Graph Store HTTP Protocol, each graph under its own name, then checks that the
remote store holds as many triples per graph as the local one. ``RemoteStore`` runs queries over
the SPARQL 1.1 Protocol and hands back pyoxigraph result objects, so ``communique.query`` formats
its results exactly as it formats the embedded store's. ``RemoteBackend`` adds the other reads of
the embedded store (graph names, a statement's description, N-Quads), so ``communique serve`` can
serve from the remote store.

Addresses (``gsp_url`` is the store's graph-store address, ``query_url`` its query address):

==============  ===========================================  =========================
server          graph store (``gsp_url``)                    queries (``query_url``)
==============  ===========================================  =========================
Oxigraph        ``/store``                                   ``/query``
Jena Fuseki     ``/DATASET/data``                            ``/DATASET/sparql``
GraphDB         ``/repositories/REPO/rdf-graphs/service``    ``/repositories/REPO``
Virtuoso        ``/sparql-graph-crud[-auth]``                ``/sparql[-auth]``
==============  ===========================================  =========================

The query address is derived from these graph-store addresses; give it explicitly otherwise.
Queries see the remote store's *default graph*, which must be the union of the named graphs (as it
is in the embedded store): Oxigraph ``serve --union-default-graph`` or a query URL ending in
``?union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do so
without configuration.

An HTTP error answer is a ``RemoteError`` (a StoreError a server passes on as 502); a store that
cannot be reached, a plain StoreError (503).

Only the standard library is used (``urllib.request``). Credentials: HTTP Basic (``auth``, sent
with the first request; a server that asks for Digest instead, as Virtuoso's ``-auth`` endpoints
do, gets Digest), a bearer ``token``, or ``user:password@`` in the URL.
"""

from __future__ import annotations

from .backend import RemoteBackend
from .endpoint import RemoteStore
from .http import PUSH_METHODS, RemoteError
from .push import PushReport, derive_query_url, push, verify

__all__ = ["PUSH_METHODS", "PushReport", "RemoteBackend", "RemoteError", "RemoteStore", "derive_query_url", "push",
           "verify"]
