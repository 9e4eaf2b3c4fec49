"""The human-readable pages of the publication: ``P.html`` per resource, indexes and timelines.

Each statement is read once (its description, as :meth:`GraphStore.describe` gives it, read as a
:class:`~.graphview.TermGraph`); its page and the pages of its recognition acts are written then,
and a summary is kept for the pages of parties, the indexes (``index.html``,
``index/{date,speaker,country}.html``) and the recognition timelines (``timeline/{country}.html``),
written by :mod:`.sitepages`. Links inside the site are relative; ``rel=canonical`` gives the IRI.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID
from rdflib.term import Node

from ..export import Parsed
from ..iris import IRIs
from ..mapping import KIND_CONCEPTS
from ..namespaces import CQ, CQ_NS, OA, ORG, SCHEMA
from ..store import GraphStore
from .documents import (
    DOCUMENT_FORMATS,
    STANCE_PHRASES,
    Resource,
    external_links,
    schema_jsonld,
    script_json,
    write_file,
)
from .graphview import TermGraph
from .listing import Period
from .reading import Descriptions

if TYPE_CHECKING:
    from .pagerecord import PageRecord

__all__ = ["Act", "Link", "PartyLists", "Site", "Summary", "environment", "highlight", "relative", "render_page", "statement_graph",
           "write_pages", "write_void_page"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
SPDX = Namespace("http://spdx.org/rdf/terms#")
GENRE_LABELS: dict[str, str] = {str(iri): label for label, iri in KIND_CONCEPTS.items()}
_MEDIA = {".ttl": ("text/turtle", "Turtle"), ".jsonld": ("application/ld+json", "JSON-LD"),
          ".nt": ("application/n-triples", "N-Triples")}
#: resource kinds in the order the home page counts them, with their plural names
KIND_NAMES: dict[str, tuple[str, str]] = {k: ("recognition act" if k == "act" else k, p) for k, p in (
    ("statement", "statements"), ("act", "recognition acts"), ("person", "people"), ("organization", "organizations"),
    ("office", "offices"), ("country", "countries"), ("place", "places"), ("region", "regions"), ("claim", "claims"),
    ("software", "software"), ("graph", "graphs"))}
STANCE_NAMES = {"Recognized": "Recognized", "NotRecognized": "Not recognized", "Withdrawn": "Withdrawn",
                "Reaffirmed": "Reaffirmed"}
#: predicate of a statement-graph triple pointing at a party → the party's role in the statement
ROLES: dict[Node, str] = {
    SCHEMA.author: "speaker", SCHEMA.publisher: "publisher", CQ.issuingCountry: "issuing country",
    CQ.coIssuingCountry: "co-issuing country", SCHEMA.locationCreated: "place of issue",
    SCHEMA.about: "about", SCHEMA.mentions: "mentioned", PROV.hadRole: "office of a speaker",
    CQ.recognizingParty: "recognizing party", CQ.recognizedParty: "recognized party",
    CQ.inRespectOf: "country of a recognition act", CQ.reportedBy: "reports a recognition act",
    PROV.wasAssociatedWith: "provenance (extraction or curation)",
}


@dataclass(frozen=True)
class Link:
    """Something a page names: a label, and the site path of its page if it has one."""

    label: str
    path: str | None = None
    iri: str = ""
    external: tuple[tuple[str, str], ...] = ()
    kind: str = ""


@dataclass(frozen=True)
class Act:
    """A recognition act as pages show it."""

    link: Link
    stance: str
    stance_label: str
    phrase: str
    by: Link
    party: Link
    recognized_as: str | None
    country: Link | None
    reported_by: Link | None
    curated: bool
    exact: str
    anchor: str
    statement: Link
    date: str | None


@dataclass
class PartyLists:
    """What a party's page, or the page of one period of it, lists."""

    statements: list[Summary]
    acts: list[Act]
    holders: list[tuple[Link, Summary]]  #: (holder, statement): for an office


@dataclass
class Summary:
    """What the pages of parties and the indexes show of a statement (not changed once its piece is
    made: its digest is kept with it, see :func:`~.pagerecord.seal`)."""

    link: Link
    date: str | None
    kind: str | None
    speakers: list[tuple[Link, Link | None]] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  #: party IRI → roles


def _order(link: Link) -> tuple[str, str, str]:
    return (link.kind, link.label, link.iri)


def statement_sort_key(s: Summary) -> tuple[str, str]:
    return (s.date or "", s.link.path or "")


def relative(target: str, page: str) -> str:
    """The href of site path ``target`` from the page at site path ``page``: ``posixpath.relpath``,
    computed without the file system for paths made of plain names."""
    return _relative(target, posixpath.dirname(page))


