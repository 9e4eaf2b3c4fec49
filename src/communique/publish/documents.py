"""The linked-data documents of the publication: ``P.ttl``, ``P.nt`` and ``P.jsonld`` per resource.

Which resources have documents, and what each document holds:

- a statement (``statement/…``): :meth:`GraphStore.describe` — its named graph and the descriptions
  of the parties it refers to;
- a party, office, place, claim or the software (``id/{type}/{slug}``): its description in the graph
  of party descriptions, the triples of that graph that point to it (a place in a country, an office
  in an organisation), and its backlinks: every triple of a statement graph whose object it is, the
  triples joining that triple's subject to its statement, and the statement's headline, date and type;
- a recognition act (``act/…``): its triples, its evidence (annotation, target and selectors), the
  names of the parties it refers to, and its statement's headline, date and type;
- ``graph/entities``: the whole graph of party descriptions.

The store is read with a fixed number of queries (one per kind of content, grouped in Python) plus
one :meth:`GraphStore.describe` per statement, so the work is linear in the size of the corpus.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from ..export import serialize
from ..iris import IRIs
from ..namespaces import CQ, OA, RDF, RDFS, SCHEMA
from ..store import GraphStore

__all__ = ["DOCUMENT_FORMATS", "STANCE_PHRASES", "Resource", "document_path", "external_links",
           "schema_jsonld", "script_json", "write_documents"]

#: format name (see :data:`communique.export.FORMATS`) → file suffix, for every resource document
DOCUMENT_FORMATS: dict[str, str] = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}

#: stance concept → how a sentence says it ("the United States recognizes …")
STANCE_PHRASES: dict[str, str] = {
    str(CQ.Recognized): "recognizes",
    str(CQ.NotRecognized): "does not recognize",
    str(CQ.Withdrawn): "withdraws its recognition of",
    str(CQ.Reaffirmed): "reaffirms its recognition of",
}

_LABELS = (f"<{RDFS.label}>", f"<{SCHEMA.name}>")
_SUMMARY = (f"<{SCHEMA.headline}>", f"<{SCHEMA.datePublished}>")
_TYPE = f"<{RDF.type}>"


@dataclass(frozen=True)
class Resource:
    """A resource with a document (and a page) of its own in the publication."""

    iri: str
    path: str  #: the IRI minus the base IRI: where its files go, without suffix
    kind: str  #: statement | person | organization | office | country | place | region | claim | software | act | graph
    label: str
    date: str | None = None  #: statements: datePublished; acts: their statement's


def document_path(out: Path, path: str, suffix: str) -> Path:
    """The file of resource ``path`` with ``suffix`` under ``out``."""
    return out / f"{path}{suffix}"


def _write(out: Path, path: str, ntriples: Iterable[str]) -> None:
    data = "".join(line + "\n" for line in sorted(set(ntriples)))
    for fmt, suffix in DOCUMENT_FORMATS.items():
        target = document_path(out, path, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(serialize(data, fmt), encoding="utf-8")


def _select(store: GraphStore, query: str) -> ox.QuerySolutions:
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected a SELECT query: {query[:60]}")
    return result


def _line(s: object, p: object, o: object) -> str:
    return f"{s} {p} {o} ."


class _Corpus:
    """What the documents of parties and acts need from the store, read with a few queries."""

    def __init__(self, store: GraphStore, iris: IRIs) -> None:
        self.base = iris.base
        entities = str(iris.entities_graph())
        # descriptions of parties, by subject; and the triples of that graph that point to each one
        self.described: dict[str, list[str]] = defaultdict(list)
        self.pointing: dict[str, list[str]] = defaultdict(list)
        self.label: dict[str, str] = {}
        for row in _select(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{entities}> {{ ?s ?p ?o }} }}"):
            s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
            self.described[s].append(_line(s, p, o))
            if p == _LABELS[0]:
                self.label[s] = row["o"].value
            if o.startswith(f"<{self.base}id/"):
                self.pointing[o].append(_line(s, p, o))
        # every statement's own triples but its text: headline, date, types and its links
        self.outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.values: dict[tuple[str, str], str] = {}
        for row in _select(store, f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ ?g ?p ?o }} "
                               f"FILTER(?p != <{SCHEMA.text}>) }}"):
            g, p = str(row["g"]), str(row["p"])
            self.outgoing[g].append((p, str(row["o"])))
            self.values[(g, p)] = row["o"].value
        # triples of a statement graph whose object is the statement (acts, evidence targets)
        self.incoming: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in _select(store, "SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?g } }"):
            g, s = str(row["g"]), str(row["s"])
            self.incoming[(g, s)].append(_line(s, row["p"], g))
        # backlinks: triples of statement graphs (not annotations) whose object is a party
        self.backlinks: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.links_of: dict[tuple[str, str], list[str]] = defaultdict(list)  # (graph, subject) → its links
        query = (f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{entities}> "
                 f"&& isIRI(?o) && STRSTARTS(STR(?o), \"{self.base}id/\") "
                 f"&& !STRSTARTS(STR(?s), \"{self.base}annotation/\")) }}")
        for row in _select(store, query):
            g, s, o = str(row["g"]), str(row["s"]), str(row["o"])
            self.backlinks[o].append((g, _line(s, row["p"], o)))
            self.links_of[(g, s)].append(_line(s, row["p"], o))
        # recognition acts: their triples and those of their evidence, by act
        self.acts: dict[str, list[str]] = defaultdict(list)
        self.act_graph: dict[str, str] = {}
        self.act_values: dict[tuple[str, str], ox.NamedNode | ox.Literal] = {}
        act = f"?act a <{CQ.RecognitionAct}>"
        ev, target, selector = f"<{CQ.evidence}>", f"<{OA.hasTarget}>", f"<{OA.hasSelector}>"
        query = f"""SELECT ?g ?act ?s ?p ?o WHERE {{ GRAPH ?g {{
            {{ {act} . ?act ?p ?o . BIND(?act AS ?s) }}
            UNION {{ {act} ; {ev} ?s . ?s ?p ?o }}
            UNION {{ {act} ; {ev}/{target} ?s . ?s ?p ?o }}
            UNION {{ {act} ; {ev}/{target}/{selector} ?s . ?s ?p ?o }} }} }}"""
        for row in _select(store, query):
            a = str(row["act"])
            self.acts[a].append(_line(row["s"], row["p"], row["o"]))
            self.act_graph[a] = str(row["g"])
            if str(row["s"]) == a:
                self.act_values[(a, str(row["p"]))] = row["o"]

    def summary(self, statement: str) -> list[str]:
        """The statement's type, headline and date: what a backlink needs to be read."""
        return [_line(statement, p, o) for p, o in self.outgoing.get(statement, ())
                if p in _SUMMARY or (p == _TYPE and o == f"<{SCHEMA.NewsArticle}>")]

    def value(self, statement: str, predicate: str) -> str | None:
        return self.values.get((statement, predicate))

    def act_label(self, act: str) -> str:
        """"United States recognizes Juan Guaidó as interim President"."""
        def value(predicate: str) -> str:
            term = self.act_values.get((act, f"<{predicate}>"))
            return term.value if term is not None else ""

        def name(predicate: str) -> str:
            iri = value(predicate)
            return self.label.get(f"<{iri}>", iri.rsplit("/", 1)[-1])
        stance = value(CQ.stance)
        label = f"{name(CQ.recognizingParty)} {STANCE_PHRASES.get(stance, stance)} {name(CQ.recognizedParty)}"
        return f"{label} as {value(CQ.recognizedAs)}" if value(CQ.recognizedAs) else label

    def labels(self, node: str) -> list[str]:
        return [line for line in self.described.get(node, ()) if line.split(" ", 2)[1] in _LABELS]

    def party_document(self, node: str) -> list[str]:
        lines = [*self.described.get(node, ()), *self.pointing.get(node, ())]
        for graph, line in self.backlinks.get(node, ()):
            lines.append(line)
            subject = line.split(" ", 1)[0]
            if subject != graph:  # an act, attribution or activity: its parties, and its statement
                lines.extend(self.links_of[(graph, subject)])
                lines.extend(_line(graph, p, o) for p, o in self.outgoing[graph] if o == subject)
                lines.extend(self.incoming.get((graph, subject), ()))
            lines.extend(self.summary(graph))
        return lines

    def act_document(self, node: str) -> list[str]:
        lines = list(self.acts[node])
        for line in self.acts[node]:
            s, _, o = line[:-2].split(" ", 2)
            if s == node and o.startswith(f"<{self.base}id/"):
                lines.extend(self.labels(o))
        return [*lines, *self.summary(self.act_graph[node])]


