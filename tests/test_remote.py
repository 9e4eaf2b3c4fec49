"""Pushing the store into an external triplestore and querying it there.

Runs a real Oxigraph server (the ``oxigraph`` command of ``pip install oxigraph``) on a free
loopback port; a small fake Graph Store in a thread covers credentials, failures and servers that
refuse N-Quads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from communique.cli import main
from communique.errors import QueryError, StoreError
from communique.query import run_query
from communique.remote import RemoteStore, derive_query_url, push, verify
from communique.store import GraphStore

from .conftest import ROOT

QUERIES = sorted((ROOT / "data" / "queries").glob("*.rq"))
GENERATOR = ROOT / "benchmarks" / "generate.py"


def _oxigraph() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


OXIGRAPH = _oxigraph()
if OXIGRAPH is None:
    pytest.skip("no 'oxigraph' executable next to the venv's python or on PATH "
                "(pip install 'oxigraph>=0.4', part of the test extra)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str

    @property
    def gsp(self) -> str:
        return f"{self.base}/store"

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    def update(self, sparql: str) -> None:
        request = urllib.request.Request(f"{self.base}/update", data=sparql.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=30).close()

    def graph(self, name: str) -> Graph:
        request = urllib.request.Request(f"{self.gsp}?graph={quote(name, safe='')}",
                                         headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return Graph().parse(data=response.read().decode("utf-8"), format="nt")

    def graph_names(self) -> set[str]:
        result = RemoteStore(self.query).query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {solution["g"].value for solution in result}  # type: ignore[union-attr]

    def delete(self, name: str) -> None:
        request = urllib.request.Request(f"{self.gsp}?graph={quote(name, safe='')}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Oxigraph server whose default graph is the union of its named graphs (as ours)."""
    folder = tmp_path_factory.mktemp("oxigraph")
    port = _free_port()
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}: "
                            f"{(folder / 'server.log').read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not listen within 30 s")
                time.sleep(0.05)
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture()
def remote(oxigraph: Server) -> Server:
    """The Oxigraph server, emptied."""
    oxigraph.update("DROP ALL")
    return oxigraph


def _copy(store: GraphStore) -> GraphStore:
    copy = GraphStore()
    for name in store.graph_names():
        copy.replace_graph(name, store.graph(name))
    return copy


def _bindings(json_text: str) -> Counter:
    """SPARQL JSON results as a multiset of bindings (order and literal spelling of types aside)."""
    data = json.loads(json_text)
    if "boolean" in data:
        return Counter([data["boolean"]])
    rows = []
    for row in data["results"]["bindings"]:
        rows.append(frozenset(
            (var, "literal" if term["type"] == "typed-literal" else term["type"], term["value"],
             term.get("datatype"), term.get("xml:lang"))
            for var, term in row.items()))
    return Counter(rows)


def _state(path: Path) -> tuple[dict, dict[str, str]]:
    """The header of a push state file and the graphs it holds as pushed."""
    header, *records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    graphs: dict[str, str] = {}
    for record in records:
        if record["sha256"] is None:
            graphs.pop(record["graph"], None)
        else:
            graphs[record["graph"]] = record["sha256"]
    return header, graphs


def _cli(*args: str | Path) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


