"""Where publishing reads the graphs of the store, and what the dumps know of them.

A statement's graph is read from the :class:`~.graphcache.GraphCache` when it holds the graph at
its current version, else from the store (and the text then goes to the cache). The dumps are told
the version of every graph — ``build``'s for the statement graphs, the SHA-256 of the text for the
others — and read the graphs they make members of again through :meth:`GraphReader.lines`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..nquads import lines_of
from .corpus import graph_links
from .dataset import DUMP_FILES, GraphSource
from .documents import Plan, Resource
from .dumps import SortedRuns
from .graphcache import GraphCache, Row
from .links import GraphLinks
from .piece import Later
from .reading import whole_lines
from .reuse import Reuse

__all__ = ["GraphReader", "quad_lines"]


def quad_lines(name: str, triples: list[str]) -> list[str] | None:
    """The N-Quads lines of graph ``name`` from its N-Triples lines: ``<name>`` before each final
    `` .`` (None if a line does not end so)."""
    if not all(line.endswith(" .") for line in triples):
        return None
    suffix = f" <{name}> ."
    return [line[:-2] + suffix for line in triples]


class GraphReader:
    """The graphs of ``publication``'s store, read through ``cache`` (None: from the store)."""

    def __init__(self, publication: Plan, cache: GraphCache | None) -> None:
        self.publication = publication
        self.cache = cache
        #: the graphs but the statements': the SHA-256 of their lines (see :meth:`other`)
        self.others: dict[str, str] = {}
        self.record: Reuse | None = None  #: where the links of statements kept by version are read

    def statement(self, name: str) -> tuple[str, Row | None]:
        """The text of statement graph ``name`` (``store.nquads(name)``), and the cache's row for
        it when it was read from the store."""
        text = self.cache.get(name) if self.cache is not None else None
        if text is not None:
            return text, None
        text = self.publication.store.nquads(name)
        return text, self.cache.row(name, text) if self.cache is not None else None

    def other(self, name: str, lines: list[str]) -> None:
        """Graph ``name`` (not a statement's) was read: these are its lines."""
        self.others[name] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def versioned(self, statements: Iterable[Resource]) -> bool:
        """Whether every statement graph has a version."""
        return self.cache is not None and all(self.cache.versions.get(r.iri) is not None for r in statements)

    def dumps_planned(self, reuse: Reuse | None, out: Path, statements: list[Resource]) -> bool:
        """Whether the dumps will be written from the members of the earlier ones and the graphs
        that changed (:mod:`.members`): they need no sorted runs of every graph's lines."""
        if reuse is None or not self.versioned(statements):
            return False
        earlier = reuse.earlier_dumps(*(out / name for name in DUMP_FILES))
        return earlier is not None and earlier.graphs is not None and bool(earlier.members)

    def source(self, statements: list[Resource]) -> GraphSource | None:
        """What the dumps are told of the graphs (once :meth:`other` was told of every other
        graph); None when a statement graph has no version."""
        if self.cache is None or not self.versioned(statements):
            return None
        versions = {f"<{name}>": v for name, v in self.others.items()}
        versions.update((f"<{r.iri}>", self.cache.versions[r.iri]) for r in statements)
        return GraphSource(versions, self.lines)

    def lines(self, term: str) -> list[str]:
        """The N-Quads lines of graph ``term`` (``<iri>``), sorted; none for a graph that is gone."""
        name = term[1:-1]
        text = self.cache.get(name) if self.cache is not None else None
        return quad_lines(name, lines_of(self.publication.store.nquads(name) if text is None else text)) or []

    def read_others(self, links: list[tuple[str, GraphLinks | Later | None]], runs: SortedRuns,
                    record: Reuse | None) -> bool:
        """Read the graphs but the statements' (the graph of party descriptions, others), for the
        dumps (a run of their N-Quads lines in ``runs``; False if they were not whole) and for the
        corpus, and give the corpus the ``links`` of every graph: by its queries when any graph's
        cannot be found from its lines. Links left in ``record`` (:class:`.Later`) are read from it
        when a document needs them (:meth:`recorded_links`)."""
        publication = self.publication
        corpus, descriptions, base = publication.corpus, publication.descriptions, publication.iris.base
        entities = descriptions.entities
        found = {name for name, _ in links}
        quads: list[str] | None = []
        for name in publication.graph_names:
            if name in found:
                continue
            if name == entities:
                own, whole = descriptions.entity_lines, descriptions.entity_whole
            else:
                own, whole = whole_lines(publication.store.nquads(name))
            self.other(name, own)
            links.append((name, graph_links(name, own, base, entities) if whole else None))
            mine = quad_lines(name, own) if whole else None
            if quads is not None and mine is not None:
                quads += mine
            else:
                quads = None
        if quads is not None:
            run = runs.folder / "others.nq"
            SortedRuns.write(run, quads)
            runs.add(run, len(quads))
        if any(link is None for _, link in links):
            corpus.read_links()
        else:
            self.record = record
            corpus.links.loader = self.recorded_links
            for name, link in links:
                if isinstance(link, Later):
                    corpus.defer_links(name, link.parties)
                elif link is not None:
                    corpus.add_links(name, link)
            corpus.links_added()
        return quads is not None

    def recorded_links(self, graph: str) -> GraphLinks:
        """The links of statement ``graph`` (a term) kept by its version: from the record, else from
        its graph (the same: the record had them of this version)."""
        iri = graph[1:-1]
        found = self.record.links(iri) if self.record is not None else None
        if found is None:
            own, whole = whole_lines(self.statement(iri)[0])
            publication = self.publication
            found = graph_links(iri, own, publication.iris.base, publication.descriptions.entities) if whole else None
        if found is None:
            raise RuntimeError(f"the links of {graph} can be read neither from the record nor from its graph")
        return found
