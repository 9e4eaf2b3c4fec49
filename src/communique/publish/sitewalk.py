"""The files of a published folder: their size and modification time, and those to remove.

:func:`site_files` walks folders and stats every file (674,000 files at 100,000 statements take
seconds). :class:`SiteWalk` walks them again after a publication knowing the last walk, which the
record keeps folder by folder (:data:`Row`). A folder under those a publication owns whose
modification time is the one recorded then has gained and lost no entry since (only creating,
removing or renaming an entry changes it): its entries are the recorded ones, kept as they were
recorded when none was written or is to be removed, else updated with the size and time of the
files this publication wrote as it wrote them (:meth:`SiteWalk.written`: the rows of the record).
Only folders that changed are read and their files stat-ed. A folder modified less than
:data:`RACY` before the walk is not remembered (a change within the same tick of the file
system's clock would leave its time as it was): it is read the next time.
"""

from __future__ import annotations

import os
import time
import zlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

__all__ = ["RACY", "Row", "SiteWalk", "Stat", "encoded", "file_stat", "flatten", "site_files"]

#: a folder modified this recently (nanoseconds) before a walk is read again by the next one (two
#: seconds: the coarsest clock of a common file system, FAT's)
RACY = 2_000_000_000
#: size and modification time of a file; (-1, 0) for a folder
Stat = tuple[int, int]
_FOLDER: Stat = (-1, 0)
#: what the record keeps of a folder: its modification time (0: not remembered, read next time),
#: how many files it holds, its folders' names ("\n"-separated), its files (``name\tsize\tmtime``
#: lines, zlib; or, as a walk makes it, a dict by name)
Row = tuple[int, int, str, "bytes | dict[str, Stat]"]