# -- against a real Oxigraph server ------------------------------------------------------------------
def test_push_every_graph_arrives_under_its_name(built_store: GraphStore, remote: Server) -> None:
    seen: list[tuple[int, int]] = []
    report = push(built_store, remote.gsp, batch_size=2, progress=lambda done, total: seen.append((done, total)))
    names = built_store.graph_names()
    assert sorted(report.pushed) == names and not report.skipped
    assert report.graphs == len(names) and report.triples == len(built_store)
    assert report.method == "batch" and report.query_url == remote.query
    assert seen[-1] == (len(names), len(names)) and len(seen) == -(-len(names) // 2)
    assert remote.graph_names() == set(names)
    for name in names:
        assert isomorphic(remote.graph(name), built_store.graph(name)), name
    assert report.summary().startswith(f"pushed {len(names)} graphs, skipped 0 already there; verified ")


def test_push_graph_by_graph_gives_the_same(built_store: GraphStore, remote: Server) -> None:
    report = push(built_store, remote.gsp, method="put")
    assert report.method == "put" and report.triples == len(built_store)
    for name in built_store.graph_names():
        assert isomorphic(remote.graph(name), built_store.graph(name)), name


def test_push_replaces_what_the_remote_graph_held(built_store: GraphStore, remote: Server) -> None:
    name = built_store.statement_names()[0]
    remote.update(f'INSERT DATA {{ GRAPH <{name}> {{ <urn:x:stale> <urn:x:p> "stale" }} }}')
    push(built_store, remote.gsp)
    assert isomorphic(remote.graph(name), built_store.graph(name))


def test_cli_push_prints_a_summary(built_store: GraphStore, remote: Server, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    result = _cli("push", "--store", built_store.path, "--endpoint", remote.gsp, "--state", state)
    assert result.exit_code == 0, result.output
    n = len(built_store.graph_names())
    assert f"pushed {n} graphs, skipped 0 already there" in result.output
    assert f"verified {len(built_store)} triples in {n} graphs" in result.output
    again = _cli("push", "--store", built_store.path, "--endpoint", remote.gsp, "--state", state)
    assert again.exit_code == 0 and f"pushed 0 graphs, skipped {n} already there" in again.output


@pytest.mark.parametrize("rq", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_endpoint_answers_as_the_store(built_store: GraphStore, remote: Server, rq: Path) -> None:
    push(built_store, remote.gsp)
    local = run_query(built_store, rq.read_text(encoding="utf-8"), "json")
    result = _cli("query", "-f", rq, "--format", "json", "--endpoint", remote.query)
    assert result.exit_code == 0, result.output
    assert _bindings(result.stdout) == _bindings(local)
    assert sum(_bindings(local).values()) > 0, f"{rq.name} finds nothing in data/statements"


def test_remote_results_format_like_the_store(built_store: GraphStore, remote: Server) -> None:
    push(built_store, remote.gsp)
    there = RemoteStore(remote.query)
    name = built_store.statement_names()[0]
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
    assert run_query(there, construct, "nt") == run_query(built_store, construct, "nt")
    assert run_query(there, construct, "turtle") == run_query(built_store, construct, "turtle")
    ask = "ASK { ?s a <http://schema.org/Country> }"
    assert run_query(there, ask, "table") == run_query(built_store, ask, "table") == "true\n"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for fmt in ("table", "csv", "tsv", "json", "xml"):
        assert run_query(there, count, fmt) == run_query(built_store, count, fmt), fmt


def test_remote_syntax_error_is_a_query_error(remote: Server) -> None:
    with pytest.raises(QueryError, match=re.escape(remote.query)):
        RemoteStore(remote.query).query("SELEC * WHERE { ?s ?p ?o }")
    result = _cli("query", "SELEC * WHERE { ?s ?p ?o }", "--endpoint", remote.query)
    assert result.exit_code == 1 and "rejected the query" in result.stderr


def test_query_endpoint_and_store_are_exclusive(remote: Server, tmp_path: Path) -> None:
    result = _cli("query", "ASK {}", "--store", tmp_path, "--endpoint", remote.query)
    assert result.exit_code == 2 and "--store or --endpoint" in result.output


def test_rerun_with_the_state_file_pushes_only_what_changed(built_store: GraphStore, remote: Server,
                                                            tmp_path: Path) -> None:
    store = _copy(built_store)
    state = tmp_path / "push-state.json"
    first = push(store, remote.gsp, state_file=state)
    names = store.graph_names()
    assert sorted(first.pushed) == names
    header, recorded = _state(state)
    assert header == {"gsp_url": remote.gsp}
    assert recorded == {n: hashlib.sha256(store.nquads(n).encode()).hexdigest() for n in names}

    again = push(store, remote.gsp, state_file=state)
    assert again.pushed == [] and sorted(again.skipped) == names and again.triples == len(store)

    changed, gone = store.statement_names()[:2]
    graph = store.graph(changed)
    graph.add((URIRef(changed), RDFS.comment, Literal("amended")))
    store.replace_graph(changed, graph)
    store.remove_graph(gone)
    third = push(store, remote.gsp, state_file=state)
    assert third.pushed == [changed] and third.removed == [gone]
    assert isomorphic(remote.graph(changed), graph)
    assert gone not in remote.graph_names()
    assert set(_state(state)[1]) == set(names) - {gone}
    assert len(state.read_text(encoding="utf-8").splitlines()) == len(names)  # compacted: header + graphs


def test_a_state_file_that_is_something_else_is_left_alone(built_store: GraphStore, remote: Server,
                                                          tmp_path: Path) -> None:
    precious = tmp_path / "notes.json"
    precious.write_text('{"my": "notes"}\n', encoding="utf-8")
    with pytest.raises(StoreError, match="not a push state file"):
        push(built_store, remote.gsp, state_file=precious)
    assert precious.read_text(encoding="utf-8") == '{"my": "notes"}\n'


def test_wrong_endpoint_gives_a_clear_error(built_store: GraphStore, remote: Server) -> None:
    nobody = f"http://127.0.0.1:{_free_port()}/store"
    with pytest.raises(StoreError, match=r"connection refused: is the triplestore running at "
                                         + re.escape(nobody.removesuffix("/store"))):
        push(built_store, nobody)
    with pytest.raises(StoreError, match=r"POST .*/nothing: HTTP 404 Not Found: no Graph Store service"):
        push(built_store, f"{remote.base}/nothing", query_url=remote.query)
    with pytest.raises(StoreError, match=r"connection refused"):
        RemoteStore(nobody.replace("/store", "/query")).query("ASK {}")
    result = _cli("push", "--store", built_store.path, "--endpoint", nobody)
    assert result.exit_code == 1 and "connection refused" in result.stderr
    assert nobody.removesuffix("/store") in result.stderr
    result = _cli("push", "--store", built_store.path, "--endpoint", f"{remote.base}/somewhere")
    assert result.exit_code == 2 and "--query-endpoint" in result.stderr


def test_verification_fails_when_the_remote_store_differs(built_store: GraphStore, remote: Server) -> None:
    push(built_store, remote.gsp)
    assert verify(built_store, remote.query) == len(built_store)
    victim = built_store.statement_names()[0]
    size = len(built_store.graph(victim))
    remote.delete(victim)
    with pytest.raises(StoreError, match=rf"1 of {len(built_store.graph_names())} graphs differ.*"
                                         rf"<{re.escape(victim)}> local {size}, remote 0"):
        verify(built_store, remote.query)


@pytest.mark.skipif(not GENERATOR.exists(), reason="benchmarks/generate.py is not there")
def test_synthetic_corpus_of_1000_statements(remote: Server, tmp_path: Path) -> None:
    from communique.pipeline import build

    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(GENERATOR), "--count", "1000", "--seed", "11", "--out", str(corpus)],
                   check=True, capture_output=True, timeout=120)
    store = GraphStore(tmp_path / "store")
    report = build([corpus], store=store)
    assert not report.rejected, report.summary()
    pushed = push(store, remote.gsp)
    assert pushed.graphs == len(store.graph_names()) > 1000 and pushed.triples == len(store)
    assert pushed.requests < 40  # batches of 100 graphs, not one request per graph
    there = RemoteStore(remote.query)
    # non-recognitions.rq is left out: on 1,000 synthetic statements Oxigraph takes over a minute
    # on it, embedded or served alike (its join order), which is not what this test is about
    checks = [q.read_text(encoding="utf-8") for q in QUERIES if q.stem != "non-recognitions"] + [
        "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        ("PREFIX cq: <https://w3id.org/communique/ns#> "
         "SELECT ?stance (COUNT(?act) AS ?n) WHERE { ?act cq:stance ?stance } GROUP BY ?stance"),
    ]
    for sparql in checks:
        remote_answer = run_query(there, sparql, "json")
        assert _bindings(remote_answer) == _bindings(run_query(store, sparql, "json")), sparql


