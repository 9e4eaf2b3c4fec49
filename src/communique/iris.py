"""Deterministic minting of every resource IRI — the only module that builds IRIs from strings.

Layout under the base IRI (slash IRIs, each kind of resource on its own flat path so that no IRI
is minted beneath a statement's IRI)::

    statement/{yyyy}/{mm}/{dd}/{slug}      a statement (undated: statement/undated/{slug})
    id/{type}/{slug}                       person, organization, office, country, place
    act/{key}-{n}                          the n-th recognition act of a statement
    annotation/{key}-{n}[-target|-quote|-position]   its evidence
    annotation/{key}-m{n}[-…]              evidence of the n-th party mention
    attribution/{key}-{n}                  the n-th qualified attribution (speaker in an office)
    activity/{key}-extraction|-curation    the activities that generated the statement's facts
    id/software/communique                 the extractor (name and version)
    source/{key}                           the source document (fixity)
    graph/entities                         named graph of the descriptions of all parties
    graph/statistics                       named graph of statement counts (an RDF Data Cube data set)
    graph/statistics#{yyyy}-{person}       its observation of a year and a speaker
    refs/{type}/{slug}/{period}            the statements of one year or month that refer to a party
                                           (``{period}``: ``yyyy``, ``yyyy-mm`` or ``undated``), when
                                           they are too many for the party's own document

``key`` is ``{date}-{slug}`` of the statement, e.g. ``2019-01-23-continuing-us-diplomatic-…``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from .model import Entity, Statement
from .namespaces import DBR, GEONAMES, WD

__all__ = ["DEFAULT_BASE", "slugify", "IRIs", "statement_key", "external_links", "page_iri"]

DEFAULT_BASE = "https://w3id.org/communique/"

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Lowercase ASCII slug: accents folded, runs of other characters turned into one hyphen."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    ascii_text = re.sub(r"[.'\u2019]", "", ascii_text)
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "untitled"


def page_iri(url: str) -> URIRef | None:
    """The IRI of a source page as given in a document (a web archive's target URI, a page's
    canonical link), with every character an IRI may not hold percent-encoded: spaces, quotes, angle
    brackets, braces, controls; None if it is not absolute (no scheme). Every IRI the store receives
    is then valid, whatever the source says."""
    if not _SCHEME.match(url.strip()):
        return None
    return URIRef(_NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url.strip()))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def statement_key(statement: Statement) -> str:
    """``{date}-{slug}``: the statement's key in flat paths."""
    return f"{statement.date or 'undated'}-{statement.slug}"


def external_links(entity: Entity) -> list[URIRef]:
    """owl:sameAs targets of an entity: Wikidata, DBpedia, GeoNames, in that order."""
    links: list[URIRef] = []
    if entity.wikidata:
        links.append(WD[entity.wikidata])
    if entity.dbpedia:
        links.append(DBR[entity.dbpedia])
    if entity.geonames:
        links.append(GEONAMES[f"{entity.geonames}/"])
    return links


class IRIs:
    """Mints the IRIs of one publication under ``base``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+/$", base):
            from .errors import UsageError

            raise UsageError(f"base IRI must be an http(s) IRI ending in '/': {base!r}")
        self.base = base

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def entities_graph(self) -> URIRef:
        """The named graph holding every party's description once (not once per statement)."""
        return self._iri("graph/entities")

    def statistics_graph(self) -> URIRef:
        """The named graph, and RDF Data Cube data set, of statement counts per year and speaker."""
        return self._iri("graph/statistics")

    def observation(self, year: int, speaker: str) -> URIRef:
        """The observation of ``speaker``'s statements in ``year`` (a fragment of the data set)."""
        prefix = self.base + "id/person/"
        key = speaker[len(prefix):] if speaker.startswith(prefix) else hashlib.sha1(speaker.encode()).hexdigest()[:16]
        return self._iri(f"graph/statistics#{year:04d}-{key}")

    def is_entity(self, iri: object) -> bool:
        """True for the IRI of a person, organisation, office, country or place."""
        return isinstance(iri, URIRef) and str(iri).startswith(self.base + "id/")

    def statement(self, statement: Statement) -> URIRef:
        if statement.date:
            return self._iri(f"statement/{statement.date.replace('-', '/')}/{statement.slug}")
        return self._iri(f"statement/undated/{statement.slug}")

    def entity(self, entity: Entity) -> URIRef:
        return self._iri(f"id/{entity.type}/{entity.id}")

    def source(self, statement: Statement) -> URIRef:
        return self._iri(f"source/{statement_key(statement)}")

    def attribution(self, statement: Statement, n: int) -> URIRef:
        return self._iri(f"attribution/{statement_key(statement)}-{n}")

    def act(self, statement: Statement, n: int) -> URIRef:
        return self._iri(f"act/{statement_key(statement)}-{n}")

    def activity(self, statement: Statement, kind: str) -> URIRef:
        """The extraction or curation activity that generated a statement's facts."""
        return self._iri(f"activity/{statement_key(statement)}-{kind}")

    def software(self) -> URIRef:
        """Communiqué itself, the software agent of every extraction."""
        return self._iri("id/software/communique")

    def references(self, party: str, period: str) -> URIRef:
        """The listing of the statements of ``period`` (a year, a month or ``undated``) that refer to
        the party ``party`` (an ``id/{type}/{slug}`` IRI under the base)."""
        prefix = self.base + "id/"
        if not party.startswith(prefix) or not re.fullmatch(r"\d{4}(?:-\d{2})?|undated", period):
            raise ValueError(f"no listing of {period!r} for {party!r}")
        return self._iri(f"refs/{party[len(prefix):]}/{period}")

    def annotation(self, statement: Statement, n: int | str, part: str = "") -> URIRef:
        suffix = f"-{part}" if part else ""
        return self._iri(f"annotation/{statement_key(statement)}-{n}{suffix}")
