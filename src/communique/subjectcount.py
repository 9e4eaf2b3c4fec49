"""The number of distinct subjects of a store, kept as named graphs come and go.

The description of the dataset says how many distinct subjects the store has (``void:distinctSubjects``).
Counting them reads every quad (~18 s at 100,000 statements); ``build`` instead keeps the number
beside its state (``{store}.counts.json``, with the SHA-256 of the state file it is true of — the
state file itself, whose digest says what the store is made of, does not change with it) and,
when a build changes few graphs, changes it by what those graphs brought and took: a subject of a
changed graph counts before (after) the change when some changed graph had (has) it as a subject,
or some unchanged graph has it — which the store's subject index tells at once.

A build from empty, or one that changes more than :data:`LIMIT` graphs, leaves the number unknown:
the publication then counts the store, and ``build`` keeps that count beside its state for the
next build (see :func:`read_known` and :func:`write_known`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from .store import GraphStore

__all__ = ["LIMIT", "SubjectCount", "counts_path", "read_known", "write_known"]

#: changed graphs past which the number is left to a count of the whole store
LIMIT = 5000

Subject = ox.NamedNode | ox.BlankNode


class SubjectCount:
    """The distinct subjects of ``store``, from ``known`` (None: unknown) as graphs change. Call
    :meth:`touch` with a graph's name before it is removed, replaced or loaded; :meth:`result`
    once every change is made."""

    def __init__(self, store: GraphStore, known: int | None) -> None:
        self._store = store
        self._known = known
        self._changed: set[str] = set()
        self._before: set[Subject] = set()  #: the subjects of the changed graphs before the change

    def touch(self, name: str) -> None:
        """Graph ``name`` is about to change (its subjects are taken now, the first time)."""
        if self._known is None or name in self._changed:
            return
        if len(self._changed) >= LIMIT:
            self._known, self._before = None, set()
            return
        self._changed.add(name)
        self._before |= self._store.subjects(name)

    def result(self) -> int | None:
        """The distinct subjects of the store now (None: unknown)."""
        if self._known is None:
            return None
        after: set[Subject] = set()
        for name in self._changed:
            after |= self._store.subjects(name)
        count = self._known
        for subject in self._before ^ after:  # (a subject in both counts before and after alike)
            if self._store.subject_outside(subject, self._changed):
                continue  # an unchanged graph has it: it counts before and after
            count += 1 if subject in after else -1
        return count


def counts_path(state_path: Path) -> Path:
    """Where the count of a store's subjects made by a publication is kept, beside its state."""
    return state_path.with_name(state_path.name.removesuffix(".state.json") + ".counts.json")


def read_known(state_path: Path, state_text: str) -> int | None:
    """The distinct subjects counted for the store whose state file reads ``state_text`` (None:
    none was, or for another state)."""
    path = counts_path(state_path)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("state") != _digest(state_text):
        return None
    subjects = kept.get("subjects")
    return subjects if isinstance(subjects, int) and not isinstance(subjects, bool) and subjects >= 0 else None


def write_known(state_path: Path, state_text: str, subjects: int) -> None:
    """Keep ``subjects``, counted for the store whose state file reads ``state_text``."""
    text = json.dumps({"state": _digest(state_text), "subjects": subjects}, sort_keys=True) + "\n"
    counts_path(state_path).write_text(text, encoding="utf-8")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