# -- against a fake Graph Store: credentials, failures, servers without N-Quads -------------------------
class _Fake(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FakeHandler)
        self.graphs: dict[str, int] = {}
        self.seen: list[tuple[str, str, str | None]] = []
        self.auth: str | None = None  # None, "basic", "bearer", "digest"
        self.quads = True
        self.fail_post: int | None = None  # answer 500 to this POST of N-Quads (1 = the first)
        self.posts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _FakeHandler(BaseHTTPRequestHandler):
    server: _Fake

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes = b"", ctype: str = "text/plain", extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self, header: str | None) -> bool:
        mode = self.server.auth
        if mode == "basic":
            return header == "Basic " + base64.b64encode(b"ana:s3cret").decode()
        if mode == "bearer":
            return header == "Bearer t0ken"
        if mode == "digest":
            if not header or not header.startswith("Digest "):
                return False
            f = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header)}
            md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
            ha1, ha2 = md5("ana:SPARQL:s3cret"), md5(f"{self.command}:{f.get('uri')}")
            expected = md5(f"{ha1}:{f.get('nonce')}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}")
            return f.get("username") == "ana" and f.get("response") == expected
        return True

    def _handle(self) -> None:
        fake = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        header = self.headers.get("Authorization")
        fake.seen.append((self.command, self.path, header))
        if not self._authorized(header):
            challenge = ('Digest realm="SPARQL", nonce="n0nce", qop="auth", algorithm="MD5"'
                         if fake.auth == "digest" else 'Basic realm="SPARQL"')
            return self._reply(401, b"who are you?", extra={"WWW-Authenticate": challenge})
        url = urlsplit(self.path)
        graph = parse_qs(url.query).get("graph", [None])[0]
        if url.path == "/sparql":
            return self._query(body.decode())
        if url.path != "/sparql-graph-crud":
            return self._reply(404, b"nothing here")
        if self.command == "PUT" and graph:
            fake.graphs[graph] = sum(1 for line in body.decode().splitlines() if line.strip())
            return self._reply(201)
        if self.command == "DELETE" and graph:
            return self._reply(204) if fake.graphs.pop(graph, None) is not None else self._reply(404)
        if self.command == "POST" and not graph:
            if not fake.quads:
                return self._reply(415, b"quads? never heard of them")
            fake.posts += 1
            if fake.posts == fake.fail_post:
                return self._reply(500, b"disk full")
            for line in body.decode().splitlines():
                if line.strip():
                    name = line.rsplit(" ", 2)[-2].strip("<>")
                    fake.graphs[name] = fake.graphs.get(name, 0) + 1
            return self._reply(204)
        return self._reply(405)

    def _query(self, sparql: str) -> None:
        graphs = self.server.graphs
        if "COUNT(*)" in sparql:
            rows = [{"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(n)}}
                    for g, n in graphs.items()]
        else:
            asked = re.findall(r"<([^>]+)>", sparql.split("VALUES", 1)[1].split("}", 1)[0])
            rows = [{"g": {"type": "uri", "value": g}} for g in asked if g in graphs]
        payload = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}).encode()
        self._reply(200, payload, "application/sparql-results+json")

    do_GET = do_PUT = do_POST = do_DELETE = _handle


