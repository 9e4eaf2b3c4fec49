"""Bylines and datelines: who speaks, in which office, from where — when the header does not say.

Real statements put this in many places: a header line pair (name, office), an "attributable to"
sentence, an inline dateline ("Washington, DC - Secretary of State Rex W. Tillerson: …"), a lead
("Minister for Europe Leo Docherty said:", "A spokesperson for the UK government said:"), or the
speaker labels of a transcript ("SECRETARY POMPEO:"). The subject of a readout ("Secretary
Pompeo met …", "The Minister condemned …") is mentioned, never a speaker: only verbs of saying
or issuing make one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..iris import slugify
from ..model import Entity, Speaker
from .dates import find_date
from .linking import Authority

if TYPE_CHECKING:
    from .header import Header

__all__ = ["office_entity", "make_person", "place_entity", "complete_speakers", "date_from_body"]

_NAME = r"(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)(?: (?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.|al-[A-Z][a-z]+|bin|de|van|von)){1,3}"
_OFFICE_HEAD = (r"(?:Secretary|Spokesperson|Spokesman|Spokeswoman|Minister|Ambassador|President|Envoy|"
                r"Representative|Press Secretary|Coordinator|Administrator|Chargé d’Affaires)")
_OFFICE = (rf"(?:(?:[A-Z][\w&’'-]*|of|for|the|and|&),? ){{0,6}}?{_OFFICE_HEAD}"
           rf"(?: (?:of|for) (?:the )?(?:[A-Z][\w&’'-]*|and|&)(?: (?:[A-Z][\w&’'-]*|and|&))*?)?")
_SAYS = r"(?:said|says|stated|states|released the following statement|issued the following statement|gave|made the following statement)"

_ATTRIBUTABLE = re.compile(
    r"\b(?:is|are) attributable to\s+(?P<office>(?:(?:Deputy|Department|State Department|Principal Deputy)\s+)*"
    r"(?:Spokesperson|Spokesman|Spokeswoman|Press Secretary))\s+(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})")
_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Za-z .]+, (?:[A-Z]\.?[A-Z]\.?|[A-Z][a-z]+))(?: \([^)]*\))?\s*[-–—:]*\s+")
_LEAD = re.compile(rf"^(?:(?:On|In|At|Speaking|Ahead|Following|Today)\b[^:]*?,\s+)?(?P<office>{_OFFICE}),?\s+"
                   rf"(?P<name>{_NAME}),?(?:\s+{_SAYS}\b|\s*:)")
_ANONYMOUS = re.compile(r"^(?:A|An|The)\s+(?P<office>[^.:]{0,80}?\b(?:spokesperson|spokesman|spokeswoman)"
                        r"(?: for [^.:]{1,60})?)\s+said\s*:", re.I)
_SPEAKER_LABEL = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'’-]+ ){0,3}[A-Z][A-Z'’-]+):\s")
_PLACE = re.compile(r"^[A-Z][\w .'’-]+, (?:[A-Z]\.?[A-Z]\.?|[A-Z][a-z]+(?: [A-Z][a-z]+)*)$")
_PUBLISHED = re.compile(r"^\s*(?:published|posted|released|issued|updated)(?: on)?\b", re.I)
_ISSUED_ON = re.compile(r"\b(?:statement|press release|remarks|readout|announcement)\b[^.]{0,120}?\bon\s+$", re.I)


def office_entity(label: str, authority: Authority) -> Entity | None:
    """The office an office label names, if the authority file knows it."""
    return authority.lookup(label.strip(), ("office",))


def make_person(name: str, authority: Authority) -> Entity:
    """The authority's person of that name, else a local unlinked person."""
    entity = authority.lookup(name, ("person",))
    if entity:
        return entity
    return Entity(id=slugify(name), type="person", name=name, linked=False)


