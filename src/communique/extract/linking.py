"""The authority file and the gazetteer that links names in text to its entities.

Files in ``data/authorities/`` (see its README): ``countries.csv``, ``entities.csv`` (people,
organisations, offices), ``places.csv`` (datelines), ``regions.csv`` (regions and territories) and
``tenures.csv``. Aliases are matched case-sensitively
as whole words, longest first; an alias listed under ``requires_country`` as ``ALIAS@XX`` counts
only when country XX is also mentioned in the same document.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import AuthorityError
from ..iris import slugify
from ..model import Entity
from ..resources import authorities_dir

__all__ = ["Authority", "Mention", "load_authority"]


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity's name in a text."""

    start: int
    end: int
    surface: str
    entity: Entity
    via: str  #: name | alias | demonym
    requires: str | None = None  #: ISO code of a country that must also be mentioned


@dataclass(frozen=True)
class Tenure:
    person: str
    office: str
    start: str
    end: str | None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (cell or "").split(";") if a.strip())


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    except OSError as exc:
        raise AuthorityError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    except csv.Error as exc:
        raise AuthorityError(f"{path}: malformed CSV: {exc}") from exc


def _trie(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, as a trie: at each position the engine
    follows one branch per character instead of trying a thousand names in turn. Longer names are
    tried first (greedy), so the match at a position is the longest name that also satisfies what
    follows the pattern — as with an alternation sorted longest first."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer ones first, then this one
            return "(?:" + body + ")?"
        return body

    return "(?:" + pattern(root) + ")"


class Authority:
    """People, organisations, offices, countries and places, with a gazetteer over their names."""

    def __init__(self, entities: Iterable[Entity], tenures: Iterable[Tenure] = (),
                 conditional: dict[str, list[tuple[Entity, str]]] | None = None,
                 demonyms: dict[str, Entity] | None = None) -> None:
        self.entities: dict[tuple[str, str], Entity] = {}
        for e in entities:
            key = (e.type, e.id)
            if key in self.entities:
                raise AuthorityError(f"duplicate authority id {e.type}/{e.id}")
            self.entities[key] = e
        self.by_iso2 = {e.iso2: e for e in self.entities.values() if e.type == "country" and e.iso2}
        self.tenures = tuple(tenures)
        self._names: dict[str, tuple[Entity, str, str | None]] = {}
        for e in sorted(self.entities.values(), key=lambda x: (x.type, x.id)):
            for surface, via in [(e.name, "name")] + [(a, "alias") for a in e.aliases]:
                self._names.setdefault(surface, (e, via, None))
        for surface, e in (demonyms or {}).items():
            self._names.setdefault(surface, (e, "demonym", None))
        self._conditional = {k: v for k, v in (conditional or {}).items() if k not in self._names}
        for surface, candidates in self._conditional.items():
            self._names[surface] = (candidates[0][0], "alias", candidates[0][1])
        self._folded = {k.casefold(): v for k, v in sorted(self._names.items(), reverse=True)}
        alternatives = sorted(self._names, key=lambda s: (-len(s), s))
        countries = [a for a in alternatives if self._names[a][0].type == "country" and self._names[a][1] != "demonym"]
        self._country_pattern = re.compile(r"(?<![\w&])" + _trie(countries) + r"(?![\w&])") if countries else None
        self._pattern = re.compile(r"(?<![\w&])" + _trie(alternatives) + r"(?![\w&])") if alternatives else None

    # -- lookups ---------------------------------------------------------------------------
    def get(self, type_: str, id_: str) -> Entity | None:
        return self.entities.get((type_, id_))

    def country(self, iso2: str | None) -> Entity | None:
        return self.by_iso2.get(iso2) if iso2 else None

    def lookup(self, surface: str, types: tuple[str, ...] | None = None, fold: bool = False) -> Entity | None:
        """The entity whose name or alias is exactly ``surface`` (of one of ``types``); ``fold``
        also accepts a different letter case ("U.S. STATE DEPARTMENT")."""
        hit = self._names.get(surface.strip())
        if hit is None and fold:
            hit = self._folded.get(surface.strip().casefold())
        if hit and (types is None or hit[0].type in types):
            return hit[0]
        return None

    def office_held(self, person: Entity, date: str | None) -> Entity | None:
        """The office ``person`` held on ``date`` according to the tenure table."""
        if not date:
            return None
        for t in self.tenures:
            if t.person == person.id and t.start[: len(date)] <= date and (not t.end or date <= t.end):
                return self.get("office", t.office)
        return None

    # -- the gazetteer ---------------------------------------------------------------------
    def _nested_countries(self, surface: str, offset: int) -> list[Mention]:
        """Countries named inside a longer name ("National Assembly of Venezuela" names Venezuela).

        Demonyms inside names do not count: the "Organization of American States" is not about the
        United States.
        """
        if self._country_pattern is None:
            return []
        return [Mention(offset + m.start(), offset + m.end(), m.group(0), self._names[m.group(0)][0], "nested")
                for m in self._country_pattern.finditer(surface)]

    def _nested_in_office(self, surface: str, offset: int) -> list[Mention]:
        """Organisations and countries named inside an office ("Speaker of the Council of Representatives")."""
        nested: list[Mention] = []
        k = 0
        while k < len(surface):
            m = self._pattern.match(surface, k) if surface[k].isupper() and (k == 0 or not surface[k - 1].isalnum()) else None  # type: ignore[union-attr]
            if m and m.group(0) != surface and self._names[m.group(0)][0].type in ("organization", "country"):
                entity, via, requires = self._names[m.group(0)]
                nested.append(Mention(offset + m.start(), offset + m.end(), m.group(0), entity, via, requires))
                k = m.end()
            else:
                k += 1
        return nested

    def mentions(self, text: str) -> list[Mention]:
        """Every entity name in ``text``, leftmost-longest, conditional aliases resolved."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            entity, via, requires = self._names[m.group(0)]
            for candidate, iso in self._conditional.get(m.group(0), [(entity, requires)]):
                found.append(Mention(m.start(), m.end(), m.group(0), candidate, via, iso))
            if entity.type == "office":
                found.extend(self._nested_in_office(m.group(0), m.start()))
            elif entity.type != "country":
                found.extend(self._nested_countries(m.group(0), m.start()))
        present = {m.entity.iso2 for m in found if m.entity.type == "country"}
        present |= {m.entity.country for m in found if m.entity.type != "country" and not m.requires}
        kept: list[Mention] = []
        for m in found:  # of a conditional alias's candidates, the first whose country is present
            if m.requires is None or (m.requires in present and not (kept and kept[-1].start == m.start
                                                                      and kept[-1].requires)):
                kept.append(m)
        return kept


def _country_entity(row: dict[str, str]) -> Entity:
    return Entity(
        id=slugify(row["name"]), type="country", name=row["name"], aliases=_split(row.get("aliases")),
        wikidata=row.get("wikidata") or None, geonames=row.get("geonames") or None,
        iso2=row["iso2"], country=row["iso2"], sovereign=row.get("sovereign", "").lower() == "yes",
        contested=row.get("statehood", "").lower() == "contested",
    )


@cache
def load_authority(directory: Path | None = None) -> Authority:
    """Load the authority file (cached per directory)."""
    d = directory or authorities_dir()
    entities: list[Entity] = []
    demonyms: dict[str, Entity] = {}
    conditional: dict[str, list[tuple[Entity, str]]] = {}
    for row in _rows(d / "countries.csv"):
        e = _country_entity(row)
        entities.append(e)
        for dem in _split(row.get("demonyms")):
            demonyms.setdefault(dem, e)
    for row in _rows(d / "entities.csv"):
        if row.get("type") not in ("person", "organization", "office"):
            raise AuthorityError(f"{d / 'entities.csv'}: unknown type {row.get('type')!r} for {row.get('id')!r}")
        e = Entity(
            id=row["id"], type=row["type"], name=row["name"], aliases=_split(row.get("aliases")),
            country=row.get("country") or None, org_type=row.get("org_type") or None,
            post_in=row.get("post_in") or None, wikidata=row.get("wikidata") or None,
            dbpedia=row.get("dbpedia") or None,
        )
        entities.append(e)
        for cond in _split(row.get("requires_country")):
            alias, _, iso = cond.rpartition("@")
            if not alias or not iso:
                raise AuthorityError(f"{d / 'entities.csv'}: bad requires_country {cond!r} for {e.id}")
            conditional.setdefault(alias, []).append((e, iso))
    for filename, type_ in (("places.csv", "place"), ("regions.csv", "region")):
        if (d / filename).exists():
            for row in _rows(d / filename):
                entities.append(Entity(id=row["id"], type=type_, name=row["name"],
                                       aliases=_split(row.get("aliases")), country=row.get("country") or None))
    tenures_path = d / "tenures.csv"
    tenures = [Tenure(r["person"], r["office"], r["start"], r.get("end") or None)
               for r in _rows(tenures_path)] if tenures_path.exists() else []
    return Authority(entities, tenures, conditional, demonyms)
