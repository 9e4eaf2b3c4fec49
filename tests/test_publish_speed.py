"""The fast ways of the publication give what the plain ways give: worker processes or not, the
statements' descriptions read graph by graph or by ``describe``, the links of parties found in the
statements' lines or by their queries, the dumps written in pieces or at once."""

from __future__ import annotations

import filecmp
import gzip
import posixpath
import zlib
from pathlib import Path

import pytest

from communique.export import serialize
from communique.iris import IRIs
from communique.pipeline import build
from communique.publish import publish
from communique.publish import assemble, forking
from communique.publish.corpus import Corpus, act_lines, graph_links
from communique.publish.dataset import write_dumps
from communique.publish.dumps import LEVEL, gzip_member, write_gzipped_dumps
from communique.publish.pages import relative
from communique.publish.reading import Descriptions
from communique.store import GraphStore

from .conftest import FEW, corpus_generator




def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, parallel_from_few: None) -> GraphStore:
    tmp = tmp_path_factory.mktemp("speed")
    corpus_generator().generate(FEW, 5, tmp / "corpus")
    store = GraphStore(tmp / "store")
    build([tmp / "corpus"], store=store, jobs=1)
    assert len(store.statement_names()) >= forking.PARALLEL_MIN
    return store


def test_workers_write_what_one_process_writes(store: GraphStore, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert assemble.parallel(store, len(store.statement_names()), 2)  # two workers, several chunks each
    assert len(store.statement_names()) >= 4 * assemble.CHUNK
    assert publish(store, one, IRIs(), jobs=1) == publish(store, two, IRIs(), jobs=2)
    assert _files(one) == _files(two)
    assert [f for f in _files(one) if not filecmp.cmp(one / f, two / f, shallow=False)] == []
    # the dumps made of the lines the workers read are those of the whole store's text
    nquads = store.nquads()
    assert gzip.decompress((two / "dumps" / "communique.nq.gz").read_bytes()) == nquads.encode("utf-8")
    turtle = serialize(nquads, "turtle").encode("utf-8")
    assert gzip.decompress((two / "dumps" / "communique.ttl.gz").read_bytes()) == turtle


def test_descriptions_are_describe(store: GraphStore) -> None:
    descriptions = Descriptions(store, IRIs())
    assert descriptions.exact
    for name in store.statement_names():
        own, lines, whole = descriptions.read(name)
        assert whole
        assert own == store.nquads(name).splitlines()
        assert lines == store.describe(name).splitlines()


def test_links_from_lines_are_the_queries(store: GraphStore) -> None:
    iris = IRIs()
    queried, found = Corpus(store, iris), Corpus(store, iris)
    queried.read_links()
    entities = str(iris.entities_graph())
    for name in store.graph_names():
        links = graph_links(name, store.nquads(name).splitlines(), iris.base, entities)
        assert links is not None
        found.add_links(name, links)
    found.links_added()
    for node in sorted(set(queried.backlinks) | set(found.backlinks) | set(queried.described)):
        assert sorted(set(queried.party_document(node))) == sorted(set(found.party_document(node)))
    assert {k: sorted(v) for k, v in queried.incoming.items()} == {k: sorted(v) for k, v in found.incoming.items()}
    assert {k: sorted(v) for k, v in queried.outgoing.items() if v} == {k: sorted(v) for k, v in found.outgoing.items()}


def test_act_documents_from_their_graph_are_the_queries(store: GraphStore) -> None:
    """An act's document made of its graph's lines (as publishing reads them) is the one its
    queries give: its triples, its evidence's, its parties' names, its statement's summary."""
    iris = IRIs()
    corpus, queried = Corpus(store, iris), Corpus(store, iris)
    queried.read_links()  # the statements' own triples, by query
    assert corpus.acts
    for act, graph in sorted(corpus.act_graph.items()):
        own = store.nquads(graph[1:-1]).splitlines()
        assert sorted(act_lines(act, own) or []) == sorted(queried._queried_act(act, graph))
        links = graph_links(graph[1:-1], own, iris.base, str(iris.entities_graph()))
        assert links is not None
        assert sorted(corpus.act_document(act, own, links[2])) == sorted(queried.act_document(act, own))


def test_dumps_are_those_of_the_whole_text(store: GraphStore, tmp_path: Path) -> None:
    dumps = {d.path: d for d in write_dumps(store, tmp_path)}
    nquads = store.nquads()
    nq = (tmp_path / "dumps" / "communique.nq.gz").read_bytes()
    ttl = (tmp_path / "dumps" / "communique.ttl.gz").read_bytes()
    assert gzip.decompress(nq) == nquads.encode("utf-8")
    assert gzip.decompress(ttl) == serialize(nquads, "turtle").encode("utf-8")
    assert dumps["dumps/communique.nq.gz"].size == len(nq)
    # in members: each a gzip member of its own, of whole lines, at LEVEL
    members = _members(nq)
    assert len(members) > 1 and b"".join(members) == nq
    texts = [gzip.decompress(m) for m in members]
    assert all(t.endswith(b"\n") for t in texts)
    assert [gzip_member(t) for t in texts] == members
    assert [gzip.compress(t, compresslevel=LEVEL, mtime=0) for t in texts] == members


def _members(data: bytes) -> list[bytes]:
    """The gzip members of ``data``."""
    members, rest = [], data
    while rest:
        unzip = zlib.decompressobj(31)
        unzip.decompress(rest)
        assert unzip.eof
        members.append(rest[:len(rest) - len(unzip.unused_data)])
        rest = unzip.unused_data
    return members


@pytest.mark.parametrize(("target", "page"), [
    ("index.html", "index.html"), ("index.html", "statement/2019/01/23/x.html"), ("id/country/x.html", "id/person/y.html"),
    ("statement/2019/01/23/x.html", "statement/2019/01/24/y.html"), ("a/b", "a/b/c.html"), ("a", "a/b.html"),
    ("ns/Term.html", "ns.html"), ("timeline/x.html", "timeline/y.html"), ("x/./y.html", "a/../b.html"),
    ("../up.html", "index.html"), ("a//b.html", "c/d.html"),
])
def test_relative_is_relpath(target: str, page: str) -> None:
    assert relative(target, page) == posixpath.relpath(target, posixpath.dirname(page) or ".")


def test_term_graphs_answer_as_rdflib(store: GraphStore) -> None:
    from rdflib import Graph

    from communique.export import Parsed
    from communique.publish.graphview import TermGraph

    descriptions = Descriptions(store, IRIs())
    for name in store.statement_names()[:15]:
        lines = descriptions.lines(name)
        text = "".join(line + "\n" for line in lines)
        data = Parsed.of_lines(lines)
        assert data.quads is data.parsed  # the lines were sorted already
        reference = Graph()
        reference.parse(data=text, format="nt")
        for graph in (TermGraph.from_quads(data.parsed), TermGraph.from_ntriples(text)):
            assert len(graph) == len(reference)
            for s, p, o in reference:
                assert list(graph.objects(s, p)) == list(reference.objects(s, p))
                assert list(graph.subjects(p, o)) == list(reference.subjects(p, o))
                assert list(graph.predicate_objects(s)) == list(reference.predicate_objects(s))
                assert graph.value(s, p) == reference.value(s, p)
                assert (s, p, None) in graph and (None, p, o) in graph and (s, None, o) in graph
                assert (s, p, o) in graph
                assert ((o, p, s) in graph) == ((o, p, s) in reference)
                assert graph.value(None, p, o) == reference.value(None, p, o)
                assert graph.value(o, p) == reference.value(o, p)  # often no such subject
                assert graph.value(s, o) is None  # not a predicate of s
            assert sorted(graph) == sorted(reference)


@pytest.mark.parametrize("odd", [
    '<https://example.org/s> <https://example.org/p> "\\u0041" <https://example.org/g> .',  # Oxigraph writes "A"
    '<https://example.org/a> <https://example.org/p> "z" <https://example.org/g> .',  # out of order
])
def test_dumps_of_lines_oxigraph_would_not_write_so(tmp_path: Path, odd: str) -> None:
    """Lines that are not sorted canonical forms make the Turtle the slow way: the same bytes."""
    store = GraphStore(tmp_path / "store")
    lines = sorted(['<https://example.org/s> <https://example.org/p> "b" <https://example.org/g> .',
                    '<https://example.org/s> <https://example.org/q> <https://example.org/o> <https://example.org/g> .'])
    lines = lines + [odd]
    write_gzipped_dumps(store, tmp_path / "d.nq.gz", tmp_path / "d.ttl.gz", lambda: iter(lines))
    text = "".join(line + "\n" for line in lines)
    assert gzip.decompress((tmp_path / "d.nq.gz").read_bytes()) == text.encode("utf-8")
    assert gzip.decompress((tmp_path / "d.ttl.gz").read_bytes()) == serialize(text, "turtle").encode("utf-8")


def test_dumps_copy_the_members_whose_text_they_had(store: GraphStore, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Written again after one line changed, the dumps copy every member but the one that holds it,
    and are the bytes the dumps written from scratch are."""
    from communique.publish import dumps as dumps_module

    monkeypatch.setattr(dumps_module, "MEMBER_MASK", 0x1F)  # members of ~32 subjects
    lines = store.lines()
    first = write_gzipped_dumps(store, tmp_path / "a.nq.gz", tmp_path / "a.ttl.gz", lambda: iter(lines))
    members = first[2]
    assert len(members) > 20
    changed = list(lines)
    middle = next(n for n in range(len(changed) // 2, len(changed)) if '"' in changed[n])
    changed[middle] = changed[middle].replace('"', '"~', 1)
    assert sorted(changed) == changed  # still sorted
    compressed: list[bytes] = []

    def counting(data: bytes) -> bytes:
        compressed.append(data)
        return gzip_member(data)
    monkeypatch.setattr(dumps_module, "gzip_member", counting)
    earlier = dumps_module.Earlier(tmp_path / "a.nq.gz", tmp_path / "a.ttl.gz", members)
    again = write_gzipped_dumps(store, tmp_path / "b.nq.gz", tmp_path / "b.ttl.gz", lambda: iter(changed), earlier)
    assert len(compressed) == 1 + 2  # the Turtle's head, the changed member's N-Quads and Turtle
    assert len(again[2]) == len(members)
    monkeypatch.setattr(dumps_module, "gzip_member", gzip_member)
    fresh = write_gzipped_dumps(store, tmp_path / "c.nq.gz", tmp_path / "c.ttl.gz", lambda: iter(changed))
    for a, b in (("b.nq.gz", "c.nq.gz"), ("b.ttl.gz", "c.ttl.gz")):
        assert (tmp_path / a).read_bytes() == (tmp_path / b).read_bytes()
    assert (again[0], again[1]) == (fresh[0], fresh[1])
    text = "".join(line + "\n" for line in changed)
    assert gzip.decompress((tmp_path / "b.nq.gz").read_bytes()) == text.encode("utf-8")
    assert gzip.decompress((tmp_path / "b.ttl.gz").read_bytes()) == serialize(text, "turtle").encode("utf-8")
