"""Publishing again into the same folder keeps the files of the statements that did not change, and
the folder is then the same, byte for byte, as a publication into an empty folder."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.iris import IRIs
from communique.pipeline import build
from communique.publish import Publication, publish, reuse
from communique.publish import forking
from communique.publish.corpus import Corpus
from communique.publish.fingerprint import Fingerprints
from communique.publish.reuse import reuse_path
from communique.store import GraphStore

from .conftest import FEW, ROOT, corpus_generator

STATEMENTS = ROOT / "data" / "statements"
pytestmark = pytest.mark.usefixtures("parallel_from_few")




def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``root``."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


def assert_same(one: Path, two: Path) -> None:
    a, b = tree(one), tree(two)
    assert sorted(set(a) ^ set(b)) == []
    assert [name for name in a if a[name] != b[name]] == []


def again(store: GraphStore, out: Path, jobs: int = 2, **options: object) -> Publication:
    report = Publication()
    publish(store, out, IRIs(), jobs=jobs, report=report, **options)  # type: ignore[arg-type]
    return report


def fresh(store: GraphStore, out: Path) -> Path:
    """A publication of ``store`` into an empty folder, without the record."""
    shutil.rmtree(out, ignore_errors=True)
    assert again(store, out, jobs=1, reuse=False).kept == 0
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("reuse-corpus")
    corpus_generator().generate(FEW, 7, tmp / "corpus")
    return tmp / "corpus"


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory, parallel_from_few: None) -> Path:
    """The corpus built once: a folder with ``sources/`` and ``pristine/`` (the store and the files
    beside it)."""
    tmp = tmp_path_factory.mktemp("reuse-built")
    shutil.copytree(corpus, tmp / "sources")
    store = GraphStore(tmp / "pristine" / "store")
    build([tmp / "sources"], store=store, jobs=1)
    assert len(store.statement_names()) >= forking.PARALLEL_MIN
    del store
    gc.collect()  # the store closes when it is collected: then it can be copied
    return tmp


@pytest.fixture()
def workspace(built: Path, corpus: Path, tmp_path: Path) -> Iterator[tuple[Path, GraphStore]]:
    """The built sources (as they were built: the state file names them) and a copy of the store of
    its own; the sources are as built again after the test."""
    for path in (built / "pristine").iterdir():
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, tmp_path / path.name)
    yield built / "sources", GraphStore(tmp_path / "store")
    shutil.rmtree(built / "sources")
    shutil.copytree(corpus, built / "sources")


def test_changes_rewrite_only_their_statements(workspace: tuple[Path, GraphStore], tmp_path: Path) -> None:
    sources, store = workspace
    out = tmp_path / "site"
    first = again(store, out)
    assert (first.written, first.kept) == (len(store.statement_names()), 0)
    assert reuse_path(store.path).exists()  # type: ignore[arg-type]
    unchanged = again(store, out)
    assert (unchanged.written, unchanged.kept) == (0, len(store.statement_names()))
    assert_same(out, fresh(store, tmp_path / "fresh"))
    # one statement changed, one removed, one added
    files = sorted(p for p in sources.rglob("*.txt"))
    changed, removed = files[3], files[4]
    changed.write_text(changed.read_text(encoding="utf-8").replace(" the ", " The ", 1), encoding="utf-8")
    removed.unlink()
    shutil.copy(STATEMENTS / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt", sources / "added.txt")
    report = build([sources], store=store, jobs=1)
    assert (len(report.built), len(report.removed)) == (2, 1)
    after = again(store, out)
    assert after.written == 2 and after.kept == len(store.statement_names()) - 2
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_a_changed_party_description_rewrites_the_statements_that_name_it(
        workspace: tuple[Path, GraphStore], tmp_path: Path) -> None:
    _, store = workspace
    out = tmp_path / "site"
    again(store, out, jobs=1)
    entities = str(IRIs().entities_graph())
    lines = store.nquads(entities).splitlines()
    country = "<https://w3id.org/communique/id/country/venezuela>"
    label = next(line for line in lines if line.startswith(country + " <http://www.w3.org/2000/01/rdf-schema#label>"))
    lines[lines.index(label)] = label.replace('"Venezuela"', '"Bolivarian Republic of Venezuela"')
    assert lines.count(label) == 0 and any("Bolivarian" in line for line in lines)
    store.load_ntriples(entities, "".join(line + "\n" for line in lines))
    naming = sum(1 for name in store.statement_names() if country in store.nquads(name))
    assert 0 < naming < len(store.statement_names())
    after = again(store, out, jobs=1)
    assert after.written == naming and after.kept == len(store.statement_names()) - naming
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_files_touched_in_the_folder_are_written_again(workspace: tuple[Path, GraphStore], tmp_path: Path) -> None:
    _, store = workspace
    out = tmp_path / "site"
    again(store, out)
    pages = sorted((out / "statement").rglob("*.html"))
    with pages[0].open("a", encoding="utf-8") as page:
        page.write("<!-- edited -->")
    pages[1].with_suffix(".jsonld").unlink()
    acts = sorted((out / "act").rglob("*.ttl"))
    os.utime(acts[-1], ns=(0, 0))  # same bytes, another time: not known to be the file written
    (out / "statement" / "stray.html").write_text("not the publication's", encoding="utf-8")
    (out / "act" / "old").mkdir()
    (out / "act" / "old" / "act-1.ttl").write_text("gone", encoding="utf-8")
    report = again(store, out)
    assert report.written == 3
    assert not (out / "statement" / "stray.html").exists() and not (out / "act" / "old").exists()
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_another_folder_or_code_writes_everything(workspace: tuple[Path, GraphStore], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _, store = workspace
    out, other = tmp_path / "site", tmp_path / "other"
    total = len(store.statement_names())
    again(store, out, jobs=1)
    assert again(store, other, jobs=1).written == total  # the record is of one folder at a time
    assert again(store, out, jobs=1).written == total
    monkeypatch.setattr(reuse, "code_digest", lambda: "another version of the code")
    assert again(store, out, jobs=1).written == total
    monkeypatch.undo()
    assert again(store, out, jobs=1).written == total
    assert again(store, out, jobs=1).kept == total


def test_an_unreadable_record_is_started_afresh(workspace: tuple[Path, GraphStore], tmp_path: Path) -> None:
    _, store = workspace
    out = tmp_path / "site"
    again(store, out, jobs=1)
    record = reuse_path(store.path)  # type: ignore[arg-type]
    for suffix in ("-wal", "-shm"):
        Path(f"{record}{suffix}").unlink(missing_ok=True)
    record.write_bytes(b"not a database" * 100)
    assert again(store, out, jobs=1).written == len(store.statement_names())
    assert again(store, out, jobs=1).kept == len(store.statement_names())
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_build_reports_what_it_kept_and_full_writes_everything(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["build", str(STATEMENTS), "--out", str(tmp_path / "lod"), "--store", str(tmp_path / "store")]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "(4 statement(s) written, 0 kept)" in first.output
    second = runner.invoke(main, args)
    assert "(0 statement(s) written, 4 kept; nothing had changed)" in second.output
    assert_same(tmp_path / "lod", ROOT / "lod")
    # a page edited by hand and a stray file: the publication is written again (the edited statement's
    # files, and everything but the files of statements), then nothing has changed again
    page = next((tmp_path / "lod" / "statement").rglob("*.html"))
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    (tmp_path / "lod" / "id" / "stray.ttl").write_text("not the publication's", encoding="utf-8")
    third = runner.invoke(main, args)
    assert "(1 statement(s) written, 3 kept)" in third.output
    assert_same(tmp_path / "lod", ROOT / "lod")
    assert "nothing had changed" in runner.invoke(main, args).output
    (tmp_path / "lod" / "index" / "extra").mkdir()
    assert "nothing had changed" not in runner.invoke(main, args).output
    full = runner.invoke(main, [*args, "--full"])
    assert "(4 statement(s) written, 0 kept)" in full.output
    assert_same(tmp_path / "lod", ROOT / "lod")


def test_a_publication_from_the_same_token_writes_nothing(workspace: tuple[Path, GraphStore], tmp_path: Path) -> None:
    _, store = workspace
    out = tmp_path / "site"
    total = len(store.statement_names())
    first = again(store, out, jobs=1, token="one")
    assert (first.written, first.untouched) == (total, False)
    files = publish(store, out, IRIs(), jobs=1, token="one")
    report = again(store, out, jobs=1, token="one")
    assert (report.written, report.kept, report.untouched) == (0, total, True)
    assert files == publish(store, out, IRIs(), jobs=1)  # what it returns is what was written
    assert not again(store, out, jobs=1, token="one").untouched  # the last publication had no token
    assert not again(store, out, jobs=1, token="two").untouched
    assert again(store, out, jobs=1, token="two").untouched
    (out / "robots.txt").unlink()
    assert not again(store, out, jobs=1, token="two").untouched
    assert_same(out, fresh(store, tmp_path / "fresh"))


class _NotWalked(dict):  # type: ignore[type-arg]
    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the resources were walked")


def test_a_fingerprint_looks_up_the_resources_it_names(workspace: tuple[Path, GraphStore]) -> None:
    """Regression: ``set.intersection(resources)`` walked every resource for every statement (2.3 ms
    a statement at 100,000, half the time of a statement kept)."""
    from communique.publish.documents import plan

    _, store = workspace
    publication = plan(store, IRIs())
    fingerprint = Fingerprints(publication.resources, IRIs().base)
    lines = publication.descriptions.lines(store.statement_names()[0])
    expected = fingerprint(lines)
    fingerprint.named = _NotWalked(fingerprint.named)
    assert fingerprint(lines) == expected
    fingerprint.named = {}
    assert fingerprint(lines) != expected  # the resources it names are part of it


@pytest.mark.parametrize("by_version", [False, True], ids=["by-lines", "by-version"])
def test_documents_of_parties_and_pages_are_written_again_only_when_what_they_show_changes(
        workspace: tuple[Path, GraphStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_version: bool) -> None:
    """A party's document is written again when its lines changed; by version (as ``build``
    publishes), its lines are made only when what it is made of changed — its description, or the
    version of a graph that refers to it."""
    import json

    from communique.build import _versions
    from communique.publish import listing
    from communique.publish.reuse import PAGES, PARTIES

    monkeypatch.setattr(listing, "LISTING_MAX", 20)  # the listings of periods are documents of parties too
    sources, store = workspace
    out = tmp_path / "site"

    def again(store: GraphStore, out: Path) -> Publication:
        if not by_version:
            return globals()["again"](store, out)
        state = json.loads(Path(f"{store.path}.state.json").read_text(encoding="utf-8"))
        return globals()["again"](store, out, versions=_versions(state["sources"], state["fingerprint"]))
    again(store, out)

    def files(pattern: str, tops: tuple[str, ...]) -> dict[str, tuple[bytes, int]]:
        return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for top in tops for p in (out / top).rglob(pattern) if p.is_file()}

    def documents() -> dict[str, tuple[bytes, int]]:
        return files("*.nt", PARTIES)

    def pages() -> dict[str, tuple[bytes, int]]:
        return files("*.html", (*PARTIES, *PAGES)) | files("index.html", (".",))
    before, pages_before = documents(), pages()
    assert any(name.startswith("refs/") for name in before)
    assert {"index.html", "index/date.html", "graph/entities.html"} <= set(pages_before)
    assert any(name.startswith("index/date/") for name in pages_before)  # the statements by period
    assert any(name.startswith("timeline/") for name in pages_before)
    assert again(store, out).kept == len(store.statement_names())
    assert (documents(), pages()) == (before, pages_before)  # nothing changed: nothing written again
    changed = sorted(sources.rglob("*.txt"))[5]
    text = changed.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# "))
    changed.write_text(text.replace(title, title + " (corrected)", 1), encoding="utf-8")  # in its parties' documents
    assert len(build([sources], store=store, jobs=1).built) == 1
    (out / "id" / "country" / "stray.nt").write_text("not the publication's", encoding="utf-8")
    (out / "timeline" / "stray.html").write_text("not the publication's", encoding="utf-8")
    edited, edited_page = sorted(before)[0], "index/speaker.html"
    (out / edited).write_bytes(b"# edited by hand\n" + before[edited][0])
    (out / edited_page).write_bytes(b"<!-- edited by hand -->" + pages_before[edited_page][0])
    again(store, out)
    for now, then, hand, is_page in ((documents(), before, edited, False), (pages(), pages_before, edited_page, True)):
        assert set(now) == set(then)  # the stray files are gone
        rewritten = {name for name in then if now[name][1] != then[name][1]}
        modified = {name for name in then if now[name][0] != then[name][0]}
        assert hand in rewritten and hand not in modified  # written again, as it was
        assert 0 < len(modified) and len(rewritten) < len(then) // 2, sorted(rewritten)
        # written again when what it shows changed, only then (a page: when what it is rendered from
        # changed, which may not show on it)
        assert modified <= rewritten if is_page else rewritten - {hand} == modified
    assert any(name.startswith("index/date/") for name in modified)  # the page of the statement's period
    assert_same(out, fresh(store, tmp_path / "fresh"))
    if by_version:  # nothing changed since: no document made again
        made: list[str] = []
        settled = documents()
        for name in ("_party_document", "references_document"):  # what makes the lines of a document
            monkeypatch.setattr(Corpus, name, lambda self, node, *rest: made.append(node) or [])
        again(store, out)
        assert made == [] and documents() == settled


def test_a_changed_statement_makes_again_the_listings_of_its_period_only(
        workspace: tuple[Path, GraphStore], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By version, one changed statement makes again, of each party it names, the party's own
    document and the listing of the statement's period — and the links of the statements kept by
    their version are read from the record only for the documents made. With links the record
    cannot give, they are read from the graphs; the folder is always a publication from empty."""
    import json
    import sqlite3

    from communique.build import _versions
    from communique.publish import listing

    monkeypatch.setattr(listing, "LISTING_MAX", 3)  # most parties have listings
    sources, store = workspace
    out = tmp_path / "site"

    def versions() -> dict[str, str]:
        state = json.loads(Path(f"{store.path}.state.json").read_text(encoding="utf-8"))
        return _versions(state["sources"], state["fingerprint"])

    def change(n: int) -> str:
        path = sorted(sources.rglob("*.txt"))[n]
        text = path.read_text(encoding="utf-8")
        title = next(line for line in text.splitlines() if line.startswith("# "))
        path.write_text(text.replace(title, title + " (corrected)", 1), encoding="utf-8")
        built = build([sources], store=store, jobs=1).built
        assert len(built) == 1
        return built[0]

    again(store, out, versions=versions())
    statement = change(5)
    made: list[tuple[str, str]] = []
    loaded: list[str] = []
    references, links = Corpus.references_document, reuse.Reuse.links
    monkeypatch.setattr(Corpus, "references_document", lambda self, node, key, graphs:
                        made.append((node, key)) or references(self, node, key, graphs))
    monkeypatch.setattr(reuse.Reuse, "links", lambda self, iri: loaded.append(iri) or links(self, iri))
    report = again(store, out, jobs=1, versions=versions())
    assert (report.written, report.kept) == (1, len(store.statement_names()) - 1)
    date = "-".join(statement.split("/statement/", 1)[1].split("/")[:3])
    assert made and {key for _, key in made} <= {date[:4], date[:7]}
    assert len({node for node, _ in made}) == len(made)  # one listing of each party
    assert statement not in loaded and 0 < len(set(loaded)) < len(store.statement_names()) // 2
    assert len(set(loaded)) == len(loaded)  # each read once
    assert_same(out, fresh(store, tmp_path / "fresh"))
    # the links the record holds cannot be read: they are read from the graphs, to the same files
    with sqlite3.connect(reuse_path(Path(store.path))) as db:
        assert db.execute("UPDATE statement_pieces SET links = ?", (b"not links",)).rowcount > 0
    db.close()
    change(6)
    again(store, out, versions=versions())
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_the_record_of_the_files_is_the_folder_after_each_publication(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The record's rows of folders (the size and time of their files) are updated row by row:
    after a statement was withdrawn and files were removed, added and edited by hand, and published
    again, it is what the folder holds — the folders that did not change not read again."""
    import time

    from communique.publish import _generated, sitewalk
    from communique.publish.reuse import site_files

    out, store, sources = tmp_path / "lod", tmp_path / "store", tmp_path / "statements"
    shutil.copytree(STATEMENTS, sources)
    args = ["build", str(sources), "--out", str(out), "--store", str(store)]

    def recorded() -> dict[str, tuple[int, int]]:
        record = reuse.Reuse(reuse_path(store), out, IRIs().base)
        try:
            return record.recorded_files()
        finally:
            record.close()

    monkeypatch.setattr(sitewalk, "RACY", 0)  # every folder remembered (what follows is later than a tick)
    reads: list[tuple[int, int]] = []
    walk_files = sitewalk.SiteWalk.files

    def counted(self: sitewalk.SiteWalk, *args: object, **kwargs: object) -> None:
        walk_files(self, *args, **kwargs)  # type: ignore[arg-type]
        reads.append((self.read, len(self.rows)))
    monkeypatch.setattr(sitewalk.SiteWalk, "files", counted)
    assert CliRunner().invoke(main, args).exit_code == 0
    assert recorded() == site_files(out, _generated(out)) != {}
    time.sleep(0.05)
    pages = sorted((out / "statement").rglob("*.html"))
    pages[0].unlink()
    pages[1].write_text(pages[1].read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    (out / "id" / "stray.ttl").write_text("not the publication's", encoding="utf-8")
    sorted(sources.glob("*.txt"))[-1].unlink()  # its statement's files go
    before = recorded()
    assert CliRunner().invoke(main, args).exit_code == 0
    read, folders = reads[-1]  # the walk that recorded the publication read the folders that changed
    assert 0 < read < folders - 10
    after = recorded()
    assert after == site_files(out, _generated(out)) and "id/stray.ttl" not in after
    assert before.keys() - after.keys() and after != before  # rows gone, and files written again
    assert "nothing had changed" in CliRunner().invoke(main, args).output
