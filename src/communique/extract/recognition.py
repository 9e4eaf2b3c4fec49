"""Recognition acts: who recognizes (or refuses to recognize) whom, as what, of which country.

Each sentence is read on its own. Explicit wording ("does not recognize", "recognizes … as",
"the only legitimate …", "illegitimate … regime", "no longer recognizes", "continues to
recognize") and the implied use of a contested title ("interim President Juan Guaidó") make an
act; ordinary uses ("we recognize the importance of …", "internationally recognized borders") do
not, because an act needs a party as the object right after the verb. A sentence that reports
another government's act ("We welcome the decision of Germany … to recognize …") gives that
government's act, marked as reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Entity, RecognitionAct
from .linking import Authority, Mention
from .sentences import evidence, sentences

__all__ = ["find_acts"]

_RECOGNIZE = r"recogni[sz](?:e|es|ed|ing)"
_VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:no longer {_RECOGNIZE}|withdr[ae]w\w* (?:its |our |their )?recognition of)\b", re.I), "withdrawn"),
    (re.compile(rf"\b(?:(?:does|do|did|will|would|shall|can|could|cannot|must)(?:n[o’']t| not)(?: \w+)? {_RECOGNIZE}"
                rf"|refus\w* to {_RECOGNIZE}|never {_RECOGNIZE}|not be {_RECOGNIZE}|non-?recognition of)\b", re.I),
     "not_recognized"),
    (re.compile(rf"\b(?:continu\w* to {_RECOGNIZE}|reaffirm\w* (?:its |our |their )?recognition of)\b", re.I), "reaffirmed"),
    (re.compile(rf"\b(?:{_RECOGNIZE}|recognition of)\b", re.I), "recognized"),
]
#: between the verb and its object only these words may stand
_OBJECT_GAP = re.compile(
    r"^[\s,]*(?:(?:the|a|its|their|so-called|interim|legitimate|constitutional|new|only|government|regime|"
    r"President|of|democratically|elected|legitimacy|authority|term|mandate|claim|rule|,)\s+)*$")
_AS = re.compile(r"^[^.;]*?\bas (?:the |its |a |an |their )?(?P<as>(?:only )?(?:legitimate |interim |constitutional |"
                 r"rightful |democratically elected )*[A-Za-z -]+?)(?= of\b|[,.;]|$)")
_ILLEGITIMATE = re.compile(r"\b(?:illegitimate|so-called|sham|fraudulent|unconstitutional)\b", re.I)
_NOT_LEGITIMATE = re.compile(r"\b(?:is|are|was|remains?) not (?:the )?(?:legitimate|lawful|rightful)\b", re.I)
_LEGITIMATE = re.compile(r"\b(?:only |sole )?(?:legitimate|rightful|lawful)(?: and [a-z]+)? (?:interim )?"
                         r"(?:President|government|leader|authority|head of state)\b", re.I)
_IMPLIED_TITLE = re.compile(r"\b(?P<title>[Ii]nterim President|[Ll]egitimate President)(?: of \w+)?\s+$")
_REPORTING = re.compile(r"\b(?:welcome|welcomes|applaud|applauds|commend|commends|note|notes|noted|join|joins|"
                        r"decision|decided|announced|announcement)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:We|we|I|Our|our|Us)\b")


def _party(m: Mention) -> bool:
    return m.entity.type in ("person", "organization", "country")


def find_acts(text: str, mentions: Iterable[Mention], issuer: Entity | None,
              authority: Authority) -> list[RecognitionAct]:
    """The recognition acts stated in ``text`` (the statement body), deduplicated, in text order."""
    ms = sorted((m for m in mentions if _party(m)), key=lambda m: m.start)
    acts: list[RecognitionAct] = []
    seen: set[tuple[str, str, str, bool]] = set()

    def add(stance: str, start: int, end: int, obj: Mention, as_: str | None, after: int) -> None:
        recognizer, reported = _recognizer(text, start, obj, ms, issuer, after)
        if recognizer is None or recognizer == obj.entity:
            return
        key = (stance, obj.entity.type + "/" + obj.entity.id, recognizer.id, reported)
        if key in seen:
            return
        seen.add(key)
        acts.append(RecognitionAct(stance=stance, recognizing=recognizer, recognized=obj.entity,
                                   of_country=_of_country(text, obj, ms, issuer, end, authority),
                                   recognized_as=as_, evidence=evidence(text, start, end), reported=reported))

    for start, end in sentences(text):
        sentence = text[start:end]
        inside = [m for m in ms if start <= m.start and m.end <= end]
        for pattern, stance in _VERBS:
            v = pattern.search(sentence)
            if not v:
                continue
            vend = start + v.end()
            obj = next((m for m in inside if m.start >= vend and _OBJECT_GAP.match(text[vend:m.start])), None)
            if obj is not None:
                a = _AS.match(text[obj.end:end])
                add(stance, start, end, obj, a.group("as").strip() if a else None, start + v.start())
            break
        for neg in _ILLEGITIMATE.finditer(sentence):
            nend = start + neg.end()
            obj = next((m for m in inside if m.start >= nend and _OBJECT_GAP.match(text[nend:m.start])
                        and m.entity.type != "country"), None)
            if obj is not None:
                add("not_recognized", start, end, obj, None, start + neg.start())
        n = _NOT_LEGITIMATE.search(sentence)
        if n:
            before = [m for m in inside if m.end <= start + n.start() and m.entity.type != "country"]
            if before:
                add("not_recognized", start, end, before[-1], None, start + n.start())
        pos = _LEGITIMATE.search(sentence)
        if pos and not n:
            near = [m for m in inside if m.entity.type != "country"]
            if near:
                closest = min(near, key=lambda m: abs(m.start - (start + pos.start())))
                add("recognized", start, end, closest, pos.group(0), start + pos.start())
        for m in inside:
            title = _IMPLIED_TITLE.search(text[max(start, m.start - 40):m.start])
            if title and m.entity.type == "person":
                add("recognized", start, end, m, title.group("title")[0].lower() + title.group("title")[1:],
                    m.start)
    return acts


def _recognizer(text: str, start: int, obj: Mention, ms: list[Mention], issuer: Entity | None,
                at: int) -> tuple[Entity | None, bool]:
    """The issuer, or a third party whose act the sentence reports."""
    pre = text[start:at]
    others = [m for m in ms if start <= m.start and m.end <= at and m.entity.type in ("country", "organization")
              and m.entity != issuer and m.entity != obj.entity and m.via != "demonym"]
    if others and (_REPORTING.search(pre) or not _FIRST_PERSON.search(pre)):
        issuer_named = any(m.entity == issuer for m in ms if start <= m.start and m.end <= at)
        if not issuer_named or _REPORTING.search(pre):
            return others[0].entity, True
    return issuer, False


def _of_country(text: str, obj: Mention, ms: list[Mention], issuer: Entity | None, end: int,
                authority: Authority) -> Entity | None:
    """The country in respect of which: "… of Venezuela" after the object, else the object's own."""
    following = [m for m in ms if obj.end <= m.start < end and m.entity.type == "country"]
    for m in following:
        if re.fullmatch(r"[^.;]*?\bof (?:the )?", text[obj.end:m.start]) and m.start - obj.end < 60:
            return m.entity
    if obj.entity.type == "country":
        return obj.entity
    if obj.entity.country:
        return authority.country(obj.entity.country)
    return following[0].entity if following and following[0].entity != issuer else None
