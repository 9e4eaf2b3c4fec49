"""Who a statement mentions: persons, organisations, countries and places, linked where known.

Names come from the authority gazetteer; people named with a title ("Foreign Minister Carl
Greenidge") who are not in the authority file are kept as local, unlinked persons.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..iris import slugify
from ..model import Entity
from .linking import Authority, Mention

__all__ = ["Parties", "find_parties", "find_parties_split", "titled_persons"]

_TITLE = (
    r"(?:(?:Deputy|Vice|Foreign|Prime|Defense|Defence|Interior|Assistant|Under|Special|Senior|State|"
    r"Chief|Acting|[Ii]nterim|Principal|Executive|General|Supreme|Crown)\s+)*"
    r"(?:President|Minister|Secretary(?: of State| of Defense| of the Treasury|-General| General)?|"
    r"Spokesperson|Spokesman|Ambassador|Chairman|Chairwoman|Councilor|Commander|Speaker|Senator|"
    r"Administrator|King|Prince|Tanaiste|Taoiseach|Chancellor|Envoy|Representative|Governor|Mayor|"
    r"Leader|Counselor|Marshal|SRSG)"
    r"(?: (?:for|of) (?:[A-Z][\w&]+(?: and| &)? ?){1,5}?)?"
)
_NAME = r"(?P<name>(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)(?: (?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.|al-[A-Z][a-z]+|bin|de|da)){0,3})"
_TITLE_WORD = re.compile(r"President|Minister|Secretary|Spokesperson|Ambassador|Chairman|Speaker|Senator|"
                         r"Envoy|Governor|Mayor|Commander|Councilor|Representative|King|Prince|Chancellor")
_TITLED = re.compile(rf"\b{_TITLE}[ \t]+{_NAME}")
_NOT_NAMES = {"The", "This", "That", "These", "Our", "On", "In", "And", "Of", "For", "During", "With", "He",
              "She", "They", "We", "It", "Its", "His", "Her", "Today", "Both", "All", "Secretary", "President",
              "Minister", "Deputy", "Department", "Office", "State", "Government", "Council", "Assembly",
              "Ministry", "Embassy", "Mission", "Bureau", "National", "General", "Policy", "Affairs",
              "Security", "Development", "Cooperation", "Trade", "Defense", "Defence", "Foreign", "January",
              "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December", "Immediate", "Release"}


@dataclass(frozen=True)
class Parties:
    persons: tuple[Entity, ...]
    organizations: tuple[Entity, ...]
    countries: tuple[Entity, ...]
    places: tuple[Entity, ...]
    regions: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


def titled_persons(text: str, authority: Authority, taken: list[tuple[int, int]]) -> list[Mention]:
    """Unlinked persons introduced by a title, outside spans already linked."""
    found: list[Mention] = []
    for m in _TITLED.finditer(text):
        words = m.group("name").split()
        titles = [i for i, w in enumerate(words) if _TITLE_WORD.fullmatch(w)]
        if titles:  # "Secretary Meets Foreign Minister Núñez": the name follows the last title
            words = words[titles[-1] + 1:]
        while words and (words[-1] in _NOT_NAMES or authority.lookup(words[-1]) is not None
                         and authority.lookup(words[-1]).type != "person"):
            words.pop()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        if len(words) == 1 and re.search(r" (?:for|of) ", m.group(0)[: m.start("name") - m.start()]):
            continue  # "High Representative for Foreign Affairs and Security Policy": no name
        name = " ".join(words)
        start = m.start("name") + m.group("name").index(words[0])
        end = start + len(name)
        if any(s < end and start < e for s, e in taken) or authority.lookup(name) is not None:
            continue
        person = Entity(id=slugify(name), type="person", name=name, linked=False)
        found.append(Mention(start, end, name, person, "title"))
    return found


_ORG_HEAD = (r"(?:Ministry|Council|Commission|Agency|Assembly|Parliament|Court|Party|Front|Army|"
             r"Forces|Movement|Organization|Organisation|Bank|Fund|Authority|Corporation|Committee|Bureau|"
             r"Institute|Tribunal|Coalition|Alliance|Platform|Brigade|Guard)")
_CAP = r"[A-Z][\w’'&-]*"
_NAMED_ORG = re.compile(
    rf"\b(?:{_CAP} ){{1,4}}{_ORG_HEAD}(?: (?:of|for) (?:the )?{_CAP}(?: {_CAP}){{0,3}})?(?: \([A-Z]{{2,8}}\))?"
    rf"|\b{_ORG_HEAD} (?:of|for) (?:the )?{_CAP}(?: (?:{_CAP}|and|of|the)){{0,5}}(?<![ ,])(?: \([A-Z]{{2,8}}\))?")
_NOT_ORG_START = {"The", "This", "That", "These", "Our", "Their", "His", "Her", "A", "An", "In", "On", "At", "For",
                  "With", "We", "Both", "Today", "All", "And", "But", "As", "By", "From", "To", "Under"}


def named_organizations(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Organisations not in the authority file, named with a head noun ("the Unitary Platform",
    "National Oil Corporation (NOC)", "Ministry of Foreign Affairs of Tunisia"): kept unlinked."""
    found: list[Mention] = []
    for m in _NAMED_ORG.finditer(text):
        words = m.group(0).split(" ")
        start = m.start()
        while words and words[0] in _NOT_ORG_START:
            start += len(words[0]) + 1
            words = words[1:]
        name = " ".join(words)
        end = start + len(name)
        if len(words) < 2 or any(s < end and start < e for s, e in taken):
            continue
        entity = Entity(id=slugify(name), type="organization", name=name, linked=False)
        found.append(Mention(start, end, name, entity, "named"))
    return found


