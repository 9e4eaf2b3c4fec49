"""Statement → rdflib Graph, one small function per class. All IRIs come from :mod:`.iris`.

Each statement's graph is self-contained: it holds the statement, its provenance, attributions,
recognition acts and evidence, and the descriptions (type, name, external links) of every party,
office and place it refers to — so one named graph validates and publishes on its own.
"""

from __future__ import annotations

from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .iris import IRIs, external_links, page_iri, slugify
from .model import Entity, Evidence, RecognitionAct, Speaker, Statement
from .namespaces import CQ, DCTERMS, OA, ORG, OWL, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD

__all__ = ["Sink", "Triple", "statement_graph", "statement_triples", "new_graph", "date_literal", "KIND_CONCEPTS",
           "STANCE_CONCEPTS"]

Triple = tuple[Node, Node, Node]


class Sink(Protocol):
    """Where the mapping puts triples: an rdflib Graph, or a plain ``set`` of triples (a build maps
    100,000 statements, and a set takes a triple several times faster than a Graph does)."""

    def add(self, triple: Triple, /) -> object: ...

KIND_CONCEPTS: dict[str, URIRef] = {
    "Press Statement": CQ.PressStatement,
    "Media Note": CQ.MediaNote,
    "Remarks": CQ.Remarks,
    "Readout": CQ.Readout,
    "Joint Statement": CQ.JointStatement,
    "Joint Declaration": CQ.JointDeclaration,
    "Statement": CQ.Statement,
    "Notice to the Press": CQ.NoticeToThePress,
    "Press release": CQ.PressRelease,
    "Written Answer": CQ.WrittenAnswer,
    "Written Ministerial Statement": CQ.WrittenMinisterialStatement,
    "Public Schedule": CQ.PublicSchedule,
}
STANCE_CONCEPTS: dict[str, URIRef] = {
    "recognized": CQ.Recognized,
    "not_recognized": CQ.NotRecognized,
    "withdrawn": CQ.Withdrawn,
    "reaffirmed": CQ.Reaffirmed,
}
_ENTITY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "person": (SCHEMA.Person, PROV.Agent),
    "country": (SCHEMA.Country, PROV.Agent),
    "place": (SCHEMA.Place,),
    "region": (SCHEMA.Place,),
    "claim": (SCHEMA.Thing,),
}
_GOVERNMENTAL = {"national-government", "government", "ministry", "legislature", "agency", "military"}


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def date_literal(value: str) -> Literal:
    """A statement's date as ``schema:datePublished`` holds it (xsd:date, or xsd:gYearMonth)."""
    return Literal(value, datatype=XSD.date if len(value) == 10 else XSD.gYearMonth)


def add_entity(g: Sink, iris: IRIs, e: Entity) -> URIRef:
    """An entity's description: classes, names, link status and external links."""
    node = iris.entity(e)
    if e.type == "office":
        return add_office(g, iris, e)
    if e.type == "organization":
        first = SCHEMA.GovernmentOrganization if e.org_type in _GOVERNMENTAL else SCHEMA.Organization
        classes: tuple[URIRef, ...] = (first, ORG.FormalOrganization, PROV.Agent)
    else:
        classes = _ENTITY_CLASSES[e.type]
    for cls in classes:
        g.add((node, RDF.type, cls))
    g.add((node, SCHEMA.name, Literal(e.name)))
    g.add((node, RDFS.label, Literal(e.name)))
    if e.type not in ("place", "region"):
        g.add((node, CQ.linkStatus, CQ.Linked if e.linked else CQ.Unlinked))
    for link in external_links(e):
        g.add((node, OWL.sameAs, link))
    return node


def add_office(g: Sink, iris: IRIs, office: Entity) -> URIRef:
    node = iris.entity(office)
    g.add((node, RDF.type, ORG.Post))
    g.add((node, RDF.type, PROV.Role))
    g.add((node, RDFS.label, Literal(office.name)))
    if office.wikidata:
        g.add((node, SKOS.exactMatch, WD[office.wikidata]))
    return node


def _add_place(g: Sink, iris: IRIs, place: Entity, country: Entity | None) -> URIRef:
    node = add_entity(g, iris, place)
    if country is not None:
        g.add((node, SCHEMA.containedInPlace, add_entity(g, iris, country)))
    return node


