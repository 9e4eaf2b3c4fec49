"""Running one SPARQL query for the endpoint: dataset, time limit, result-size limit, formats.

Backend. The query runs on a :class:`~communique.serve.backend.Backend`: the embedded store, or a
remote SPARQL endpoint the query is forwarded to (its HTTP request bounded by the time limit).
Either hands back pyoxigraph result objects, so the limits and formats below apply alike.

Time limit. pyoxigraph cannot interrupt a running query, so each query runs in its own daemon
thread and the request waits at most ``timeout`` seconds for it; past that the client gets
``503 Service Unavailable`` at once. Results are written through a guard that checks the deadline
(and a cancel flag) every time pyoxigraph hands it a block of output, so a query that streams its
results stops by itself at its next block; one that computes for long before writing anything
(an aggregate over a huge join) keeps running in its abandoned thread until it first writes, and
its result is then discarded. At most ``max_concurrent`` queries run at once (abandoned ones
included); past that a request gets ``503`` with ``Retry-After`` instead of queueing.

Size limit. A SELECT with more than ``max_results`` rows, or a CONSTRUCT/DESCRIBE with more than
``max_results`` triples, is refused with ``413`` and a message telling to add a LIMIT — never
silently truncated. Rows are counted while they stream (as TSV lines), so the limit also stops
the evaluation early. The final format is written by pyoxigraph from that intermediate form; the
triples of a graph result are deduplicated and sorted first, so that a graph is written the same
whichever store computed it.

SERVICE. pyoxigraph would fetch federated ``SERVICE`` clauses over HTTP, so the endpoint refuses
them unless ``allow_service``. pyoxigraph exposes no syntax tree: the query is scanned by a
tokenizer that skips strings, IRIs and comments, and a ``SERVICE`` keyword token outside them
refuses the query. pyoxigraph applies no ``\\u`` codepoint escapes outside strings and IRIs (so
an escape cannot spell the keyword); the scan looks at the unescaped text too, to be safe.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import IO, TYPE_CHECKING, cast
from urllib.parse import urljoin

import pyoxigraph as ox

from ..errors import CommuniqueError, QueryError
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from .backend import Backend

__all__ = [
    "FORMATS",
    "Dataset",
    "EndpointBusy",
    "Outcome",
    "QueryFailed",
    "QueryRunner",
    "QueryTimeout",
    "ResultFormat",
    "ResultTooLarge",
    "ServiceRefused",
    "has_relative_iri",
    "keywords",
    "query_dataset",
    "uses_service",
]


class QueryTimeout(CommuniqueError):
    """The query did not finish within the endpoint's time limit."""

    http_status = 503


class EndpointBusy(CommuniqueError):
    """Every query slot is taken (by running or abandoned queries)."""

    http_status = 503


class ResultTooLarge(CommuniqueError):
    """The result has more rows (or triples) than the endpoint returns."""

    http_status = 413


class QueryFailed(CommuniqueError):
    """The query could not be evaluated: the store failed, or a federated SERVICE did."""

    http_status = 500


class ServiceRefused(QueryError):
    """The query calls a federated SERVICE and the endpoint does not allow it."""


@dataclass(frozen=True)
class ResultFormat:
    """A result serialization: short name, media type sent, and the pyoxigraph writer (if any)."""

    name: str
    media_type: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


FORMATS: dict[str, ResultFormat] = {f.name: f for f in (
    ResultFormat("json", "application/sparql-results+json", results=ox.QueryResultsFormat.JSON),
    ResultFormat("xml", "application/sparql-results+xml", results=ox.QueryResultsFormat.XML),
    ResultFormat("csv", "text/csv; charset=utf-8", results=ox.QueryResultsFormat.CSV),
    ResultFormat("tsv", "text/tab-separated-values; charset=utf-8", results=ox.QueryResultsFormat.TSV),
    ResultFormat("turtle", "text/turtle; charset=utf-8", rdf=ox.RdfFormat.TURTLE),
    ResultFormat("nt", "application/n-triples", rdf=ox.RdfFormat.N_TRIPLES),
    ResultFormat("jsonld", "application/ld+json", rdf=ox.RdfFormat.JSON_LD),
    ResultFormat("rdfxml", "application/rdf+xml", rdf=ox.RdfFormat.RDF_XML),
    ResultFormat("html", "text/html; charset=utf-8"),
)}

