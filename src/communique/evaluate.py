"""Score the extractor against hand-annotated ``*.truth.json`` files.

``evaluate(truth_dir)`` extracts the statement beside every truth file and compares the record
field by field: the scalar fields (title, kind, place, date) score one hit per statement when they
agree after normalization, the list fields (speakers, recognitions, persons, organizations,
countries) are matched greedily one-to-one. Names are compared after folding accents, case,
punctuation and common aliases, or by the overlap of their content words. A statement that cannot
be extracted scores as an empty record and is listed in :attr:`Evaluation.failures`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DocumentError, UsageError
from .extract import load_authority
from .ingest import READERS
from .pipeline import extract_file
from .record import to_record

__all__ = ["SCALAR_FIELDS", "LIST_FIELDS", "FIELDS", "FieldScore", "Evaluation", "Extractor", "evaluate",
           "score_record", "normalize", "same_name", "format_table"]

SCALAR_FIELDS = ("title", "kind", "place", "date")
LIST_FIELDS = ("speakers", "recognized", "not_recognized", "persons", "organizations", "countries")
FIELDS = SCALAR_FIELDS + LIST_FIELDS

_STOP_WORDS = frozenset(
    "the of and a an de la el del regime government interim president former illegitimate so "
    "called mr mrs ms dr his her excellency secretary minister foreign acting".split())
_ALIASES = {
    "us": "united states", "u s": "united states", "usa": "united states", "u s a": "united states",
    "america": "united states", "united states of america": "united states",
    "uk": "united kingdom", "u k": "united kingdom", "britain": "united kingdom",
    "great britain": "united kingdom", "eu": "european union", "e u": "european union",
    "un": "united nations", "u n": "united nations", "oas": "organization of american states",
    "russian federation": "russia", "dprk": "north korea", "prc": "china",
    "people s republic of china": "china", "republic of korea": "south korea", "rok": "south korea",
    "burma": "myanmar",
}
_TITLE_PREFIX = re.compile(r"^press releases? ")


@dataclass(frozen=True)
class FieldScore:
    """Counts of one field over the whole set, and the scores they give."""

    hits: int = 0
    predicted: int = 0
    truth: int = 0

    @property
    def precision(self) -> float:
        if not self.predicted:
            return 1.0 if not self.truth else 0.0
        return self.hits / self.predicted

    @property
    def recall(self) -> float:
        if not self.truth:
            return 1.0 if not self.predicted else 0.0
        return self.hits / self.truth

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(self.hits + other.hits, self.predicted + other.predicted,
                          self.truth + other.truth)

    def as_dict(self) -> dict[str, float | int]:
        return {"hits": self.hits, "predicted": self.predicted, "truth": self.truth,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class Evaluation:
    """The scores of one run: per field, their macro average, and what went wrong."""

    statements: tuple[str, ...]  #: stems of the scored statements, sorted
    scores: Mapping[str, FieldScore]  #: field → counts, in the order of FIELDS
    misses: list[str]  #: "stem: field: expected …, got …"
    failures: list[str]  #: "stem: problem" for statements that could not be extracted

    @property
    def overall_f1(self) -> float:
        return sum(self.scores[f].f1 for f in FIELDS) / len(FIELDS)

    def as_dict(self) -> dict[str, Any]:
        return {"statements": len(self.statements), "overall_f1": self.overall_f1,
                "fields": {f: self.scores[f].as_dict() for f in FIELDS},
                "failures": list(self.failures)}


def normalize(text: object, *, title: bool = False) -> str:
    """Accents and case folded, punctuation to spaces, whitespace collapsed, aliases resolved."""
    s = unicodedata.normalize("NFKD", "" if text is None else str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"[\W_]+", " ", s).strip()
    if title:
        s = _TITLE_PREFIX.sub("", s)
    return _ALIASES.get(s, s)


def _content_tokens(norm: str) -> set[str]:
    return {t for t in norm.split() if len(t) > 1 and t not in _STOP_WORDS}


def same_name(a: object, b: object) -> bool:
    """Equal after normalization, or enough shared content words (all of the shorter, or ≥2 and ≥60%)."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    ta, tb = _content_tokens(na), _content_tokens(nb)
    if not ta or not tb:
        return False
    shared, shorter = len(ta & tb), min(len(ta), len(tb))
    return shared == shorter or (shared >= 2 and shared / shorter >= 0.6)


def _same_scalar(field: str, truth: object, pred: object) -> bool:
    if truth in (None, "") and pred in (None, ""):
        return True
    if field == "date":
        return str(truth or "").strip() == str(pred or "").strip()
    if field == "place":
        return (re.sub(r"\bd c\b", "dc", normalize(truth))
                == re.sub(r"\bd c\b", "dc", normalize(pred)))
    return normalize(truth, title=field == "title") == normalize(pred, title=field == "title")


