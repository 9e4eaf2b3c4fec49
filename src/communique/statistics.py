"""Statement counts per year and speaker, kept in a named graph of their own.

A corpus-wide aggregate such as "how many statements did each speaker make each year" reads every
statement: at 100,000 statements the fastest SPARQL form still takes more than 100 ms. ``build``
therefore keeps the counts as an RDF Data Cube data set in the named graph ``graph/statistics``
(:meth:`~communique.iris.IRIs.statistics_graph`), recomputed from the store whenever a build
changes anything — one aggregate query, ~0.1 s at 100,000 statements — so that dashboards and
analysts read them in a millisecond::

    SELECT ?year ?speaker ?n WHERE {
      GRAPH <https://w3id.org/communique/graph/statistics> {
        ?obs cq:year ?year ; cq:speaker ?person ; cq:statementCount ?n }
      ?person schema:name ?speaker }

An observation counts the statements that have both a date and that speaker as ``schema:author``
(a statement with two speakers counts for each); undated statements are not counted.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef

from .iris import IRIs
from .namespaces import CQ, QB, RDF, RDFS, SCHEMA, XSD
from .nquads import triple_lines
from .store import GraphStore

__all__ = ["COUNTS_QUERY", "counts", "statistics_lines"]

#: (year, speaker IRI, statements) over every statement graph. Each list in a sub-select of its
#: own: Oxigraph then joins the two lists by hashing instead of looking dates up one at a time.
COUNTS_QUERY = f"""SELECT ?year ?person (COUNT(?statement) AS ?n) WHERE {{
  {{ SELECT ?statement ?person WHERE {{ GRAPH ?statement {{ ?statement <{SCHEMA.author}> ?person }} }} }}
  {{ SELECT ?statement ?date WHERE {{ GRAPH ?statement {{ ?statement <{SCHEMA.datePublished}> ?date }} }} }}
  BIND(YEAR(?date) AS ?year)
  FILTER(BOUND(?year))
}} GROUP BY ?year ?person"""


def counts(store: GraphStore) -> list[tuple[int, str, int]]:
    """(year, speaker IRI, number of statements), sorted, computed from the statement graphs."""
    rows = []
    for row in store.oxigraph.query(COUNTS_QUERY):
        year, person, n = row["year"], row["person"], row["n"]
        if isinstance(year, ox.Literal) and isinstance(person, ox.NamedNode) and isinstance(n, ox.Literal):
            rows.append((int(year.value), person.value, int(n.value)))
    return sorted(rows)


def statistics_lines(store: GraphStore, iris: IRIs) -> str:
    """The N-Triples of the statistics graph: the data set and one observation per year and speaker."""
    dataset = iris.statistics_graph()
    triples = [
        (dataset, RDF.type, QB.DataSet),
        (dataset, QB.structure, CQ.StatementsPerYearAndSpeaker),
        (dataset, RDFS.label, Literal("Statements per year and speaker", lang="en")),
    ]
    for year, person, n in counts(store):
        obs = iris.observation(year, person)
        triples += [
            (obs, RDF.type, QB.Observation),
            (obs, QB.dataSet, dataset),
            (obs, CQ.year, Literal(f"{year:04d}", datatype=XSD.gYear)),
            (obs, CQ.speaker, URIRef(person)),
            (obs, CQ.statementCount, Literal(n, datatype=XSD.integer)),
        ]
    return "".join(triple_lines(triples))