def place_entity(line: str, authority: Authority) -> Entity | None:
    """A dateline place: a known place, or "City, ST" / "City, Country" (kept unlinked)."""
    entity = authority.lookup(line, ("place",))
    if entity:
        return entity
    if _PLACE.match(line):
        city, _, rest = line.partition(", ")
        country = authority.lookup(rest, ("country",))
        if country or re.fullmatch(r"[A-Z]\.?[A-Z]\.?", rest):
            known = authority.lookup(city, ("place",))
            iso = country.iso2 if country else (known.country if known else "US")
            return Entity(id=slugify(line), type="place", name=line, country=iso, linked=False)
    return None


def _speaker(name: str | None, office: str | None, authority: Authority) -> Speaker:
    person = make_person(name, authority) if name else None
    label = office.strip().strip(",") if office else None
    return Speaker(person, label, office_entity(label, authority) if label else None)


def _from_opening(header: Header, body: tuple[str, ...], authority: Authority) -> list[Speaker]:
    """Speakers named by the first paragraphs (attribution, dateline, lead, anonymous spokesperson)."""
    opening = " ".join(body[:3])
    m = _ATTRIBUTABLE.search(opening)
    if m:
        return [_speaker(m.group("name"), m.group("office"), authority)]
    for paragraph in body[:3]:
        text = paragraph.lstrip("\"“ ")
        d = _DATELINE.match(text)
        place = place_entity(d.group("place"), authority) if d else None
        if d and place is not None:
            header.place = header.place or place
            text = text[d.end():]
        lead = _LEAD.match(text)
        if lead:
            return [_speaker(lead.group("name"), lead.group("office"), authority)]
        anonymous = _ANONYMOUS.match(text)
        if anonymous:
            return [_speaker(None, anonymous.group("office"), authority)]
    return []


def _from_labels(header: Header, body: tuple[str, ...], authority: Authority) -> list[Speaker]:
    """Speakers of a transcript: the issuing country's officials among the "NAME:" labels."""
    speakers: list[Speaker] = []
    seen: set[str] = set()
    for paragraph in body:
        label = _SPEAKER_LABEL.match(paragraph)
        if not label or label.group("label") in seen:
            continue
        seen.add(label.group("label"))
        person = authority.lookup(label.group("label"), ("person",)) or authority.lookup(
            label.group("label").split()[-1].title(), ("person",))
        if person and person.country == "US":
            speakers.append(Speaker(person, None, authority.office_held(person, header.date)))
    return speakers


def complete_speakers(header: Header, body: tuple[str, ...], authority: Authority, office_only: list[str]) -> None:
    """Fill ``header.speakers`` from the body when needed, then offices from the tenure table."""
    found = _from_opening(header, body, authority)
    if found and found[0].person is not None:
        header.speakers = found + [s for s in header.speakers if s.person is not None and s.person != found[0].person]
    elif found and not header.speakers:
        header.speakers = found
    if not header.speakers and header.kind == "Remarks":
        header.speakers = _from_labels(header, body, authority)
    if not header.speakers and office_only:
        header.speakers = [_speaker(None, office_only[0], authority)]
    header.speakers = [_with_office(s, header.date, authority) for s in header.speakers]


def _with_office(speaker: Speaker, date: str | None, authority: Authority) -> Speaker:
    """Fill the office of a named speaker from the tenure table when the text gives none."""
    if speaker.person is None or speaker.office is not None:
        return speaker
    held = authority.office_held(speaker.person, date)
    if held is None:
        return speaker
    return Speaker(speaker.person, speaker.office_label or _short_office(held), held)


def _short_office(office: Entity) -> str:
    """How statements write an office: its shortest non-acronym name ("Secretary of State")."""
    names = [n for n in (office.name, *office.aliases) if not n.isupper()]
    return min(names, key=lambda n: (n.startswith(("U.S.", "US ", "United States")), len(n)))


def date_from_body(body: tuple[str, ...], raw: tuple[str, ...]) -> str | None:
    """The issue date when the header has none: a "Published …" line, or "… statement … on DATE"."""
    for paragraph in raw:
        if _PUBLISHED.match(paragraph):
            found = find_date(paragraph)
            if found:
                return found[0]
    for paragraph in body[:2]:
        found = find_date(paragraph)
        if found and _ISSUED_ON.search(paragraph[: found[1]]):
            return found[0]
    return None