#: strings (long forms first), IRIs, comments, then words; only words are looked at
_TOKEN = re.compile(r"""
    '''(?:[^'\\]|\\.|'(?!''))*'''
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'
  | "(?:[^"\\\n\r]|\\.)*"
  | <[^<>"{}|^`\\\x00-\x20]*>
  | \#[^\n\r]*
  | @[A-Za-z]+(?:-[A-Za-z0-9]+)*
  | (?P<word>[?$]?[A-Za-z_][\w-]*(?::[\w.-]*)?|:[\w.-]*)
  | .
""", re.VERBOSE | re.DOTALL)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else m.group(0)
    return _ESCAPE.sub(char, text)


def keywords(query: str) -> set[str]:
    """Uppercased bare words of ``query`` outside strings, IRIs and comments (no variables or
    prefixed names), e.g. ``{"SELECT", "WHERE", "SERVICE"}``."""
    words: set[str] = set()
    for text in {query, _unescape(query)}:
        for m in _TOKEN.finditer(text):
            word = m.group("word")
            if word and word[0] not in "?$" and ":" not in word:
                words.add(word.upper())
    return words


def has_relative_iri(query: str) -> bool:
    """True when an IRI of ``query`` (outside strings and comments) has no scheme: a relative IRI,
    resolved against the base IRI."""
    return any(m.group(0).startswith("<") and len(m.group(0)) > 1 and not _SCHEME.match(m.group(0)[1:])
               for m in _TOKEN.finditer(query))


def uses_service(query: str) -> bool:
    """True when the query has a federated ``SERVICE`` clause."""
    return "SERVICE" in keywords(query)


