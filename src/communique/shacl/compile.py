"""Compile a shapes graph into :class:`~.shapes.Shape` objects and their targets.

Only the part of SHACL Core that the project's shapes use is compiled: targets sh:targetClass and
sh:targetObjectsOf; node shapes with sh:property, sh:class, sh:or and the value-type, string and
range components below; property shapes with a predicate as sh:path and sh:minCount, sh:maxCount,
sh:lessThan as well; sh:severity and exactly one sh:message on every shape that can report. A
shapes graph that uses anything else (another sh: term, a complex path, a shape without a message,
sh:property or sh:or nested inside an sh:or operand…) raises :class:`UnsupportedShapes`, naming the
shape and the feature, so that the caller validates with pySHACL instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ..validate import short_name
from . import constraints as c
from .index import RDF_TYPE, SUBCLASS_OF
from .literals import NODE_KINDS
from .shapes import Shape

__all__ = ["CompiledShapes", "UnsupportedShapes", "compile_shapes"]

SH = "http://www.w3.org/ns/shacl#"


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


NODE_SHAPE, PROPERTY_SHAPE, VIOLATION = _sh("NodeShape"), _sh("PropertyShape"), _sh("Violation")
PATH, PROPERTY, OR, MESSAGE, SEVERITY = _sh("path"), _sh("property"), _sh("or"), _sh("message"), _sh("severity")
TARGET_CLASS, TARGET_OBJECTS_OF = _sh("targetClass"), _sh("targetObjectsOf")
CLASS, DATATYPE, NODE_KIND, IN = _sh("class"), _sh("datatype"), _sh("nodeKind"), _sh("in")
MIN_COUNT, MAX_COUNT, MIN_LENGTH = _sh("minCount"), _sh("maxCount"), _sh("minLength")
PATTERN, FLAGS, MIN_INCLUSIVE, LESS_THAN = _sh("pattern"), _sh("flags"), _sh("minInclusive"), _sh("lessThan")

#: constraint parameters a node shape may use (a property shape: these and PROPERTY_ONLY)
NODE_PARAMETERS = frozenset({CLASS, DATATYPE, NODE_KIND, IN, MIN_LENGTH, PATTERN, FLAGS, MIN_INCLUSIVE, OR})
PROPERTY_ONLY = frozenset({MIN_COUNT, MAX_COUNT, LESS_THAN})
#: every sh: predicate the shapes graph may use (the others only annotate)
SUPPORTED = NODE_PARAMETERS | PROPERTY_ONLY | {
    PATH, PROPERTY, MESSAGE, SEVERITY, TARGET_CLASS, TARGET_OBJECTS_OF,
    _sh("name"), _sh("description"), _sh("order"), _sh("group"), _sh("declare"), _sh("prefix"), _sh("namespace"),
}
PATH_TERMS = frozenset(_sh(t) for t in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath",
                                         "zeroOrOnePath"))
SUPPORTED_TYPES = frozenset({NODE_SHAPE, PROPERTY_SHAPE, _sh("PrefixDeclaration")})
INTEGER = frozenset({XSD.integer})  # what pySHACL takes for sh:minCount and sh:maxCount
WHOLE_INTEGERS = frozenset({XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger,
                            XSD.short, XSD.unsignedByte, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort})


class UnsupportedShapes(ValueError):
    """The shapes graph uses something the compiled validator does not implement: ``shape`` (the
    node in the shapes graph) uses ``feature``; the message names both."""

    def __init__(self, shape: Node, feature: str, name: str | None = None) -> None:
        super().__init__(f"shape {name or short_name(shape)}: {feature} "
                         "is not supported by the compiled SHACL validator")
        self.shape, self.feature = shape, feature


def _name(g: Graph, node: Node, depth: int = 0) -> str:
    """A shape as people find it: its IRI, or for a blank node where it sits in a named one."""
    if not isinstance(node, BNode) or depth > 8:
        return str(short_name(node))
    for holder, p in g.subject_predicates(node):
        if p in (RDF.first, RDF.rest):  # a member of a list: named after what holds the list
            head: Node = holder
            seen: set[Node] = {node}
            while (previous := g.value(None, RDF.rest, head)) is not None and previous not in seen:
                seen.add(head)
                head = previous
            outer = next(g.subject_predicates(head), None)
            return f"{_name(g, outer[0], depth + 1)} {_term(outer[1])} ( … )" if outer else "( … )"
        return f"{_name(g, holder, depth + 1)} {_term(p)} [ … ]"
    return "[ … ]"


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes that have targets, by target."""

    by_class: dict[Node, tuple[Shape, ...]]  #: sh:targetClass → shapes
    by_object_of: dict[Node, tuple[Shape, ...]]  #: sh:targetObjectsOf → shapes
    terms: dict[Node, Node]  #: every predicate and class the shapes look up → the one object they use


