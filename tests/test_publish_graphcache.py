"""Publishing reads a statement graph from the store once per version: after that, from the cache
beside the store, and the publication is the same, byte for byte."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from communique.pipeline import build
from communique.publish import dataset
from communique.publish.dumps import Member, Planned
from communique.publish.graphcache import GraphCache, cache_path
from communique.store import GraphStore, is_statement_graph

from .conftest import DATA, FEW, corpus_generator
from .test_publish_reuse import assert_same, fresh

pytestmark = pytest.mark.usefixtures("parallel_from_few")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("graphcache-corpus")
    corpus_generator().generate(FEW, 3, tmp / "corpus")
    return tmp / "corpus"


class Reads:
    """The statement graphs read from any store, by name, in this process and the processes forked
    from it (each appends to one file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("")

    def __call__(self) -> set[str]:
        return set(self.path.read_text().split())

    def clear(self) -> None:
        self.path.write_text("")


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Reads:
    found = Reads(tmp_path / "reads.txt")
    original = GraphStore.nquads

    def nquads(self: GraphStore, graph: str | None = None) -> str:
        if graph is not None and is_statement_graph(graph):
            fd = os.open(found.path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, f"{graph}\n".encode())
            finally:
                os.close(fd)
        return original(self, graph)
    monkeypatch.setattr(GraphStore, "nquads", nquads)
    return found


def test_graphs_are_read_from_the_store_once_per_version(corpus: Path, tmp_path: Path, reads: Reads,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from communique.publish import dumps

    monkeypatch.setattr(dumps, "MEMBER_MASK", 0x1F)  # members of ~32 subjects: many, in a small corpus
    planned: list[list[Planned]] = []
    plan = dataset.plan_members
    monkeypatch.setattr(dataset, "plan_members", lambda *args: planned.append(plan(*args)) or planned[-1])
    sources = tmp_path / "sources"
    shutil.copytree(corpus, sources)
    store = GraphStore(tmp_path / "store")
    out = tmp_path / "site"
    build([sources], store=store, out=out, jobs=1)
    names = store.statement_names()
    assert cache_path(store.path).exists()  # type: ignore[arg-type]
    assert reads() == set(names)
    # one source changed: its graph is read from the store, every other from the cache
    reads.clear()
    changed = sorted(sources.glob("*.txt"))[7]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe United States recognizes the Republic of Kosovo.\n",
                       encoding="utf-8")
    report = build([sources], store=store, out=out, jobs=1)
    assert len(report.built) == 1 and reads() == set(report.built)
    # the dumps copied the members that the changed graphs (the statement's, the statistics) left alone
    assert len(planned) == 1 and 2 * sum(isinstance(m, Member) for m in planned[0]) > len(planned[0])
    assert_same(out, fresh(store, tmp_path / "fresh"))
    # a cache whose version of a graph is another is not believed for that graph
    with sqlite3.connect(cache_path(store.path)) as db:  # type: ignore[arg-type]
        db.execute("UPDATE graphs SET version = 'other' WHERE name = ?", (names[3],))
    reads.clear()
    shutil.rmtree(out)
    build([sources], store=store, out=out, jobs=1)
    assert reads() == {names[3]}
    assert_same(out, fresh(store, tmp_path / "fresh"))


def test_full_reads_every_graph_from_the_store(tmp_path: Path, reads: Reads) -> None:
    store = GraphStore(tmp_path / "store")
    build([DATA], store=store, out=tmp_path / "site", jobs=1)
    reads.clear()
    build([DATA], store=store, out=tmp_path / "site", jobs=1)
    assert reads() == set()  # nothing changed: nothing read
    build([DATA], store=store, out=tmp_path / "site", jobs=1, full=True)
    assert reads() == set(store.statement_names())


def test_an_unreadable_cache_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "store.graphs.sqlite"
    path.write_bytes(b"not a database" * 100)
    cache = GraphCache(path, {"urn:g": "v1"})
    cache.start()
    assert cache.get("urn:g") is None
    row = cache.row("urn:g", "<urn:s> <urn:p> <urn:o> .\n")
    assert row is not None and cache.row("urn:other", "") is None
    cache.add([row])
    assert cache.get("urn:g") == "<urn:s> <urn:p> <urn:o> .\n"
    cache.close()
    again = GraphCache(path, {"urn:g": "v2"})  # the graph changed since
    again.start()
    assert again.get("urn:g") is None
    again.close()
    gone = GraphCache(path, {})  # the graph is gone: forgotten
    gone.start()
    gone.keep()
    gone.close()
    assert GraphCache(path, {"urn:g": "v1"}).get("urn:g") is None


def test_statements_kept_by_version_unless_what_they_name_changed(corpus: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing again with the versions of the graphs, a statement whose graph and whatever else
    its files depend on are as recorded is not read at all; one that names a party whose description
    changed is written again."""
    import json

    from communique.build import _versions
    from communique.iris import IRIs
    from communique.publish import Publication, publish
    from communique.publish.reading import Descriptions

    store = GraphStore(tmp_path / "store")
    out = tmp_path / "site"
    build([corpus], store=store, out=out, jobs=1)
    state = json.loads((tmp_path / "store.state.json").read_text(encoding="utf-8"))
    versions = _versions(state["sources"], state["fingerprint"])
    read: list[str] = []
    original = Descriptions.read
    monkeypatch.setattr(Descriptions, "read", lambda self, name, text=None: read.append(name) or original(self, name, text))
    report = Publication()
    publish(store, out, IRIs(), jobs=1, report=report, versions=versions)
    assert (report.written, read) == (0, [])
    entities = str(IRIs().entities_graph())
    lines = store.nquads(entities).splitlines()
    country = "<https://w3id.org/communique/id/country/venezuela>"
    label = next(line for line in lines if line.startswith(country + " <http://www.w3.org/2000/01/rdf-schema#label>"))
    lines[lines.index(label)] = label.replace('"Venezuela"', '"Bolivarian Republic of Venezuela"')
    store.load_ntriples(entities, "".join(line + "\n" for line in lines))
    naming = {name for name in store.statement_names() if country in store.nquads(name)}
    assert 0 < len(naming) < len(store.statement_names())
    report = Publication()
    publish(store, out, IRIs(), jobs=1, report=report, versions=versions)
    assert report.written == len(naming) and set(read) == naming
    assert_same(out, fresh(store, tmp_path / "fresh"))


def _published(corpus: Path, tmp_path: Path) -> tuple[GraphStore, Path, dict[str, str], list[str]]:
    """``corpus`` built into a store under ``tmp_path`` and published: the store, the folder, the
    versions of the graphs, the names of the statement graphs."""
    import json

    from communique.build import _versions

    store = GraphStore(tmp_path / "store")
    out = tmp_path / "site"
    build([corpus], store=store, out=out, jobs=1)
    state = json.loads((tmp_path / "store.state.json").read_text(encoding="utf-8"))
    return store, out, _versions(state["sources"], state["fingerprint"]), sorted(store.statement_names())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_kept_piece_that_cannot_be_read_publishes_its_statement_again(
        corpus: Path, tmp_path: Path, jobs: int, parallel_from_few: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the heads of the last publication, a statement kept by its version is sent back
    packed and unpacked by the main process; when the record holds what this code cannot read, that
    statement is published again in its place (the pages list it where they did) and the folder is
    as a publication from empty."""
    import sqlite3

    from communique.iris import IRIs
    from communique.publish import Publication, publish
    from communique.publish.reuse import Piece, reuse_path

    unpacked: list[bool] = []  # in the main process: whether each packed piece could be read
    original = Piece.unpack_or_none
    monkeypatch.setattr(Piece, "unpack_or_none", staticmethod(
        lambda *data: unpacked.append(original(*data) is not None) or original(*data)))
    store, out, versions, names = _published(corpus, tmp_path)
    spoilt = names[len(names) // 2]
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        assert db.execute("UPDATE statement_pieces SET piece = ? WHERE iri = ?", (b"not a piece", spoilt)).rowcount == 1
        assert db.execute("DELETE FROM heads").rowcount == 1
    db.close()
    report = Publication()
    publish(store, out, IRIs(), jobs=jobs, report=report, versions=versions)
    assert (report.written, report.kept) == (1, len(names) - 1)
    # the others kept by version, packed; the spoilt one tried by version, then by its fingerprint
    assert (unpacked.count(True), unpacked.count(False)) == (len(names) - 1, 2)
    assert_same(out, fresh(store, tmp_path / "fresh"))
    report = Publication()
    publish(store, out, IRIs(), jobs=jobs, report=report, versions=versions)
    assert (report.written, report.kept) == (0, len(names))  # recorded again, readable


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_heads_of_the_last_publication_are_unpacked_at_once(
        corpus: Path, tmp_path: Path, jobs: int, parallel_from_few: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publishing again, the heads of the statements kept by their versions come from the heads
    packed together, unpacked at once — none is sent by a chunk or unpacked alone; heads that
    cannot be read are read one by one from the statements' rows, a missing or stale one from its
    row; they are packed again when they could not be read or too many are stale; each time the
    folder is as a publication from empty."""
    import sqlite3

    from communique.iris import IRIs
    from communique.publish import Publication, publish
    from communique.publish import piece as pieces
    from communique.publish.reuse import Piece, reuse_path

    calls: dict[str, list[bool]] = {"alone": [], "at once": []}
    alone, at_once = Piece.unpack_or_none, pieces.unpack_heads
    monkeypatch.setattr(Piece, "unpack_or_none", staticmethod(
        lambda *data: calls["alone"].append(alone(*data) is not None) or alone(*data)))
    monkeypatch.setattr("communique.publish.assemble.unpack_heads",
                        lambda data: calls["at once"].append(at_once(data) is not None) or at_once(data))
    store, out, versions, names = _published(corpus, tmp_path)
    expected = fresh(store, tmp_path / "fresh")

    def again(heads: list[bool], one_by_one: list[bool]) -> None:
        calls["alone"].clear()
        calls["at once"].clear()
        report = Publication()
        publish(store, out, IRIs(), jobs=jobs, report=report, versions=versions)
        assert (report.written, report.kept) == (0, len(names))
        assert (calls["at once"], calls["alone"]) == (heads, one_by_one)
        assert_same(out, expected)

    again([True], [])
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        assert db.execute("UPDATE heads SET value = ?", (b"not heads",)).rowcount == 1
    db.close()
    again([False], [True] * len(names))
    again([True], [])  # left again by the publication that could not read them
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        blob = db.execute("SELECT value FROM heads").fetchone()[0]
        heads = pieces.unpack_heads(blob)
        assert heads is not None and sorted(heads) == names
        del heads[names[0]]
        db.execute("UPDATE heads SET value = ?", (pieces.pack_heads(heads),))
    db.close()
    again([True], [True])
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        packed = db.execute("SELECT value FROM heads").fetchone()[0]
        db.execute("INSERT INTO heads_stale VALUES (?)", (names[1],))  # as if its row were recorded since
    db.close()
    again([True], [True, True])  # its head read from its row (and the missing one's); not packed again
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        assert db.execute("SELECT value FROM heads").fetchone()[0] == packed
        assert db.execute("SELECT iri FROM heads_stale").fetchall() == [(names[1],)]
    db.close()
    monkeypatch.setattr("communique.publish.assemble.STALE_MAX", 0)
    again([True], [True, True])  # past the most stale heads: packed again
    with sqlite3.connect(reuse_path(tmp_path / "store")) as db:
        assert db.execute("SELECT value FROM heads").fetchone()[0] != packed
        assert db.execute("SELECT iri FROM heads_stale").fetchall() == []
    db.close()
    again([True], [])


def test_the_rows_of_the_list_of_resources_are_kept_by_version(corpus: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What the list of resources needs of each statement graph (headline, date, acts) is queried
    once per version: publishing again queries only the graphs without rows at their version (a
    changed one, the graphs that are not a statement's), and reads the same as the queries do."""
    import json

    from communique.build import _versions
    from communique.iris import IRIs
    from communique.publish import corpusrows
    from communique.publish.corpus import Corpus

    store = GraphStore(tmp_path / "store")
    build([corpus], store=store, jobs=1)
    state = json.loads((tmp_path / "store.state.json").read_text(encoding="utf-8"))
    versions = dict(_versions(state["sources"], state["fingerprint"]))
    statements = sorted(store.statement_names())
    others = sorted(f"<{name}>" for name in store.graph_names() if not is_statement_graph(name))
    queried: list[list[str] | None] = []
    original = corpusrows.query_rows
    monkeypatch.setattr(corpusrows, "query_rows", lambda store, graphs=None: queried.append(graphs) or original(store, graphs))

    def corpus_with(versions: dict[str, str]) -> Corpus:
        cache = GraphCache(cache_path(tmp_path / "store"), versions)
        cache.start()
        try:
            return Corpus(store, IRIs(), cache)
        finally:
            cache.close()

    expected = Corpus(store, IRIs())
    assert expected.act_graph and queried == [None]
    everything = [f"<{name}>" for name in store.graph_names()]
    for round in range(2):  # every graph at first (none kept; few: by their names), then only the others
        queried.clear()
        found = corpus_with(versions)
        assert queried == ([everything] if round == 0 else [others])
        assert (found.values, found.act_graph, found.act_values) == \
            (expected.values, expected.act_graph, expected.act_values)
    changed = statements[len(statements) // 2]
    versions[changed] = "another version"
    queried.clear()
    found = corpus_with(versions)
    assert queried == [sorted([*others, f"<{changed}>"])]
    assert (found.values, found.act_graph, found.act_values) == (expected.values, expected.act_graph, expected.act_values)
    # many graphs without rows: every graph is read at once, and kept
    monkeypatch.setattr(corpusrows, "_BOUND_MAX", 0)
    versions = {name: version + "'" for name, version in versions.items()}
    queried.clear()
    found = corpus_with(versions)
    assert queried == [None] and found.values == expected.values and found.act_values == expected.act_values
    queried.clear()
    corpus_with(versions)
    assert queried == [others]
