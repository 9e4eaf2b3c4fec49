"""The dumps of the whole dataset, written in one pass over the store's lines, in bounded memory.

``dumps/communique.nq.gz`` is ``gzip.compress(store.nquads().encode(), LEVEL, mtime=0)`` and
``dumps/communique.ttl.gz`` the same of ``serialize(store.nquads(), "turtle")``; this module
writes the same bytes from the sorted N-Quads lines, given as an iterator (read from the store, or
merged from sorted runs on disk: :class:`SortedRuns`):

- the N-Quads go through one ``zlib`` stream in pieces (its output does not depend on how its
  input is cut), compressed in a thread (zlib lets go of the interpreter) while the Turtle is made;
- the Turtle's triples are the union of all graphs sorted by their N-Triples form. When the store
  has no triple in its default graph, every N-Quads line ends with its graph's name: without it,
  the sorted lines give the triples already sorted (a term's form is never a proper prefix of
  another's followed by a character below the space), each once when its copies are adjacent.
  That order is checked as the lines go by, and each piece of lines is checked to be what Oxigraph
  writes of the triples it parses from it; Oxigraph writes the Turtle to a temporary file, whose prefix
  declarations are then sorted as :func:`communique.export.serialize` sorts them. Should a check
  fail, the Turtle is made as :mod:`communique.export` makes it, from the whole text.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain, islice
from pathlib import Path

import pyoxigraph as ox

from ..export import serialize
from ..namespaces import PREFIXES
from ..nquads import lines_of
from ..store import GraphStore

__all__ = ["LEVEL", "GzipFile", "SortedRuns", "sorted_nquads", "write_gzipped_dumps"]

#: gzip's compression level of the dumps: its default, 6 (level 9 took 1.7x the time at 10,000
#: statements, for files 4-5% smaller)
LEVEL = 6
#: lines per piece handed to the compressor or to Oxigraph's parser
PIECE = 20_000
#: bytes per read of the Turtle written by Oxigraph
BLOCK = 1 << 20
_PREFIX = b"@prefix "

#: what gives the sorted, distinct N-Quads lines of the store (without newlines), afresh each call
Lines = Callable[[], Iterator[str]]


class GzipFile:
    """``gzip.compress(data, LEVEL, mtime=0)`` of data given in pieces, written to ``target``."""

    def __init__(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self._file = target.open("wb")
        self._zlib = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
        self._sha = hashlib.sha256()
        self.size = 0

    def _out(self, data: bytes) -> None:
        self._file.write(data)
        self._sha.update(data)
        self.size += len(data)

    def write(self, data: bytes | memoryview) -> None:
        self._out(self._zlib.compress(data))

    def close(self) -> str:
        """Finish the stream; return the SHA-256 of the file."""
        self._out(self._zlib.flush())
        self._file.close()
        return self._sha.hexdigest()


class SortedRuns:
    """Sorted runs of N-Quads lines in files of a temporary folder, merged when read."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="communique-nquads-"))
        self.runs: list[Path] = []
        self.count = 0

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
        shutil.rmtree(self.folder, ignore_errors=True)


def sorted_nquads(store: GraphStore) -> list[str]:
    """The lines of :meth:`GraphStore.nquads` (without their newlines)."""
    if not isinstance(store, GraphStore):
        return lines_of(store.nquads())
    return store.lines()


class _Compression:
    """Lines into a :class:`GzipFile` in pieces, each compressed in a thread, in order."""

    def __init__(self, target: Path, thread: ThreadPoolExecutor) -> None:
        self.file, self.thread = GzipFile(target), thread
        self.piece: list[str] = []
        self.pending: Future[None] | None = None

    def add(self, lines: list[str]) -> None:
        self.piece += lines
        if len(self.piece) >= PIECE:
            self._flush()

    def _flush(self) -> None:
        data = ("\n".join(self.piece) + "\n").encode("utf-8") if self.piece else b""
        self.piece = []
        if self.pending is not None:
            self.pending.result()
        self.pending = self.thread.submit(self.file.write, data)

    def close(self) -> tuple[str, int]:
        self._flush()
        if self.pending is not None:
            self.pending.result()
        return self.file.close(), self.file.size


class _Unsorted(Exception):
    """The lines are not the sorted forms of their triples: sort them."""


