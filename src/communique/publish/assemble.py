"""Writing the publication's resources — documents and pages — in worker processes.

Each statement is read once (:class:`~.reading.Descriptions`) for its document, its page, the
documents and pages of its recognition acts, and what the documents of parties need of it (the
triples that point to the statement or to a party: :func:`~.corpus.graph_links`). Statements go
in chunks, in the order of their paths, to worker processes forked from this one (on a store on
disk, with at least :data:`PARALLEL_MIN` statements): each opens the store read-only and writes
the files of its chunk, which no other process writes, and sends back what the pages of parties
and the indexes need, with the lines of its statements' graphs. This process takes the chunks'
results in chunk order and merges them; workers forked then (they see the merged results) write
the documents of parties and the pages that need every statement (:class:`~.sitepages.SitePages`),
one task per file, the largest first, while this process writes the dumps: from the graphs' lines
as the chunks read them (sorted runs: the store is read once), or, publishing again with the
versions of the graphs, from the members of the earlier dumps and the graphs that changed
(:mod:`.members`; the chunks then write no runs). Every file is the same whatever the scheduling; in a
single process the same steps run in the same order.
"""

from __future__ import annotations

import gc
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, TypeVar

from ..iris import IRIs
from ..progress import Progress
from ..stopping import worker_started
from ..store import GraphStore
from .chunks import Chunk, Fresh, Merged, Shared
from .corpus import GraphLinks, graph_links
from .dataset import GraphSource
from .documents import Plan, Resource, document_files, plan, write_document
from .dumps import Lines, SortedRuns
from .fingerprint import Fingerprints
from .forking import PARALLEL_MIN, fork_pool, frozen, parallel, pool_map, reopen, uncollected
from .graphcache import GraphCache, Row
from .graphsource import GraphReader, quad_lines
from .pages import Site, environment, statement_graph
from .otherdocs import inputs_path, write_documents
from .pagerecord import PageRecord, seal
from .piece import Heads, Piece, pack_heads, unpack_heads
from .reuse import OWNED, DocumentRow, Reuse
from .sitepages import SitePages

__all__ = ["CHUNK", "PARALLEL_MIN", "ResourceWriter", "parallel"]

#: statements per task: enough to outweigh the messages, few enough to keep the workers even
CHUNK = 25
#: the heads of the statements are packed together again past this many stale ones (each read from
#: its row, ~0.2 ms; packing them all takes seconds at 100,000 statements)
STALE_MAX = 1000
T = TypeVar("T")
#: once every statement is read: ("document", n) of :attr:`ResourceWriter.others`, ("page", page
#: task), or ("heads", None): the heads of the statements packed for the record
_Task = tuple[str, Any]
#: what a task did: the paths of the files it wrote (but the documents of resources), the
#: documents of parties it wrote, for the record of :class:`Reuse`, and the heads it packed (or None)
_Done = tuple[list[str], list[DocumentRow], bytes | None]


#: the writer a forked worker runs (inherited, never pickled)
_WRITER: ResourceWriter | None = None


def _writer() -> ResourceWriter:
    if _WRITER is None:
        raise RuntimeError("worker started without a writer")
    return _WRITER


def _start_worker() -> None:
    worker_started()
    _writer().reopen()


def _run_chunk(bounds: tuple[int, int]) -> Chunk:
    return _writer().chunk(*bounds)


def _run_task(task: _Task) -> _Done:
    return _writer().run(task)


