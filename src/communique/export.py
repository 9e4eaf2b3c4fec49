"""Serializations of the store, from one table: name ↔ media type ↔ suffix ↔ serializer.

Every serializer takes N-Quads (what the store dumps, lines sorted) and returns text, so the same
path serves the whole corpus, one statement, and tests. Output is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import UsageError
from .jsonld import dumps, nquads_to_jsonld
from .namespaces import PREFIXES

__all__ = ["Format", "FORMATS", "get_format", "serialize", "to_dataset", "to_graph"]


def to_dataset(nquads: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    return ds


def to_graph(nquads: str) -> Graph:
    """The union of all graphs of ``nquads`` as one rdflib Graph with our prefixes."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, _ in to_dataset(nquads).quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _quads(nquads: str) -> list[ox.Quad]:
    """Parse N-Quads (or N-Triples) with Oxigraph, in sorted order so that output is deterministic."""
    return sorted(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS),
                  key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def _triples(nquads: str) -> list[ox.Triple]:
    """The union of all graphs: each triple once, sorted."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in _quads(nquads)}, key=str)


def _write(items: list, rdf_format: ox.RdfFormat) -> str:
    """Oxigraph's writer (over 100 times faster than rdflib's here), with the project's prefixes
    declared in sorted order: Oxigraph would print them in hash order."""
    text = (ox.serialize(items, format=rdf_format, prefixes=PREFIXES) or b"").decode("utf-8")
    lines = text.split("\n")
    head = [line for line in lines if line.startswith("@prefix ")]
    return "\n".join(sorted(head) + [""] + lines[len(head):])


def _turtle(nquads: str) -> str:
    return _write(_triples(nquads), ox.RdfFormat.TURTLE)


def _ntriples(nquads: str) -> str:
    return "".join(f"{t} .\n" for t in _triples(nquads))


def _nquads(nquads: str) -> str:
    return nquads


def _trig(nquads: str) -> str:
    return _write(_quads(nquads), ox.RdfFormat.TRIG)


def _jsonld(nquads: str) -> str:
    return dumps(nquads_to_jsonld(nquads))


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    dataset: bool  #: keeps named graphs
    rdflib_name: str  #: the rdflib parser name, for reading it back
    write: Callable[[str], str]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "text/turtle", ".ttl", False, "turtle", _turtle),
    Format("nt", "application/n-triples", ".nt", False, "nt", _ntriples),
    Format("nq", "application/n-quads", ".nq", True, "nquads", _nquads),
    Format("trig", "application/trig", ".trig", True, "trig", _trig),
    Format("jsonld", "application/ld+json", ".jsonld", True, "json-ld", _jsonld),
)}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}") from None


def serialize(nquads: str, name: str) -> str:
    """``nquads`` in the format called ``name``."""
    return get_format(name).write(nquads)
