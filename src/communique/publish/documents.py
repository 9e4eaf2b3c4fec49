"""The linked-data documents of the publication: ``P.ttl``, ``P.nt`` and ``P.jsonld`` per resource.

Which resources have documents, and what each document holds:

- a statement (``statement/…``): what :meth:`GraphStore.describe` gives — its named graph and the
  descriptions of the parties it refers to (read by :class:`~.reading.Descriptions`);
- a party, office, place, claim or the software (``id/{type}/{slug}``) and a recognition act
  (``act/…``): see :mod:`.corpus`;
- ``graph/entities``: the whole graph of party descriptions.

:func:`plan` reads what every document but the statements' needs (a fixed number of queries) and
lists the resources; the documents are then written one by one, in any order or process.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from ..export import Parsed, serialize_all
from ..iris import IRIs
from ..jsonld import dumps
from ..namespaces import RDF, SCHEMA
from ..nquads import lines_of
from ..store import GraphStore, is_statement_graph
from .corpus import STANCE_PHRASES, Corpus
from .graphview import TermGraph
from .reading import Descriptions

if TYPE_CHECKING:
    from .graphcache import GraphCache

__all__ = ["DOCUMENT_FORMATS", "document_files", "STANCE_PHRASES", "Plan", "Resource", "document_path", "external_links", "plan",
           "schema_jsonld", "script_json", "write_document", "write_documents", "write_file"]

#: format name (see :data:`communique.export.FORMATS`) → file suffix, for every resource document
DOCUMENT_FORMATS: dict[str, str] = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}


def document_files(path: str) -> list[str]:
    """The site paths of the files of the document at ``path``, one per format."""
    return [path + suffix for suffix in DOCUMENT_FORMATS.values()]


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


def write_file(target: Path, text: str) -> None:
    """``target.write_text(text, encoding="utf-8")``, its folder made when missing. A file that is
    there is written over in place, then cut to its new length: truncating it first frees its
    blocks only to take others (with the ``discard`` mount option, 250–450 µs a file against 30 µs
    in place, measured on ext4 here — every file of a publication written again)."""
    data = text.encode("utf-8")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o666)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


def write_document(out: Path, path: str, ntriples: Iterable[str] | Parsed) -> Parsed:
    """``P.ttl``, ``P.nt`` and ``P.jsonld`` of resource ``path`` holding the N-Triples lines
    ``ntriples`` (or their :meth:`Parsed.of_lines`); return them parsed."""
    data = ntriples if isinstance(ntriples, Parsed) else Parsed.of_lines(sorted(set(ntriples)))
    for fmt, text in serialize_all(data, DOCUMENT_FORMATS).items():
        write_file(document_path(out, path, DOCUMENT_FORMATS[fmt]), text)
    return data


def _kind(path: str) -> str:
    parts = path.split("/")
    return parts[1] if parts[0] == "id" and len(parts) == 3 else parts[0]


@dataclass
class Plan:
    """The resources of a publication, and what their documents are made of."""

    store: GraphStore
    iris: IRIs
    corpus: Corpus
    resources: list[Resource]  #: sorted by path
    graph_names: list[str]  #: every named graph of the store, sorted

    @cached_property
    def descriptions(self) -> Descriptions:
        """The statements' descriptions (which read the graph of party descriptions once)."""
        return Descriptions(self.store, self.iris)

    def of_kind(self, *kinds: str) -> list[Resource]:
        return [r for r in self.resources if r.kind in kinds]

    def document(self, res: Resource, graph_lines: list[str] | None = None,
                 outgoing: list[tuple[str, str]] | None = None) -> list[str]:
        """The N-Triples lines of the document of a party, an act or the graph of party descriptions
        (an act's: ``graph_lines`` and ``outgoing`` as :meth:`.Corpus.act_document` takes them)."""
        node = f"<{res.iri}>"
        if res.kind == "act":
            return self.corpus.act_document(node, graph_lines, outgoing)
        if res.kind == "graph":
            if res.iri == self.descriptions.entities:
                return self.descriptions.entity_lines
            return lines_of(self.store.nquads(res.iri))
        return self.corpus.party_document(node)

    def documents(self, res: Resource) -> list[tuple[str, list[str]]]:
        """(site path, lines) of the document of a party, an act or the graph of party
        descriptions, and of the listings of a party's periods when the statements that refer to
        it are too many for its own document (see :mod:`.listing`)."""
        return [(path, make()) for path, _, make in self.planned_documents(res)]

    def planned_documents(self, res: Resource, versions: Mapping[str, str] | None = None) \
            -> list[tuple[str, bytes | None, Callable[[], list[str]]]]:
        """:meth:`documents`, each with what it is made of (of a party's, given the ``versions``
        of the graphs: see :meth:`.Corpus.party_documents`; else None) and what makes its lines."""
        if res.kind in ("statement", "act", "graph"):
            return [(res.path, None, lambda: self.document(res))]
        return [(res.path if key is None else self.iris.references(res.iri, key)[len(self.iris.base):], inputs, make)
                for key, inputs, make in self.corpus.party_documents(f"<{res.iri}>", versions)]


