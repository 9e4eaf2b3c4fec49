"""The main job: sources → validated statements in the store → the published site.

Incremental and idempotent. A state file beside an on-disk store (``STORE.state.json``) keeps, for
every source, the SHA-256 of its bytes (and of its curation file), their size and modification time,
and the statement graphs it gave, each with its version (the SHA-256 of the N-Quads loaded: what
publishing reads from :mod:`~communique.publish.graphcache` instead of the store). A source whose size and modification time are unchanged is not
read again; one whose are is hashed, and rebuilt only if its hash changed. A rebuild skips unchanged sources, replaces the graphs of changed ones, and removes the graphs of
sources that are gone, remembering their statements as withdrawn (published in ``gone.txt``; the
server answers ``410 Gone`` for them). A change of extractor version, authority file, shapes or base
IRI rebuilds everything. Documents are read, extracted, mapped and validated in worker processes
(``jobs``, default: all cores; see :mod:`communique.worker`), which hand back N-Quads that the store
loads one chunk of sources at a time; results are stored in source order, so output does not depend
on scheduling.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .curation import sidecar_names, sidecar_of
from .ingest import discover
from .iris import IRIs
from .progress import Progress, progress_of
from .resources import authorities_dir, shapes_dir
from .statistics import statistics_lines
from .stopping import held, worker_started
from .store import GraphStore, is_statement_graph
from .subjectcount import SubjectCount, read_known, write_known
from .textindex import TextIndex, index_path
from .worker import Chunk, process

if TYPE_CHECKING:
    from .publish import Publication

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
    #: statements whose files the publication wrote, and kept as they were (None: not published)
    published: Publication | None = None

    def summary(self) -> str:
        lines = [f"built {len(self.built)} statement(s), unchanged {self.unchanged}, removed {len(self.removed)}, "
                 f"rejected {len(self.rejected)}; {self.triples} triples; {self.warnings} with warnings"]
        if self.skipped:
            lines.append("skipped archive records: " + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())))
        for r in self.rejected:
            lines.append(f"  rejected {r.source}:")
            lines.extend(f"    {reason}" for reason in r.reasons)
        return "\n".join(lines)


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


_CHUNK = 32  #: source files a worker takes at a time
_LOAD = 512  #: statements loaded into the store at a time


class _Loader:
    """Statements on their way into the store. Into a store being updated: in a transaction,
    ``_LOAD`` statements at a time. Into an on-disk store built from empty: written to a spool file
    beside it and bulk-loaded in one call at the end (many small bulk loads each add sorted files to
    every index that the store must then merge: 2.6 times slower at 100,000 statements); the spool
    is removed whether or not the load succeeds."""

    def __init__(self, store: GraphStore, bulk: bool) -> None:
        self.store, self.bulk = store, bulk
        self.pending: list[str] = []
        self.spool: Path | None = None
        self._file: IO[str] | None = None
        if bulk and store.path is not None:  # made as the first statement comes (discard removes it)
            self.spool = store.path.with_name(store.path.name + ".load.nq")

    def add(self, nquads: str) -> None:
        if self.spool is not None:
            if self._file is None:
                self._file = self.spool.open("w", encoding="utf-8", newline="\n")
            self._file.write(nquads)
            return
        self.pending.append(nquads)
        if len(self.pending) >= _LOAD:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.store.load_nquads("".join(self.pending), bulk=self.bulk)
            self.pending = []

    def close(self) -> None:
        """Load what is left (the whole spool, for a store built from empty)."""
        self.flush()
        if self._file is None or self.spool is None:
            return
        self._file.close()
        self._file = None
        try:
            self.store.bulk_load_file(self.spool)
        finally:
            self.spool.unlink(missing_ok=True)

    def discard(self) -> None:
        """After a failed build: close and remove the spool."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.spool is not None:
            self.spool.unlink(missing_ok=True)


def _run(paths: list[Path], base: str, jobs: int) -> Iterator[Chunk]:
    chunks = [[str(p) for p in paths[i:i + _CHUNK]] for i in range(0, len(paths), _CHUNK)]
    if jobs <= 1 or len(chunks) < 2:
        for chunk in chunks:
            yield process(chunk, base)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=worker_started) as pool:
        with held():  # the workers are forked as the first chunk is submitted
            results = pool.map(process, chunks, [base] * len(chunks))
        yield from results


def _subject(line: str) -> str:
    return line[1:line.index(">")]


def _object_iri(line: str) -> str | None:
    obj = line.rstrip("\n").removesuffix(" .").split(" ", 2)[2]
    return obj[1:-1] if obj.startswith("<") else None


