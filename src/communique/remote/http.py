"""HTTP for the remote store: credentials, requests, readable errors (standard library only)."""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from ..errors import QueryError, StoreError, UsageError

__all__ = ["PUSH_METHODS", "RemoteError", "RemoteQueryError"]  # the rest is internal to the remote package

#: ways of sending graphs: ``batch`` = one POST of N-Quads per batch of graphs (graphs the remote
#: store already holds are deleted first); ``put`` = one PUT of N-Triples per graph
PUSH_METHODS = ("batch", "put")

_COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_RESULTS_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
                   "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4")
_SECRET_PARAMS = {"access-token", "access_token", "token", "password", "pwd", "key", "apikey", "api_key"}
#: statuses by which a server says it does not take a POST of N-Quads to the dataset address
_NO_QUADS = {400, 405, 406, 415, 501}


class RemoteError(StoreError):
    """The triplestore answered, with an error or with something unreadable.

    A server passing on the answer of the triplestore it stands before answers 502 Bad Gateway; a
    triplestore that cannot be reached at all is a plain StoreError (503).
    """

    http_status = 502


#: most characters of a refused query's error answer kept as it is
_DETAIL = 4000


class RemoteQueryError(QueryError):
    """The endpoint refused a query as malformed (HTTP 400); ``detail`` is what it said (as it said it)."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


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
                 query: bool = False, timeout: float | None = None) -> tuple[int, str, bytes]:
        """Send one request; returns (status, content type, body) of a 2xx answer or of ``ok_statuses``.

        ``timeout`` (seconds) replaces the client's for this request."""
        request = urllib.request.Request(url, data=body, method=method, headers=dict(self.headers))
        if content_type:
            request.add_header("Content-Type", content_type)
        if accept:
            request.add_header("Accept", accept)
        self.requests += 1
        where = f"{method} {_shown(url)}"
        timeout = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            raw = _body(exc)
            text = _message(raw)
            if exc.code in ok_statuses:
                return exc.code, exc.headers.get_content_type(), text.encode("utf-8")
            if query and exc.code == 400:
                raise RemoteQueryError(f"the endpoint {_shown(url)} rejected the query: {text}",
                                       raw[:_DETAIL].strip()) from None
            raise RemoteError(_status_message(where, exc.code, exc.reason, text, not_found)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                host = urllib.parse.urlsplit(url)
                raise StoreError(f"{where}: connection refused: is the triplestore running at "
                                 f"{host.scheme}://{host.netloc.rsplit('@', 1)[-1]}?") from None
            if isinstance(reason, TimeoutError):
                raise StoreError(f"{where}: no answer within {timeout:g} s") from None
            raise StoreError(f"{where}: cannot reach the triplestore: {reason}") from None
        except TimeoutError:
            raise StoreError(f"{where}: no answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:  # connection reset, garbled answer, ...
            raise StoreError(f"{where}: {exc.__class__.__name__}: {exc}") from None
        except ValueError as exc:  # urllib's Digest handler meeting another scheme than Basic/Digest
            raise RemoteError(f"{where}: HTTP 401: cannot authenticate: {exc}") from None


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _message(raw: str) -> str:
    """An error answer on one line, shortened."""
    text = " ".join(raw.split())
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
