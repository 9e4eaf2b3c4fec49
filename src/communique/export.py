"""Serializations of the store, from one table: name ↔ media type ↔ suffix ↔ serializer.

Every serializer takes N-Quads (what the store dumps, lines sorted) and returns text, so the same
path serves the whole corpus, one statement, and tests. Output is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def _turtle(nquads: str) -> str:
    return to_graph(nquads).serialize(format="turtle")


def _ntriples(nquads: str) -> str:
    lines = {line for line in to_graph(nquads).serialize(format="nt").splitlines() if line.strip()}
    return "".join(line + "\n" for line in sorted(lines))


def _nquads(nquads: str) -> str:
    return nquads


def _trig(nquads: str) -> str:
    """TriG, one block per named graph in sorted order (rdflib's TriG writer orders graphs at random)."""
    by_graph: dict[str, list[str]] = {}
    for line in nquads.splitlines():
        term = line.rstrip(" .").rsplit(" ", 1)
        if line.strip():
            by_graph.setdefault(term[1] if term[1].startswith("<") else "", []).append(line)
    prefixes: set[str] = set()
    blocks: list[str] = []
    for name in sorted(by_graph):
        graph = to_graph("".join(line + "\n" for line in by_graph[name]))
        lines = graph.serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = "\n".join(line for line in lines if not line.startswith("@prefix")).strip("\n")  # no indent: literals span lines
        blocks.append(f"{name} {{\n{body}\n}}\n" if name else f"{{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


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
