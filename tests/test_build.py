"""build.py: incremental, idempotent, parallel builds give the same store as a full build."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from communique.build import build
from communique.store import GraphStore

from .conftest import DATA, write


def _sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(DATA, src)
    return src


def test_rebuild_skips_unchanged_and_gives_the_same_store(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    first = build([src], store=store, jobs=1)
    n = len(first.built)
    before = store.nquads()
    again = build([src], store=store, jobs=1)
    assert again.built == [] and again.unchanged == n and store.nquads() == before


def test_changed_and_removed_sources(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    build([src], store=store, jobs=1)
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("January 23, 2019", "January 24, 2019"), encoding="utf-8")
    (src / "2019-02-04-media-note-humanitarian-assistance-coordination.txt").unlink()
    report = build([src], store=store, jobs=1)
    assert [b.rsplit("/statement/", 1)[1] for b in report.built] == [
        "2019/01/24/continuing-us-diplomatic-presence-in-venezuela"]
    assert len(report.removed) == 2  # the media note, and the seed's IRI of the 23rd
    names = store.statement_names()
    assert not any("2019/02/04" in n or "2019/01/23" in n for n in names)
    state = json.loads((tmp_path / "store.state.json").read_text())
    assert any("2019/02/04" in g for g in state["gone"])
    # a full build of the same sources gives the same store
    full = GraphStore()
    build([src], store=full, jobs=1)
    assert full.nquads() == store.nquads()


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    src = tmp_path / "many"
    for n, f in enumerate(sorted(DATA.glob("*.txt")) * 3):
        text = f.read_text(encoding="utf-8").replace("# ", f"# Part {n}: ", 1)
        write(src / f"{n:02d}-{f.name}", text)
    serial, parallel = GraphStore(), GraphStore()
    a = build([src], store=serial, jobs=1)
    b = build([src], store=parallel, jobs=2)
    assert a.built == b.built and serial.nquads() == parallel.nquads()


def test_same_title_and_date_from_two_sources_get_two_iris(tmp_path: Path) -> None:
    seed = DATA / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    write(tmp_path / "a.txt", seed.read_bytes())
    write(tmp_path / "b.txt", seed.read_text(encoding="utf-8") + "\nOne more paragraph.\n")
    report = build([tmp_path], store=GraphStore(), jobs=1)
    assert len(set(report.built)) == 2


def test_rejected_documents_are_reported_on_every_build(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    write(src / "empty.txt", "")
    store = GraphStore(tmp_path / "store")
    assert [r.source for r in build([src], store=store, jobs=1).rejected] == [str(src / "empty.txt")]
    assert [r.source for r in build([src], store=store, jobs=1).rejected] == [str(src / "empty.txt")]


def test_web_archive_records_that_are_not_statements_are_counted(tmp_path: Path) -> None:
    from .test_ingest_html_warc import _warc

    data, _ = _warc(True)
    write(tmp_path / "capture.warc.gz", data)
    report = build([tmp_path], store=GraphStore(), jobs=1)
    assert len(report.built) == 1
    assert report.skipped == {"metadata": 1, "non-html": 1, "request": 1, "status 404": 1}


def test_an_unfinished_build_is_followed_by_a_full_one(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    n = len(build([src], store=store, jobs=1).built)
    assert not (tmp_path / "store.building").exists()
    (tmp_path / "store.building").touch()  # what a build that was killed leaves behind
    again = build([src], store=store, jobs=1)
    assert len(again.built) == n and again.unchanged == 0
    assert not (tmp_path / "store.building").exists()


def test_a_touched_source_is_hashed_and_not_rebuilt(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    n = len(build([src], store=store, jobs=1).built)
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.touch()
    os.utime(seed, ns=(seed.stat().st_atime_ns, seed.stat().st_mtime_ns + 5_000_000_000))
    report = build([src], store=store, jobs=1)
    assert report.built == [] and report.unchanged == n


def test_a_source_moved_to_another_name_keeps_its_statement(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    build([src], store=store, jobs=1)
    before = store.nquads()
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.rename(src / "renamed.txt")
    report = build([src], store=store, jobs=1)
    assert len(report.built) == 1 and store.nquads().count("\n") == before.count("\n")
    state = json.loads((tmp_path / "store.state.json").read_text())
    assert not any("2019/01/23" in g for g in state["gone"])  # the statement is still there


def test_the_triple_count_follows_the_store(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    assert build([src], store=store, jobs=1).triples == len(store)
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe United States also recognizes Kosovo.\n", encoding="utf-8")
    assert build([src], store=store, jobs=1).triples == len(store)
    (src / "2019-02-04-media-note-humanitarian-assistance-coordination.txt").unlink()
    assert build([src], store=store, jobs=1).triples == len(store)
    assert build([src], store=store, jobs=1).triples == len(store)


def test_the_description_of_a_published_build_counts_the_store(tmp_path: Path) -> None:
    """``build --out`` gives publishing the triples it counted (the store is not read for them):
    the description says as many as the store has, after a change too."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import VOID

    from communique.iris import IRIs

    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    out = tmp_path / "site"
    dataset = URIRef(IRIs().base + "void")

    def described() -> int:
        return int(Graph().parse(out / "void.nt").value(dataset, VOID.triples))

    assert build([src], store=store, out=out, jobs=1).triples == len(store) == described()
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe United States also recognizes Kosovo.\n", encoding="utf-8")
    before = len(store)
    assert build([src], store=store, out=out, jobs=1).triples == len(store) == described() != before


def test_a_fresh_build_loads_one_spool_and_removes_it(tmp_path: Path) -> None:
    """A store built from empty is bulk-loaded from one spool file beside it, which goes away."""
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    calls: list[Path] = []
    load = store.bulk_load_file
    store.bulk_load_file = lambda path: (calls.append(path), load(path))[1]  # type: ignore[method-assign]
    report = build([src], store=store, jobs=1)
    assert calls == [tmp_path / "store.load.nq"] and not calls[0].exists()
    assert report.triples == len(store) and len(store.statement_names()) == len(report.built)


def test_a_failed_fresh_build_removes_its_spool(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")

    def fail(path: Path) -> None:
        assert path.exists() and path.stat().st_size > 0
        raise OSError("disk full")
    store.bulk_load_file = fail  # type: ignore[method-assign]
    try:
        build([src], store=store, jobs=1)
    except OSError:
        pass
    else:
        raise AssertionError("the failed load was not reported")
    assert not (tmp_path / "store.load.nq").exists()
    assert (tmp_path / "store.building").exists()  # the next build starts from empty again


def test_a_fresh_build_that_publishes_compacts_the_store(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    store = GraphStore(tmp_path / "store")
    calls: list[bool] = []
    compact = store.optimize
    store.optimize = lambda: (calls.append(True), compact())[1]  # type: ignore[method-assign]
    build([src], store=store, jobs=1)
    assert calls == []  # the store only: no compaction unless asked
    build([src], out=tmp_path / "lod", store=store, jobs=1, full=True)
    assert calls == [True]
    seed = src / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build([src], out=tmp_path / "lod", store=store, jobs=1)  # incremental: not again
    assert calls == [True]
    build([src], store=store, jobs=1, optimize=True)
    assert calls == [True, True]