def query_dataset(query: str, base_iri: str | None = None) -> Dataset | None:
    """The dataset ``query`` names by ``FROM`` and ``FROM NAMED`` (None: it names none), its IRIs
    resolved against the query's ``BASE`` (itself against ``base_iri``) and prefixed names
    expanded by its ``PREFIX`` declarations — what the protocol's ``default-graph-uri`` and
    ``named-graph-uri`` say. A query that is not well-formed may give a partial dataset."""
    tokens = [m.group(0) for m in _TOKEN.finditer(query) if not m.group(0).isspace() and m.group(0)[0] != "#"]
    base, prefixes = base_iri or "", dict[str, str]()
    clauses: dict[bool, list[str]] = {False: [], True: []}  # named? -> IRIs

    def resolve(term: str) -> str | None:
        if term.startswith("<") and term.endswith(">"):
            return urljoin(base, term[1:-1])
        prefix, colon, local = term.partition(":")
        return prefixes[prefix] + local.rstrip(".") if colon and prefix in prefixes else None

    for n, token in enumerate(tokens):
        word, following = token.upper(), tokens[n + 1:n + 3]
        if word == "BASE" and following and following[0].startswith("<"):
            base = urljoin(base, following[0][1:-1])
        elif word == "PREFIX" and len(following) == 2 and following[0].endswith(":") \
                and following[1].startswith("<"):
            prefixes[following[0][:-1]] = urljoin(base, following[1][1:-1])
        elif word == "FROM" and following:
            named = following[0].upper() == "NAMED"
            iri = resolve(following[1] if named and len(following) > 1 else following[0])
            if iri is not None:
                clauses[named].append(iri)
    return Dataset(tuple(clauses[False]), tuple(clauses[True])) if clauses[False] or clauses[True] else None


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of the protocol (``default-graph-uri``/``named-graph-uri``); it overrides
    the query's FROM/FROM NAMED. Without it the default graph is the union of all graphs, unless
    the query names its own dataset."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a query gave: its kind (boolean, tabular, graph), the body in ``format``, its size.
    For the ``html`` format the body is the intermediate TSV / N-Triples / ``true``|``false``."""

    kind: str
    format: ResultFormat
    body: bytes
    size: int


class _Guard:
    """A write target that enforces the deadline, the cancel flag and the line limit."""

    def __init__(self, deadline: float, cancel: threading.Event, limit: int, header_lines: int,
                 timeout: float) -> None:
        self.deadline, self.cancel, self.limit, self.timeout = deadline, cancel, limit, timeout
        self.lines = -header_lines
        self.buffer = BytesIO()

    def write(self, data: bytes) -> int:
        if self.cancel.is_set() or time.monotonic() > self.deadline:
            raise QueryTimeout(_timeout_message(self.timeout))
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise ResultTooLarge(f"the result has more than {self.limit} rows or triples, the most this "
                                 f"endpoint returns; add a LIMIT (and ORDER BY to page with OFFSET)")
        return self.buffer.write(data)

    def flush(self) -> None:
        """Nothing to flush: the buffer is read when the query is done."""


def _timeout_message(timeout: float) -> str:
    return (f"the query did not finish within the time limit of {timeout:g} s; simplify it "
            f"(fewer joins, more specific patterns) or add a LIMIT")


def execute(backend: Backend, query: str, dataset: Dataset | None, pick: Callable[[str], ResultFormat],
            *, deadline: float, cancel: threading.Event, max_results: int, timeout: float,
            base_iri: str | None = None) -> Outcome:
    """Run ``query`` (blocking) and serialize its result in ``pick(kind)``; relative IRIs in the
    query resolve against ``base_iri`` (the endpoint's own IRI, as the protocol suggests)."""
    try:
        result = backend.endpoint_query(query, dataset, base_iri, timeout)
        if isinstance(result, ox.QueryBoolean):
            fmt = pick("boolean")
            writer = fmt.results or ox.QueryResultsFormat.TSV  # html: the bare word
            return Outcome("boolean", fmt, result.serialize(format=writer) or b"", 1)
        if isinstance(result, ox.QuerySolutions):
            fmt = pick("tabular")
            guard = _Guard(deadline, cancel, max_results, 1, timeout)
            result.serialize(cast("IO[bytes]", guard), format=ox.QueryResultsFormat.TSV)
            tsv = guard.buffer.getvalue()
            if fmt.results is None or fmt.name == "tsv":
                return Outcome("tabular", fmt, tsv, guard.lines)
            solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
            return Outcome("tabular", fmt, solutions.serialize(format=fmt.results) or b"", guard.lines)
        fmt = pick("graph")
        guard = _Guard(deadline, cancel, max_results, 0, timeout)
        ox.serialize(result, cast("IO[bytes]", guard), format=ox.RdfFormat.N_TRIPLES)
        lines = sorted(set(guard.buffer.getvalue().splitlines(keepends=True)))  # a graph: a set, in one order
        nt = b"".join(lines)
        if fmt.rdf is None or fmt.name == "nt":
            return Outcome("graph", fmt, nt, len(lines))
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        body = ox.serialize(triples, format=fmt.rdf, prefixes=prefixes) or b""
        return Outcome("graph", fmt, body, len(lines))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise QueryError(f"the query cannot be run: {exc}") from exc
    except (OSError, RuntimeError) as exc:  # the store, or a SERVICE that failed
        raise QueryFailed(f"the query failed: {exc}") from exc


def _detached(error: CommuniqueError) -> CommuniqueError:
    """``error`` without the tracebacks of its chain: their frames hold the query's pyoxigraph
    result, which only the thread that made it may drop (the error goes to the event loop's)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = None
        pending += [current.__cause__, current.__context__]
    return error


class QueryRunner:
    """Runs queries on a backend (embedded or remote) under the endpoint's limits (see the module doc)."""

    def __init__(self, backend: Backend, *, timeout: float = 10.0, max_results: int = 10000,
                 allow_service: bool = False, max_concurrent: int = 4) -> None:
        self.backend, self.timeout, self.max_results = backend, timeout, max_results
        self.allow_service = allow_service
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self.max_concurrent = max_concurrent

    async def run(self, query: str, dataset: Dataset | None, pick: Callable[[str], ResultFormat],
                  base_iri: str | None = None) -> Outcome:
        """Run ``query`` in a worker thread and wait for it at most ``timeout`` seconds."""
        if not self.allow_service and uses_service(query):
            raise ServiceRefused("federated SERVICE queries are not allowed on this endpoint "
                                 "(start the server with --allow-service to allow them)")
        if not self._slots.acquire(blocking=False):
            raise EndpointBusy(f"all {self.max_concurrent} query slots are busy (long queries still "
                               f"running); try again in a few seconds")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        cancel = threading.Event()
        deadline = time.monotonic() + self.timeout

        def deliver(outcome: Outcome | None, error: BaseException | None) -> None:
            if future.done():
                return  # timed out meanwhile: the result is discarded
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(outcome)  # type: ignore[arg-type]

        def work() -> None:
            try:
                outcome = execute(self.backend, query, dataset, pick, deadline=deadline, cancel=cancel,
                                  max_results=self.max_results, timeout=self.timeout, base_iri=base_iri)
            except CommuniqueError as exc:
                post(None, _detached(exc))
            except Exception as exc:  # noqa: BLE001 - the thread boundary: handed to the request as is
                post(None, exc)
            else:
                post(outcome, None)
            finally:
                self._slots.release()

        def post(outcome: Outcome | None, error: BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(deliver, outcome, error)
            except RuntimeError:
                pass  # the event loop is closed: the server has stopped, nobody waits for this

        threading.Thread(target=work, name="sparql-query", daemon=True).start()
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            cancel.set()  # the thread stops at its next write; if it never writes it is abandoned
            raise QueryTimeout(_timeout_message(self.timeout)) from None
