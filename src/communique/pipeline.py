"""The one chain that the CLI, the tests and other programs call.

``extract_file`` reads one document into a Statement; ``build`` runs the whole job over many
sources: ingest → extract → map → validate → store → export. A document that cannot be read or
does not conform is reported with its reasons and quarantined; it never stops the others.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph

from .curation import apply_curation, sidecar_of
from .errors import DocumentError
from .export import FORMATS
from .extract import Authority, extract_statement, load_authority
from .ingest import READERS, discover, is_container, read_container, read_document
from .jsonld import expand
from .mapping import statement_graph
from .model import Document, Statement
from .store import GraphStore
from .validate import Report, Violation, validate_graph

__all__ = ["Rejected", "BuildReport", "read_statement", "extract_file", "documents", "build", "validate_paths"]


def read_statement(doc: Document, authority: Authority | None = None) -> Statement:
    """Extract one document and apply its curation file, if it has one."""
    authority = authority or load_authority()
    statement = extract_statement(doc, authority)
    sidecar = sidecar_of(doc.source)
    return apply_curation(statement, sidecar, authority) if sidecar else statement


def extract_file(path: str | Path, authority: Authority | None = None) -> Statement:
    """Read, extract and curate one document."""
    return read_statement(read_document(path), authority)


def documents(path: Path, skipped: dict[str, int] | None = None) -> Iterator[Document | DocumentError]:
    """The documents of one source file: one, or each page captured in a web archive (with its
    capture date and record id); a document that cannot be read is yielded as its error."""
    if not is_container(path):
        try:
            yield read_document(path)
        except DocumentError as exc:
            yield exc
        return
    try:
        result = read_container(path)
    except DocumentError as exc:
        yield exc
        return
    for reason, n in result.skipped.items():
        if skipped is not None:
            skipped[reason] = skipped.get(reason, 0) + n
    for capture in result.captures:
        yield dataclasses.replace(capture.document, url=capture.target_uri,
                                  capture_date=capture.capture_date, record_id=capture.record_id)
    yield from result.errors


def _read_rdf(path: Path) -> Graph:
    """Parse an RDF file by suffix; JSON-LD is expanded offline first (remote contexts refused)."""
    if not path.exists():
        raise DocumentError(path, "no such file or folder")
    fmt = next((f for f in FORMATS.values() if f.suffix == path.suffix.lower()), None)
    if fmt is None:
        raise DocumentError(path, f"unsupported file type {path.suffix!r} for validation")
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(path, f"cannot be read: {exc}") from exc
    ds = Dataset()
    try:
        if fmt.name == "jsonld":
            ds.parse(data=json.dumps(expand(json.loads(data))), format="json-ld")
        else:
            ds.parse(data=data, format=fmt.rdflib_name)
    except (ValueError, SyntaxError, json.JSONDecodeError) as exc:
        raise DocumentError(path, f"not valid {fmt.name}: {exc}") from exc
    graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def validate_paths(paths: Iterable[str | Path], store: GraphStore | None = None) -> list[tuple[str, Report]]:
    """Validate statement sources, RDF files, or (no paths) every graph of ``store``.

    An unreadable file is reported as a failed result naming the file, not raised.
    """
    results: list[tuple[str, Report]] = []
    paths = list(paths)
    if not paths and store is not None:
        return [(name, validate_graph(graph)) for name, graph in store.graphs()]
    for path in discover(paths):
        if path.suffix.lower() in READERS or is_container(path):
            for doc in documents(path):
                if isinstance(doc, DocumentError):
                    results.append((doc.source, _unreadable(doc)))
                else:
                    try:
                        graph = statement_graph(read_statement(doc))
                    except DocumentError as exc:
                        results.append((doc.source, _unreadable(exc)))
                        continue
                    results.append((doc.source, validate_graph(graph)))
            continue
        try:
            graph = _read_rdf(path)
        except DocumentError as exc:
            results.append((str(path), _unreadable(exc)))
            continue
        results.append((str(path), validate_graph(graph)))
    return results


def _unreadable(exc: DocumentError) -> Report:
    return Report(False, (Violation(exc.source, None, exc.problem, "Error"),))


from .build import BuildReport, Rejected, build  # noqa: E402  (the main job, built on the functions above)
