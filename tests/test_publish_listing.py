"""Parties referred to by more statements than one listing holds: their documents and pages list
periods, each period a resource of its own with the statements of that period."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from communique.iris import IRIs
from communique.namespaces import SCHEMA
from communique.pipeline import build
from communique.publish import listing, publish
from communique.publish.forking import PARALLEL_MIN
from communique.publish.listing import UNDATED, granularity, newest_first, period_label, period_of, split
from communique.store import GraphStore

from .conftest import corpus_generator
from .test_serve import free_port, run_server

BASE = "https://w3id.org/communique/"
REFS = BASE + "refs/"


def test_periods() -> None:
    assert period_of("2019-01-23", "year") == "2019" and period_of("2019-01-23", "month") == "2019-01"
    assert period_of(None, "month") == period_of("", "year") == UNDATED
    assert granularity(["2019-01-01"] * 3, limit=3) is None
    assert granularity(["2019-01-01", "2019-02-01", "2020-01-01", None], limit=3) == "year"
    assert granularity(["2019-01-01"] * 3 + ["2020-01-01"], limit=2) == "month"
    assert period_label("2019-02") == "February 2019" and period_label("2019") == "2019"
    assert newest_first(["2019", UNDATED, "2021", "2020"]) == ["2021", "2020", "2019", UNDATED]
    items = [("a", "2019-03-01"), ("b", None), ("c", "2019-01-09"), ("d", "2020-05-05")]
    assert split(items, lambda i: i[1], "year") == {"2020": [items[3]], "2019": [items[0], items[2]],
                                                    UNDATED: [items[1]]}


def test_listing_iris() -> None:
    iris = IRIs()
    assert iris.references(BASE + "id/country/united-states", "2019-01") == URIRef(REFS + "country/united-states/2019-01")
    for party, period in ((BASE + "statement/2019/01/01/x", "2019"), (BASE + "id/country/x", "2019-1"),
                          (BASE + "id/country/x", "../x")):
        with pytest.raises(ValueError):
            iris.references(party, period)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    tmp = tmp_path_factory.mktemp("listing")
    corpus_generator().generate(PARALLEL_MIN + 20, 11, tmp / "corpus")
    store = GraphStore(tmp / "store")
    build([tmp / "corpus"], store=store, jobs=1)
    return store


def publication(store: GraphStore, out: Path, limit: int, jobs: int = 2) -> Path:
    """``store`` published into ``out`` with listings of at most ``limit`` statements."""
    patch = pytest.MonkeyPatch()
    patch.setattr(listing, "LISTING_MAX", limit)
    try:
        shutil.rmtree(out, ignore_errors=True)
        publish(store, out, IRIs(), jobs=jobs, reuse=False)
    finally:
        patch.undo()
    return out


@pytest.fixture(scope="module")
def whole(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publication whose every listing is whole (the default limit is above the corpus)."""
    out = tmp_path_factory.mktemp("whole") / "site"
    publish(store, out, IRIs(), jobs=2, reuse=False)
    return out