def _kind(path: str) -> str:
    parts = path.split("/")
    return parts[1] if parts[0] == "id" and len(parts) == 3 else parts[0]


def write_documents(store: GraphStore, iris: IRIs, out: Path) -> list[Resource]:
    """Write ``P.ttl``, ``P.nt`` and ``P.jsonld`` of every resource; return them sorted by path."""
    base = iris.base
    corpus = _Corpus(store, iris)
    resources: list[Resource] = []
    headline, date = f"<{SCHEMA.headline}>", f"<{SCHEMA.datePublished}>"
    for name in store.statement_names():
        if not name.startswith(base):
            continue
        path = name[len(base):]
        _write(out, path, store.describe(name).splitlines())
        node = f"<{name}>"
        resources.append(Resource(name, path, "statement", corpus.value(node, headline) or path,
                                  corpus.value(node, date)))
    for node in sorted(corpus.described):
        iri = node[1:-1]
        if not iri.startswith(base + "id/"):
            continue
        path = iri[len(base):]
        _write(out, path, corpus.party_document(node))
        resources.append(Resource(iri, path, _kind(path), corpus.label.get(node, path)))
    for node in sorted(corpus.acts):
        iri = node[1:-1]
        path = iri[len(base):]
        _write(out, path, corpus.act_document(node))
        resources.append(Resource(iri, path, "act", corpus.act_label(node),
                                  corpus.value(corpus.act_graph[node], date)))
    entities = str(iris.entities_graph())
    _write(out, entities[len(base):], store.nquads(entities).splitlines())
    resources.append(Resource(entities, entities[len(base):], "graph", "Descriptions of all parties"))
    return sorted(resources, key=lambda r: r.path)



