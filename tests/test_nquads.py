"""N-Triples/N-Quads lines written without rdflib's serializer read back as the same terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from communique.nquads import quad_lines, term, triple_lines

XS = "http://www.w3.org/2001/XMLSchema#"
S, P = URIRef("http://example.org/s"), URIRef("http://example.org/p")
OBJECTS = [
    Literal('He said "no" \\ twice'), Literal("two\nlines\r\nand a tab\t"), Literal("Déclaration conjointe — ✓"),
    Literal("fr", lang="fr"), Literal("2019-01-23", datatype=URIRef(XS + "date")), Literal(5, datatype=URIRef(XS + "integer")),
    Literal("x", datatype=URIRef(XS + "string")), URIRef("http://example.org/o#frag"), Literal('ends with a quote"'),
]


@pytest.mark.parametrize("obj", OBJECTS, ids=range(len(OBJECTS)))
def test_lines_parse_back_to_the_same_triple(obj: Literal | URIRef) -> None:
    g = Graph().parse(data="".join(triple_lines([(S, P, obj)])), format="nt")
    assert set(g) == {(S, P, obj)}
    ours = list(ox.parse("".join(quad_lines([(S, P, obj)], "http://example.org/g")).encode(), format=ox.RdfFormat.N_QUADS))
    theirs = list(ox.parse(Graph().add((S, P, obj)).serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    assert [(q.subject, q.predicate, q.object) for q in ours] == [(t.subject, t.predicate, t.object) for t in theirs]
    assert ours[0].graph_name == ox.NamedNode("http://example.org/g")


def test_blank_nodes_and_non_terms() -> None:
    assert term(BNode("b1")) == "_:b1"
    with pytest.raises(TypeError):
        term("plain string")  # type: ignore[arg-type]
