"""An external SPARQL 1.1 triplestore: push the store into it, query it like the embedded store.

``push`` copies every named graph of a :class:`~communique.store.GraphStore` into a remote store
over the SPARQL 1.1 Graph Store HTTP Protocol, each graph under its own name, then checks that the
remote store holds as many triples per graph as the local one. ``RemoteStore`` runs queries over
the SPARQL 1.1 Protocol and hands back pyoxigraph result objects, so ``communique.query`` formats
its results exactly as it formats the embedded store's.

Addresses (``gsp_url`` is the store's graph-store address, ``query_url`` its query address):

==============  ===========================================  =========================
server          graph store (``gsp_url``)                    queries (``query_url``)
==============  ===========================================  =========================
Oxigraph        ``/store``                                   ``/query``
Jena Fuseki     ``/DATASET/data``                            ``/DATASET/sparql``
GraphDB         ``/repositories/REPO/rdf-graphs/service``    ``/repositories/REPO``
Virtuoso        ``/sparql-graph-crud[-auth]``                ``/sparql[-auth]``
==============  ===========================================  =========================

The query address is derived from these graph-store addresses; give it explicitly otherwise.
Queries see the remote store's *default graph*, which must be the union of the named graphs (as it
is in the embedded store): Oxigraph ``serve --union-default-graph`` or a query URL ending in
``?union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do so
without configuration.

Only the standard library is used (``urllib.request``). Credentials: HTTP Basic (``auth``, sent
with the first request; a server that asks for Digest instead, as Virtuoso's ``-auth`` endpoints
do, gets Digest), a bearer ``token``, or ``user:password@`` in the URL.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreError, UsageError
from .store import GraphStore, QueryResult

__all__ = ["PUSH_METHODS", "PushReport", "RemoteStore", "derive_query_url", "push", "verify"]

#: ways of sending graphs: ``batch`` = one POST of N-Quads per batch of graphs (graphs the remote
#: store already holds are deleted first); ``put`` = one PUT of N-Triples per graph
PUSH_METHODS = ("batch", "put")

_COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_RESULTS_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
                   "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4")
_SECRET_PARAMS = {"access-token", "access_token", "token", "password", "pwd", "key", "apikey", "api_key"}
#: statuses by which a server says it does not take a POST of N-Quads to the dataset address
_NO_QUADS = {400, 405, 406, 415, 501}


# -- HTTP ----------------------------------------------------------------------------------------
def _shown(url: str) -> str:
    """``url`` as it may appear in a message: without credentials."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = "&".join(
        f"{k}=***" if k.lower() in _SECRET_PARAMS else (f"{k}={v}" if v or "=" in pair else k)
        for pair in parts.query.split("&") if pair
        for k, _, v in [pair.partition("=")])
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _with_param(url: str, key: str, value: str) -> str:
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + urllib.parse.urlencode({key: value})


