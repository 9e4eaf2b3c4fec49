"""export.py and jsonld.py: every format round-trips to the store's graph; output is deterministic."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from communique.errors import ContextError
from communique.export import FORMATS, serialize, to_dataset, to_graph
from communique.jsonld import document_loader, expand
from communique.store import GraphStore


@pytest.mark.parametrize("name", list(FORMATS))
def test_round_trip(built_store: GraphStore, name: str) -> None:
    nquads = built_store.nquads()
    fmt = FORMATS[name]
    text = serialize(nquads, name)
    if fmt.dataset:
        back = Dataset()
        back.parse(data=text, format=fmt.rdflib_name)
        expected = to_dataset(nquads)
        names = sorted(str(g.identifier) for g in expected.graphs() if len(g))
        assert sorted(str(g.identifier) for g in back.graphs() if len(g)) == names
        for gname in names:
            assert isomorphic(back.graph(gname), expected.graph(gname)), gname
    else:
        back_graph = Graph().parse(data=text, format=fmt.rdflib_name)
        assert isomorphic(back_graph, to_graph(nquads))


@pytest.mark.parametrize("name", list(FORMATS))
def test_deterministic(built_store: GraphStore, name: str) -> None:
    nquads = built_store.nquads()
    assert serialize(nquads, name) == serialize(nquads, name)


def test_jsonld_is_compacted_with_our_context(built_store: GraphStore) -> None:
    doc = json.loads(serialize(built_store.nquads(), "jsonld"))
    text = json.dumps(doc)
    assert "http://schema.org/headline" not in text and '"headline"' in text
    assert "@context" in doc


def test_remote_context_is_refused() -> None:
    with pytest.raises(ContextError, match="refusing to fetch"):
        document_loader("https://example.org/context.jsonld")
    with pytest.raises(ContextError):
        expand({"@context": "https://example.org/context.jsonld", "name": "x"})


def test_schema_org_context_is_served_locally() -> None:
    expanded = expand({"@context": "https://schema.org/", "@type": "NewsArticle", "headline": "x"})
    assert expanded[0]["@type"] == ["http://schema.org/NewsArticle"]
    assert "http://schema.org/headline" in expanded[0]
