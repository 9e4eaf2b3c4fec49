"""The main job: sources → validated statements in the store → the published site.

Incremental and idempotent. A state file beside an on-disk store (``STORE.state.json``) keeps, for
every source, the SHA-256 of its bytes (and of its curation file) and the statement graphs it gave.
A rebuild skips unchanged sources, replaces the graphs of changed ones, and removes the graphs of
sources that are gone, remembering their statements as withdrawn (published in ``gone.txt``; the
server answers ``410 Gone`` for them). A change of extractor version, authority file, shapes or base
IRI rebuilds everything. Documents are read, extracted, mapped and validated in worker processes
(``jobs``, default: all cores); results are stored in source order, so output does not depend on
scheduling.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from . import __version__
from .curation import sidecar_of
from .errors import DocumentError
from .extract import load_authority
from .ingest import discover
from .iris import IRIs
from .mapping import statement_graph
from .pipeline import documents, read_statement
from .publish import publish
from .resources import authorities_dir, shapes_dir
from .store import GraphStore
from .validate import Report, validate_graph

__all__ = ["Rejected", "BuildReport", "build", "source_hash"]


@dataclass(frozen=True)
class Rejected:
    """A document that was not built, and why."""

    source: str
    reasons: tuple[str, ...]
    turtle: str | None = None  #: the RDF that did not conform, kept for inspection


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)  #: statement IRIs built in this run
    unchanged: int = 0  #: sources skipped because they did not change since the last build
    removed: list[str] = field(default_factory=list)  #: statement IRIs of sources that are gone
    rejected: list[Rejected] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  #: archive records that are not statements
    warnings: int = 0  #: statements built with SHACL warnings (e.g. no date)
    triples: int = 0

    def summary(self) -> str:
        lines = [f"built {len(self.built)} statement(s), unchanged {self.unchanged}, removed {len(self.removed)}, "
                 f"rejected {len(self.rejected)}; {self.triples} triples; {self.warnings} with warnings"]
        if self.skipped:
            lines.append("skipped archive records: " + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())))
        for r in self.rejected:
            lines.append(f"  rejected {r.source}:")
            lines.extend(f"    {reason}" for reason in r.reasons)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Outcome:
    """What a worker made of one document."""

    source: str
    iri: str | None = None
    own: str = ""  #: N-Triples of the statement's own graph
    entities: str = ""  #: N-Triples of the descriptions of its parties
    reasons: tuple[str, ...] = ()
    turtle: str | None = None
    warnings: int = 0


def source_hash(path: Path) -> str:
    """SHA-256 over a source file and its curation file, if any."""
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_of(path)
    if sidecar is not None:
        digest.update(b"\0curation\0" + sidecar.read_bytes())
    return digest.hexdigest()


def _fingerprint(base: str) -> str:
    """What every statement's RDF depends on besides its source: version, authority, shapes, base."""
    digest = hashlib.sha256(f"{__version__}\0{base}".encode())
    for folder in (authorities_dir(), shapes_dir()):
        for f in sorted(folder.glob("*")):
            if f.is_file():
                digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


def _reasons(report: Report) -> tuple[str, ...]:
    return tuple(str(v) for v in report.violations if v.severity == "Violation") or (report.text(),)


def _nt(graph: Graph) -> str:
    return "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True)))


_BATCH = 32  #: documents validated together: pySHACL costs ~6 ms a statement in a batch, ~10 ms alone


def _prepare(path: str, base: str, taken: frozenset[str],
             skipped: dict[str, int]) -> list[_Outcome | tuple[str, str, Graph]]:
    """Read, extract, curate and map every document of one source file (not yet validated);
    archive records that are not statements are counted in ``skipped``."""
    iris, authority = IRIs(base), load_authority()
    prepared: list[_Outcome | tuple[str, str, Graph]] = []
    for doc in documents(Path(path), skipped):
        if isinstance(doc, DocumentError):
            prepared.append(_Outcome(doc.source, reasons=(doc.problem,)))
            continue
        try:
            st = read_statement(doc, authority)
        except DocumentError as exc:  # a malformed curation file rejects its statement, naming the file
            prepared.append(_Outcome(doc.source, reasons=(str(exc),)))
            continue
        if str(iris.statement(st)) in taken:
            st = dataclasses.replace(st, slug=f"{st.slug}-{st.document.sha256[:8]}")
        prepared.append((doc.source, str(iris.statement(st)), statement_graph(st, iris)))
    return prepared


def _outcome(source: str, iri: str, graph: Graph, report: Report, iris: IRIs) -> _Outcome:
    if not report.conforms:
        return _Outcome(source, reasons=_reasons(report), turtle=graph.serialize(format="turtle"))
    own, entities = Graph(), Graph()
    for triple in graph:
        (entities if iris.is_entity(triple[0]) else own).add(triple)
    return _Outcome(source, iri, _nt(own), _nt(entities), warnings=int(bool(report.warnings)))