def _credentials(url: str, auth: tuple[str, str] | None) -> tuple[str, tuple[str, str] | None]:
    """Take ``user:password@`` out of ``url``; explicit ``auth`` wins."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) URL")
    if "@" not in parts.netloc:
        return url, auth
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, auth or (urllib.parse.unquote(user), urllib.parse.unquote(password))


class _Http:
    """Requests to one triplestore, with its credentials, mapping failures to StoreError."""

    def __init__(self, url: str, auth: tuple[str, str] | None, token: str | None, timeout: float) -> None:
        if auth and token:
            raise UsageError("give either a user and password or a token, not both")
        self.timeout = timeout
        self.headers: dict[str, str] = {}
        handlers: list[urllib.request.BaseHandler] = []
        if auth:
            user, password = auth
            pair = f"{user}:{password}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            parts = urllib.parse.urlsplit(url)
            manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        elif token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._opener = urllib.request.build_opener(*handlers)
        self.requests = 0

    def __call__(self, method: str, url: str, body: bytes | None = None, *, content_type: str | None = None,
                 accept: str | None = None, not_found: str = "", ok_statuses: Sequence[int] = (),
                 query: bool = False) -> tuple[int, str, bytes]:
        """Send one request; returns (status, content type, body) of a 2xx answer or of ``ok_statuses``."""
        request = urllib.request.Request(url, data=body, method=method, headers=dict(self.headers))
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        self.requests += 1
        where = f"{method} {_shown(url)}"
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            text = _message(exc)
            if exc.code in ok_statuses:
                return exc.code, exc.headers.get_content_type(), text.encode("utf-8")
            if query and exc.code == 400:
                raise QueryError(f"the endpoint {_shown(url)} rejected the query: {text}") from None
            raise StoreError(_status_message(where, exc.code, exc.reason, text, not_found)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                host = urllib.parse.urlsplit(url)
                raise StoreError(f"{where}: connection refused: is the triplestore running at "
                                 f"{host.scheme}://{host.netloc.rsplit('@', 1)[-1]}?") from None
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{where}: no answer within {self.timeout:g} s") from None
            raise StoreError(f"{where}: cannot reach the triplestore: {reason}") from None
        except TimeoutError:
            raise StoreError(f"{where}: no answer within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:  # connection reset, garbled answer, ...
            raise StoreError(f"{where}: {exc.__class__.__name__}: {exc}") from None
        except ValueError as exc:  # urllib's Digest handler meeting another scheme than Basic/Digest
            raise StoreError(f"{where}: HTTP 401: cannot authenticate: {exc}") from None


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        raw = exc.read()
    except OSError:
        raw = b""
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text[:500] + ("…" if len(text) > 500 else "")


def _status_message(where: str, status: int, reason: str, text: str, not_found: str) -> str:
    head = f"{where}: HTTP {status} {reason}".rstrip()
    if status in (401, 403):
        hint = ("the triplestore refused the credentials (give --user and --password, or --token)"
                if status == 401 else "these credentials may not write or read here")
    elif status == 404:
        hint = not_found or "no such address on the triplestore"
    elif status >= 500:
        hint = "the triplestore failed"
    else:
        hint = "the triplestore refused the request"
    return f"{head}: {hint}" + (f": {text}" if text else "")


# -- addresses -----------------------------------------------------------------------------------
_QUERY_SUFFIXES = (  # graph-store path suffix -> query path suffix
    ("/rdf-graphs/service", ""),           # GraphDB, RDF4J
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),     # Virtuoso
    ("/store", "/query"),                  # Oxigraph
    ("/data", "/sparql"),                  # Fuseki
)


def derive_query_url(gsp_url: str) -> str | None:
    """The SPARQL query address next to a known kind of graph-store address, else None."""
    parts = urllib.parse.urlsplit(gsp_url)
    path = parts.path.rstrip("/")
    for suffix, replacement in _QUERY_SUFFIXES:
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(
                (parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    return None


# -- reading the remote store --------------------------------------------------------------------
def _select(http: _Http, query_url: str, sparql: str) -> list[dict[str, str]]:
    """Run a SELECT on the remote endpoint; rows map variable names to plain values."""
    _, _, body = http("POST", query_url, sparql.encode("utf-8"), content_type="application/sparql-query",
                      accept="application/sparql-results+json", query=True,
                      not_found="no SPARQL query service here (Oxigraph: /query, Fuseki: /DATASET/sparql)")
    try:
        data = json.loads(body)
        return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{_shown(query_url)} did not answer with SPARQL JSON results: {exc}") from None


def _remote_counts(http: _Http, query_url: str) -> dict[str, int]:
    return {row["g"]: int(row["n"]) for row in _select(http, query_url, _COUNT_QUERY) if "g" in row}


def _compare(local: dict[str, int], remote: dict[str, int], query_url: str) -> int:
    wrong = [(g, n, remote.get(g, 0)) for g, n in sorted(local.items()) if remote.get(g, 0) != n]
    local_total = sum(local.values())
    if wrong:
        remote_total = sum(remote.get(g, 0) for g in local)
        shown = "; ".join(f"<{g}> local {n}, remote {r}" for g, n, r in wrong[:5])
        more = f"; and {len(wrong) - 5} more" if len(wrong) > 5 else ""
        raise StoreError(
            f"verification failed at {_shown(query_url)}: {len(wrong)} of {len(local)} graphs differ "
            f"({local_total} triples here, {remote_total} there): {shown}{more}. "
            "Push again (without --state, or after removing the state file, if the remote store "
            "was emptied or changed by someone else).")
    return local_total


def _local_counts(store: GraphStore) -> dict[str, int]:
    counts = {name: 0 for name in store.graph_names()}
    for solution in store.query(_COUNT_QUERY):  # type: ignore[union-attr]
        graph, n = solution["g"], solution["n"]
        if isinstance(graph, ox.NamedNode) and n is not None:
            counts[graph.value] = int(n.value)
    return counts


def verify(store: GraphStore, query_url: str, *, auth: tuple[str, str] | None = None,
           token: str | None = None, timeout: float = 60) -> int:
    """Check that the remote store holds as many triples in each of ``store``'s graphs as it does.

    Returns the number of triples verified; raises StoreError naming the graphs and counts that
    differ. Graphs the remote store holds besides ``store``'s are not looked at.
    """
    query_url, auth = _credentials(query_url, auth)
    http = _Http(query_url, auth, token, timeout)
    return _compare(_local_counts(store), _remote_counts(http, query_url), query_url)


# -- pushing -------------------------------------------------------------------------------------
@dataclass
class PushReport:
    """What ``push`` did."""

    gsp_url: str
    query_url: str
    method: str
    pushed: list[str] = field(default_factory=list)   #: graphs sent
    skipped: list[str] = field(default_factory=list)  #: graphs the state file lists with the same content
    removed: list[str] = field(default_factory=list)  #: graphs pushed before that the store no longer has
    triples: int = 0                                  #: triples verified, in all the store's graphs
    graphs: int = 0                                   #: graphs verified
    requests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        line = (f"pushed {len(self.pushed)} graphs, skipped {len(self.skipped)} already there"
                + (f", removed {len(self.removed)} no longer in the store" if self.removed else "")
                + f"; verified {self.triples} triples in {self.graphs} graphs "
                f"({self.requests} request{'' if self.requests == 1 else 's'}, {self.method}, {self.seconds:.1f} s)")
        return line


class _State:
    """What was pushed where: a JSON Lines file, appended to after each batch.

    The first line is ``{"gsp_url": ...}``; each further line ``{"graph": IRI, "sha256": HEX}``
    (``"sha256": null`` once the graph was deleted remotely); a later line about a graph wins.
    Appending keeps the cost of recording proportional to the batch, not to everything pushed so
    far; the file is rewritten compactly when a push starts and when it ends. Without a file
    nothing is recorded.
    """

    def __init__(self, path: Path | None, gsp_url: str) -> None:
        self.path, self.gsp_url = path, gsp_url
        self.graphs: dict[str, str] = {}
        if path is None or not path.exists():
            return
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else {}
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: not a push state file ({exc}); give another --state") from None
        if not isinstance(header, dict) or "gsp_url" not in header:
            raise StoreError(f"{path}: not a push state file; give another --state")
        if header["gsp_url"] != gsp_url:
            return  # the state of a push elsewhere: start afresh
        for line in lines[1:]:
            try:
                record = json.loads(line)
                name, digest = record["graph"], record["sha256"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by an interrupted push
            if digest is None:
                self.graphs.pop(name, None)
            else:
                self.graphs[name] = digest

    def compact(self) -> None:
        """Rewrite the file with one line per graph."""
        if self.path is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("w", encoding="utf-8") as out:
                out.write(json.dumps({"gsp_url": self.gsp_url}) + "\n")
                for name, digest in sorted(self.graphs.items()):
                    out.write(json.dumps({"graph": name, "sha256": digest}) + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the push state: {exc}") from None

    def record(self, entries: Sequence[tuple[str, str | None]]) -> None:
        """Note graphs pushed (with their hash) or deleted (None), durably, after the fact."""
        for name, digest in entries:
            if digest is None:
                self.graphs.pop(name, None)
            else:
                self.graphs[name] = digest
        if self.path is None or not entries:
            return
        try:
            with self.path.open("a", encoding="utf-8") as out:
                out.writelines(json.dumps({"graph": n, "sha256": d}) + "\n" for n, d in entries)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the push state: {exc}") from None


def _nquads(name: str, ntriples: str) -> str:
    """One graph's N-Triples lines (each ending in ' .') as N-Quads in graph ``name``."""
    suffix = f" <{name}> .\n"
    return "".join(line[:-1].rstrip() + suffix for line in ntriples.splitlines() if line.strip())


