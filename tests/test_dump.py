"""Whole-store exports written graph by graph say what the in-memory serializers say."""

from __future__ import annotations

import io

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from communique.build import build
from communique.dump import STREAMS, write_stream
from communique.export import serialize
from communique.store import GraphStore

from .conftest import DATA


@pytest.fixture(scope="module")
def store() -> GraphStore:
    s = GraphStore()
    build([DATA], store=s, jobs=1)
    return s


def _stream(store: GraphStore, fmt: str) -> str:
    out = io.StringIO()
    assert write_stream(store, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_merged_formats_hold_the_same_graph(store: GraphStore, fmt: str) -> None:
    rdflib_name = {"turtle": "turtle", "nt": "nt"}[fmt]
    streamed = Graph().parse(data=_stream(store, fmt), format=rdflib_name)
    whole = Graph().parse(data=serialize(store.nquads(), fmt), format=rdflib_name)
    assert len(streamed) == len(whole) and isomorphic(streamed, whole)


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_dataset_formats_keep_every_graph(store: GraphStore, fmt: str) -> None:
    streamed = Dataset().parse(data=_stream(store, fmt), format={"nq": "nquads", "trig": "trig"}[fmt])
    expected = Dataset().parse(data=store.nquads(), format="nquads")
    names = sorted(str(g.identifier) for g in streamed.graphs() if len(g))
    assert names == store.graph_names()
    for name in names:
        assert isomorphic(streamed.graph(name), expected.graph(name)), name


def test_nquads_are_the_sorted_lines_of_each_graph_in_turn(store: GraphStore) -> None:
    text = _stream(store, "nq")
    assert sorted(text.splitlines()) == sorted(store.nquads().splitlines())
    assert text == _stream(store, "nq")  # deterministic
    assert set(STREAMS) == {"nq", "nt", "turtle", "trig"}
    assert not write_stream(store, "jsonld", io.StringIO())


def test_literals_with_unicode_line_separators_stay_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Regression: lines were split with str.splitlines, which also cuts at U+2028, U+0085 and form
    feed inside a literal, so a statement text holding one came out as two broken lines."""
    from communique.iris import IRIs
    from communique.publish import publish

    src = tmp_path / "in"
    src.mkdir()
    seed = sorted(DATA.glob("2019-01-23-*.txt"))[0]
    text = seed.read_text(encoding="utf-8").replace("We call", "We\u2028call", 1)
    text = text.replace("Venezuela.", "Venezuela.\x85\x0c", 1)
    (src / seed.name).write_text(text, encoding="utf-8")
    store = GraphStore(tmp_path / "store")
    build([src], store=store, jobs=1)
    quads = store.nquads()
    assert len(quads.splitlines()) > len(store) and quads.count("\n") == len(store)
    assert Dataset().parse(data=quads, format="nquads") is not None
    streamed = _stream(store, "nq")
    assert streamed.count("\n") == len(store)
    name = store.statement_names()[0]
    assert "\u2028" in store.describe(name)
    out = tmp_path / "lod"
    publish(store, out, IRIs())
    doc = out / (name[len(IRIs().base):] + ".nt")
    g = Graph().parse(doc, format="nt")
    texts = [str(o) for o in g.objects(None, None) if "\u2028" in str(o)]
    assert texts and "We\u2028call" in texts[0] and "\x85\x0c" in texts[0]