def _add_attribution(g: Sink, iris: IRIs, st: Statement, n: int, speaker: Speaker,
                     post_in: Entity | None) -> URIRef | None:
    if speaker.person is None:
        return None
    node = iris.attribution(st, n)
    g.add((node, RDF.type, PROV.Attribution))
    g.add((node, PROV.agent, add_entity(g, iris, speaker.person)))
    if speaker.office is not None:
        office = add_office(g, iris, speaker.office)
        g.add((node, PROV.hadRole, office))
        if post_in is not None:
            g.add((office, ORG.postIn, add_entity(g, iris, post_in)))
    return node


def _add_target(g: Sink, iris: IRIs, st: Statement, n: int | str, ann: URIRef, doc: URIRef, by: URIRef,
                ev: Evidence) -> tuple[URIRef, URIRef]:
    """The parts every evidence annotation has: its provenance, its target (a part of ``doc``) and
    the position of the selection; returns the target and the position selector."""
    target, position = iris.annotation(st, n, "target"), iris.annotation(st, n, "position")
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, PROV.wasGeneratedBy, by))
    g.add((ann, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, position))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((position, OA.end, Literal(ev.end, datatype=XSD.integer)))
    return target, position


def _add_evidence(g: Sink, iris: IRIs, st: Statement, n: int, ev: Evidence, doc: URIRef, by: URIRef) -> URIRef:
    """A Web Annotation describing the sentence ``ev`` of the statement text: its position, and
    its quote with the words around it, so that it can be found again in a copy of the text."""
    ann, quote = iris.annotation(st, n), iris.annotation(st, n, "quote")
    target, _ = _add_target(g, iris, st, n, ann, doc, by, ev)
    g.add((ann, OA.motivatedBy, OA.describing))
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(ev.exact)))
    g.add((quote, OA.prefix, Literal(ev.prefix)))
    g.add((quote, OA.suffix, Literal(ev.suffix)))
    return ann


def _add_mention(g: Sink, iris: IRIs, st: Statement, n: int, ev: Evidence, doc: URIRef, by: URIRef,
                 party: URIRef) -> URIRef:
    """A Web Annotation identifying ``party`` where the statement names it: the position only (the
    words are ``schema:text`` between the offsets; mentions are most of a statement's triples)."""
    ann = iris.annotation(st, f"m{n}")
    _add_target(g, iris, st, f"m{n}", ann, doc, by, ev)
    g.add((ann, OA.motivatedBy, OA.identifying))
    g.add((ann, OA.hasBody, party))
    return ann


def _add_act(g: Sink, iris: IRIs, st: Statement, n: int, act: RecognitionAct, doc: URIRef) -> URIRef:
    node = iris.act(st, n)
    by = iris.activity(st, "curation" if act.curated else "extraction")  # on the evidence: who said so
    g.add((node, RDF.type, CQ.RecognitionAct))
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, CQ.stance, STANCE_CONCEPTS[act.stance]))
    g.add((node, CQ.recognizingParty, add_entity(g, iris, act.recognizing)))
    g.add((node, CQ.recognizedParty, add_entity(g, iris, act.recognized)))
    if act.of_country is not None:
        g.add((node, CQ.inRespectOf, add_entity(g, iris, act.of_country)))
    if act.recognized_as:
        g.add((node, CQ.recognizedAs, Literal(act.recognized_as)))
    g.add((node, CQ.assertedIn, doc))
    if act.reported and st.issuing_country is not None:
        g.add((node, CQ.reportedBy, add_entity(g, iris, st.issuing_country)))
    if act.stance in ("recognized", "reaffirmed"):
        g.add((node, SKOS.closeMatch, CQ.CAMEO054))
    g.add((node, CQ.evidence, _add_evidence(g, iris, st, n, act.evidence, doc, by)))
    return node


def _add_provenance(g: Sink, iris: IRIs, st: Statement, doc: URIRef) -> None:
    """The extraction activity (the extractor, its version, the source) and any curation."""
    extraction, software = iris.activity(st, "extraction"), iris.software()
    g.add((extraction, RDF.type, PROV.Activity))
    g.add((extraction, PROV.used, iris.source(st)))
    g.add((extraction, PROV.wasAssociatedWith, software))
    g.add((doc, PROV.wasGeneratedBy, extraction))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDF.type, SCHEMA.SoftwareApplication))
    g.add((software, SCHEMA.name, Literal("Communiqué")))
    g.add((software, RDFS.label, Literal("Communiqué")))
    g.add((software, SCHEMA.softwareVersion, Literal(__version__)))
    if st.curation is None:
        return
    curation = iris.activity(st, "curation")
    curator = Entity(id=slugify(st.curation.curator), type="person", name=st.curation.curator, linked=False)
    g.add((curation, RDF.type, PROV.Activity))
    g.add((curation, PROV.wasAssociatedWith, add_entity(g, iris, curator)))
    g.add((curation, PROV.used, extraction))
    g.add((curation, DCTERMS.date, _when(st.curation.date)))
    g.add((curation, RDFS.label, Literal(f"curation by {st.curation.curator}")))
    for name in st.curation.fields:
        g.add((curation, CQ.curatedField, Literal(name)))
    g.add((doc, PROV.wasGeneratedBy, curation))