def file_stat(path: str | Path) -> Stat | None:
    """Size and modification time of the file at ``path`` (None: not there)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _decode(entries: bytes | dict[str, Stat]) -> dict[str, Stat]:
    if isinstance(entries, dict):
        return entries
    found: dict[str, Stat] = {}
    for line in zlib.decompress(entries).decode("utf-8").splitlines():
        name, size, mtime = line.rsplit("\t", 2)
        found[name] = (int(size), int(mtime))
    return found


def encoded(row: Row) -> tuple[int, int, str, bytes]:
    """``row`` as the record keeps it (its files as bytes)."""
    mtime, count, folders, entries = row
    if isinstance(entries, dict):
        entries = zlib.compress("".join(f"{name}\t{size}\t{at}\n" for name, (size, at) in sorted(entries.items()))
                               .encode("utf-8"), 1)
    return mtime, count, folders, entries


def flatten(rows: Mapping[str, Row]) -> dict[str, Stat]:
    """Size and time of every file (and (-1, 0) for every folder) of the folders ``rows``, by site path."""
    found: dict[str, Stat] = {}
    for rel, (_, _, folders, entries) in rows.items():
        prefix = f"{rel}/" if rel else ""
        for name in folders.split("\n") if folders else ():
            found[prefix + name] = _FOLDER
        for name, at in _decode(entries).items():
            found[prefix + name] = at
    return found


def site_files(out: Path, names: Iterable[str]) -> dict[str, Stat]:
    """Size and modification time of every file (and (-1, 0) for every folder) under ``names`` of
    ``out``, by site path, every folder read."""
    walk = SiteWalk(out)
    walk.files(names)
    return flatten(walk.rows)


class SiteWalk:
    """A walk of the folder ``out`` given the folders as the last walk left them (``recorded``,
    by site path; ``""``: the names walked in ``out``); :attr:`rows` is what it found."""

    def __init__(self, out: Path, recorded: Mapping[str, Row] | None = None) -> None:
        self.out = out
        self.recorded = recorded or {}
        self.rows: dict[str, Row] = {}
        self._written: dict[str, dict[str, Stat]] = defaultdict(dict)
        self._sorted: Sequence[str] = ()  #: the site paths owned, sorted
        self._since = 0
        self.read = 0  #: folders whose entries were read (the others were as remembered)

    def written(self, files: bytes) -> None:
        """Files this publication wrote, as the record keeps them (zlib of ``path\\tsize\\tmtime``
        lines: :meth:`.Reuse.files`)."""
        for line in zlib.decompress(files).decode("utf-8").splitlines():
            path, size, mtime = line.rsplit("\t", 2)
            folder, _, name = path.rpartition("/")
            self._written[folder][name] = (int(size), int(mtime))

    def files(self, names: Iterable[str], paths: Sequence[str] | None = None, pruned: tuple[str, ...] = ()) -> None:
        """Walk ``names``; with ``paths`` (the site paths owned), the files under the folders
        ``pruned`` that are not owned are removed, and the folders left empty. The folders under
        ``pruned`` are those a publication writes through the record, whose remembered folders are
        not read."""
        self._since = time.time_ns() - RACY
        owned = None
        if paths is not None:
            self._sorted = sorted(paths)  # (as good as free when they are sorted)
            owned = set(self._sorted)
        top: dict[str, Stat] = {}
        folders = []
        for name in names:
            path = os.path.join(self.out, name)
            if os.path.isfile(path):
                top[name] = file_stat(path) or _FOLDER
            elif os.path.isdir(path) and self._walk(path, name, owned if name in pruned else None, name in pruned):
                folders.append(name)
        self.rows[""] = (0, len(top), "\n".join(folders), top)

    def _walk(self, folder: str, rel: str, owned: set[str] | None, trusted: bool) -> bool:
        """Whether ``folder`` is still there once the files not ``owned`` are removed (None: none
        are, and it stays even when empty; else an empty folder is removed)."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:  # gone meanwhile
            return False
        row = self.recorded.get(rel)
        if trusted and row is not None and row[0] == mtime:
            count, folders, entries, held, changed = self._known(folder, rel, row, owned)
        else:
            (count, folders, entries, held), changed = self._read(folder, rel, owned, trusted), True
        if not held and owned is not None:
            os.rmdir(folder)
            return False
        if changed:
            mtime = os.stat(folder).st_mtime_ns
        self.rows[rel] = (mtime if mtime < self._since else 0, count, "\n".join(folders), entries)
        return True

    def _folders(self, folder: str, rel: str, names: Iterable[str], owned: set[str] | None,
                 trusted: bool) -> tuple[list[str], bool]:
        """The folders among ``names`` still there once walked, and whether one was removed."""
        kept = [name for name in names if self._walk(os.path.join(folder, name), f"{rel}/{name}", owned, trusted)]
        return kept, len(kept) != len(names)

    def _known(self, folder: str, rel: str, row: Row, owned: set[str] | None
               ) -> tuple[int, list[str], bytes | dict[str, Stat], bool, bool]:
        """A folder as remembered, its recorded entries: how many files, its folders, its files,
        whether it holds any, whether it changed."""
        _, count, names, entries = row
        folders, changed = self._folders(folder, rel, names.split("\n") if names else [], owned, True)
        written = self._written.get(rel)
        if written or (owned is not None and self._owned(rel, folders) != count):
            files = dict(_decode(entries))
            for name in list(files):
                if owned is not None and f"{rel}/{name}" not in owned:
                    try:
                        os.unlink(os.path.join(folder, name))
                    except FileNotFoundError:
                        pass
                    del files[name]
                    changed = True
                elif written and name in written:
                    files[name] = written[name]
            entries, count = files, len(files)
        return count, folders, entries, bool(count or folders), changed

    def _owned(self, rel: str, folders: Iterable[str]) -> int:
        """How many files owned are right in the folder ``rel`` (holding ``folders``): those under
        it but those under its folders (ranges of the sorted paths: "/" sorts before "0")."""
        paths = self._sorted

        def under(prefix: str) -> int:
            return bisect_left(paths, prefix + "0") - bisect_left(paths, prefix + "/")
        return under(rel) - sum(under(f"{rel}/{name}") for name in folders)

    def _read(self, folder: str, rel: str, owned: set[str] | None, trusted: bool
              ) -> tuple[int, list[str], dict[str, Stat], bool]:
        """A folder read, every entry stat-ed: how many files, its folders, its files, whether it
        holds anything once pruned."""
        self.read += 1
        files: dict[str, Stat] = {}
        subfolders = []
        linked = False
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():  # a link to a folder is not followed
                    subfolders.append(entry.name)
                    continue
                if owned is not None and f"{rel}/{entry.name}" not in owned:
                    os.unlink(entry.path)
                    continue
                if entry.is_dir():
                    linked = True
                    continue  # (a link to a folder, kept: not recorded)
                try:
                    st = entry.stat()
                except OSError:
                    files[entry.name] = _FOLDER
                    continue
                files[entry.name] = (st.st_size, st.st_mtime_ns)
        folders, _ = self._folders(folder, rel, sorted(subfolders), owned, trusted)
        return len(files), folders, files, bool(files or folders or linked)
