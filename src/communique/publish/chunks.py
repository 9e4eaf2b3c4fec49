"""What a chunk of statements written in a worker gives back to the main process.

A worker publishes the statements of a chunk (see :mod:`.assemble`) and sends back what the pages of
parties, the indexes and the record need of them (:class:`Chunk`). Unpickled in the main process,
every chunk brings copies of its own of the same links and names; :class:`Shared` keeps one object
of each.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, replace

from .corpus import GraphLinks
from .graphcache import Row
from .pages import Act, Link, Summary

__all__ = ["Chunk", "Fresh", "Holders", "Shared"]

Fresh = tuple[str, bytes, bytes, bytes, str, bytes]  #: a row of :meth:`.Reuse.record`
Holders = dict[str, list[tuple[Link, Summary]]]


@dataclass
class Chunk:
    """What a chunk of statements gives the documents of parties and the pages written after all."""

    written: list[str]
    summaries: list[Summary]
    acts: list[Act]
    holders: Holders
    links: list[tuple[str, GraphLinks | None]]  #: (statement IRI, its links) for the documents of parties
    quads: int | None  #: N-Quads lines written to its run for the dumps (None: the graphs' lines were not whole)
    fresh: list[Fresh]  #: the statements written (not kept), for the record of :class:`Reuse`
    kept: int  #: the statements whose files were kept
    graphs: list[Row]  #: the graphs read from the store, for the :class:`GraphCache`



class Shared:
    """One object for equal links and names across the chunks a worker sends back: each chunk
    arrives with copies of its own of the same parties' links, predicates and IRIs, which at
    100,000 statements would be millions of objects held until the pages of parties are written."""

    def __init__(self) -> None:
        self.links: dict[Link, Link] = {}

    def link(self, link: Link) -> Link:
        return self.links.setdefault(link, link)

    def optional(self, link: Link | None) -> Link | None:
        return None if link is None else self.link(link)

    def chunk(self, chunk: Chunk) -> None:
        intern, link = sys.intern, self.link
        for summary in chunk.summaries:
            summary.speakers = [(link(person), self.optional(office)) for person, office in summary.speakers]
            summary.roles = defaultdict(set, {intern(iri): {intern(r) for r in roles} for iri, roles in summary.roles.items()})
        chunk.acts = [replace(a, by=link(a.by), party=link(a.party), country=self.optional(a.country),
                              reported_by=self.optional(a.reported_by), stance=intern(a.stance),
                              stance_label=intern(a.stance_label), phrase=intern(a.phrase)) for a in chunk.acts]
        chunk.holders = {intern(office): [(link(person), summary) for person, summary in held]
                         for office, held in chunk.holders.items()}
        chunk.links = [(name, None if found is None else (
            [(intern(s), line) for s, line in found[0]],
            [(intern(o), intern(s), line) for o, s, line in found[1]],
            [(intern(p), intern(o) if o.startswith("<") else o) for p, o in found[2]]))
            for name, found in chunk.links]
