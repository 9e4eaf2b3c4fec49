"""mapping.py and iris.py: the seed against its reviewed graph; IRIs are deterministic and flat."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from communique.iris import IRIs, slugify
from communique.mapping import statement_graph
from communique.namespaces import CQ, RDF, SCHEMA
from communique.pipeline import extract_file

from .conftest import FIXTURES, SEED


def test_seed_matches_reviewed_graph() -> None:
    actual = statement_graph(extract_file(SEED))
    expected = Graph().parse(FIXTURES / "seed-expected.ttl", format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(f"only in output:\n{only_actual.serialize(format='nt')}\n"
                             f"only expected:\n{only_expected.serialize(format='nt')}")


def test_same_input_same_bytes() -> None:
    one = statement_graph(extract_file(SEED)).serialize(format="turtle")
    two = statement_graph(extract_file(SEED)).serialize(format="turtle")
    assert one == two


def test_base_iri_is_configurable_and_nothing_is_minted_under_a_statement() -> None:
    base = "https://example.org/diplomacy/"
    g = statement_graph(extract_file(SEED), IRIs(base))
    statement = next(g.subjects(RDF.type, SCHEMA.NewsArticle))
    assert str(statement) == base + "statement/2019/01/23/continuing-us-diplomatic-presence-in-venezuela"
    minted = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(base)}
    assert all(not str(n).startswith(str(statement) + "/") for n in minted)
    assert all(not str(n).startswith("https://w3id.org/communique/") or str(n).startswith(str(CQ._NS))
               for t in g for n in t if isinstance(n, URIRef))


def test_slugify() -> None:
    assert slugify("Russia’s Violations of Georgian Sovereignty") == "russias-violations-of-georgian-sovereignty"
    assert slugify("Juan Guaidó") == "juan-guaido"
    assert slugify("!!!") == "untitled"
    assert len(slugify("word " * 100)) <= 80


def test_a_page_address_that_is_no_valid_iri_never_reaches_the_store() -> None:
    """Regression: a source page address with a space (or no scheme) made the whole batch of
    statements fail to load."""
    import dataclasses

    from communique.store import GraphStore

    st = extract_file(SEED)
    for url, expected in (("https://example.org/a b/<c>", "https://example.org/a%20b/%3Cc%3E"),
                          ("index.html", None)):
        doc = dataclasses.replace(st.document, url=url)
        g = statement_graph(dataclasses.replace(st, document=doc))
        urls = [str(o) for o in g.objects(None, SCHEMA.url)]
        assert urls == ([expected] if expected else [])
        store = GraphStore()
        store.load_nquads("".join(f"{line[:-2]} <http://example.org/g> .\n"
                                  for line in g.serialize(format="nt").splitlines() if line))
        assert len(store) == len(g)
