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
_SECTION_PREFIX = re.compile(r"^(?:press releases?|press release|secretary[’']s remarks|remarks|"
                             r"media notes?|readouts?|us state department)\s*:\s*", re.I)
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
_PLACE = re.compile(r"^[A-Z][\w .'’-]+, (?:[A-Z]\.?[A-Z]\.?|[A-Z][a-z]+(?: [A-Z][a-z]+)*)$")
_BODY_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Za-z .]+, (?:[A-Z]\.?[A-Z]\.?|[A-Z][a-z]+))\s*[-–—]+\s")
_ATTRIBUTABLE = re.compile(
    r"\b(?:is|are) attributable to\s+(?P<office>(?:(?:Deputy|Department|State Department|Principal Deputy)\s+)*"
    r"(?:Spokesperson|Spokesman|Spokeswoman|Press Secretary))\s+(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})")
_SPEAKER_LABEL = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'’-]+ ){0,3}[A-Z][A-Z'’-]+):\s")


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


def _place(line: str, authority: Authority) -> Entity | None:
    entity = authority.lookup(line, ("place",))
    if entity:
        return entity
    if _PLACE.match(line):
        city, _, rest = line.partition(", ")
        country = authority.lookup(rest, ("country",))
        if country or re.fullmatch(r"[A-Z]\.?[A-Z]\.?", rest):
            from ..iris import slugify

            known = authority.lookup(city, ("place",))
            return Entity(id=slugify(line), type="place", name=line,
                          country=(country.iso2 if country else (known.country if known else "US")),
                          linked=False)
    return None


def _office(label: str, authority: Authority) -> Entity | None:
    return authority.lookup(label, ("office",))


def _person(name: str, authority: Authority) -> Entity:
    entity = authority.lookup(name, ("person",))
    if entity:
        return entity
    from ..iris import slugify

    return Entity(id=slugify(name), type="person", name=name, linked=False)


def parse_header(title: str, lines: tuple[str, ...], body: tuple[str, ...], authority: Authority) -> Header:
    """Classify the header lines and complete them from the title and the body's opening."""
    header = Header(title=clean_title(title))
    pending_name: str | None = None
    office_only: list[str] = []
    for raw in lines:
        line = raw.strip().strip("*_ ").strip()
        if not line or _NOISE.match(line):
            continue
        if header.kind is None and _kind(line):
            header.kind = _kind(line)
            continue
        iso = parse_date(line)
        if iso:
            header.date = header.date or iso
            continue
        place = _place(line, authority)
        if place and header.place is None:
            header.place = place
            continue
        person = authority.lookup(line, ("person",))
        office = _office(line, authority)
        if person or (_NAME.match(line) and not _OFFICE_WORDS.search(line) and not office
                      and not authority.lookup(line)):
            if pending_name:
                header.speakers.append(Speaker(_person(pending_name, authority), None))
            pending_name = line
            continue
        body_org = authority.lookup(line, ("organization",))
        if body_org is not None and not pending_name:
            header.issuing_bodies.append(body_org)
            office_only.append(line)
            continue
        if office or _OFFICE_WORDS.search(line):
            if pending_name:
                header.speakers.append(Speaker(_person(pending_name, authority), line,
                                               office or _office(line, authority)))
                pending_name = None
            else:
                office_only.append(line)
            continue
        if _ISSUING_OFFICE.match(line):
            office_only.append(line)
            continue
        found = find_date(line)
        if found and header.date is None:
            header.date = found[0]
    if pending_name:
        header.speakers.append(Speaker(_person(pending_name, authority), None))
    _from_title(header, title, authority)
    _from_body(header, body, authority, office_only)
    for name, value in (("kind", header.kind), ("date", header.date), ("place", header.place),
                        ("speaker", header.speakers)):
        if not value:
            header.missing.append(name)
    return header


def _from_title(header: Header, title: str, authority: Authority) -> None:
    if header.kind is None:
        for pattern, kind in _TITLE_KINDS:
            if pattern.search(title):
                header.kind = kind
                break
    if header.date is None:
        m = re.search(r"\b((?:January|February|March|April|May|June|July|August|September|October|"
                      r"November|December) (?:19|20)\d\d)\b", title)
        if m:
            header.date = parse_date(m.group(1))
    if not header.speakers:
        m = re.match(r"^Statement by (?P<name>[^,]+), (?P<office>.+)$", title.strip())
        if m:
            header.speakers.append(Speaker(_person(m.group("name").strip(), authority),
                                           m.group("office").strip(), _office(m.group("office").strip(), authority)))


def _from_body(header: Header, body: tuple[str, ...], authority: Authority, office_only: list[str]) -> None:
    opening = " ".join(body[:3])
    m = _ATTRIBUTABLE.search(opening)
    if m:
        header.speakers = [Speaker(_person(m.group("name"), authority), m.group("office"),
                                   _office(m.group("office"), authority))] + [
            s for s in header.speakers if s.person is not None]
    if body and header.place is None:
        d = _BODY_DATELINE.match(body[0])
        if d:
            header.place = _place(d.group("place"), authority)
    if not header.speakers and header.kind == "Remarks":
        seen: set[str] = set()
        for paragraph in body:
            label = _SPEAKER_LABEL.match(paragraph)
            if not label or label.group("label") in seen:
                continue
            seen.add(label.group("label"))
            surname = label.group("label").split()[-1].title()
            person = authority.lookup(surname, ("person",))
            if person and person.country == "US":
                header.speakers.append(Speaker(person, None, authority.office_held(person, header.date)))
    if not header.speakers:
        for line in office_only:
            header.speakers.append(Speaker(None, line, _office(line, authority)))
            break
    header.speakers = [_with_office(s, header.date, authority) for s in header.speakers]


def _with_office(speaker: Speaker, date: str | None, authority: Authority) -> Speaker:
    """Fill the office of a named speaker from the tenure table when the text gives none."""
    if speaker.person is None or speaker.office is not None:
        return speaker
    held = authority.office_held(speaker.person, date)
    if held is None:
        return speaker
    return Speaker(speaker.person, speaker.office_label or _short_office(held, authority), held)


def _short_office(office: Entity, authority: Authority) -> str:
    """The shortest alias of an office (how statements write it: "Secretary of State")."""
    names = [n for n in (office.name, *office.aliases) if not n.isupper()]
    return min(names, key=lambda n: (n.startswith(("U.S.", "US ", "United States")), len(n)))