def plan(store: GraphStore, iris: IRIs, cache: GraphCache | None = None) -> Plan:
    """Read the corpus (what it needs of each graph kept by version in ``cache``) and list every
    resource with a document, sorted by path."""
    base = iris.base
    names = _graph_names(store, iris, cache)
    corpus = Corpus(store, iris, cache, names)
    resources: list[Resource] = []
    headline, date = f"<{SCHEMA.headline}>", f"<{SCHEMA.datePublished}>"
    for name in filter(is_statement_graph, names):
        if name.startswith(base):
            node = f"<{name}>"
            resources.append(Resource(name, name[len(base):], "statement", corpus.value(node, headline) or name[len(base):],
                                      corpus.value(node, date)))
    for node in sorted(corpus.described):
        iri = node[1:-1]
        if iri.startswith(base + "id/"):
            path = iri[len(base):]
            resources.append(Resource(iri, path, _kind(path), corpus.label.get(node, path)))
    for node in sorted(corpus.acts):
        iri = node[1:-1]
        resources.append(Resource(iri, iri[len(base):], "act", corpus.act_label(node),
                                  corpus.value(corpus.act_graph[node], date)))
    entities = str(iris.entities_graph())
    resources.append(Resource(entities, entities[len(base):], "graph", "Descriptions of all parties"))
    statistics = str(iris.statistics_graph())
    if statistics in names:
        resources.append(Resource(statistics, statistics[len(base):], "graph", "Statements per year and speaker"))
    return Plan(store, iris, corpus, sorted(resources, key=lambda r: r.path), names)


def _graph_names(store: GraphStore, iris: IRIs, cache: GraphCache | None) -> list[str]:
    """Every named graph of the store, sorted: listed once — or, with the versions ``build`` gave
    (those of every statement graph it made), those and the derived graphs the store has."""
    if cache is None:
        return store.graph_names()
    derived = (str(iris.entities_graph()), str(iris.statistics_graph()))
    return sorted([*cache.versions, *(name for name in derived if store.has_graph(name))])


def write_documents(store: GraphStore, iris: IRIs, out: Path) -> list[Resource]:
    """Write ``P.ttl``, ``P.nt`` and ``P.jsonld`` of every resource; return them sorted by path."""
    publication = plan(store, iris)
    descriptions = publication.descriptions
    for res in publication.resources:
        if res.kind == "statement":
            write_document(out, res.path, descriptions.lines(res.iri))
            continue
        for path, lines in publication.documents(res):
            write_document(out, path, lines)
    return publication.resources


# -- schema.org JSON-LD of a statement, for embedding in its page -------------------------------

_SITES = (("http://www.wikidata.org/entity/", "Wikidata"), ("http://dbpedia.org/resource/", "DBpedia"),
          ("https://sws.geonames.org/", "GeoNames"))


def external_links(graph: Graph | TermGraph, node: URIRef) -> list[tuple[str, str]]:
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


def _schema_types(graph: Graph | TermGraph, node: URIRef) -> list[str]:
    return sorted(str(t)[len(str(SCHEMA._NS)):] for t in graph.objects(node, RDF.type)
                  if str(t).startswith(str(SCHEMA._NS)))


def schema_jsonld(graph: Graph | TermGraph, iri: str, genre_labels: dict[str, str]) -> dict[str, object]:
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
    text = dumps(document)[:-1]  # json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