def _key(item: object) -> str:
    """The name an item is matched by: a string, or a dict's name (a speaker's office if unnamed)."""
    if isinstance(item, dict):
        for k in ("name", "government_or_person", "office", "label"):
            if item.get(k):
                return str(item[k])
        return ""
    return "" if item is None else str(item)


def _items(record: Mapping[str, Any], field: str) -> list[Any]:
    value = record.get(field) or []
    items = list(value) if isinstance(value, list) else [value]
    if field == "persons":  # speakers are persons too, on both sides
        named = [s for s in record.get("speakers") or [] if not isinstance(s, dict) or s.get("name")]
        unique: list[Any] = []
        for item in items + named:
            if not any(same_name(_key(item), _key(u)) for u in unique):
                unique.append(item)
        items = unique
    return items


def _item_match(field: str, truth: object, pred: object) -> bool:
    if not same_name(_key(truth), _key(pred)):
        return False
    if field in ("recognized", "not_recognized") and isinstance(truth, dict) and isinstance(pred, dict):
        tc, pc = truth.get("of_country"), pred.get("of_country")
        return not (tc and pc) or same_name(tc, pc)
    return True


def _greedy_hits(field: str, truth: list[Any], pred: list[Any]) -> int:
    free = list(range(len(pred)))
    for t in truth:
        j = next((i for i in free if _item_match(field, t, pred[i])), None)
        if j is not None:
            free.remove(j)
    return len(pred) - len(free)


def score_record(stem: str, truth: Mapping[str, Any], pred: Mapping[str, Any]
                 ) -> tuple[dict[str, FieldScore], list[str]]:
    """Field counts and misses of one statement."""
    scores: dict[str, FieldScore] = {}
    misses: list[str] = []
    for f in SCALAR_FIELDS:
        t, p = truth.get(f), pred.get(f)
        hit = _same_scalar(f, t, p)
        scores[f] = FieldScore(int(hit), 1, 1)
        if not hit:
            misses.append(f"{stem}: {f}: expected {t!r}, got {p!r}")
    for f in LIST_FIELDS:
        ts, ps = _items(truth, f), _items(pred, f)
        hits = _greedy_hits(f, ts, ps)
        scores[f] = FieldScore(hits, len(ps), len(ts))
        if hits < max(len(ts), len(ps)):
            misses.append(f"{stem}: {f}: expected {[_key(x) for x in ts]}, got {[_key(x) for x in ps]}")
    return scores, misses


def _statement_file(truth_file: Path, stem: str) -> Path | None:
    found = sorted(p for p in truth_file.parent.iterdir() if p.is_file() and p.stem == stem
                   and p.suffix.lower() in READERS)
    return found[0] if found else None


Extractor = Callable[[Path], Mapping[str, Any]]


def evaluate(truth_dir: Path, extractor: Extractor | None = None) -> Evaluation:
    """Extract and score every statement of ``truth_dir`` that has a ``<stem>.truth.json``.

    ``extractor`` turns a statement file into a record (default: the project's extractor); a
    DocumentError it raises marks that statement as failed. Raises UsageError when the folder
    holds no truth file.
    """
    truth_dir = Path(truth_dir)
    truth_files = sorted(truth_dir.glob("*.truth.json")) if truth_dir.is_dir() else []
    if not truth_files:
        raise UsageError(f"{truth_dir}: no *.truth.json files found")
    if extractor is None:
        authority = load_authority()

        def project_extractor(path: Path) -> Mapping[str, Any]:
            return to_record(extract_file(path, authority))

        extractor = project_extractor
    totals = {f: FieldScore() for f in FIELDS}
    stems: list[str] = []
    misses: list[str] = []
    failures: list[str] = []
    for truth_file in truth_files:
        stem = truth_file.name[: -len(".truth.json")]
        try:
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            failures.append(f"{stem}: truth file cannot be read: {exc}")
            continue
        if not isinstance(truth, dict):
            failures.append(f"{stem}: truth file is not a JSON object")
            continue
        pred: dict[str, Any] = {}
        source = _statement_file(truth_file, stem)
        if source is None:
            failures.append(f"{stem}: no statement file ({', '.join(sorted(READERS))})")
        else:
            try:
                pred = dict(extractor(source))
            except DocumentError as exc:
                failures.append(f"{stem}: {exc.problem}")
        scores, statement_misses = score_record(stem, truth, pred)
        totals = {f: totals[f] + scores[f] for f in FIELDS}
        misses.extend(statement_misses)
        stems.append(stem)
    return Evaluation(tuple(stems), totals, misses, failures)


def format_table(ev: Evaluation) -> str:
    """Per-field precision, recall and F1; the last line is ``overall F1: 0.XXX``."""
    lines = [f"{'field':<16}{'precision':>10}{'recall':>8}{'F1':>8}   (n={len(ev.statements)} statements)"]
    for f in FIELDS:
        s = ev.scores[f]
        lines.append(f"{f:<16}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>8.3f}")
    lines.append(f"overall F1: {ev.overall_f1:.3f}")
    return "\n".join(lines)