def _when(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime if "T" in value else XSD.date)


def _add_source(g: Sink, iris: IRIs, st: Statement, doc: URIRef) -> None:
    src = iris.source(st)
    g.add((src, RDF.type, PROV.Entity))
    g.add((src, CQ.fileName, Literal(st.document.name)))
    g.add((src, CQ.sha256, Literal(st.document.sha256)))
    page = page_iri(st.document.url) if st.document.url else None
    if page is not None:
        g.add((src, SCHEMA.url, page))
    if st.document.capture_date:  # an archived capture: when, and which WARC record
        g.add((src, PROV.generatedAtTime, Literal(st.document.capture_date, datatype=XSD.dateTime)))
    if st.document.record_id:
        g.add((src, DCTERMS.identifier, Literal(st.document.record_id)))
    g.add((doc, PROV.wasDerivedFrom, src))
    g.add((doc, SCHEMA.isBasedOn, src))


def statement_graph(st: Statement, iris: IRIs | None = None) -> Graph:
    """The RDF of one statement and of everything it refers to, as a Graph with our prefixes."""
    g = new_graph()
    for triple in statement_triples(st, iris):
        g.add(triple)
    return g


def statement_triples(st: Statement, iris: IRIs | None = None) -> set[Triple]:
    """The RDF of one statement and of everything it refers to, as a set of triples."""
    iris = iris or IRIs()
    g: set[Triple] = set()
    doc = iris.statement(st)
    g.add((doc, RDF.type, SCHEMA.NewsArticle))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, SCHEMA.headline, Literal(st.title)))
    g.add((doc, SCHEMA.inLanguage, Literal("en")))
    g.add((doc, SCHEMA.text, Literal(st.text)))
    if st.date:
        g.add((doc, SCHEMA.datePublished, date_literal(st.date)))
    if st.kind in KIND_CONCEPTS:
        g.add((doc, SCHEMA.genre, KIND_CONCEPTS[st.kind]))
    known = {c.iso2: c for c in (st.issuing_country, *st.countries, *(a.of_country for a in st.acts))
             if c is not None and c.iso2}
    if st.place is not None:
        g.add((doc, SCHEMA.locationCreated, _add_place(g, iris, st.place, known.get(st.place.country or ""))))
    if st.issuing_country is not None:
        g.add((doc, CQ.issuingCountry, add_entity(g, iris, st.issuing_country)))
    for country in st.co_issuers:
        g.add((doc, CQ.coIssuingCountry, add_entity(g, iris, country)))
    if st.publisher is not None:
        g.add((doc, SCHEMA.publisher, add_entity(g, iris, st.publisher)))
    for n, speaker in enumerate(st.speakers, start=1):
        post_in = st.publisher if (st.publisher and speaker.office
                                   and speaker.office.post_in == st.publisher.id) else None
        attribution = _add_attribution(g, iris, st, n, speaker, post_in)
        if attribution is not None:
            g.add((doc, SCHEMA.author, iris.entity(speaker.person)))  # type: ignore[arg-type]
            g.add((doc, PROV.qualifiedAttribution, attribution))
    for e in (*st.persons, *st.organizations, *st.countries):
        g.add((doc, SCHEMA.mentions, add_entity(g, iris, e)))
    for region in st.regions:
        g.add((doc, SCHEMA.mentions, _add_place(g, iris, region, known.get(region.country or ""))))
    for e in st.about:
        g.add((doc, SCHEMA.about, add_entity(g, iris, e)))
    _add_source(g, iris, st, doc)
    _add_provenance(g, iris, st, doc)
    for n, act in enumerate(st.acts, start=1):
        _add_act(g, iris, st, n, act, doc)
    extraction = iris.activity(st, "extraction")
    parties = set(st.persons) | set(st.organizations) | set(st.countries) | set(st.regions)
    for n, (entity, ev) in enumerate((m for m in st.mentions if m[0] in parties), start=1):
        _add_mention(g, iris, st, n, ev, doc, extraction, iris.entity(entity))
    return g
