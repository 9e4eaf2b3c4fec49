"""Recognition acts: who recognizes (or refuses to recognize) whom or what, as what, of which country.

Each sentence is read on its own, against a small set of cues:

- verbs: "recognizes … [as …]", "does not recognize", "will not accept the legitimacy of",
  "no longer recognizes" (withdrawn), "continues to recognize" / "continue to consider … as" (reaffirmed);
- legitimacy: "X is the only legitimate …" (recognized), "X is not the legitimate …" and the adjectives
  "illegitimate", "so-called", "sham", "purported", "fabricated", "staged" before a party or a claim
  (not recognized);
- implied titles and standing: "interim President Juan Guaidó", "the democratically elected National
  Assembly", a "sovereign, independent" state whose statehood is contested (recognized);
- territory: "Crimea is part of Ukraine" (the region is not recognized as separate from the state).

The object of a cue is a party right after it (only determiners and qualifiers in between), or else a
claim — a short noun phrase headed by "referendum", "annexation", "treaty", "regime", … — which
becomes a local, unlinked entity. Ordinary uses ("we recognize the importance of …",
"internationally recognized borders", "recognized Colombia's compassion") have no such object and
make no act. A sentence that reports another government's act ("We welcome the decision of the Lima
Group … not to recognize …") gives that government's act, marked as reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..iris import slugify
from ..model import Entity, RecognitionAct
from .linking import Authority, Mention
from .sentences import evidence, sentences

__all__ = ["find_acts"]

_RECOGNIZE = r"(?:recogni[sz](?:es|ed|ing|e)\b|accept(?:s|ed|ing)? the legitimacy of\b)"
_VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:no longer {_RECOGNIZE}|withdr[ae]w\w* (?:its |our |their )?recognition (?:of|from))", re.I),
     "withdrawn"),
    (re.compile(rf"\b(?:(?:does|do|did|will|would|shall|can|could|cannot|must)(?:n[o’']t| not)(?: \w+)? {_RECOGNIZE}"
                rf"|(?:continues?|continuing) not to {_RECOGNIZE}|refus\w* to {_RECOGNIZE}|never {_RECOGNIZE}"
                rf"|non-?recognition of)", re.I), "not_recognized"),
    (re.compile(rf"\b(?:continu\w* to (?:{_RECOGNIZE}|consider)|reaffirm\w* (?:its |our |their )?recognition of)",
                re.I), "reaffirmed"),
    (re.compile(rf"\b(?:{_RECOGNIZE}|recognition of)", re.I), "recognized"),
]
#: between a cue and its object only these words may stand
_GAP = re.compile(
    r"^[\s,“”\"]*(?:(?:the|a|an|its|their|this|these|so-called|illegitimate|sham|purported|former|interim|legitimate|constitutional|new|only|"
    r"government|regime|President|of|democratically|elected|democratically-elected|legitimacy|authority|"
    r"term|mandate|claim|rule|existence|independence|sovereignty|[12]\d\d\d|,)[\s“”\"]+)*$", re.I)
_NOT_OBJECT_AFTER = re.compile(r"^['’]s\s+(?!(?:so-called|illegitimate|sham|purported|attempted|unilateral|"
                               r"government|regime|annexation|referendum|independence|sovereignty|claim))")
_STATEHOOD_OF = re.compile(r"^['’]s\s+(?:independence|sovereignty|territorial integrity)\b")
_ILLEGITIMATE = re.compile(r"\b(?:illegitimate|so-called|sham|purported|fabricated|staged)\b", re.I)
_NOT_LEGITIMATE = re.compile(r"\b(?:is|are|was|remains?) not (?:the )?(?:legitimate|lawful|rightful)\b", re.I)
_LEGITIMATE = re.compile(r"\b(?:is|are|remains?|as) (?:the |its )?(?:only |sole |last )?(?:legitimate|rightful|"
                         r"lawful)\b", re.I)
_ELECTED = re.compile(r"\b(?:democratically[- ]elected|legitimately elected)\s+$", re.I)
_IMPLIED_TITLE = re.compile(r"\b(?P<title>[Ii]nterim President|[Ll]egitimate President)(?: of \w+)?\s+$")
_STATEHOOD = re.compile(r"\b(?:sovereign|independent)\b", re.I)
_PART_OF = re.compile(r"\b(?:is|are|remains?) (?:an |an integral |integral |a )?part of\s+$", re.I)
_THESE = re.compile(r"^(?:These|Those|Both) (?:regions|territories|areas)\b")
_REPORTING = re.compile(r"\b(?:welcome|welcomes|applaud|applauds|commend|commends|note|notes|noted|join|joins|"
                        r"decision|decided|announced|announcement|condemn|condemns)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:We|we|I|Our|our|Us)\b")
_CLAIM = re.compile(
    r"^[\s“”\"]*(?P<np>(?:(?:[A-Z][\w’'-]*['’]s|its|their)\s+)?(?:[\w’'-]+\s+){0,3}?[“\"]?"
    r"(?:referend(?:um|a)|annexation|treaty|agreement|elections?|vote|regime|government|administration|"
    r"authorities|assembly|Assembly|occupation|independence|declaration|claims?|results?|process|"
    r"inauguration|term)[”\"]?)", re.I)
_CLAIM_TRAIL = re.compile(r"^\s+(?:of|in|between|put in place by|held (?:by|in))\s+((?:the |Russia['’]s )?[A-Z][\w’'-]*"
                          r"(?:\s+(?:[A-Z][\w’'-]*|of|the))*)")
_LEADING = re.compile(r"^(?:the|this|that|these|its|their|our|a|an)\s+", re.I)


def _party(m: Mention) -> bool:
    return m.entity.type in ("person", "organization", "country", "region")


class _Sentence:
    """One sentence with its party mentions, and the acts it yields."""

    def __init__(self, text: str, start: int, end: int, mentions: list[Mention]) -> None:
        self.text, self.start, self.end = text, start, end
        self.inside = [m for m in mentions if start <= m.start and m.end <= end]

    def object_after(self, at: int, types: tuple[str, ...] = ("person", "organization", "country", "region"),
                     possessive_ok: bool = False) -> Mention | None:
        for m in self.inside:
            if m.start < at or m.entity.type not in types or m.via == "demonym":
                continue
            if not _GAP.match(self.text[at:m.start]):
                return None
            after = self.text[m.end:self.end]
            if not possessive_ok and _NOT_OBJECT_AFTER.match(after):
                return None  # "recognized Colombia's compassion": the object is the possessed thing
            if _STATEHOOD_OF.match(after) and not m.entity.contested:
                return None  # "recognize Ukraine's sovereignty": an undisputed state, no recognition act
            return m
        return None

    def claims_after(self, at: int) -> list[Entity]:
        """Claims named right after ``at``: "Russia's “referendum” … or its attempted annexation of Crimea"."""
        claims: list[Entity] = []
        while True:
            m = _CLAIM.match(self.text[at:self.end])
            if not m:
                return claims
            np, at = m.group("np"), at + m.end()
            trail = _CLAIM_TRAIL.match(self.text[at:self.end])
            if trail and len(trail.group(0)) < 60:
                np, at = np + trail.group(0).rstrip(), at + len(trail.group(0).rstrip())
            np = _LEADING.sub("", re.sub(r"[“”\"]", "", np).strip()).strip(",;: ")  # scare quotes dropped
            if 0 < len(np.split()) <= 12:
                claims.append(Entity(id=slugify(np), type="claim", name=np, linked=False))
            more = re.match(r"^[^.;]{0,20}?,?\s+(?:or|and)\s+", self.text[at:self.end])
            if not more:
                return claims
            at += more.end()


def find_acts(text: str, mentions: Iterable[Mention], issuer: Entity | None,
              authority: Authority) -> list[RecognitionAct]:
    """The recognition acts stated in ``text`` (the statement body), deduplicated, in text order."""
    ms = sorted((m for m in mentions if _party(m)), key=lambda m: (m.start, -m.end))
    acts: list[RecognitionAct] = []
    seen: set[tuple[str, str, str, bool]] = set()
    regions_so_far: list[Mention] = []

    def add(stance: str, s: _Sentence, obj: Entity, obj_end: int, as_: str | None, cue: int) -> None:
        recognizer, reported = _recognizer(text, s, obj, ms, issuer, cue)
        if recognizer is None or recognizer == obj:
            return
        positive = stance in ("recognized", "reaffirmed")
        key = (str(positive), f"{obj.type}/{obj.id}", recognizer.id, reported)
        if key in seen:
            return
        seen.add(key)
        acts.append(RecognitionAct(stance=stance, recognizing=recognizer, recognized=obj,
                                   of_country=_of_country(text, s, obj, obj_end, issuer, authority),
                                   recognized_as=as_, evidence=evidence(text, s.start, s.end), reported=reported))

    for start, end in sentences(text):
        s = _Sentence(text, start, end, ms)
        sentence = text[start:end]
        for pattern, stance in _VERBS:
            v = pattern.search(sentence)
            if not v:
                continue
            vend = start + v.end()
            obj = s.object_after(vend)
            a = None
            if obj is not None:
                a = re.match(r"^[^.;]*?\bas (?:the |its |a |an |their )?(?P<as>[A-Za-z -]+?)(?= of\b|[,.;]|$)",
                             text[obj.end:end])
                add(stance, s, obj.entity, obj.end, a.group("as").strip() if a else None, start + v.start())
            elif stance != "recognized" or re.search(r"recognition of", v.group(0)):
                for claim in s.claims_after(vend):
                    add(stance, s, claim, vend, None, start + v.start())
            break
        for adj in _ILLEGITIMATE.finditer(sentence):
            aend = start + adj.end()
            obj = s.object_after(aend, ("person", "organization"), possessive_ok=True)
            if obj is not None:
                add("not_recognized", s, obj.entity, obj.end, None, start + adj.start())
                continue
            for claim in s.claims_after(aend)[:1]:
                add("not_recognized", s, claim, aend, None, start + adj.start())
        _predicates(s, add)
        _implied(s, add, regions_so_far, authority)
        regions_so_far.extend(m for m in s.inside if m.entity.type == "region")
    return acts


def _predicates(s: _Sentence, add) -> None:  # type: ignore[no-untyped-def]
    """"X is not the legitimate …" and "X is the only legitimate …"."""
    sentence = s.text[s.start:s.end]
    n = _NOT_LEGITIMATE.search(sentence)
    if n:
        before = [m for m in s.inside if m.end <= s.start + n.start() and m.entity.type in ("person", "organization")]
        if before:
            add("not_recognized", s, before[-1].entity, before[-1].end, None, s.start + n.start())
        return
    pos = _LEGITIMATE.search(sentence)
    if pos:
        before = [m for m in s.inside if m.end <= s.start + pos.start() and m.entity.type in ("person", "organization")]
        if before and s.start + pos.start() - before[-1].end < 40:
            add("recognized", s, before[-1].entity, before[-1].end, None, s.start + pos.start())


def _implied(s: _Sentence, add, regions_so_far: list[Mention], authority: Authority) -> None:  # type: ignore[no-untyped-def]
    """Titles, democratic standing, contested statehood, and "… is part of <country>"."""
    text = s.text
    for m in s.inside:
        before = text[max(s.start, m.start - 40):m.start]
        title = _IMPLIED_TITLE.search(before)
        if title and m.entity.type == "person":
            t = title.group("title")
            add("recognized", s, m.entity, m.end, t[0].lower() + t[1:], m.start)
        elif _ELECTED.search(before) and m.entity.type == "organization":
            add("recognized", s, m.entity, m.end, "democratically elected", m.start)
        elif m.entity.type == "country" and m.entity.contested and m.via != "demonym":
            window = text[max(s.start, m.start - 60):min(s.end, m.end + 60)]
            if _STATEHOOD.search(window):
                add("recognized", s, m.entity, m.end, "sovereign, independent state", m.start)
        elif m.entity.type == "country" and _PART_OF.search(text[s.start:m.start]):
            subject = [r for r in s.inside if r.entity.type == "region" and r.end <= m.start]
            if not subject and _THESE.match(text[s.start:s.end]):
                subject = regions_so_far[-2:]
            for r in subject:
                add("not_recognized", s, r.entity, m.end, "state separate from " + m.entity.name, m.start)


def _recognizer(text: str, s: _Sentence, obj: Entity, ms: list[Mention], issuer: Entity | None,
                at: int) -> tuple[Entity | None, bool]:
    """The issuer, or a third party whose act the sentence reports."""
    pre = text[s.start:at]
    others = [m for m in s.inside if m.end <= at and m.entity.type in ("country", "organization")
              and m.entity != issuer and m.entity != obj and m.via != "demonym"
              and not (obj.country and m.entity.iso2 == obj.country)]
    if others and (_REPORTING.search(pre) or not _FIRST_PERSON.search(pre)):
        issuer_named = any(m.entity == issuer for m in s.inside if m.end <= at)
        if not issuer_named or _REPORTING.search(pre):
            return others[0].entity, True
    return issuer, False


def _of_country(text: str, s: _Sentence, obj: Entity, obj_end: int, issuer: Entity | None,
                authority: Authority) -> Entity | None:
    """The country in respect of which: "… of Venezuela" after the object, else the object's own."""
    following = [m for m in s.inside if obj_end <= m.start and m.entity.type == "country"]
    for m in following:
        if re.fullmatch(r"[^.;]*?\b(?:of|in) (?:the )?", text[obj_end:m.start]) and m.start - obj_end < 60:
            return m.entity
    if obj.type == "country":
        return obj
    if obj.country:
        return authority.country(obj.country)
    regions = [m.entity for m in s.inside if m.entity.type == "region" and m.entity.country]
    if regions:
        return authority.country(regions[0].country)
    near = [m.entity for m in s.inside if m.entity.type == "country" and m.entity != issuer]
    return near[0] if near else None
