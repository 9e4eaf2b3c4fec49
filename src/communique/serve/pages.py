"""The server's own HTML pages: not found, gone, and the SPARQL query page with its results.

Plain HTML with escaped text and no script; the example queries are the ``.rq`` files of the
project's ``data/queries/`` (their leading ``#`` comment is the title), else a few built-in ones.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

__all__ = ["Example", "gone_page", "load_examples", "not_found_page", "query_page", "results_html"]

_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
textarea{width:100%;font:14px monospace}table{border-collapse:collapse;font-size:14px}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
pre{background:#f6f6f6;padding:.5rem;overflow:auto}.error{color:#a00;white-space:pre-wrap}
nav a{margin-right:1rem}"""


@dataclass(frozen=True)
class Example:
    title: str
    query: str


_BUILT_IN = (
    Example("The statements, newest first", """PREFIX schema: <http://schema.org/>
SELECT ?statement ?date ?headline WHERE {
  ?statement a schema:NewsArticle ; schema:headline ?headline .
  OPTIONAL { ?statement schema:datePublished ?date }
}
ORDER BY DESC(?date)
LIMIT 100"""),
    Example("How many resources of each type", """SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type }
GROUP BY ?type
ORDER BY DESC(?n)"""),
    Example("Recognition acts and whom they recognize", """PREFIX cq: <https://w3id.org/communique/ns#>
SELECT ?act ?stance ?party ?statement WHERE {
  ?act cq:stance ?stance ; cq:recognizedParty ?party ; cq:assertedIn ?statement .
}
LIMIT 100"""),
)


def load_examples(folder: Path | None) -> tuple[Example, ...]:
    """The example queries of ``folder`` (``*.rq``, sorted), or the built-in ones."""
    found: list[Example] = []
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.rq")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            comment = []
            for line in text.splitlines():
                if not line.startswith("#"):
                    break
                comment.append(line.lstrip("# ").strip())
            found.append(Example(" ".join(comment).strip() or path.stem, text.strip()))
    return tuple(found) or _BUILT_IN


def _page(title: str, body: str, links: dict[str, str]) -> str:
    nav = "".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for label, url in links.items())
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n"
            f"<body><nav>{nav}</nav>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")


def not_found_page(iri: str, links: dict[str, str]) -> str:
    body = (f"<p>Nothing is published at <code>{html.escape(iri)}</code>.</p>"
            f"<p>Statements live at <code>statement/yyyy/mm/dd/slug</code>, parties at "
            f"<code>id/type/slug</code>. Browse from the index, or ask the SPARQL endpoint.</p>")
    return _page("Not found", body, links)


def gone_page(iri: str, links: dict[str, str]) -> str:
    body = (f"<p>The resource <code>{html.escape(iri)}</code> was published here once and has been "
            f"withdrawn. Its IRI is not reused; references to it remain valid identifiers but no "
            f"longer dereference to a description.</p>")
    return _page("Gone: withdrawn", body, links)


def results_html(kind: str, body: bytes) -> str:
    """An HTML rendering of an intermediate result (TSV rows, N-Triples, or a boolean)."""
    if kind == "boolean":
        return f"<p>Answer: <strong>{html.escape(body.decode('utf-8'))}</strong></p>"
    if kind == "graph":
        return f"<pre>{html.escape(body.decode('utf-8'))}</pre>"
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    head = "".join(f"<th>?{html.escape(n)}</th>" for n in names)
    rows = []
    for solution in solutions:
        cells = []
        for n in names:
            term = solution[n]
            if isinstance(term, ox.NamedNode):
                cells.append(f'<td><a href="{html.escape(term.value)}">{html.escape(term.value)}</a></td>')
            elif isinstance(term, ox.Literal):
                cells.append(f"<td>{html.escape(term.value)}</td>")
            else:
                cells.append(f"<td>{html.escape(str(term)) if term is not None else ''}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    count = f"<p>{len(rows)} row{'s' if len(rows) != 1 else ''}</p>"
    return f"{count}<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def query_page(endpoint: str, examples: tuple[Example, ...], links: dict[str, str], query: str = "",
               results: str = "", error: str = "") -> str:
    """The query form (GET to the endpoint), the examples, and any results or error."""
    first = query or (examples[0].query if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    options = "".join(f'<option value="{name}">{name}</option>' for name in ("html", "json", "xml", "csv", "tsv",
                                                                               "turtle", "jsonld", "nt", "rdfxml"))
    form = (f'<form method="get" action="{html.escape(endpoint)}">'
            f'<textarea name="query" rows="14" spellcheck="false">{html.escape(first)}</textarea>'
            f'<p><label>Result format <select name="format">{options}</select></label> '
            f'<button type="submit">Run query</button></p></form>')
    items = "".join(
        f'<li><a href="?query={quote(e.query)}">{html.escape(e.title)}</a> '
        f'(<a href="{html.escape(endpoint)}?query={quote(e.query)}&amp;format=html">run</a>)</li>'
        for e in examples)
    intro = (f"<p>Endpoint: <code>{html.escape(endpoint)}</code> — SPARQL 1.1 Protocol, read-only; "
             f"the default graph is the union of all graphs.</p>")
    parts = [intro, form]
    if error:
        parts.append(f'<h2>Error</h2><p class="error">{html.escape(error)}</p>')
    if results:
        parts.append(f"<h2>Results</h2>{results}")
    parts.append(f"<h2>Examples</h2><ul>{items}</ul>")
    return _page("SPARQL query", "\n".join(parts), links)
