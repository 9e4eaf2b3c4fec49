"""The measurements behind ``benchmarks/run``: the project's build stage by stage, the naive way, SPARQL.

Each size is measured in fresh child processes (``run --child project|naive``), so that the peak
resident set size (``ru_maxrss``) of each is its own. A child writes its figures as JSON; the parent
prints them. Every measurement is guarded: a failing one records its error and the others go on.

The project's way is ``communique.pipeline.build`` itself, run as the CLI runs it (worker processes,
on-disk store). Its stages are timed by wrapping, for the duration of the call, the public functions
it calls — ``documents``, ``read_statement``, ``statement_graph``, ``validate_graph`` and the
``GraphStore`` writes (plus the build module's N-Triples hand-off and entity closure, when present) —
wherever a ``communique`` module refers to them. Worker processes are forked, so they inherit the
wrappers and add their time to shared counters. No pipeline logic is copied here: if ``build``
changes, the figures follow.

The naive way does the same work with rdflib alone: the same parse/extract/map code, every graph
in one in-memory rdflib ``Dataset`` (a named graph per statement) and one union ``Graph``, pySHACL
on the whole graph at once, rdflib serializers on the whole graph, PyLD framing per statement, and
SPARQL with rdflib's engine.
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import json
import math
import multiprocessing as mp
import os
import platform
import resource
import shutil
import statistics
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "STAGES",
    "ensure_corpus",
    "machine",
    "naive_child",
    "project_child",
    "queries",
    "render_size",
    "render_summary",
]

STAGES = ("parse", "extract", "map", "validate", "store")
HERE = Path(__file__).resolve().parent

#: function name → stage, for every communique module that refers to it
_FUNCTIONS = {"discover": "parse", "documents": "parse", "source_hash": "parse", "read_statement": "extract",
              "statement_graph": "map", "statement_triples": "map", "validate_graph": "validate",
              "validate_triples": "validate", "_nt": "store", "quad_lines": "store", "triple_lines": "store",
              "_entities_closure": "store", "statistics_lines": "store"}
_GENERATORS = {"discover", "documents"}
#: GraphStore method → stage
_STORE_METHODS = {"load_ntriples": "store", "load_nquads": "store", "bulk_load_file": "store", "replace_graph": "store", "remove_graph": "store", "clear": "store",
                  "flush": "store", "__len__": "store", "graph_names": "store"}


def now() -> float:
    return time.perf_counter()


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its terminated children (build workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _cpu_split() -> tuple[float, float]:
    """CPU seconds of this process, and of its terminated children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "?"


