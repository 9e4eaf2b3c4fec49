"""statistics.py: the counts per year and speaker that build keeps equal what the statements say."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from communique.build import build
from communique.iris import IRIs
from communique.statistics import counts
from communique.store import GraphStore

from .conftest import DATA

STATS = "https://w3id.org/communique/graph/statistics"

#: the aggregate in its plain form, over the union of the statement graphs
PLAIN = """PREFIX schema: <http://schema.org/>
SELECT ?year ?person (COUNT(?statement) AS ?n) WHERE {
  ?statement schema:author ?person ; schema:datePublished ?date .
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?year ?person"""

READ = f"""PREFIX cq: <https://w3id.org/communique/ns#>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?year ?person ?n WHERE {{ GRAPH <{STATS}> {{
  ?obs a qb:Observation ; qb:dataSet <{STATS}> ; cq:year ?year ; cq:speaker ?person ; cq:statementCount ?n }} }}"""


def _plain(store: GraphStore) -> list[tuple[int, str, int]]:
    return sorted((int(r["year"].value), r["person"].value, int(r["n"].value)) for r in store.query(PLAIN))


def _published(store: GraphStore) -> list[tuple[int, str, int]]:
    return sorted((int(r["year"].value), r["person"].value, int(r["n"].value)) for r in store.oxigraph.query(READ))


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "statements"
    shutil.copytree(DATA, folder)
    return folder


def test_the_statistics_graph_counts_what_the_statements_say(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build([DATA], store=store)
    expected = _plain(store)
    assert expected, "the sample data has dated statements with speakers"
    assert counts(store) == expected
    assert _published(store) == expected
    assert STATS not in store.statement_names()


def test_a_rebuild_keeps_the_counts_current(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    store = GraphStore(tmp_path / "store")
    build([folder], store=store)
    before = Counter({(y, p): n for y, p, n in _published(store)})
    seed = folder / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.unlink()
    report = build([folder], store=store)
    assert report.removed
    after = _published(store)
    assert after == _plain(store)
    assert sum(n for _, _, n in after) == sum(before.values()) - 1
    assert report.triples == len(store)


def test_observations_have_stable_iris() -> None:
    iris = IRIs()
    pompeo = "https://w3id.org/communique/id/person/michael-r-pompeo"
    assert str(iris.observation(2019, pompeo)) == f"{STATS}#2019-michael-r-pompeo"
    other = iris.observation(2019, "http://example.org/people/x")
    assert str(other).startswith(f"{STATS}#2019-") and other == iris.observation(2019, "http://example.org/people/x")


def test_the_statistics_graph_is_not_a_statement_and_is_published(tmp_path: Path) -> None:
    out = tmp_path / "lod"
    store = GraphStore(tmp_path / "store")
    build([DATA], out=out, store=store)
    text = (out / "graph" / "statistics.ttl").read_text(encoding="utf-8")
    g = ox.Store()
    g.load(text.encode(), format=ox.RdfFormat.TURTLE)
    assert len(g) == store.graph_size(STATS)
    assert not (out / "statement" / "graph").exists()
