"""The ``communique`` command: parse options, call the library, map errors to exit codes.

Exit codes: 0 success; 1 data problems (unreadable documents, SHACL violations, bad queries);
2 usage errors; 143 terminated (SIGTERM). Errors go to stderr and name the file or query they
concern. A command stopped by SIGTERM or Ctrl-C unwinds as after an error:
the temporary files it made (sorted runs of the dumps, the store's load spool) are removed and no
half-written file of the publication is left under its final name.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import CommuniqueError, DocumentError
from .export import FORMATS, get_format, serialize
from .iris import DEFAULT_BASE, IRIs
from .mapping import statement_graph
from .pipeline import build as run_build
from .pipeline import documents, read_statement, validate_paths
from .progress import TerminalProgress
from .query import GRAPH_FORMATS, RESULT_FORMATS, run_query
from .record import to_record
from .stopping import check as check_stop
from .stopping import install as install_stop
from .stopping import status as stop_status
from .store import DEFAULT_STORE, GraphStore

__all__ = ["main", "run"]

_STORE_OPTION = click.option(
    "--store", "store_path", type=click.Path(path_type=Path), default=DEFAULT_STORE, show_default=True,
    envvar="COMMUNIQUE_STORE", help="Path of the embedded graph store (env COMMUNIQUE_STORE).")


def _fail(exc: CommuniqueError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a message on stderr and the error's exit code."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CommuniqueError as exc:
            _fail(exc)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


class _Progress(TerminalProgress):
    """Bars on a terminal; every phase and step is also where a stop (SIGTERM) that some code
    swallowed is raised again."""

    def phase(self, label: str, total: int | None = None) -> None:
        check_stop()
        super().phase(label, total)

    def step(self, n: int = 1, item: str | None = None) -> None:
        check_stop()
        super().step(n, item)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communique")
def main() -> None:
    """Communiqué: official diplomatic statements as validated linked open data."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "turtle", "jsonld"]), default="json",
              show_default=True, help="Record as JSON (one object for one file), JSON Lines, or RDF.")
@click.option("--base-uri", default=DEFAULT_BASE, show_default=True, help="Base IRI of minted resources.")
@_guarded
def extract(files: tuple[Path, ...], fmt: str, base_uri: str) -> None:
    """Extract the record of each statement FILE (.txt/.md). Bad files are reported, others still printed."""
    iris = IRIs(base_uri)
    records: list[dict[str, Any]] = []
    failed = False
    for doc in (d for path in files for d in documents(path)):
        if isinstance(doc, DocumentError):
            click.echo(f"error: {doc}", err=True)
            failed = True
            continue
        try:
            statement = read_statement(doc)
        except DocumentError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        if fmt in ("json", "jsonl"):
            records.append(to_record(statement))
            if fmt == "jsonl":
                click.echo(json.dumps(records[-1], ensure_ascii=False, sort_keys=False))
        else:
            nt = statement_graph(statement, iris).serialize(format="nt")
            click.echo(serialize("".join(sorted(nt.splitlines(keepends=True))), fmt), nl=False)
    if fmt == "json" and records:
        payload: Any = records[0] if len(records) == 1 and len(files) == 1 else records
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("lod"), show_default=True,
              help="Output folder of the publication.")
@click.option("--base-uri", default=DEFAULT_BASE, show_default=True, help="Base IRI of minted resources.")
@_STORE_OPTION
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for reading and extraction (default: all cores).")
@click.option("--full", is_flag=True, help="Rebuild everything, not only the sources that changed.")
@click.option("--no-site", is_flag=True, help="Build the store only; do not publish the site into --out.")
@click.option("--optimize/--no-optimize", default=None,
              help="Compact the store's indexes after building (reads ~3x faster on a large store). "
                   "Default: after a build from empty that publishes the site.")