def _process(paths: list[str], base: str,
             taken: frozenset[str] = frozenset()) -> list[tuple[list[_Outcome], dict[str, int]]]:
    """Every document of a chunk of source files, validated as one batch (one by one only when the
    batch does not conform, to tell which documents fail and why)."""
    iris = IRIs(base)
    skipped: list[dict[str, int]] = [{} for _ in paths]
    prepared = [_prepare(p, base, taken, counts) for p, counts in zip(paths, skipped, strict=True)]
    graphs = [item for items in prepared for item in items if not isinstance(item, _Outcome)]
    batch = Graph()
    for _, _, graph in graphs:
        batch += graph
    report = validate_graph(batch) if graphs else Report(True, ())
    warned = {v.focus for v in report.warnings}
    results: list[tuple[list[_Outcome], dict[str, int]]] = []
    for items, counts in zip(prepared, skipped, strict=True):
        outcomes = []
        for item in items:
            if isinstance(item, _Outcome):
                outcomes.append(item)
                continue
            source, iri, graph = item
            own = validate_graph(graph) if not report.conforms else Report(
                True, tuple(v for v in report.warnings if v.focus == iri) if iri in warned else ())
            outcomes.append(_outcome(source, iri, graph, own, iris))
        results.append((outcomes, counts))
    return results


def _run(paths: list[Path], base: str, jobs: int) -> Iterator[tuple[list[_Outcome], dict[str, int]]]:
    chunks = [[str(p) for p in paths[i:i + _BATCH]] for i in range(0, len(paths), _BATCH)]
    if jobs <= 1 or len(chunks) < 2:
        for chunk in chunks:
            yield from _process(chunk, base)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for results in pool.map(_process, chunks, [base] * len(chunks)):
            yield from results


def _entities_closure(store: GraphStore, iris: IRIs, candidates: Graph) -> Graph:
    """The party descriptions the statements in the store refer to, directly or through another
    description (an office's organisation, a place's country): exactly what a full build keeps."""
    prefix = iris.base + "id/"
    rows = store.query(f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                       f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), \"{prefix}\") "
                       f"&& ?g != <{iris.entities_graph()}>) }}")
    todo = [URIRef(r["o"].value) for r in rows]  # type: ignore[index]
    seen: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(o for o in candidates.objects(node, None) if iris.is_entity(o) and o not in seen)
    kept = Graph()
    for s, p, o in candidates:
        if s in seen:
            kept.add((s, p, o))
    return kept


def build(
    sources: Iterable[str | Path],
    out: Path | None = None,
    base: str | None = None,
    store: GraphStore | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
    full: bool = False,
) -> BuildReport:
    """Build SOURCES into ``store`` incrementally and publish the site into ``out``."""
    iris = IRIs(base) if base else IRIs()
    store = store if store is not None else GraphStore()
    state_path = store.path.with_name(store.path.name + ".state.json") if store.path else None
    fingerprint = _fingerprint(iris.base)
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path and state_path.exists() else {}
    if full or state.get("fingerprint") != fingerprint or not store.graph_names():
        store.clear()
        state = {"sources": {}, "gone": state.get("gone", []) if not full else []}
    known: dict[str, dict] = state["sources"]
    report = BuildReport()
    paths = list(discover(sources))
    current = {str(p): p for p in paths}
    for source in sorted(set(known) - set(current)):  # sources that are gone
        for name in known.pop(source)["graphs"]:
            store.remove_graph(name)
            report.removed.append(name)
    hashes = {str(p): source_hash(p) if p.is_file() else "" for p in paths}
    todo = [p for p in paths if known.get(str(p), {}).get("sha256") != hashes[str(p)] or not hashes[str(p)]]
    report.unchanged = len(paths) - len(todo)
    taken = {g for s, entry in known.items() if s not in {str(p) for p in todo} for g in entry["graphs"]}
    candidates = store.graph(str(iris.entities_graph())) if store.graph_names() else Graph()
    for path, (outcomes, skipped) in zip(todo, _run(todo, iris.base, jobs or os.cpu_count() or 1), strict=True):
        if progress:
            progress(str(path))
        previous = known.get(str(path), {}).get("graphs", [])
        for name in previous:
            store.remove_graph(name)
        graphs, rejected = [], []
        for outcome in outcomes:
            if outcome.iri is not None and outcome.iri in taken:  # the same IRI from another source
                again = _process([str(path)], iris.base, frozenset(taken))[0][0]
                outcome = next(o for o in again if o.source == outcome.source)
            if outcome.iri is None:
                rejected.append({"source": outcome.source, "reasons": list(outcome.reasons), "turtle": outcome.turtle})
                continue
            store.load_ntriples(outcome.iri, outcome.own)
            candidates.parse(data=outcome.entities, format="nt")
            taken.add(outcome.iri)
            graphs.append(outcome.iri)
            report.built.append(outcome.iri)
            report.warnings += outcome.warnings
        for reason, n in skipped.items():
            report.skipped[reason] = report.skipped.get(reason, 0) + n
        known[str(path)] = {"sha256": hashes[str(path)], "graphs": graphs, "rejected": rejected}
        report.removed += [name for name in previous if name not in graphs]  # e.g. its date was corrected
    for path in paths:  # rejections stand until their source changes, and are reported every time
        for r in known.get(str(path), {}).get("rejected", []):
            report.rejected.append(Rejected(r["source"], tuple(r["reasons"]), r["turtle"]))
    store.replace_graph(str(iris.entities_graph()), _entities_closure(store, iris, candidates))
    gone = sorted(set(state.get("gone", [])) | set(report.removed)) if report.removed or state.get("gone") else []
    gone = [g for g in gone if g not in taken]
    report.triples = len(store)
    store.flush()
    if state_path is not None:
        state_path.write_text(json.dumps({"fingerprint": fingerprint, "sources": known, "gone": gone},
                                         indent=1, sort_keys=True), encoding="utf-8")
    if out is not None:
        publish(store, out, iris, report.rejected, gone=[g[len(iris.base):] for g in gone if g.startswith(iris.base)])
    return report