def rss_mb() -> dict[str, float]:
    """Peak resident set size of this process and of its largest waited-for child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "children": round(children, 1)}


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:160]


class Cells:
    """Named timings and errors of one child, JSON-ready."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {"cells": {}, "cpu": {}, "errors": {}, "notes": []}

    def timed(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn``; record its wall time under ``name``, or its error (and return None)."""
        print(f"  [{time.strftime('%H:%M:%S')}] {name} …", file=sys.stderr, flush=True)
        started, cpu, split = now(), _cpu(), _cpu_split()
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure and goes on
            self.data["errors"][name] = _error(exc)
            traceback.print_exc(file=sys.stderr)
            return None
        self.data["cells"][name] = now() - started
        self.data["cpu"][name] = _cpu() - cpu
        self.data.setdefault("cpu_split", {})[name] = [x - y for x, y in zip(_cpu_split(), split)]
        return result

    def note(self, text: str) -> None:
        self.data["notes"].append(text)


# -- timing the stages of build() ---------------------------------------------------------------

class StageClock:
    """Wall and CPU seconds and calls per wrapped function, in this process and in forked workers.

    The counters live in shared memory created before the workers fork, so a worker's calls add
    to them. CPU time (``time.process_time``) is what a stage costs: with more busy processes than
    cores, the wall time inside a worker also counts the time it waited for a core.
    """

    def __init__(self, stage_of: dict[str, str]) -> None:
        self.stage_of = dict(stage_of)  #: function label → stage
        self.labels = list(stage_of)
        self.main = os.getpid()
        n = max(len(self.labels), 1) * 2
        self.wall = mp.Array("d", n)
        self.cpu = mp.Array("d", n, lock=False)
        self.calls = mp.Array("q", n, lock=False)
        self.active = False  # per process: an outer wrapper is running (no double counting)

    def add(self, label: str, wall: float, cpu: float) -> None:
        i = self.labels.index(label) * 2 + (0 if os.getpid() == self.main else 1)
        with self.wall.get_lock():
            self.wall[i] += wall
            self.cpu[i] += cpu
            self.calls[i] += 1

    def functions(self) -> dict[str, dict[str, Any]]:
        return {label: {"stage": self.stage_of[label], "main": self.cpu[2 * k], "workers": self.cpu[2 * k + 1],
                        "wall_main": self.wall[2 * k], "wall_workers": self.wall[2 * k + 1],
                        "calls": self.calls[2 * k] + self.calls[2 * k + 1]}
                for k, label in enumerate(self.labels)}

    def snapshot(self) -> dict[str, dict[str, float]]:
        """Per stage: CPU (main, workers), wall (main, workers) and calls, summed over its functions."""
        out = {s: {"main": 0.0, "workers": 0.0, "wall_main": 0.0, "wall_workers": 0.0, "calls": 0} for s in STAGES}
        for f in self.functions().values():
            for key in ("main", "workers", "wall_main", "wall_workers", "calls"):
                out[f["stage"]][key] += f[key]
        return out

    def wrap(self, fn: Callable[..., Any], label: str, generator: bool = False) -> Callable[..., Any]:
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            if clock.active:
                return fn(*args, **kwargs)
            clock.active = True
            started, cpu = now(), time.process_time()
            try:
                result = fn(*args, **kwargs)
                if generator:
                    result = iter(list(result))
                return result
            finally:
                clock.add(label, now() - started, time.process_time() - cpu)
                clock.active = False

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


@contextlib.contextmanager
def instrument() -> Iterator[StageClock]:
    """Wrap the stage functions wherever a communique module refers to them, for the duration."""
    import communique.pipeline  # noqa: F401 - imports build and everything it uses
    from communique.store import GraphStore

    modules = [m for n, m in sorted(sys.modules.items()) if n == "communique" or n.startswith("communique.")]
    targets: list[tuple[list[tuple[object, str]], Callable[..., Any], str, str, bool]] = []
    for name, stage in _FUNCTIONS.items():
        originals = {id(f): f for m in modules
                     if callable(f := getattr(m, name, None)) and getattr(f, "__name__", "") == name}
        for fn in originals.values():
            owners = [(m, name) for m in modules if getattr(m, name, None) is fn]
            label = f"{getattr(fn, '__module__', '?').rsplit('.', 1)[-1]}.{name}"
            targets.append((owners, fn, label, stage, name in _GENERATORS))
    for name, stage in _STORE_METHODS.items():
        fn = GraphStore.__dict__.get(name)
        if fn is not None:
            targets.append(([(GraphStore, name)], fn, f"GraphStore.{name}", stage, False))
    clock = StageClock({label: stage for _, _, label, stage, _ in targets})
    undo: list[tuple[object, str, object]] = []
    for owners, fn, label, _, generator in targets:
        wrapper = clock.wrap(fn, label, generator)
        for owner, name in owners:
            undo.append((owner, name, fn))
            setattr(owner, name, wrapper)
    try:
        yield clock
    finally:
        for owner, name, fn in reversed(undo):
            setattr(owner, name, fn)


# -- SPARQL ------------------------------------------------------------------------------------

PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX cq: <https://w3id.org/communique/ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


#: where build keeps party descriptions and the statistics (the default base IRI)
ENTITIES = "<https://w3id.org/communique/graph/entities>"
STATISTICS = "<https://w3id.org/communique/graph/statistics>"


#: the word of the full-text query (e), and the key of its run through the text index
TERM = "humanitarian"
TEXT_KEY = "e*"


def _days(year: str) -> str:
    """Every day of ``year`` as xsd:date literals (a VALUES list: a date range read from the index)."""
    first = datetime.date(int(year), 1, 1)
    days = (first + datetime.timedelta(days=n) for n in range(366))
    return " ".join(f'"{d.isoformat()}"^^xsd:date' for d in days if d.year == first.year)


def queries(manifest: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The five typical queries, their parameters chosen from the corpus: (key, label, plain SPARQL,
    the project's SPARQL). The plain form is what one would write first; the naive way runs it.
    The project's form returns the same rows, written for Oxigraph's planner: each statement
    graph is named by its statement's IRI, so ``GRAPH ?statement`` reads one graph's index;
    two selective lists in sub-selects of their own are joined by hashing; ``LATERAL`` looks the
    remaining values up once per row; a date range is a ``VALUES`` list of days; an act in a
    statement's graph is asserted in that statement (``cq:assertedIn`` need not be read); counts
    per year and speaker are read from the statistics graph that build keeps."""
    files = manifest["files"]
    speakers = Counter(f["speaker"] for f in files if f["speaker"])
    speaker = speakers.most_common(1)[0][0] if speakers else "Michael R. Pompeo"
    years = Counter(f["date"][:4] for f in files if f["speaker"] == speaker)
    year = years.most_common(1)[0][0] if years else "2019"
    acts = Counter(a["of_country"] for f in files for a in f["acts"] if a.get("of_country"))
    country = "Venezuela" if acts.get("Venezuela") or not acts else acts.most_common(1)[0][0]
    pairs = Counter(tuple(sorted(f["countries"]))[:2] for f in files if len(f["countries"]) >= 2)
    a, b = ("Colombia", "Venezuela") if pairs.get(("Colombia", "Venezuela")) or not pairs \
        else pairs.most_common(1)[0][0]
    term = TERM
    full_text = PREFIXES + f"""
SELECT ?statement ?headline WHERE {{
  ?statement a schema:NewsArticle ; schema:text ?text ; schema:headline ?headline .
  FILTER(CONTAINS(?text, {_lit(term)}))
}} ORDER BY ?statement"""
    return [
        ("a", f"statements of {speaker} in {year}", PREFIXES + f"""
SELECT ?statement ?date ?headline WHERE {{
  ?person schema:name {_lit(speaker)} .
  ?statement schema:author ?person ; schema:datePublished ?date ; schema:headline ?headline .
  FILTER(?date >= "{year}-01-01"^^xsd:date && ?date <= "{year}-12-31"^^xsd:date)
}} ORDER BY ?date ?statement""", PREFIXES + f"""
SELECT ?statement ?date ?headline WHERE {{
  {{ SELECT ?statement WHERE {{
      GRAPH {ENTITIES} {{ ?person schema:name {_lit(speaker)} }}
      GRAPH ?statement {{ ?statement schema:author ?person }} }} }}
  {{ SELECT ?statement ?date WHERE {{
      VALUES ?date {{ {_days(year)} }}
      GRAPH ?statement {{ ?statement schema:datePublished ?date }} }} }}
  LATERAL {{ GRAPH ?statement {{ ?statement schema:headline ?headline }} }}
}} ORDER BY ?date ?statement"""),
        ("b", "statements per year and speaker", PREFIXES + """
SELECT ?year ?speaker (COUNT(?statement) AS ?n) WHERE {
  ?statement schema:author ?person ; schema:datePublished ?date .
  ?person schema:name ?speaker .
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?year ?speaker ORDER BY ?year ?speaker""", PREFIXES + f"""
SELECT ?year ?speaker (SUM(?count) AS ?n) WHERE {{
  GRAPH {STATISTICS} {{ ?obs cq:year ?y ; cq:speaker ?person ; cq:statementCount ?count }}
  GRAPH {ENTITIES} {{ ?person schema:name ?speaker }}
  BIND(xsd:integer(STR(?y)) AS ?year)
}} GROUP BY ?year ?speaker ORDER BY ?year ?speaker"""),
        ("c", f"recognition acts for {country}, Wikidata links", PREFIXES + f"""
SELECT ?date ?statement ?stance ?name ?wikidata WHERE {{
  ?country a schema:Country ; schema:name {_lit(country)} .
  ?act cq:inRespectOf ?country ; cq:stance ?stance ; cq:recognizedParty ?party ; cq:assertedIn ?statement .
  ?statement schema:datePublished ?date .
  ?party schema:name ?name .
  OPTIONAL {{ ?party owl:sameAs ?wikidata FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/")) }}
}} ORDER BY ?date ?statement ?name""", PREFIXES + f"""
SELECT ?date ?statement ?stance ?name ?wikidata WHERE {{
  GRAPH {ENTITIES} {{ ?country a schema:Country ; schema:name {_lit(country)} }}
  GRAPH ?statement {{
    ?act cq:inRespectOf ?country ; cq:stance ?stance ; cq:recognizedParty ?party .
    ?statement schema:datePublished ?date }}
  GRAPH {ENTITIES} {{ ?party schema:name ?name .
    OPTIONAL {{ ?party owl:sameAs ?wikidata FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/")) }} }}
}} ORDER BY ?date ?statement ?name"""),
        ("d", f"statements mentioning {a} and {b}", PREFIXES + f"""
SELECT ?statement ?date ?headline WHERE {{
  ?a a schema:Country ; schema:name {_lit(a)} .
  ?b a schema:Country ; schema:name {_lit(b)} .
  ?statement schema:mentions ?a, ?b ; schema:datePublished ?date ; schema:headline ?headline .
}} ORDER BY ?date ?statement""", PREFIXES + f"""
SELECT ?statement ?date ?headline WHERE {{
  {{ SELECT ?statement WHERE {{ ?a a schema:Country ; schema:name {_lit(a)} . ?statement schema:mentions ?a }} }}
  {{ SELECT ?statement WHERE {{ ?b a schema:Country ; schema:name {_lit(b)} . ?statement schema:mentions ?b }} }}
  LATERAL {{ ?statement schema:datePublished ?date ; schema:headline ?headline }}
}} ORDER BY ?date ?statement"""),
        ("e", f"full text: CONTAINS(text, {_lit(term)})", full_text, full_text),
    ]


def time_query(run: Callable[[str], int], sparql: str, runs: int, budget: float) -> dict[str, Any]:
    """Median and p95 over ``runs`` runs after one warm-up (fewer, at least 3, if that exceeds ``budget`` s)."""
    started = now()
    rows = run(sparql)
    warm = now() - started
    n = runs if warm * runs <= budget else max(3, min(runs, int(budget / max(warm, 1e-9))))
    times = []
    for _ in range(n):
        started = now()
        run(sparql)
        times.append(now() - started)
    times.sort()
    return {"median": statistics.median(times), "p95": times[max(0, math.ceil(0.95 * n) - 1)], "n": n, "rows": rows}


def run_queries(cells: Cells, run: Callable[[str], int], qs: list[tuple[str, str, str]], runs: int,
                budget: float) -> dict[str, Any]:
    """Time each of ``qs``: (key, label, SPARQL)."""
    out: dict[str, Any] = {}
    for key, _, sparql in qs:
        print(f"  [{time.strftime('%H:%M:%S')}] query {key} …", file=sys.stderr, flush=True)
        try:
            out[key] = time_query(run, sparql, runs, budget)
        except Exception as exc:  # noqa: BLE001
            out[key] = {"error": _error(exc)}
    return out


# -- the project's way -------------------------------------------------------------------------

def _sample(n: int, k: int) -> list[int]:
    """``k`` indexes spread evenly over ``range(n)``."""
    if n <= k:
        return list(range(n))
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


def project_child(corpus: Path, work: Path, opts: dict[str, Any]) -> dict[str, Any]:
    """Build the corpus the project's way, then export, publish and query it."""
    from communique.export import serialize
    from communique.iris import IRIs
    from communique.pipeline import build
    from communique.store import GraphStore

    cells = Cells()
    out = cells.data
    out["load"] = [loadavg()]
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    try:
        sys.path.insert(0, str(HERE))
        from check import compare

        entries = [manifest["files"][i] for i in _sample(len(manifest["files"]), 200)]
        check = compare(corpus, entries)
        check.pop("misses")
        out["check"] = check
    except Exception as exc:  # noqa: BLE001
        out["errors"]["check"] = _error(exc)

    store_path = work / "store"
    for p in (store_path, work / "store.state.json", work / "lod"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    store = GraphStore(store_path)
    params = inspect.signature(build).parameters
    kwargs: dict[str, Any] = {}
    if "jobs" in params:
        kwargs["jobs"] = opts.get("jobs")
    if "full" in params:
        kwargs["full"] = True
    out["jobs"] = opts.get("jobs") or os.cpu_count()
    report = None
    with instrument() as clock:
        report = cells.timed("build", build, [corpus], store=store, **kwargs)
    out["stages"] = clock.snapshot()
    out["functions"] = clock.functions()
    out["start_method"] = mp.get_start_method()
    if report is not None:
        out.update(built=len(report.built), rejected=len(report.rejected), triples=report.triples,
                   rejected_sample=[f"{r.source}: {r.reasons[:1]}" for r in report.rejected[:3]])
    out["rss_after_build"] = rss_mb()
    if report is not None and report.built:
        _rebuilds(cells, build, corpus, store, {k: v for k, v in kwargs.items() if k != "full"})
    if hasattr(store, "optimize"):  # what `build --out` does after a build from empty, before publishing
        cells.timed("optimize", store.optimize)

    def stream(fmt: str) -> int:  # what `communique export` does: graph by graph, into a file
        from communique.dump import write_stream

        target = work / f"export.{fmt}"
        with target.open("w", encoding="utf-8") as f:
            write_stream(store, fmt, f)
        size = target.stat().st_size
        target.unlink()
        return size

    out["nquads_bytes"] = cells.timed("export_nq", stream, "nq")
    cells.timed("export_ttl", stream, "turtle")
    if len(manifest["files"]) <= opts["jsonld_max"]:
        nq = store.nquads()
        cells.timed("export_jsonld", serialize, nq, "jsonld")
        cells.timed("ref_ox_turtle", _oxigraph_turtle, nq)
        del nq
    else:
        out["errors"]["export_jsonld"] = f"skipped: more than --jsonld-max {opts['jsonld_max']} statements"

    names = store.statement_names()
    picked = [names[i] for i in _sample(len(names), opts["sample"])]

    def per_statement() -> float:
        for name in picked:
            serialize(store.describe(name), "jsonld")
        return len(names) / max(len(picked), 1)

    factor = cells.timed("jsonld_each_sample", per_statement)
    if factor is not None:
        out["cells"]["jsonld_each"] = out["cells"]["jsonld_each_sample"] * factor
        out["cpu"]["jsonld_each"] = out["cpu"]["jsonld_each_sample"] * factor
        out["sample_size"] = len(picked)

    if opts.get("publish", True):
        from communique.publish import publish

        def do_publish() -> int:
            return len(publish(store, work / "lod", IRIs(), report.rejected if report else ()))
        files = cells.timed("publish", do_publish)
        if files is not None:
            out["published_files"] = files
            if "reuse" in inspect.signature(publish).parameters:  # publishing again keeps what did not change
                cells.timed("republish_none", do_publish)
                if report is not None and report.built:
                    _republish(cells, build, corpus, store, work / "lod", {k: v for k, v in kwargs.items() if k != "full"})
    else:
        out["errors"]["publish"] = "skipped (--no-publish)"

    def run(sparql: str) -> int:
        return sum(1 for solution in store.query(sparql) for _ in [tuple(solution)])

    qs = queries(manifest)
    out["query_labels"] = {k: label for k, label, _, _ in qs}
    out["sparql"] = run_queries(cells, run, [(k, label, tuned) for k, label, _, tuned in qs], opts["runs"], opts["budget"])
    if (store_path.with_name(store_path.name + ".text.sqlite")).exists():  # the text index build keeps
        from communique.textindex import text_result

        out["query_labels"][TEXT_KEY] = (f"the word in headline or text (any case), via the text index: "
                                         f"`query --text {TERM}`")
        out["sparql"][TEXT_KEY] = time_query(lambda terms: sum(1 for row in text_result(store_path, terms)
                                                               for _ in [tuple(row)]),
                                             TERM, opts["runs"], opts["budget"])
    for key, _, plain, tuned in qs:  # the project's form answers what the plain form asks
        if plain != tuned and _rows(store.query(plain)) != _rows(store.query(tuned)):
            out["errors"][f"query {key}"] = "the project's form of the query returned other rows than the plain form"
    out["rss"] = rss_mb()
    out["load"].append(loadavg())
    return out


def _rows(result: Any) -> list[tuple[str, ...]]:
    """A query's rows as strings, in order (numbers by value: SUM and COUNT may differ in type)."""
    def text(term: Any) -> str:
        if term is None:
            return ""
        value = getattr(term, "value", str(term))
        try:
            return str(int(value))
        except ValueError:
            return str(value)
    return [tuple(text(term) for term in solution) for solution in result]


@contextlib.contextmanager
def _one_source_changed(corpus: Path, part: int) -> Iterator[None]:
    """One source (the one at ``1/part`` of the sorted corpus) with a sentence added, then restored
    (content and modification time), so the corpus is left as it was."""
    sources = sorted(corpus.glob("*.txt"))
    source = sources[len(sources) // part]
    original, st = source.read_bytes(), source.stat()
    try:
        source.write_bytes(original + b"\nThe United States recognizes the Republic of Kosovo.\n")
        yield
    finally:
        source.write_bytes(original)
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))


def _rebuilds(cells: Cells, build: Callable[..., Any], corpus: Path, store: Any, kwargs: dict[str, Any]) -> None:
    """Incremental rebuilds of the built store: nothing changed; one statement changed (a sentence
    added to one source); that source restored."""
    cells.timed("rebuild_none", build, [corpus], store=store, **kwargs)
    with _one_source_changed(corpus, 2):
        cells.timed("rebuild_one", build, [corpus], store=store, **kwargs)
    cells.timed("rebuild_restore", build, [corpus], store=store, **kwargs)


def _republish(cells: Cells, build: Callable[..., Any], corpus: Path, store: Any, site: Path,
               kwargs: dict[str, Any]) -> None:
    """``build --out`` after one source changed (the site published before: the files of the other
    statements are kept), then that source restored and the store rebuilt (without the site)."""
    with _one_source_changed(corpus, 3):
        cells.timed("republish_one", build, [corpus], store=store, out=site, **kwargs)
    build([corpus], store=store, **kwargs)


def _oxigraph_turtle(nq: str) -> int:
    """Reference: pyoxigraph's own Turtle writer on the same triples (not what the project does)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(nq, format=ox.RdfFormat.N_QUADS)
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store)
    return len(ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b"")


# -- the naive way -----------------------------------------------------------------------------

def naive_child(corpus: Path, work: Path, opts: dict[str, Any]) -> dict[str, Any]:
    """The same work with rdflib holding everything in memory."""
    from pyld import jsonld
    from rdflib import Dataset, Graph

    from communique.errors import DocumentError
    from communique.extract import load_authority
    from communique.ingest import discover
    from communique.iris import IRIs
    from communique.jsonld import context, document_loader
    from communique.mapping import statement_graph
    from communique.namespaces import PREFIXES as NS
    from communique.pipeline import documents, read_statement
    from communique.validate import validate_graph

    cells = Cells()
    out = cells.data
    out["load"] = [loadavg()]
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    authority, iris = load_authority(), IRIs()
    paths = list(discover([corpus]))
    sample = set(_sample(len(paths), opts["sample"]))
    ds = Dataset()
    entities = ds.graph(iris.entities_graph())
    kept: list[Graph] = []
    t = dict.fromkeys(STAGES, 0.0)
    c = dict.fromkeys(STAGES, 0.0)
    print(f"  [{time.strftime('%H:%M:%S')}] parse/extract/map/store …", file=sys.stderr, flush=True)
    try:
        for i, path in enumerate(paths):
            started, cpu = now(), time.process_time()
            docs = list(documents(path))
            t["parse"] += now() - started
            c["parse"] += time.process_time() - cpu
            for doc in docs:
                if isinstance(doc, DocumentError):
                    continue
                started, cpu = now(), time.process_time()
                st = read_statement(doc, authority)
                t["extract"] += now() - started
                c["extract"] += time.process_time() - cpu
                started, cpu = now(), time.process_time()
                graph = statement_graph(st, iris)
                t["map"] += now() - started
                c["map"] += time.process_time() - cpu
                started, cpu = now(), time.process_time()
                own = ds.graph(iris.statement(st))
                for triple in graph:
                    (entities if iris.is_entity(triple[0]) else own).add(triple)
                t["store"] += now() - started
                c["store"] += time.process_time() - cpu
                if i in sample:
                    kept.append(graph)
        for stage in ("parse", "extract", "map", "store"):
            out["cells"][stage] = t[stage]
            out["cpu"][stage] = c[stage]
    except Exception as exc:  # noqa: BLE001
        out["errors"]["store"] = _error(exc)
        traceback.print_exc(file=sys.stderr)

    def union_graph() -> Graph:
        g = Graph(bind_namespaces="none")
        for prefix, ns in NS.items():
            g.bind(prefix, ns)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    union = cells.timed("union", union_graph)
    out["triples"] = len(union) if union is not None else None
    out["rss_after_store"] = rss_mb()
    if union is not None:
        report = cells.timed("validate", validate_graph, union)
        if report is not None:
            out["conforms"] = report.conforms
            out["violations"] = sum(1 for v in report.violations if v.severity == "Violation")
    cells.timed("export_nq", lambda: len(ds.serialize(format="nquads")))
    if union is not None:
        cells.timed("export_ttl", lambda: len(union.serialize(format="turtle")))
        cells.timed("export_jsonld", lambda: len(union.serialize(format="json-ld", context=context())))

    frame = {"@context": context(), "@type": "http://schema.org/NewsArticle"}

    def per_statement() -> float:
        for graph in kept:
            expanded = jsonld.from_rdf(graph.serialize(format="nt"), {"format": "application/n-quads"})
            jsonld.frame(expanded, frame, {"documentLoader": document_loader})
        return len(paths) / max(len(kept), 1)

    factor = cells.timed("jsonld_each_sample", per_statement)
    if factor is not None:
        out["cells"]["jsonld_each"] = out["cells"]["jsonld_each_sample"] * factor
        out["cpu"]["jsonld_each"] = out["cpu"]["jsonld_each_sample"] * factor
        out["sample_size"] = len(kept)

    if union is not None:
        def run(sparql: str) -> int:
            return sum(1 for row in union.query(sparql) for _ in [tuple(row)])

        qs = queries(manifest)
        out["query_labels"] = {k: label for k, label, _, _ in qs}
        out["sparql"] = run_queries(cells, run, [(k, label, plain) for k, label, plain, _ in qs], opts["runs"],
                                    opts["budget"])
    out["rss"] = rss_mb()
    out["load"].append(loadavg())
    return out


# -- corpus, machine, rendering ----------------------------------------------------------------

def ensure_corpus(work: Path, size: int, seed: int) -> tuple[Path, float | None]:
    """The corpus of ``size`` statements for ``seed`` under ``work``: reused if complete, else generated."""
    sys.path.insert(0, str(HERE))
    import generate

    corpus = work / f"corpus-{size}-seed{seed}"
    manifest = corpus / "manifest.json"
    if manifest.exists():
        try:
            m = json.loads(manifest.read_text(encoding="utf-8"))
            if (m.get("count"), m.get("seed"), m.get("version")) == (size, seed, generate.GENERATOR_VERSION) \
                    and sum(1 for _ in corpus.glob("*.txt")) == size:
                return corpus, None
        except (OSError, ValueError):
            pass
    shutil.rmtree(corpus, ignore_errors=True)
    started = now()
    generate.generate(size, seed, corpus)
    return corpus, now() - started


def machine() -> dict[str, str]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    versions = []
    from importlib import metadata

    for dist in ("rdflib", "pyoxigraph", "pyshacl", "PyLD"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{dist} {metadata.version(dist)}")
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": mem, "python": platform.python_version(),
            "libraries": ", ".join(versions), "platform": platform.platform()}


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:,.0f} s"


def _rate(n: int, seconds: float | None) -> str:
    if not seconds:
        return "n/a"
    r = n / seconds
    return f"{r:,.0f}" if r >= 10 else f"{r:.1f}"


def _ratio(naive: float | None, project: float | None) -> str:
    if not naive or not project:
        return "—"
    r = naive / project
    return f"{r:.1f}×" if r < 100 else f"{r:,.0f}×"


def _get(d: dict[str, Any] | None, key: str, kind: str = "cells") -> float | None:
    return (d or {}).get(kind, {}).get(key)


def _why(d: dict[str, Any] | None, key: str) -> str:
    if d is None:
        return "not run"
    return (d.get("errors", {}).get(key) or "n/a")


def _stage(proj: dict[str, Any] | None, key: str) -> float | None:
    st = (proj or {}).get("stages", {}).get(key)
    if not st or not (st["main"] or st["workers"]):
        return None
    return st["main"] + st["workers"]


#: stage rows: key, label, what the project does, what the naive way does
ROWS = [
    ("parse", "parse (ingest)", "`documents()` + source hash", "same code"),
    ("extract", "extract", "`read_statement()`", "same code"),
    ("map", "map", "`statement_triples()` (a set of triples)", "`statement_graph()` (an rdflib Graph)"),
    ("validate", "validate", "compiled SHACL Core validator per statement", "pySHACL on the whole graph at once"),
    ("store", "store", ("N-Quads lines in the workers, the bulk loads of `build()` (Oxigraph on disk, a named "
     "graph per statement) and the party descriptions"),
     "rdflib `Dataset` in memory, a named graph per statement"),
    ("union", "union graph", "— (the store's default graph is the union)",
     "rdflib `Graph` of everything, for the whole-graph steps"),
]
#: rows after the build: key, label, what the project does, what the naive way does
EXPORT_ROWS = [
    ("optimize", "compact the store", "`GraphStore.optimize()` after the build (as `build --out` does)", "—"),
    ("export_nq", "export N-Quads", "`dump.write_stream(…, \"nq\")` into a file, graph by graph",
     "rdflib `Dataset.serialize(nquads)`"),
    ("export_ttl", "export Turtle", "`dump.write_stream(…, \"turtle\")` into a file, graph by graph",
     "rdflib `Graph.serialize(turtle)`"),
    ("export_jsonld", "export JSON-LD", "`export.serialize(nq, \"jsonld\")` of the whole store",
     "rdflib `serialize(json-ld, context)` of the whole graph"),
    ("jsonld_each", "JSON-LD per statement †", ("`store.describe()` + `export.serialize(…, \"jsonld\")`, "
     "as publish writes each statement's document"),
     "PyLD `frame()` of each statement graph"),
    ("publish", "publish", "`publish.publish()`: the static site", "—"),
]
NAIVE_BUILD = ("parse", "extract", "map", "store", "union", "validate")


def _naive_build(naive: dict[str, Any] | None, kind: str) -> float | None:
    cells = (naive or {}).get(kind, {})
    return sum(cells[k] for k in NAIVE_BUILD) if all(k in cells for k in NAIVE_BUILD) else None


def _build_detail(proj: dict[str, Any] | None) -> str | None:
    """Where the build's CPU goes, function by function, main process and workers apart."""
    functions = (proj or {}).get("functions")
    split = (proj or {}).get("cpu_split", {}).get("build")
    if not functions or not split:
        return None
    main, workers = split
    parts = []
    for where, total in (("main", main), ("workers", workers)):
        spent = sorted(((f[where], label) for label, f in functions.items() if f[where] >= 0.02 * max(total, 1e-9)),
                       reverse=True)
        glue = total - sum(f[where] for f in functions.values())
        items = ", ".join(f"`{label}` {_s(v)}" for v, label in spent)
        parts.append(f"{'worker processes' if where == 'workers' else 'main process'} {_s(total)}: "
                     f"{items + ', ' if items else ''}unattributed glue {_s(glue)}")
    return "Build CPU by function — " + "; ".join(parts) + "."


def render_size(size: int, corpus_seconds: float | None, proj: dict[str, Any] | None,
                naive: dict[str, Any] | None) -> str:
    """The Markdown section of one corpus size."""
    lines: list[str] = []
    triples = (proj or {}).get("triples") or (naive or {}).get("triples")
    facts = []
    if triples:
        facts.append(f"{triples:,} triples ({triples / max(size, 1):.0f} per statement)")
    if proj and "built" in proj:
        facts.append(f"built {proj['built']:,}, rejected {proj['rejected']:,}")
    if proj and proj.get("nquads_bytes"):
        facts.append(f"N-Quads {proj['nquads_bytes'] / 1e6:.0f} MB")
    facts.append("corpus reused" if corpus_seconds is None else f"corpus generated in {corpus_seconds:.1f} s")
    loads = [f"{who} {d['load'][0]} → {d['load'][1]}" for who, d in (("project", proj), ("naive", naive))
             if d and d.get("load")]
    if loads:
        facts.append("load average " + ", ".join(loads))
    lines += [f"## {size:,} statements", "", "; ".join(facts) + ".", ""]
    if proj and proj.get("check"):
        c = proj["check"]
        lines += [(f"Sanity check on {c['statements']} statements: the extractor found the intended kind "
                  f"{c['kind']}, date {c['date']}, speaker {c['speaker']} times; "
                  f"{c['acts_found']}/{c['acts_meant']} intended recognition acts."), ""]
    lines += [("| stage | project does | project wall | project CPU | stmt/s | naive does | naive wall | naive CPU "
              "| stmt/s | naive ÷ project (CPU) |"),
              "|---|---|---:|---:|---:|---|---:|---:|---:|---:|"]

    def row(label: str, does: str, pw: str, pc: float | None, prate: str, ndoes: str, nw: float | None,
            nc: float | None, nwhy: str, ratio: str) -> str:
        if naive is None:
            ncells = "not run | not run | "
        elif nw is None and nc is None:
            ncells = f"n/a ({nwhy}) | n/a | "
        else:
            ncells = f"{_s(nw)} | {_s(nc)} | "
        nrate = _rate(size, nw) if nw else ("—" if ndoes == "—" else "n/a")
        return (f"| {label} | {does} | {pw} | {_s(pc) if pc is not None else 'n/a'} | {prate} | {ndoes} | "
                f"{ncells if ndoes != '—' else '— | — | '}{nrate} | {ratio} |")

    jobs = (proj or {}).get("jobs")
    for key, label, does, ndoes in ROWS:
        pc = _stage(proj, key)
        nw, nc = _get(naive, key), _get(naive, key, "cpu")
        if key == "union":
            lines.append(row(label, does, "—", None, "—", ndoes, nw, nc, _why(naive, key), "—")
                         .replace("| n/a | — |", "| — | — |", 1))
            continue
        prate = f"{_rate(size, pc)} /core" if pc else f"n/a ({_why(proj, 'build')})"
        calls = (proj or {}).get("stages", {}).get(key, {}).get("calls")
        if key == "validate" and calls:
            does = f"compiled SHACL Core validator as `build()` calls it ({calls:,} calls for {size:,} statements)"
        lines.append(row(label, does, "—", pc, prate, ndoes, nw, nc, _why(naive, key), _ratio(nc, pc)))
    bw, bc = _get(proj, "build"), _get(proj, "build", "cpu")
    staged = [v for k in STAGES if (v := _stage(proj, k)) is not None]
    if bc is not None and staged:
        lines.append(f"| other (glue) | the rest of `build()`: worker start-up, passing N-Quads between "
                     f"processes, bookkeeping | — | {_s(bc - sum(staged))} | — | — | — | — | — | — |")
    nbw, nbc = _naive_build(naive, "cells"), _naive_build(naive, "cpu")
    ratio = f"**{_ratio(nbc, bc)}** (wall {_ratio(nbw, bw)})"
    lines.append(row("**build**", f"`pipeline.build()` with {jobs} worker processes (CPU: main + workers)",
                     f"**{_s(bw)}**" if bw is not None else f"n/a ({_why(proj, 'build')})", bc,
                     f"**{_rate(size, bw)}**", "the stages above, in one process", nbw, nbc,
                     "a stage failed", ratio))
    for key, label, does, ndoes in EXPORT_ROWS:
        pw, pc = _get(proj, key), _get(proj, key, "cpu")
        nw, nc = (None, None) if key == "publish" else (_get(naive, key), _get(naive, key, "cpu"))
        pws = _s(pw) if pw is not None else f"n/a ({_why(proj, key)})"
        lines.append(row(label, does, pws, pc, _rate(size, pw) if pw else "n/a", ndoes, nw, nc, _why(naive, key),
                         _ratio(nc, pc)))
    lines.append("")
    notes = [(f"Stage rows give CPU seconds (`time.process_time`); for the project they are summed over the main "
             f"process and its {jobs} build workers, so their statements/s is per core. The build row gives both: "
             f"wall clock, and CPU of the main process plus its workers. Ratios are naive ÷ project on CPU "
             f"seconds, which other load on the machine does not inflate; wall-clock ratios can be read off the "
             f"wall columns.")]
    sample = (proj or {}).get("sample_size") or (naive or {}).get("sample_size")
    if sample:
        notes.append(f"† measured on a sample of {sample} statements spread over the corpus and extrapolated to "
                     f"{size:,}.")
    ref = _get(proj, "ref_ox_turtle")
    if ref is not None:
        notes.append(f"Reference, not a project stage: pyoxigraph's own Turtle writer on the same triples "
                     f"(loading the N-Quads included) takes {_s(ref)}.")
    if (detail := _build_detail(proj)):
        notes.append(detail)
    if naive and "conforms" in naive:
        notes.append(f"Naive whole-graph validation: conforms = {naive['conforms']} "
                     f"({naive.get('violations', 0)} violations).")
    rebuild = {k: _get(proj, k) for k in ("rebuild_none", "rebuild_one", "rebuild_restore")}
    if all(v is not None for v in rebuild.values()):
        notes.append(f"Incremental rebuild of the built store (in process, `build()` without `full`): nothing "
                     f"changed {_s(rebuild['rebuild_none'])}; one source changed {_s(rebuild['rebuild_one'])}; "
                     f"that source restored {_s(rebuild['rebuild_restore'])}.")
    if proj and proj.get("published_files"):
        notes.append(f"publish wrote {proj['published_files']:,} files.")
    again = {k: _get(proj, k) for k in ("republish_none", "republish_one")}
    if all(v is not None for v in again.values()):
        notes.append(f"Publishing again into the same folder (the files of unchanged statements kept): nothing "
                     f"changed {_s(again['republish_none'])}; one source changed, `build()` with the site "
                     f"{_s(again['republish_one'])}.")
    lines += [f"- {n}" for n in notes] + [""]

    lines += ["| SPARQL query | project median | p95 | naive median | p95 | naive ÷ project | rows |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    labels = (proj or {}).get("query_labels") or (naive or {}).get("query_labels") or {}
    psq, nsq = (proj or {}).get("sparql", {}), (naive or {}).get("sparql", {})
    runs = None
    for key in ("a", "b", "c", "d", "e", TEXT_KEY):
        if key == TEXT_KEY and key not in psq:
            continue
        p, n = psq.get(key, {}), nsq.get("e" if key == TEXT_KEY else key, {})
        runs = runs or p.get("n")
        pm = f"{p['median'] * 1000:,.1f} ms" if "median" in p else f"n/a ({p.get('error', 'not run')})"
        pp = f"{p['p95'] * 1000:,.1f} ms" if "p95" in p else ""
        nm = f"{n['median'] * 1000:,.1f} ms" if "median" in n else ("not run" if not naive else
                                                                   f"n/a ({n.get('error', 'not run')})")
        npp = f"{n['p95'] * 1000:,.1f} ms" if "p95" in n else ""
        if "n" in n and n["n"] != p.get("n"):
            npp += f" (n={n['n']})"
        rows = str(p.get("rows", "")) + (f" / {n['rows']}" if "rows" in n and n["rows"] != p.get("rows") else "")
        lines.append(f"| ({key}) {labels.get(key, key)} | {pm} | {pp} | {nm} | {npp} | "
                     f"{_ratio(n.get('median'), p.get('median'))} | {rows} |")
    lines += ["", (f"Wall-clock median and p95 over {runs or 'the'} runs after one warm-up (fewer, n shown, where a "
                  f"naive query would exceed the time budget); project = Oxigraph store on disk, naive = rdflib "
                  f"`Graph.query` on the in-memory union graph; rows = result rows (project / naive where they "
                  f"differ)."), ""]
    parts = []
    if (prss := (proj or {}).get("rss")):
        after = (proj or {}).get("rss_after_build", {}).get("self")
        parts.append(f"project {prss['self']:,.0f} MB for the whole run"
                     + (f", {after:,.0f} MB at the end of the build" if after else "")
                     + f" (largest build worker {prss['children']:,.0f} MB)")
    if (nrss := (naive or {}).get("rss")):
        after = (naive or {}).get("rss_after_store", {}).get("self")
        parts.append(f"naive {nrss['self']:,.0f} MB for the whole run"
                     + (f", {after:,.0f} MB once everything is in the rdflib Dataset and union Graph" if after else ""))
    if parts:
        lines += ["Peak RSS (`ru_maxrss`): " + "; ".join(parts) + ".", ""]
    errors = {**{f"project {k}": v for k, v in (proj or {}).get("errors", {}).items()},
              **{f"naive {k}": v for k, v in (naive or {}).get("errors", {}).items()}}
    if errors:
        lines += ["Not measured or failed: " + "; ".join(f"{k}: {v}" for k, v in errors.items()) + ".", ""]
    return "\n".join(lines)


def render_summary(results: list[dict[str, Any]]) -> str:
    lines = ["## Summary", "",
             ("| statements | triples | build, project: wall / CPU | build, naive: wall / CPU | naive ÷ project (CPU) "
             "| project, largest CPU costs | naive, largest CPU costs | peak RSS project / naive |"),
             "|---:|---:|---:|---:|---:|---|---|---:|"]
    for r in results:
        size, proj, naive = r["size"], r.get("project") or {}, r.get("naive")
        bw, bc = _get(proj, "build"), _get(proj, "build", "cpu")
        nbw, nbc = _naive_build(naive, "cells"), _naive_build(naive, "cpu")
        costs = {k: v for k in STAGES if (v := _stage(proj, k))}
        if costs and bc is not None:
            costs["glue"] = bc - sum(costs.values())
        for k in ("export_ttl", "export_jsonld", "publish"):
            if (v := _get(proj, k, "cpu")) is not None:
                costs[k] = v
        ncosts = {k: v for k in (*NAIVE_BUILD, "export_ttl", "export_jsonld") if (v := _get(naive, k, "cpu"))}
        top = lambda d: ", ".join(f"{k} {_s(v)}" for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:3])
        prss = proj.get("rss", {}).get("self")
        nrss = (naive or {}).get("rss", {}).get("self")
        rss = f"{prss or 0:,.0f} / " + (f"{nrss:,.0f} MB" if nrss else "—")
        triples = proj.get("triples") or (naive or {}).get("triples") or 0
        lines.append(f"| {size:,} | {triples:,} | {_s(bw)} / {_s(bc)} ({_rate(size, bw)} stmt/s) | "
                     f"{(_s(nbw) + ' / ' + _s(nbc)) if naive else 'not run'} | {_ratio(nbc, bc)} | "
                     f"{top(costs) or 'n/a'} | {top(ncosts) or '—'} | {rss} |")
    lines.append("")
    return "\n".join(lines)
