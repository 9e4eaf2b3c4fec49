"""The links of graphs left in the record: read when a document needs them, forgotten after it."""

from __future__ import annotations

from copy import deepcopy

from communique.publish.links import GraphLinks, Links

A, B, C = "<https://example.org/statement/a>", "<https://example.org/statement/b>", "<https://example.org/statement/c>"
US, VE = "<https://example.org/id/us>", "<https://example.org/id/ve>"


def _links(graph: str, *parties: str) -> GraphLinks:
    act = graph[:-1] + "#act>"
    return ([(act, f"{act} <p:in> {graph} .")],
            [(party, act, f"{act} <p:party> {party} .") for party in parties],
            [("<p:headline>", f'"{graph}"')])


RECORD = {A: _links(A, US, VE), B: _links(B, US), C: _links(C, VE)}


def _deferred(read: list[str]) -> Links:
    links = Links()
    links.loader = lambda graph: read.append(graph) or RECORD[graph]
    links.add(C, RECORD[C])  # read with its graph: never forgotten
    for graph in (A, B):
        links.defer(graph, sorted({o for o, _, _ in RECORD[graph][1]}))
    return links


def _state(links: Links) -> tuple[object, ...]:
    return deepcopy((dict(links.outgoing), dict(links.incoming), {k: v for k, v in links.backlinks.items() if v},
                     dict(links.links_of), dict(links.pending)))


def test_links_read_for_a_document_are_forgotten_after_it_and_read_again_when_asked() -> None:
    read: list[str] = []
    links = _deferred(read)
    before = _state(links)
    assert links.backlinks_of(US) == [(A, RECORD[A][1][0][2]), (B, RECORD[B][1][0][2])]
    assert sorted(read) == [A, B] and not links.pending
    links.forget(held=2)  # no more than held
    assert not links.pending
    links.forget(held=1)
    assert _state(links) == before  # as deferred: nothing read is held
    assert links.count(US) == 2 and links.graphs_of(VE) == [C, A]
    assert links.backlinks_of(VE, [A]) == [(A, RECORD[A][1][1][2])]
    assert sorted(read) == [A, A, B]  # read again, only the graph asked for
    assert links.backlinks_of(VE) == [(C, RECORD[C][1][0][2]), (A, RECORD[A][1][1][2])]
    links.forget()
    links.forget()  # nothing read since: nothing changes
    assert _state(links) == before