class ResourceWriter:
    """The documents and pages of every resource of ``store`` into ``out``."""

    def __init__(self, store: GraphStore, iris: IRIs, out: Path, reuse: Reuse | None = None,
                 cache: GraphCache | None = None) -> None:
        self.out = out
        #: where the statements' graphs are read from when they were read before (None: the store)
        self.cache = cache
        #: the record of an earlier publication into ``out`` (None: every file is written)
        self.reuse = reuse
        self.kept = 0  #: statements whose files were kept from the earlier publication
        self.iris = iris
        self.publication: Plan = plan(store, iris, cache)
        self.resources = self.publication.resources
        self.site = Site(store, iris, self.resources)
        self.env = environment()
        self.descriptions = self.publication.descriptions
        self.statements = self.publication.of_kind("statement")
        corpus = self.publication.corpus
        mine = {f"<{r.iri}>" for r in self.statements}
        self.acts_of: dict[str, list[Resource]] = defaultdict(list)  #: statement IRI → its acts
        self.others: list[Resource] = []  #: the other resources (but statements)
        for res in self.resources:
            graph = corpus.act_graph.get(f"<{res.iri}>") if res.kind == "act" else None
            if graph is not None and graph in mine:
                self.acts_of[graph[1:-1]].append(res)
            elif res.kind != "statement":
                self.others.append(res)
        self._pool: Pool | None = None
        self.pages: SitePages | None = None
        self.versions: dict[str, str] | None = None  #: of every graph (terms), once every statement is read
        self.runs: SortedRuns  #: the N-Quads lines of the graphs, for the dumps (during :meth:`write`)
        #: whether the chunks write their statements' lines into :attr:`runs` (see :meth:`.GraphReader.dumps_planned`)
        self.runs_wanted = True
        #: the heads of the statements packed together (:meth:`.Reuse.heads`), until unpacked, and
        #: those of them that are stale; the chunks then do not send the heads of the statements
        #: they keep by version
        self.heads: bytes | None = None
        self.stale: set[str] = set()
        self.heads_kept = False
        self.heads_read = False  #: whether the heads packed together could be read
        self.merged = Merged()  #: the pieces of the statements, once read
        #: where the graphs are read from (the cache or the store)
        self.graphs = GraphReader(self.publication, cache)
        #: what a statement's files are made of (None: files are not kept)
        self.fingerprint = Fingerprints(self.resources, iris.base, self.descriptions.described if
                                        self.descriptions.exact else None) if reuse is not None else None

    def reopen(self) -> None:
        """In a forked worker: read the store through a handle of its own."""
        store = reopen(self.publication.store)
        self.publication.store = self.publication.corpus.store = self.descriptions.store = store

    # -- the work of a chunk of statements, in whichever process --------------------------------
    def chunk(self, start: int, stop: int, by_version: bool = True) -> Chunk:
        """Documents and pages of statements ``start:stop`` and of their acts (kept as they are when
        :attr:`reuse` has them; ``by_version``: without reading the graph of a statement whose
        version and dependencies are as recorded)."""
        base, entities, reuse, fingerprint = self.iris.base, self.descriptions.entities, self.reuse, self.fingerprint
        pieces: list[Piece | bytes | None] = []
        fresh: list[Fresh] = []
        graphs: list[Row] = []
        kept = 0
        quads: list[str] | None = [] if self.runs_wanted else None
        # publishing again with the versions of the graphs and no runs to write, a statement whose
        # graph and whatever else its files depend on are as recorded is not read at all
        versions = self.graphs.cache.versions if self.graphs.cache is not None else {}
        by_version = by_version and reuse is not None and fingerprint is not None and not self.runs_wanted \
            and self.descriptions.exact
        for res in self.statements[start:stop]:
            version = versions.get(res.iri)
            packed = reuse.lookup_version(res.iri, version, fingerprint.unchanged, not self.heads_kept) \
                if by_version and reuse is not None and fingerprint is not None and version is not None else None
            if packed is not None:
                kept += 1
                pieces.append(packed or None)  # (None: its head is among the heads of the main process)
                continue
            text, row = self.graphs.statement(res.iri)
            if row is not None:
                graphs.append(row)
            own, lines, whole = self.descriptions.read(res.iri, text)
            mine = quad_lines(res.iri, own) if whole else None
            if quads is not None and mine is not None:
                quads += mine
            else:
                quads = None
            key = fingerprint(lines) if fingerprint is not None and mine is not None else None
            piece = reuse.lookup(res.iri, key) if reuse is not None and key is not None else None
            written = piece is None
            if piece is None:
                piece = self._statement(res, own, lines, whole, graph_links(res.iri, own, base, entities) if whole else None)
            else:
                kept += 1
            # recorded when written, or when kept while its record did not have its graph's version
            if reuse is not None and fingerprint is not None and key is not None and piece.links is not None \
                    and (written or (by_version and version is not None)):
                files = reuse.files(self._documents(res) + piece.written)
                if files is not None:
                    fresh.append((res.iri, key, files, *piece.pack(), version or "", fingerprint.depends(lines)))
            pieces.append(piece)
        if quads is not None:
            SortedRuns.write(self._run(start), quads)
        return Chunk(pieces, None if quads is None else len(quads), fresh, kept, graphs)

    def _statement(self, res: Resource, own: list[str], lines: list[str], whole: bool,
                   found: GraphLinks | None) -> Piece:
        """Write the documents and pages of statement ``res`` and of its acts."""
        site = self.site
        site.summaries, site.acts, site.holders = [], [], defaultdict(list)
        data = write_document(self.out, res.path, lines)
        written = site.statement(self.env, self.out, res, statement_graph(data))
        for act in self.acts_of.get(res.iri, ()):
            write_document(self.out, act.path, self.publication.document(
                act, own if whole else None, found[2] if found is not None else None))
        holders = [(office, person) for office, held in site.holders.items() for person, _ in held]
        if self.reuse is not None:  # the pages of parties and the indexes read its digest
            seal(site.summaries[0])
        return Piece(written, site.summaries[0], site.acts, holders, found)

    def _documents(self, res: Resource) -> list[str]:
        """The site paths of the documents of statement ``res`` and of its acts (their pages aside)."""
        return [file for r in (res, *self.acts_of.get(res.iri, ())) for file in document_files(r.path)]

    def _run(self, start: int) -> Path:
        return self.runs.folder / f"statements-{start:09d}.nq"

    # -- the whole ------------------------------------------------------------------------------
    @contextmanager
    def _workers(self, count: int) -> Iterator[None]:
        """Worker processes forked now (they see this process as it is), for :meth:`_map`."""
        global _WRITER
        _WRITER = self
        try:
            with fork_pool(count, _start_worker, (self.reuse, self.cache)) as self._pool:
                yield
        finally:
            _WRITER = None
            self._pool = None

    def _map(self, fn: Callable[[Any], T], tasks: list[Any], ordered: bool = True) -> Iterator[T]:
        """``fn`` over ``tasks`` in the workers (as they end when not ``ordered``), or here."""
        return pool_map(self._pool, fn, tasks, ordered)

    def write(self, meanwhile: Callable[[Lines | None, GraphSource | None], T], jobs: int | None = None,
              progress: Progress | None = None) -> tuple[list[str], T]:
        """Every document and page, with ``jobs`` processes (default: the usable cores; one for a
        store in memory or a small corpus); return the paths of the pages (in no order), and what
        ``meanwhile`` returns: it runs here while the workers write the pages that need every
        statement, and is given what reads the lines of ``store.nquads()`` again (or None) and the
        versions of the graphs with what reads each one (or None: see :meth:`.GraphReader.source`)."""
        self.runs = SortedRuns()
        self.runs_wanted = not self.graphs.dumps_planned(self.reuse, self.out, self.statements)
        self.heads, self.stale = self.reuse.heads() if self.reuse is not None else (None, set())
        self.heads_kept = self.heads is not None
        try:
            self.runs.make()
            with frozen():
                return self._write(meanwhile, jobs, progress if progress is not None else Progress())
        finally:
            self.runs.remove()
            self.publication.corpus.links.loader = None  # a bound method of this writer

    def _write(self, meanwhile: Callable[[Lines | None, GraphSource | None], T], jobs: int | None,
               progress: Progress) -> tuple[list[str], T]:
        count = min(jobs or len(os.sched_getaffinity(0)), max(1, len(self.statements) // CHUNK))
        if not parallel(self.publication.store, len(self.statements), count):
            count = 1
        site = self.site
        bounds = [(i, min(i + CHUNK, len(self.statements))) for i in range(0, len(self.statements), CHUNK)]
        merged = self.merged = Merged()
        complete = True  #: every run of N-Quads lines is there
        progress.phase("publishing statements", len(self.statements))
        with self._workers(count), uncollected():
            shared = Shared()
            chunks = self._map(_run_chunk, bounds)
            heads = self._unpack_heads()  # while the workers start
            for (start, stop), chunk in zip(bounds, chunks):
                progress.step(stop - start)
                for n, found in enumerate(chunk.pieces, start=start):
                    if found is None:
                        piece = self._kept(n, heads, shared)
                    elif isinstance(found, bytes):
                        piece = self._unpacked(n, found, shared)
                    else:
                        piece = found
                        if count > 1:  # its own copies of the same links and names
                            shared.piece(piece)
                    merged.add(self.statements[n].iri, piece)
                self._record(chunk)
                if chunk.quads is None:
                    complete = False
                else:
                    self.runs.add(self._run(start), chunk.quads)
        gc.freeze()  # the pieces, held until the end: out of the collector's walks from now on
        site.summaries, site.acts, site.holders = merged.summaries, merged.acts, merged.holders
        written, links = merged.written, merged.links
        if self.cache is not None:
            self.cache.keep()
        if self.reuse is not None:  # (the files that are no more are removed by Reuse.finish)
            self.reuse.keep(r.iri for r in self.statements)
        complete = self.graphs.read_others(links, self.runs, self.reuse) and complete
        source = self.graphs.source(self.statements)  # every graph's version: the parties' documents are kept by them
        self.versions = source.versions if source is not None else None
        self.pages = SitePages(self.env, site, self.out, self.resources,
                               PageRecord(self.reuse) if self.reuse is not None else None)
        known = self.publication.corpus.links
        # the largest first, so that the workers end together (a backlink weighs some lines to write)
        sized: list[tuple[int, _Task]] = [(4 * known.count(f"<{r.iri}>"), ("document", n))
                                          for n, r in enumerate(self.others)]
        sized += [(size, ("page", task)) for size, task in self.pages.tasks()]
        if self.reuse is not None and (not self.heads_read or self.reuse.stale_heads() > STALE_MAX):
            sized.append((sys.maxsize, ("heads", None)))  # packed by a worker (seconds at 100,000), first
        tasks = [task for _, task in sorted(sized, key=lambda st: -st[0])]
        # the runs hold the lines of store.nquads() when there are as many as the store has quads
        # (none in the default graph)
        whole = complete and self.runs.count == len(self.publication.store)
        with self._workers(count):
            done = self._map(_run_task, tasks, ordered=False)
            progress.phase("writing the dumps")  # while the workers write the parties' documents and the pages
            result = meanwhile(self.runs.lines if whole else None, source)
            progress.phase("publishing parties and pages", len(tasks))
            for paths, rows, heads in done:
                progress.step()
                written += paths
                if self.reuse is not None:
                    self.reuse.record_documents(rows)
                    if heads is not None:  # each the head of its statement's row now
                        self.reuse.record_heads(heads)
        if self.reuse is not None:  # the documents of parties and the pages that are no more
            documents = [r.path for r in self.others] + [p[:-len(".nt")] for p in written if p.endswith(".nt")]
            pages = [p for p in written if p.endswith(".html") and not p.startswith(OWNED)]
            self.reuse.keep_documents([*documents, *pages, *map(inputs_path, documents)])
        return written, result

    def _unpack_heads(self) -> Heads:
        """The heads of the statements packed together, but the stale ones (none when the record
        had none, or none this code can read)."""
        packed, self.heads = self.heads, None
        heads = unpack_heads(packed) if packed is not None else None
        self.heads_read = heads is not None
        if heads is None:
            return {}
        for iri in self.stale:
            heads.pop(iri, None)  # (read from its row)
        return heads

    def _kept(self, n: int, heads: Heads, shared: Shared) -> Piece:
        """The piece of statement ``n`` kept by its version, whose head its chunk did not send:
        among the last publication's ``heads``, else read from the record."""
        head = heads.get(self.statements[n].iri)
        if head is not None:  # (its parts shared with those of the other heads already)
            return head
        packed = self.reuse.head(self.statements[n].iri) if self.reuse is not None else None
        return self._unpacked(n, packed or b"", shared)

    def _unpacked(self, n: int, packed: bytes, shared: Shared) -> Piece:
        """The piece of statement ``n`` kept by its version (:meth:`.Reuse.lookup_version`); when
        the record holds what this code cannot read, the statement is published again, here."""
        piece = shared.unpack(packed)
        if piece is not None:
            return piece
        redone = self.chunk(n, n + 1, by_version=False)
        self.kept -= 1  # counted as kept by its chunk
        self._record(redone)
        found = redone.pieces[0]
        if isinstance(found, bytes):
            raise TypeError("a statement published again without its version came back packed")
        shared.piece(found)
        return found

    def _record(self, chunk: Chunk) -> None:
        """Record what ``chunk`` wrote and read, and count what it kept."""
        if self.reuse is not None:
            self.reuse.record(chunk.fresh)
        if self.cache is not None and chunk.graphs:
            self.cache.add(chunk.graphs)
        self.kept += chunk.kept

    def run(self, task: _Task) -> _Done:
        """The document of another resource, or a page written once every statement is read: the
        paths of the files written (but the documents of resources, listed with them), the
        documents of parties written (see :func:`.otherdocs.write_documents`); or the heads of
        the statements packed (:func:`.pack_heads`)."""
        kind, what = task
        if kind == "heads":
            return [], [], pack_heads(self.merged.heads)
        if kind == "page" and self.pages is not None:
            paths = self.pages.run(what)
            return paths, self.pages.kept.rows() if self.pages.kept is not None else [], None
        return (*write_documents(self.publication, self.out, self.others[what], self.reuse, self.versions), None)
