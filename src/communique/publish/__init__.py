"""Publish: the store as a static linked-data site in an output folder (``lod/``).

Layout (every path relative to the output folder; ``P`` is a resource IRI minus the base IRI):

- ``P.ttl``, ``P.jsonld``, ``P.nt``, ``P.html`` for every resource with an IRI: statements
  (``statement/yyyy/mm/dd/slug``), parties (``id/{type}/{slug}``), recognition acts
  (``act/{key}-{n}``), the graph of party descriptions (``graph/entities``), the dataset (``void``).
- ``ns.html``, ``ns/{Class}.html`` and ``ns/property/{property}.html``: the ontology's documentation; ``ns.ttl``/``ns.jsonld``/``ns.nt``.
- ``index.html`` (with the indexes by date, speaker and country under ``index/``) and one
  recognition timeline per country under ``timeline/``.
- ``dumps/communique.nq.gz`` and ``dumps/communique.ttl.gz``; ``sitemap.xml`` (an index of parts past
  50,000 URLs); ``robots.txt``; ``.well-known/void``; ``.htaccess`` for Apache.
- IRIs described inside a statement's document (``annotation/…``, ``attribution/…``, ``source/…``,
  ``activity/…``) have no file of their own: they redirect to their statement's document, whose
  path their key spells (``{date}-{slug}`` → ``statement/{yyyy}/{mm}/{dd}/{slug}``).

The documents and pages are written by :mod:`.assemble`, in worker processes when the store is on
disk and large enough; every file is the same whatever the number of processes.
"""

from __future__ import annotations

import gc
import json
import shutil
from dataclasses import dataclass
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..export import serialize
from ..iris import IRIs, slugify
from ..progress import Progress
from ..store import GraphStore
from .dataset import Counting, Counts, Dump, GraphSource, dataset_graph, write_dumps, write_robots, write_sitemap
from .dumps import Lines
from .graphcache import GraphCache, cache_path
from .hosting import write_hosting
from .reuse import DUMPS, OWNED, PAGES, PARTIES, Reuse, reuse_path

if TYPE_CHECKING:
    from ..build import Rejected

__all__ = ["publish", "GENERATED", "Publication"]

#: what a build owns in the output folder (removed and written anew on every build)
GENERATED = ("statement", "id", "refs", "act", "graph", "index", "timeline", "ns", "dumps", "rejected", ".well-known",
             "index.html", "ns.html", "ns.ttl", "ns.nt", "ns.jsonld", "void.ttl", "void.nt", "void.jsonld",
             "void.html", "sitemap.xml", "robots.txt", ".htaccess", "nginx.conf", "rejected.json", "gone.txt")


@dataclass
class Publication:
    """How many statements a publication wrote, and how many it kept as they were."""

    written: int = 0
    kept: int = 0
    untouched: bool = False  #: nothing was written: the folder was the publication of the same store
    subjects: int | None = None  #: the distinct subjects of the store, when it counted them


def _clean(out: Path, keep: tuple[str, ...] = ()) -> None:
    if not out.exists():
        return
    for name in GENERATED:
        if name in keep:
            continue
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for part in out.glob("sitemap-*.xml"):
        part.unlink()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _dataset(store: GraphStore, iris: IRIs, out: Path, nquads: Lines | None, record: Reuse | None,
             graphs: GraphSource | None, counts: Counts) -> tuple[list[Dump], str]:
    """The dumps (of ``nquads``, what reads the lines of ``store.nquads()``, when they were read;
    copying the members of the earlier dumps of ``record``), and the N-Triples of the dataset's
    description (with the ``counts`` of the store)."""
    dumps = write_dumps(store, out, nquads, record, graphs)  # (what else is in dumps/ goes at Reuse.finish)
    void = dataset_graph(store, iris, dumps, counts).serialize(format="nt")
    return dumps, "".join(sorted(void.splitlines(keepends=True)))