@_guarded
def build(sources: tuple[Path, ...], out: Path, base_uri: str, store_path: Path, jobs: int | None,
          full: bool, no_site: bool, optimize: bool | None) -> None:
    """Build SOURCES (files or folders) into the store and publish them into --out.

    Incremental: sources unchanged since the last build into this store are skipped, changed ones
    rebuilt, removed ones withdrawn. Exit status 1 when any document was rejected (the others are
    built all the same).
    """
    store = GraphStore(store_path)
    started = time.monotonic()
    site = None if no_site else out
    report = run_build(sources, out=site, base=base_uri, store=store, jobs=jobs, full=full, optimize=optimize,
                       progress=_Progress())  # bars on stderr when it is a terminal
    click.echo(report.summary())
    published = report.published
    publication = f"{site} ({published.written} statement(s) written, {published.kept} kept" \
        f"{'; nothing had changed' if published.untouched else ''})" \
        if site is not None and published is not None else "not written (--no-site)"
    click.echo(f"store: {store_path}   publication: {publication}   time: {time.monotonic() - started:.1f} s")
    if report.rejected:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_STORE_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings (missing date, speaker) as failures too.")
@_guarded
def validate(paths: tuple[Path, ...], store_path: Path, strict: bool) -> None:
    """SHACL-validate RDF files, statement sources, or (no PATH) every graph in the store.

    Violations make data non-conforming; warnings (an undated statement, one without a named
    speaker) are reported but conform. Exit status: 0 conforms, 1 violations (or warnings with
    --strict), 2 usage error.
    """
    store = None if paths else GraphStore(store_path, read_only=True)
    results = validate_paths(paths, store)
    conforming = 0
    for label, report in results:
        ok = report.conforms and not (strict and report.warnings)
        conforming += ok
        if not report.violations:
            continue
        click.echo(f"{label}: {'conforms, with warnings' if report.conforms else 'does not conform'}")
        for v in report.violations:
            click.echo(f"  {v.severity}: focus {v.focus}")
            if v.path:
                click.echo(f"    path: {v.path}")
            click.echo(f"    {v.message}")
    click.echo(f"{conforming} of {len(results)} conform")
    sys.exit(0 if conforming == len(results) else 1)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file ('-' for stdin is not needed: pass the text).")
@_STORE_OPTION
@click.option("--format", "fmt", type=click.Choice(sorted(set(RESULT_FORMATS) | set(GRAPH_FORMATS))),
              default="table", show_default=True, help="Result format.")
@click.option("--endpoint", metavar="URL",
              help="Query this remote SPARQL endpoint instead of the store (not with --store).")
@click.option("--text", "terms", metavar="TERMS",
              help="Full-text search of headlines and texts (FTS5 syntax) instead of a SPARQL query.")
