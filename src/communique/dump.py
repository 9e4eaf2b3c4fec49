"""Whole-store exports written graph by graph, never holding the corpus in memory.

A store of 100,000 statements is some 15 million quads, several gigabytes of N-Quads: sorting all
of its lines, or handing them to a serializer at once, would need more memory than the build
itself. Here each named graph is read from the store in turn (graphs in name order, the lines of
each sorted), written out, and dropped. The output is deterministic: the same store gives the same
bytes. Every triple is in exactly one graph (the store keeps party descriptions once, in the
entities graph), so the graphs one after the other are also the merged graph, without duplicates.

:data:`STREAMS` has one writer per streamable format; JSON-LD, which needs a whole document to
compact, is not among them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TextIO

import pyoxigraph as ox

from .namespaces import PREFIXES
from .progress import Progress
from .store import GraphStore

__all__ = ["STREAMS", "graph_lines", "write_stream"]


def graph_lines(store: GraphStore, progress: Progress | None = None) -> Iterator[tuple[str, list[str]]]:
    """Each named graph with its N-Triples lines (sorted, without newline), graphs in name order;
    ``progress`` is told of each graph read."""
    names = store.graph_names()
    progress = progress if progress is not None else Progress()
    progress.phase("exporting", len(names))
    for name in names:
        yield name, store.lines(name)
        progress.step()
    progress.close()


def _ntriples(store: GraphStore, out: TextIO, progress: Progress | None = None) -> None:
    for _, lines in graph_lines(store, progress):
        out.writelines(line + "\n" for line in lines)


def _nquads(store: GraphStore, out: TextIO, progress: Progress | None = None) -> None:
    for name, lines in graph_lines(store, progress):
        suffix = f" <{name}> .\n"
        out.writelines(line.removesuffix(" .") + suffix for line in lines)


def _prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"


def _body(items: list[ox.Triple] | list[ox.Quad], rdf_format: ox.RdfFormat) -> str:
    """Oxigraph's Turtle/TriG for ``items`` without its prefix lines (declared once, up front)."""
    text = (ox.serialize(items, format=rdf_format, prefixes=PREFIXES) or b"").decode("utf-8")
    return "\n".join(line for line in text.split("\n") if not line.startswith("@prefix ")).lstrip("\n")


def _parsed(lines: list[str]) -> list[ox.Triple]:
    return list(ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def _turtle(store: GraphStore, out: TextIO, progress: Progress | None = None) -> None:
    out.write(_prefixes())
    for _, lines in graph_lines(store, progress):
        out.write(_body(_parsed(lines), ox.RdfFormat.TURTLE))


def _trig(store: GraphStore, out: TextIO, progress: Progress | None = None) -> None:
    out.write(_prefixes())
    for name, lines in graph_lines(store, progress):
        graph = ox.NamedNode(name)
        out.write(_body([ox.Quad(t.subject, t.predicate, t.object, graph) for t in _parsed(lines)],
                        ox.RdfFormat.TRIG))


#: format name (as in :data:`communique.export.FORMATS`) → streaming writer
STREAMS: dict[str, Callable[[GraphStore, TextIO, Progress | None], None]] = {
    "nq": _nquads,
    "nt": _ntriples,
    "turtle": _turtle,
    "trig": _trig,
}


def write_stream(store: GraphStore, fmt: str, out: TextIO, progress: Progress | None = None) -> bool:
    """Write the whole store to ``out`` in ``fmt`` graph by graph (``progress`` told of each); False
    if ``fmt`` cannot be streamed."""
    writer = STREAMS.get(fmt)
    if writer is None:
        return False
    writer(store, out, progress)
    return True
