"""Serializations of the store, from one table: name ↔ media type ↔ suffix ↔ serializer.

Every serializer takes N-Quads (what the store dumps, lines sorted) and returns text, so the same
path serves the whole corpus, one statement, and tests. Output is deterministic. The serializers
read a :class:`Parsed` text, which parses it once for all of them (:func:`serialize_all`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import UsageError
from .jsonld import dumps, quads_to_jsonld, sort_quads
from .namespaces import PREFIXES

__all__ = ["Format", "FORMATS", "Parsed", "get_format", "serialize", "serialize_all", "to_dataset", "to_graph"]


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


class Parsed:
    """N-Quads text, parsed (once, when a serializer first needs it) with Oxigraph."""

    def __init__(self, nquads: str) -> None:
        self.text = nquads

    @classmethod
    def of_lines(cls, lines: list[str]) -> Parsed:
        """N-Triples lines (without their newlines), such as Oxigraph writes, sorted and distinct.

        When they are strictly increasing and each is exactly ``f"{triple} ."`` of the triple it
        parses to, they are already in the order of both sorts (by the N-Triples form of the
        triple, and by those of its terms: no term's form is a proper prefix of another's followed
        by a character below the space), so they are not sorted again."""
        data = cls("".join(line + "\n" for line in lines))
        parsed = data.parsed
        if len(parsed) == len(lines) and all(a < b for a, b in pairwise(lines)) \
                and all(f"{q.triple} ." == line for q, line in zip(parsed, lines)):
            data.__dict__["quads"] = parsed
            data.__dict__["triples"] = [q.triple for q in parsed]
            data.__dict__["ntriples"] = data.text
        return data

    @cached_property
    def parsed(self) -> list[ox.Quad]:
        """The quads in the order of the text."""
        return list(ox.parse(self.text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))

    @cached_property
    def quads(self) -> list[ox.Quad]:
        """The quads in sorted order, so that output is deterministic."""
        return sort_quads(self.parsed)

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The union of all graphs: each triple once, sorted."""
        return sorted({q.triple for q in self.parsed}, key=str)

    @cached_property
    def ntriples(self) -> str:
        """N-Triples of :attr:`triples`, a line each (the text itself when it is already that)."""
        return "".join(f"{t} .\n" for t in self.triples)


def _write(items: list, rdf_format: ox.RdfFormat) -> str:
    """Oxigraph's writer (over 100 times faster than rdflib's here), with the project's prefixes
    declared in sorted order: Oxigraph would print them in hash order."""
    text = (ox.serialize(items, format=rdf_format, prefixes=PREFIXES) or b"").decode("utf-8")
    lines = text.split("\n")
    head = [line for line in lines if line.startswith("@prefix ")]
    return "\n".join(sorted(head) + [""] + lines[len(head):])


def _turtle(data: Parsed) -> str:
    return _write(data.triples, ox.RdfFormat.TURTLE)


def _ntriples(data: Parsed) -> str:
    return data.ntriples


def _nquads(data: Parsed) -> str:
    return data.text


def _trig(data: Parsed) -> str:
    return _write(data.quads, ox.RdfFormat.TRIG)


def _jsonld(data: Parsed) -> str:
    return dumps(quads_to_jsonld(data.quads))


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    dataset: bool  #: keeps named graphs
    rdflib_name: str  #: the rdflib parser name, for reading it back
    render: Callable[[Parsed], str]

    def write(self, nquads: str) -> str:
        return self.render(Parsed(nquads))


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


def serialize_all(data: str | Parsed, names: Iterable[str]) -> dict[str, str]:
    """N-Quads text (or a :class:`Parsed` one) in each format of ``names``, parsed once."""
    parsed = data if isinstance(data, Parsed) else Parsed(data)
    return {name: get_format(name).render(parsed) for name in names}
