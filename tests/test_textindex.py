"""textindex.py: build keeps the full-text index of headlines and texts; query --text reads it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from communique.build import build
from communique.errors import QueryError, StoreError
from communique.textindex import TextIndex, index_path, text_result
from communique.store import GraphStore

from .conftest import DATA
from .test_cli import run

SEED_IRI = "https://w3id.org/communique/statement/2019/01/23/continuing-us-diplomatic-presence-in-venezuela"
HUMANITARIAN = "https://w3id.org/communique/statement/2019/02/04/coordinating-humanitarian-assistance-for-the-people-of-venezuela"


def _contains(store: GraphStore, word: str) -> list[str]:
    """The statements whose text contains ``word`` in any case: what the index must find."""
    q = f"""PREFIX schema: <http://schema.org/>
    SELECT DISTINCT ?s WHERE {{ ?s schema:text ?t FILTER(CONTAINS(LCASE(?t), "{word}")) }}"""
    return sorted(row["s"].value for row in store.query(q))


def test_build_indexes_every_statement(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    report = build([DATA], store=store, jobs=1)
    index = TextIndex(index_path(tmp_path / "store"))
    assert len(index) == len(report.built)
    for word in ("humanitarian", "maduro", "embassy"):
        assert index.search(word) == _contains(store, word), word
    assert HUMANITARIAN in index.search("humanitarian")
    assert index.search('"diplomatic presence"') == [SEED_IRI]
    assert index.search("humanit*") == index.search("humanitarian")
    assert index.search("GUAIDO") == index.search("guaidó")  # case and diacritics folded
    with pytest.raises(QueryError):
        index.search('"unbalanced')


def test_rebuilds_keep_the_index_current(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(DATA, src)
    store = GraphStore(tmp_path / "store")
    build([src], store=store, jobs=1)
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nZanzibar is mentioned here.\n", encoding="utf-8")
    build([src], store=store, jobs=1)
    index = TextIndex(index_path(tmp_path / "store"))
    assert index.search("zanzibar") == [SEED_IRI]
    seed.unlink()
    build([src], store=store, jobs=1)
    assert index.search("zanzibar") == [] and SEED_IRI not in index.search("venezuela")
    assert len(index) == len(store.statement_names())
    build([src], store=store, jobs=1, full=True)
    assert len(index) == len(store.statement_names())


def test_query_text_lists_date_and_headline(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    build([DATA], store=GraphStore(store_path), jobs=1)
    done = run("query", "--text", "humanitarian", "--store", store_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = [b["statement"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]]
    assert rows == _contains(GraphStore(store_path, read_only=True), "humanitarian")
    table = run("query", "--text", "humanitarian", "--store", store_path)
    assert "Coordinating Humanitarian Assistance" in table.stdout
    assert run("query", "--text", "x", "SELECT * {}", "--store", store_path).returncode == 2


def test_a_store_without_an_index_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no text index"):
        text_result(tmp_path / "nothing", "word")


def test_a_lost_index_is_rebuilt_with_the_store(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    n = len(build([DATA], store=store, jobs=1).built)
    index_path(tmp_path / "store").unlink()
    again = build([DATA], store=store, jobs=1)
    assert len(again.built) == n and len(TextIndex(index_path(tmp_path / "store"))) == n


def test_text_results_keep_every_character_of_a_headline(tmp_path: Path) -> None:
    """Headlines with quotes, backslashes, line breaks and tabs come back as they were indexed;
    dates keep their datatype (a day, a month) and undated statements come first."""
    index = TextIndex(index_path(tmp_path / "store"))
    odd = 'Say "no" \\ to\nthis\r\tnow: ünïcode ✓'
    index.add([("https://example.org/a", "2019-01-23", odd, "a word"),
               ("https://example.org/b", "2019-02", "Month", "a word"),
               ("https://example.org/d", "", "Undated", "a word")], replace=False)
    index.close()
    rows = [(row["statement"].value, row["date"], row["headline"].value) for row in text_result(tmp_path / "store", "word")]
    assert [(iri, headline) for iri, _, headline in rows] == [
        ("https://example.org/d", "Undated"), ("https://example.org/a", odd), ("https://example.org/b", "Month")]
    dates = {iri: (d.value, d.datatype.value.rsplit("#", 1)[-1]) for iri, d, _ in rows if d is not None}
    assert dates == {"https://example.org/a": ("2019-01-23", "date"), "https://example.org/b": ("2019-02", "gYearMonth")}
