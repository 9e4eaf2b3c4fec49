"""`communique serve` as a real process on 127.0.0.1, checked over HTTP with httpx and real SPARQL clients."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import io
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from communique.cli import main
from communique.query import format_result
from communique.serve.documents import statement_candidates
from communique.serve.negotiation import negotiate, parse_accept, parse_media_type
from communique.serve.sparql import keywords, uses_service
from communique.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
HEADLINES = "SELECT ?s ?h WHERE { ?s <http://schema.org/headline> ?h } ORDER BY ?s ?h"
CONSTRUCT = "CONSTRUCT { ?s <http://schema.org/headline> ?h } WHERE { ?s <http://schema.org/headline> ?h }"


def solutions(store: GraphStore, query: str) -> ox.QuerySolutions:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def run_server(site: Path, store: Path, port: int, *extra: str) -> Iterator[str]:
    """Start `communique serve` on 127.0.0.1:port, wait (bounded) until it answers, stop it after."""
    cmd = [sys.executable, "-m", "communique.cli", "serve", "--site", str(site), "--store", str(store),
           "--host", "127.0.0.1", "--port", str(port), *extra]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 20
            with httpx.Client(trust_env=False, timeout=2) as client:
                while True:
                    if proc.poll() is not None:
                        log.seek(0)
                        pytest.fail(f"the server exited: {log.read().decode(errors='replace')}")
                    try:
                        client.get(url + "sparql")
                        break
                    except httpx.TransportError:
                        if time.monotonic() > deadline:
                            pytest.fail("the server did not answer within 20 s")
                        time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


@dataclass(frozen=True)
class Built:
    port: int
    base: str
    site: Path
    store: Path
    statement: str  #: a statement path (no base)
    other: str  #: another statement path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from communique.pipeline import build

    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    store = GraphStore(tmp / "store")
    build([ROOT / "data" / "statements"], out=tmp / "lod", base=base, store=store)
    names = [n[len(base):] for n in store.statement_names()]
    for name in names:  # documents that other parts of the build may not write yet
        for suffix, text in ((".html", f"<!DOCTYPE html><title>{name}</title>"), (".nt", store.describe(base + name))):
            if not (tmp / "lod" / f"{name}{suffix}").exists():
                (tmp / "lod" / f"{name}{suffix}").write_text(text, encoding="utf-8")
    if not (tmp / "lod" / "index.html").exists():
        (tmp / "lod" / "index.html").write_text("<!DOCTYPE html><title>index</title>", encoding="utf-8")
    shutil.copytree(ROOT / "data" / "queries", tmp / "data" / "queries")  # the query page's examples
    del store
    gc.collect()
    return Built(port, base, tmp / "lod", tmp / "store", names[0], names[-1])


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    with run_server(built.site, built.store, built.port, "--base-uri", built.base) as url:
        yield url


@pytest.fixture(scope="module")
def limited(built: Built) -> Iterator[str]:
    """A second server with tiny limits, allowing SERVICE."""
    with run_server(built.site, built.store, free_port(), "--base-uri", built.base, "--query-timeout", "0.5",
                    "--max-results", "5", "--allow-service") as url:
        yield url


@pytest.fixture(scope="module")
def embedded(built: Built) -> GraphStore:
    return GraphStore(built.store, read_only=True)


@pytest.fixture()
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10, follow_redirects=False) as client:
        yield client


# -- units: Accept parser, key → statement path, SERVICE scan ----------------------------------------
def test_accept_parser_weighs_specific_ranges_first() -> None:
    ranges = parse_accept('text/*;q=0.3, text/turtle;q=0.7, text/turtle;charset="utf-8";q=1, bad, */*;q=x')
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "*", 0.3), ("text", "turtle", 0.7),
                                                         ("text", "turtle", 1.0)]
    offers = ["text/html", "text/turtle", "application/ld+json"]
    assert negotiate("text/html;q=0.5, application/ld+json", offers) == "application/ld+json"
    assert negotiate("*/*;q=0.1, text/turtle;q=0.2", offers) == "text/turtle"
    assert negotiate("text/*;q=0.9, text/html;q=0", offers) == "text/turtle"
    assert negotiate("image/png", offers) is None and negotiate(None, offers) == "text/html"
    assert negotiate("*/*", offers) == "text/html"  # ties: the server's order
    assert parse_media_type("Application/SPARQL-Query ; charset=UTF-16") == ("application/sparql-query",
                                                                             {"charset": "utf-16"})


def test_described_iris_spell_their_statement() -> None:
    assert statement_candidates("annotation/2019-01-23-some-slug-m2-quote")[0] == "statement/2019/01/23/some-slug"
    assert statement_candidates("attribution/2019-01-some-slug-1")[0] == "statement/2019/01/some-slug"
    assert statement_candidates("activity/undated-some-slug-curation") == ["statement/undated/some-slug"]
    assert statement_candidates("source/2019-01-23-report-2")[0] == "statement/2019/01/23/report-2"
    assert "statement/2019/01/23/resolution-2" in statement_candidates("annotation/2019-01-23-resolution-2-1-target")
    assert statement_candidates("id/person/x") == []


def test_service_detection_ignores_strings_iris_and_comments() -> None:
    assert uses_service("SELECT * { service <http://x/> { ?s ?p ?o } }")
    assert uses_service("SELECT * {SERVICE?e{?s ?p ?o}}")
    assert not uses_service('SELECT * { ?s ?p "SERVICE <x> {}" } # SERVICE <y> {}\n')
    assert not uses_service("SELECT * { <http://x/SERVICE> ex:SERVICE ?service }")
    assert "FROM" in keywords("SELECT * FROM <g> { ?s ?p ?o }")


# -- documents and resources -----------------------------------------------------------------
@pytest.mark.parametrize("accept, suffix", [
    ("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"), ("application/rdf+xml", ".rdf"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", ".jsonld"),
    ("text/html;q=0, text/turtle;q=0.2, */*;q=0.1", ".ttl"),
    ("application/n-triples, */*;q=0.1", ".nt"), ("*/*", ".html"), ("image/png", ".html"),
])
def test_resource_iri_redirects_by_accept(server: str, built: Built, http: httpx.Client, accept: str,
                                          suffix: str) -> None:
    r = http.get(server + built.statement, headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == f"{server}{built.statement}{suffix}"
    assert r.headers["content-location"] == r.headers["location"]
    assert "Accept" in r.headers["vary"] and r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("suffix, media", [(".html", "text/html"), (".ttl", "text/turtle"), (".jsonld",
                         "application/ld+json"), (".nt", "application/n-triples"), (".rdf", "application/rdf+xml")])
def test_documents_have_etags_and_answer_304(server: str, built: Built, http: httpx.Client, suffix: str,
                                             media: str) -> None:
    url = f"{server}{built.statement}{suffix}"
    r = http.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.headers["etag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
    assert r.headers["access-control-allow-origin"] == "*" and r.headers["content-location"] == url
    assert http.get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert http.get(url, headers={"If-None-Match": f'"x", W/{r.headers["etag"]}'}).status_code == 304
    assert http.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    head = http.head(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == r.headers["etag"]
    assert int(head.headers["content-length"]) == len(r.content)


def test_rdfxml_is_the_turtle_document_converted(server: str, built: Built, http: httpx.Client) -> None:
    xml = Graph().parse(data=http.get(f"{server}{built.statement}.rdf").text, format="xml")
    assert isomorphic(xml, Graph().parse(built.site / f"{built.statement}.ttl", format="turtle"))


def test_site_files_are_served(server: str, built: Built, http: httpx.Client) -> None:
    index = http.get(server)
    assert index.status_code == 200 and index.content == (built.site / "index.html").read_bytes()
    files = [p for p in (*built.site.glob("dumps/*"), *built.site.glob("*.*")) if not p.name.startswith(".")]
    assert any(p.parent.name == "dumps" for p in files)
    for path in files:
        r = http.get(server + path.relative_to(built.site).as_posix())
        assert r.status_code == 200 and r.content == path.read_bytes(), path
    if (built.site / ".well-known" / "void").exists():
        assert http.get(server + ".well-known/void").headers["content-type"].startswith("text/turtle")
    big = built.site / "dumps" / "big.bin"  # streamed from disk, with the same ETag rule
    big.write_bytes(bytes(range(256)) * 9000)
    r = http.get(server + "dumps/big.bin")
    assert r.status_code == 200 and r.content == big.read_bytes()
    assert r.headers["etag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
    assert http.get(server + "dumps/big.bin", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert http.get(server + ".htaccess").status_code == 404
    assert http.get(server + "statement/%2E%2E/%2E%2E/pyproject.toml").status_code == 404


def test_unknown_paths_are_404_with_a_helpful_page(server: str, http: httpx.Client) -> None:
    page = http.get(server + "statement/1999/no-such-thing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "statement/1999/no-such-thing" in page.text and 'href="/query"' in page.text and 'href="/"' in page.text
    plain = http.get(server + "statement/1999/no-such-thing", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert http.get(server + "%FF").status_code == 400  # not UTF-8


def test_withdrawn_paths_are_410(server: str, built: Built, http: httpx.Client) -> None:
    gone = built.site / "gone.txt"
    gone.write_text(f"# withdrawn\n{built.other}\n", encoding="utf-8")
    try:
        for url in (server + built.other, f"{server}{built.other}.ttl"):
            assert http.get(url).status_code == 410
        page = http.get(server + built.other, headers={"Accept": "text/html"})
        assert page.status_code == 410 and "withdrawn" in page.text
        assert http.get(server + built.statement).status_code == 303
    finally:
        gone.unlink()
    assert http.get(server + built.other).status_code == 303


def test_described_iris_redirect_to_their_statement(server: str, built: Built, http: httpx.Client,
                                                    embedded: GraphStore) -> None:
    rows = solutions(embedded, f"SELECT DISTINCT ?x {{ GRAPH <{built.base}{built.statement}> {{ {{ ?x ?p ?o }} "
                          f"UNION {{ ?o ?p ?x }} }} FILTER(isIRI(?x)) }}")
    seen = set()
    for row in rows:
        rel = row["x"].value[len(built.base):]
        kind = rel.split("/", 1)[0]
        if kind in ("annotation", "attribution", "source", "activity"):
            seen.add(kind)
            r = http.get(server + rel, headers={"Accept": "text/turtle"})
            assert r.status_code == 303, rel
            assert r.headers["location"] == f"{server}{built.statement}.ttl"
    assert {"annotation", "source"} <= seen


# -- the SPARQL endpoint ---------------------------------------------------------------------
def _parse_results(r: httpx.Response, fmt: str) -> set[tuple[str, ...]]:
    rows = Result.parse(source=io.BytesIO(r.content), format=fmt)
    return {tuple(str(row[v]) for v in rows.vars or ()) for row in rows}  # type: ignore[index,call-overload]


@pytest.mark.parametrize("accept, fmt", [(None, "json"), ("application/sparql-results+json", "json"),
                                         ("application/sparql-results+xml", "xml"), ("text/csv", "csv"),
                                         ("text/tab-separated-values", "tsv")])
@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_select_in_every_format(server: str, http: httpx.Client, embedded: GraphStore, accept: str | None,
                                fmt: str, how: str) -> None:
    headers = {"Accept": accept} if accept else {}
    if how == "get":
        r = http.get(server + "sparql", params={"query": HEADLINES}, headers=headers)
    elif how == "form":
        r = http.post(server + "sparql", data={"query": HEADLINES}, headers=headers)
    else:
        r = http.post(server + "sparql", content=HEADLINES.encode(),
                      headers={**headers, "Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    expected = {(row["s"].value, row["h"].value) for row in solutions(embedded, HEADLINES)}
    assert expected and _parse_results(r, fmt) == expected
    assert r.headers["access-control-allow-origin"] == "*" and "Accept" in r.headers["vary"]


def test_dataset_parameters(server: str, built: Built, http: httpx.Client) -> None:
    graph = built.base + built.statement
    everything = {b["s"]["value"] for b in http.get(server + "sparql", params={"query": HEADLINES}).json()[
        "results"]["bindings"]}
    for params in ({"query": HEADLINES, "default-graph-uri": graph},
                   {"query": HEADLINES.replace("WHERE", f"FROM <{graph}> WHERE")}):
        subjects = {b["s"]["value"] for b in http.get(server + "sparql", params=params).json()["results"]["bindings"]}
        assert graph in subjects and subjects < everything
    named = http.get(server + "sparql/", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
                                                 "named-graph-uri": graph})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [graph]
    assert http.get(server + "sparql", params={"query": HEADLINES, "default-graph-uri": "no iri"}).status_code == 400


def test_ask_and_format_parameter(server: str, http: httpx.Client) -> None:
    assert http.get(server + "sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    r = http.get(server + "sparql", params={"query": "ASK {}", "format": "xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml") and "true" in r.text


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                         ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_in_every_format(server: str, http: httpx.Client, embedded: GraphStore, accept: str,
                                   fmt: str) -> None:
    r = http.post(server + "sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    expected = Graph().parse(data=format_result(embedded.query(CONSTRUCT), "nt"), format="nt")
    assert len(expected) and isomorphic(Graph().parse(data=r.text, format=fmt), expected)


def test_protocol_errors(server: str, http: httpx.Client) -> None:
    bad = http.get(server + "sparql", params={"query": "SELECT * WHERE { ?s ?p"})
    assert bad.status_code == 400 and "syntax error" in bad.text and "error at 1:" in bad.text
    for r in (http.post(server + "sparql", data={"update": "CLEAR ALL"}),
              http.post(server + "sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}),
              http.get(server + "sparql", params={"update": "CLEAR ALL"})):
        assert r.status_code == 403 and "read-only" in r.text
    service = http.get(server + "sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
    assert service.status_code == 400 and "SERVICE" in service.text
    quoted = http.get(server + "sparql", params={"query": 'SELECT * { ?s ?p "SERVICE <x> {}" }'})
    assert quoted.status_code == 200
    latin = http.post(server + "sparql", content="ASK { ?s ?p 'é' }".encode("latin-1"),
                      headers={"Content-Type": "application/sparql-query"})
    assert latin.status_code == 400
    assert http.get(server + "sparql?query=ASK%20%7B%FF%7D").status_code == 400
    assert http.post(server + "sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert http.get(server + "sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    assert http.put(server + "sparql", content=b"ASK {}").status_code == 405
    preflight = http.options(server + "sparql", headers={"Origin": "http://example.org",
                                                          "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] in ("*", "http://example.org")


def test_service_description_and_query_page(server: str, http: httpx.Client) -> None:
    sd = http.get(server + "sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200 and sd.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=sd.text, format="turtle")
    assert graph.query("ASK { ?s a <http://www.w3.org/ns/sparql-service-description#Service> ; "
                       f"<http://www.w3.org/ns/sparql-service-description#endpoint> <{server}sparql> }}").askAnswer
    page = http.get(server + "query")
    assert page.status_code == 200 and "<form" in page.text and "Which statements recognize" in page.text
    browser = http.get(server + "sparql", params={"query": HEADLINES},
                       headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html") and "<table>" in browser.text
    ask = http.get(server + "sparql", params={"query": "ASK {}", "format": "html"})
    assert "Answer: <strong>true</strong>" in ask.text
    error = http.get(server + "sparql", params={"query": "ASK {"}, headers={"Accept": "text/html"})
    assert error.status_code == 400 and "syntax error" in error.text


def test_limits(limited: str, server: str, http: httpx.Client) -> None:
    big = http.get(limited + "sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert big.status_code == 413 and "more than 5" in big.text
    assert http.get(limited + "sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 5"}).status_code == 200
    assert http.get(limited + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}).status_code == 413
    slow = ("SELECT (COUNT(*) AS ?n) { { SELECT ?a { ?a ?b ?c } LIMIT 400 } { SELECT ?d { ?d ?e ?f } LIMIT 400 } "
            "{ SELECT ?g { ?g ?h ?i } LIMIT 150 } }")
    started = time.monotonic()
    r = http.get(limited + "sparql", params={"query": slow})
    assert r.status_code == 503 and "time limit" in r.text and r.headers["retry-after"]
    assert time.monotonic() - started < 3
    assert http.get(limited + "sparql", params={"query": "ASK {}"}).status_code == 200  # still serving
    federated = f"SELECT ?h {{ SERVICE <{server}sparql> {{ ?s <http://schema.org/headline> ?h }} }} LIMIT 1"
    r = http.get(limited + "sparql", params={"query": federated})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1


def test_real_clients_get_the_embedded_answers(server: str, embedded: GraphStore) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import JSON, SPARQLWrapper

    expected = {(row["s"].value, row["h"].value) for row in solutions(embedded, HEADLINES)}
    wrapper = SPARQLWrapper(server + "sparql")
    wrapper.setQuery(HEADLINES)
    wrapper.setReturnFormat(JSON)
    data = wrapper.query().convert()
    assert isinstance(data, dict)
    assert {(b["s"]["value"], b["h"]["value"]) for b in data["results"]["bindings"]} == expected
    graph = Graph(store=SPARQLStore(server + "sparql"))
    assert {(str(s), str(h)) for s, h in graph.query(HEADLINES)} == expected  # type: ignore[misc]


def test_cli_refuses_a_missing_site_or_store(tmp_path: Path, built: Built) -> None:
    runner = CliRunner()
    missing_site = runner.invoke(main, ["serve", "--site", str(tmp_path / "none"), "--store", str(built.store)])
    assert missing_site.exit_code == 1 and "no published site" in missing_site.output
    missing_store = runner.invoke(main, ["serve", "--site", str(built.site), "--store", str(tmp_path / "none")])
    assert missing_store.exit_code == 1 and "no store" in missing_store.output


def test_a_base_with_a_path_is_served_under_it(built: Built, embedded: GraphStore) -> None:
    from communique.serve import create_app

    app = create_app(built.site, embedded, "https://example.org/communique/", examples=ROOT / "data" / "queries")

    async def check() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            assert (await client.get("/")).headers["location"] == "http://testserver/communique/"
            r = await client.get(f"/communique/{built.statement}", headers={"Accept": "text/turtle"})
            assert r.headers["location"] == f"http://testserver/communique/{built.statement}.ttl"
            assert (await client.get(f"/communique/{built.statement}.ttl")).status_code == 200
            assert (await client.get(f"/{built.statement}.ttl")).status_code == 404
            for path in ("/communique/sparql", "/sparql"):
                r = await client.get(path, params={"query": "ASK { ?s ?p ?o }"})
                assert r.json()["boolean"] is True
            page = (await client.get("/communique/query")).text
            assert 'action="http://testserver/communique/sparql"' in page

    asyncio.run(check())
