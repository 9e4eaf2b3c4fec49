"""Which members of the earlier dumps still hold, and the lines of those that do not.

The dumps are the store's sorted N-Quads lines cut into members (:func:`.dumps.cut_members`): a
member starts at a subject whose CRC-32 ends in :data:`.dumps.MEMBER_MASK` zero bits (the first
member at the first line), so member ``i`` holds exactly the lines whose subject is at least its
first subject and below the next member's. The record of a publication keeps, for each member, its
first subject and the graphs its lines are in, and the version of every graph (``build``'s for the
statement graphs, the SHA-256 of the text for the others).

Publishing again, a graph whose version changed (or that came or went) makes *dirty* every member
that held lines of it, and every member whose range holds a subject of its lines now. Every other
member holds the same lines as before: it is copied from the earlier dumps without reading anything.
A run of dirty members is made again from the lines, in its range, of the graphs it held and of the
changed graphs — read from the :class:`~.graphcache.GraphCache` or the store — and cut by the same
rule; when the subject its range started at is gone, the member before joins the run. The dumps are
then the bytes a publication from scratch writes (the tests compare them).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping

from .dumps import Member, Planned, cut_members

__all__ = ["GraphLines", "changed_graphs", "plan_members"]

#: the N-Quads lines of a graph (its name as a term: ``<iri>``), sorted; none for a graph that is gone
GraphLines = Callable[[str], list[str]]


def _subject(line: str) -> str:
    return line[:line.find(" ")]


def changed_graphs(before: Mapping[str, str], now: Mapping[str, str]) -> set[str]:
    """The graphs whose version differs, and those that came or went."""
    return {g for g in before.keys() | now.keys() if before.get(g) != now.get(g)}


def plan_members(earlier: list[Member], changed: set[str], lines_of: GraphLines) -> list[Planned]:
    """The members of the dumps now, in order: those of ``earlier`` (in order) that ``changed``
    graphs leave as they were, to copy, and the lines of the others."""
    starts = [m.start for m in earlier]
    dirty = [bool(changed.intersection(m.graphs)) for m in earlier]
    current = {g: lines_of(g) for g in sorted(changed)}
    for lines in current.values():
        for line in lines:
            dirty[max(bisect_right(starts, _subject(line)) - 1, 0)] = True
    read: dict[str, list[str]] = dict(current)

    def graph_lines(graph: str) -> list[str]:
        if graph not in read:
            read[graph] = lines_of(graph)
        return read[graph]

    plan: list[Planned] = []
    i, n = 0, len(earlier)
    while i < n:
        if not dirty[i]:
            plan.append(earlier[i])
            i += 1
            continue
        first, last = i, i
        while last + 1 < n and dirty[last + 1]:
            last += 1
        while True:
            low = starts[first] if first > 0 else None
            high = starts[last + 1] if last + 1 < n else None
            graphs = {g for m in earlier[first:last + 1] for g in m.graphs}
            graphs.update(g for g, lines in current.items()
                          if any(_within(_subject(line), low, high) for line in lines))
            lines = sorted(line for g in graphs for line in graph_lines(g) if _within(_subject(line), low, high))
            if low is None or (lines and _subject(lines[0]) == low):
                break
            # the subject the run started at is gone: its lines belong to the member before
            first -= 1
            plan.pop()
        plan.extend(cut_members(iter(lines)))
        i = last + 1
    return plan


def _within(subject: str, low: str | None, high: str | None) -> bool:
    return (low is None or subject >= low) and (high is None or subject < high)
