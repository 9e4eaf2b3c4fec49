"""Dumps written again from the members that no changed graph touches and the lines of the others
are the bytes of dumps written from scratch, whatever changed: lines, subjects that start a member,
whole graphs."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from communique.publish import dumps
from communique.publish.dumps import Earlier, Member, write_gzipped_dumps
from communique.publish.members import changed_graphs, plan_members
from communique.store import GraphStore

Graphs = dict[str, list[str]]


def graph(name: int, subjects: list[int]) -> tuple[str, list[str]]:
    term = f"<http://example.org/g/{name}>"
    lines = [f'<http://example.org/s/{k:04d}-{name}> <http://example.org/p/{p}> "{k} {p}" {term} .'
             for k in subjects for p in range(3)]
    return term, lines


def versions(graphs: Graphs) -> dict[str, str]:
    return {g: hashlib.sha256("\n".join(lines).encode()).hexdigest() for g, lines in graphs.items()}


def everything(graphs: Graphs) -> list[str]:
    return sorted(line for lines in graphs.values() for line in lines)


def written(store: GraphStore, folder: Path, graphs: Graphs, earlier: Earlier | None = None,
            plan: list[dumps.Planned] | None = None) -> tuple[bytes, bytes, list[Member]]:
    folder.mkdir(parents=True, exist_ok=True)
    lines = everything(graphs)
    _, _, members = write_gzipped_dumps(store, folder / "d.nq.gz", folder / "d.ttl.gz", lambda: iter(lines),
                                        earlier, plan)
    return (folder / "d.nq.gz").read_bytes(), (folder / "d.ttl.gz").read_bytes(), members


def test_members_planned_from_the_changed_graphs_are_the_dumps_written_from_scratch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dumps, "MEMBER_MASK", 0x7)  # members of ~8 subjects
    store = GraphStore()
    rng = random.Random(5)
    graphs: Graphs = dict(graph(g, sorted(rng.sample(range(400), 25))) for g in range(20))
    made: list[int] = []

    def counting(data: bytes) -> bytes:
        made.append(len(data))
        return gzip_member(data)
    gzip_member = dumps.gzip_member
    monkeypatch.setattr(dumps, "gzip_member", counting)
    members = written(store, tmp_path / "0", graphs)[2]
    assert len(members) > 50
    before = versions(graphs)
    kinds = ["line", "add", "remove", "remove a start", "drop graph", "new graph"] * 3
    for step, kind in enumerate(kinds, 1):
        name = rng.choice(sorted(graphs))
        lines = graphs[name]
        if kind == "line":
            n = rng.randrange(len(lines))
            lines[n] = lines[n].replace('" <', ' changed" <', 1)
        elif kind == "add":
            taken = {line.split(" ", 1)[0] for line in lines}
            number = int(name.rsplit("/", 1)[1][:-1])
            new = graph(number, [next(k for k in range(rng.randrange(400), 10_000)
                                      if f"<http://example.org/s/{k:04d}-{number}>" not in taken)])[1]
            graphs[name] = sorted(lines + new)
        elif kind == "remove":
            gone = rng.choice(lines).split(" ", 1)[0]
            graphs[name] = [line for line in lines if not line.startswith(gone + " ")]
        elif kind == "remove a start":  # the first subject of a member: its lines join the member before
            starts = {m.start for m in members[1:]}
            owner, subject = next((g, line.split(" ", 1)[0]) for g in sorted(graphs) for line in graphs[g]
                                  if line.split(" ", 1)[0] in starts)
            graphs[owner] = [line for line in graphs[owner] if not line.startswith(subject + " ")]
        elif kind == "drop graph":
            del graphs[name]
        else:
            term, new = graph(100 + step, sorted(rng.sample(range(400), 10)))
            graphs[term] = new
        now = versions(graphs)
        earlier = Earlier(tmp_path / f"{step - 1}" / "d.nq.gz", tmp_path / f"{step - 1}" / "d.ttl.gz", members, before)
        plan = plan_members(members, changed_graphs(before, now), lambda g: graphs.get(g, []))
        made.clear()
        again = written(store, tmp_path / f"{step}", graphs, earlier, plan)
        remade = len(made)
        fresh = written(store, tmp_path / f"fresh-{step}", graphs)
        assert again[:2] == fresh[:2], kind  # the same bytes
        assert [(m.key, m.start, m.graphs) for m in again[2]] == [(m.key, m.start, m.graphs) for m in fresh[2]]
        copied = sum(isinstance(p, Member) for p in plan)
        assert copied > len(again[2]) // 2 and remade <= 2 * (len(plan) - copied) + 1, kind  # most are copied
        members, before = again[2], now