@pytest.fixture()
def fake() -> Iterator[_Fake]:
    server = _Fake()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_query_url_is_derived_for_known_servers() -> None:
    assert derive_query_url("http://h:7878/store") == "http://h:7878/query"
    assert derive_query_url("http://h:3030/ds/data") == "http://h:3030/ds/sparql"
    assert derive_query_url("http://h:7200/repositories/r/rdf-graphs/service") == "http://h:7200/repositories/r"
    assert derive_query_url("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql-auth"
    assert derive_query_url("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert derive_query_url("http://h:7001/") is None


def test_basic_credentials_are_sent(built_store: GraphStore, fake: _Fake) -> None:
    fake.auth = "basic"
    refused = r"POST .*/sparql: HTTP 401 Unauthorized: the triplestore refused the credentials"
    with pytest.raises(StoreError, match=refused):
        push(built_store, f"{fake.base}/sparql-graph-crud")
    with pytest.raises(StoreError, match="HTTP 401"):
        push(built_store, f"{fake.base}/sparql-graph-crud", auth=("ana", "wrong"))
    report = push(built_store, f"{fake.base}/sparql-graph-crud", auth=("ana", "s3cret"))
    assert report.triples == len(built_store)
    in_url = push(built_store, f"http://ana:s3cret@127.0.0.1:{fake.server_address[1]}/sparql-graph-crud")
    assert in_url.triples == len(built_store) and "s3cret" not in in_url.gsp_url


def test_bearer_token_is_sent(built_store: GraphStore, fake: _Fake) -> None:
    fake.auth = "bearer"
    report = push(built_store, f"{fake.base}/sparql-graph-crud", token="t0ken")
    assert report.triples == len(built_store)
    assert {header for _, _, header in fake.seen} == {"Bearer t0ken"}
    result = _cli("push", "--store", built_store.path, "--endpoint", f"{fake.base}/sparql-graph-crud",
                  "--token", "nope")
    assert result.exit_code == 1 and "HTTP 401" in result.stderr


def test_digest_when_the_server_asks_for_it(built_store: GraphStore, fake: _Fake) -> None:
    fake.auth = "digest"  # as Virtuoso's /sparql-graph-crud-auth
    report = push(built_store, f"{fake.base}/sparql-graph-crud", auth=("ana", "s3cret"))
    assert report.triples == len(built_store)
    assert any(header and header.startswith("Digest ") for _, _, header in fake.seen)


def test_a_server_without_nquads_gets_graph_by_graph(built_store: GraphStore, fake: _Fake) -> None:
    fake.quads = False
    report = push(built_store, f"{fake.base}/sparql-graph-crud")
    assert report.method.startswith("put (the server answered HTTP 415")
    assert sorted(fake.graphs) == built_store.graph_names() and report.triples == len(built_store)


def test_a_failed_batch_is_resumed(built_store: GraphStore, fake: _Fake, tmp_path: Path) -> None:
    fake.fail_post = 2
    state = tmp_path / "state.json"
    gsp = f"{fake.base}/sparql-graph-crud"
    with pytest.raises(StoreError, match=r"POST .*/sparql-graph-crud: HTTP 500 .*failed: disk full"):
        push(built_store, gsp, batch_size=2, state_file=state)
    names = built_store.graph_names()
    assert sorted(_state(state)[1]) == names[:2]
    report = push(built_store, gsp, batch_size=2, state_file=state)
    assert report.skipped == names[:2] and report.pushed == names[2:]
    assert report.triples == len(built_store)
