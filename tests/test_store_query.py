"""store.py and query.py: one named graph per statement; SPARQL in every output format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from communique.errors import QueryError, UsageError
from communique.query import run_query
from communique.store import GraphStore

from .conftest import DATA, ROOT

RECOGNITIONS = (ROOT / "data" / "queries" / "recognitions.rq").read_text(encoding="utf-8")
SEED_IRI = "https://w3id.org/communique/statement/2019/01/23/continuing-us-diplomatic-presence-in-venezuela"


def test_one_named_graph_per_statement(built_store: GraphStore) -> None:
    names = built_store.statement_names()
    assert len(names) == len(list(DATA.glob("*.txt")))
    assert SEED_IRI in names
    assert set(built_store.graph_names()) - set(names) == {"https://w3id.org/communique/graph/entities",
                                                            "https://w3id.org/communique/graph/statistics"}


def test_union_default_graph_holds_each_triple_once(built_store: GraphStore) -> None:
    """Regression: party descriptions repeated in every statement graph made every row appear
    once per statement mentioning the party."""
    rows = json.loads(run_query(built_store, RECOGNITIONS, "json"))["results"]["bindings"]
    keys = [tuple(sorted((k, v["value"]) for k, v in r.items())) for r in rows]
    assert len(keys) == len(set(keys)) >= 2


def test_who_is_recognized_as_government_of_venezuela(built_store: GraphStore) -> None:
    q = """PREFIX cq: <https://w3id.org/communique/ns#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
    SELECT ?statement ?party ?wikidata WHERE {
      ?act cq:stance cq:Recognized ; cq:assertedIn ?statement ; cq:recognizedParty ?p ;
           cq:inRespectOf/<http://schema.org/name> "Venezuela" ; cq:recognizedAs ?as .
      FILTER(CONTAINS(LCASE(?as), "president") || CONTAINS(LCASE(?as), "government"))
      ?p <http://schema.org/name> ?party .
      ?p owl:sameAs ?wikidata FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/"))
    }"""
    rows = json.loads(run_query(built_store, q, "json"))["results"]["bindings"]
    found = {(r["statement"]["value"], r["party"]["value"], r["wikidata"]["value"]) for r in rows}
    assert (SEED_IRI, "Juan Guaidó", "http://www.wikidata.org/entity/Q58833335") in found


def test_result_formats(built_store: GraphStore) -> None:
    table = run_query(built_store, RECOGNITIONS, "table")
    assert "Juan Guaidó" in table and table.rstrip().endswith("rows)")
    rows = list(csv.DictReader(io.StringIO(run_query(built_store, RECOGNITIONS, "csv"))))
    assert any(r["recognized"] == "Juan Guaidó" for r in rows)
    tsv = run_query(built_store, RECOGNITIONS, "tsv")
    assert tsv.splitlines()[0].startswith("?date\t")
    assert run_query(built_store, "ASK { ?s ?p ?o }", "table") == "true\n"


def test_construct_as_turtle_and_jsonld(built_store: GraphStore) -> None:
    q = "CONSTRUCT { ?s <http://schema.org/headline> ?h } WHERE { ?s <http://schema.org/headline> ?h }"
    assert "schema:headline" in run_query(built_store, q, "turtle")
    assert '"headline"' in run_query(built_store, q, "jsonld")
    with pytest.raises(UsageError):
        run_query(built_store, q, "csv")


def test_graph_clause_tells_the_statement(built_store: GraphStore) -> None:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SEED_IRI}> {{ ?s ?p ?o }} }}"
    rows = json.loads(run_query(built_store, q, "json"))["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == len(built_store.graph(SEED_IRI))


def test_syntax_error_is_a_query_error(built_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="syntax"):
        run_query(built_store, "SELEC ?x WHERE {", "table")
