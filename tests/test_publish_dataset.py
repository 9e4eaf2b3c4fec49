"""publish/dataset.py: VoID and DCAT, dumps with checksums, sitemap (split past 50,000), robots.txt."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from communique.export import to_dataset
from communique.pipeline import build
from communique.publish.dataset import SITEMAP_LIMIT, write_sitemap
from communique.store import GraphStore

from .conftest import DATA

SPDX = Namespace("http://spdx.org/rdf/terms#")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphStore]:
    tmp = tmp_path_factory.mktemp("site")
    store = GraphStore(tmp / "store")
    build([DATA], out=tmp / "lod", store=store)
    return tmp / "lod", store


def test_a_store_on_disk_is_counted_in_a_process_of_its_own(site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The counts of the dataset's description are made in a forked process while publishing goes
    on (the same counts as made here); a count that fails there is made here after all."""
    import os

    from communique.errors import StoreError
    from communique.publish import dataset

    _, store = site
    here = os.getpid()
    counted_in: list[int] = []
    original = dataset.count

    def count(store: GraphStore, triples: int | None = None, subjects: int | None = None) -> dataset.Counts:
        counted_in.append(os.getpid())  # (the forked process's list is its own)
        return original(store, triples, subjects)

    monkeypatch.setattr(dataset, "count", count)
    expected = original(store)
    counting = dataset.Counting(store)
    assert counting.result() == expected and counted_in == []  # counted in the other process
    assert dataset.Counting(store, triples=7).result().triples == 7
    assert dataset.Counting(store, subjects=5).result().subjects == 5  # (not counted again)

    def fails_elsewhere(store: GraphStore, triples: int | None = None, subjects: int | None = None) -> dataset.Counts:
        if os.getpid() != here:
            raise StoreError("no store here")
        return count(store, triples, subjects)

    monkeypatch.setattr(dataset, "count", fails_elsewhere)
    assert dataset.Counting(store).result() == expected and counted_in == [here]


def test_void_and_dcat(site) -> None:  # type: ignore[no-untyped-def]
    out, store = site
    g = Graph().parse(out / "void.ttl", format="turtle")
    assert isomorphic(g, Graph().parse(out / ".well-known" / "void", format="turtle"))
    ds = URIRef("https://w3id.org/communique/void")
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    assert int(g.value(ds, VOID.triples)) == len(store)
    linksets = {str(s).rsplit("#", 1)[1]: int(g.value(s, VOID.triples)) for s in g.subjects(RDF.type, VOID.Linkset)}
    assert linksets["wikidata"] > 0 and linksets["geonames"] > 0
    service = g.value(predicate=DCAT.servesDataset, object=ds)
    assert (service, RDF.type, DCAT.DataService) in g
    for dist in g.objects(ds, DCAT.distribution):
        path = out / str(dist)[len("https://w3id.org/communique/"):]
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert int(g.value(dist, DCAT.byteSize)) == path.stat().st_size


def test_dumps_hold_the_store(site) -> None:  # type: ignore[no-untyped-def]
    out, store = site
    nq = gzip.decompress((out / "dumps" / "communique.nq.gz").read_bytes()).decode("utf-8")
    assert nq == store.nquads()
    back = Dataset()
    back.parse(data=nq, format="nquads")
    expected = to_dataset(store.nquads())
    for name in store.statement_names():
        assert isomorphic(back.graph(name), expected.graph(name))
    ttl = gzip.decompress((out / "dumps" / "communique.ttl.gz").read_bytes()).decode("utf-8")
    assert len(Graph().parse(data=ttl, format="turtle")) > 0


def test_sitemap_and_robots(site) -> None:  # type: ignore[no-untyped-def]
    out, store = site
    root = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = {e.text for e in root.iter(f"{SM}loc")}
    assert set(store.statement_names()) <= locs
    assert "Sitemap: https://w3id.org/communique/sitemap.xml" in (out / "robots.txt").read_text()


def test_sitemap_splits_past_the_limit(tmp_path: Path) -> None:
    urls = [(f"https://example.org/r/{n}", "2019-01-23") for n in range(SITEMAP_LIMIT + 5)]
    written = write_sitemap(tmp_path, urls, "https://example.org/")
    assert written == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
    index = ElementTree.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{SM}sitemapindex" and len(list(index)) == 2
    second = ElementTree.parse(tmp_path / "sitemap-2.xml").getroot()
    assert len(list(second)) == 5