# -- schema.org JSON-LD of a statement, for embedding in its page -------------------------------

_SITES = (("http://www.wikidata.org/entity/", "Wikidata"), ("http://dbpedia.org/resource/", "DBpedia"),
          ("https://sws.geonames.org/", "GeoNames"))


def external_links(graph: Graph, node: URIRef) -> list[tuple[str, str]]:
    """(site name, URL) of a node's owl:sameAs and skos:exactMatch links, Wikidata first."""
    urls = {str(o) for p in (OWL.sameAs, SKOS.exactMatch) for o in graph.objects(node, p)}
    order = {prefix: n for n, (prefix, _) in enumerate(_SITES)}

    def site(url: str) -> tuple[int, str]:
        return next(((order[p], name) for p, name in _SITES if url.startswith(p)), (len(_SITES), "link"))
    return sorted(((site(u)[1], u) for u in urls), key=lambda x: (site(x[1])[0], x[1]))


def _literal(value: Literal) -> object:
    if value.language:
        return {"@value": str(value), "@language": value.language}
    if value.datatype is None or value.datatype == XSD.string:
        return str(value)
    return {"@value": str(value), "@type": str(value.datatype)}  # exact datatype, whatever the context coerces


def _schema_types(graph: Graph, node: URIRef) -> list[str]:
    return sorted(str(t)[len(str(SCHEMA._NS)):] for t in graph.objects(node, RDF.type)
                  if str(t).startswith(str(SCHEMA._NS)))


def schema_jsonld(graph: Graph, iri: str, genre_labels: dict[str, str]) -> dict[str, object]:
    """The statement's schema.org description for search engines (``"@context": "https://schema.org"``).

    It carries exactly the statement's triples in the schema.org namespace (its schema.org types
    included), and for each party it refers to, that party's schema.org types and name; it adds
    ``url`` (the party's IRI), ``sameAs`` (its owl:sameAs links) and the genre's ``name``.
    """
    node = URIRef(iri)
    doc: dict[str, object] = {"@context": "https://schema.org", "@id": iri}
    types = _schema_types(graph, node)
    if types:
        doc["@type"] = types[0] if len(types) == 1 else types
    values: dict[str, list[object]] = defaultdict(list)
    for p, o in graph.predicate_objects(node):
        if not str(p).startswith(str(SCHEMA._NS)):
            continue
        key = str(p)[len(str(SCHEMA._NS)):]
        if isinstance(o, Literal):
            values[key].append(_literal(o))
        elif p == SCHEMA.genre:
            values[key].append({"@id": str(o), "name": genre_labels.get(str(o), str(o))})
        elif isinstance(o, URIRef) and (graph.value(o, SCHEMA.name) is not None or _schema_types(graph, o)):
            party: dict[str, object] = {"@id": str(o), "url": str(o)}
            party_types = _schema_types(graph, o)
            if party_types:
                party["@type"] = party_types[0] if len(party_types) == 1 else party_types
            names = sorted(str(n) for n in graph.objects(o, SCHEMA.name))
            if names:
                party["name"] = names[0] if len(names) == 1 else names
            same = sorted(str(s) for s in graph.objects(o, OWL.sameAs))
            if same:
                party["sameAs"] = same
            values[key].append(party)
        else:
            values[key].append({"@id": str(o)})
    for key, items in sorted(values.items()):
        items.sort(key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        doc[key] = items[0] if len(items) == 1 else items
    return doc


def script_json(document: object) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` written as ``\\u`` escapes."""
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