_GSP_NOT_FOUND = "no Graph Store service here (Oxigraph: /store, Fuseki: /DATASET/data)"


def _put(http: _Http, gsp_url: str, name: str, ntriples: str) -> None:
    http("PUT", _with_param(gsp_url, "graph", name), ntriples.encode("utf-8"),
         content_type="application/n-triples", not_found=_GSP_NOT_FOUND)


def _delete(http: _Http, gsp_url: str, name: str) -> None:
    http("DELETE", _with_param(gsp_url, "graph", name), not_found=_GSP_NOT_FOUND, ok_statuses=(404,))


def _existing(http: _Http, query_url: str, names: Sequence[str]) -> set[str]:
    values = " ".join(f"<{n}>" for n in names)
    sparql = f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    return {row["g"] for row in _select(http, query_url, sparql) if "g" in row}


def push(store: GraphStore, gsp_url: str, *, auth: tuple[str, str] | None = None, token: str | None = None,
         batch_size: int = 100, state_file: Path | None = None, timeout: float = 60,
         progress: Callable[[int, int], None] | None = None, query_url: str | None = None,
         method: str = "batch") -> PushReport:
    """Load every named graph of ``store`` into the triplestore at ``gsp_url``, then verify it.

    Each graph lands under its own name (what was there under that name is replaced). Graphs go
    ``batch_size`` at a time: with ``method="batch"`` (the default) as one
    ``POST gsp_url`` of ``application/n-quads`` per batch, after one SPARQL query asks which of
    the batch's graphs the remote store already holds and a ``DELETE gsp_url?graph=IRI`` empties
    each of those; with ``method="put"`` as one ``PUT gsp_url?graph=IRI`` of
    ``application/n-triples`` per graph. Batches were chosen because they are much faster: against
    an Oxigraph 0.5.13 server (on-disk store, loopback), 2,000 graphs of 179 triples (357,600
    triples) took 6.6 s in batches of 100 (41 requests; 5.0 s with 500 a batch) against 92 s
    graph by graph, because a PUT costs the server more as its store grows (2 ms for the first
    graphs, 14 ms at 500, about 45 ms at 2,000); replacing all 2,000 graphs took 17 s (2,041
    requests: the deletes dominate) against 327 s by PUT. A server that refuses a POST of
    N-Quads to the dataset address (HTTP 400, 405, 406, 415, 501) is sent the rest graph by
    graph, and the report's ``method`` says so.

    With ``state_file``, after each successful batch the names of the graphs sent and a SHA-256
    of their content are appended to it (JSON Lines, see :class:`_State`), so a rerun (after a
    failure, or after a rebuild) skips graphs already pushed with the same content, and deletes
    remotely the graphs it had pushed that the store no longer has. The state of a push to
    another ``gsp_url`` is replaced; a file that is no push state is refused (StoreError).

    Then the number of triples in each graph is compared with the remote store's, by a SPARQL
    query at ``query_url`` (derived from ``gsp_url`` for Oxigraph, Fuseki, GraphDB and Virtuoso;
    required otherwise): StoreError names the graphs and counts that differ.

    ``progress(done, total)`` is called after each batch with the number of graphs handled.
    Credentials: ``auth=(user, password)`` (HTTP Basic, or Digest if the server asks for it), a
    bearer ``token``, or ``user:password@`` in the URL. Every HTTP failure is a StoreError that
    names the request and the status.
    """
    if batch_size < 1:
        raise UsageError(f"the batch size must be at least 1, not {batch_size}")
    if method not in PUSH_METHODS:
        raise UsageError(f"unknown push method {method!r}; use one of {', '.join(PUSH_METHODS)}")
    started = time.monotonic()
    gsp_url, auth = _credentials(gsp_url, auth)
    if query_url is None:
        query_url = derive_query_url(gsp_url)
        if query_url is None:
            raise UsageError(f"cannot tell the SPARQL query address of {_shown(gsp_url)}: "
                             "give it (--query-endpoint)")
    else:
        query_url, query_auth = _credentials(query_url, auth)
        auth = auth or query_auth
    http = _Http(gsp_url, auth, token, timeout)
    report = PushReport(_shown(gsp_url), _shown(query_url), method)

    state = _State(state_file, gsp_url)
    state.compact()
    names = store.graph_names()
    local = set(names)
    counts: dict[str, int] = {}
    for name in sorted(n for n in state.graphs if n not in local):
        _delete(http, gsp_url, name)
        state.record([(name, None)])
        report.removed.append(name)

    for start in range(0, len(names), batch_size):
        batch: list[tuple[str, str, str]] = []  # name, N-Triples, hash
        for name in names[start:start + batch_size]:
            ntriples = store.nquads(name)
            counts[name] = ntriples.count("\n")
            digest = hashlib.sha256(ntriples.encode("utf-8")).hexdigest()
            if state.graphs.get(name) == digest:
                report.skipped.append(name)
            else:
                batch.append((name, ntriples, digest))
        if batch and method == "batch":
            held = _existing(http, query_url, [name for name, _, _ in batch])
            for name in sorted(held):
                _delete(http, gsp_url, name)
            body = "".join(_nquads(name, ntriples) for name, ntriples, _ in batch).encode("utf-8")
            status, _, text = http("POST", gsp_url, body, content_type="application/n-quads",
                                   not_found=_GSP_NOT_FOUND, ok_statuses=tuple(_NO_QUADS))
            if status in _NO_QUADS:
                method = "put"
                report.method = (f"put (the server answered HTTP {status} to a POST of N-Quads: "
                                 f"{text.decode('utf-8', 'replace')[:120]})")
        if batch and method == "put":
            for name, ntriples, _ in batch:
                _put(http, gsp_url, name, ntriples)
        state.record([(name, digest) for name, _, digest in batch])
        report.pushed.extend(name for name, _, _ in batch)
        if progress:
            progress(min(start + batch_size, len(names)), len(names))
    state.compact()

    report.triples = _compare(counts, _remote_counts(http, query_url), query_url)
    report.graphs = len(counts)
    report.requests = http.requests
    report.seconds = time.monotonic() - started
    return report


