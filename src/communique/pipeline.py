"""The one chain that the CLI, the tests and other programs call.

``extract_file`` reads one document into a Statement; ``build`` runs the whole job over many
sources: ingest → extract → map → validate → store → export. A document that cannot be read or
does not conform is reported with its reasons and quarantined; it never stops the others.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import DocumentError
from .export import FORMATS, serialize
from .extract import Authority, extract_statement, load_authority
from .ingest import READERS, discover, is_container, read_container, read_document
from .curation import apply_curation, sidecar_of
from .iris import IRIs, slugify
from .mapping import statement_graph
from .model import Document, Statement
from .store import GraphStore
from .jsonld import expand
from .validate import Report, Violation, validate_graph

__all__ = ["Rejected", "BuildReport", "read_statement", "extract_file", "documents", "build", "publish",
           "validate_paths"]


@dataclass(frozen=True)
class Rejected:
    """A document that was not built, and why."""

    source: str
    reasons: tuple[str, ...]


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)  #: statement IRIs
    rejected: list[Rejected] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  #: archive records that are not statements
    triples: int = 0

    def summary(self) -> str:
        lines = [f"built {len(self.built)} statement(s), {self.triples} triples; "
                 f"rejected {len(self.rejected)}"]
        if self.skipped:
            lines.append("skipped archive records: " + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())))
        for r in self.rejected:
            lines.append(f"  rejected {r.source}:")
            lines.extend(f"    {reason}" for reason in r.reasons)
        return "\n".join(lines)


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


def _unique_slug(st: Statement, iris: IRIs, taken: set[str]) -> Statement:
    if str(iris.statement(st)) in taken:
        st = dataclasses.replace(st, slug=f"{st.slug}-{st.document.sha256[:8]}")
    return st


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _reasons(report: Report) -> tuple[str, ...]:
    return tuple(str(v) for v in report.violations if v.severity == "Violation") or (report.text(),)


def build(
    sources: Iterable[str | Path],
    out: Path | None = None,
    base: str | None = None,
    store: GraphStore | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build every source into ``store`` (cleared first) and publish the exports into ``out``."""
    iris = IRIs(base) if base else IRIs()
    store = store if store is not None else GraphStore()
    authority = load_authority()
    report = BuildReport()
    store.clear()
    taken: set[str] = set()
    entities = Graph()  # descriptions of every party, stored once
    paths = list(discover(sources))
    for path in paths:
        if progress:
            progress(str(path))
        for doc in documents(path, report.skipped):
            if isinstance(doc, DocumentError):
                report.rejected.append(Rejected(doc.source, (doc.problem,)))
                continue
            _build_one(doc, iris, authority, store, out, report, taken, entities)
    store.replace_graph(str(iris.entities_graph()), entities)
    report.triples = len(store)
    store.flush()
    if out is not None:
        publish(store, out, iris, report)
    return report


def _build_one(doc: Document, iris: IRIs, authority: Authority, store: GraphStore, out: Path | None,
               report: BuildReport, taken: set[str], entities: Graph) -> None:
    """Extract, map, validate and store one document (or quarantine it with its reasons)."""
    try:
        st = _unique_slug(read_statement(doc, authority), iris, taken)
    except DocumentError as exc:  # a malformed curation file rejects its statement, naming the file
        report.rejected.append(Rejected(doc.source, (str(exc),)))
        return
    graph = statement_graph(st, iris)
    result = validate_graph(graph)
    if not result.conforms:
        report.rejected.append(Rejected(doc.source, _reasons(result)))
        if out is not None:
            _write(out / "rejected" / f"{slugify(doc.source)}.ttl", graph.serialize(format="turtle"))
        return
    name = str(iris.statement(st))
    taken.add(name)
    own = Graph()
    for triple in graph:
        (entities if iris.is_entity(triple[0]) else own).add(triple)
    store.replace_graph(name, own)
    report.built.append(name)


def publish(store: GraphStore, out: Path, iris: IRIs, report: BuildReport) -> None:
    """Write the dumps, one Turtle and JSON-LD file per statement, and the rejection report."""
    for sub in ("statement", "dumps"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    nquads = store.nquads()
    for fmt in FORMATS.values():
        _write(out / "dumps" / f"communique{fmt.suffix}", serialize(nquads, fmt.name))
    for name in store.statement_names():
        relative = name[len(iris.base):] if name.startswith(iris.base) else None
        if relative is None:
            continue
        graph_nt = store.describe(name)
        for fmt_name in ("turtle", "jsonld"):
            _write(out / f"{relative}{FORMATS[fmt_name].suffix}", serialize(graph_nt, fmt_name))
    rejected = [{"source": r.source, "reasons": list(r.reasons)} for r in sorted(report.rejected, key=lambda r: r.source)]
    _write(out / "rejected.json", json.dumps(rejected, indent=2, ensure_ascii=False) + "\n")



def _read_rdf(path: Path) -> Graph:
    """Parse an RDF file by suffix; JSON-LD is expanded offline first (remote contexts refused)."""
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
