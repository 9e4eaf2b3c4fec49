"""The pages written once every statement is read: parties, the graph, timelines and indexes.

:class:`SitePages` prepares what they show from the statements' summaries, then writes them as
independent tasks (one page each), so that worker processes forked after the preparation can
share them out; :func:`write_site_pages` runs every task in this process.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .documents import Resource
from .listing import Period, granularity, newest_first, period_label, split, too_many
from .pagerecord import PageRecord
from .pages import KIND_NAMES, Act, Link, PartyLists, Site, Summary, _order, render_page, statement_sort_key

__all__ = ["SitePages", "Task", "write_site_pages"]

#: (kind of page, index among the pages of that kind)
Task = tuple[str, int]

_PARTY_KINDS = ("statement", "act", "graph")


def _count(resources: list[Resource]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for r in resources:
        counts[r.kind] += 1
    order = list(KIND_NAMES)
    return [(KIND_NAMES.get(k, (k, k))[n != 1], n) for k, n in
            sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))]


def _timeline_page(iri: str) -> str:
    return f"timeline/{iri.rsplit('/', 1)[-1]}.html"


class SitePages:
    """What the pages of parties, the graph, timelines and indexes show, and their writing."""

    def __init__(self, env: Environment, site: Site, out: Path, resources: list[Resource],
                 kept: PageRecord | None = None) -> None:
        self.env, self.site, self.out, self.resources = env, site, out, resources
        self.kept = kept  #: pages kept when rendered from the same inputs (see :mod:`.pagerecord`)
        site.index()
        timelines: dict[str, list[Act]] = defaultdict(list)
        for act in site.acts:
            if act.country is not None:
                timelines[act.country.iri].append(act)
        self.timelines = sorted(timelines.items())
        self.timeline_iris = set(timelines)
        self.parties = [r for r in resources if r.kind not in _PARTY_KINDS]
        self.graphs = [r for r in resources if r.kind == "graph"]
        self.newest = sorted(site.summaries, key=statement_sort_key, reverse=True)
        self.countries = {r.iri: site.link(r.iri) for r in resources if r.kind == "country"}
        self.indexes = ["index", "index/date", "index/speaker", "index/country"]
        by = granularity([s.date for s in self.newest])
        #: the statements by period, when they are too many for one page of ``index/date``
        self.dates = split(self.newest, lambda s: s.date, by) if by is not None else {}
        self.date_keys = list(self.dates)

    def tasks(self) -> list[tuple[int, Task]]:
        """Every page, with the number of items it lists (what its writing costs)."""
        site = self.site
        sizes: list[tuple[int, Task]] = [(len(self.newest) + 1, ("index", i)) for i in range(len(self.indexes))]
        sizes += [(len(site.statements_of.get(r.iri, ())) + len(site.acts_of.get(r.iri, ())), ("party", i))
                  for i, r in enumerate(self.parties)]
        sizes += [(len(self.parties), ("graph", i)) for i in range(len(self.graphs))]
        sizes += [(len(acts), ("timeline", i)) for i, (_, acts) in enumerate(self.timelines)]
        sizes += [(len(self.dates[key]), ("date", i)) for i, key in enumerate(self.date_keys)]
        return sizes

    def _render(self, page: str, template: str, canonical: str, alternates: str | None = None,
                **context: Any) -> str:
        return render_page(self.env, self.out, page, template, canonical, alternates, kept=self.kept, **context)

    def run(self, task: Task) -> list[str]:
        """Write the page(s) of ``task``; return their paths."""
        kind, n = task
        writers = {"party": self._party, "graph": self._graph, "timeline": self._timeline, "index": self._index_page,
                   "date": self._date_page}
        written = writers[kind](n)
        return written if isinstance(written, list) else [written]

    def _party(self, n: int) -> list[str]:
        """The page of a party; when the statements that refer to it are too many for one page, it
        lists periods, each with a page of its own (see :mod:`.listing`)."""
        site, res = self.site, self.parties[n]
        lists = site.party_lists(res.iri)
        by = granularity([s.date for s in lists.statements])
        if by is None:
            return [site.party(self.env, self.out, res, self.timeline_iris, lists, kept=self.kept)]
        statements = split(lists.statements, lambda s: s.date, by)
        acts = split(lists.acts, lambda a: a.date, by)
        holders = split(lists.holders, lambda h: h[1].date, by)
        keys = newest_first([*statements, *acts, *holders])
        periods = [Period(key, period_label(key), len(statements.get(key, ())),
                          site.iris.references(res.iri, key)[len(site.iris.base):]) for key in keys]
        written = [site.party(self.env, self.out, res, self.timeline_iris, lists, periods, kept=self.kept)]
        for period in periods:
            written.append(site.references(self.env, self.out, res, period, PartyLists(
                statements.get(period.key, []), acts.get(period.key, []), holders.get(period.key, [])), kept=self.kept))
        return written

    def _graph(self, n: int) -> str:
        res = self.graphs[n]
        return self._render(res.path + ".html", "graph.html", res.iri, res.path,
                           res=res, parties=[self.site.link(r.iri) for r in self.parties])

    def _timeline(self, n: int) -> list[str]:
        """The timeline of a country; past one listing's worth of acts, a list of periods (oldest
        first), each with a page of its own (``timeline/{slug}/{period}.html``)."""
        iri, acts = self.timelines[n]
        country = self.countries.get(iri) or self.site.link(iri)
        page = _timeline_page(iri)
        base = self.site.iris.base
        ordered = sorted(acts, key=lambda a: (a.date or "", a.link.path or ""))
        by = granularity([a.date for a in ordered])
        if by is None:
            return [self._render(page, "timeline.html", base + page, country=country,
                                acts=ordered, periods=[], period=None, home=page)]
        parts = split(ordered, lambda a: a.date, by)
        keys = [k for k in reversed(parts) if k[:1].isdigit()] + [k for k in parts if not k[:1].isdigit()]
        folder = page[:-len(".html")]
        periods = [(period_label(k), f"{folder}/{k}.html", len(parts[k])) for k in keys]
        written = [self._render(page, "timeline.html", base + page, country=country, acts=[],
                               periods=periods, period=None, home=page)]
        for key, (label, path, _) in zip(keys, periods):
            written.append(self._render(path, "timeline.html", base + path, country=country,
                                       acts=parts[key], periods=[], period=label, home=page))
        return written

    def _index_page(self, n: int) -> str:
        name = self.indexes[n]
        base = self.site.iris.base
        canonical = base if name == "index" else f"{base}{name}.html"
        return self._render(f"{name}.html", f"{name.replace('/', '_')}.html", canonical,
                           **self._index(name))

    def _date_page(self, n: int) -> str:
        """The page of ``index/date`` for one period, when they are too many for one page."""
        key = self.date_keys[n]
        page = f"index/date/{key}.html"
        return self._render(page, "index_date_period.html", self.site.iris.base + page,
                           period=period_label(key), statements=self.dates[key])

    def _index(self, name: str) -> dict[str, Any]:
        site, newest = self.site, self.newest
        if name == "index":
            return {"statements": newest, "kinds": _count(self.resources),
                    "timelines": [(self.countries.get(i) or site.link(i), len(a)) for i, a in self.timelines],
                    "graph": next(iter(self.graphs), None)}
        if name == "index/date":
            if self.dates:
                return {"years": [], "periods": [(period_label(key), f"index/date/{key}.html", len(items))
                                                 for key, items in self.dates.items()]}
            years: dict[str, list[Summary]] = defaultdict(list)
            for s in newest:
                years[s.date[:4] if s.date else "undated"].append(s)
            return {"years": sorted(years.items(), key=lambda y: (y[0] != "undated", y[0]), reverse=True),
                    "periods": []}
        if name == "index/speaker":
            speakers: dict[str, tuple[Link, list[tuple[Summary, Link | None]]]] = {}
            for s in newest:
                for person, office in s.speakers:
                    speakers.setdefault(person.iri, (person, []))[1].append((s, office))
            listed = sorted(speakers.values(), key=lambda s: _order(s[0]))
            # past one listing's worth, each speaker's count (their page lists their statements)
            return {"speakers": listed, "counts_only": too_many(sum(len(items) for _, items in listed))}
        countries = [(c, site.statements_of.get(c.iri, []), _timeline_page(c.iri) if c.iri in self.timeline_iris else None)
                     for c in sorted(self.countries.values(), key=_order)]
        return {"countries": countries, "counts_only": too_many(sum(len(items) for _, items, _ in countries))}


def write_site_pages(env: Environment, site: Site, out: Path, resources: list[Resource]) -> list[str]:
    """Once every statement is read: the pages of parties and of the graph, timelines and indexes."""
    pages = SitePages(env, site, out, resources)
    return sorted(path for _, task in pages.tasks() for path in pages.run(task))
