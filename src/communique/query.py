"""SPARQL over the store, with results in the format a person or a program wants.

SELECT/ASK results: ``table`` (aligned text), ``json``, ``csv``, ``tsv``, ``xml`` (the W3C result
formats, written by Oxigraph). CONSTRUCT/DESCRIBE results: ``turtle``, ``nt``, ``jsonld`` (or
``table`` for a readable triple list).
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import UsageError
from .export import FORMATS, serialize
from .store import GraphStore, QueryResult

__all__ = ["RESULT_FORMATS", "GRAPH_FORMATS", "run_query", "format_result"]

_W3C: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
RESULT_FORMATS = ("table", *_W3C)
GRAPH_FORMATS = ("table", "turtle", "nt", "jsonld")

def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)

def _table(result: ox.QuerySolutions) -> str:
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[n]) for n in names] for solution in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"

def _triples_nt(result: ox.QueryTriples) -> str:
    raw = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted(set(raw.decode("utf-8").splitlines()))
    return "".join(line + "\n" for line in lines)

def format_result(result: QueryResult, fmt: str) -> str:
    """Render a query result; a format that does not fit the query form is a usage error."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return f"{'true' if bool(result) else 'false'}\n"
        if fmt in _W3C:
            return result.serialize(format=_W3C[fmt]).decode("utf-8")
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return _table(result)
        if fmt in _W3C:
            return result.serialize(format=_W3C[fmt]).decode("utf-8")
        raise UsageError(f"a SELECT result cannot be written as {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    else:
        nt = _triples_nt(result)
        if fmt == "table":
            return nt
        if fmt in FORMATS and fmt in GRAPH_FORMATS:
            return serialize(nt, fmt)
        raise UsageError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt!r}; "
                         f"use one of {', '.join(GRAPH_FORMATS)}")
    raise UsageError(f"an ASK result cannot be written as {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")

def run_query(store: GraphStore, sparql: str, fmt: str = "table") -> str:
    """Run ``sparql`` on ``store`` and render the result as ``fmt``."""
    if fmt not in set(RESULT_FORMATS) | set(GRAPH_FORMATS):
        raise UsageError(f"unknown result format {fmt!r}")
    return format_result(store.query(sparql), fmt)
