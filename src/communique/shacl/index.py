"""The data graph as the validator reads it: one pass over the triples into a subject → predicate →
objects index and a class → instances index (rdf:type), with rdfs:subClassOf* on top."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from rdflib import ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

__all__ = ["RDF_TYPE", "SUBCLASS_OF", "DataIndex", "Triples"]

Triples = Graph | Iterable[tuple[Node, Node, Node]]  #: a graph (a dataset: the union of its graphs) or triples

RDF_TYPE: Final = RDF.type
SUBCLASS_OF: Final = RDFS.subClassOf
_NONE: Final[Mapping[Node, list[Node]]] = {}
_NONE_TERMS: Final[Mapping[Node, Node]] = {RDF_TYPE: RDF_TYPE, SUBCLASS_OF: SUBCLASS_OF}


def _unique(triples: Triples) -> Iterable[tuple[Node, Node, Node]]:
    """The triples once each: a graph's or a set's as they are, any other iterable deduplicated."""
    if isinstance(triples, ConjunctiveGraph):  # a dataset: the union of its graphs
        return {(s, p, o) for s, p, o, _ in triples.quads((None, None, None, None))}
    if isinstance(triples, Graph):
        return triples.triples((None, None, None))
    if isinstance(triples, (set, frozenset)):
        return triples
    return set(triples)


class DataIndex:
    """Subject → predicate → objects of one data graph, and the SHACL instances of classes.

    ``terms`` maps the predicates and classes the shapes look up to the very objects they look them
    up with; the index holds those objects in their place (predicates, and the classes of rdf:type),
    so that a lookup finds its key by identity rather than by rdflib's Python-level term equality.
    """

    __slots__ = ("_supers", "_typed", "out")

    def __init__(self, triples: Triples, terms: Mapping[Node, Node] = _NONE_TERMS) -> None:
        out: dict[Node, dict[Node, list[Node]]] = {}
        typed: dict[Node, list[Node]] = {}  # class → the subjects typed with it
        get = out.get
        seen: dict[int, tuple[Node, Node]] = {}  # id(term) → (the term, kept alive; its stand-in)
        subclasses = False
        rdf_type, subclass_of = RDF_TYPE, SUBCLASS_OF  # locals: this loop is the validator's hottest
        for s, p, o in _unique(triples):
            known = seen.get(id(p))
            if known is None:
                known = seen[id(p)] = (p, terms.get(p, p))
            p = known[1]
            if p is rdf_type:
                known = seen.get(id(o))
                if known is None:
                    known = seen[id(o)] = (o, terms.get(o, o))
                o = known[1]
                instances = typed.get(o)
                if instances is None:
                    typed[o] = [s]
                else:
                    instances.append(s)
            elif p is subclass_of:
                subclasses = True
            po = get(s)
            if po is None:
                out[s] = {p: [o]}
            else:
                objects = po.get(p)
                if objects is None:
                    po[p] = [o]
                else:
                    objects.append(o)
        self.out = out
        self._typed = typed
        #: class → its superclasses (itself included), once the data has any rdfs:subClassOf
        self._supers: dict[Node, frozenset[Node]] | None = {} if subclasses else None

    def values(self, focus: Node, path: Node) -> Sequence[Node]:
        """The objects of ``focus`` by ``path`` (a predicate)."""
        return self.out.get(focus, _NONE).get(path, ())

    def objects_of(self, predicate: Node) -> list[Node]:
        """Every object of ``predicate`` (sh:targetObjectsOf)."""
        return [o for po in self.out.values() for o in po.get(predicate, ())]

    def instances(self, cls: Node) -> Sequence[Node]:
        """Every subject typed ``cls`` or one of its subclasses, transitively (sh:targetClass)."""
        if self._supers is None:
            return self._typed.get(cls, ())
        return [s for t, subjects in self._typed.items() if cls in self.superclasses(t) for s in subjects]

    def superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and every class it is an rdfs:subClassOf, transitively, in the data."""
        if self._supers is None:
            return frozenset((cls,))
        found = self._supers.get(cls)
        if found is None:
            seen: set[Node] = {cls}
            todo = [cls]
            while todo:
                for sup in self.out.get(todo.pop(), _NONE).get(SUBCLASS_OF, ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            found = self._supers[cls] = frozenset(seen)
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        """Whether ``node`` is a SHACL instance of ``cls``: one of its rdf:type values is ``cls``
        or an rdfs:subClassOf* of it. A literal is an instance of nothing."""
        if type(node) is not URIRef and isinstance(node, Literal):
            return False
        types = self.out.get(node, _NONE).get(RDF_TYPE, ())
        if cls in types:
            return True
        if self._supers is None:
            return False
        return any(cls in self.superclasses(t) for t in types)