def _term(node: Node) -> str:
    """A term in a message: sh: terms by their prefixed name too."""
    return "sh:" + node[len(SH):] if isinstance(node, URIRef) and node.startswith(SH) else str(short_name(node))


def _check_vocabulary(g: Graph) -> None:
    """Refuse any sh: predicate or sh: class outside the subset, wherever it is used."""
    used = sorted(g.subject_predicates(None, unique=True), key=lambda sp: isinstance(sp[0], BNode))
    for s, p in used:  # named shapes first: their own sh: terms, before those of what they hold
        if isinstance(p, URIRef) and p.startswith(SH) and p not in SUPPORTED:
            raise UnsupportedShapes(s, f"a complex sh:path ({_term(p)})" if p in PATH_TERMS else _term(p))
    for s, o in g.subject_objects(RDF.type):
        if isinstance(o, URIRef) and o.startswith(SH) and o not in SUPPORTED_TYPES:
            raise UnsupportedShapes(s, f"rdf:type {_term(o)}")


def _find_shapes(g: Graph) -> dict[Node, URIRef | None]:
    """Every shape as pySHACL finds them (declared, or implied by targets, sh:property, sh:or) →
    its path (None: a node shape)."""
    declared_nodes = set(g.subjects(RDF.type, NODE_SHAPE))
    declared_props = set(g.subjects(RDF.type, PROPERTY_SHAPE))
    implied = {s for p in (TARGET_CLASS, TARGET_OBJECTS_OF, PROPERTY) for s in g.subjects(p, None)}
    implied |= set(g.objects(None, PROPERTY))
    for lst in set(g.objects(None, OR)):
        implied.update(g.items(lst))
    shapes: dict[Node, URIRef | None] = {}
    for node in declared_nodes | declared_props | implied:
        if isinstance(node, Literal):
            raise UnsupportedShapes(node, "a literal as a shape")
        paths = list(g.objects(node, PATH))
        if len(paths) > 1 or (node in declared_nodes and paths) or (node in declared_props and not paths):
            raise UnsupportedShapes(node, "a shape that is not exactly a node shape or a property shape")
        if paths and not isinstance(paths[0], URIRef):
            raise UnsupportedShapes(node, "a complex sh:path (sequence, alternative, inverse or other)")
        if any(t not in SUPPORTED_TYPES for t in g.objects(node, RDF.type)):
            raise UnsupportedShapes(node, "a shape with an rdf:type other than sh:NodeShape or sh:PropertyShape")
        shapes[node] = paths[0] if paths else None  # type: ignore[assignment]
    return shapes


def _one(g: Graph, node: Node, p: URIRef) -> Node | None:
    values = list(g.objects(node, p))
    if len(values) > 1:
        raise UnsupportedShapes(node, f"more than one {_term(p)}")
    return values[0] if values else None


def _iri(node: Node, p: URIRef, value: Node) -> URIRef:
    if not isinstance(value, URIRef):
        raise UnsupportedShapes(node, f"{_term(p)} {value!r} (not an IRI)")
    return value


def _count(node: Node, p: URIRef, value: Node, types: frozenset[URIRef]) -> int:
    if not (isinstance(value, Literal) and value.datatype in types and type(value.value) is int
            and value.value >= 0):
        raise UnsupportedShapes(node, f"{_term(p)} {value!r} (not a non-negative integer)")
    return value.value


def _regex(g: Graph, node: Node, value: Node) -> re.Pattern[str]:
    if not (isinstance(value, Literal) and isinstance(value.value, str)
            and value.datatype in (None, XSD.string)):
        raise UnsupportedShapes(node, f"sh:pattern {value!r} (not a string)")
    flags_node = _one(g, node, FLAGS)
    flags = str(flags_node).lower() if flags_node is not None else ""
    if not set(flags) <= {"i", "m"}:
        raise UnsupportedShapes(node, f"sh:flags {flags_node!r} (only i and m are)")
    try:
        return re.compile(str(value), (re.IGNORECASE if "i" in flags else 0)
                          | (re.MULTILINE if "m" in flags else 0))
    except re.error as exc:
        raise UnsupportedShapes(node, f"sh:pattern {value!r} ({exc})") from exc


def _list(g: Graph, node: Node, p: URIRef, head: Node) -> list[Node]:
    if not isinstance(head, BNode | URIRef):
        raise UnsupportedShapes(node, f"{_term(p)} {head!r} (not an RDF list)")
    return list(g.items(head))


