"""`communique serve --endpoint`: the site and the SPARQL endpoint served from a remote store.

A real Oxigraph server on loopback (the fixture of test_remote, skipped without the ``oxigraph``
executable) receives the project's statements by the project's own push. One app serves them from
the embedded store, one from the remote store, both without a published folder (every document
and page rendered from their store), and every answer must be the same: status, content type,
headers that matter, body.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

from communique.cli import main
from communique.errors import StoreError
from communique.iris import DEFAULT_BASE
from communique.remote import RemoteBackend, RemoteError, push
from communique.serve import create_app
from communique.serve.backend import EmbeddedBackend
from communique.store import GraphStore

from .conftest import ROOT
from .test_remote import Server, _free_port, oxigraph  # noqa: F401  (the server fixture; skips without it)

BASE = DEFAULT_BASE
PREFIX = "/communique/"
EXAMPLES = ROOT / "data" / "queries"
ACCEPTS = ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
SUFFIXES = (".html", ".ttl", ".jsonld", ".nt", ".rdf")
HEADLINES = "SELECT ?s ?h WHERE { ?s <http://schema.org/headline> ?h } ORDER BY ?s ?h"

Request = tuple[str, str, dict[str, str]]  # method, path with query, headers


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    location: str
    etag: str
    body: bytes


def answers(app: Starlette, requests: list[Request]) -> list[Answer]:
    """Send ``requests`` to ``app`` in process, in order."""
    async def run() -> list[Answer]:
        found = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            for method, path, headers in requests:
                r = await client.request(method, path, headers=headers)
                found.append(Answer(r.status_code, r.headers.get("content-type", ""), r.headers.get("location", ""),
                                    r.headers.get("etag", ""), r.content))
        return found
    return asyncio.run(run())


def sparql(query: str, **params: str) -> str:
    extra = "".join(f"&{k.replace('_', '-')}={quote(v, safe='')}" for k, v in params.items())
    return f"{PREFIX}sparql?query={quote(query, safe='')}{extra}"


@dataclass(frozen=True)
class Apps:
    server: Server
    embedded: Starlette
    remote: Starlette
    backend: RemoteBackend

    @property
    def rendered(self) -> Path:
        return self.embedded.state.rendered.root

    def compare(self, requests: list[Request]) -> list[Answer]:
        """The embedded app's answers, after checking that the remote app gives the same."""
        here, there = answers(self.embedded, requests), answers(self.remote, requests)
        for request, a, b in zip(requests, here, there, strict=True):
            assert a == b, f"{request}: embedded {a.status} {a.body[:300]!r} / remote {b.status} {b.body[:300]!r}"
        return here


@pytest.fixture(scope="module")
def apps(oxigraph: Server, built_store: GraphStore) -> Apps:  # noqa: F811
    """The statements pushed into the Oxigraph server; an app over each store, without a site."""
    oxigraph.update("DROP ALL")
    report = push(built_store, oxigraph.gsp)
    assert report.graphs == len(built_store.graph_names())
    backend = RemoteBackend(oxigraph.query)
    embedded = create_app(None, built_store, BASE, examples=EXAMPLES)
    remote = create_app(None, backend, BASE, examples=EXAMPLES)
    return Apps(oxigraph, embedded, remote, backend)


# -- the backend ---------------------------------------------------------------------------------
def test_the_remote_backend_reads_what_the_store_holds(apps: Apps, built_store: GraphStore) -> None:
    remote, local = apps.backend, EmbeddedBackend(built_store)
    assert remote.graph_names() == local.graph_names() and remote.statement_names() == local.statement_names()
    assert len(remote) == len(local) > 0
    for name in local.statement_names():
        assert remote.describe(name) == local.describe(name)
    for name in local.graph_names():
        assert remote.nquads(name) == local.nquads(name)
    assert remote.nquads() == local.nquads()


def test_both_stores_render_the_same_site(apps: Apps) -> None:
    here, there = apps.rendered, apps.remote.state.rendered.root
    files = sorted(p.relative_to(here) for p in here.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(there) for p in there.rglob("*") if p.is_file())
    assert len(files) > 50
    for name in files:
        assert (here / name).read_bytes() == (there / name).read_bytes(), name


