"""What the list of resources needs of each graph: a statement's headline and date, and its
recognition acts with the values that name them — read with two queries, or kept by graph version.

At 100,000 statements the two queries return 430,000 rows and take ~20 s: every term of a row is
looked up in the store's dictionary. With the versions of the graphs (``build`` gives them), the
rows of each statement graph are kept in the graph cache (:class:`~.graphcache.GraphCache`, table
``corpus``) at its version; publishing again, only the graphs that have no rows at their version —
the changed ones, the graphs that are not a statement's — are queried (their names bound), unless
they are so many that reading every graph costs less.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import CQ, RDF, SCHEMA
from ..store import GraphStore

if TYPE_CHECKING:
    from .graphcache import GraphCache

__all__ = ["GraphRows", "ROWS_FORMAT", "pack_rows", "query_rows", "read_rows", "select", "unpack_rows"]

#: the predicates of a statement read for the list of resources (headline and date)
_VALUES = (SCHEMA.headline, SCHEMA.datePublished)
#: the predicates of a recognition act read for its label (and its type: every act has a row)
_ACT = (RDF.type, CQ.stance, CQ.recognizingParty, CQ.recognizedParty, CQ.recognizedAs)
#: what the rows kept are made of: rows kept in another format are not read
ROWS_FORMAT = hashlib.sha256(" ".join(map(str, (*_VALUES, "|", *_ACT))).encode("utf-8")).hexdigest()[:16]
#: the rows of one graph: its own (predicate term, value) pairs among :data:`_VALUES`, and the
#: (act term, predicate term, value) triples of its acts among :data:`_ACT`; sorted
GraphRows = tuple[list[tuple[str, str]], list[tuple[str, str, str]]]
#: past this many graphs to read (and a tenth of all), every graph is read at once
_BOUND_MAX = 1000


def select(store: GraphStore, query: str) -> ox.QuerySolutions:
    """The solutions of a SELECT ``query`` over ``store``."""
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected a SELECT query: {query[:60]}")
    return result


def query_rows(store: GraphStore, graphs: list[str] | None = None) -> dict[str, GraphRows]:
    """The rows of ``graphs`` (terms; None: of every graph), by graph term; a graph of ``graphs``
    without any has empty rows."""
    rows: dict[str, GraphRows] = {graph: ([], []) for graph in graphs or ()}
    bound = "" if graphs is None else f"VALUES ?g {{ {' '.join(graphs)} }} "
    values = " ".join(f"<{p}>" for p in _VALUES)
    # (a list of values rather than a filter: index lookups instead of a scan of every graph)
    for row in select(store, f"SELECT ?g ?p ?o WHERE {{ {bound}VALUES ?p {{ {values} }} GRAPH ?g {{ ?g ?p ?o }} }}"):
        rows.setdefault(str(row["g"]), ([], []))[0].append((str(row["p"]), row["o"].value))
    act = " ".join(f"<{p}>" for p in _ACT)
    # (each act's triples looked up once it is found: faster than one pattern of both)
    for row in select(store, f"SELECT ?g ?act ?p ?o WHERE {{ {{ SELECT ?g ?act WHERE {{ {bound}GRAPH ?g "
                              f"{{ ?act a <{CQ.RecognitionAct}> }} }} }} "
                              f"LATERAL {{ VALUES ?p {{ {act} }} GRAPH ?g {{ ?act ?p ?o }} }} }}"):
        rows.setdefault(str(row["g"]), ([], []))[1].append((str(row["act"]), str(row["p"]), row["o"].value))
    for own, acts in rows.values():
        own.sort()
        acts.sort()
    return rows


def read_rows(store: GraphStore, cache: GraphCache | None, names: list[str] | None = None) -> dict[str, GraphRows]:
    """The rows of every graph (by term) that has any: kept in ``cache`` at each graph's version,
    or queried (and then kept). ``names``: the store's graphs, when they were listed already."""
    if cache is None:
        return query_rows(store)
    kept = cache.corpus_rows()
    graphs = [f"<{name}>" for name in (names if names is not None else store.graph_names())]
    missing = [graph for graph in graphs if graph[1:-1] not in kept]
    if len(missing) > max(_BOUND_MAX, len(graphs) // 10):
        rows = query_rows(store)
        fresh = {graph: rows.get(graph, ([], [])) for graph in graphs}
    else:
        rows = {f"<{name}>": found for name, found in kept.items()}
        fresh = query_rows(store, missing) if missing else {}
        rows.update(fresh)
    cache.add_corpus((graph[1:-1], pack_rows(found)) for graph, found in fresh.items())
    return rows


def pack_rows(rows: GraphRows) -> bytes:
    return zlib.compress(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def unpack_rows(data: bytes) -> GraphRows:
    own, acts = json.loads(zlib.decompress(data).decode("utf-8"))
    return [(p, v) for p, v in own], [(a, p, v) for a, p, v in acts]