def _checks(g: Graph, node: Node, shape: Shape, shapes: dict[Node, Shape],
            terms: dict[Node, Node]) -> list[c.Check]:
    """The checks of one shape's own constraint parameters (not sh:property); its counts are
    set on ``shape``."""
    checks: list[c.Check] = []
    one = {p: _one(g, node, p) for p in (MIN_COUNT, MAX_COUNT, NODE_KIND, DATATYPE, MIN_LENGTH, IN)}
    if shape.path is None and any(one[p] is not None for p in PROPERTY_ONLY if p in one):
        raise UnsupportedShapes(node, "sh:minCount or sh:maxCount on a node shape")
    if (v := one[MIN_COUNT]) is not None:
        shape.min_count = _count(node, MIN_COUNT, v, INTEGER)
    if (v := one[MAX_COUNT]) is not None:
        shape.max_count = _count(node, MAX_COUNT, v, INTEGER)
    if (v := one[NODE_KIND]) is not None:
        if v not in NODE_KINDS:
            raise UnsupportedShapes(node, f"sh:nodeKind {v!r}")
        checks.append(c.node_kind(NODE_KINDS[v]))  # type: ignore[index]
    if (v := one[DATATYPE]) is not None:
        checks.append(c.datatype(_iri(node, DATATYPE, v)))
    if (v := one[MIN_LENGTH]) is not None:
        checks.append(c.min_length(_count(node, MIN_LENGTH, v, WHOLE_INTEGERS)))
    if (v := one[IN]) is not None:
        checks.append(c.in_(frozenset(_list(g, node, IN, v))))
    checks.extend(c.class_(terms.setdefault(v, _iri(node, CLASS, v))) for v in g.objects(node, CLASS))
    checks.extend(c.pattern(_regex(g, node, v)) for v in g.objects(node, PATTERN))
    for v in g.objects(node, MIN_INCLUSIVE):
        if not isinstance(v, Literal):
            raise UnsupportedShapes(node, f"sh:minInclusive {v!r} (not a literal)")
        checks.append(c.min_inclusive(v))
    for v in g.objects(node, LESS_THAN):
        if shape.path is None:
            raise UnsupportedShapes(node, "sh:lessThan on a node shape")
        checks.append(c.less_than_property(cast(URIRef, terms.setdefault(v, _iri(node, LESS_THAN, v)))))
    for v in g.objects(node, OR):
        members = _list(g, node, OR, v)
        if not members:
            raise UnsupportedShapes(node, "an empty sh:or list")
        checks.append(c.or_([shapes[m].conforms for m in members]))
    return checks


def _severity(g: Graph, node: Node) -> URIRef:
    value = _one(g, node, SEVERITY)
    return VIOLATION if value is None else _iri(node, SEVERITY, value)


def _message(g: Graph, node: Node) -> str | None:
    value = _one(g, node, MESSAGE)
    if value is not None and not isinstance(value, Literal):
        raise UnsupportedShapes(node, f"sh:message {value!r} (not a literal)")
    return None if value is None else str(value)


def compile_shapes(g: Graph) -> CompiledShapes:
    """The shapes of ``g`` that have targets, compiled; raises :class:`UnsupportedShapes`."""
    try:
        return _compile(g)
    except UnsupportedShapes as exc:
        if isinstance(exc.shape, BNode):
            raise UnsupportedShapes(exc.shape, exc.feature, _name(g, exc.shape)) from None
        raise


def _compile(g: Graph) -> CompiledShapes:
    _check_vocabulary(g)
    found = _find_shapes(g)
    terms: dict[Node, Node] = {RDF_TYPE: RDF_TYPE, SUBCLASS_OF: SUBCLASS_OF}
    shapes = {node: Shape(node, path if path is None else terms.setdefault(path, path),  # type: ignore[arg-type]
                          _severity(g, node), _message(g, node), short_name(path))
              for node, path in found.items()}
    operands = {m for lst in g.objects(None, OR) for m in g.items(lst)}
    for node, shape in shapes.items():
        shape.checks = tuple(_checks(g, node, shape, shapes, terms))
        props = list(g.objects(node, PROPERTY))
        if props and shape.path is not None:
            raise UnsupportedShapes(node, "sh:property on a property shape")
        if any(found.get(p) is None for p in props):
            raise UnsupportedShapes(node, "sh:property whose value is not a property shape")
        shape.properties = tuple(shapes[p] for p in props)
        if node in operands and (props or (node, OR, None) in g):
            raise UnsupportedShapes(node, "sh:property or sh:or in an operand of sh:or")
    for shape in shapes.values():
        shape.finish()
    reporting = {s for p in (TARGET_CLASS, TARGET_OBJECTS_OF) for s in g.subjects(p, None)}
    reporting |= set(g.objects(None, PROPERTY))
    for node in reporting:
        if shapes[node].reports and shapes[node].message is None:
            raise UnsupportedShapes(node, "a shape with constraints but no sh:message")
    return CompiledShapes(_targets(g, shapes, TARGET_CLASS, terms), _targets(g, shapes, TARGET_OBJECTS_OF, terms),
                          terms)


def _targets(g: Graph, shapes: dict[Node, Shape], p: URIRef,
             terms: dict[Node, Node]) -> dict[Node, tuple[Shape, ...]]:
    by: dict[Node, list[Shape]] = {}
    for s, o in g.subject_objects(p):
        by.setdefault(terms.setdefault(o, _iri(s, p, o)), []).append(shapes[s])
    return {k: tuple(v) for k, v in by.items()}
