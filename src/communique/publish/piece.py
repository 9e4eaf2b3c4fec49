"""What publishing one statement gives the rest of the site (a :class:`Piece`), and how the record
keeps it: in two parts, so that a statement kept by its version brings the main process only what
every page needs.

- the *head*: the pages written, the statement's summary, its acts and office holders, and the
  parties its graph points to (:class:`Later`);
- the *links* (:data:`~.corpus.GraphLinks`): the triples of its graph that the documents of those
  parties quote. They are read from the record only when such a document is made again
  (:class:`~.links.Links`), which a change of one statement asks of one listing of each party it
  names, not of every statement.

The heads of all the statements of a publication are also kept together, packed as one
(:func:`pack_heads`): publishing again, the main process unpacks them at once — ~4 s at 100,000
statements, where one by one took ~20 s —, and the workers do not send the heads of the statements
they keep. Statements recorded since are read from their rows, until so many are that the heads
are packed together again (:data:`~.assemble.STALE_MAX`).
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass

from .links import GraphLinks
from .pages import Act, Link, Summary

__all__ = ["Heads", "Later", "Piece", "UNREADABLE", "pack_heads", "unpack_heads", "unpack_links"]

#: what unpacking a piece the record holds raises when it is not a piece this code can read
UNREADABLE = (pickle.UnpicklingError, TypeError, EOFError, AttributeError, ImportError, zlib.error)


@dataclass(frozen=True)
class Later:
    """The links of a statement's graph, left in the record: the parties they point to (terms,
    sorted) say which documents need them."""

    parties: tuple[str, ...]


@dataclass
class Piece:
    """What publishing one statement gives the rest of the site."""

    written: list[str]  #: the pages written (site paths)
    summary: Summary
    acts: list[Act]
    holders: list[tuple[str, Link]]  #: (office IRI, its holder) for each speaker with an office
    #: for the documents of parties (:func:`~.corpus.graph_links`; None: they could not be found
    #: from the graph's lines; :class:`Later`: left in the record)
    links: GraphLinks | Later | None

    def head(self) -> Piece:
        """This piece with its links left in the record (:class:`Later`)."""
        links = self.links
        if links is None or isinstance(links, Later):
            return self
        return Piece(self.written, self.summary, self.acts, self.holders, Later(tuple(sorted({o for o, _, _ in links[1]}))))

    def pack(self) -> tuple[bytes, bytes]:
        """The head and the links, each pickled and compressed."""
        links = self.links
        if isinstance(links, Later):
            raise TypeError("a piece whose links were left in the record cannot be packed")
        return _pack(self.head()), _pack(links)

    @staticmethod
    def unpack(head: bytes, links: bytes | None = None) -> Piece:
        """The piece packed in ``head`` — with its links unpacked from ``links`` when given, else
        :class:`Later` — (raises one of :data:`UNREADABLE` when it cannot be read)."""
        piece = pickle.loads(zlib.decompress(head))
        if not isinstance(piece, Piece) or not isinstance(piece.links, (Later, type(None))):
            raise TypeError("not the head of a piece")
        if links is not None and piece.links is not None:
            piece.links = unpack_links(links)
        return piece

    @staticmethod
    def unpack_or_none(head: bytes, links: bytes | None = None) -> Piece | None:
        """:meth:`unpack`, or None when the record holds what this code cannot read."""
        try:
            return Piece.unpack(head, links)
        except UNREADABLE:
            return None


#: the heads of the pieces of a publication's statements, by statement IRI
Heads = dict[str, Piece]


def pack_heads(heads: Heads) -> bytes:
    """``heads`` as one (equal parts — a party's link, a set of roles — shared by many statements
    are one object, pickled once)."""
    return _pack(heads)


def unpack_heads(data: bytes) -> Heads | None:
    """The heads packed by :func:`pack_heads` (None: not heads this code can read)."""
    try:
        heads = pickle.loads(zlib.decompress(data))
    except UNREADABLE:
        return None
    if not isinstance(heads, dict) or not all(isinstance(p, Piece) and isinstance(p.links, (Later, type(None)))
                                              for p in heads.values()):
        return None
    return heads


def unpack_links(data: bytes) -> GraphLinks:
    """The links packed by :meth:`Piece.pack` (raises one of :data:`UNREADABLE`)."""
    links = pickle.loads(zlib.decompress(data))
    if not isinstance(links, tuple) or len(links) != 3:
        raise TypeError("not the links of a graph")
    return links


def _pack(value: object) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