@lru_cache(maxsize=1 << 16)
def _relative(target: str, start: str) -> str:
    to, here = target.split("/"), (start.split("/") if start else [])
    if any(part in ("", ".", "..") for part in (*to, *here)):
        return posixpath.relpath(target, start or ".")
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) if parts else "."


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)
    env.globals["term"] = lambda iri: str(iri).rsplit("#", 1)[-1]  # cq:Term → its page ns/Term.html
    env.globals["stance_names"] = STANCE_NAMES
    return env


def render_page(env: Environment, out: Path, page: str, template: str, canonical: str,
                alternates: str | None = None, *, kept: PageRecord | None = None, **context: Any) -> str:
    """Render ``template`` to ``out/page``; ``alternates`` is the site path of the RDF documents.
    Given ``kept``, a page that is already the rendering of the same inputs is left as it is."""
    def render() -> None:
        links = [(*_MEDIA[s], relative(alternates + s, page)) for s in DOCUMENT_FORMATS.values()] if alternates else []
        write_file(out / page, env.get_template(template).render(
            url=lambda target: relative(target, page), canonical=canonical, alternates=links, page=page, **context))
    if kept is None:
        render()
    else:
        kept.write(template, page, canonical, alternates, context, render)
    return page


def highlight(text: str, marks: dict[tuple[int, int], tuple[str, str]]) -> Markup:
    """``text`` escaped, each (start, end) range wrapped in ``<mark id title>``; nested ranges nest,
    a range crossing an open one is cut at its end."""
    parts: list[str] = []
    pos, stack = 0, list[int]()
    for (start, end), (anchor, title) in sorted(marks.items(), key=lambda m: (m[0][0], -m[0][1])):
        if not 0 <= start < end <= len(text):
            continue
        while stack and stack[-1] <= start:
            parts += [escape(text[pos:stack[-1]]), "</mark>"]
            pos = stack.pop()
        end = min(end, stack[-1]) if stack else end
        parts += [escape(text[pos:start]), Markup('<mark id="{}" title="{}">').format(anchor, title)]
        pos = start
        stack.append(end)
    while stack:
        parts += [escape(text[pos:stack[-1]]), "</mark>"]
        pos = stack.pop()
    parts.append(escape(text[pos:]))
    return Markup("".join(str(p) for p in parts))


