"""Walking a published folder again: only the folders that changed since the last walk are read."""

from __future__ import annotations

import os
import random
import time
import zlib
from pathlib import Path

import pytest

from communique.publish import sitewalk
from communique.publish.documents import write_file
from communique.publish.sitewalk import Row, SiteWalk, encoded, flatten, site_files

NAMES = ("statement", "index.html")
PRUNED = ("statement",)
FILES = ("statement/2019/01/a.ttl", "statement/2019/01/a.html", "statement/2019/02/b.ttl",
         "statement/2020/01/c.ttl", "index.html")


def _site(out: Path) -> None:
    for path in FILES:
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(path, encoding="utf-8")
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        os.utime(folder, ns=(10**18, 10**18))  # long before the walk: not racy


def _walk(out: Path, recorded: dict[str, Row] | None, owned: set[str] = set(FILES),
          written: tuple[str, ...] = ()) -> SiteWalk:
    walk = SiteWalk(out, recorded)
    for path in written:
        st = (out / path).stat()
        walk.written(zlib.compress(f"{path}\t{st.st_size}\t{st.st_mtime_ns}\n".encode(), 1))
    walk.files(NAMES, owned, PRUNED)
    walk.rows = {path: encoded(row) for path, row in walk.rows.items()}  # as the record keeps them
    return walk


def test_folders_as_remembered_are_not_read_and_give_the_files_recorded(tmp_path: Path) -> None:
    out = tmp_path / "lod"
    _site(out)
    first = _walk(out, None)
    assert first.read == 6 and flatten(first.rows) == site_files(out, NAMES)  # statement, 2019, 01, 02, 2020, 01
    assert all(row[0] != 0 for path, row in first.rows.items() if path)  # all remembered
    page = out / "statement/2019/01/a.html"
    page.write_text("written again, in place", encoding="utf-8")  # its folder's time does not move
    again = _walk(out, first.rows, written=("statement/2019/01/a.html",))
    assert again.read == 0 and flatten(again.rows) == site_files(out, NAMES)
    assert again.rows["statement/2019/02"] == first.rows["statement/2019/02"]  # the same row, not rewritten


def test_a_folder_that_gained_an_entry_is_read_and_the_files_not_owned_go(tmp_path: Path) -> None:
    out = tmp_path / "lod"
    _site(out)
    first = _walk(out, None)
    (out / "statement/2019/02/stray.html").write_text("not the publication's", encoding="utf-8")
    owned = {p for p in FILES if not p.startswith(("statement/2020", "statement/2019/01/a.html"))}
    again = _walk(out, first.rows, owned)
    assert again.read == 1  # statement/2019/02, where an entry appeared
    assert not (out / "statement/2019/02/stray.html").exists() and not (out / "statement/2020").exists()
    assert not (out / "statement/2019/01/a.html").exists()  # from a folder as remembered: no more owned
    assert flatten(again.rows) == site_files(out, NAMES) and "statement/2019/02/b.ttl" in flatten(again.rows)
    # the folders changed by this walk were changed just now: the next walk reads them
    assert {row[0] for path, row in again.rows.items() if path in ("statement", "statement/2019/01")} == {0}
    third = _walk(out, again.rows, owned)
    assert flatten(third.rows) == flatten(again.rows) and third.read == 3  # statement, 2019/01, 2019/02


def test_a_folder_changed_just_before_the_walk_is_read_next_time(tmp_path: Path) -> None:
    out = tmp_path / "lod"
    _site(out)
    (out / "statement/2019/01/d.ttl").write_text("new", encoding="utf-8")  # 2019/01 changed just now
    first = _walk(out, None, {*FILES, "statement/2019/01/d.ttl"})
    assert first.rows["statement/2019/01"][0] == 0 and first.rows["statement/2019/02"][0] != 0
    again = _walk(out, first.rows, {*FILES, "statement/2019/01/d.ttl"})
    assert flatten(again.rows) == flatten(first.rows) and again.read == 1


def test_walks_after_random_publications_record_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds of publications (files added, removed, written over in place), stray files and
    folders: after each walk the rows are the folder, and the folder holds what is owned only."""
    monkeypatch.setattr(sitewalk, "RACY", 0)  # every folder remembered: the changes come a tick later
    rng = random.Random(7)
    out = tmp_path / "lod"
    universe = [f"statement/{y}/{m:02d}/{n}.ttl" for y in (2019, 2020) for m in (1, 2, 3) for n in "abcd"]
    owned: set[str] = set()
    rows: dict[str, Row] | None = None
    written: list[str] = []
    reads = []
    for _ in range(40):
        walk = _walk(out, rows, owned, tuple(written)) if out.exists() else None
        if walk is not None:
            rows = walk.rows
            reads.append(walk.read)
            on_disk = {p.relative_to(out).as_posix() for p in (out / "statement").rglob("*") if p.is_file()} \
                if (out / "statement").exists() else set()
            assert on_disk == owned and flatten(rows) == site_files(out, NAMES)
        time.sleep(0.02)
        gone = set(rng.sample(sorted(owned), min(len(owned), rng.randint(0, 2))))
        free = [p for p in universe if p not in owned]
        added = set(rng.sample(free, min(len(free), rng.randint(0, 3))))
        again = set(rng.sample(sorted(owned - gone), min(len(owned - gone), rng.randint(0, 2))))
        owned = (owned - gone) | added
        written = sorted(added | again)
        for path in written:  # a publication writes them (over the file there, in place; its folder made)
            write_file(out / path, f"{path} {rng.random()}\n" * rng.randint(1, 3))
        if rng.random() < 0.3:  # a stray file, in a folder of the site or one of its own
            folder = out / rng.choice(["statement/2019/01", "statement/2020/03", "statement/1999/stray"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "stray.html").write_text("not the publication's", encoding="utf-8")
        (out / "index.html").parent.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text("home", encoding="utf-8")
    assert 0 in reads[1:] or min(reads[1:]) < max(reads)  # remembered folders were not read
