"""Frozen records passed between the stages of the pipeline.

``Document`` is what ingest produces; ``Statement`` is what extraction produces and what the
mapping turns into RDF. Nothing here knows about RDF or files beyond their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Document", "Entity", "Evidence", "Speaker", "RecognitionAct", "Curation", "Statement", "PARTY_TYPES"]

#: entity types that are parties a statement can mention
PARTY_TYPES = ("person", "organization", "country")


@dataclass(frozen=True)
class Document:
    """One source document, parsed into its parts but not yet interpreted."""

    source: str  #: the path or URL as given
    name: str  #: the file name (or last URL segment), used for provenance
    sha256: str  #: hex digest of the source bytes (fixity)
    title: str  #: the title line as written (section prefixes not yet removed)
    header: tuple[str, ...]  #: header lines, trailing whitespace removed
    paragraphs: tuple[str, ...]  #: body paragraphs, verbatim but for line joining
    url: str | None = None  #: the page address when known
    capture_date: str | None = None  #: web archives: when the page was captured (WARC-Date)
    record_id: str | None = None  #: web archives: the WARC-Record-ID of the capture


@dataclass(frozen=True)
class Entity:
    """A person, organisation, office, country or place, from the authority file or local."""

    id: str  #: slug, unique within its type
    type: str  #: person | organization | office | country | place | region | claim
    name: str  #: preferred label
    aliases: tuple[str, ...] = ()
    country: str | None = None  #: ISO 3166-1 alpha-2 of the country it belongs to
    org_type: str | None = None
    post_in: str | None = None  #: offices: id of the organisation the post is in
    wikidata: str | None = None  #: QID, e.g. "Q717"
    dbpedia: str | None = None  #: DBpedia resource name, e.g. "Mike_Pompeo"
    geonames: str | None = None  #: GeoNames id (digits)
    iso2: str | None = None  #: countries: their own alpha-2 code
    sovereign: bool = False
    contested: bool = False  #: countries: statehood disputed by other states (Kosovo, Taiwan, Palestine)
    linked: bool = True  #: False for a name not found in the authority file


@dataclass(frozen=True)
class Evidence:
    """A sentence of the statement text with its code-point offsets (``text[start:end] == exact``)."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Speaker:
    """Who issues or speaks the statement, and in which capacity."""

    person: Entity | None  #: None for an office speaking as such (a media note)
    office_label: str | None  #: the office as written in the text, e.g. "Secretary of State"
    office: Entity | None = None  #: the office resolved against the authority file


@dataclass(frozen=True)
class RecognitionAct:
    """A (non-)recognition: who recognizes whom as what of which country, with its evidence."""

    stance: str  #: recognized | not_recognized | withdrawn | reaffirmed
    recognizing: Entity
    recognized: Entity
    of_country: Entity | None
    recognized_as: str | None
    evidence: Evidence
    reported: bool = False  #: True when the issuer reports a third party's act
    curated: bool = False  #: True when an archivist's curation file states it


@dataclass(frozen=True)
class Curation:
    """Who curated a statement and when, and which of its fields the curation set."""

    source: str  #: the curation file
    curator: str
    date: str  #: ISO date or date-time, as the curation file gives it
    fields: tuple[str, ...]  #: record fields the curation set or changed (e.g. "date", "speakers")


@dataclass(frozen=True)
class Statement:
    """Everything extracted from one document."""

    document: Document
    title: str
    slug: str
    kind: str | None
    date: str | None  #: ISO yyyy-mm-dd or yyyy-mm
    place: Entity | None
    speakers: tuple[Speaker, ...]
    publisher: Entity | None
    issuing_country: Entity | None
    text: str  #: body paragraphs joined by a blank line; evidence offsets refer to it
    persons: tuple[Entity, ...] = ()
    organizations: tuple[Entity, ...] = ()
    countries: tuple[Entity, ...] = ()
    regions: tuple[Entity, ...] = ()  #: regions and territories named (places, not countries)
    about: tuple[Entity, ...] = ()
    acts: tuple[RecognitionAct, ...] = ()
    co_issuers: tuple[Entity, ...] = ()
    missing: tuple[str, ...] = field(default=())  #: header fields the document does not give
    mentions: tuple[tuple[Entity, Evidence], ...] = ()  #: each party's first mention in the text
    curation: Curation | None = None