# -- querying the remote store -------------------------------------------------------------------
class RemoteStore:
    """A SPARQL endpoint with the ``query`` interface of :class:`GraphStore`.

    ``query`` returns pyoxigraph objects (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``),
    so ``communique.query.run_query``/``format_result`` work on it unchanged.
    """

    path = None

    def __init__(self, query_url: str, *, auth: tuple[str, str] | None = None, token: str | None = None,
                 timeout: float = 60) -> None:
        self.query_url, auth = _credentials(query_url, auth)
        self._http = _Http(self.query_url, auth, token, timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({_shown(self.query_url)!r})"

    def query(self, sparql: str) -> QueryResult:
        """Run ``sparql`` at the endpoint; HTTP 400 (a malformed query) is a QueryError."""
        _, media_type, body = self._http(
            "POST", self.query_url, sparql.encode("utf-8"), content_type="application/sparql-query",
            accept=_RESULTS_ACCEPT, query=True,
            not_found="no SPARQL query service here (Oxigraph: /query, Fuseki: /DATASET/sparql)")
        where = _shown(self.query_url)
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        try:
            if results_format is not None:
                return ox.parse_query_results(body, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            graph = ox.Store()
            graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(body, format=rdf_format))
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{where} answered with unreadable {media_type}: {exc}") from None
