"""The extraction chain: header → body → parties → issuer → recognition acts → Statement."""

from __future__ import annotations

import re
from collections import Counter

from ..iris import slugify
from ..model import Document, Entity, Evidence, Speaker, Statement
from .body import clean_body
from .header import parse_header
from .linking import Authority, load_authority
from .parties import Parties, find_parties_split
from .sentences import evidence, sentences
from .recognition import find_acts

__all__ = ["extract_statement"]


def _issuer(speakers: list[Speaker], bodies: list[Entity], place: Entity | None,
            title_orgs: tuple[Entity, ...], authority: Authority) -> Entity | None:
    candidates: list[str | None] = []
    for s in speakers:
        candidates += [s.office.country if s.office else None, s.person.country if s.person else None]
    candidates += [b.country for b in bodies]
    candidates += [o.country for o in title_orgs if o.org_type in ("government", "ministry")]
    candidates.append(place.country if place else None)
    return next((authority.country(c) for c in candidates if c and authority.country(c)), None)


def _issuer_from_text(text: str, body: Parties, title: Parties, authority: Authority) -> Entity | None:
    """When no byline says who issues: the country that speaks as a sentence subject ("The United
    States condemns …"), else the country of the first official named in the title."""
    starts = {s for s, _ in sentences(text)}
    subjects = Counter(m.entity for m in body.mentions if m.entity.type == "country" and m.via != "demonym"
                       and any(0 <= m.start - s <= 4 for s in starts))
    if subjects:
        return subjects.most_common(1)[0][0]
    for m in title.mentions:
        if m.entity.type == "person" and m.entity.linked and m.entity.country:
            return authority.country(m.entity.country)
    return None


_JOINT = re.compile(r"\bJoint (?:Statement|Declaration)\b")
_JOINT_BY = re.compile(r"\bJoint (?:Statement|Declaration) (?:of|by|between) (.+?)(?= (?:on|for|at|regarding) |$)")
_GOVERNMENTS_OF = re.compile(r"\b[Gg]overnments of ([^.:;]{3,300})")


def _co_issuers(kind: str | None, title_text: str, title: Parties, body: Parties, text: str, issuer: Entity | None) -> tuple[Entity, ...]:
    """The other governments of a joint statement: named in its title, or in "the Governments of
    A, B and C" in its opening."""
    if kind not in ("Joint Statement", "Joint Declaration") and not _JOINT.search(title_text):
        return ()
    by = _JOINT_BY.search(title_text)  # "Joint Statement of the President of Russia and …" (not "… on Libya")
    found = [m.entity for m in title.mentions if m.entity.type == "country" and m.via != "demonym"
             and by is not None and by.start(1) <= m.start < by.end(1)]
    opening = "\n\n".join(text.split("\n\n", 2)[:2])  # the first two paragraphs (offsets unchanged)
    for span in _GOVERNMENTS_OF.finditer(opening):
        found += [m.entity for m in body.mentions if m.entity.type == "country" and m.via != "demonym"
                  and span.start(1) <= m.start < span.end(1)]
    return tuple(dict.fromkeys(e for e in found if e != issuer))


#: document genres, and site section prefixes, that only one issuing body uses
_GENRE_BODIES = {"Media Note": "us-department-of-state", "Press Statement": "us-department-of-state",
                 "Notice to the Press": "us-department-of-state"}
_SECTION_BODIES = {"press releases": "us-department-of-state"}


def _genre_publisher(kind: str | None, raw_title: str, authority: Authority) -> Entity | None:
    """The issuing body a genre label or a site's section prefix implies ("Media Note": the State
    Department), when nothing else names one."""
    section = raw_title.split(":", 1)[0].strip().lower() if ":" in raw_title else ""
    body_id = _GENRE_BODIES.get(kind or "") or _SECTION_BODIES.get(section)
    return authority.get("organization", body_id) if body_id else None


def _publisher(speakers: list[Speaker], bodies: list[Entity], authority: Authority) -> Entity | None:
    for s in speakers:
        if s.office and s.office.post_in:
            return authority.get("organization", s.office.post_in)
    return bodies[0] if bodies else None


def _merge(*groups: tuple[Entity, ...]) -> tuple[Entity, ...]:
    out: dict[tuple[str, str], Entity] = {}
    for group in groups:
        for e in group:
            out.setdefault((e.type, e.id), e)
    return tuple(out.values())


def extract_statement(document: Document, authority: Authority | None = None) -> Statement:
    """Everything Communiqué reads out of one document."""
    authority = authority or load_authority()
    paragraphs = clean_body(document.paragraphs)
    header = parse_header(document.title, document.header, paragraphs, authority, document.paragraphs)
    text = "\n\n".join(paragraphs)
    title, body = find_parties_split("\n".join((header.title, *document.header)), text, authority)
    genre_body = _genre_publisher(header.kind, document.title, authority)
    issuer = (_issuer(header.speakers, header.issuing_bodies, header.place, title.organizations, authority)
              or _issuer_from_text(text, body, title, authority)
              or (authority.country(genre_body.country) if genre_body else None))
    acts = find_acts(text, body.mentions, issuer, authority)
    spans = sentences(text)
    first: dict[tuple[str, str], tuple[Entity, Evidence]] = {}
    for m in body.mentions:
        if m.entity.type in ("person", "organization", "country", "region") and (m.entity.type, m.entity.id) not in first:
            s, e = next(((s, e) for s, e in spans if s <= m.start < e), (m.start, m.end))
            first[(m.entity.type, m.entity.id)] = (m.entity, evidence(text, s, e))
    speaker_persons = tuple(s.person for s in header.speakers if s.person is not None)
    countries = _merge(title.countries, body.countries)
    counts = Counter(m.entity for m in body.mentions if m.entity.type == "country" and m.entity != issuer)
    about = tuple(c for c in title.countries if c != issuer) or tuple(e for e, _ in counts.most_common(1))
    return Statement(
        document=document,
        title=header.title,
        slug=slugify(header.title),
        kind=header.kind,
        date=header.date,
        place=header.place,
        speakers=tuple(header.speakers),
        publisher=_publisher(header.speakers, header.issuing_bodies, authority) or genre_body,
        issuing_country=issuer,
        text=text,
        persons=_merge(speaker_persons, title.persons, body.persons),
        organizations=_merge(tuple(header.issuing_bodies), title.organizations, body.organizations),
        countries=countries,
        regions=_merge(title.regions, body.regions),
        about=about,
        acts=tuple(acts),
        co_issuers=_co_issuers(header.kind, header.title, title, body, text, issuer),
        missing=tuple(header.missing),
        mentions=tuple(first.values()),
    )