def _entities_closure(store: GraphStore, iris: IRIs, candidates: set[str]) -> str:
    """The party descriptions (N-Triples lines among ``candidates``) that the statements in the
    store refer to, directly or through another description (an office's organisation, a place's
    country): exactly what a full build keeps. One index lookup per described party."""
    by_subject: dict[str, list[str]] = {}
    for line in candidates:
        by_subject.setdefault(_subject(line), []).append(line)
    def referenced(iri: str) -> bool:
        return any(isinstance(q.graph_name, ox.NamedNode) and is_statement_graph(q.graph_name.value)
                   for q in store.oxigraph.quads_for_pattern(None, None, ox.NamedNode(iri)))

    todo = [s for s in by_subject if referenced(s)]
    kept: set[str] = set()
    while todo:
        subject = todo.pop()
        if subject in kept:
            continue
        kept.add(subject)
        for line in by_subject[subject]:
            target = _object_iri(line)
            if target is not None and target in by_subject and target not in kept:
                todo.append(target)
    return "".join(sorted(line for s in kept for line in by_subject[s]))


class _Sources:
    """Size and modification time of sources and of their curation files, reading each folder's
    listing once (a rebuild of 100,000 unchanged sources makes one stat call per source)."""

    def __init__(self) -> None:
        self._listings: dict[str, frozenset[str]] = {}

    def stat(self, path: Path) -> list[int]:
        folder, name = os.path.split(path)
        if folder not in self._listings:
            self._listings[folder] = frozenset(os.listdir(folder or "."))
        st = os.stat(path)
        stats = [st.st_size, st.st_mtime_ns]
        for sidecar in sidecar_names(name):
            if sidecar in self._listings[folder]:
                side = os.stat(os.path.join(folder, sidecar))
                return stats + [side.st_size, side.st_mtime_ns]
        return stats

    def changed(self, path: Path, entry: dict) -> tuple[bool, str, list[int]]:
        """Whether a source differs from what the last build read, its hash and its stat. Size and
        modification time decide first, without reading; the SHA-256 decides when they differ."""
        try:
            stat = self.stat(path)
        except OSError:  # not a readable file: the worker reports what is wrong with it
            return True, "", []
        if entry.get("stat") == stat and entry.get("sha256"):
            return False, entry["sha256"], stat
        digest = source_hash(path)
        return entry.get("sha256") != digest, digest, stat


def _versions(known: dict[str, dict], fingerprint: str) -> dict[str, str]:
    """The version of every statement graph: the SHA-256 of the N-Quads loaded, or — for a graph
    that a build before versions were kept made, and no build changed since — what made it: the
    build's fingerprint and its source's SHA-256 (a change of fingerprint rebuilds every graph)."""
    versions: dict[str, str] = {}
    for entry in known.values():
        kept = entry.get("versions") or [f"{fingerprint}:{entry['sha256']}:{g}" for g in entry["graphs"]]
        versions.update(zip(entry["graphs"], kept))
    return versions


def build(
    sources: Iterable[str | Path],
    out: Path | None = None,
    base: str | None = None,
    store: GraphStore | None = None,
    progress: Progress | Callable[[str], None] | None = None,
    jobs: int | None = None,
    full: bool = False,
    optimize: bool | None = None,
) -> BuildReport:
    """Build SOURCES into ``store`` incrementally and publish the site into ``out``. ``optimize``:
    compact the store's indexes before publishing (None: after a build from empty that publishes —
    every page reads its statement's graph; True: always; False: never). ``progress``: a
    :class:`~communique.progress.Progress` told each phase, or a callable given each source read."""
    tracker = progress_of(progress)
    try:
        return _build(sources, out, base, store, tracker, jobs, full, optimize)
    finally:
        tracker.close()


