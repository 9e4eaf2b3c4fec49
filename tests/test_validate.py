"""validate.py and shapes/: the seed conforms; broken statements are reported with readable messages."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from communique.export import serialize
from communique.mapping import statement_graph
from communique.namespaces import CQ, OA, OWL, RDF, SCHEMA, XSD
from communique.pipeline import extract_file
from communique.validate import validate_graph

from .conftest import DATA, SEED


@pytest.fixture()
def seed_graph() -> Graph:
    return statement_graph(extract_file(SEED))


def _statement(g: Graph) -> URIRef:
    return next(s for s in g.subjects(RDF.type, SCHEMA.NewsArticle) if isinstance(s, URIRef))


def _nt(g: Graph) -> str:
    return "".join(sorted(g.serialize(format="nt").splitlines(keepends=True)))


def test_every_sample_conforms() -> None:
    for path in sorted(DATA.glob("*.txt")):
        report = validate_graph(statement_graph(extract_file(path)))
        assert report.conforms, f"{path.name}: {report.text()}"


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_exported_seed_conforms(seed_graph: Graph, fmt: str) -> None:
    parsed = Graph().parse(data=serialize(_nt(seed_graph), fmt), format={"turtle": "turtle", "jsonld": "json-ld"}[fmt])
    assert len(parsed) == len(seed_graph)
    assert validate_graph(parsed).conforms


def test_missing_date_is_named(seed_graph: Graph) -> None:
    """An undated statement is kept (real statements are), with a warning naming the date."""
    seed_graph.remove((_statement(seed_graph), SCHEMA.datePublished, None))
    report = validate_graph(seed_graph)
    [v] = report.violations
    assert v.severity == "Warning" and v.path == "schema:datePublished" and "publication date" in v.message
    assert report.conforms and report.warnings == (v,)


def test_missing_speaker_is_named(seed_graph: Graph) -> None:
    st = _statement(seed_graph)
    seed_graph.remove((st, SCHEMA.author, None))
    seed_graph.remove((st, SCHEMA.publisher, None))
    report = validate_graph(seed_graph)
    assert any("speaker" in v.message and v.focus == str(st) and v.severity == "Warning" for v in report.violations)


def test_date_must_be_xsd_date(seed_graph: Graph) -> None:
    st = _statement(seed_graph)
    seed_graph.set((st, SCHEMA.datePublished, Literal("January 23, 2019")))
    assert not validate_graph(seed_graph).conforms
    seed_graph.add((st, SCHEMA.datePublished, Literal("2019-01-24", datatype=XSD.date)))
    report = validate_graph(seed_graph)
    assert any(v.severity == "Violation" and v.path == "schema:datePublished" for v in report.violations)


def test_unknown_stance_and_bad_wikidata_iri(seed_graph: Graph) -> None:
    act = next(seed_graph.subjects(RDF.type, CQ.RecognitionAct))
    seed_graph.set((act, CQ.stance, URIRef(str(CQ.Recognized) + "Maybe")))
    person = next(seed_graph.subjects(RDF.type, SCHEMA.Person))
    seed_graph.add((person, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q473239")))
    report = validate_graph(seed_graph)
    paths = {v.path for v in report.violations}
    assert {"cq:stance", "owl:sameAs"} <= paths


def test_evidence_positions_must_be_ordered(seed_graph: Graph) -> None:
    sel = next(seed_graph.subjects(RDF.type, OA.TextPositionSelector))
    seed_graph.set((sel, OA.end, Literal(0, datatype=XSD.integer)))
    seed_graph.set((sel, OA.start, Literal(5, datatype=XSD.integer)))
    report = validate_graph(seed_graph)
    assert any("end" in v.message for v in report.violations)
