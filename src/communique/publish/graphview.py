"""A read-only graph of rdflib terms that answers the pattern queries of the pages as rdflib does.

The pages read each statement's description with rdflib's ``Graph`` API (``value``, ``objects``,
``subjects``, ``predicate_objects``, ``in``, iteration). Parsing N-Triples with rdflib's parser and
indexing with its ``Memory`` store costs far more than the reading itself; :class:`TermGraph`
takes the triples parsed by Oxigraph, makes the same rdflib terms rdflib's N-Triples parser makes,
and keeps them in the three nested indexes of ``Memory`` (subject → predicate → object, predicate
→ object → subject, object → subject → predicate) in the same insertion order, so that every
pattern yields the same terms in the same order as a ``Graph`` parsed from the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["TermGraph", "rdflib_term"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_Index = dict[Node, dict[Node, dict[Node, int]]]
_Pattern = tuple[Node | None, Node | None, Node | None]


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term that rdflib's N-Triples parser makes of ``term``'s N-Triples form."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language is not None:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


@lru_cache(maxsize=1 << 16)
def _term(term: object) -> Node:
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise TypeError(f"not an RDF 1.1 term: {term}")
    return rdflib_term(term)


class TermGraph:
    """Triples of rdflib terms, indexed as rdflib's ``Memory`` store indexes them."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        self._spo: _Index = {}
        self._pos: _Index = {}
        self._osp: _Index = {}
        for s, p, o in triples:
            self.add(s, p, o)

    @classmethod
    def from_ntriples(cls, ntriples: str) -> TermGraph:
        """The graph of N-Triples text, in the order of its lines."""
        return cls.from_quads(ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> TermGraph:
        """The graph of parsed N-Triples (their graph names aside), in their order."""
        graph = cls()
        spo, pos, osp, term = graph._spo, graph._pos, graph._osp, _term
        for quad in quads:  # what add() does, inlined
            s, p, o = term(quad.subject), term(quad.predicate), term(quad.object)
            spo.setdefault(s, {}).setdefault(p, {})[o] = 1
            pos.setdefault(p, {}).setdefault(o, {})[s] = 1
            osp.setdefault(o, {}).setdefault(s, {})[p] = 1
        return graph

    def add(self, s: Node, p: Node, o: Node) -> None:
        for index, a, b, c in ((self._spo, s, p, o), (self._pos, p, o, s), (self._osp, o, s, p)):
            inner = index.get(a)
            if inner is None:
                index[a] = {b: {c: 1}}
                continue
            leaves = inner.get(b)
            if leaves is None:
                inner[b] = {c: 1}
            else:
                leaves[c] = 1

    def __len__(self) -> int:
        return sum(len(objects) for po in self._spo.values() for objects in po.values())

    def triples(self, pattern: _Pattern) -> Iterator[tuple[Node, Node, Node]]:
        s, p, o = pattern
        if s is not None:
            po = self._spo.get(s, {})
            for pred in ([p] if p is not None else list(po)):
                for obj in ([o] if o is not None else list(po.get(pred, {}))):
                    if obj in po.get(pred, {}):
                        yield s, pred, obj
        elif p is not None:
            os_ = self._pos.get(p, {})
            for obj in ([o] if o is not None else list(os_)):
                for subj in list(os_.get(obj, {})):
                    yield subj, p, obj
        elif o is not None:
            for subj, preds in list(self._osp.get(o, {}).items()):
                for pred in list(preds):
                    yield subj, pred, o
        else:
            for subj, po in list(self._spo.items()):
                for pred, objects in list(po.items()):
                    for obj in list(objects):
                        yield subj, pred, obj

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return self.triples((None, None, None))

    def __contains__(self, pattern: _Pattern) -> bool:
        s, p, o = pattern
        if s is not None and p is not None and o is not None:
            return o in self._spo.get(s, {}).get(p, {})
        return next(self.triples(pattern), None) is not None

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:  # the pages' usual question, without triples()
            return iter(list(self._spo.get(subject, {}).get(predicate, ())))
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if predicate is not None and obj is not None:
            return iter(list(self._pos.get(predicate, {}).get(obj, ())))
        return (s for s, _, _ in self.triples((None, predicate, obj)))

    def predicates(self, subject: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        return (p for _, p, _ in self.triples((subject, None, obj)))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def value(self, subject: Node | None = None, predicate: Node | None = None, obj: Node | None = None,
              default: Node | None = None) -> Node | None:
        """As ``rdflib.Graph.value`` (``any=True``): None unless exactly one of the three is None."""
        if (subject is None) + (predicate is None) + (obj is None) != 1:
            return None
        if obj is None:  # subject and predicate given: the first object, without triples()
            found = self._spo.get(subject, {}).get(predicate)  # type: ignore[arg-type]
            return next(iter(found), default) if found else default
        elif subject is None:
            values = self.subjects(predicate, obj)
        else:
            values = self.predicates(subject, obj)
        return next(values, default)