def _build(sources: Iterable[str | Path], out: Path | None, base: str | None, store: GraphStore | None,
           progress: Progress, jobs: int | None, full: bool, optimize: bool | None) -> BuildReport:
    iris = IRIs(base) if base else IRIs()
    store = store if store is not None else GraphStore()
    state_path = store.path.with_name(store.path.name + ".state.json") if store.path else None
    fingerprint = _fingerprint(iris.base)
    state_text = state_path.read_text(encoding="utf-8") if state_path and state_path.exists() else "{}"
    state = json.loads(state_text)
    entities_graph = str(iris.entities_graph())
    marker = store.path.with_name(store.path.name + ".building") if store.path else None
    fresh = (full or state.get("fingerprint") != fingerprint or store.is_empty()
             or (marker is not None and marker.exists())  # an earlier build did not finish
             or (store.path is not None and not index_path(store.path).exists()))  # nor the text index
    if marker is not None:
        marker.touch()
    if fresh and store.path is not None:
        index_path(store.path).unlink(missing_ok=True)  # rather than cleared: it may be half-written
    texts = TextIndex(index_path(store.path) if store.path is not None else None)
    if fresh:
        store.clear()
        state = {"sources": {}, "gone": state.get("gone", []) if not full else []}
    known: dict[str, dict] = state["sources"]
    triples: int = state["triples"] if "triples" in state else len(store)
    subjects = SubjectCount(store, read_known(state_path, state_text) if state_path and not fresh else None)
    report = BuildReport()
    paths = list(discover(sources))
    current = {str(p) for p in paths}
    for source in sorted(set(known) - current):  # sources that are gone
        for name in known.pop(source)["graphs"]:
            subjects.touch(name)
            triples -= store.remove_graph(name)
            report.removed.append(name)
            texts.remove([name])
    todo, seen, sources_ = [], {}, _Sources()
    for p in paths:
        changed, digest, stat = sources_.changed(p, known.get(str(p), {}))
        seen[str(p)] = (digest, stat)
        if changed:
            todo.append(p)
    report.unchanged = len(paths) - len(todo)
    todo_names = {str(p) for p in todo}
    taken = {g for s, entry in known.items() if s not in todo_names for g in entry["graphs"]}
    previous = {str(p): known.get(str(p), {}).get("graphs", []) for p in todo}
    for names in previous.values():  # before anything is loaded: a new graph may reuse an old name
        for name in names:
            subjects.touch(name)
            triples -= store.remove_graph(name)
        texts.remove(names)
    candidates = set() if fresh else set(store.nquads(entities_graph).splitlines(keepends=True))
    done, loader = 0, _Loader(store, bulk=fresh)
    indexed: list[tuple[str, str, str, str]] = []  #: (statement IRI, date, headline, text) for the text index
    progress.phase("building", len(todo))
    try:
        for chunk in _run(todo, iris.base, jobs or os.cpu_count() or 1):
            for outcomes, skipped in chunk.results:
                path = todo[done]
                done += 1
                progress.step(1, str(path))
                graphs, versions, rejected = [], [], []
                for outcome in outcomes:
                    if outcome.iri is not None and outcome.iri in taken:  # the same IRI from another source
                        again = process([str(path)], iris.base, frozenset(taken))
                        outcome = next(o for o in again.results[0][0] if o.source == outcome.source)
                        candidates |= again.entities
                    if outcome.iri is None:
                        rejected.append({"source": outcome.source, "reasons": list(outcome.reasons),
                                         "turtle": outcome.turtle})
                        continue
                    subjects.touch(outcome.iri)
                    loader.add(outcome.quads)
                    indexed.append((outcome.iri, outcome.date, outcome.headline, outcome.text))
                    triples += outcome.quads.count("\n")
                    taken.add(outcome.iri)
                    graphs.append(outcome.iri)
                    versions.append(outcome.version)
                    report.built.append(outcome.iri)
                    report.warnings += outcome.warnings
                for reason, n in skipped.items():
                    report.skipped[reason] = report.skipped.get(reason, 0) + n
                digest, stat = seen[str(path)]
                known[str(path)] = {"sha256": digest, "stat": stat, "graphs": graphs, "versions": versions,
                                    "rejected": rejected}
                report.removed += [name for name in previous[str(path)] if name not in graphs]  # e.g. a corrected date
            candidates |= chunk.entities
            if len(indexed) >= _LOAD:
                texts.add(indexed, replace=not fresh)
                indexed = []
        texts.add(indexed, replace=not fresh)
        if loader.spool is not None:
            progress.phase("loading the store")
        loader.close()
    except BaseException:  # the spool of a failed build goes with it
        loader.discard()
        raise
    for path in paths:  # rejections stand until their source changes, and are reported every time
        for r in known.get(str(path), {}).get("rejected", []):
            report.rejected.append(Rejected(r["source"], tuple(r["reasons"]), r["turtle"]))
    if todo or report.removed or fresh:
        subjects.touch(entities_graph)
        triples -= store.graph_size(entities_graph)
        store.load_ntriples(entities_graph, _entities_closure(store, iris, candidates))
        triples += store.graph_size(entities_graph)
        statistics_graph = str(iris.statistics_graph())
        subjects.touch(statistics_graph)
        triples -= store.graph_size(statistics_graph)
        store.load_ntriples(statistics_graph, statistics_lines(store, iris))
        triples += store.graph_size(statistics_graph)
    gone = sorted(set(state.get("gone", [])) | set(report.removed)) if report.removed or state.get("gone") else []
    gone = [g for g in gone if g not in taken]
    report.triples = triples  # counted as graphs come and go: len(store) reads every quad
    distinct = subjects.result()  # (None: left to the publication's count of the store)
    store.flush()
    if optimize or (optimize is None and fresh and out is not None and bool(todo)):
        progress.phase("compacting the store")
        store.optimize()
    token = None  #: what the store is made of: the state file's SHA-256
    if state_path is not None:
        text = json.dumps({"fingerprint": fingerprint, "sources": known, "gone": gone, "triples": triples},
                          sort_keys=True, separators=(",", ":")) + "\n"
        state_path.write_text(text, encoding="utf-8")
        token = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if distinct is not None:  # beside the state: the token stays what the store is made of
            write_known(state_path, text, distinct)
    texts.close()
    if marker is not None:
        marker.unlink(missing_ok=True)
    if out is not None:
        from .publish import Publication, publish  # imported when a build publishes: commands start faster

        report.published = Publication()
        versions = _versions(known, fingerprint)
        publish(store, out, iris, report.rejected, gone=[g[len(iris.base):] for g in gone if g.startswith(iris.base)],
                progress=progress, reuse=not full, report=report.published, token=token,
                versions=None if full else versions, triples=triples, subjects=distinct)
        if distinct is None and report.published.subjects is not None and state_path is not None:
            write_known(state_path, text, report.published.subjects)  # for the next build
    return report
