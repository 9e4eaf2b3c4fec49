"""The published pages: per-resource documents, HTML pages with embedded schema.org JSON-LD, the
indexes and timelines, and the vocabulary's documentation."""

from __future__ import annotations

import filecmp
import json
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import extruct
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from communique.export import serialize
from communique.iris import IRIs
from communique.jsonld import expand
from communique.namespaces import CQ, CQ_NS, OA, SCHEMA
from communique.pipeline import build
from communique.publish.dataset import dataset_graph, write_dumps
from communique.publish.documents import Resource, write_documents
from communique.publish.ontology_docs import term_page, write_ontology_docs
from communique.publish.pages import highlight, write_pages, write_void_page
from communique.resources import ontology_dir
from communique.store import GraphStore

from .conftest import DATA, write

SCHEMA_NS = str(SCHEMA._NS)
EVIL = 'Recognition </script><script>alert(1)</script> <!-- & "quotes" of Venezuela'
EVIL_STATEMENT = f"""# {EVIL}

Press Statement
Michael R. Pompeo

Secretary of State

Washington, DC
January 23, 2019

---

The United States recognizes Juan Guaidó as interim President of Venezuela. We <b>stand</b> with the people & their National Assembly.
"""


def publish(store: GraphStore, out: Path) -> list[Resource]:
    """Documents, pages, vocabulary; then the dumps and VoID (the publication's own) and void.html."""
    iris = IRIs()
    resources = write_documents(store, iris, out)
    write_pages(store, iris, out, resources)
    write_ontology_docs(out)
    void = dataset_graph(store, iris, write_dumps(store, out)).serialize(format="nt")
    for fmt, suffix in (("turtle", ".ttl"), ("nt", ".nt"), ("jsonld", ".jsonld")):
        (out / f"void{suffix}").write_text(serialize(void, fmt), encoding="utf-8")
    write_void_page(out, iris, void)
    return resources


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[GraphStore, Path, list[Resource]]:
    tmp = tmp_path_factory.mktemp("site")
    store = GraphStore(tmp / "store")
    report = build([DATA], store=store)
    assert not report.rejected, report.summary()
    out = tmp / "out"
    return store, out, publish(store, out)


class Page(HTMLParser):
    """What the tests read from a page: links, ids, scripts, marks, the h1, canonical, alternates."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.marks: dict[str, str] = {}
        self.h1 = ""
        self.canonical: list[str] = []
        self.alternates: dict[str, str] = {}
        self._marks: list[str | None] = []
        self._script = self._h1 = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.links += [v for k, v in attrs if k in ("href", "src") and v is not None]
        if a.get("id"):
            self.ids.add(a["id"])  # type: ignore[arg-type]
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a["type"] or ""] = a["href"] or ""
        if tag == "script":
            self.scripts.append("")
            self._script = True
        if tag == "mark":
            self._marks.append(a.get("id"))
            if a.get("id"):
                self.marks[a["id"]] = ""  # type: ignore[index]
        self._h1 = self._h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False
        if tag == "mark":
            self._marks.pop()
        if tag == "h1":
            self._h1 = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data
        for mark in self._marks:
            if mark:
                self.marks[mark] += data
        if self._h1:
            self.h1 += data


def _page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _document(path: Path) -> Graph:
    """A resource's .jsonld document, expanded offline and parsed."""
    return Graph().parse(data=json.dumps(expand(json.loads(path.read_text(encoding="utf-8")))), format="json-ld")


def _schema_view(g: Graph, statement: URIRef, base: str) -> Graph:
    """The statement's schema.org triples (its schema:* properties and schema:* types), and the
    schema:name and schema:* types of each party (IRI under ``{base}id/``) they point to."""
    view = Graph()
    for p, o in g.predicate_objects(statement):
        if str(p).startswith(SCHEMA_NS) or (p == RDF.type and str(o).startswith(SCHEMA_NS)):
            view.add((statement, p, o))
            if isinstance(o, URIRef) and str(o).startswith(base + "id/"):
                view += ((o, SCHEMA.name, n) for n in g.objects(o, SCHEMA.name))
                view += ((o, RDF.type, t) for t in g.objects(o, RDF.type) if str(t).startswith(SCHEMA_NS))
    return view


