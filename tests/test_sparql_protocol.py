"""The W3C SPARQL 1.1 Protocol tests, run against a real `communique serve` process.

The manifest (../shared/conformance/w3c-sparql11/protocol/manifest.ttl) describes each request in
the W3C HTTP vocabulary (method, path, headers, body with its encoding) and the expected response
(status class, result format, boolean). The runner reads those requests from the manifest and
keeps, in ``EXPECTED``, one row per test IRI: what the test needs and what is checked beyond the
status (the media types that count as the expected format), or why it is skipped. A manifest
entry missing from the table fails, so a new test cannot pass unnoticed.

The endpoint serves data1.nt, data2.nt and data3.nt as the named graphs the tests name them by
(their ``rdfs:label``); ``default-graph-uri`` / ``named-graph-uri`` pick among them per request.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result
from rdflib.term import Node

from communique.store import GraphStore

from .test_serve import free_port, run_server

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "w3c-sparql11" / "protocol"
if not (FOLDER / "manifest.ttl").is_file():
    pytest.skip(f"the W3C protocol tests are not here: {FOLDER}", allow_module_level=True)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
T = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

BOOLEAN = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR = BOOLEAN + ("text/csv", "text/tab-separated-values")
GRAPH = ("application/rdf+xml", "text/turtle", "application/n-triples")
READ_ONLY = "the endpoint is read-only: SPARQL Update is refused with 403 (the test expects 2xx)"

#: test name → (media types of the expected format, or a skip reason); the status is the manifest's
EXPECTED: dict[str, tuple[tuple[str, ...], str]] = {
    "query_post_form": (BOOLEAN, ""), "query_dataset_default_graphs_get": (BOOLEAN, ""),
    "query_dataset_default_graphs_post": (BOOLEAN, ""), "query_dataset_named_graphs_post": (BOOLEAN, ""),
    "query_dataset_named_graphs_get": (BOOLEAN, ""), "query_dataset_full": (BOOLEAN, ""),
    "query_multiple_dataset": (BOOLEAN, ""), "query_get": (BOOLEAN, ""), "query_post_direct": (BOOLEAN, ""),
    "query_content_type_select": (TABULAR, ""), "query_content_type_ask": (BOOLEAN, ""),
    "query_content_type_describe": (GRAPH, ""), "query_content_type_construct": (GRAPH, ""),
    "update_dataset_default_graph": ((), READ_ONLY), "update_dataset_default_graphs": ((), READ_ONLY),
    "update_dataset_named_graphs": ((), READ_ONLY), "update_dataset_full": ((), READ_ONLY),
    "update_post_form": ((), READ_ONLY), "update_post_direct": ((), READ_ONLY), "update_base_uri": ((), READ_ONLY),
    **{name: ((), "") for name in (
        "bad_query_method", "bad_multiple_queries", "bad_query_wrong_media_type", "bad_query_missing_form_type",
        "bad_query_missing_direct_type", "bad_query_non_utf8", "bad_query_syntax", "bad_update_get",
        "bad_multiple_updates", "bad_update_wrong_media_type", "bad_update_missing_form_type",
        "bad_update_non_utf8", "bad_update_syntax", "bad_update_dataset_conflict")},
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  #: expected status classes (2, 3, 4)
    fmt: str | None
    boolean: bool | None


def _node(node: Node | None) -> Node:
    assert node is not None, "the manifest is not as expected"
    return node


def _requests(manifest: Graph, test: URIRef) -> list[Request]:
    action = manifest.value(test, MF.action)
    found = []
    for req in Collection(manifest, _node(manifest.value(action, HT.requests))):
        headers = {}
        if (hlist := manifest.value(req, HT.headers)) is not None:
            for h in Collection(manifest, hlist):
                headers[str(manifest.value(h, HT.fieldName))] = str(manifest.value(h, HT.fieldValue))
        body = None
        if (b := manifest.value(req, HT.body)) is not None:
            encoding = str(manifest.value(b, CNT.characterEncoding) or "UTF-8")
            body = str(manifest.value(b, CNT.chars)).encode(encoding)
        resp = manifest.value(req, HT.resp)
        statuses = frozenset(int(str(s).rsplit("StatusCode", 1)[1][0]) for s in manifest.objects(resp, MF.expectedStatus))
        boolean = manifest.value(resp, MF.expectedBoolean)
        fmt = manifest.value(resp, MF.expectedFormat)
        found.append(Request(str(manifest.value(req, HT.methodName)), str(manifest.value(req, HT.absolutePath)),
                             headers, body, statuses, str(fmt) if fmt else None,
                             boolean.toPython() if isinstance(boolean, Literal) else None))
    return found


MANIFEST = Graph().parse(FOLDER / "manifest.ttl", format="turtle")
ENTRIES = [URIRef(str(t)) for t in Collection(MANIFEST, _node(MANIFEST.value(
    MANIFEST.value(predicate=RDF.type, object=MF.Manifest), MF.entries)))]


def test_every_manifest_entry_has_a_row() -> None:
    assert len(ENTRIES) == 34
    assert sorted(str(t)[len(T):] for t in ENTRIES) == sorted(EXPECTED)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("protocol")
    store = GraphStore(tmp / "store")
    loaded = set()
    for test in ENTRIES:
        for data in MANIFEST.objects(test, UT.graphData):
            name = str(MANIFEST.value(data, RDFS.label))
            if name not in loaded:
                path = FOLDER / Path(str(MANIFEST.value(data, UT.graph))).name
                store.replace_graph(name, Graph().parse(path, format="nt"))
                loaded.add(name)
    assert len(loaded) == 3
    store.flush()
    del store
    (tmp / "site").mkdir()
    port = free_port()
    with run_server(tmp / "site", tmp / "store", port, "--base-uri", f"http://127.0.0.1:{port}/") as url:
        yield url.rstrip("/")


def _check_format(r: httpx.Response, req: Request, media_types: tuple[str, ...]) -> None:
    media = r.headers["content-type"].split(";")[0].strip()
    assert media in media_types, f"{media} is not one of {media_types}"
    if media in TABULAR:
        fmt = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv"}[media]
        if req.fmt == "boolean" and fmt == "json":
            result_boolean = json.loads(r.content)["boolean"]
        else:
            result = Result.parse(source=io.BytesIO(r.content), format=fmt)
            result_boolean = result.askAnswer if result.type == "ASK" else None
            assert result.type == ("ASK" if req.fmt == "boolean" else "SELECT")
        if req.boolean is not None:
            assert result_boolean is req.boolean
    else:
        Graph().parse(data=r.text, format={"application/rdf+xml": "xml", "text/turtle": "turtle",
                                            "application/n-triples": "nt"}[media])


@pytest.mark.parametrize("test", ENTRIES, ids=[str(t)[len(T):] for t in ENTRIES])
def test_protocol(endpoint: str, test: URIRef) -> None:
    media_types, skip = EXPECTED[str(test)[len(T):]]
    if skip:
        pytest.skip(skip)
    with httpx.Client(trust_env=False, timeout=10) as client:
        for req in _requests(MANIFEST, test):
            # the manifest's paths start with /sparql/, which the server answers like /sparql
            r = client.request(req.method, endpoint + req.path, headers=req.headers, content=req.body)
            assert r.status_code // 100 in req.statuses, f"{req.method} {req.path}: {r.status_code} {r.text}"
            if req.fmt:
                _check_format(r, req, media_types)