@_guarded
def query(sparql: str | None, query_file: Path | None, store_path: Path, fmt: str,
          endpoint: str | None, terms: str | None) -> None:
    """Run a SPARQL query over the store (the union of all statement graphs), or --text."""
    if (sparql is None) + (query_file is None) + (terms is None) != 2:
        raise click.UsageError("give one of a QUERY, -f FILE or --text TERMS")
    if terms is not None:
        from .query import format_result
        from .textindex import text_result

        click.echo(format_result(text_result(store_path, terms), fmt), nl=False)
        return
    text = query_file.read_text(encoding="utf-8") if query_file else sparql
    if endpoint:
        from click.core import ParameterSource

        from .remote import RemoteStore

        if click.get_current_context().get_parameter_source("store_path") == ParameterSource.COMMANDLINE:
            raise click.UsageError("give either --store or --endpoint, not both")
        click.echo(run_query(RemoteStore(endpoint), text or "", fmt), nl=False)  # type: ignore[arg-type]
        return
    click.echo(run_query(GraphStore(store_path, read_only=True), text or "", fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of stdout.")
@_STORE_OPTION
@_guarded
def export(fmt: str, output: Path | None, store_path: Path) -> None:
    """Export the whole store as Turtle, N-Triples, N-Quads, TriG or JSON-LD.

    Every format but JSON-LD is written graph by graph, so the store is never held in memory."""
    from .dump import STREAMS, write_stream

    store = GraphStore(store_path, read_only=True)
    if fmt in STREAMS:
        with output.open("w", encoding="utf-8") if output else nullcontext(click.get_text_stream("stdout")) as out:
            write_stream(store, fmt, out, _Progress())  # a bar of graphs on stderr, on a terminal
        return
    text = get_format(fmt).write(store.nquads())
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("truth_dir", type=click.Path(path_type=Path))
@click.option("--misses", "show_misses", is_flag=True, help="Also print every miss (expected vs got).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_guarded
def evaluate(truth_dir: Path, show_misses: bool, fmt: str) -> None:
    """Score extraction against the *.truth.json files of TRUTH_DIR (per-field P/R/F1).

    Exit status: 0 scored, 1 some statement could not be extracted, 2 no truth files.
    """
    from .evaluate import evaluate as run_evaluate, format_table

    ev = run_evaluate(truth_dir)
    if fmt == "json":
        payload = ev.as_dict()
        if show_misses:
            payload["misses"] = list(ev.misses)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if show_misses:
            for miss in ev.misses:
                click.echo(f"miss: {miss}")
        click.echo(format_table(ev))
    for failure in ev.failures:
        click.echo(f"error: {failure}", err=True)
    if ev.failures:
        sys.exit(1)


def _site_base(site: Path) -> str:
    """The base IRI a site was built with: the void:uriSpace of its dataset (``{base}void``)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import VOID

    void = site / "void.nt"
    if not void.is_file():
        return DEFAULT_BASE
    graph = Graph().parse(void, format="nt")
    for dataset, space in graph.subject_objects(VOID.uriSpace):
        if isinstance(dataset, URIRef) and str(dataset) == f"{space}void":
            return str(space)
    return DEFAULT_BASE


def _remote_token(user: str | None, password: str | None, token: str | None) -> str | None:
    """Check the authentication options of a remote store; returns the bearer token to use (an
    explicit user wins over a token from the environment)."""
    from click.core import ParameterSource

    given = click.get_current_context().get_parameter_source
    if user is None and password is not None and given("password") == ParameterSource.COMMANDLINE:
        raise click.UsageError("--password needs --user")
    if user is not None and password is None:
        raise click.UsageError("--user needs --password (or env COMMUNIQUE_REMOTE_PASSWORD)")
    if user is not None and token is not None:
        if given("token") == ParameterSource.COMMANDLINE:
            raise click.UsageError("give either --user/--password or --token, not both")
        return None
    return token


@main.command()
@click.option("--site", type=click.Path(path_type=Path), default=None,
              help="The published folder (the output of 'communique build'). Default: lod; with --endpoint, "
                   "none: the documents are rendered from the remote store at startup.")
@_STORE_OPTION
@click.option("--endpoint", metavar="QUERY_URL",
              help="Serve from this remote SPARQL endpoint (Oxigraph: /query, Fuseki: /DATASET/sparql) instead "
                   "of the store (not with --store); its default graph must be the union of its named graphs.")
@click.option("--user", help="User name at --endpoint (HTTP Basic, or Digest if the server asks for it).")
@click.option("--password", envvar="COMMUNIQUE_REMOTE_PASSWORD",
              help="Password for --user (env COMMUNIQUE_REMOTE_PASSWORD).")
@click.option("--token", envvar="COMMUNIQUE_REMOTE_TOKEN",
              help="Bearer token for --endpoint (env COMMUNIQUE_REMOTE_TOKEN).")
@click.option("--base-uri", "--base", "base_uri", default=None,
              help="Base IRI the data was built with (default: read from the site's void.nt; required with "
                   "--endpoint and no --site); the server answers for its path.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--query-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before the endpoint answers 503.")
@click.option("--max-results", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Most rows (or triples) a query may return; larger results answer 413.")
@click.option("--allow-service", is_flag=True, help="Allow federated SERVICE clauses (off: 400).")
@_guarded
def serve(site: Path | None, store_path: Path, endpoint: str | None, user: str | None, password: str | None,
          token: str | None, base_uri: str | None, host: str, port: int, query_timeout: float, max_results: int,
          allow_service: bool) -> None:
    """Serve the site with content negotiation and a read-only SPARQL 1.1 endpoint (/sparql).

    With --endpoint the store is a remote triplestore (filled by 'communique push'): SPARQL queries
    are forwarded to it, and without --site every document and page is rendered from it at startup.
    Exit status 1 when the site, the store or the endpoint cannot be used.
    """
    from urllib.parse import urlsplit

    import uvicorn
    from click.core import ParameterSource

    from .serve import Backend, create_app

    given = click.get_current_context().get_parameter_source
    if endpoint is None:
        if user is not None or any(given(n) == ParameterSource.COMMANDLINE for n in ("password", "token")):
            raise click.UsageError("--user, --password and --token go with --endpoint")
        site = site if site is not None else Path("lod")
    else:
        if given("store_path") == ParameterSource.COMMANDLINE:
            raise click.UsageError("give either --store or --endpoint, not both")
        token = _remote_token(user, password, token)
    if site is not None and not site.is_dir():
        click.echo(f"error: {site}: no published site here (run 'communique build --out {site}' first)", err=True)
        sys.exit(1)
    if base_uri is None:
        if site is None:
            raise click.UsageError("with --endpoint and no --site, give --base-uri: the base IRI the data was "
                                   f"built with (as given to 'communique build', e.g. {DEFAULT_BASE})")
        base_uri = _site_base(site)
    store: GraphStore | Backend
    if endpoint is not None:
        from .remote import RemoteBackend

        auth = (user, password) if user is not None and password is not None else None
        store = RemoteBackend(endpoint, auth=auth, token=token)
        source = store.location
    else:
        store = GraphStore(store_path, read_only=True)
        source = str(store_path)
    if site is None:
        click.echo(f"rendering the documents from {source} ...", err=True)
    app = create_app(site, store, base_uri, query_timeout=query_timeout, max_results=max_results,
                     allow_service=allow_service)
    root = f"http://{host}:{port}{urlsplit(base_uri).path or '/'}"
    documents = site if site is not None else f"documents rendered from {source}"
    click.echo(f"serving {documents} and {source} at {root} (SPARQL: {root}sparql)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


@main.command()
@_STORE_OPTION
@click.option("--endpoint", "gsp_url", required=True, metavar="GSP_URL",
              help="Graph Store address of the triplestore (Oxigraph: /store, Fuseki: /DATASET/data).")
@click.option("--query-endpoint", "query_url", metavar="URL",
              help="Its SPARQL query address, for the verification (derived for Oxigraph, Fuseki, GraphDB, "
                   "Virtuoso).")
@click.option("--user", help="User name (HTTP Basic, or Digest if the server asks for it).")
@click.option("--password", envvar="COMMUNIQUE_REMOTE_PASSWORD",
              help="Password for --user (env COMMUNIQUE_REMOTE_PASSWORD).")
@click.option("--token", envvar="COMMUNIQUE_REMOTE_TOKEN", help="Bearer token (env COMMUNIQUE_REMOTE_TOKEN).")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, show_default=True,
              help="Graphs sent per request.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON file recording what was pushed, so a rerun sends only what changed.")
@_guarded
def push(store_path: Path, gsp_url: str, query_url: str | None, user: str | None, password: str | None,
         token: str | None, batch_size: int, state_file: Path | None) -> None:
    """Load every named graph of the store into an external triplestore, then verify the counts.

    Uses the SPARQL 1.1 Graph Store Protocol; each graph keeps its name. Exit status 1 when the
    triplestore cannot be reached or refuses, or holds other counts than the store afterwards.
    """

    from .remote import push as run_push

    token = _remote_token(user, password, token)
    store = GraphStore(store_path, read_only=True)
    auth = (user, password) if user is not None and password is not None else None
    if sys.stderr.isatty():
        with click.progressbar(length=len(store.graph_names()), label="pushing", file=sys.stderr) as bar:
            report = run_push(store, gsp_url, auth=auth, token=token, batch_size=batch_size,
                              state_file=state_file, query_url=query_url,
                              progress=lambda done, total: bar.update(done - bar.pos))
    else:
        report = run_push(store, gsp_url, auth=auth, token=token, batch_size=batch_size,
                          state_file=state_file, query_url=query_url)
    click.echo(report.summary())


def run() -> None:
    """The ``communique`` command: :data:`main`, with SIGTERM ending it as an error does (only in
    the command's own process: a program that calls :data:`main` keeps its signal handling)."""
    install_stop()
    try:
        main()
    except SystemExit as exc:
        if exc.code in (0, None):  # a stop that something swallowed still ends as a stop
            sys.exit(stop_status(0))
        raise


if __name__ == "__main__":
    run()
