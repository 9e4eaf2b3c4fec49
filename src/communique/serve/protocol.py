"""The SPARQL 1.1 Protocol on the wire: reading a request, choosing a result format, the
service description.

Query operations: ``GET ?query=``, ``POST`` of ``application/x-www-form-urlencoded`` (``query=`` in
the body; ``default-graph-uri``/``named-graph-uri`` from the body or the URL), ``POST`` of
``application/sparql-query`` (the body is the query, dataset parameters in the URL). Bodies and
parameters must be UTF-8 (anything else: 400). Update operations (``update=``,
``application/sparql-update``) are refused with 403: the endpoint is read-only. Another body type
is 415, another method 405. A ``format=`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``,
``jsonld``, ``nt``, ``rdfxml``, ``html`` or a media type) overrides ``Accept``; an unknown value is
ignored. When ``Accept`` allows no offered format the default is sent (JSON results, Turtle graphs)
rather than 406, as most SPARQL clients send narrow or odd ``Accept`` headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import CommuniqueError
from .negotiation import negotiate, parse_media_type
from .sparql import FORMATS, Dataset, ResultFormat

__all__ = [
    "GRAPH_OFFERS",
    "MethodNotAllowed",
    "Operation",
    "ProtocolError",
    "ReadOnlyEndpoint",
    "UnsupportedMediaType",
    "format_picker",
    "read_operation",
    "service_description",
    "wants_html",
]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FMT = Namespace("http://www.w3.org/ns/formats/")


class ProtocolError(CommuniqueError):
    """The request does not follow the SPARQL 1.1 Protocol."""

    http_status = 400


class ReadOnlyEndpoint(CommuniqueError):
    """An update operation was sent to this read-only endpoint."""

    http_status = 403


class UnsupportedMediaType(CommuniqueError):
    http_status = 415


class MethodNotAllowed(CommuniqueError):
    http_status = 405


_READ_ONLY = ("this SPARQL endpoint is read-only: SPARQL Update is not accepted. The data is rebuilt "
              "from its sources with 'communique build'; to change it, edit the sources and rebuild")

#: Accept offers per result kind: (media type offered, format name), the default first
_TABULAR = (("application/sparql-results+json", "json"), ("application/json", "json"),
            ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
            ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/html", "html"))
GRAPH_OFFERS = (("text/turtle", "turtle"), ("application/x-turtle", "turtle"), ("application/ld+json", "jsonld"),
                ("application/n-triples", "nt"), ("text/plain", "nt"), ("application/rdf+xml", "rdfxml"),
                ("application/xml", "rdfxml"), ("text/html", "html"))
_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html", "turtle": "turtle",
            "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt", "jsonld": "jsonld",
            "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml"}
#: what an override means for a graph result when it names a results format
_GRAPH_OF = {"json": "jsonld", "xml": "rdfxml", "csv": "nt", "tsv": "nt"}
_TABLE_OF = {"turtle": "json", "jsonld": "json", "nt": "tsv", "rdfxml": "xml"}


@dataclass(frozen=True)
class Operation:
    """A query request: the query (None: describe the service), its dataset, a format override."""

    query: str | None
    dataset: Dataset | None
    format: str | None


def _params(raw: bytes | str) -> list[tuple[str, str]]:
    """URL-encoded pairs, decoded as strict UTF-8."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"the request parameters are not valid UTF-8 URL-encoding: {exc}") from exc


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset", "utf-8")
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(f"the request body must be UTF-8, not {charset!r}")


def _iri(value: str, name: str) -> str:
    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise ProtocolError(f"{name} must be an absolute IRI: {value!r} ({exc})") from exc


async def read_operation(method: str, query_string: bytes, content_type: str | None,
                         body: Callable[[], Awaitable[bytes]]) -> Operation:
    """Read the protocol operation of a request; ``body`` is the request's awaitable body reader."""
    fields = _params(query_string)
    if method == "POST":
        ctype, cparams = parse_media_type(content_type)
        if ctype == "application/sparql-update":
            raise ReadOnlyEndpoint(_READ_ONLY)
        raw = await body()
        if ctype == "application/x-www-form-urlencoded":
            _check_charset(cparams)
            fields = fields + _params(raw)
        elif ctype == "application/sparql-query":
            _check_charset(cparams)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(f"the query is not valid UTF-8: {exc}") from exc
            if any(k == "query" for k, _ in fields):
                raise ProtocolError("a query is given both in the body and in the URL")
            fields = fields + [("query", text)]
        elif not ctype:
            raise UnsupportedMediaType("a POST needs a Content-Type: application/sparql-query or "
                                       "application/x-www-form-urlencoded")
        else:
            raise UnsupportedMediaType(f"cannot read a {ctype} body; send application/sparql-query or "
                                       f"application/x-www-form-urlencoded")
    elif method not in ("GET", "HEAD"):
        raise MethodNotAllowed(f"{method} is not a SPARQL Protocol operation; use GET or POST")
    if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in fields):
        raise ReadOnlyEndpoint(_READ_ONLY)
    queries = [v for k, v in fields if k == "query"]
    if len(queries) > 1:
        raise ProtocolError(f"the request carries {len(queries)} queries; send exactly one")
    default = tuple(_iri(v, "default-graph-uri") for k, v in fields if k == "default-graph-uri")
    named = tuple(_iri(v, "named-graph-uri") for k, v in fields if k == "named-graph-uri")
    overrides = [v for k, v in fields if k == "format"]
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise ProtocolError("the query is empty")
    return Operation(query, Dataset(default, named) if default or named else None,
                     overrides[-1] if overrides else None)


def _override(value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    media = parse_media_type(key)[0]
    return next((name for m, name in _TABULAR + GRAPH_OFFERS if m == media), None)


def format_picker(accept: str | None, override: str | None) -> Callable[[str], ResultFormat]:
    """A function of the result kind (boolean, tabular, graph) giving the format to write."""
    forced = _override(override)

    def pick(kind: str) -> ResultFormat:
        offers = GRAPH_OFFERS if kind == "graph" else _TABULAR
        if forced is not None:
            if kind == "graph":
                return FORMATS[_GRAPH_OF.get(forced, forced)]
            return FORMATS[_TABLE_OF.get(forced, forced)]
        chosen = negotiate(accept, [m for m, _ in offers], default=offers[0][0])
        return FORMATS[dict(offers)[chosen or offers[0][0]]]
    return pick


def wants_html(accept: str | None) -> bool:
    """True when a client prefers an HTML page to any machine format (a browser)."""
    offers = ["application/sparql-results+json", "text/turtle", "text/html"]
    return bool(accept) and negotiate(accept, offers) == "text/html"


def service_description(endpoint: str, void: str | None, allow_service: bool, timeout: float,
                        max_results: int) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FMT)
    g.bind("dcterms", DCTERMS)
    service, dataset, default = URIRef(endpoint), BNode("dataset"), BNode("default")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, DCTERMS.title, Literal("Communiqué SPARQL endpoint", lang="en")))
    g.add((service, RDFS.comment, Literal(
        "Read-only SPARQL 1.1 Query endpoint over official diplomatic statements. The default "
        "graph is the union of all named graphs (one per statement, plus the party descriptions). "
        f"A query may run {timeout:g} s and return {max_results} rows or triples; past that it is "
        "refused (503, 413) with a message. SPARQL Update is refused (403).", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if allow_service:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        g.add((service, SD.resultFormat, FMT[name]))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    if void:
        g.add((dataset, RDFS.seeAlso, URIRef(void)))
    return g
