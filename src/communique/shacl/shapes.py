"""A compiled shape: its path, severity, message and checks, and how a focus node is validated
against it — which results it gives and whether it conforms, as pySHACL decides with warnings
allowed (a shape of severity sh:Warning or sh:Info always conforms, whatever its results)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from .constraints import Check
from .index import DataIndex

__all__ = ["ALLOWED_SEVERITIES", "Result", "Shape"]

SH_NS = "http://www.w3.org/ns/shacl#"
_NONE: dict[Node, list[Node]] = {}
_UNBOUNDED = 1 << 62
#: severities that do not make a shape fail (pySHACL's allow_warnings)
ALLOWED_SEVERITIES = frozenset({URIRef(SH_NS + "Warning"), URIRef(SH_NS + "Info")})

#: one validation result: focus node, value node (None: the focus node as a whole), source shape
Result = tuple[Node, Node | None, "Shape"]
#: what a shape checks of one focus node: the path (None: the focus node itself), the least and
#: the most values, the checks of the values, and the shape the results come from
_Part = tuple[URIRef | None, int, int, tuple[Check, ...], "Shape"]


@dataclass(eq=False, slots=True)
class Shape:
    """A node shape (``path`` None) or a property shape, ready to validate once :meth:`finish` ran."""

    node: Node  #: the shape in the shapes graph
    path: URIRef | None  #: the predicate of a property shape
    severity: URIRef
    message: str | None  #: None only for a shape that never reports (sh:or operands, sh:property holders)
    path_name: str | None = None  #: the path as reports show it
    min_count: int = 0  #: sh:minCount (0: none)
    max_count: int | None = None  #: sh:maxCount
    checks: tuple[Check, ...] = ()  #: the checks of its value nodes (all but the counts)
    properties: tuple[Shape, ...] = ()  #: sh:property shapes (node shapes only; they have none)
    allowed: bool = field(init=False)
    severity_name: str = field(init=False)
    _parts: tuple[_Part, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self.allowed = self.severity in ALLOWED_SEVERITIES
        self.severity_name = str(self.severity).rsplit("#", 1)[-1]

    @property
    def reports(self) -> bool:
        """Whether validating against this shape alone can give results."""
        return bool(self.checks or self.min_count or self.max_count is not None)

    def _part(self) -> _Part:
        most = _UNBOUNDED if self.max_count is None else self.max_count
        return self.path, self.min_count, most, self.checks, self

    def finish(self) -> None:
        """Lay out what :meth:`run` checks: its own constraints, then those of its property shapes
        (the value node of a node shape is the focus node, so each property shape checks the
        values of the focus node)."""
        own = (self._part(),) if self.reports else ()
        self._parts = own + tuple(prop._part() for prop in self.properties)

    def run(self, ix: DataIndex, focus: Node, sink: list[Result]) -> bool:
        """Validate ``focus``: append its results to ``sink``; whether it conforms."""
        by_predicate = ix.out.get(focus, _NONE)
        failed = False
        for path, least, most, checks, shape in self._parts:
            values = (focus,) if path is None else by_predicate.get(path, ())
            n = len(values)
            if n < least or n > most:  # sh:minCount, sh:maxCount: one result each, without a value
                if n < least:
                    sink.append((focus, None, shape))
                if n > most:
                    sink.append((focus, None, shape))
                if not shape.allowed:
                    failed = True
            if n:
                for check in checks:
                    bad = check(ix, focus, values)
                    if bad:
                        sink.extend([(focus, value, shape) for value in bad])
                        if not shape.allowed:
                            failed = True
        return self.allowed or not failed

    def conforms(self, ix: DataIndex, node: Node) -> bool:
        """Whether ``node`` conforms to this shape (its results are dropped)."""
        return self.run(ix, node, [])

    def __repr__(self) -> str:
        return f"<Shape {self.node}>"