class Site:
    """Links between resources, and what the statements say about each party."""

    def __init__(self, store: GraphStore, iris: IRIs, resources: list[Resource]) -> None:
        self.iris = iris
        self.by_iri = {r.iri: r for r in resources}
        self.entities = TermGraph.from_ntriples(store.nquads(str(iris.entities_graph())))
        self.summaries: list[Summary] = []
        self.acts: list[Act] = []
        self.holders: dict[str, list[tuple[Link, Summary]]] = defaultdict(list)  # office → (person, statement)

    def link(self, node: object, graph: TermGraph | None = None) -> Link:
        iri = str(node)
        res = self.by_iri.get(iri)
        g = graph if graph is not None else self.entities
        label = res.label if res else str(g.value(URIRef(iri), RDFS.label) or g.value(URIRef(iri), SCHEMA.name) or iri)
        return Link(label, res.path if res else None, iri, tuple(external_links(g, URIRef(iri))),
                    res.kind if res else "")

    def read_act(self, g: TermGraph, node: URIRef, statement: Link, date: str | None, text: str) -> Act:
        stance = str(g.value(node, CQ.stance))
        target = g.value(g.value(node, CQ.evidence), OA.hasTarget)
        exact, start, end = "", -1, -1
        for selector in sorted(g.objects(target, OA.hasSelector), key=str):
            if (selector, RDF.type, OA.TextQuoteSelector) in g:
                exact = str(g.value(selector, OA.exact))
            else:
                start, end = int(str(g.value(selector, OA.start))), int(str(g.value(selector, OA.end)))
        if text[start:end] != exact and exact in text:  # trust the quote when the offsets disagree
            start = text.index(exact)
            end = start + len(exact)
        generator = g.value(g.value(node, CQ.evidence), PROV.wasGeneratedBy)
        country, reported = g.value(node, CQ.inRespectOf), g.value(node, CQ.reportedBy)
        return Act(
            self.link(node), stance, stance.rsplit("#", 1)[-1], STANCE_PHRASES.get(stance, stance),
            self.link(g.value(node, CQ.recognizingParty), g), self.link(g.value(node, CQ.recognizedParty), g),
            str(g.value(node, CQ.recognizedAs)) if g.value(node, CQ.recognizedAs) else None,
            self.link(country, g) if country else None, self.link(reported, g) if reported else None,
            (generator, PROV.wasAssociatedWith, self.iris.software()) not in g,
            exact, f"evidence-{start}-{end}", statement, date)

    def statement(self, env: Environment, out: Path, res: Resource, g: TermGraph) -> list[str]:
        node = URIRef(res.iri)
        text = str(g.value(node, SCHEMA.text) or "")
        genre = g.value(node, SCHEMA.genre)
        summary = Summary(self.link(node), res.date, GENRE_LABELS.get(str(genre)) if genre else None)
        attributions = sorted(g.objects(node, PROV.qualifiedAttribution),
                              key=lambda a: (len(str(a)), str(a)))
        for attribution in attributions:
            person, office = g.value(attribution, PROV.agent), g.value(attribution, PROV.hadRole)
            speaker = (self.link(person, g), self.link(office, g) if office else None)
            summary.speakers.append(speaker)
            if office is not None:
                self.holders[str(office)].append((speaker[0], summary))
        for s, p, o in g:
            if p in ROLES and isinstance(o, URIRef) and self.iris.is_entity(o) \
                    and not str(s).startswith(self.iris.base + "annotation/"):
                summary.roles[str(o)].add(ROLES[p])
        acts = [self.read_act(g, URIRef(str(a)), summary.link, res.date, text)
                for a in sorted(g.subjects(CQ.assertedIn, node), key=lambda a: (len(str(a)), str(a)))]
        marks: dict[tuple[int, int], tuple[str, str]] = {}
        for act in acts:
            start, end = (int(x) for x in act.anchor.split("-")[1:])
            label = marks.get((start, end), (act.anchor, ""))[1]
            marks[(start, end)] = (act.anchor, f"{label}; {act.link.label}" if label else act.link.label)
        source = g.value(node, SCHEMA.isBasedOn)
        curations = sorted((a for a in g.objects(node, PROV.wasGeneratedBy) if (a, CQ.curatedField, None) in g), key=str)
        curation = [(self.link(g.value(a, PROV.wasAssociatedWith), g), str(g.value(a, DCTERMS.date) or ""),
                     sorted(str(f) for f in g.objects(a, CQ.curatedField))) for a in curations]
        software = self.iris.software()
        extractor = (self.link(software, g), str(g.value(software, SCHEMA.softwareVersion) or "")) \
            if (None, PROV.wasAssociatedWith, software) in g else None

        def links(p: URIRef) -> list[Link]:
            return sorted((self.link(o, g) for o in g.objects(node, p)), key=_order)
        parties = {str(o) for p in (SCHEMA.mentions, SCHEMA.about) for o in g.objects(node, p)}
        written = [render_page(
            env, out, res.path + ".html", "statement.html", res.iri, res.path, res=res, summary=summary,
            text=highlight(text, marks), acts=acts, place=links(SCHEMA.locationCreated),
            publisher=links(SCHEMA.publisher), issuing=links(CQ.issuingCountry),
            co_issuing=links(CQ.coIssuingCountry), about=links(SCHEMA.about),
            parties=sorted((self.link(o, g) for o in parties), key=_order),
            genre=str(genre) if genre else None, curation=curation, extractor=extractor,
            source={k: str(g.value(source, p) or "") if source else "" for k, p in (
                ("file", CQ.fileName), ("sha256", CQ.sha256), ("url", SCHEMA.url),
                ("captured", PROV.generatedAtTime), ("record", DCTERMS.identifier))},
            jsonld=Markup(script_json(schema_jsonld(g, res.iri, GENRE_LABELS))))]
        for act in acts:
            written.append(render_page(env, out, f"{act.link.path}.html", "act.html", act.link.iri,
                                       act.link.path, act=act))
        self.summaries.append(summary)
        self.acts.extend(acts)
        return written

    def index(self) -> None:
        """Each party's statements (newest first) and recognition acts (oldest first)."""
        self.statements_of: dict[str, list[Summary]] = defaultdict(list)
        for s in sorted(self.summaries, key=statement_sort_key, reverse=True):
            for iri in s.roles:
                self.statements_of[iri].append(s)
        self.acts_of: dict[str, list[Act]] = defaultdict(list)
        for a in sorted(self.acts, key=lambda a: (a.date or "", a.link.path or "")):
            for iri in sorted({a.by.iri, a.party.iri, a.country.iri if a.country else ""} - {""}):
                self.acts_of[iri].append(a)

    def party_lists(self, iri: str) -> PartyLists:
        """What the page of party ``iri`` lists: statements (newest first), recognition acts (oldest
        first) and, for an office, its holders' statements (newest first)."""
        return PartyLists(self.statements_of.get(iri, []), self.acts_of.get(iri, []),
                          sorted(self.holders.get(iri, []), key=lambda h: statement_sort_key(h[1]), reverse=True))

    def party(self, env: Environment, out: Path, res: Resource, timelines: set[str], lists: PartyLists,
              periods: list[Period] | None = None, kept: PageRecord | None = None) -> str:
        """The page of party ``res``: its description and ``lists`` — or, when given, the ``periods``
        whose listings hold them."""
        node = URIRef(res.iri)
        e = self.entities
        slug = res.path.rsplit("/", 1)[-1]
        return render_page(
            env, out, res.path + ".html", "party.html", res.iri, res.path, kept=kept, res=res, me=self.link(node),
            types=sorted(str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in e.objects(node, RDF.type)),
            lists=lists, periods=periods,
            inside=[self.link(o) for o in sorted(e.objects(node, SCHEMA.containedInPlace), key=str)],
            contains=sorted((self.link(s) for s in e.subjects(SCHEMA.containedInPlace, node)), key=_order),
            post_in=[self.link(o) for o in sorted(e.objects(node, ORG.postIn), key=str)],
            posts=sorted((self.link(s) for s in e.subjects(ORG.postIn, node)), key=_order),
            version=str(e.value(node, SCHEMA.softwareVersion) or ""),
            linked=e.value(node, CQ.linkStatus), timeline=f"timeline/{slug}.html" if res.iri in timelines else None)

    def references(self, env: Environment, out: Path, res: Resource, period: Period, lists: PartyLists,
                   kept: PageRecord | None = None) -> str:
        """The page of the listing of ``period`` of party ``res``: ``lists`` of that period."""
        return render_page(env, out, period.path + ".html", "references.html", self.iris.base + period.path,
                           period.path, kept=kept, res=res, me=self.link(URIRef(res.iri)), period=period, lists=lists)


