"""What the documents of parties and recognition acts need from the store, read with a few queries.

- a party, office, place, claim or the software (``id/{type}/{slug}``): its description in the graph
  of party descriptions, the triples of that graph that point to it (a place in a country, an office
  in an organisation), and its backlinks: every triple of a statement graph whose object it is, the
  triples joining that triple's subject to its statement, and the statement's headline, date and type;
- a recognition act (``act/…``): its triples, its evidence (annotation, target and selectors), the
  names of the parties it refers to, and its statement's headline, date and type.

Up front, the store is read with three queries: the graph of party descriptions, the headline and
date of every statement, and the triples of every recognition act (what the list of resources and
the acts' labels need). The rest comes from each statement's graph as it is read for its own
documents (:func:`graph_links`, :func:`act_lines`), or, when no one read them so, from the queries
of :meth:`Corpus.read_links` and the graph of the act itself.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING


from ..iris import IRIs
from ..namespaces import CQ, OA, RDF, RDFS, SCHEMA, XSD
from ..nquads import lines_of, literal
from ..store import GraphStore, is_statement_graph
from .corpusrows import read_rows, select
from .links import GraphLinks, Links
from .listing import UNDATED, granularity, period_label, split
from .reading import split_triple

if TYPE_CHECKING:
    from .graphcache import GraphCache

__all__ = ["Corpus", "GraphLinks", "PartyDocument", "STANCE_PHRASES", "act_lines", "graph_links", "summary_lines"]

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
_ARTICLE = f"<{SCHEMA.NewsArticle}>"
_TEXT = f"<{SCHEMA.text}>"
_DATE = f"<{SCHEMA.datePublished}>"
_SEE_ALSO = f"<{RDFS.seeAlso}>"
_ITEM = f"<{SCHEMA.itemListElement}>"
#: how an act's evidence is reached from the act: evidence, its targets, their selectors
_EVIDENCE = (f"<{CQ.evidence}>", f"<{OA.hasTarget}>", f"<{OA.hasSelector}>")


#: a document of a party: its period (None: the party's own document), what it is made of (None:
#: unknown), and what makes its lines
PartyDocument = tuple[str | None, bytes | None, Callable[[], list[str]]]


def _line(s: object, p: object, o: object) -> str:
    return f"{s} {p} {o} ."


def graph_links(graph: str, lines: list[str], base: str, entities: str) -> GraphLinks | None:
    """What the two queries of :meth:`Corpus.read_links` find in graph ``graph``, from its
    N-Triples lines; None when they are not certain to be the same (blank nodes, triple terms)."""
    name = f"<{graph}>"
    incoming: list[tuple[str, str]] = []
    backlinks: list[tuple[str, str, str]] = []
    outgoing: list[tuple[str, str]] = []
    parties, annotations = f"<{base}id/", f"<{base}annotation/"
    for line in lines:
        parts = split_triple(line)
        if parts is None:
            return None
        s, p, o = parts
        if o == name:
            incoming.append((s, line))
        if s == name and p != _TEXT:
            outgoing.append((p, o))
        if graph != entities and o.startswith(parties) and not s.startswith(annotations):
            backlinks.append((o, s, line))
    return incoming, backlinks, outgoing


def _versions_digest(sha: hashlib._Hash, graphs: list[str], versions: Mapping[str, str]) -> bool:
    """Add each of ``graphs`` with its version to ``sha``, sorted; False when one has no version."""
    for graph in sorted(set(graphs)):
        version = versions.get(graph)
        if version is None:
            return False
        sha.update(f"{graph} {version}\n".encode("utf-8"))
    return True


def summary_lines(graph: str, outgoing: list[tuple[str, str]]) -> list[str]:
    """The lines of statement ``graph``'s type, headline and date among its ``outgoing`` (predicate,
    object) pairs: what a backlink needs to be read."""
    return [_line(graph, p, o) for p, o in outgoing if p in _SUMMARY or (p == _TYPE and o == _ARTICLE)]


def act_lines(act: str, lines: list[str]) -> list[str] | None:
    """The triples of recognition act ``act`` (a term: ``<iri>``) and of its evidence, targets and
    selectors, among the N-Triples lines of its graph; None when they are not certain to be those
    :class:`Corpus` would query (blank nodes, triple terms)."""
    split: list[tuple[str, str, str, str]] = []
    for line in lines:
        parts = split_triple(line)
        if parts is None:
            return None
        split.append((*parts, line))
    reached, frontier = {act}, {act}
    for predicate in _EVIDENCE:
        frontier = {o for s, p, o, _ in split if p == predicate and s in frontier}
        reached |= frontier
    return [line for s, _, _, line in split if s in reached]


class Corpus:
    """What the documents of parties and acts need from the store, read with a few queries."""

    def __init__(self, store: GraphStore, iris: IRIs, cache: GraphCache | None = None,
                 names: list[str] | None = None) -> None:
        self.store = store
        self.iris = iris
        self.base = iris.base
        self.entities = entities = str(iris.entities_graph())
        # descriptions of parties, by subject; and the triples of that graph that point to each one
        self.described: dict[str, list[str]] = defaultdict(list)
        self.pointing: dict[str, list[str]] = defaultdict(list)
        self.label: dict[str, str] = {}
        for row in select(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{entities}> {{ ?s ?p ?o }} }}"):
            s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
            self.described[s].append(_line(s, p, o))
            if p == _LABELS[0]:
                self.label[s] = row["o"].value
            if o.startswith(f"<{self.base}id/"):
                self.pointing[o].append(_line(s, p, o))
        # the headline and date of every statement; recognition acts: their graph, and the values
        # that name them (their evidence is read with their graph) — kept by graph version in ``cache``
        self.values: dict[tuple[str, str], str] = {}
        self.act_graph: dict[str, str] = {}
        self.act_values: dict[tuple[str, str], str] = {}
        rows = read_rows(store, cache, names)
        for graph in sorted(rows):
            own, acts = rows[graph]
            for p, value in own:
                self.values[(graph, p)] = value
            for a, p, value in acts:
                self.act_graph[a] = graph
                self.act_values[(a, p)] = value
        # read by read_links(), or added by add_links() (or deferred by defer_links())
        self._links_read = False
        self.links = Links()
        self.outgoing = self.links.outgoing  #: a statement's triples about itself
        self.incoming = self.links.incoming
        self.backlinks = self.links.backlinks
        self.links_of = self.links.links_of  # (graph, subject) → its links
        self._summaries: dict[str, list[str]] = {}  #: made by summary() (many backlinks share one statement)

    def read_links(self) -> None:
        """Read what only the documents of parties need (the statements' triples that point to the
        statement or to a party); once, when the first party document is asked for."""
        if self._links_read:
            return
        self._links_read = True
        self._summaries.clear()
        entities = self.entities
        # every statement's own triples but its text
        for row in select(self.store, f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ ?g ?p ?o }} FILTER(?p != {_TEXT}) }}"):
            self.outgoing[str(row["g"])].append((str(row["p"]), str(row["o"])))
        # triples of a statement graph whose object is the statement (acts, evidence targets)
        for row in select(self.store, "SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?g } }"):
            g, s = str(row["g"]), str(row["s"])
            self.incoming[(g, s)].append(_line(s, row["p"], g))
        # backlinks: triples of statement graphs (not annotations) whose object is a party
        query = (f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{entities}> "
                 f"&& isIRI(?o) && STRSTARTS(STR(?o), \"{self.base}id/\") "
                 f"&& !STRSTARTS(STR(?s), \"{self.base}annotation/\")) }}")
        for row in select(self.store, query):
            g, s, o = str(row["g"]), str(row["s"]), str(row["o"])
            self.backlinks[o].append((g, _line(s, row["p"], o)))
            self.links_of[(g, s)].append(_line(s, row["p"], o))

    def add_links(self, graph: str, links: GraphLinks) -> None:
        """What :meth:`read_links` would read of ``graph``, found otherwise (:func:`graph_links`);
        once every graph's links are added (or deferred), :meth:`read_links` reads nothing."""
        g = f"<{graph}>"
        self._summaries.pop(g, None)
        self.links.add(g, links)

    def defer_links(self, graph: str, parties: tuple[str, ...]) -> None:
        """The links of ``graph``, which point to ``parties`` (terms), are read by
        :attr:`.Links.loader` when a document needs them."""
        self.links.defer(f"<{graph}>", parties)

    def links_added(self) -> None:
        self._links_read = True

    @property
    def acts(self) -> dict[str, str]:
        """The recognition acts (terms: ``<iri>``), each with its graph."""
        return self.act_graph

    def summary(self, statement: str) -> list[str]:
        """The statement's type, headline and date: what a backlink needs to be read."""
        found = self._summaries.get(statement)
        if found is None:
            self.links.load((statement,))
            found = self._summaries[statement] = summary_lines(statement, self.outgoing.get(statement, []))
        return found

    def value(self, statement: str, predicate: str) -> str | None:
        return self.values.get((statement, predicate))

    def act_label(self, act: str) -> str:
        """"United States recognizes Juan Guaidó as interim President"."""
        def value(predicate: str) -> str:
            return self.act_values.get((act, f"<{predicate}>"), "")

        def name(predicate: str) -> str:
            iri = value(predicate)
            return self.label.get(f"<{iri}>", iri.rsplit("/", 1)[-1])
        stance = value(CQ.stance)
        label = f"{name(CQ.recognizingParty)} {STANCE_PHRASES.get(stance, stance)} {name(CQ.recognizedParty)}"
        return f"{label} as {value(CQ.recognizedAs)}" if value(CQ.recognizedAs) else label

    def labels(self, node: str) -> list[str]:
        return [line for line in self.described.get(node, ()) if line.split(" ", 2)[1] in _LABELS]

    def party_document(self, node: str) -> list[str]:
        """The lines of party ``node``'s document: its description, the triples of the graph of party
        descriptions that point to it, and its backlinks — or, when the statements that refer to
        it are too many for one document (:mod:`.listing`), the listings of its periods."""
        return self._party_document(node, self.party_periods(node))

    def party_documents(self, node: str, versions: Mapping[str, str] | None = None) -> list[PartyDocument]:
        """Party ``node``'s document (period None) and the listing of each of its periods: each with
        what it is made of (with ``versions``, graph term → version, of every graph; else, or
        when a graph it quotes has no version, None) and what makes its lines, its periods
        computed once. Equal inputs make the same lines (with the same code and base IRI)."""
        periods = self.party_periods(node)
        found: list[PartyDocument] = [(None, self._party_inputs(node, periods, versions),
                                       lambda: self._party_document(node, periods))]
        for key, graphs in (periods or {}).items():
            found.append((key, self._listing_inputs(node, key, graphs, versions),
                          lambda key=key, graphs=graphs: self.references_document(node, key, graphs)))  # type: ignore[misc]
        return found

    def _party_document(self, node: str, periods: dict[str, list[str]] | None) -> list[str]:
        lines = [*self.described.get(node, ()), *self.pointing.get(node, ())]
        if periods is None:
            for graph, line in self.links.backlinks_of(node):
                lines += self._backlink(graph, line)
            return lines
        for graph, line in self.links.backlinks_of(node, self._other_graphs(node)):  # the statistics
            lines += self._backlink(graph, line)
        for key, graphs in periods.items():
            listing = f"<{self.iris.references(node[1:-1], key)}>"
            lines.append(_line(node, _SEE_ALSO, listing))
            lines += self._listing_head(node, listing, key, len(graphs))
        return lines

    def _other_graphs(self, node: str) -> list[str]:
        """The graphs that refer to ``node`` and are not a statement's (the statistics)."""
        return [g for g in self.links.graphs_of(node) if not is_statement_graph(g[1:-1])]

    def _party_inputs(self, node: str, periods: dict[str, list[str]] | None,
                      versions: Mapping[str, str] | None) -> bytes | None:
        """What party ``node``'s own document is made of: its description and the triples pointing
        to it in the graph of party descriptions; the version of each graph it quotes (all that
        refer to it, or, with periods, those that are not a statement's), and the number of
        statements of each period."""
        if versions is None:
            return None
        sha = self._described_digest(b"party inputs", node)
        graphs = self.links.graphs_of(node) if periods is None else self._other_graphs(node)
        if not _versions_digest(sha, graphs, versions):
            return None
        for key, of_period in (periods or {}).items():
            sha.update(f"{key} {len(of_period)}\n".encode("utf-8"))
        return sha.digest()

    def _listing_inputs(self, node: str, key: str, graphs: list[str], versions: Mapping[str, str] | None) -> bytes | None:
        """What the listing of period ``key`` of ``node`` is made of: the party's description, and
        the version of each statement graph of that period."""
        if versions is None:
            return None
        sha = self._described_digest(f"listing inputs {key}".encode("utf-8"), node)
        return sha.digest() if _versions_digest(sha, graphs, versions) else None

    def _described_digest(self, kind: bytes, node: str) -> hashlib._Hash:
        sha = hashlib.sha256(kind + b"\0" + node.encode("utf-8"))
        for part in (self.described.get(node, ()), self.pointing.get(node, ())):
            sha.update(b"\0")
            for line in sorted(part):
                sha.update(line.encode("utf-8") + b"\n")
        sha.update(b"\0")
        return sha

    def party_periods(self, node: str) -> dict[str, list[str]] | None:
        """The statement graphs that refer to party ``node`` by period, newest first, when they are
        too many for one document; else None."""
        self.read_links()
        graphs = [g for g in self.links.graphs_of(node) if is_statement_graph(g[1:-1])]
        by = granularity([self.values.get((g, _DATE)) for g in graphs])
        if by is None:
            return None
        return split(graphs, lambda g: self.values.get((g, _DATE)), by)

    def references_document(self, node: str, key: str, graphs: list[str]) -> list[str]:
        """The lines of the listing of period ``key`` of party ``node`` (the statement ``graphs`` of
        that period, from :meth:`party_periods`): which statements, and what each says of the party."""
        listing = f"<{self.iris.references(node[1:-1], key)}>"
        lines = [*self._listing_head(node, listing, key, len(graphs)), *self.labels(node)]
        lines += [_line(listing, _ITEM, g) for g in graphs]
        for graph, line in self.links.backlinks_of(node, graphs):
            lines += self._backlink(graph, line)
        return lines

    def _listing_head(self, node: str, listing: str, key: str, count: int) -> list[str]:
        """What the listing of period ``key`` of ``node`` is: an item list about the party, its
        name, period and number of statements."""
        party = self.label.get(node, node[1:-1].rsplit("/", 1)[-1])
        when = "undated statements" if key == UNDATED else f"statements of {period_label(key)}"
        lines = [_line(listing, _TYPE, f"<{SCHEMA.ItemList}>"), _line(listing, f"<{SCHEMA.about}>", node),
                 _line(listing, f"<{SCHEMA.name}>", literal(f"{party}: {when} that refer to it")),
                 _line(listing, f"<{SCHEMA.numberOfItems}>", literal(str(count), str(XSD.integer)))]
        if key != UNDATED:
            lines.append(_line(listing, f"<{SCHEMA.temporalCoverage}>", literal(key)))
        return lines

    def _backlink(self, graph: str, line: str) -> list[str]:
        """A backlink's line and what makes it readable: when its subject is an act, attribution or
        activity, that subject's other links and its statement's triple pointing to it; and the
        statement's type, headline and date."""
        lines = [line]
        subject = line.split(" ", 1)[0]
        if subject != graph:
            lines.extend(self.links_of[(graph, subject)])
            lines.extend(_line(graph, p, o) for p, o in self.outgoing[graph] if o == subject)
            lines.extend(self.incoming.get((graph, subject), ()))
        lines.extend(self.summary(graph))
        return lines

    def act_document(self, node: str, graph_lines: list[str] | None = None,
                     outgoing: list[tuple[str, str]] | None = None) -> list[str]:
        """The lines of act ``node``'s document; ``graph_lines``: those of its graph, when they were
        read (else they are read now); ``outgoing``: its statement's triples about itself, when the
        corpus has not got them yet (else they are found among ``graph_lines``)."""
        graph = self.act_graph[node]
        own = graph_lines if graph_lines is not None else lines_of(self.store.nquads(graph[1:-1]))
        found = act_lines(node, own)
        if found is None:
            found = self._queried_act(node, graph)
        lines = list(found)
        for line in found:
            s, _, o = line[:-2].split(" ", 2)
            if s == node and o.startswith(f"<{self.base}id/"):
                lines.extend(self.labels(o))
        if outgoing is None:
            self.links.load((graph,))
            outgoing = self.outgoing.get(graph)
        if outgoing is None:
            links = graph_links(graph[1:-1], own, self.base, self.entities)
            if links is None:
                self.read_links()
            outgoing = links[2] if links is not None else self.outgoing.get(graph, [])
        return [*lines, *summary_lines(graph, outgoing)]

    def _queried_act(self, node: str, graph: str) -> list[str]:
        """The act's triples and its evidence's, by a query (when its graph has blank nodes)."""
        act = f"BIND({node} AS ?act)"
        ev, target, selector = _EVIDENCE
        query = f"""SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ {act}
            {{ ?act ?p ?o . BIND(?act AS ?s) }}
            UNION {{ ?act {ev} ?s . ?s ?p ?o }}
            UNION {{ ?act {ev}/{target} ?s . ?s ?p ?o }}
            UNION {{ ?act {ev}/{target}/{selector} ?s . ?s ?p ?o }} }} }}"""
        return [_line(row["s"], row["p"], row["o"]) for row in select(self.store, query)]
