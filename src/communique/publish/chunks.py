"""What a chunk of statements written in a worker gives back to the main process.

A worker publishes the statements of a chunk (see :mod:`.assemble`) and sends back what the pages of
parties, the indexes and the record need of them (:class:`Chunk`). Unpickled in the main process,
every piece brings copies of its own of the same links and names; :class:`Shared` keeps one object
of each.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace

from .corpus import GraphLinks
from .graphcache import Row
from .pages import Act, Link, Summary
from .piece import Heads, Later, Piece

__all__ = ["Chunk", "Fresh", "Holders", "Merged", "Shared"]

Fresh = tuple[str, bytes, bytes, bytes, bytes, str, bytes]  #: a row of :meth:`.Reuse.record`
Holders = dict[str, list[tuple[Link, Summary]]]


@dataclass
class Chunk:
    """What a chunk of statements gives the documents of parties and the pages written after all."""

    #: each statement's piece, in order: made (or kept after reading its graph) by the worker, or,
    #: kept by version, as the record packed it — unpacked once, here, rather than by the worker
    #: and again by the pickling of its chunk —, or None: kept by version, and the main process has
    #: its head (:attr:`.ResourceWriter.heads`)
    pieces: list[Piece | bytes | None]
    quads: int | None  #: N-Quads lines written to its run for the dumps (None: the graphs' lines were not whole)
    fresh: list[Fresh]  #: the statements written (not kept), for the record of :class:`Reuse`
    kept: int  #: the statements whose files were kept
    graphs: list[Row]  #: the graphs read from the store, for the :class:`GraphCache`


@dataclass
class Merged:
    """The pieces of the statements, merged in the order of the statements."""

    written: list[str] = field(default_factory=list)  #: the pages written
    summaries: list[Summary] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    holders: Holders = field(default_factory=lambda: defaultdict(list))
    #: (statement IRI, its links — or the parties they point to, when they were left in the record)
    links: list[tuple[str, GraphLinks | Later | None]] = field(default_factory=list)
    heads: Heads = field(default_factory=dict)  #: each statement's head (:meth:`.Piece.head`), for the record

    def add(self, iri: str, piece: Piece) -> None:
        """The piece of statement ``iri``, the next in order."""
        self.written += piece.written
        self.summaries.append(piece.summary)
        self.acts += piece.acts
        for office, person in piece.holders:
            self.holders[office].append((person, piece.summary))
        self.links.append((iri, piece.links))
        self.heads[iri] = piece.head()


class Shared:
    """One object for equal links and names across the pieces of statements: each piece unpickled
    arrives with copies of its own of the same parties' links, predicates and IRIs, which at 100,000
    statements would be millions of objects held until the pages of parties are written."""

    def __init__(self) -> None:
        self.links: dict[Link, Link] = {}
        #: each set of roles once (a statement's roles of a party are not changed once it is made)
        self.roles: dict[frozenset[str], frozenset[str]] = {}

    def link(self, link: Link) -> Link:
        return self.links.setdefault(link, link)

    def optional(self, link: Link | None) -> Link | None:
        return None if link is None else self.link(link)

    def unpack(self, head: bytes) -> Piece | None:
        """The piece of the packed ``head`` (:meth:`.Piece.unpack_or_none`), shared."""
        piece = Piece.unpack_or_none(head)
        if piece is not None:
            self.piece(piece)
        return piece

    def piece(self, piece: Piece) -> None:
        intern, link, roles = sys.intern, self.link, self.roles
        summary = piece.summary
        summary.speakers = [(link(person), self.optional(office)) for person, office in summary.speakers]
        piece.acts = [replace(a, by=link(a.by), party=link(a.party), country=self.optional(a.country),
                              reported_by=self.optional(a.reported_by), stance=intern(a.stance),
                              stance_label=intern(a.stance_label), phrase=intern(a.phrase)) for a in piece.acts]
        piece.holders = [(intern(office), link(person)) for office, person in piece.holders]
        shared = defaultdict(set)
        for iri, of_party in summary.roles.items():
            frozen = frozenset(of_party)
            shared[intern(iri)] = roles.setdefault(frozen, frozen)
        summary.roles = shared  # type: ignore[assignment]
        found = piece.links
        if isinstance(found, Later):
            piece.links = Later(tuple(map(intern, found.parties)))
        elif found is not None:
            piece.links = ([(intern(s), line) for s, line in found[0]],
                           [(intern(o), intern(s), line) for o, s, line in found[1]],
                           [(intern(p), intern(o) if o.startswith("<") else o) for p, o in found[2]])
