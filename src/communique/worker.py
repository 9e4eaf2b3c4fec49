"""What a build worker does with a chunk of source files: read, extract, curate, map and validate
every document, and hand back text the store loads as it is.

A worker never builds an rdflib Graph for a statement that conforms: the mapping fills a set of
triples, the compiled SHACL validator (:mod:`communique.shacl`) checks that set, and the statement's
own triples go back as N-Quads in its named graph, the descriptions of its parties as N-Triples
lines (deduplicated over the chunk). A statement that does not conform comes back as its reasons
and its Turtle, for inspection.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph

from .errors import DocumentError
from .extract import load_authority
from .extract.linking import Authority
from .iris import IRIs
from .mapping import Triple, new_graph, statement_triples
from .model import Document
from .nquads import quad_lines, triple_lines
from .pipeline import documents, read_statement
from .shacl import UnsupportedShapes, core_validator
from .validate import Report, validate_graph

__all__ = ["Outcome", "Chunk", "process", "validator", "validate_triples"]


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one document."""

    source: str
    iri: str | None = None  #: the statement's IRI (None: rejected)
    quads: str = ""  #: N-Quads of the statement's own named graph
    version: str = ""  #: the SHA-256 of ``quads``: what the graph is (see :mod:`communique.publish.graphcache`)
    reasons: tuple[str, ...] = ()
    turtle: str | None = None  #: the RDF of a rejected statement
    warnings: int = 0
    headline: str = ""  #: for the text index
    text: str = ""
    date: str = ""


@dataclass
class Chunk:
    """What a worker made of a chunk of source files, in source order."""

    results: list[tuple[list[Outcome], dict[str, int]]] = field(default_factory=list)  #: per file: outcomes, skipped records
    entities: set[str] = field(default_factory=set)  #: N-Triples lines describing the parties referred to


@cache
def validator() -> Callable[[set[Triple]], Report]:
    """The compiled SHACL validator of the project's shapes, or pySHACL where the shapes use
    something the compiled one does not implement."""
    try:
        return core_validator().validate
    except UnsupportedShapes:
        return _with_pyshacl


def validate_triples(triples: set[Triple]) -> Report:
    """Validate one statement's triples against the project's shapes."""
    return validator()(triples)


def _with_pyshacl(triples: set[Triple]) -> Report:
    return validate_graph(_graph(triples))


def _graph(triples: set[Triple]) -> Graph:
    g = new_graph()
    for t in triples:
        g.add(t)
    return g


def _reasons(report: Report) -> tuple[str, ...]:
    return tuple(str(v) for v in report.violations if v.severity == "Violation") or (report.text(),)


def _one(doc: Document | DocumentError, iris: IRIs, authority: Authority, taken: frozenset[str],
         entities: set[str]) -> Outcome:
    if isinstance(doc, DocumentError):
        return Outcome(doc.source, reasons=(doc.problem,))
    try:
        st = read_statement(doc, authority)
    except DocumentError as exc:  # a malformed curation file rejects its statement, naming the file
        return Outcome(doc.source, reasons=(str(exc),))
    if str(iris.statement(st)) in taken:
        st = dataclasses.replace(st, slug=f"{st.slug}-{st.document.sha256[:8]}")
    iri = str(iris.statement(st))
    triples = statement_triples(st, iris)
    report = validate_triples(triples)
    if not report.conforms:
        return Outcome(doc.source, reasons=_reasons(report), turtle=_graph(triples).serialize(format="turtle"))
    own = [t for t in triples if not iris.is_entity(t[0])]
    entities.update(triple_lines(t for t in triples if iris.is_entity(t[0])))
    quads = "".join(quad_lines(own, iri))
    return Outcome(doc.source, iri, quads, hashlib.sha256(quads.encode("utf-8")).hexdigest(),
                   warnings=int(bool(report.warnings)), headline=st.title, text=st.text, date=st.date or "")


def process(paths: list[str], base: str, taken: frozenset[str] = frozenset()) -> Chunk:
    """Every document of a chunk of source files; ``taken``: statement IRIs already used by other
    sources (a statement whose IRI is taken gets its source's hash in its slug)."""
    iris, authority = IRIs(base), load_authority()
    chunk = Chunk()
    for path in paths:
        skipped: dict[str, int] = {}
        outcomes = [_one(doc, iris, authority, taken, chunk.entities) for doc in documents(Path(path), skipped)]
        chunk.results.append((outcomes, skipped))
    return chunk