@pytest.fixture(scope="module")
def by_year(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Listings of at most 20 statements: the United States' by year."""
    return publication(store, tmp_path_factory.mktemp("by-year") / "site", 20)


@pytest.fixture(scope="module")
def by_month(store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Listings of at most 4 statements: the United States' by month."""
    return publication(store, tmp_path_factory.mktemp("by-month") / "site", 4)


def graph(path: Path) -> Graph:
    return Graph().parse(path, format="nt")


def listings(out: Path) -> dict[str, list[str]]:
    """Party path → the periods of its listings (the documents under refs/)."""
    found: dict[str, list[str]] = {}
    for doc in sorted((out / "refs").rglob("*.nt")):
        party = doc.parent.relative_to(out / "refs").as_posix()
        found.setdefault(f"id/{party}", []).append(doc.stem)
    return found


YEARS, MONTHS = r"\d{4}|undated", r"\d{4}-\d{2}|undated"


@pytest.mark.parametrize("site, limit, hub", [("by_year", 20, YEARS), ("by_month", 4, MONTHS)])
def test_a_party_with_many_statements_lists_periods(store: GraphStore, whole: Path, request: pytest.FixtureRequest,
                                                    site: str, limit: int, hub: str) -> None:
    out: Path = request.getfixturevalue(site)
    split_parties = listings(out)
    # the United States, in most statements, has a year of more than 4 statements: by month
    assert all(re.fullmatch(hub, p) for p in split_parties["id/country/united-states"])
    for party, periods in split_parties.items():
        pattern = next(p for p in (YEARS, MONTHS) if all(re.fullmatch(p, key) for key in periods))
        iri = URIRef(BASE + party)
        own = graph(out / f"{party}.nt")
        listed = {URIRef(f"{REFS}{party[3:]}/{p}") for p in periods}
        assert set(own.objects(iri, RDFS.seeAlso)) == listed
        # the party's page links to the page of each period, and to no other
        page = (out / f"{party}.html").read_text(encoding="utf-8")
        assert sorted(re.findall(r'href="[./]*refs/[^"/]+/[^"/]+/([^"/]+)\.html"', page)) == sorted(periods)
        # the party's document and its listings hold what its one document held, and what the
        # listings are: nothing is lost, nothing else is added
        union = Graph()
        for doc in [out / f"{party}.nt", *(out / "refs" / party[3:]).glob("*.nt")]:
            union += graph(doc)
        about_listings = {t for t in union if str(t[0]).startswith(REFS) or str(t[2]).startswith(REFS)}
        assert set(union) - about_listings == set(graph(whole / f"{party}.nt"))
        statements = 0
        for period in periods:
            node = URIRef(f"{REFS}{party[3:]}/{period}")
            doc = graph(out / "refs" / party[3:] / f"{period}.nt")
            items = set(doc.objects(node, SCHEMA.itemListElement))
            assert doc.value(node, SCHEMA.numberOfItems) == own.value(node, SCHEMA.numberOfItems) \
                == Literal(len(items), datatype=XSD.integer)
            for item in items:  # each statement listed in the period of its date
                date = doc.value(item, SCHEMA.datePublished)
                assert period_of(str(date) if date is not None else None, "month" if pattern == MONTHS else "year") \
                    == period
            statements += len(items)
            assert (out / "refs" / party[3:] / f"{period}.html").is_file()
        assert statements <= len(store.statement_names())
        assert statements > limit
    # a party whose page lists periods is one whose document does
    paged_pages = {page.relative_to(out).as_posix()[:-5] for page in (out / "id").rglob("*.html")
                   if "/refs/" in page.read_text(encoding="utf-8")}
    assert paged_pages == set(split_parties)
    # a party with few statements keeps its one document, as before
    for doc in (out / "id").rglob("*.nt"):
        party = doc.relative_to(out).as_posix()[:-3]
        if party not in split_parties:
            assert doc.read_bytes() == (whole / f"{party}.nt").read_bytes()
    # the sitemap names every listing
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"{REFS}{party[3:]}/{p}" for party, periods in split_parties.items() for p in periods} <= locs


def test_listings_are_the_same_whoever_writes_them(store: GraphStore, by_month: Path, tmp_path: Path) -> None:
    one, two = publication(store, tmp_path / "one", 4, jobs=1), by_month
    files = sorted(p.relative_to(one).as_posix() for p in (one / "refs").rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(two).as_posix() for p in (two / "refs").rglob("*") if p.is_file())
    assert [f for f in files if (one / f).read_bytes() != (two / f).read_bytes()] == []
    for f in ("index/date.html", "index/country.html", "index/speaker.html"):
        assert (one / f).read_bytes() == (two / f).read_bytes()


def test_indexes_of_many_statements_list_periods_and_counts(store: GraphStore, whole: Path, by_year: Path) -> None:
    out = by_year
    statement_link = re.compile(r'href="[./]*(statement/[^"]+)\.html"')
    every = sorted(statement_link.findall((whole / "index" / "date.html").read_text(encoding="utf-8")))
    assert len(every) == len(store.statement_names())
    dates = (out / "index" / "date.html").read_text(encoding="utf-8")
    pages = re.findall(r'href="(date/[^"]+\.html)"', dates)
    assert pages and not statement_link.search(dates)
    found = [s for page in pages for s in statement_link.findall((out / "index" / page).read_text(encoding="utf-8"))]
    assert sorted(found) == every  # each statement on the page of its period, once
    for name in ("country", "speaker"):
        text = (out / "index" / f"{name}.html").read_text(encoding="utf-8")
        assert not statement_link.search(text) and "statements</span>" in text
        assert statement_link.search((whole / "index" / f"{name}.html").read_text(encoding="utf-8"))


def test_the_server_answers_for_a_listing(store: GraphStore, by_year: Path) -> None:
    out = by_year
    party, periods = next(iter(sorted(listings(out).items())))
    path = f"refs/{party[3:]}/{periods[0]}"
    assert store.path is not None
    with run_server(out, store.path, free_port(), "--base-uri", BASE) as url:
        with httpx.Client(base_url=url + "communique/", trust_env=False) as client:
            answer = client.get(path, headers={"Accept": "text/turtle"})
            assert answer.status_code == 303 and answer.headers["location"].endswith(f"{path}.ttl")
            document = client.get(f"{path}.ttl")
            assert document.status_code == 200 and document.headers["content-type"].startswith("text/turtle")
            assert Graph().parse(data=document.text, format="turtle") \
                .value(URIRef(BASE + path), SCHEMA.about) == URIRef(BASE + party)
            assert client.get(path, headers={"Accept": "text/html"}).headers["location"].endswith(f"{path}.html")


def test_long_timelines_list_periods(whole: Path, by_month: Path) -> None:
    act = re.compile(r'href="[./]*(act/[^"]+)\.html"')
    part = re.compile(r'href="([^"/]+/(?:\d{4}(?:-\d{2})?|undated)\.html)"')
    split_timelines = 0
    for page in sorted((whole / "timeline").glob("*.html")):
        every = sorted(act.findall(page.read_text(encoding="utf-8")))
        text = (by_month / "timeline" / page.name).read_text(encoding="utf-8")
        parts = part.findall(text)
        if len(every) <= 4:
            assert not parts and sorted(act.findall(text)) == every
            continue
        split_timelines += 1
        assert parts and not act.findall(text)
        found = [a for p in parts for a in act.findall((by_month / "timeline" / p).read_text(encoding="utf-8"))]
        assert sorted(found) == every  # each act on the page of its period, once
    assert split_timelines
