"""The dumps of the whole dataset, written in one pass over the store's lines, in bounded memory.

``dumps/communique.nq.gz`` is ``store.nquads()`` and ``dumps/communique.ttl.gz`` the Turtle of the
union of its graphs (``serialize(store.nquads(), "turtle")``), both gzipped at :data:`LEVEL`. This
module writes them from the sorted N-Quads lines, given as an iterator (read from the store, or
merged from sorted runs on disk: :class:`SortedRuns`), cut into *members* — runs of lines that end
where the subject changes to one whose CRC-32 ends in :data:`MEMBER_MASK` zero bits, so that where a
member ends depends only on the lines near it. Each member is a gzip member of its own in both files
(a gzip file may hold several; every gzip reader reads them as one stream), and the SHA-256 of its
text names it: publishing again, a member whose text an earlier dump holds is copied from it
(:class:`Earlier`) instead of being compressed and written as Turtle again — and when the versions
of the graphs are known, the members that no changed graph touches are copied without their lines
being read at all (a *plan*: see :mod:`.members`). The bytes depend only on the lines, never on
what was copied.

- The N-Quads of a member are compressed in a thread (zlib lets go of the interpreter) while its
  Turtle is made.
- The Turtle's triples are the union of all graphs sorted by their N-Triples form. When the store
  has no triple in its default graph, every N-Quads line ends with its graph's name: without it,
  the sorted lines give the triples already sorted (a term's form is never a proper prefix of
  another's followed by a character below the space), each once when its copies are adjacent
  (they share a subject, hence a member). That order is checked, and each member's lines are
  checked to be what Oxigraph writes of the triples it parses from them; Oxigraph writes each
  member's Turtle, after one head of prefix declarations sorted as
  :func:`communique.export.serialize` sorts them. Should a check fail, the Turtle is made as
  :mod:`communique.export` makes it, from the whole text, in one member.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..export import serialize
from ..namespaces import PREFIXES
from ..nquads import lines_of
from ..stopping import held
from ..store import GraphStore

__all__ = ["LEVEL", "MEMBER_MASK", "Earlier", "Member", "Planned", "SortedRuns", "StaleMember", "Written",
           "cut_members", "gzip_member", "sorted_nquads", "write_gzipped_dumps"]

#: gzip's compression level of the dumps: its default, 6 (level 9 took 1.7x the time at 10,000
#: statements, for files 4-5% smaller)
LEVEL = 6
#: lines read at a time
PIECE = 20_000
#: a member of the dumps ends before a subject whose CRC-32 has these bits all zero: ~256
#: subjects a member (at 10,000 statements ~1,400 lines and 400 kB of text on average, 1,000
#: members; a larger mask made members of 50 MB where subjects have many lines)
MEMBER_MASK = 0xFF
_PREFIX = b"@prefix "

#: what gives the sorted, distinct N-Quads lines of the store (without newlines), afresh each call
Lines = Callable[[], Iterator[str]]


class SortedRuns:
    """Sorted runs of N-Quads lines in files of a temporary folder, merged when read."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self.runs: list[Path] = []
        self.count = 0

    def make(self) -> Path:
        """Make the temporary folder (before processes are forked to write runs into it)."""
        with held():  # made and known in one step: a stop cannot leave it unknown behind
            self._folder = Path(tempfile.mkdtemp(prefix="communique-nquads-"))
        return self._folder

    @property
    def folder(self) -> Path:
        if self._folder is None:
            raise RuntimeError("SortedRuns.make() was not called")
        return self._folder

    @staticmethod
    def write(path: Path, lines: list[str]) -> None:
        """A run: ``lines``, sorted, one per line (in any process)."""
        lines.sort()
        with path.open("w", encoding="utf-8", newline="\n") as file:
            file.writelines(line + "\n" for line in lines)

    def add(self, path: Path, count: int) -> None:
        self.runs.append(path)
        self.count += count

    def lines(self) -> Iterator[str]:
        """All the lines, merged in order."""
        files = [run.open(encoding="utf-8", newline="\n") for run in self.runs]
        try:
            yield from heapq.merge(*((line[:-1] for line in file) for file in files))
        finally:
            for file in files:
                file.close()

    def remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def sorted_nquads(store: GraphStore) -> list[str]:
    """The lines of :meth:`GraphStore.nquads` (without their newlines)."""
    if not isinstance(store, GraphStore):
        return lines_of(store.nquads())
    return store.lines()


