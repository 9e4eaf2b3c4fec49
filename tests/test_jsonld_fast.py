"""The linear-time JSON-LD compaction (compact.py) gives PyLD's document, byte for byte, or steps
aside: for every resource of the data/statements publication, for a few hundred resources of a
synthetic corpus, for the whole store with its named graphs, and for the corner cases of the
context (terms by datatype and language, @set containers, compact IRIs, term IRIs as values)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from communique.errors import ContextError
from communique.iris import IRIs
from communique.jsonld import _compactor, dumps, nquads_to_jsonld, pyld_compact, sorted_quads
from communique.pipeline import build
from communique.publish.documents import plan
from communique.store import GraphStore

from .conftest import DATA, corpus_generator

ROOT = Path(__file__).resolve().parent.parent
XSD = "http://www.w3.org/2001/XMLSchema#"




def _documents(store: GraphStore) -> dict[str, str]:
    """The N-Triples of every resource document of the publication of ``store``."""
    publication = plan(store, IRIs())
    descriptions = publication.descriptions
    return {r.path: "".join(line + "\n" for line in sorted(set(
        descriptions.lines(r.iri) if r.kind == "statement" else publication.document(r))))
        for r in publication.resources}


def _same_as_pyld(nquads: str) -> None:
    quads = sorted_quads(nquads)
    fast = _compactor().compact(quads)
    assert fast is not None, "the fast path stepped aside"
    reference = pyld_compact(quads)
    assert fast == reference
    assert dumps(fast) == json.dumps(reference, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@pytest.fixture(scope="module")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("data") / "store")
    assert not build([DATA], store=store).rejected
    return store


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    tmp = tmp_path_factory.mktemp("synthetic")
    corpus_generator().generate(80, 11, tmp / "corpus")
    store = GraphStore(tmp / "store")
    build([tmp / "corpus"], store=store, jobs=1)
    return store


def test_every_document_of_the_data_publication(data_store: GraphStore) -> None:
    documents = _documents(data_store)
    assert len(documents) > 30
    for text in documents.values():
        _same_as_pyld(text)


def test_the_documents_of_a_synthetic_corpus(synthetic_store: GraphStore) -> None:
    documents = _documents(synthetic_store)
    assert len(documents) > 200
    for text in documents.values():
        _same_as_pyld(text)


def test_the_whole_store_with_its_named_graphs(data_store: GraphStore) -> None:
    _same_as_pyld(data_store.nquads())


def test_the_committed_vocabulary_and_dataset_documents() -> None:
    for name in ("ns", "void"):
        text = (ROOT / "lod" / f"{name}.nt").read_text(encoding="utf-8")
        _same_as_pyld(text)
        assert dumps(nquads_to_jsonld(text)) == (ROOT / "lod" / f"{name}.jsonld").read_text(encoding="utf-8")


CORNERS = f"""<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/datePublished> "2020-01-01"^^<{XSD}date> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/datePublished> "2020-01"^^<{XSD}gYearMonth> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/datePublished> "2020" <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/about> <http://www.wikidata.org/entity/Q717> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/about> "Venezuela" <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/about> _:b1 <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/genre> <http://schema.org/NewsArticle> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/NewsArticle> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/name> "Venezuela"@es <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/name> "Venezuela"@en-gb <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/name> "5"^^<{XSD}integer> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://schema.org/name> "{{}}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://www.w3.org/ns/oa#start> "0"^^<{XSD}integer> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://www.w3.org/ns/oa#start> "zero" <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <http://www.w3.org/ns/oa#end> "1.5"^^<{XSD}decimal> <https://w3id.org/communique/statement/2020/01/01/a> .
<https://w3id.org/communique/statement/2020/01/01/a> <https://example.org/unknown#p> <https://w3id.org/communique/ns#Recognized> .
<https://w3id.org/communique/statement/2020/01/01/a> <https://example.org/unknown#p> "tab\\there, quote \\" and \\\\ and é" .
<http://schema.org/> <http://www.w3.org/2000/01/rdf-schema#label> "schema.org itself" .
<http://schema.org/name> <http://www.w3.org/2000/01/rdf-schema#label> "a term's own IRI as subject" .
_:b1 <http://www.w3.org/2004/02/skos/core#prefLabel> "blank" .
_:b1 <http://www.w3.org/2002/07/owl#sameAs> <https://sws.geonames.org/3625428/> .
<https://w3id.org/communique/id/country/venezuela> <http://schema.org/name> "Venezuela" <https://w3id.org/communique/graph/entities> .
<https://w3id.org/communique/id/country/venezuela> <http://www.w3.org/2004/02/skos/core#exactMatch> <http://dbpedia.org/resource/Venezuela> <https://w3id.org/communique/graph/entities> .
<https://w3id.org/communique/graph/entities> <http://purl.org/dc/terms/title> "a graph named as a subject" .
_:g <http://schema.org/name> "in a graph named by a blank node" _:g .
"""


@pytest.mark.parametrize("keep", [slice(None), slice(0, 1), slice(16, 17), slice(17, 21), slice(0, 0)])
def test_corners_of_the_context(keep: slice) -> None:
    _same_as_pyld("".join(CORNERS.splitlines(keepends=True)[keep]))


def test_what_it_does_not_handle_goes_to_pyld() -> None:
    compactor = _compactor()
    duplicated = sorted_quads(CORNERS) * 2
    assert compactor.compact(sorted(duplicated, key=lambda q: (str(q.graph_name), str(q.subject),
                                                               str(q.predicate), str(q.object)))) is None
    # an absolute IRI that reads as a compact IRI: PyLD refuses it, and so does the fast path
    confusing = [ox.Quad(ox.NamedNode("schema:thing"), ox.NamedNode("http://schema.org/name"), ox.Literal("x"))]
    assert compactor.compact(confusing) is None
    with pytest.raises(ContextError):
        nquads_to_jsonld("<schema:thing> <http://schema.org/name> \"x\" .\n")


@pytest.mark.parametrize("value", [
    {}, [], {"a": []}, {"b": {}, "a": [{}, "x", ["y", []]]}, {"é": "ü\u2028\"\\\n<>&"},
    {"n": 1, "f": 1.5, "t": True, "z": None}, {"@context": {"x": "y"}, "@graph": [{"id": "z"}]},
])
def test_dumps_is_json_dumps(value: object) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
