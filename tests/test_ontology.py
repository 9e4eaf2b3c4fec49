"""ontology/: every own term documented, the ontology and contexts parse, shapes are valid SHACL."""

from __future__ import annotations

import json

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from communique.namespaces import CQ, CQ_NS
from communique.resources import ontology_dir, shapes_dir
from communique.validate import load_shapes


def _ontology() -> Graph:
    return Graph().parse(ontology_dir() / "communique.ttl", format="turtle")


def test_every_term_has_label_comment_and_type() -> None:
    g = _ontology()
    terms = {str(CQ[name]) for name in CQ.__annotations__}
    for term in terms:
        node = URIRef(term)
        assert g.value(node, RDFS.label) is not None, term
        assert g.value(node, RDFS.comment) is not None, term
        assert g.value(node, RDF.type) is not None, term
    defined = {str(s) for s in g.subjects() if str(s).startswith(CQ_NS)}
    assert defined <= terms, defined - terms
    assert (URIRef(CQ_NS.rstrip("#")), RDF.type, OWL.Ontology) in g


def test_misspelt_term_fails_loudly() -> None:
    import pytest

    with pytest.raises(AttributeError):
        CQ.recognisedParty  # noqa: B018


def test_contexts_are_json() -> None:
    for name in ("context.jsonld", "schemaorg-context.jsonld"):
        doc = json.loads((ontology_dir() / name).read_text(encoding="utf-8"))
        assert "@context" in doc


def test_shapes_are_valid_shacl() -> None:
    shapes = load_shapes()
    assert len(list(shapes_dir().glob("*.ttl"))) >= 5
    conforms, _, text = validate(shapes, shacl_graph=None, meta_shacl=True, inference="none")
    # validating the shapes graph against itself with meta-SHACL checks the shapes' syntax
    assert conforms, text