def statement_graph(lines: list[str] | Parsed) -> TermGraph:
    """A statement's description (sorted N-Triples lines, or them parsed) as the pages read it."""
    return TermGraph.from_quads((lines if isinstance(lines, Parsed) else Parsed.of_lines(lines)).parsed)


def write_pages(store: GraphStore, iris: IRIs, out: Path, resources: list[Resource]) -> list[str]:
    """Write ``P.html`` of every resource, the indexes and the timelines; return their paths, sorted."""
    env = environment()
    site = Site(store, iris, resources)
    descriptions = Descriptions(store, iris)
    written: list[str] = []
    for res in (r for r in resources if r.kind == "statement"):
        written += site.statement(env, out, res, statement_graph(descriptions.lines(res.iri)))
    from .sitepages import write_site_pages
    return sorted(written + write_site_pages(env, site, out, resources))


def write_void_page(out: Path, iris: IRIs, void_ntriples: str) -> str:
    """``void.html``: the dataset's VoID/DCAT description (N-Triples of ``{base}void``) for people.

    Call it once the dumps are written; IRIs under the base link to the files of the site."""
    g = Graph()
    g.parse(data=void_ntriples, format="nt")
    base, ds = iris.base, URIRef(iris.base + "void")

    def href(iri: object) -> str:
        path = str(iri)[len(base):] if str(iri).startswith(base) else None
        if str(iri) == CQ_NS:
            return relative("ns.html", "void.html")
        if path is None or path == "sparql":
            return str(iri)
        return path if "." in path.rsplit("/", 1)[-1] else path + ".html"

    def text(node: Node | None, p: URIRef) -> str:
        return str(g.value(node, p) or "") if node is not None else ""
    dumps = [{"href": href(d), "name": str(d).rsplit("/", 1)[-1], "type": text(d, DCAT.mediaType).rsplit("/", 2)[-2:],
              "size": text(d, DCAT.byteSize), "sha256": text(g.value(d, SPDX.checksum), SPDX.checksumValue)}
             for d in sorted(g.objects(ds, DCAT.distribution), key=str)]
    facts = [(label, text(ds, p)) for label, p in (
        ("Triples", VOID.triples), ("Statements", VOID.documents), ("Distinct subjects", VOID.distinctSubjects),
        ("Latest statement", DCTERMS.modified), ("Rights", DCTERMS.rights)) if text(ds, p)]
    linksets = sorted((text(g.value(s, VOID.objectsTarget), DCTERMS.title), text(s, VOID.triples))
                      for s in g.objects(ds, VOID.subset))
    return render_page(
        environment(), out, "void.html", "void.html", str(ds), "void", title=text(ds, DCTERMS.title) or "Dataset",
        description=text(ds, DCTERMS.description), license=text(ds, DCTERMS.license), facts=facts, dumps=dumps,
        endpoint=text(ds, VOID.sparqlEndpoint), linksets=linksets,
        vocabularies=[(str(v), href(v)) for v in sorted(g.objects(ds, VOID.vocabulary), key=str)],
        examples=[(str(e), href(e)) for e in sorted(g.objects(ds, VOID.exampleResource), key=str)])