def test_every_resource_has_its_four_files(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    store, out, resources = site
    kinds = {r.kind for r in resources}
    assert {"statement", "act", "graph", "person", "organization", "office", "country", "place"} <= kinds
    assert len([r for r in resources if r.kind == "statement"]) == len(store.statement_names()) == 4
    assert [r.path for r in resources] == sorted(r.path for r in resources)
    for r in resources:
        assert r.iri == IRIs().base + r.path
        for suffix in (".ttl", ".nt", ".jsonld", ".html"):
            assert (out / f"{r.path}{suffix}").is_file(), f"{r.path}{suffix}"
        graphs = [Graph().parse(out / f"{r.path}.ttl"), Graph().parse(out / f"{r.path}.nt"),
                  _document(out / f"{r.path}.jsonld")]
        assert len(graphs[0]) > 0 and isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2]), r.path
    parties = {str(s) for s in Graph().parse(out / "graph/entities.nt").subjects()}
    assert parties == {r.iri for r in resources if r.path.startswith("id/")}
    for page in ("index.html", "index/date.html", "index/speaker.html", "index/country.html",
                 "timeline/venezuela.html", "ns.html", "void.html"):
        assert (out / page).is_file(), page


def test_documents_carry_backlinks(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, resources = site
    base = IRIs().base
    guaido = Graph().parse(out / "id/person/juan-guaido.ttl")
    statements = set(guaido.subjects(SCHEMA.mentions, URIRef(base + "id/person/juan-guaido")))
    assert len(statements) == 2 and all(guaido.value(s, SCHEMA.headline) for s in statements)
    assert set(guaido.subjects(CQ.recognizedParty, URIRef(base + "id/person/juan-guaido")))
    office = Graph().parse(out / "id/office/united-states-secretary-of-state.ttl")
    assert (None, URIRef("http://www.w3.org/ns/prov#agent"), URIRef(base + "id/person/michael-r-pompeo")) in office
    act = next(r for r in resources if r.kind == "act")
    g = Graph().parse(out / f"{act.path}.ttl")
    assert list(g.objects(None, OA.exact)) and list(g.objects(None, OA.start))
    assert g.value(g.value(URIRef(act.iri), CQ.assertedIn), SCHEMA.headline) is not None


def test_rebuild_is_byte_identical(site: tuple[GraphStore, Path, list[Resource]], tmp_path: Path) -> None:
    _, out, resources = site
    store = GraphStore(tmp_path / "store")
    build([DATA], store=store)
    again = tmp_path / "out"
    assert publish(store, again) == resources
    assert _files(again) == _files(out)
    assert [f for f in _files(out) if not filecmp.cmp(out / f, again / f, shallow=False)] == []


def test_embedded_jsonld_is_the_statement_schema_org_description(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, resources = site
    base = IRIs().base
    for r in (r for r in resources if r.kind == "statement"):
        html = (out / f"{r.path}.html").read_text(encoding="utf-8")
        embedded = extruct.extract(html, base_url=r.iri, syntaxes=["json-ld"])["json-ld"]
        assert len(embedded) == 1 and embedded[0]["@context"] == "https://schema.org"
        page = Graph().parse(data=json.dumps(expand(embedded[0])), format="json-ld")
        node = URIRef(r.iri)
        mine, theirs = _schema_view(page, node, base), _schema_view(_document(out / f"{r.path}.jsonld"), node, base)
        assert len(theirs) > 10 and (node, SCHEMA.headline, Literal(r.label)) in theirs
        assert set(mine) == set(theirs), r.path
        assert isomorphic(mine, theirs)


def test_a_title_cannot_break_out_of_its_script(tmp_path: Path) -> None:
    write(tmp_path / "src" / "2019-01-23-evil.txt", EVIL_STATEMENT)
    store = GraphStore(tmp_path / "store")
    report = build([tmp_path / "src"], store=store)
    assert not report.rejected, report.summary()
    out = tmp_path / "out"
    resources = publish(store, out)
    statement = next(r for r in resources if r.kind == "statement")
    html = (out / f"{statement.path}.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<!--" not in html
    page = Page(html)
    assert len(page.scripts) == 1
    assert json.loads(page.scripts[0])["headline"] == statement.label == EVIL
    assert page.h1 == EVIL  # shown as text, escaped in the source
    assert "<h1>Recognition &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "We &lt;b&gt;stand&lt;/b&gt; with the people &amp; their" in html
    for name in _files(out):
        if name.endswith(".html"):
            text = (out / name).read_text(encoding="utf-8")
            assert len(Page(text).scripts) == (1 if name == f"{statement.path}.html" else 0), name
            assert "<script>alert" not in text, name


def test_evidence_marks_hold_exactly_the_evidence(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, resources = site
    checked = 0
    for r in (r for r in resources if r.kind == "statement"):
        g = Graph().parse(out / f"{r.path}.ttl")
        text = str(g.value(URIRef(r.iri), SCHEMA.text))
        marks = _page(out / f"{r.path}.html").marks
        for act in g.subjects(CQ.assertedIn, URIRef(r.iri)):
            target = g.value(g.value(act, CQ.evidence), OA.hasTarget)
            selectors = list(g.objects(target, OA.hasSelector))
            exact = next(str(g.value(s, OA.exact)) for s in selectors if g.value(s, OA.exact) is not None)
            start = next(int(g.value(s, OA.start)) for s in selectors if g.value(s, OA.start) is not None)
            end = next(int(g.value(s, OA.end)) for s in selectors if g.value(s, OA.end) is not None)
            assert text[start:end] == exact
            assert marks[f"evidence-{start}-{end}"] == exact
            checked += 1
    assert checked == 8


def test_highlight_escapes_and_nests() -> None:
    text = 'a<b> & "c" d'
    marked = str(highlight(text, {(0, 4): ("x", "t<"), (1, 3): ("y", "u"), (7, 12): ("z", "v")}))
    assert marked == ('<mark id="x" title="t&lt;">a<mark id="y" title="u">&lt;b</mark>&gt;</mark> &amp; '
                      '<mark id="z" title="v">&#34;c&#34; d</mark>')


def test_every_relative_link_resolves(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, resources = site
    pages = [name for name in _files(out) if name.endswith(".html")]
    parsed = {name: _page(out / name) for name in pages}
    assert len(pages) > len(resources)
    broken: list[str] = []
    for name, page in parsed.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(name), unquote(parts.path))) if parts.path else name
            if target.startswith("..") or not (out / target).is_file():
                broken.append(f"{name}: {href}")
            elif parts.fragment and parts.fragment not in parsed[target].ids:
                broken.append(f"{name}: {href} (no such id)")
    assert broken == []


def test_pages_name_their_resource_and_its_documents(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, resources = site
    for r in resources:
        page = _page(out / f"{r.path}.html")
        assert page.canonical == [r.iri]
        stem = r.path.rsplit("/", 1)[-1]
        assert page.alternates == {"text/turtle": f"{stem}.ttl", "application/ld+json": f"{stem}.jsonld",
                                   "application/n-triples": f"{stem}.nt"}
    timeline = (out / "timeline/venezuela.html").read_text(encoding="utf-8")
    evidence = [href for href in _page(out / "timeline/venezuela.html").links if "#evidence-" in href]
    assert len(evidence) == 7 and "Juan Guaidó" in timeline
    order = [line.split('"')[1] for line in timeline.splitlines() if line.startswith("<time datetime=")]
    assert order == sorted(order)


def test_ontology_pages_for_every_term(site: tuple[GraphStore, Path, list[Resource]]) -> None:
    _, out, _ = site
    source = ontology_dir() / "communique.ttl"
    assert (out / "ns.ttl").read_bytes() == source.read_bytes()
    ontology = Graph().parse(source)
    assert isomorphic(ontology, Graph().parse(out / "ns.nt"))
    assert isomorphic(ontology, _document(out / "ns.jsonld"))
    overview = (out / "ns.html").read_text(encoding="utf-8")
    pages = {p.relative_to(out).as_posix().lower() for p in (out / "ns").rglob("*.html")}
    assert len(pages) == len(list((out / "ns").rglob("*.html")))  # no two pages differ only by case
    for name in CQ.__annotations__:
        page = out / f"{term_page(name)}.html"
        assert page.is_file(), name
        assert _page(page).canonical == [CQ_NS + name]
        assert f'href="{term_page(name)}.html"' in overview, name
