"""Who a statement mentions: persons, organisations, countries and places, linked where known.

Names come from the authority gazetteer; people named with a title ("Foreign Minister Carl
Greenidge") who are not in the authority file are kept as local, unlinked persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..iris import slugify
from ..model import Entity
from .linking import Authority, Mention

__all__ = ["Parties", "find_parties", "titled_persons"]

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
_TITLED = re.compile(rf"\b{_TITLE}\s+{_NAME}")
_NOT_NAMES = {"The", "This", "That", "These", "Our", "On", "In", "And", "Of", "For", "During", "With", "He",
              "She", "They", "We", "It", "Its", "His", "Her", "Today", "Both", "All", "Secretary", "President",
              "Minister", "Deputy", "Department", "Office", "State", "Government", "Council", "Assembly",
              "Ministry", "Embassy", "Mission", "Bureau", "National", "General", "Policy", "Affairs",
              "Security", "Development", "Cooperation", "Trade", "Defense", "Defence", "Foreign"}


@dataclass(frozen=True)
class Parties:
    persons: tuple[Entity, ...]
    organizations: tuple[Entity, ...]
    countries: tuple[Entity, ...]
    places: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


def titled_persons(text: str, authority: Authority, taken: list[tuple[int, int]]) -> list[Mention]:
    """Unlinked persons introduced by a title, outside spans already linked."""
    found: list[Mention] = []
    for m in _TITLED.finditer(text):
        words = m.group("name").split()
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


def _unique(entities: list[Entity]) -> tuple[Entity, ...]:
    seen: dict[tuple[str, str], Entity] = {}
    for e in entities:
        seen.setdefault((e.type, e.id), e)
    return tuple(seen.values())


def find_parties(text: str, authority: Authority) -> Parties:
    """All parties mentioned in ``text`` (title and body), in order of first mention."""
    linked = authority.mentions(text)
    taken = [(m.start, m.end) for m in linked]
    local = titled_persons(text, authority, taken)
    # a surname alone that matches a local person named in full joins that person
    by_surname = {p.entity.name.split()[-1]: p.entity for p in local if len(p.entity.name.split()) > 1}
    extra = [Mention(m.start(), m.end(), m.group(0), by_surname[m.group(0)], "surname")
             for m in re.finditer(r"\b(" + "|".join(map(re.escape, by_surname)) + r")\b", text)
             if by_surname and not any(s <= m.start() < e for s, e in taken + [(x.start, x.end) for x in local])
             ] if by_surname else []
    mentions = sorted(linked + local + extra, key=lambda m: (m.start, m.end))

    def of(type_: str) -> tuple[Entity, ...]:
        return _unique([m.entity for m in mentions if m.entity.type == type_])

    return Parties(persons=of("person"), organizations=of("organization"), countries=of("country"),
                   places=of("place"), mentions=tuple(mentions))
