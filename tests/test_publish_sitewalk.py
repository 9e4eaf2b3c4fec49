"""Walking a published folder again: only the folders that changed since the last walk are read."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

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
