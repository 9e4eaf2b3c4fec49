"""communique.shacl: the compiled validator gives exactly pySHACL's report (validate_graph) for every
sample statement and for graphs broken in every way the shapes check; shapes it does not implement
are refused."""

from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Graph, URIRef

from communique.shacl import CoreValidator, UnsupportedShapes, core_validator
from communique.validate import load_shapes, validate_graph

from .shacl_mutations import SH, Triple, mutations, statements


def _graph(triples: frozenset[Triple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@pytest.mark.parametrize("index", range(len(statements())))
def test_every_statement_matches_pyshacl(index: int) -> None:
    g = _graph(statements()[index])
    expected = validate_graph(g)
    assert core_validator().validate(g) == expected
    assert core_validator().validate(set(g)) == expected
    assert core_validator().validate(list(g) * 2) == expected


@pytest.mark.parametrize("name", sorted(mutations()))
def test_mutation_matches_pyshacl(name: str) -> None:
    g = _graph(mutations()[name])
    assert core_validator().validate(g) == validate_graph(g)


def test_mutations_reach_every_message_and_both_severities() -> None:
    """The mutations are not vacuous: together they break every constraint of every shape."""
    assert len(mutations()) >= 50
    reports = [core_validator().validate(t) for t in mutations().values()]
    messages = {str(m) for m in load_shapes().objects(None, SH.message)}
    assert messages <= {v.message for r in reports for v in r.violations}
    assert any(not r.conforms for r in reports) and any(r.conforms and r.warnings for r in reports)


def test_the_project_shapes_compile() -> None:
    validator = core_validator()
    assert isinstance(validator, CoreValidator) and validator is core_validator()
    assert CoreValidator.from_shapes(load_shapes()).validate(statements()[0]).conforms


PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

#: what the subset allows beyond the project's shapes: several sh:class, sh:pattern and sh:or lists,
#: sh:flags, other node kinds and datatypes, literals in sh:in, severities, property shapes with
#: targets, sh:or operands that are property shapes or warnings
SHAPES = PREFIXES + """
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property ex:TwoClasses, ex:Code, ex:Amount, ex:When, ex:Flag, ex:Kind, ex:Ref, ex:Link, ex:Either, ex:Never,
        ex:Said .
ex:TwoClasses a sh:PropertyShape ; sh:path ex:partner ; sh:class ex:A, ex:B ; sh:message "partner" .
ex:Code sh:path ex:code ; sh:pattern "^ab", "c$" ; sh:flags "i" ; sh:minLength 3 ; sh:message "code" .
ex:Amount sh:path ex:amount ; sh:minInclusive 1.5 ; sh:datatype xsd:decimal ; sh:message "amount" .
ex:When sh:path ex:start ; sh:lessThan ex:end ; sh:minInclusive "2020-01-01"^^xsd:date ; sh:message "when" .
ex:Flag sh:path ex:flag ; sh:datatype xsd:boolean ; sh:severity sh:Info ; sh:message "flag" .
ex:Kind sh:path ex:kind ; sh:in ( 1 "one" ex:One "uno"@es ) ; sh:message "kind" .
ex:Ref sh:path ex:ref ; sh:nodeKind sh:BlankNodeOrIRI ; sh:minCount 0 ; sh:message "ref" .
ex:Link sh:path ex:link ; sh:nodeKind sh:IRIOrLiteral ; sh:minLength 20 ; sh:message "link" .
ex:Either sh:path ex:either ; sh:message "either" ;
    sh:or ( [ sh:datatype xsd:gYear ] [ sh:nodeKind sh:BlankNode ] [ sh:path ex:name ; sh:minCount 1 ] ) .
ex:Never sh:path ex:never ; sh:maxCount 0 ; sh:message "never" .
ex:Said sh:path ex:said ; sh:datatype rdf:langString ; sh:minLength 2 ; sh:pattern "^[a-z]+$" ; sh:message "said"@en .
ex:SoftShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity sh:Warning ; sh:property ex:HardName .
ex:HardName sh:path ex:name ; sh:minCount 1 ; sh:datatype rdfs:Literal ; sh:message "name" .
ex:SizeShape a sh:PropertyShape ; sh:targetObjectsOf ex:ref ; sh:path ex:size ; sh:datatype xsd:integer ;
    sh:maxCount 1 ; sh:minInclusive 0 ; sh:message "size" .
ex:LinkValueShape a sh:NodeShape ; sh:targetObjectsOf ex:link ; sh:nodeKind sh:Literal ; sh:datatype xsd:string ;
    sh:pattern "^h" ; sh:class ex:Link ; sh:message "link value" .
ex:OtherShape a sh:NodeShape ; sh:targetClass ex:Other ; sh:message "other" ;
    sh:or ( ex:WarnOperand ) , ( ex:NameOperand ) .
ex:WarnOperand sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Warning .
ex:NameOperand sh:path ex:name ; sh:minCount 1 .
"""

SUBSET_DATA = {
    "everything": """
ex:t1 a ex:Thing ; ex:partner ex:p1, ex:p2, "lit" ; ex:code "ABxC", "zz", "abc", ex:abc ;
    ex:amount 1.2, "2.5"^^xsd:decimal, 3, "x", "1e0"^^xsd:double, "oops"^^xsd:decimal ;
    ex:start "2019-05-01"^^xsd:date, "2021-01-01"^^xsd:date, "2020-03-01"^^xsd:date ;
    ex:end "2020-06-01"^^xsd:date, "2020-12-31"^^xsd:date ; ex:flag "maybe"^^xsd:boolean, true ;
    ex:kind 1, "01"^^xsd:integer, "one", "uno"@es, "uno"@en, ex:One, ex:Two ;
    ex:ref _:b1, "lit" ; ex:link "http://short", <http://example.org/a-rather-long-iri>, "héllo wörld, quite long" ;
    ex:either "2020"^^xsd:gYear, _:b2, ex:named, ex:unnamed, "x" ; ex:never 1 ;
    ex:said "hi"@en, "hello", "x"@fr, "Bonjour"@fr .
ex:p1 a ex:A . ex:p2 a ex:AB . ex:AB rdfs:subClassOf ex:A, ex:B .
_:b1 ex:size 1, -2 .
ex:named ex:name "N" .
_:t2 a ex:Thing ; ex:name "n"@en ; ex:start "b" ; ex:end "a", "c" .
ex:t3 a ex:Thing ; ex:start ex:z, 5 ; ex:end ex:y .
ex:o1 a ex:Other . ex:o2 a ex:Other ; ex:name "o2" .
ex:C rdfs:subClassOf ex:Thing . ex:t4 a ex:C ; ex:name "four" ; ex:ref ex:t4 ; ex:size "1"^^xsd:int .
""",
    # a node shape of severity sh:Warning conforms whatever the severity of its property shapes' results
    "warning-holds-violation": "ex:t5 a ex:Thing . ex:o3 a ex:Other ; ex:name 'x' .",
}


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")
@pytest.mark.parametrize("data", sorted(SUBSET_DATA))
def test_the_whole_subset_matches_pyshacl(data: str) -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    g = Graph().parse(data=PREFIXES + SUBSET_DATA[data], format="turtle")
    expected = validate_graph(g, shapes)
    assert CoreValidator.from_shapes(shapes).validate(g) == expected
    assert expected.violations and (data != "warning-holds-violation" or expected.conforms)


UNSUPPORTED = {
    "sh:sparql": 'sh:sparql [ sh:select "SELECT $this WHERE { }" ] ; sh:message "m" .',
    "sh:targetNode": 'sh:targetNode ex:x ; sh:class ex:C ; sh:message "m" .',
    "complex sh:path": 'sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ; sh:message "m" ] .',
    "sh:inversePath": 'sh:property [ sh:path [ sh:inversePath ex:a ] ; sh:minCount 1 ; sh:message "m" ] .',
    "no sh:message": "sh:property [ sh:path ex:a ; sh:minCount 1 ] .",
    "more than one sh:message": 'sh:class ex:C ; sh:message "m"@en, "m"@fr .',
    "sh:deactivated": 'sh:deactivated true ; sh:class ex:C ; sh:message "m" .',
    "sh:node": 'sh:node ex:Other ; sh:message "m" .',
    "sh:closed": 'sh:closed true ; sh:message "m" .',
    "sh:maxLength": 'sh:property [ sh:path ex:a ; sh:maxLength 3 ; sh:message "m" ] .',
    "sh:flags": 'sh:property [ sh:path ex:a ; sh:pattern "a" ; sh:flags "s" ; sh:message "m" ] .',
    "sh:property on a property shape":
        'sh:property [ sh:path ex:a ; sh:message "m" ; sh:property [ sh:path ex:b ; sh:minCount 1 ; sh:message "m" ] ] .',
    "sh:minCount or sh:maxCount on a node shape": 'sh:minCount 1 ; sh:message "m" .',
    "in an operand of sh:or": 'sh:or ( [ sh:or ( [ sh:class ex:C ] ) ] ) ; sh:message "m" .',
    "sh:nodeKind": 'sh:nodeKind ex:Thing ; sh:message "m" .',
    "sh:parameter": 'sh:class ex:C ; sh:message "m" . ex:CC a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .',
    "rdf:type sh:SPARQLConstraint": 'sh:class ex:C ; sh:message "m" . ex:Q a sh:SPARQLConstraint .',
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_unsupported_shapes_are_refused_by_name(feature: str) -> None:
    shapes = Graph().parse(data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:T ; " + UNSUPPORTED[feature],
                           format="turtle")
    with pytest.raises(UnsupportedShapes, match=re.escape(feature)) as raised:
        CoreValidator.from_shapes(shapes)
    assert "example.org/" in str(raised.value)


def test_a_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    ds = Dataset()
    for i, triples in enumerate((mutations()["0:no-date"], statements()[1])):
        g = ds.graph(URIRef(f"urn:example:graph{i}"))
        for t in triples:
            g.add(t)
    expected = validate_graph(ds)
    assert core_validator().validate(ds) == expected and len(expected.violations) == 1
