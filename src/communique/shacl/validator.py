"""The compiled validator: a shapes graph compiled once, then any number of data graphs validated
against it, with the same report as :func:`communique.validate.validate_graph` gives."""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.term import Node

from ..validate import Report, Violation, load_shapes, short_name, violation_key
from .compile import CompiledShapes, compile_shapes
from .index import DataIndex, Triples
from .shapes import Result, Shape

__all__ = ["CoreValidator", "core_validator"]


class CoreValidator:
    """Validates data against the SHACL Core subset of :mod:`.compile`, as pySHACL does."""

    __slots__ = ("_by_class", "_by_object_of", "_terms")

    def __init__(self, compiled: CompiledShapes) -> None:
        self._by_class = compiled.by_class
        self._by_object_of = compiled.by_object_of
        self._terms = compiled.terms

    @classmethod
    def from_shapes(cls, shapes: Graph) -> CoreValidator:
        """Compile ``shapes``; raises :class:`~.compile.UnsupportedShapes` if they use anything
        the compiled validator does not implement."""
        return cls(compile_shapes(shapes))

    def _focus_nodes(self, ix: DataIndex) -> dict[Shape, set[Node]]:
        """Every shape that has focus nodes in the data → its focus nodes (once each, whatever
        the number of targets that select them)."""
        focus: dict[Shape, set[Node]] = {}
        for targets, nodes_of in ((self._by_class, ix.instances), (self._by_object_of, ix.objects_of)):
            for target, shapes in targets.items():
                nodes = nodes_of(target)
                if nodes:
                    for shape in shapes:
                        found = focus.get(shape)
                        if found is None:
                            focus[shape] = set(nodes)
                        else:
                            found.update(nodes)
        return focus

    def results(self, triples: Triples) -> tuple[bool, list[Result]]:
        """Whether the data conforms, and every validation result as (focus, value, shape)."""
        ix = DataIndex(triples, self._terms)
        sink: list[Result] = []
        conforms = True
        for shape, nodes in self._focus_nodes(ix).items():
            run = shape.run
            for f in nodes:
                if not run(ix, f, sink):
                    conforms = False
        return conforms, sink

    def validate(self, triples: Triples) -> Report:
        """The report of ``triples``: a set or a list of triples of rdflib terms, or an rdflib Graph
        (a Dataset: the union of its graphs)."""
        conforms, results = self.results(triples)
        if not results:
            return Report(conforms, ())
        violations = [Violation(str(f), s.path_name, s.message or "constraint not met", s.severity_name,
                                short_name(v))
                      for f, v, s in results]
        violations.sort(key=violation_key)
        return Report(conforms, tuple(violations))


@cache
def core_validator() -> CoreValidator:
    """The compiled validator of the project's own shapes (compiled once per process)."""
    return CoreValidator.from_shapes(load_shapes())
