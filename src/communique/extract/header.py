"""Header fields: title, kind, date, place and speakers, from header lines, title and body opening.

Header lines come in any order and any subset; each line is classified on its own (kind, date,
place, office, person name, issuing office, noise), then names are paired with the office on the
line after them. What no line gives is reported in ``missing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Entity, Speaker
from .dates import find_date, parse_date
from .linking import Authority
from .byline import complete_speakers, date_from_body, make_person, office_entity, place_entity

__all__ = ["KINDS", "Header", "parse_header", "clean_title"]

#: display label of each statement kind (lower-cased key → label)
KINDS: dict[str, str] = {k.lower(): k for k in (
    "Press Statement", "Media Note", "Remarks", "Readout", "Joint Statement", "Joint Declaration",
    "Statement", "Notice to the Press", "Press release", "Written Answer",
    "Written Ministerial Statement", "Public Schedule",
)}
_KIND_ALIASES = {"press releases": "Press release", "media notes": "Media Note",
                 "notice to press": "Notice to the Press", "readouts": "Readout"}
_TITLE_KINDS = [
    (re.compile(r"^(?:[\w’' ]+:\s*)?Joint Statement\b", re.I), "Joint Statement"),
    (re.compile(r"^(?:[\w’' ]+:\s*)?Joint Declaration\b", re.I), "Joint Declaration"),
    (re.compile(r"^(?:Secretary[’']s )?Remarks\b", re.I), "Remarks"),
    (re.compile(r"^Press release\s*:", re.I), "Press release"),
    (re.compile(r"^Statement by\b|\bgovernment statement\b", re.I), "Statement"),
    (re.compile(r"^Readout\b", re.I), "Readout"),
]
_SECTION_PREFIX = re.compile(r"^press releases?\s*:\s*", re.I)
_FROM = re.compile(r"^from:\s*(?:the\s+)?(.+?)\s*$", re.I)
_NOT_A_NAME = re.compile(r"['’]s\b|\b(?:Day|Week|Anniversary|Statement|Release|Remarks|Update|Notice)\b")
_BODY_KINDS = re.compile(r"\b(Written Ministerial Statement|Written Answer|Joint Statement|Joint Declaration|"
                         r"Notice to the Press)\b")
_NOISE = re.compile(
    r"^(?:for immediate release|from:.*|image_?pdf.*|\|?printable version|share|print|by\s.*[–-]?|"
    r"\d\d/\d\d/\d{4}.*|\d{1,2}:\d\d\s*[ap]m.*)$", re.I)
_OFFICE_WORDS = re.compile(
    r"\b(?:Secretary|Spokesperson|Spokesman|Spokeswoman|Minister|Ambassador|President|Envoy|"
    r"Representative|Coordinator|Counselor|Director|Administrator|Chargé|Under Secretary|Advisor|"
    r"Adviser|Press Secretary|Chancellor|Prime Minister|Commissioner|Consul)\b")
_ISSUING_OFFICE = re.compile(r"^(?:Office of (?:the )?[\w ]+|.*\b(?:Department|Ministry|Foreign Office|"
                             r"Commonwealth|Embassy|Mission)\b.*)$")
_NAME = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)(?: (?:[A-Z][\wà-ÿ'’-]*\.?|de|da|del|van|von|bin|al-\w+)){1,4}$")


@dataclass
class Header:
    """What the header (and the body's opening) says about a statement."""

    title: str
    kind: str | None = None
    date: str | None = None
    place: Entity | None = None
    speakers: list[Speaker] = field(default_factory=list)
    issuing_bodies: list[Entity] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def clean_title(title: str) -> str:
    """The title without a site's section prefix ("Press Releases: …")."""
    cleaned = _SECTION_PREFIX.sub("", title.strip(), count=1).strip()
    return cleaned or title.strip()


def _kind(line: str) -> str | None:
    key = line.strip().rstrip(":").lower()
    return KINDS.get(key) or _KIND_ALIASES.get(key)


def parse_header(title: str, lines: tuple[str, ...], body: tuple[str, ...], authority: Authority,
                 raw_body: tuple[str, ...] | None = None) -> Header:
    """Classify the header lines and complete them from the title and the body.

    ``body`` is the cleaned statement text; ``raw_body`` the paragraphs before site furniture was
    removed (a footer such as "Published 1 February 2021" may be the only date there is).
    """
    header = Header(title=clean_title(title))
    pending_name: str | None = None
    office_only: list[str] = []
    for raw in lines:
        line = raw.strip().strip("*_ ").strip()
        sender = _FROM.match(line)
        if sender:  # "FROM: U.S. STATE DEPARTMENT" names the issuing body
            body_org = authority.lookup(sender.group(1), ("organization",), fold=True)
            if body_org is not None:
                header.issuing_bodies.append(body_org)
            continue
        if not line or _NOISE.match(line):
            continue
        if header.kind is None and _kind(line):
            header.kind = _kind(line)
            continue
        iso = parse_date(line)
        if iso:
            header.date = header.date or iso
            continue
        place = place_entity(line, authority)
        if place and header.place is None:
            header.place = place
            continue
        found = find_date(line)
        if found and len(line) > 24:  # "The press release issued by the Foreign Office on 9 August 2023."
            header.date = header.date or found[0]
            continue
        person = authority.lookup(line, ("person",))
        office = office_entity(line, authority)
        if person or (_NAME.match(line) and not _OFFICE_WORDS.search(line) and not office
                      and not authority.lookup(line) and not _NOT_A_NAME.search(line)):
            if pending_name:
                header.speakers.append(Speaker(make_person(pending_name, authority), None))
            pending_name = line
            continue
        body_org = authority.lookup(line, ("organization",))
        if body_org is not None and not pending_name:
            header.issuing_bodies.append(body_org)
            office_only.append(line)
            continue
        if office or _OFFICE_WORDS.search(line):
            if pending_name:
                header.speakers.append(Speaker(make_person(pending_name, authority), line,
                                               office or office_entity(line, authority)))
                pending_name = None
            else:
                office_only.append(line)
            continue
        if _ISSUING_OFFICE.match(line):
            office_only.append(line)
    if pending_name:
        header.speakers.append(Speaker(make_person(pending_name, authority), None))
    _from_title(header, title, authority, body)
    complete_speakers(header, body, authority, office_only)
    if header.date is None:
        header.date = date_from_body(body, raw_body or body)
    for name, value in (("kind", header.kind), ("date", header.date), ("place", header.place),
                        ("speaker", header.speakers)):
        if not value:
            header.missing.append(name)
    return header


def _from_title(header: Header, title: str, authority: Authority, body: tuple[str, ...] = ()) -> None:
    if header.kind is None:
        for pattern, kind in _TITLE_KINDS:
            if pattern.search(title):
                header.kind = kind
                break
    if header.kind is None and body:
        m = _BODY_KINDS.search(body[0])  # "… gave a Written Ministerial Statement on Venezuela …"
        if m:
            header.kind = _kind(m.group(1))
    if header.date is None:
        m = re.search(r"\b((?:January|February|March|April|May|June|July|August|September|October|"
                      r"November|December) (?:19|20)\d\d)\b", title)
        if m:
            header.date = parse_date(m.group(1))
    if not header.speakers:
        m = re.match(r"^Statement by (?P<name>[^,]+), (?P<office>.+)$", title.strip())
        if m:
            header.speakers.append(Speaker(make_person(m.group("name").strip(), authority),
                                           m.group("office").strip(), office_entity(m.group("office").strip(), authority)))
