"""A Statement as the JSON record of the ``extract --format json`` contract."""

from __future__ import annotations

from typing import Any

from .model import Entity, RecognitionAct, Statement

__all__ = ["to_record"]

_STANCE_FIELD = {
    ("recognized", False): "recognized",
    ("reaffirmed", False): "recognized",
    ("not_recognized", False): "not_recognized",
    ("withdrawn", False): "not_recognized",
    ("recognized", True): "third_party_recognitions",
    ("reaffirmed", True): "third_party_recognitions",
    ("not_recognized", True): "third_party_non_recognitions",
    ("withdrawn", True): "third_party_non_recognitions",
}


def _party(e: Entity) -> dict[str, Any]:
    return {"name": e.name, "wikidata": e.wikidata, "linked": e.linked}


def _act(act: RecognitionAct) -> dict[str, Any]:
    return {
        "government_or_person": act.recognized.name,
        "of_country": act.of_country.name if act.of_country else None,
        "wikidata": act.recognized.wikidata,
        "recognized_as": act.recognized_as,
        "stance": act.stance,
        "by": act.recognizing.name,
        "evidence": {"text": act.evidence.exact, "start": act.evidence.start, "end": act.evidence.end},
        "curated": act.curated,
    }


def to_record(statement: Statement) -> dict[str, Any]:
    """The contract record; extra keys (``missing``, ``third_party_*``, evidence) only add detail."""
    record: dict[str, Any] = {
        "source": statement.document.source,
        "title": statement.title,
        "kind": statement.kind,
        "speakers": [
            {"name": s.person.name if s.person else None, "office": s.office_label,
             "wikidata": s.person.wikidata if s.person else None}
            for s in statement.speakers
        ],
        "place": statement.place.name if statement.place else None,
        "date": statement.date,
        "issuing_country": statement.issuing_country.name if statement.issuing_country else None,
        "co_issuers": [c.name for c in statement.co_issuers],
        "recognized": [],
        "not_recognized": [],
        "third_party_recognitions": [],
        "third_party_non_recognitions": [],
        "persons": [_party(e) for e in statement.persons],
        "organizations": [_party(e) for e in statement.organizations],
        "countries": [_party(e) for e in statement.countries],
        "regions": [_party(e) for e in statement.regions],
        "sha256": statement.document.sha256,
        "missing": list(statement.missing),
        "curated": ({"by": statement.curation.curator, "date": statement.curation.date,
                     "fields": list(statement.curation.fields), "file": statement.curation.source}
                    if statement.curation else None),
    }
    for act in statement.acts:
        record[_STANCE_FIELD[(act.stance, act.reported)]].append(_act(act))
    return record