class _Unsorted(Exception):
    """The lines are not the sorted forms of their triples: sort them."""


def _pieces(lines: Iterator[str]) -> Iterator[list[str]]:
    """The lines, :data:`PIECE` at a time."""
    while piece := list(islice(lines, PIECE)):
        yield piece


def cut_members(lines: Iterator[str]) -> Iterator[list[str]]:
    """The lines cut into members: a member ends before a line whose subject differs from the line
    before and has the low bits :data:`MEMBER_MASK` of its CRC-32 all zero (where members end
    depends on the lines around, not on what changed elsewhere)."""
    member: list[str] = []
    previous = ""
    for piece in _pieces(lines):
        for line in piece:
            subject = line[:line.find(" ")]
            if subject != previous:
                if member and not zlib.crc32(subject.encode("utf-8")) & MEMBER_MASK:
                    yield member
                    member = []
                previous = subject
            member.append(line)
    if member:
        yield member


def gzip_member(data: bytes) -> bytes:
    """``gzip.compress(data, LEVEL, mtime=0)``: one gzip member."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def _triple_lines(member: list[str]) -> list[str]:
    """The N-Triples lines of sorted N-Quads lines that all carry a graph name, each once (the
    copies of a triple in several graphs are adjacent, and in one member: they share a subject)."""
    previous = ""
    triples: list[str] = []
    for line in member:
        triple = line[:-2].rsplit(" ", 1)[0] + " ."
        if triple == previous:
            continue
        if triple < previous:
            raise _Unsorted
        previous = triple
        triples.append(triple)
    return triples


def _turtle_head() -> bytes:
    """The prefix declarations of the Turtle dump, sorted, then a blank line."""
    one = ox.Quad(ox.NamedNode("urn:x-s"), ox.NamedNode("urn:x-p"), ox.NamedNode("urn:x-o"))
    lines = ox.serialize([one], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).split(b"\n")[:len(PREFIXES)]
    return b"\n".join(sorted(lines)) + b"\n\n"


def _turtle(member: list[str]) -> bytes:
    """The Turtle of a member's triples without its prefix declarations; the lines must be exactly
    what Oxigraph writes of the triples it parses from them."""
    triples = _triple_lines(member)
    text = "".join(f"{t}\n" for t in triples).encode("utf-8")
    quads = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    if len(quads) != len(triples) or ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) != text:
        raise _Unsorted
    turtle = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    lines = turtle.split(b"\n", len(PREFIXES))
    if len(lines) <= len(PREFIXES) or not all(line.startswith(_PREFIX) for line in lines[:-1]) \
            or b"\n" + _PREFIX in b"\n" + lines[-1]:
        raise _Unsorted
    return lines[-1]


@dataclass(frozen=True)
class Member:
    """A member of the dumps as the record of a publication keeps it."""

    key: bytes  #: the SHA-256 of its text
    at: tuple[int, int, int, int]  #: offset and length of its N-Quads in the one dump, of its Turtle in the other
    start: str  #: its first subject
    graphs: tuple[str, ...]  #: the graphs its lines are in (terms), sorted


#: what the dumps are written from, member by member: the lines of a member to make, or a member of
#: the earlier dumps to copy as it is (see :mod:`.members`)
Planned = list[str] | Member


@dataclass
class Earlier:
    """The dumps written before (files as they were written) and their members, in order."""

    nq: Path
    ttl: Path
    members: list[Member] = field(default_factory=list)
    graphs: dict[str, str] | None = None  #: the version of each graph (term) they hold, when known


@dataclass
class Written:
    """A dump written: its SHA-256 and size."""

    sha256: str
    size: int


class _Output:
    """A dump written member by member into ``target`` (through a temporary file beside it)."""

    def __init__(self, target: Path, earlier: Path | None) -> None:
        self.target, self.partial = target, target.with_name(target.name + ".partial")
        self._earlier_path = earlier
        self._file: BinaryIO | None = None
        self._earlier: BinaryIO | None = None
        self._sha = hashlib.sha256()
        self.size = 0

    def open(self) -> None:
        """Make the temporary file (:meth:`discard` removes it by its name, opened or not)."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.partial.open("wb")
        earlier = self._earlier_path
        self._earlier = earlier.open("rb") if earlier is not None and earlier.is_file() else None

    def write(self, data: bytes) -> tuple[int, int]:
        offset = self.size
        assert self._file is not None, "write before open"
        self._file.write(data)
        self._sha.update(data)
        self.size += len(data)
        return offset, len(data)

    def earlier(self, offset: int, length: int) -> bytes | None:
        """The member at ``offset`` of the earlier file (None without it, or when it is shorter)."""
        if self._earlier is None:
            return None
        data = os.pread(self._earlier.fileno(), length, offset)
        return data if len(data) == length else None

    def _close_files(self) -> None:
        for file in (self._file, self._earlier):
            if file is not None:
                file.close()

    def close(self) -> Written:
        self._close_files()
        os.replace(self.partial, self.target)
        return Written(self._sha.hexdigest(), self.size)

    def discard(self) -> None:
        self._close_files()
        self.partial.unlink(missing_ok=True)


