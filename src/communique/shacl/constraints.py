"""One check per SHACL Core constraint component that constrains value nodes.

A check takes the data index, a focus node and its value nodes (the focus node itself for a node
shape, the objects of the path for a property shape; never none) and returns the value nodes that
fail it, or an empty sequence. What counts as failing follows pySHACL (see :mod:`.literals`). The
counts, sh:minCount and sh:maxCount, are checked by the shape itself (:mod:`.shapes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from .index import DataIndex
from .literals import (
    compare_literals,
    datatype_matcher,
    integer_value,
    is_blank,
    less_than,
    lexical,
    node_kind_matches,
)

__all__ = [
    "Check",
    "Conforms",
    "class_",
    "datatype",
    "in_",
    "less_than_property",
    "min_inclusive",
    "min_length",
    "node_kind",
    "or_",
    "pattern",
]

Failures = Sequence[Node]
Check = Callable[[DataIndex, Node, Sequence[Node]], Failures]
#: whether a node conforms to a shape (an operand of sh:or)
Conforms = Callable[[DataIndex, Node], bool]

_OK: Failures = ()


def node_kind(kinds: frozenset[str]) -> Check:
    """sh:nodeKind: every value is of one of ``kinds`` ("iri", "bnode", "literal")."""
    if kinds == frozenset({"iri"}):
        def iri(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
            return [v for v in values if type(v) is not URIRef and not node_kind_matches(v, kinds)]
        return iri
    if kinds == frozenset({"literal"}):
        def literal(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
            return [v for v in values if not isinstance(v, Literal)]
        return literal

    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if not node_kind_matches(v, kinds)]
    return check


def class_(cls: Node) -> Check:
    """sh:class: every value is a SHACL instance of ``cls`` in the data graph."""
    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if not ix.is_instance(v, cls)]
    return check


def datatype(dt: URIRef) -> Check:
    """sh:datatype: every value is a literal of ``dt``, and not an ill-typed one."""
    matches = datatype_matcher(dt)

    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if not matches(v)]
    return check


def min_length(n: int) -> Check:
    """sh:minLength: the string of every value has at least ``n`` characters; a blank node fails
    (unless ``n`` is 0)."""
    if n == 0:
        return lambda ix, focus, values: _OK

    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if is_blank(v) or len(lexical(v)) < n]
    return check


def pattern(regex: re.Pattern[str]) -> Check:
    """sh:pattern: the string of every value matches ``regex`` somewhere; a blank node fails."""
    search = regex.search

    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if is_blank(v) or search(lexical(v)) is None]
    return check


def in_(members: frozenset[Node]) -> Check:
    """sh:in: every value is one of ``members`` (RDF term equality)."""
    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if v not in members]
    return check


def min_inclusive(bound: Literal) -> Check:
    """sh:minInclusive: every value is a literal ``>= bound`` by rdflib's order (numbers by value);
    a string and a non-string, or literals rdflib cannot order, fail."""
    def at_least(v: Node) -> bool:
        if not isinstance(v, Literal) or isinstance(v.value, str) != isinstance(bound.value, str):
            return False
        try:
            return compare_literals(v, bound) >= 0
        except (TypeError, NotImplementedError):
            return False

    least = integer_value(bound)
    if least is None:
        def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
            return [v for v in values if not at_least(v)]
        return check
    floor: int = least

    def integers(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        # the common case first: two well-formed xsd:integer literals, which rdflib orders by value
        return [v for v in values if not ((n := integer_value(v)) is not None and n >= floor or at_least(v))]
    return integers


def less_than_property(other: URIRef) -> Check:
    """sh:lessThan: every value is less than every value of ``other`` at the focus node — one
    failure per pair that is not (pySHACL gives one result per pair)."""
    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        if any(is_blank(v) for v in values):
            raise ValueError("sh:lessThan cannot compare a blank node")
        others = ix.values(focus, other)
        return [v for v in values for w in others if not less_than(v, w)]
    return check


def or_(operands: Sequence[Conforms]) -> Check:
    """sh:or: every value conforms to at least one of the operand shapes (whose own results are
    not reported)."""
    def check(ix: DataIndex, focus: Node, values: Sequence[Node]) -> Failures:
        return [v for v in values if not any(conforms(ix, v) for conforms in operands)]
    return check
