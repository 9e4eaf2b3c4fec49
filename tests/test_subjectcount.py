"""subjectcount.py: the distinct subjects of the store, kept by build as graphs come and go, equal
a count of the whole store after every kind of change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from communique import subjectcount
from communique.build import build
from communique.iris import IRIs
from communique.store import GraphStore
from communique.subjectcount import SubjectCount, counts_path, read_known, write_known

from .conftest import DATA

SEED_NAME = "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"


def _distinct(store: GraphStore) -> int:
    return len(list(store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")))


def _kept(store_path: Path) -> int | None:
    state = store_path.with_name("store.state.json")
    return read_known(state, state.read_text(encoding="utf-8"))


def _load(store: GraphStore, name: str, triples: str) -> None:
    store.load_ntriples(name, triples)


def test_changed_graphs_count_their_subjects_once() -> None:
    store = GraphStore()
    a, b, c = "https://example.org/g/a", "https://example.org/g/b", "https://example.org/g/c"
    _load(store, a, "<https://example.org/x> <https://example.org/p> \"1\" .\n"
                    "<https://example.org/shared> <https://example.org/p> \"1\" .\n")
    _load(store, b, "<https://example.org/shared> <https://example.org/p> \"2\" .\n"
                    "<https://example.org/y> <https://example.org/p> <https://example.org/x> .\n")
    assert _distinct(store) == 3
    count = SubjectCount(store, 3)
    count.touch(a)  # removed: x goes (it is an object elsewhere only), shared stays (b has it)
    store.remove_graph(a)
    count.touch(c)  # added: z and a blank node are new, y is not
    _load(store, c, "<https://example.org/z> <https://example.org/p> \"3\" .\n"
                    "<https://example.org/y> <https://example.org/p> \"3\" .\n"
                    "_:n <https://example.org/p> \"3\" .\n")
    assert count.result() == _distinct(store) == 4
    count = SubjectCount(store, 4)
    count.touch(b)  # replaced: shared goes with it (a is no more), y stays (c has it)
    _load(store, b, "<https://example.org/w> <https://example.org/p> \"4\" .\n")
    assert count.result() == _distinct(store) == 4


def test_past_the_limit_the_count_is_left_to_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subjectcount, "LIMIT", 1)
    store = GraphStore()
    count = SubjectCount(store, 0)
    count.touch("https://example.org/g/a")
    count.touch("https://example.org/g/b")
    assert count.result() is None
    assert SubjectCount(store, None).result() is None


def test_a_count_kept_for_another_state_is_not_read(tmp_path: Path) -> None:
    state = tmp_path / "store.state.json"
    write_known(state, '{"a":1}\n', 42)
    assert counts_path(state) == tmp_path / "store.counts.json"
    assert read_known(state, '{"a":1}\n') == 42
    assert read_known(state, '{"a":2}\n') is None
    counts_path(state).write_text("not json", encoding="utf-8")
    assert read_known(state, '{"a":1}\n') is None


def test_build_keeps_the_count_of_subjects_through_every_change(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "site"
    shutil.copytree(DATA, src)
    path = tmp_path / "store"
    store = GraphStore(path)
    dataset = URIRef(IRIs().base + "void")

    def described() -> int:
        return int(Graph().parse(out / "void.nt").value(dataset, VOID.distinctSubjects))

    build([src], store=store, jobs=1)  # from empty: not counted
    assert _kept(path) is None
    build([src], store=store, out=out, jobs=1)  # the publication counts the store, for the next build
    assert _kept(path) == described() == _distinct(store)
    seed = src / SEED_NAME
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe United States also recognizes Kosovo.\n",
                    encoding="utf-8")
    build([src], store=store, jobs=1)  # a new act and party: counted from the kept count
    assert _kept(path) == _distinct(store)
    (src / "2019-02-04-media-note-humanitarian-assistance-coordination.txt").unlink()
    build([src], store=store, jobs=1)  # a removed source
    assert _kept(path) == _distinct(store)
    seed.write_text(seed.read_text(encoding="utf-8").replace("January 23, 2019", "January 24, 2019"),
                    encoding="utf-8")
    other = src / "2099-copy.txt"
    other.write_text(seed.read_text(encoding="utf-8").replace("# ", "# Another: ", 1), encoding="utf-8")
    build([src], store=store, jobs=1)  # a statement under a new IRI, and an added one
    assert _kept(path) == _distinct(store)
    before = _distinct(store)
    other.unlink()
    build([src], store=store, out=out, jobs=1)  # published with the count build kept
    assert _kept(path) == _distinct(store) == described() != before