def _as_country(m: Mention, authority: Authority) -> Mention:
    """A state's government as a whole ("the Government of the United Arab Emirates") is the state."""
    if m.entity.org_type == "national-government" and authority.country(m.entity.country):
        return Mention(m.start, m.end, m.surface, authority.country(m.entity.country), "government")  # type: ignore[arg-type]
    return m


def _unique(entities: list[Entity]) -> tuple[Entity, ...]:
    seen: dict[tuple[str, str], Entity] = {}
    for e in entities:
        seen.setdefault((e.type, e.id), e)
    return tuple(seen.values())


def _collect(mentions: list[Mention]) -> Parties:
    def of(type_: str) -> tuple[Entity, ...]:
        return _unique([m.entity for m in mentions if m.entity.type == type_])

    return Parties(persons=of("person"), organizations=of("organization"), countries=of("country"),
                   places=of("place"), regions=of("region"), mentions=tuple(mentions))


def find_parties(text: str, authority: Authority) -> Parties:
    """All parties mentioned in ``text``, in order of first mention."""
    linked = [_as_country(m, authority) for m in authority.mentions(text)]
    taken = [(m.start, m.end) for m in linked]
    local = titled_persons(text, authority, taken)
    # a surname alone that matches a local person named in full joins that person
    by_surname = {p.entity.name.split()[-1]: p.entity for p in local if len(p.entity.name.split()) > 1}
    local += named_organizations(text, taken + [(x.start, x.end) for x in local])
    spans = taken + [(x.start, x.end) for x in local]
    extra = [Mention(m.start(), m.end(), m.group(0), by_surname[m.group(0)], "surname")
             for m in re.finditer(r"\b(" + "|".join(map(re.escape, by_surname)) + r")\b", text)
             if not any(s <= m.start() < e for s, e in spans)] if by_surname else []
    return _collect(sorted(linked + local + extra, key=lambda m: (m.start, m.end)))


def find_parties_split(head: str, body: str, authority: Authority) -> tuple[Parties, Parties]:
    """Parties of a document's head (title and header lines) and of its body, read as one text so
    that a conditional alias in the head sees the countries of the body; body offsets are kept."""
    offset = len(head) + 2
    both = find_parties(f"{head}\n\n{body}", authority)
    head_ms = [m for m in both.mentions if m.end <= len(head)]
    body_ms = [dataclasses.replace(m, start=m.start - offset, end=m.end - offset)
               for m in both.mentions if m.start >= offset]
    return _collect(head_ms), _collect(body_ms)
