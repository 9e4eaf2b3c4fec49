"""rdflib terms → N-Triples / N-Quads lines, without an rdflib Graph or serializer in between.

A build turns about 200 triples a statement into text for the store; rdflib's N-Triples serializer
costs more than the mapping itself. Lines here are canonical enough for any N-Quads parser (IRIs as
given, strings with ``\\``, ``"``, newline and carriage return escaped) and the store normalises
what it reads, so the quads stored are the same as through rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["lines_of", "literal", "quad_lines", "term", "triple_lines"]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term(node: Node) -> str:
    """One term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return literal(str(node), str(node.datatype) if node.datatype is not None else None, node.language)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def literal(text: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal in N-Triples syntax (a language tag wins over a datatype, as in RDF)."""
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if language:
        return f"{quoted}@{language}"
    return f"{quoted}^^<{datatype}>" if datatype is not None else quoted


def triple_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """N-Triples lines of ``triples``, sorted."""
    return sorted(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples)


def quad_lines(triples: Iterable[tuple[Node, Node, Node]], graph: str) -> list[str]:
    """N-Quads lines of ``triples`` in the named graph ``graph``, sorted."""
    name = f" <{graph}> .\n"
    return sorted(f"{term(s)} {term(p)} {term(o)}{name}" for s, p, o in triples)


def lines_of(text: str) -> list[str]:
    """The lines of N-Triples or N-Quads text, without newlines. Only ``\n`` ends a line: a literal
    may hold other characters that ``str.splitlines`` would cut at (U+2028, U+0085, form feed…)."""
    return [line for line in text.split("\n") if line]