# -- documents -----------------------------------------------------------------------------------
def _sample(root: Path) -> list[str]:
    """Every statement, two resources of each kind of party, three recognition acts, the rest."""
    statements = sorted(str(p.relative_to(root))[:-4] for p in root.glob("statement/**/*.ttl"))
    parties: list[str] = []
    for kind in sorted(p for p in (root / "id").iterdir() if p.is_dir()):
        parties += sorted(str(p.relative_to(root))[:-4] for p in kind.glob("*.ttl"))[:2]
    acts = sorted(str(p.relative_to(root))[:-4] for p in (root / "act").glob("*.ttl"))[:3]
    assert statements and parties and acts
    return statements + parties + acts + ["graph/entities", "void"]


def test_documents_are_the_same_in_every_format(apps: Apps, built_store: GraphStore) -> None:
    resources = _sample(apps.rendered)
    requests: list[Request] = []
    for path in resources:
        requests += [("GET", PREFIX + path, {"Accept": accept}) for accept in ACCEPTS]
        requests += [("GET", PREFIX + path + suffix, {}) for suffix in SUFFIXES]
        requests.append(("HEAD", PREFIX + path + ".ttl", {}))
    found = apps.compare(requests)
    per_resource = len(ACCEPTS) + len(SUFFIXES) + 1
    for n, path in enumerate(resources):
        mine = found[n * per_resource:(n + 1) * per_resource]
        assert [a.status for a in mine] == [303] * len(ACCEPTS) + [200] * (len(SUFFIXES) + 1), path
        assert [a.location.rsplit(".", 1)[-1] for a in mine[:len(ACCEPTS)]] == [s[1:] for s in SUFFIXES]
        assert [a.content_type.split(";")[0] for a in mine[len(ACCEPTS):-1]] == [
            "text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
        assert all(a.body and a.etag for a in mine[len(ACCEPTS):-1])
    for name in built_store.statement_names():  # a statement's N-Triples are its description in the store
        nt = answers(apps.remote, [("GET", PREFIX + name[len(BASE):] + ".nt", {})])[0]
        assert nt.body.decode("utf-8") == built_store.describe(name)


def test_pages_redirects_and_errors_are_the_same(apps: Apps, built_store: GraphStore) -> None:
    root = apps.rendered
    statement = built_store.statement_names()[0]
    annotation = next(line.split(" ", 1)[0][1:-1] for line in built_store.describe(statement).splitlines()
                      if line.startswith(f"<{BASE}annotation/"))
    pages = ["", "index.html", "index/date.html", "index/speaker.html", "index/country.html", "ns.html",
             "void.html", "sitemap.xml", "robots.txt", "dumps/communique.nq.gz", ".well-known/void", "query",
             *sorted(str(p.relative_to(root)) for p in (root / "timeline").glob("*.html"))[:2]]
    requests: list[Request] = [("GET", PREFIX + page, {}) for page in pages]
    requests += [("GET", "/", {}), ("GET", PREFIX + annotation[len(BASE):], {"Accept": "text/turtle"}),
                 ("GET", PREFIX + "id/person/nobody", {"Accept": "text/html"}),
                 ("GET", PREFIX + "id/person/nobody", {}), ("GET", PREFIX + "../etc/passwd", {}),
                 ("GET", PREFIX + "statement/2019/01/10", {"Accept": "text/turtle"})]
    found = apps.compare(requests)
    assert [a.status for a in found[:len(pages)]] == [200] * len(pages)
    assert [a.status for a in found[len(pages):]] == [303, 303, 404, 404, 404, 404]
    assert found[len(pages) + 1].location.endswith(statement[len(BASE):] + ".ttl")
    assert found[len(pages) + 2].content_type.startswith("text/html")
    etag = found[pages.index("index.html")].etag  # conditional requests as well
    assert apps.compare([("GET", PREFIX + "index.html", {"If-None-Match": etag})])[0].status == 304


# -- the SPARQL endpoint -----------------------------------------------------------------------------
def test_sparql_answers_are_the_same(apps: Apps, built_store: GraphStore) -> None:
    statement, other = built_store.statement_names()[:2]
    construct = "CONSTRUCT { ?s <http://schema.org/headline> ?h } WHERE { ?s <http://schema.org/headline> ?h }"
    queries = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.rq"))] + [HEADLINES]
    requests: list[Request] = [("GET", sparql(q, format=f), {}) for q in queries
                               for f in ("json", "xml", "csv", "tsv", "html")]
    requests += [("GET", sparql(construct), {"Accept": a}) for a in
                 ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml", "text/html")]
    named: dict[str, Request] = {
        "describe": ("GET", sparql(f"DESCRIBE <{statement}>"), {"Accept": "application/n-triples"}),
        "ask": ("GET", sparql("ASK { ?s ?p ?o }"), {}),
        "count": ("GET", sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), {}),
        "default-graph-uri": ("GET", sparql(HEADLINES, default_graph_uri=statement), {}),
        "from": ("GET", sparql(HEADLINES.replace("WHERE", f"FROM <{other}> WHERE")), {}),
        "named-graph-uri": ("GET", sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                                          named_graph_uri=other), {}),
        "graphs": ("GET", sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"), {}),
        "relative": ("GET", sparql("SELECT ?x WHERE { BIND(<relative> AS ?x) }"), {}),
        "description": ("GET", PREFIX + "sparql", {"Accept": "text/turtle"}),
        "syntax": ("GET", sparql("SELECT * WHERE { ?s ?p"), {}),
        "syntax-page": ("GET", sparql("SELECT * WHERE { ?s ?p"), {"Accept": "text/html"}),
        "service": ("GET", sparql("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"), {}),
        "update": ("GET", f"{PREFIX}sparql?update={quote('CLEAR ALL')}", {}),
    }
    found = apps.compare(requests + list(named.values()))
    by_name = dict(zip(named, found[len(requests):], strict=True))
    assert all(a.status == 200 and a.body for a in found[:len(requests)]), [a.status for a in found]
    assert found[len(queries) * 5].content_type.startswith("text/turtle")
    assert all(by_name[n].status == 200 for n in list(named)[:9])
    assert [by_name[n].status for n in ("syntax", "syntax-page", "service", "update")] == [400, 400, 400, 403]
    assert b"error at 1:" in by_name["syntax"].body and b"SERVICE" in by_name["service"].body
    assert b"http://testserver/communique/relative" in by_name["relative"].body
    assert by_name["default-graph-uri"].body.count(b'"uri"') == 1  # the one statement's headline
    assert by_name["named-graph-uri"].body.count(b'"uri"') == 1


def test_a_query_url_asking_for_the_union_still_takes_datasets(apps: Apps, built_store: GraphStore) -> None:
    """Oxigraph refuses ``?union-default-graph`` beside a dataset: it is left out when one is sent."""
    statement = built_store.statement_names()[1]
    app = create_app(apps.rendered, RemoteBackend(apps.server.query + "?union-default-graph"), BASE)
    requests: list[Request] = [
        ("GET", sparql(HEADLINES), {}), ("GET", sparql(HEADLINES, default_graph_uri=statement), {}),
        ("GET", sparql(HEADLINES.replace("WHERE", f"FROM <{statement}> WHERE")), {}),
        ("GET", sparql("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
                       named_graph_uri=statement), {})]
    expected = answers(apps.embedded, requests)
    assert answers(app, requests) == expected and all(a.status == 200 for a in expected)
    assert expected[1] == expected[2] != expected[0]


def test_the_endpoint_keeps_its_limits_over_the_remote_store(apps: Apps) -> None:
    app = create_app(apps.rendered, apps.backend, BASE, max_results=5, query_timeout=0.5)
    # 36 million rows to count: seconds on any machine here (9 million once finished within the limit)
    slow = ("SELECT (COUNT(*) AS ?n) { { SELECT ?a { ?a ?b ?c } LIMIT 600 } { SELECT ?d { ?d ?e ?f } LIMIT 600 } "
            "{ SELECT ?g { ?g ?h ?i } LIMIT 100 } }")
    started = time.monotonic()
    big, limited, graph, timed_out = answers(app, [
        ("GET", sparql("SELECT * { ?s ?p ?o }"), {}), ("GET", sparql("SELECT * { ?s ?p ?o } LIMIT 5"), {}),
        ("GET", sparql("CONSTRUCT WHERE { ?s ?p ?o }"), {}), ("GET", sparql(slow), {})])
    assert big.status == 413 and b"more than 5" in big.body and limited.status == 200
    assert graph.status == 413
    assert timed_out.status == 503 and b"time limit" in timed_out.body
    assert time.monotonic() - started < 10


# -- failures ------------------------------------------------------------------------------------
def test_an_unreachable_endpoint_is_a_clear_error(apps: Apps) -> None:
    dead = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(StoreError, match=f"POST {dead}: connection refused") as caught:
        create_app(None, RemoteBackend(dead), BASE)
    assert caught.value.http_status == 503 and caught.value.exit_code == 1
    with pytest.raises(RemoteError, match="HTTP 404.*no SPARQL query service here") as answered:
        create_app(apps.rendered, RemoteBackend(apps.server.base + "/nothing"), BASE)
    assert answered.value.http_status == 502


def test_a_store_lost_while_serving_answers_503_or_502(apps: Apps) -> None:
    backend = RemoteBackend(apps.server.query)
    app = create_app(apps.rendered, backend, BASE)  # a published folder: only queries reach the store
    dead = f"http://127.0.0.1:{_free_port()}/query"
    backend.query_url = dead
    down, page = answers(app, [("GET", sparql("ASK {}"), {}),
                               ("GET", f"{PREFIX}statement/2019/01/10/non-recognition-of-the-maduro-regime.ttl", {})])
    assert down.status == 503 and dead.encode() in down.body
    assert page.status == 200  # documents are still served
    backend.query_url = apps.server.base + "/nothing"
    failed = answers(app, [("GET", sparql("ASK {}"), {})])[0]
    assert failed.status == 502 and b"HTTP 404" in failed.body


def test_a_default_graph_that_is_not_the_union_is_refused(apps: Apps, built_store: GraphStore) -> None:
    """Simulated by a dataset in the URL: an empty default graph beside a named graph with triples."""
    url = (f"{apps.server.query}?default-graph-uri={quote('urn:x-empty', safe='')}"
           f"&named-graph-uri={quote(built_store.statement_names()[0], safe='')}")
    with pytest.raises(StoreError, match="union-default-graph"):
        create_app(None, RemoteBackend(url), BASE)


# -- the command line ----------------------------------------------------------------------------
def test_cli_serves_from_the_endpoint(apps: Apps, built_store: GraphStore) -> None:
    port = _free_port()
    cmd = [sys.executable, "-m", "communique.cli", "serve", "--endpoint", apps.server.query, "--base", BASE,
           "--host", "127.0.0.1", "--port", str(port)]
    path = built_store.statement_names()[0][len(BASE):] + ".ttl"
    expected = answers(apps.embedded, [("GET", PREFIX + path, {})])[0]
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TMPDIR": tmp}  # where the server renders the documents
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        try:
            r = _first_answer(proc, f"http://127.0.0.1:{port}{PREFIX}{path}")
            rendered = sorted(p.name for p in Path(tmp).iterdir())
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        left = sorted(p.name for p in Path(tmp).iterdir())
        log.seek(0)
        output = log.read().decode(errors="replace")
    assert r.status_code == 200 and r.content == expected.body, output
    # regression: stopped by SIGTERM, the server left its rendered folder behind in the temp dir
    assert [name[:len("communique-site-")] for name in rendered] == ["communique-site-"], rendered
    assert left == [], left
    assert r.headers["content-type"] == expected.content_type and r.headers["etag"] == expected.etag
    assert f"documents rendered from {apps.server.query}" in output


def _first_answer(proc: subprocess.Popen[bytes], url: str) -> httpx.Response:
    deadline = time.monotonic() + 30
    with httpx.Client(trust_env=False, timeout=5) as client:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}")
            try:
                return client.get(url)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("the server did not answer within 30 s")
                time.sleep(0.1)


@pytest.mark.parametrize("args, code, message", [
    (["--endpoint", "http://127.0.0.1:{port}/query", "--base", BASE], 1, "connection refused"),
    (["--endpoint", "http://127.0.0.1:{port}/query"], 2, "give --base-uri"),
    (["--endpoint", "ftp://example.org/query", "--base", BASE], 2, "not an http(s) URL"),
    (["--endpoint", "http://127.0.0.1:{port}/query", "--store", "x"], 2, "either --store or --endpoint"),
    (["--endpoint", "http://127.0.0.1:{port}/query", "--base", BASE, "--user", "u"], 2, "--user needs --password"),
    (["--user", "u", "--password", "p"], 2, "go with --endpoint"),
])
def test_cli_errors(args: list[str], code: int, message: str) -> None:
    port = str(_free_port())
    result = CliRunner().invoke(main, ["serve", *(a.replace("{port}", port) for a in args)],
                                env={"COMMUNIQUE_REMOTE_PASSWORD": None, "COMMUNIQUE_REMOTE_TOKEN": None})
    assert result.exit_code == code and message in result.output, result.output
    if code == 1:
        assert f"http://127.0.0.1:{port}/query" in result.output

