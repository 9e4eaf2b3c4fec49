"""How SHACL Core compares and reads RDF terms, exactly as pySHACL does it.

pySHACL is the reference validator of the project, so these functions follow its semantics rather
than a stricter reading of the specification: which literals match a datatype (rdflib's own
ill-typed flag and Python value types), the string a term is measured or matched as, and how two
literals are ordered (rdflib's literal comparison).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Final

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier, Node

__all__ = ["NODE_KINDS", "compare_literals", "datatype_matcher", "integer_value", "is_blank", "less_than", "lexical",
           "node_kind_matches"]

SH_NS: Final = "http://www.w3.org/ns/shacl#"
XSD_STRING: Final = XSD.string
XSD_INTEGER: Final = XSD.integer
RDF_LANG_STRING: Final = RDF.langString
RDFS_LITERAL: Final = RDFS.Literal
RDFS_DATATYPE: Final = RDFS.Datatype
_STRINGS: Final = (None, RDF_LANG_STRING, XSD_STRING)

#: sh:nodeKind value → the kinds of term it admits ("iri", "bnode", "literal")
NODE_KINDS: Final[dict[URIRef, frozenset[str]]] = {
    URIRef(SH_NS + "IRI"): frozenset({"iri"}),
    URIRef(SH_NS + "BlankNode"): frozenset({"bnode"}),
    URIRef(SH_NS + "Literal"): frozenset({"literal"}),
    URIRef(SH_NS + "BlankNodeOrIRI"): frozenset({"bnode", "iri"}),
    URIRef(SH_NS + "BlankNodeOrLiteral"): frozenset({"bnode", "literal"}),
    URIRef(SH_NS + "IRIOrLiteral"): frozenset({"iri", "literal"}),
}

#: datatype → the Python type rdflib gives a well-formed literal of it (other datatypes: any value)
_VALUE_TYPES: Final[dict[URIRef, type | tuple[type, ...]]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: datetime.date,
    XSD.time: datetime.time,
    XSD.dateTime: datetime.datetime,
}

#: value classes whose literals are ordered by value rather than by rdflib's total order
_BY_VALUE: Final = (datetime.datetime, datetime.time)


def datatype_matcher(dt: URIRef) -> Callable[[Node], bool]:
    """The test of ``sh:datatype dt``: whether a term is a literal of ``dt`` and not an ill-typed
    one — rdflib's ill-typed flag, then the Python type of its value for the datatypes pySHACL
    knows (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    expected = _VALUE_TYPES.get(dt, object)
    any_literal, any_typed = dt == RDFS_LITERAL, dt == RDFS_DATATYPE
    plain, lang = dt == XSD_STRING, dt == RDF_LANG_STRING
    same = str.__eq__  # both datatypes are IRIs: compare them as strings, without rdflib's __eq__

    def matches(v: Node) -> bool:
        if type(v) is not Literal and not isinstance(v, Literal):
            return False
        d = v.datatype
        if d is not None and same(d, dt):
            return v.ill_typed is not True and isinstance(v.value, expected)
        if any_literal:
            return True
        if any_typed:
            return d is not None
        if plain and d is None and v.language is None:
            return isinstance(v.value, expected)
        if lang and v.language:
            return isinstance(v.value, expected)
        return False
    return matches


def is_blank(v: Node) -> bool:
    """Whether ``v`` is a blank node (the common terms tested first: rdflib's term classes are ABCs,
    and a failing isinstance against one is slow)."""
    t = type(v)
    return t is BNode or (t is not URIRef and t is not Literal and isinstance(v, BNode))


def node_kind_matches(v: Node, kinds: frozenset[str]) -> bool:
    """Whether ``v`` is of one of ``kinds`` (see :data:`NODE_KINDS`)."""
    if isinstance(v, BNode):
        return "bnode" in kinds
    if isinstance(v, Literal):
        return "literal" in kinds
    if isinstance(v, Identifier):
        return "iri" in kinds
    return False


def lexical(v: Node) -> str:
    """The string sh:minLength measures and sh:pattern matches (never called with a blank node)."""
    if type(v) is not URIRef and isinstance(v, Literal) and v.value is not None and v.datatype in _STRINGS:
        return str(v.value)
    return str(v)


def compare_literals(a: Literal, b: Literal) -> int:
    """-1, 0 or 1 as ``a`` is less than, equal to or greater than ``b``; raises TypeError (or
    NotImplementedError) where rdflib cannot order them."""
    if a.eq(b):
        return 0
    if a.value.__class__ in _BY_VALUE:
        if a.value == b.value:
            return 0
        if a.value > b.value:
            return 1
    elif a > b:
        return 1
    return -1


def integer_value(v: Node) -> int | None:
    """The value of ``v`` if it is a well-formed xsd:integer literal (two of which rdflib orders
    by value), else None."""
    if isinstance(v, Literal) and v.datatype is not None and str.__eq__(v.datatype, XSD_INTEGER):
        value = v.value
        if type(value) is int:
            return value
    return None


def less_than(a: Node, b: Node) -> bool:
    """Whether ``a < b`` for sh:lessThan: IRIs and string literals compare as strings, other
    literals by rdflib's order, a string with a non-string never."""
    x_int, y_int = integer_value(a), integer_value(b)
    if x_int is not None and y_int is not None:
        return x_int < y_int
    if is_blank(a) or is_blank(b):
        raise ValueError("sh:lessThan cannot compare a blank node")
    x, x_is_string = _comparable(a)
    y, y_is_string = _comparable(b)
    if x_is_string != y_is_string:
        return False
    return bool(x < y)  # type: ignore[operator]


def _comparable(v: Node) -> tuple[object, bool]:
    """What sh:lessThan compares of ``v``, and whether it is a string: an IRI or a string
    literal as its string, another literal as itself (rdflib's order)."""
    if isinstance(v, URIRef):
        return str(v), True
    if isinstance(v, Literal) and isinstance(v.value, str):
        return v.value, True
    return v, False