class StaleMember(Exception):
    """A member to copy is not in the earlier dumps as recorded (they changed since)."""


def _graphs(member: list[str]) -> tuple[str, ...]:
    return tuple(sorted({line[line.rindex(" ", 0, len(line) - 2) + 1:-2] for line in member}))


def write_gzipped_dumps(store: GraphStore, nq: Path, ttl: Path, lines: Lines, earlier: Earlier | None = None,
                        plan: Iterable[Planned] | None = None) -> tuple[Written, Written, list[Member]]:
    """``nq`` and ``ttl`` from the store's sorted N-Quads ``lines``, member by member — or, given
    a ``plan``, from its members — copying from ``earlier`` the members whose text it has; the two
    dumps written, and their members (none when the Turtle had to be made the slow way). A planned
    member to copy that the earlier dumps do not hold as recorded raises :class:`StaleMember`."""
    known = {m.key: m.at for m in earlier.members} if earlier is not None else {}
    nq_out = _Output(nq, earlier.nq if earlier is not None and known else None)
    ttl_out = _Output(ttl, earlier.ttl if earlier is not None and known else None)
    # a triple in the default graph: its line has no graph name to take off
    fast = isinstance(store, GraphStore) and not bool(store.oxigraph.query("ASK { ?s ?p ?o }"))
    members: list[Member] = []
    try:
        nq_out.open()
        ttl_out.open()
        if fast:
            ttl_out.write(gzip_member(_turtle_head()))
        with ThreadPoolExecutor(1) as thread:  # zlib lets go of the interpreter
            for member in plan if plan is not None else cut_members(lines()):
                if isinstance(member, Member):
                    nq_data, ttl_data = nq_out.earlier(*member.at[:2]), ttl_out.earlier(*member.at[2:])
                    if nq_data is None or ttl_data is None or not fast:
                        raise StaleMember(member.start)
                    members.append(replace(member, at=(*nq_out.write(nq_data), *ttl_out.write(ttl_data))))
                    continue
                text = ("\n".join(member) + "\n").encode("utf-8")
                key = hashlib.sha256(text).digest()
                start, graphs = member[0][:member[0].find(" ")], _graphs(member)
                at = known.get(key)
                if at is not None and fast:
                    nq_data, ttl_data = nq_out.earlier(*at[:2]), ttl_out.earlier(*at[2:])
                    if nq_data is not None and ttl_data is not None:
                        members.append(Member(key, (*nq_out.write(nq_data), *ttl_out.write(ttl_data)), start, graphs))
                        continue
                compressed: Future[bytes] = thread.submit(gzip_member, text)
                turtle = None
                if fast:
                    try:
                        turtle = gzip_member(_turtle(member))
                    except (_Unsorted, SyntaxError, ValueError):
                        fast = False
                nq_at = nq_out.write(compressed.result())
                if turtle is not None:
                    members.append(Member(key, (*nq_at, *ttl_out.write(turtle)), start, graphs))
        if not fast:
            members = []
            ttl_out.discard()
            ttl_out = _Output(ttl, None)
            ttl_out.open()
            ttl_out.write(gzip_member(serialize("".join(line + "\n" for line in lines()), "turtle").encode("utf-8")))
    except BaseException:
        nq_out.discard()
        ttl_out.discard()
        raise
    return nq_out.close(), ttl_out.close(), members
