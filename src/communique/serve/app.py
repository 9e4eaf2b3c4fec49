"""The Starlette application: linked-data documents and redirects, and the SPARQL endpoint.

A request path is read as an IRI, base + path: the server answers for the base IRI's path space
(``/`` for ``http://127.0.0.1:8080/``, ``/communique/`` for ``https://w3id.org/communique/``), with
the endpoint at ``{path}sparql`` (and ``/sparql``) and its HTML page at ``{path}query``; ``/``
redirects to the base path. Redirects name the host the request came to, so a site built for the
public base IRI can be tried locally.

Responses: resource IRIs ``303`` to the document chosen by ``Accept`` (``Vary: Accept``,
``Content-Location``); documents ``200`` with a strong ``ETag`` (SHA-256 of the bytes), ``304`` on
a matching ``If-None-Match``; ``404``/``410`` as HTML for browsers, plain text otherwise; reads
carry ``Access-Control-Allow-Origin: *``. Library errors answer their ``http_status`` (a remote
store that cannot be reached: 503; one that answers with an error: 502).

The store behind the server is a :class:`~communique.serve.backend.Backend`: the embedded store or
a remote SPARQL endpoint. The documents come from the published folder, or, without one, are
rendered from the store when the app is created.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..errors import CommuniqueError
from ..iris import DEFAULT_BASE, IRIs
from ..store import GraphStore
from .backend import Backend, RenderedSite, as_backend
from .documents import DocumentFile, Site, statement_candidates
from .negotiation import negotiate
from .pages import gone_page, load_examples, not_found_page, query_page, results_html
from .protocol import (
    GRAPH_OFFERS,
    MethodNotAllowed,
    format_picker,
    read_operation,
    service_description,
    wants_html,
)
from .sparql import FORMATS, QueryRunner

__all__ = ["create_app"]

_READ = {"Access-Control-Allow-Origin": "*"}
_SMALL = 1 << 20  # documents up to this size are read into memory; larger ones are streamed
_SD_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt", "rdfxml": "xml"}


class _Server:
    """The request handlers, sharing the site, the query runner and the base IRI."""

    def __init__(self, site: Site, runner: QueryRunner, base: str, examples_dir: Path | None) -> None:
        self.site, self.runner, self.base = site, runner, base
        self.prefix = urlsplit(base).path or "/"
        self.examples = load_examples(examples_dir)

    # -- helpers ----------------------------------------------------------------------------
    def _links(self) -> dict[str, str]:
        return {"Index": self.prefix, "SPARQL query": self.prefix + "query"}

    @staticmethod
    def _origin(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    @staticmethod
    def _path(request: Request) -> str:
        """The request path, percent-decoded as strict UTF-8 (anything else is a 400)."""
        raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
        try:
            return unquote_to_bytes(raw.split(b"?", 1)[0]).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Malformed(f"the request path is not valid UTF-8: {exc}") from exc

    # -- documents and resources ---------------------------------------------------------------
    async def resource(self, request: Request) -> Response:
        path = self._path(request)
        accept = request.headers.get("accept")
        if not path.startswith(self.prefix):
            if path == "/":  # the base IRI has a path: its root is where to start
                location = self._origin(request) + self.prefix
                return PlainTextResponse(f"See {location}\n", status_code=303, headers={**_READ, "Location": location})
            return self._not_found(self._origin(request) + path, accept)
        rel = path[len(self.prefix):]
        if any(self.site.is_gone(c, self.base) for c in (rel, *statement_candidates(rel))):
            return self._gone(self.base + rel, accept)
        doc = await run_in_threadpool(self.site.document, rel)
        if doc is not None:
            return await self._document(request, doc, self._origin(request) + path)
        target = rel if self.site.variants(rel) else self.site.statement_of(rel)
        if target is None:
            return self._not_found(self.base + rel, accept)
        variants = self.site.variants(target)
        chosen = negotiate(accept, [m for m, _ in variants], default=variants[0][0]) or variants[0][0]
        location = f"{self._origin(request)}{self.prefix}{target}{dict(variants)[chosen]}"
        headers = {**_READ, "Location": location, "Content-Location": location, "Vary": "Accept"}
        return PlainTextResponse(f"303 See Other: {location}\n", status_code=303, headers=headers)

    async def _document(self, request: Request, doc: DocumentFile, url: str) -> Response:
        headers = {**_READ, "ETag": doc.etag, "Content-Location": url, "Cache-Control": "public, max-age=300"}
        if _etag_matches(request.headers.get("if-none-match"), doc.etag):
            return Response(status_code=304, headers=headers)
        if doc.body is not None:
            return Response(doc.body, media_type=doc.media_type, headers=headers)
        assert doc.path is not None
        if doc.size <= _SMALL:
            body = await run_in_threadpool(doc.path.read_bytes)
            return Response(body, media_type=doc.media_type, headers=headers)
        return FileResponse(doc.path, media_type=doc.media_type, headers=headers)

    def _not_found(self, iri: str, accept: str | None) -> Response:
        headers = {**_READ, "Vary": "Accept"}
        if negotiate(accept, ["text/plain", "text/html"]) == "text/html":
            return HTMLResponse(not_found_page(iri, self._links()), status_code=404, headers=headers)
        return PlainTextResponse(f"404 Not Found: nothing is published at {iri}\n"
                                 f"index: {self.prefix}   SPARQL: {self.prefix}sparql\n",
                                 status_code=404, headers=headers)

    def _gone(self, iri: str, accept: str | None) -> Response:
        headers = {**_READ, "Vary": "Accept"}
        if negotiate(accept, ["text/plain", "text/html"]) == "text/html":
            return HTMLResponse(gone_page(iri, self._links()), status_code=410, headers=headers)
        return PlainTextResponse(f"410 Gone: {iri} was withdrawn and is no longer published\n",
                                 status_code=410, headers=headers)

    # -- SPARQL ----------------------------------------------------------------------------
    def _endpoint(self, request: Request) -> str:
        return f"{self._origin(request)}{self.prefix}sparql"

    async def query_page(self, request: Request) -> Response:
        text = request.query_params.get("query", "")
        page = query_page(self._endpoint(request), self.examples, self._links(), query=text)
        return HTMLResponse(page, headers={**_READ, "Vary": "Accept"})

    async def sparql(self, request: Request) -> Response:
        accept = request.headers.get("accept")
        html = wants_html(accept)
        headers = {**_READ, "Vary": "Accept", "Cache-Control": "no-store"}
        query = ""
        try:
            op = await read_operation(request.method, request.scope.get("query_string", b""),
                                      request.headers.get("content-type"), request.body)
            query = op.query or ""
            html = html or op.format == "html"
            if op.query is None:
                return self._description(request, accept, html, headers)
            outcome = await self.runner.run(op.query, op.dataset, format_picker(accept, op.format),
                                            base_iri=self._endpoint(request))
        except CommuniqueError as exc:
            if not html:
                raise
            page = query_page(self._endpoint(request), self.examples, self._links(), query=query, error=str(exc))
            return HTMLResponse(page, status_code=exc.http_status, headers=headers)
        if outcome.format.name == "html":
            table = await run_in_threadpool(results_html, outcome.kind, outcome.body)
            page = query_page(self._endpoint(request), self.examples, self._links(), query=query, results=table)
            return HTMLResponse(page, headers=headers)
        return Response(outcome.body, media_type=outcome.format.media_type, headers=headers)

    def _description(self, request: Request, accept: str | None, html: bool, headers: dict[str, str]) -> Response:
        if html:
            return HTMLResponse(query_page(self._endpoint(request), self.examples, self._links()), headers=headers)
        void = f"{self._origin(request)}{self.prefix}void" if self.site.variants("void") else None
        graph = service_description(self._endpoint(request), void, self.runner.allow_service, self.runner.timeout,
                                    self.runner.max_results)
        offers = [(m, n) for m, n in GRAPH_OFFERS if n in _SD_FORMATS]
        chosen = negotiate(accept, [m for m, _ in offers], default=offers[0][0]) or offers[0][0]
        fmt = FORMATS[dict(offers)[chosen]]
        body = graph.serialize(format=_SD_FORMATS[fmt.name], encoding="utf-8")
        return Response(body, media_type=fmt.media_type, headers=headers)

    # -- errors ----------------------------------------------------------------------------
    async def error(self, request: Request, exc: Exception) -> Response:
        status = exc.http_status if isinstance(exc, CommuniqueError) else 500
        headers = {**_READ, "Vary": "Accept"}
        if status == 503:
            headers["Retry-After"] = "5"
        if isinstance(exc, MethodNotAllowed):
            headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        return PlainTextResponse(f"{status} {_PHRASES.get(status, 'Error')}: {exc}\n", status_code=status,
                                 headers=headers)


class _Malformed(CommuniqueError):
    http_status = 400


_PHRASES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            406: "Not Acceptable", 410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type",
            422: "Unprocessable Content", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable"}


def _etag_matches(header: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison: ``W/"x"`` matches ``"x"``; ``*`` matches any."""
    if not header:
        return False
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def create_app(site: Path | None, store: GraphStore | Backend, base: str = DEFAULT_BASE, *,
               query_timeout: float = 10.0, max_results: int = 10000, allow_service: bool = False,
               max_concurrent_queries: int = 4, examples: Path | None = None) -> Starlette:
    """The server of the published folder ``site`` and the SPARQL endpoint over ``store``.

    ``store`` is the embedded :class:`GraphStore` or any :class:`Backend` (a remote endpoint:
    :class:`communique.remote.RemoteBackend`); it is checked first (StoreError when it cannot
    serve). Without a ``site`` the documents and pages of every resource are rendered from the
    store once, now, as ``communique build`` would publish them (without ``gone.txt``: nothing is
    withdrawn). ``examples`` is the folder of example ``.rq`` queries for the query page (default:
    the ``data/queries`` folder next to the site, if there is one).
    """
    base = IRIs(base).base  # validates: an http(s) IRI ending in '/'
    backend = as_backend(store)
    backend.check()
    rendered: RenderedSite | None = None
    if site is None:
        rendered = RenderedSite(backend, base)
        root = rendered.root
    else:
        root = site
        examples = examples if examples is not None else site.parent / "data" / "queries"
    runner = QueryRunner(backend, timeout=query_timeout, max_results=max_results, allow_service=allow_service,
                         max_concurrent=max_concurrent_queries)
    server = _Server(Site(root), runner, base, examples)
    prefix = server.prefix
    any_method = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    # the endpoint under the base path, and at /sparql too when the base path is not /
    endpoints = dict.fromkeys((prefix + "sparql", prefix + "sparql/", "/sparql", "/sparql/"))
    routes = [Route(path, server.sparql, methods=any_method) for path in endpoints]
    routes += [Route(prefix + "query", server.query_page, methods=["GET", "HEAD"]),
               Route("/{path:path}", server.resource, methods=["GET", "HEAD"])]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                             allow_headers=["*"], expose_headers=["ETag", "Content-Location", "Location"])]

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the rendered folder goes when the server shuts down
            if rendered is not None:
                rendered.close()

    app = Starlette(routes=routes, middleware=middleware, exception_handlers={CommuniqueError: server.error},
                    lifespan=lifespan)
    app.state.backend = backend
    app.state.rendered = rendered  # keeps the rendered folder as long as the app
    return app