def _pieces(lines: Iterator[str]) -> Iterator[list[str]]:
    """The lines, :data:`PIECE` at a time."""
    while piece := list(islice(lines, PIECE)):
        yield piece


def _passing(pieces: Iterator[list[str]], compression: _Compression) -> Iterator[list[str]]:
    for piece in pieces:
        compression.add(piece)
        yield piece


def _triple_lines(pieces: Iterable[list[str]]) -> Iterator[list[str]]:
    """The N-Triples lines of sorted N-Quads lines that all carry a graph name, each once."""
    previous = ""
    for piece in pieces:
        triples: list[str] = []
        for line in piece:
            triple = line[:-2].rsplit(" ", 1)[0] + " ."
            if triple == previous:
                continue
            if triple < previous:
                raise _Unsorted
            previous = triple
            triples.append(triple)
        yield triples


def _triples(pieces: Iterable[list[str]]) -> Iterator[ox.Quad]:
    """The triples of the sorted lines (as quads of the default graph), parsed a piece at a time;
    each piece must be exactly what Oxigraph writes of what it parses from it."""
    def parsed() -> Iterator[list[ox.Quad]]:
        for piece in _triple_lines(pieces):
            text = "".join(f"{t}\n" for t in piece).encode("utf-8")
            quads = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
            if len(quads) != len(piece) or ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) != text:
                raise _Unsorted
            yield quads
    return chain.from_iterable(parsed())


def _head(path: Path) -> tuple[bytes, int] | None:
    """The sorted prefix declarations of the Turtle in ``path`` (then a blank line), and where its
    body starts; None unless the declarations are its first lines and no other line is one."""
    with path.open("rb") as file:
        data, count, position = file.read(BLOCK), 0, 0
        while True:
            while len(data) - position < len(_PREFIX) and (block := file.read(BLOCK)):
                data += block
            if not data.startswith(_PREFIX, position):
                break
            while (end := data.find(b"\n", position)) < 0 and (block := file.read(BLOCK)):
                data += block
            if end < 0:
                return None
            count, position = count + 1, end + 1
        needle = b"\n" + _PREFIX  # a line of the body that would be a declaration too
        rest = data[position:]
        while True:
            if rest.find(needle) >= 0:
                return None
            block = file.read(BLOCK)
            if not block:
                break
            rest = rest[1 - len(needle):] + block
    head = sorted(data[:position].split(b"\n")[:count])
    return (b"\n".join(head) + b"\n\n" if head else b"\n"), position


def _fast_turtle(store: GraphStore, pieces: Iterator[list[str]], target: Path) -> bool:
    """Write the Turtle dump to ``target`` from the sorted lines; False when it must be made the
    slow way (the lines are read on regardless, by whoever reads them after)."""
    if not isinstance(store, GraphStore) or bool(store.oxigraph.query("ASK { ?s ?p ?o }")):
        return False  # a triple in the default graph: its line has no graph name to take off
    with tempfile.TemporaryDirectory(prefix="communique-turtle-") as folder:
        written = Path(folder) / "dump.ttl"
        try:
            ox.serialize(_triples(pieces), output=str(written), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        except (_Unsorted, SyntaxError, ValueError):
            return False
        head = _head(written)
        if head is None:
            return False
        file = GzipFile(target)
        file.write(head[0])
        with written.open("rb") as turtle:
            turtle.seek(head[1])
            while block := turtle.read(BLOCK):
                file.write(block)
        file.close()
    return True


def write_gzipped_dumps(store: GraphStore, nq: Path, ttl: Path, lines: Lines) -> tuple[tuple[str, int], tuple[str, int]]:
    """``nq`` and ``ttl`` from the store's sorted N-Quads ``lines``; (SHA-256, size) of each."""
    with ThreadPoolExecutor(1) as thread:
        compression = _Compression(nq, thread)
        rest = _pieces(lines())
        fast = _fast_turtle(store, _passing(rest, compression), ttl)
        for piece in rest:  # what the Turtle did not read, when it stopped early
            compression.add(piece)
        nq_dump = compression.close()
    if not fast:
        file = GzipFile(ttl)
        file.write(serialize("".join(line + "\n" for line in lines()), "turtle").encode("utf-8"))
        file.close()
    return nq_dump, (_sha256(ttl), os.path.getsize(ttl))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()
