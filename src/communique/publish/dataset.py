"""The dataset around the pages: VoID and DCAT description, dumps with checksums, sitemap, robots.txt.

Everything is deterministic: dumps are gzipped with a zero timestamp in members that depend only on
the data, and the only dates are the data's.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from ..errors import StoreError
from ..iris import IRIs
from ..namespaces import CQ_NS, OA, ORG, OWL, PREFIXES, PROV, SCHEMA, SKOS
from ..stopping import held, worker_started
from ..store import GraphStore
from .dumps import Lines, StaleMember, sorted_nquads, write_gzipped_dumps
from .members import GraphLines, changed_graphs, plan_members

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from .reuse import Reuse

__all__ = ["DUMP_FILES", "Counting", "Counts", "Dump", "count", "GraphSource", "write_dumps", "dataset_graph", "write_sitemap", "write_robots", "SITEMAP_LIMIT",
           "LINK_TARGETS"]

SPDX = Namespace("http://spdx.org/rdf/terms#")
SITEMAP_LIMIT = 50_000
#: the dumps, N-Quads and Turtle (site paths)
DUMP_FILES = ("dumps/communique.nq.gz", "dumps/communique.ttl.gz")
#: owl:sameAs targets described as linksets: name → (title, URI space)
LINK_TARGETS = {
    "wikidata": ("Wikidata", "http://www.wikidata.org/entity/"),
    "dbpedia": ("DBpedia", "http://dbpedia.org/resource/"),
    "geonames": ("GeoNames", "https://sws.geonames.org/"),
}
_MEDIA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Dump:
    path: str  #: relative to the output folder
    media_type: str
    sha256: str
    size: int


@dataclass
class GraphSource:
    """The graphs of the store as the dumps may read them: the version of each (its name as a
    term → version) and what reads the N-Quads lines of one."""

    versions: dict[str, str]
    lines: GraphLines


def write_dumps(store: GraphStore, out: Path, nquads: Lines | None = None, record: Reuse | None = None,
                graphs: GraphSource | None = None) -> list[Dump]:
    """The whole dataset as gzipped N-Quads (named graphs kept) and Turtle (merged), written in
    members (see :mod:`.dumps`) at :data:`.dumps.LEVEL`. ``nquads``: what reads the lines of
    ``store.nquads()``, when they were read already; ``record``: the record of the publication,
    whose earlier dumps' members are copied when their text is the same; ``graphs``: the versions
    of the graphs, with which the members that no changed graph touches are copied without
    reading them (:mod:`.members`)."""
    nq, ttl = DUMP_FILES
    if nquads is None:
        read: list[str] = []

        def nquads() -> Iterator[str]:  # the lines, read once, when they are needed
            if not read:
                read.extend(sorted_nquads(store))
            return iter(read)
    earlier = record.earlier_dumps(out / nq, out / ttl) if record is not None else None
    written = None
    if earlier is not None and earlier.graphs is not None and earlier.members and graphs is not None:
        plan = plan_members(earlier.members, changed_graphs(earlier.graphs, graphs.versions), graphs.lines)
        try:
            written = write_gzipped_dumps(store, out / nq, out / ttl, nquads, earlier, plan)
        except StaleMember:
            written = None
    if written is None:
        written = write_gzipped_dumps(store, out / nq, out / ttl, nquads, earlier)
    nq_dump, ttl_dump, members = written
    if record is not None:
        record.record_dumps(out / nq, out / ttl, members, graphs.versions if graphs is not None else None)
    return [Dump(nq, "application/n-quads", nq_dump.sha256, nq_dump.size),
            Dump(ttl, "text/turtle", ttl_dump.sha256, ttl_dump.size)]


def _count(store: GraphStore, where: str) -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value) if rows else 0


@dataclass(frozen=True)
class Counts:
    """What the description of the dataset says of the store (:func:`count`)."""

    triples: int
    documents: int  #: statement graphs
    subjects: int  #: distinct subjects
    modified: str | None  #: the latest date of publication
    example: str | None  #: the first statement graph
    links: dict[str, int]  #: name of :data:`LINK_TARGETS` → owl:sameAs triples to it


def count(store: GraphStore, triples: int | None = None, subjects: int | None = None) -> Counts:
    """Count the store for its description (~18 s at 100,000 statements: the distinct subjects are
    read from every quad; ``triples``: its quads, and ``subjects``, its distinct subjects, when
    they were counted already — ``len(store)`` reads every quad too)."""
    names = sorted(store.statement_names())
    dates = list(store.query("SELECT (MAX(STR(?d)) AS ?m) WHERE { ?s <http://schema.org/datePublished> ?d }"))
    links = {name: _count(store, f"?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), \"{space}\"))")
             for name, (_, space) in LINK_TARGETS.items()}
    if subjects is None:
        subjects = _count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
    return Counts(len(store) if triples is None else triples, len(names), subjects,
                  dates[0]["m"].value if dates and dates[0]["m"] is not None else None,
                  names[0] if names else None, links)


#: times the counting process tries to open the store (a read-only handle can fail to open while
#: the store's files are being compacted)
_OPEN_ATTEMPTS = 5


class Counting:
    """:func:`count` of a store while the caller works. A store on disk is counted in a process of
    its own, forked at once with a read-only handle on the store (the distinct subjects alone take
    ~18 s at 100,000 statements; a process lets the caller fork its own workers meanwhile, which a
    thread inside Oxigraph would not); a store in memory in a thread (Oxigraph lets the other
    threads run while it evaluates a query). Take the counts with :meth:`result`."""

    def __init__(self, store: GraphStore, triples: int | None = None, subjects: int | None = None) -> None:
        self._counts: Counts | None = None
        self._error: BaseException | None = None
        self._process: BaseProcess | None = None
        self._thread: threading.Thread | None = None
        self._store, self._triples, self._subjects = store, triples, subjects
        path = store.path if isinstance(store, GraphStore) else None  # (a backend of serve has none)
        if path is not None and "fork" in multiprocessing.get_all_start_methods():
            self._receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
            # a daemon: a command stopped meanwhile does not wait for the count to end
            self._process = multiprocessing.get_context("fork").Process(
                target=_count_in_process, args=(path, triples, subjects, send), name="counting", daemon=True)
            with held():  # a signal now is handled after the fork, not inside its hooks
                self._process.start()
            send.close()  # (this end is the child's: its closing tells the end of the count)
        else:
            self._thread = threading.Thread(target=self._run, name="counting", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._counts = count(self._store, self._triples, self._subjects)
        except BaseException as error:  # raised again by result(), in the caller's thread
            self._error = error

    def result(self) -> Counts:
        """The counts, once they are made (an error of the count is raised here)."""
        if self._process is not None:
            try:
                outcome = self._receive.recv()
            except EOFError:
                outcome = ("error", f"the counting process ended with code {self._process.exitcode}")
            finally:
                self._end(terminate=False)
            if outcome[0] == "counts":
                self._counts = outcome[1]
            else:  # counted here after all (a handle of its own can fail to open while the store compacts)
                self._run()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        if self._counts is None:
            raise RuntimeError("the count of the store ended without a result")
        return self._counts

    def close(self) -> None:
        """Stop counting, when the counts are no longer wanted."""
        self._end(terminate=True)

    def _end(self, terminate: bool) -> None:
        if self._process is not None:
            if terminate:
                self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None


def _count_in_process(path: Path, triples: int | None, subjects: int | None, send: Connection) -> None:
    """The forked process of :class:`Counting`: the counts of the store at ``path``, sent."""
    worker_started()
    try:
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                store = GraphStore(path, read_only=True)
                break
            except (StoreError, OSError, RuntimeError):  # the files of the store changed meanwhile
                if attempt == _OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.2)
        send.send(("counts", count(store, triples, subjects)))
    except (StoreError, OSError, ValueError, RuntimeError) as error:  # (what the store raises)
        send.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        send.close()


def dataset_graph(store: GraphStore, iris: IRIs, dumps: Iterable[Dump], counts: Counts | None = None) -> Graph:
    """VoID and DCAT description of the dataset, its dumps, linksets and SPARQL endpoint
    (``counts``: of ``store``, when they were made already)."""
    counts = counts if counts is not None else count(store)
    g = Graph(bind_namespaces="none")
    for prefix, ns in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "spdx": str(SPDX)}.items():
        g.bind(prefix, ns)
    base = iris.base
    ds, endpoint = URIRef(base + "void"), URIRef(base + "sparql")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Communiqué: official diplomatic statements", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Official diplomatic statements as linked data: speakers and offices, dates and places, the "
        "governments each statement recognizes or refuses to recognize with the sentence that says so, "
        "and every party it mentions, linked to Wikidata, DBpedia and GeoNames.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/publicdomain/zero/1.0/")))
    g.add((ds, DCTERMS.rights, Literal("The statement texts keep the terms of their sources; U.S. government "
                                       "works are in the public domain.", lang="en")))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Quads")))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    for vocabulary in (str(SCHEMA._NS), str(PROV), str(ORG._NS), str(OA._NS), str(SKOS), str(OWL), CQ_NS):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    g.add((ds, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    g.add((ds, VOID.documents, Literal(counts.documents, datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(counts.subjects, datatype=XSD.integer)))
    if counts.modified is not None:
        latest = counts.modified
        g.add((ds, DCTERMS.modified, Literal(latest, datatype=XSD.date if len(latest) == 10 else XSD.gYearMonth)))
    if counts.example is not None:
        g.add((ds, VOID.exampleResource, URIRef(counts.example)))
    for dump in dumps:
        dist = URIRef(base + dump.path)
        checksum = URIRef(f"{base}void#sha256-{dump.path.rsplit('/', 1)[-1]}")
        g.add((ds, VOID.dataDump, dist))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef(_MEDIA + dump.media_type)))
        g.add((dist, DCAT.compressFormat, URIRef(_MEDIA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    g.add((endpoint, RDF.type, DCAT.DataService))
    g.add((endpoint, DCAT.endpointURL, endpoint))
    g.add((endpoint, DCAT.servesDataset, ds))
    g.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((endpoint, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    for name, (title, space) in LINK_TARGETS.items():
        n = counts.links.get(name, 0)
        if not n:
            continue
        linkset, target = URIRef(f"{base}void#{name}"), URIRef(f"{base}void#{name}-target")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, OWL.sameAs))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, Literal(n, datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title)))
        g.add((target, RDFS.label, Literal(title)))
        g.add((target, VOID.uriSpace, Literal(space)))
    return g


def write_sitemap(out: Path, urls: Iterable[tuple[str, str | None]], base: str) -> list[str]:
    """sitemap.xml for (URL, lastmod) pairs; past 50,000 URLs, parts and a sitemap index."""
    entries = sorted(set(urls))
    parts = [entries[i:i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)] or [[]]

    def urlset(items: list[tuple[str, str | None]]) -> str:
        rows = "".join(f"  <url><loc>{escape(u)}</loc>" + (f"<lastmod>{d}</lastmod>" if d and len(d) == 10 else "")
                       + "</url>\n" for u, d in items)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n')

    if len(parts) == 1:
        (out / "sitemap.xml").write_text(urlset(parts[0]), encoding="utf-8")
        return ["sitemap.xml"]
    written = []
    for n, items in enumerate(parts, start=1):
        (out / f"sitemap-{n}.xml").write_text(urlset(items), encoding="utf-8")
        written.append(f"sitemap-{n}.xml")
    index = "".join(f"  <sitemap><loc>{escape(base + name)}</loc></sitemap>\n" for name in written)
    (out / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns='
                                     f'"http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n',
                                     encoding="utf-8")
    return ["sitemap.xml", *written]


def write_robots(out: Path, base: str) -> None:
    (out / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8")