def publish(store: GraphStore, out: Path, iris: IRIs, rejected: Iterable[Rejected] = (),
            gone: Iterable[str] = (), jobs: int | None = None, progress: Progress | None = None,
            reuse: bool = True, report: Publication | None = None, token: str | None = None,
            versions: Mapping[str, str] | None = None, triples: int | None = None,
            subjects: int | None = None) -> list[str]:
    """Write the whole static site of ``store`` into ``out``; returns the relative paths written.

    ``jobs``: processes writing the documents and pages of statements (default: the usable cores);
    ``progress``: told each phase (reading the corpus, statements, dumps, parties and pages);
    ``reuse``: keep the files of statements that are as they were last published into ``out`` from
    this store (a store on disk; see :mod:`.reuse`), else write everything; ``report``: filled in
    with how many statements were written and kept; ``token``: what the store, ``rejected`` and
    ``gone`` are (``build`` gives the SHA-256 of its state file): when the last publication into
    ``out`` was made from the same token and every file of it is as it was written, nothing is
    written at all. ``versions``: the version of each statement graph (``build`` gives them): the
    text of a graph at a version read before is read from :mod:`.graphcache` instead of the store.
    ``triples``: the number of quads of the store, when the caller knows it (``build`` counts them
    as graphs come and go), for the description of the dataset; ``subjects``: its distinct subjects,
    likewise (else they are counted, and the count is given in ``report``)."""
    on_disk = isinstance(store, GraphStore) and store.path is not None
    cache = GraphCache(cache_path(store.path), versions) if versions is not None and on_disk else None
    record = Reuse(reuse_path(store.path), out, iris.base) if reuse and on_disk else None
    try:
        if cache is not None:
            cache.start()
        if record is None:
            return _publish(store, out, iris, rejected, gone, jobs, progress, None, report, cache, triples, subjects)
        record.start()
        done = record.unchanged(token, _generated(out)) if token is not None else None
        if done is not None:
            if report is not None:
                report.kept, report.written, report.untouched = done[1], 0, True
            return done[0]
        report = report if report is not None else Publication()
        written = _publish(store, out, iris, rejected, gone, jobs, progress, record, report, cache, triples, subjects)
        record.finish(token, written, report.written + report.kept, _generated(out))
        return written
    finally:
        for opened in (record, cache):
            if opened is not None:
                opened.close()


def _generated(out: Path) -> list[str]:
    """The names under ``out`` that a publication owns, as they are now."""
    return [*GENERATED, *sorted(p.name for p in out.glob("sitemap-*.xml"))]


def _publish(store: GraphStore, out: Path, iris: IRIs, rejected: Iterable[Rejected], gone: Iterable[str],
             jobs: int | None, progress: Progress | None, record: Reuse | None,
             report: Publication | None, cache: GraphCache | None, triples: int | None,
             subjects: int | None) -> list[str]:
    from .assemble import ResourceWriter
    from .forking import frozen, uncollected
    from .ontology_docs import write_ontology_docs
    from .pages import write_void_page

    _clean(out, keep=(*OWNED, *PARTIES, *PAGES, DUMPS) if record is not None else ())
    out.mkdir(parents=True, exist_ok=True)
    progress = progress if progress is not None else Progress()
    progress.phase("reading the corpus")
    counting = Counting(store, triples, subjects)  # the store is counted for its description meanwhile
    try:
        with frozen():
            with uncollected():  # what is read now is held until the end: out of the collector's walks
                writer = ResourceWriter(store, iris, out, record, cache)
                gc.freeze()
            resources = writer.resources
            written, (dumps, void_nt) = writer.write(
                lambda lines, graphs: _dataset(store, iris, out, lines, record, graphs, counting.result()),
                jobs, progress)
    finally:
        counting.close()
    if report is not None:
        report.kept = writer.kept
        report.subjects = counting.result().subjects if subjects is None else None  # (made once)
        report.written = len(writer.statements) - writer.kept
    progress.phase("describing the dataset")
    written += write_ontology_docs(out)
    written += [f"{r.path}{suffix}" for r in resources for suffix in (".ttl", ".nt", ".jsonld")]
    written += [d.path for d in dumps]
    for fmt, suffix in (("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")):
        _write(out / f"void{suffix}", serialize(void_nt, fmt))
        written.append(f"void{suffix}")
    _write(out / ".well-known" / "void", serialize(void_nt, "turtle"))
    written += [".well-known/void", write_void_page(out, iris, void_nt)]
    urls = [(r.iri, r.date) for r in resources if r.kind != "graph"] + [(iris.base, None), (iris.base + "void", None)]
    # the listings of the periods of parties referred to by too many statements for one document
    urls += [(iris.base + path[:-len(".html")], None) for path in written if path.startswith("refs/") and path.endswith(".html")]
    written += write_sitemap(out, urls, iris.base)
    write_robots(out, iris.base)
    written += ["robots.txt", *write_hosting(out, iris.base)]
    gone = sorted(set(gone))
    if gone:
        _write(out / "gone.txt", "".join(f"{path}\n" for path in gone))
        written.append("gone.txt")
    rows = []
    for r in sorted(rejected, key=lambda r: r.source):
        rows.append({"source": r.source, "reasons": list(r.reasons)})
        if r.turtle:
            _write(out / "rejected" / f"{slugify(r.source)}.ttl", r.turtle)
    _write(out / "rejected.json", json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    return sorted(set(written + ["rejected.json"]))
