"""Pages kept between publications: a page is rendered again only when what it shows changed.

A page is the rendering of a template with a context; :class:`PageRecord` digests the template's
name, the page's path and the whole context (its values taken apart down to strings and numbers:
dataclasses field by field, sets and dicts in sorted order, RDF terms with their kind) and asks the
record (:class:`~.reuse.Reuse`, table ``documents``) whether the page on disk was rendered from
the same digest and is as it was written. The templates, their globals and the code are not in the
digest: the record is started afresh when the code changes (:func:`~.reuse.code_digest`).

A value of a kind the digest does not know raises :class:`TypeError`: a page whose inputs could not
be compared must not be kept. A statement's summary is digested once, when its piece is made
(:func:`seal`), and the digest travels with it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from rdflib.term import Identifier

from .reuse import DocumentRow, Reuse

__all__ = ["PageRecord", "seal"]

#: the attribute of a value digested once for all (:func:`seal`)
_SEALED = "_page_digest"


class _Encoder:
    """Values as text that differs when they differ. A dataclass value stands as its class and the
    SHA-256 of its fields' text, made once (values are shared by many pages) and held with the
    value, so that its id is not given to another object meanwhile. How a value is taken apart is
    decided once per type (millions of values make the pages of 100,000 statements)."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[object, str]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._how: dict[type, Callable[[Any], str]] = {}

    def encode(self, value: Any) -> str:
        how = self._how.get(type(value))
        if how is None:
            how = self._how[type(value)] = self._kind(type(value))
        return how(value)

    def _kind(self, kind: type) -> Callable[[Any], str]:
        """How a value of ``kind`` is encoded (what ``isinstance`` of it says, asked once)."""
        if kind is type(None) or issubclass(kind, (bool, int, float, str)):
            return repr  # a str subclass (Markup) shows its class
        if issubclass(kind, (list, tuple)):
            return self._sequence
        if issubclass(kind, (set, frozenset)):
            return self._set
        if issubclass(kind, dict):
            return self._mapping
        if is_dataclass(kind):
            return self._dataclass
        if issubclass(kind, Identifier):
            return lambda value: f"{type(value).__name__}({value.n3()})"
        return self._unknown

    def _sequence(self, value: list[Any] | tuple[Any, ...]) -> str:
        return "[" + ",".join(map(self.encode, value)) + "]"

    def _set(self, value: set[Any] | frozenset[Any]) -> str:
        return "{" + ",".join(sorted(map(self.encode, value))) + "}"

    def _mapping(self, value: dict[Any, Any]) -> str:
        encode = self.encode
        return "{" + ",".join(sorted(f"{encode(k)}:{encode(v)}" for k, v in value.items())) + "}"

    def _dataclass(self, value: Any) -> str:
        sealed = getattr(value, "__dict__", {}).get(_SEALED)
        if sealed is not None:
            return sealed
        done = self._done.get(id(value))
        if done is None:
            done = self._done[id(value)] = (value, self.digest(value))
        return done[1]

    @staticmethod
    def _unknown(value: Any) -> str:
        raise TypeError(f"a page is rendered from a {type(value).__name__}, which has no digest")

    def digest(self, value: Any) -> str:
        """A dataclass value as its class and the SHA-256 of its fields' text."""
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in fields(value))
        text = self._sequence([getattr(value, name) for name in names])
        return f"{kind.__name__}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def seal(value: Any) -> None:
    """Digest the dataclass ``value`` now and keep the digest with it (an attribute, pickled with
    it): every process that renders a page from it then reads the digest instead of making it
    again — a statement's summary is shown on the pages of each party it names and on the
    indexes. ``value`` must not change afterwards (but for equal copies of its parts)."""
    object.__setattr__(value, _SEALED, _Encoder().digest(value))


class PageRecord:
    """Which pages a process rendered, and whether a page can be kept (see the module's text)."""

    def __init__(self, reuse: Reuse) -> None:
        self.reuse = reuse
        self._encoder = _Encoder()
        self._rows: list[DocumentRow] = []

    def write(self, template: str, page: str, canonical: str, alternates: str | None, context: dict[str, Any],
              render: Callable[[], object]) -> None:
        """``render()`` ``page`` — unless the page on disk is, as it was written, the rendering of
        ``template`` with these inputs (everything its bytes depend on, but the templates and the code)."""
        inputs = (template, page, canonical, alternates, context)
        digest = hashlib.sha256(self._encoder.encode(inputs).encode("utf-8")).digest()
        row = self.reuse.write_unless_kept(page, digest, [page], render)
        if row is not None:
            self._rows.append(row)

    def rows(self) -> list[DocumentRow]:
        """The record's rows of the pages written since the last call."""
        rows, self._rows = self._rows, []
        return rows
