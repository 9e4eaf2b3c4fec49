"""Statement graphs broken in every way the project's shapes check, for comparing validators.

The sample statements of data/statements are mapped, then mutated systematically: every required
property removed (sh:minCount), every single-valued one duplicated (sh:maxCount), every rdf:type
removed (targets, sh:class), every checked property given a wrong value (an IRI for a literal, a
literal or a blank node for an IRI, another datatype, an ill-typed literal, an empty or
language-tagged string…), each kind of wrong value everywhere at once, and hand-made breakages
(offsets out of order, values outside sh:in, patterns, subclasses, warnings).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from communique.mapping import statement_graph
from communique.namespaces import CQ, DCTERMS, OA, OWL, PROV, RDF, RDFS, SCHEMA, SKOS
from communique.pipeline import extract_file
from communique.validate import load_shapes, short_name

from .conftest import DATA

__all__ = ["Triple", "checked", "mutations", "statements"]

Triple = tuple[Node, Node, Node]
EX = Namespace("http://example.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # not rdflib's: pytest's collection trips its warnings


@cache
def statements() -> tuple[frozenset[Triple], ...]:
    return tuple(frozenset(statement_graph(extract_file(p))) for p in sorted(DATA.glob("*.txt")))


@cache
def checked() -> dict[str, frozenset[Node]]:
    """The predicates the shapes check: all, those required (sh:minCount) — by several shapes, or
    once — and those single (sh:maxCount)."""
    shapes = load_shapes()
    paths = frozenset(shapes.objects(None, SH.path))
    required = [p for s in shapes.subjects(SH.minCount, None) if (p := shapes.value(s, SH.path)) is not None]
    single = [p for s in shapes.subjects(SH.maxCount, None) if (p := shapes.value(s, SH.path)) is not None]
    return {"all": paths | frozenset(shapes.objects(None, SH.lessThan)), "required": frozenset(required),
            "shared": frozenset(p for p in required if required.count(p) > 1), "single": frozenset(single)}


def _variants(o: Node) -> Iterator[tuple[str, Node]]:
    """Wrong values in place of ``o``: another kind of term, another datatype, an ill-typed one."""
    if isinstance(o, URIRef):
        yield "literal", Literal(str(o))
        yield "blank", BNode("wrong")
        yield "untyped-iri", EX["nothing"]
        return
    assert isinstance(o, Literal)
    yield "iri", EX["value"]
    if o.datatype is None:
        yield "empty", Literal("")
        yield "lang", Literal(str(o), lang="en")
        yield "xsd-string", Literal(str(o), datatype=XSD.string)
        yield "token", Literal(str(o), datatype=XSD.token)
    else:
        yield "plain", Literal(str(o))
        yield "ill-typed", Literal("not a value", datatype=o.datatype)
        yield "datetime", Literal("2019-01-23T10:00:00", datatype=XSD.dateTime)
        yield "gyearmonth", Literal("2019-01", datatype=XSD.gYearMonth)
    if isinstance(o.value, int):
        yield "negative", Literal(-1)
        yield "decimal", Literal("3.0", datatype=XSD.decimal)


def _another(o: Node) -> Node:
    """A second, different value like ``o``."""
    if isinstance(o, URIRef):
        return URIRef(str(o) + "-other")
    assert isinstance(o, Literal)
    if isinstance(o.value, int):
        return Literal(o.value + 7)
    if isinstance(o.value, date):
        return Literal(o.value + timedelta(days=1))
    return Literal(str(o) + " (other)", datatype=o.datatype)


def _groups(triples: frozenset[Triple]) -> dict[tuple[Node, Node], set[Node]]:
    groups: dict[tuple[Node, Node], set[Node]] = {}
    for s, p, o in sorted(triples, key=str):  # in a stable order: the names of the mutations are too
        groups.setdefault((s, p), set()).add(o)
    return groups


def _generic(triples: frozenset[Triple]) -> Iterator[tuple[tuple[str, str], str, frozenset[Triple]]]:
    """Every required property removed, every single one duplicated, every type removed, and every
    checked property given a wrong value (one kind of wrong value each, in turn); each with the
    key under which it is tested once."""
    groups, turn = _groups(triples), 0
    for (s, p), objects in groups.items():
        kinds = "/".join(sorted(str(short_name(t)) for t in groups.get((s, RDF.type), ())))
        if p == RDF.type:  # it leaves a target, and may fail an sh:class elsewhere
            for o in sorted(objects, key=str):
                yield ("untype", str(o)), f"untype:{short_name(o)}", triples - {(s, p, o)}
            continue
        if p not in checked()["all"]:
            continue
        rest = triples - {(s, p, o) for o in objects}
        if p in checked()["required"]:
            key = str(p) + (kinds if p in checked()["shared"] else "")
            yield ("drop", key), f"drop:{short_name(p)}@{kinds}", rest
        o = min(objects, key=str)
        if p in checked()["single"]:
            yield ("dup", str(p)), f"dup:{short_name(p)}", triples | {(s, p, _another(o))}
        variants = list(_variants(o))
        name, value = variants[turn % len(variants)]
        turn += 1
        yield ("wrong", str(p)), f"{name}:{short_name(p)}", rest | {(s, p, value)}


def _everywhere(triples: frozenset[Triple]) -> Iterator[tuple[str, frozenset[Triple]]]:
    """One kind of wrong value at once in place of the first value of every checked property."""
    groups = _groups(triples)
    firsts = {(s, p): min(objects, key=str) for (s, p), objects in groups.items() if p in checked()["all"]}
    names = {name for o in firsts.values() for name, _ in _variants(o)}
    for kind in sorted(names):
        mutated = set(triples)
        for (s, p), o in firsts.items():
            for name, value in _variants(o):
                if name == kind:
                    mutated = (mutated - {(s, p, o)}) | {(s, p, value)}
        yield f"everywhere-{kind}", frozenset(mutated)


def _subject(triples: frozenset[Triple], cls: Node) -> Node:
    return min((s for s, p, o in triples if p == RDF.type and o == cls), key=str)


def _set(triples: frozenset[Triple], s: Node, p: Node, *values: Node) -> frozenset[Triple]:
    return frozenset(t for t in triples if t[:2] != (s, p)) | {(s, p, v) for v in values}


def _semantic(t: frozenset[Triple]) -> Iterator[tuple[str, frozenset[Triple]]]:
    """Hand-made breakages: orders, lists of allowed values, patterns, warnings, class hierarchies."""
    st, sel = _subject(t, SCHEMA.NewsArticle), _subject(t, OA.TextPositionSelector)
    person, source = _subject(t, SCHEMA.Person), next(o for s, p, o in t if p == PROV.wasDerivedFrom)
    act, org = _subject(t, CQ.RecognitionAct), _subject(t, SCHEMA.GovernmentOrganization)
    yield "start-after-end", _set(_set(t, sel, OA.start, Literal(9)), sel, OA.end, Literal(3))
    yield "start-equals-end", _set(_set(t, sel, OA.start, Literal(3)), sel, OA.end, Literal(3))
    yield "start-string", _set(t, sel, OA.start, Literal("3"))
    yield "two-ends", _set(t, sel, OA.end, Literal(1), Literal(2))
    yield "two-starts-ordered", _set(_set(t, sel, OA.start, Literal(1), Literal(2)), sel, OA.end, Literal(5))
    yield "genre-unknown", _set(t, st, SCHEMA.genre, URIRef(str(CQ._NS) + "Unknown"))
    yield "stance-unknown", _set(t, act, CQ.stance, URIRef(str(CQ.Recognized) + "Maybe"))
    yield "stance-literal", _set(t, act, CQ.stance, Literal(str(CQ.Recognized)))
    yield "link-status-unknown", _set(t, person, CQ.linkStatus, CQ.Stances)
    yield "sameas-wiki-page", t | {(person, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q473239"))}
    yield "sameas-literal", t | {(person, OWL.sameAs, Literal("http://www.wikidata.org/entity/Q1"))}
    yield "sha256-upper", _set(t, source, CQ.sha256, Literal("A" * 64))
    yield "sha256-short", _set(t, source, CQ.sha256, Literal("a" * 63))
    yield "source-literal", _set(t, st, PROV.wasDerivedFrom, Literal("a file"))
    yield "source-blank", _set(t, st, PROV.wasDerivedFrom, BNode("b0"))
    yield "activity-by-organisation", _set(t, _activity(t), PROV.wasAssociatedWith, org)
    yield "person-as-subclass", (t - {(person, RDF.type, SCHEMA.Person)}) | {
        (person, RDF.type, EX.Speaker), (EX.Speaker, RDFS.subClassOf, EX.Agent),
        (EX.Agent, RDFS.subClassOf, SCHEMA.Person)}
    yield "person-as-subclass-unnamed", _set((t - {(person, RDF.type, SCHEMA.Person)}) | {
        (person, RDF.type, EX.Speaker), (EX.Speaker, RDFS.subClassOf, SCHEMA.Person)}, person, SCHEMA.name)
    yield "subclass-cycle", t | {(EX.A, RDFS.subClassOf, EX.B), (EX.B, RDFS.subClassOf, EX.A), (person, RDF.type, EX.A)}
    yield "person-also-country-unnamed", _set(t | {(person, RDF.type, SCHEMA.Country)}, person, SCHEMA.name)
    yield "organisation-both-classes-unnamed", _set(t | {(org, RDF.type, SCHEMA.Organization)}, org, SCHEMA.name)
    yield "literal-typed-person", t | {(st, SCHEMA.author, Literal("x")), (Literal("x"), RDF.type, SCHEMA.Person)}
    yield "date-gyearmonth", _set(t, st, SCHEMA.datePublished, Literal("2019-01", datatype=XSD.gYearMonth))
    yield "date-gyearmonth-bad", _set(t, st, SCHEMA.datePublished, Literal("2019-13", datatype=XSD.gYearMonth))
    yield "date-ill-typed", _set(t, st, SCHEMA.datePublished, Literal("2019-02-30", datatype=XSD.date))
    yield "co-issued-by-a-person", t | {(st, CQ.coIssuingCountry, person), (st, CQ.coIssuingCountry, Literal("x"))}
    yield "exact-match-page", t | {(_subject(t, PROV.SoftwareAgent), SKOS.exactMatch, EX.x)}
    yield "empty-graph", frozenset()


def _activity(t: frozenset[Triple]) -> Node:
    return min((o for s, p, o in t if p == PROV.wasGeneratedBy), key=str)


def _warnings(t: frozenset[Triple]) -> Iterator[tuple[str, frozenset[Triple]]]:
    """What every statement may lack (warnings only), and its activity's date."""
    st, activity = _subject(t, SCHEMA.NewsArticle), _activity(t)
    yield "no-date", _set(t, st, SCHEMA.datePublished)
    yield "no-author-no-publisher", _set(_set(t, st, SCHEMA.author), st, SCHEMA.publisher)
    yield "no-author", _set(t, st, SCHEMA.author)
    yield "no-publisher", _set(t, st, SCHEMA.publisher)
    at = Literal("2019-05-21T10:00:00", datatype=XSD.dateTime)
    yield "activity-dated-datetime", t | {(activity, DCTERMS.date, at)}
    yield "activity-dated-gyear", t | {(activity, DCTERMS.date, Literal("2019", datatype=XSD.gYear))}


@cache
def mutations() -> dict[str, frozenset[Triple]]:
    """Name → mutated statement: each kind of breakage once (per predicate, per class), on the first
    statement where it applies; the hand-made ones on the first statement; the warnings on two."""
    found: dict[str, frozenset[Triple]] = {}
    seen: set[tuple[str, str]] = set()
    for i, triples in enumerate(statements()):
        for key, name, mutated in _generic(triples):
            if key not in seen:
                seen.add(key)
                found[f"{i}:{name}"] = mutated
        if i == 0:
            found.update((f"{i}:{name}", m) for name, m in (*_semantic(triples), *_everywhere(triples)))
        if i in (0, len(statements()) - 1):
            found.update((f"{i}:{name}", mutated) for name, mutated in _warnings(triples))
    return found
