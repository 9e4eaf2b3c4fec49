"""The documentation of the Communiqué vocabulary: ``ns.html``, ``ns/{Class}.html``, ``ns/property/{property}.html`` and ``ns.{ttl,nt,jsonld}``.

Read from ``ontology/communique.ttl`` (found with :func:`communique.resources.ontology_dir`):
an overview of the classes, object and datatype properties and concept schemes, and one page per
term with its label, comment, types, domain, range, super-classes or -properties, SKOS mappings
and the other terms that refer to it. ``ns.ttl`` is the ontology file itself, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ..export import serialize
from ..namespaces import CQ_NS
from ..resources import ontology_dir
from .pages import environment, render_page

__all__ = ["ONTOLOGY_FILE", "TermRef", "write_ontology_docs"]

ONTOLOGY_FILE = "communique.ttl"
VANN = "http://purl.org/vocab/vann/"

#: (heading, rdf:type) of the sections of the overview, in order
SECTIONS: tuple[tuple[str, URIRef], ...] = (
    ("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
)
#: what a term page lists, in order: (heading, predicate)
FIELDS: tuple[tuple[str, URIRef], ...] = (
    ("Type", RDF.type), ("Subclass of", RDFS.subClassOf), ("Subproperty of", RDFS.subPropertyOf),
    ("Domain", RDFS.domain), ("Range", RDFS.range), ("Preferred label", SKOS.prefLabel),
    ("Definition", SKOS.definition), ("Notation", SKOS.notation), ("In scheme", SKOS.inScheme),
    ("Top concept of", SKOS.topConceptOf), ("Top concepts", SKOS.hasTopConcept),
    ("Close match", SKOS.closeMatch), ("Exact match", SKOS.exactMatch), ("Broad match", SKOS.broadMatch),
    ("Narrow match", SKOS.narrowMatch), ("Related match", SKOS.relatedMatch), ("See also", RDFS.seeAlso),
)


@dataclass(frozen=True)
class TermRef:
    """A term or value as a page shows it: its short name, and a page or an IRI to link to."""

    label: str
    path: str | None = None  #: site path of its page (without suffix), for Communiqué terms
    href: str | None = None  #: absolute IRI, for terms of other vocabularies
    literal: bool = False


class _Vocabulary:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.names = {str(ns): prefix for prefix, ns in graph.namespaces()}

    def terms(self) -> list[URIRef]:
        return sorted({s for s in self.g.subjects() if isinstance(s, URIRef) and str(s).startswith(CQ_NS)})

    def text(self, node: Node, predicate: URIRef) -> str:
        values = sorted(str(v) for v in self.g.objects(node, predicate))
        return values[0] if values else ""

    def ref(self, node: object) -> list[TermRef]:
        """A value as one or more references (an ``owl:oneOf`` class becomes its members)."""
        if isinstance(node, Literal):
            return [TermRef(str(node), literal=True)]
        if isinstance(node, BNode):
            members = self.g.value(node, OWL.oneOf)
            return [r for m in Collection(self.g, members) for r in self.ref(m)] if members else []
        iri = str(node)
        if iri.startswith(CQ_NS):
            return [TermRef(f"cq:{iri[len(CQ_NS):]}", term_page(iri[len(CQ_NS):]))]
        prefix = next((ns for ns in sorted(self.names, key=len, reverse=True) if iri.startswith(ns)), None)
        label = f"{self.names[prefix]}:{iri[len(prefix):]}" if prefix and self.names[prefix] else iri
        return [TermRef(label, href=iri)]

    def summary(self, term: URIRef) -> dict[str, object]:
        return {"name": str(term)[len(CQ_NS):], "iri": str(term), "label": self.text(term, RDFS.label),
                "comment": self.text(term, RDFS.comment), "path": term_page(str(term)[len(CQ_NS):])}

    def page(self, term: URIRef) -> dict[str, object]:
        fields = []
        for heading, predicate in FIELDS:
            values = [r for v in sorted(self.g.objects(term, predicate), key=str) for r in self.ref(v)]
            if values:
                fields.append((heading, values))
        used = sorted({(self.ref(s)[0], self.ref(p)[0]) for s, p, _ in self.g.triples((None, None, term))
                       if isinstance(s, URIRef) and str(s).startswith(CQ_NS) and s != term},
                      key=lambda u: (u[0].label, u[1].label))
        used += sorted({(self.ref(s)[0], TermRef("rdfs:range")) for b, members in self.g.subject_objects(OWL.oneOf)
                        for m in Collection(self.g, members) if m == term
                        for s in self.g.subjects(RDFS.range, b)}, key=lambda u: u[0].label)
        return {**self.summary(term), "fields": fields, "used": used}


def term_page(name: str) -> str:
    """The page of a term, without suffix: ``ns/Stance`` for classes and concepts, ``ns/property/stance``
    for properties — so that no two pages differ only by letter case (``Stance``/``stance``)."""
    return f"ns/{name}" if name[:1].isupper() else f"ns/property/{name}"


def write_ontology_docs(out: Path) -> list[str]:
    """Write the vocabulary's documentation and serializations into ``out``; return their paths."""
    source = ontology_dir() / ONTOLOGY_FILE
    data = source.read_bytes()
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="turtle")
    vocab = _Vocabulary(graph)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ns.ttl").write_bytes(data)
    # blank nodes labelled by their content, lines sorted (rdflib would relabel them at random)
    lines = to_canonical_graph(graph).serialize(format="nt").splitlines()
    ntriples = "".join(line + "\n" for line in sorted({line for line in lines if line.strip()}))
    (out / "ns.nt").write_text(ntriples, encoding="utf-8")
    (out / "ns.jsonld").write_text(serialize(ntriples, "jsonld"), encoding="utf-8")
    written = ["ns.jsonld", "ns.nt", "ns.ttl"]
    ontology = next(iter(sorted(graph.subjects(RDF.type, OWL.Ontology), key=str)), URIRef(CQ_NS.rstrip("#")))
    terms = vocab.terms()
    sections = [(heading, [vocab.summary(t) for t in terms if (t, RDF.type, cls) in graph])
                for heading, cls in SECTIONS]
    schemes = [(vocab.summary(s), [vocab.summary(c) for c in terms if (c, SKOS.inScheme, s) in graph])
               for s in terms if (s, RDF.type, SKOS.ConceptScheme) in graph]
    placed = {t for _, items in sections for t in (i["iri"] for i in items)}
    placed |= {i["iri"] for s, items in schemes for i in (s, *items)}
    others = [vocab.summary(t) for t in terms if str(t) not in placed]
    env = environment()
    meta = {"title": vocab.text(ontology, DCTERMS.title), "description": vocab.text(ontology, DCTERMS.description),
            "version": vocab.text(ontology, OWL.versionInfo), "license": vocab.text(ontology, DCTERMS.license),
            "prefix": vocab.text(ontology, URIRef(VANN + "preferredNamespacePrefix")), "namespace": CQ_NS}
    written.append(render_page(env, out, "ns.html", "ns.html", str(ontology), "ns", meta=meta,
                               sections=sections, schemes=schemes, others=others))
    for term in terms:
        info = vocab.page(term)
        written.append(render_page(env, out, f"{info['path']}.html", "ns_term.html", str(term), "ns",
                                   term=info, meta=meta))
    return sorted(written)
