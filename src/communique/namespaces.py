"""The only place where vocabulary term IRIs are spelled.

Every namespace is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a
misspelt term raises ``AttributeError`` at import or call time instead of minting a wrong IRI.
``schema:`` is ``http://schema.org/`` throughout (the official JSON-LD context expands to http);
rdflib's bundled ``SDO`` namespace uses https and is deliberately not used.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "CQ",
    "SCHEMA",
    "ORG",
    "OA",
    "QB",
    "PROV",
    "SKOS",
    "OWL",
    "RDF",
    "RDFS",
    "XSD",
    "DCTERMS",
    "WD",
    "DBR",
    "GEONAMES",
    "SH",
    "CQ_NS",
    "PREFIXES",
]

CQ_NS = "https://w3id.org/communique/ns#"


class CQ(DefinedNamespace):
    """Communiqué's own terms (ontology/communique.ttl documents each of them)."""

    _fail = True
    _NS = Namespace(CQ_NS)

    # classes
    RecognitionAct: URIRef
    Stance: URIRef
    StatementKind: URIRef
    # properties
    recognizingParty: URIRef
    recognizedParty: URIRef
    inRespectOf: URIRef
    recognizedAs: URIRef
    stance: URIRef
    assertedIn: URIRef
    evidence: URIRef
    reportedBy: URIRef
    issuingCountry: URIRef
    coIssuingCountry: URIRef
    sha256: URIRef
    fileName: URIRef
    linkStatus: URIRef
    curatedField: URIRef
    # stance values
    Recognized: URIRef
    NotRecognized: URIRef
    Withdrawn: URIRef
    Reaffirmed: URIRef
    Stances: URIRef
    # statement kinds (a SKOS concept scheme)
    StatementKinds: URIRef
    PressStatement: URIRef
    MediaNote: URIRef
    Remarks: URIRef
    Readout: URIRef
    JointStatement: URIRef
    JointDeclaration: URIRef
    Statement: URIRef
    NoticeToThePress: URIRef
    PressRelease: URIRef
    WrittenAnswer: URIRef
    WrittenMinisterialStatement: URIRef
    PublicSchedule: URIRef
    # link status of a party
    Linked: URIRef
    Unlinked: URIRef
    # alignment target
    CAMEO054: URIRef
    # statistics (an RDF Data Cube): statements per year and speaker
    StatementsPerYearAndSpeaker: URIRef
    year: URIRef
    speaker: URIRef
    statementCount: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms this project uses, on the http namespace."""

    _fail = True
    _NS = Namespace("http://schema.org/")

    NewsArticle: URIRef
    Person: URIRef
    Organization: URIRef
    GovernmentOrganization: URIRef
    Country: URIRef
    Place: URIRef
    Thing: URIRef
    SoftwareApplication: URIRef
    headline: URIRef
    datePublished: URIRef
    genre: URIRef
    locationCreated: URIRef
    author: URIRef
    publisher: URIRef
    mentions: URIRef
    about: URIRef
    text: URIRef
    isBasedOn: URIRef
    name: URIRef
    alternateName: URIRef
    sameAs: URIRef
    url: URIRef
    inLanguage: URIRef
    identifier: URIRef
    softwareVersion: URIRef
    containedInPlace: URIRef
    nationality: URIRef
    ItemList: URIRef  #: a listing of the statements of a period that refer to a party
    itemListElement: URIRef
    numberOfItems: URIRef
    temporalCoverage: URIRef


class ORG(DefinedNamespace):
    """W3C Organization Ontology terms used here."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/org#")

    Post: URIRef
    FormalOrganization: URIRef
    postIn: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary terms used for evidence."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    motivatedBy: URIRef
    describing: URIRef
    identifying: URIRef
    hasBody: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


class QB(DefinedNamespace):
    """RDF Data Cube terms of the statistics graph."""

    _fail = True
    _NS = Namespace("http://purl.org/linked-data/cube#")

    DataSet: URIRef
    Observation: URIRef
    DataStructureDefinition: URIRef
    DimensionProperty: URIRef
    MeasureProperty: URIRef
    dataSet: URIRef
    structure: URIRef
    component: URIRef
    dimension: URIRef
    measure: URIRef


class SH(DefinedNamespace):
    """SHACL terms read from validation reports."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/shacl#")

    ValidationReport: URIRef
    ValidationResult: URIRef
    conforms: URIRef
    result: URIRef
    focusNode: URIRef
    resultPath: URIRef
    resultMessage: URIRef
    resultSeverity: URIRef
    sourceShape: URIRef
    sourceConstraintComponent: URIRef
    value: URIRef
    Violation: URIRef
    Warning: URIRef
    Info: URIRef


def _materialise(*namespaces: type[DefinedNamespace]) -> None:
    """Make every declared term a plain class attribute. A DefinedNamespace looks each term up
    through its metaclass on every access (a build makes millions); as attributes they are read
    directly, and a misspelt term still falls through to the metaclass, which fails loudly."""
    for ns in namespaces:
        for name in getattr(ns, "__annotations__", {}):
            if not name.startswith("_"):
                type.__setattr__(ns, name, ns[name])


_materialise(CQ, SCHEMA, ORG, OA, QB, SH, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD)

WD = Namespace("http://www.wikidata.org/entity/")
DBR = Namespace("http://dbpedia.org/resource/")
GEONAMES = Namespace("https://sws.geonames.org/")

#: prefix → namespace, bound on every graph this project writes (sorted for stable output). Every
#: namespace that output uses must be here: rdflib would otherwise invent ``ns1``… prefixes in an
#: order that changes from run to run.
PREFIXES: dict[str, str] = {
    "cq": CQ_NS,
    "dbr": str(DBR),
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": str(DCTERMS),
    "formats": "http://www.w3.org/ns/formats/",
    "gn": str(GEONAMES),
    "oa": str(OA._NS),
    "org": str(ORG._NS),
    "owl": str(OWL),
    "prov": str(PROV),
    "qb": str(QB._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA._NS),
    "skos": str(SKOS),
    "spdx": "http://spdx.org/rdf/terms#",
    "void": "http://rdfs.org/ns/void#",
    "wd": str(WD),
    "xsd": str(XSD),
}
