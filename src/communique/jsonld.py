"""JSON-LD with PyLD, fully offline: bundled contexts only, remote ones refused.

A document loader serves the project's own context and a local copy of the schema.org context for
the IRIs they are published under; any other remote context raises :class:`ContextError`.

Compaction into the project's context goes through :class:`communique.compact.Compactor`, which
gives PyLD's result in linear time for the flat documents made of quads, and answers None for
anything else: then PyLD compacts (:func:`pyld_compact`, the reference).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from json.encoder import encode_basestring
from typing import Any

import pyoxigraph as ox

from .compact import Compactor
from .errors import ContextError
from .resources import ontology_dir

__all__ = ["CONTEXT_URL", "LOCAL_CONTEXTS", "context", "document_loader", "nquads_to_jsonld", "quads_to_jsonld",
           "pyld_compact", "sort_quads", "sorted_quads", "dumps"]

CONTEXT_URL = "https://w3id.org/communique/context.jsonld"
#: published IRI → bundled file in ontology/
LOCAL_CONTEXTS: dict[str, str] = {
    CONTEXT_URL: "context.jsonld",
    "http://schema.org": "schemaorg-context.jsonld",
    "http://schema.org/": "schemaorg-context.jsonld",
    "https://schema.org": "schemaorg-context.jsonld",
    "https://schema.org/": "schemaorg-context.jsonld",
    "http://schema.org/docs/jsonldcontext.json": "schemaorg-context.jsonld",
    "https://schema.org/docs/jsonldcontext.json": "schemaorg-context.jsonld",
}


@cache
def _load(filename: str) -> dict[str, Any]:
    path = ontology_dir() / filename
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ContextError(f"{path}: bundled JSON-LD context unreadable: {exc}") from exc


def context() -> dict[str, Any]:
    """The ``@context`` object of the project's own context."""
    return _load("context.jsonld")["@context"]


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader: bundled contexts by IRI, everything else refused."""
    filename = LOCAL_CONTEXTS.get(url)
    if filename is None:
        raise ContextError(f"refusing to fetch remote JSON-LD context {url!r}: only bundled contexts "
                           f"are used ({', '.join(sorted(set(LOCAL_CONTEXTS)))})")
    return {"contextUrl": None, "documentUrl": url, "document": _load(filename)}


def _options() -> dict[str, Any]:
    return {"documentLoader": document_loader}


def sort_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads sorted by graph, subject, predicate and object (their N-Quads forms)."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def sorted_quads(nquads: str) -> list[ox.Quad]:
    """Parse N-Quads (or N-Triples) with Oxigraph, sorted by graph, subject, predicate and object."""
    return sort_quads(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


@cache
def _compactor() -> Compactor:
    from pyld import jsonld  # PyLD is imported when first used: a command starts faster

    try:
        return Compactor(context(), document_loader)
    except jsonld.JsonLdError as exc:
        raise ContextError(f"JSON-LD context unusable: {exc}") from exc


def pyld_compact(quads: Sequence[ox.Quad]) -> dict[str, Any]:
    """PyLD's compaction of the quads' JSON-LD with the project's context: the reference."""
    # Oxigraph writes the (expanded) JSON-LD of the quads in a fraction of PyLD's from_rdf time
    expanded = json.loads((ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b"[]").decode("utf-8"))
    ctx = {"@context": context()}
    from pyld import jsonld

    try:
        compacted = jsonld.compact(expanded, ctx, _options())
    except jsonld.JsonLdError as exc:
        cause = exc
        while getattr(cause, "cause", None) is not None:
            cause = cause.cause  # type: ignore[assignment]
        if isinstance(cause, ContextError):
            raise cause from exc
        raise ContextError(f"JSON-LD compaction failed: {exc}") from exc
    return compacted


def quads_to_jsonld(quads: Sequence[ox.Quad]) -> dict[str, Any]:
    """Compact JSON-LD of quads sorted as :func:`sorted_quads` sorts them, with the project's
    context (inline, so it parses offline): PyLD's result, computed without PyLD when it can be."""
    fast = _compactor().compact(quads)
    return fast if fast is not None else pyld_compact(quads)


def nquads_to_jsonld(nquads: str) -> dict[str, Any]:
    """Compact JSON-LD of N-Quads with the project's context (inline, so it parses offline)."""
    return quads_to_jsonld(sorted_quads(nquads))


def expand(document: Any) -> list[Any]:
    """Expand a JSON-LD document offline (remote contexts refused)."""
    from pyld import jsonld

    try:
        return jsonld.expand(document, _options())
    except jsonld.JsonLdError as exc:
        raise ContextError(f"JSON-LD expansion failed: {exc}") from exc


@cache
def _context_text(indent: str) -> str:
    """The project's context object as :func:`_emit` writes it at ``indent`` (every document holds it)."""
    parts: list[str] = []
    _emit(dict(context()), indent, parts, None)
    return "".join(parts)


def _emit(value: Any, indent: str, parts: list[str], ctx: object) -> None:
    """``value`` (strings, lists and string-keyed objects) as ``json.dumps`` indents and sorts it;
    ``ctx`` (the project's context object) as :func:`_context_text` keeps it."""
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is ctx:
        parts.append(_context_text(indent))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = indent + "  "
        separator = "{\n" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError(key)
            item = value[key]
            if isinstance(item, str):
                parts += (separator, encode_basestring(key), ": ", encode_basestring(item))
            else:
                parts += (separator, encode_basestring(key), ": ")
                _emit(item, inner, parts, ctx)
            separator = ",\n" + inner
        parts.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            parts.append("[]")
            return
        inner = indent + "  "
        separator = "[\n" + inner
        for item in value:
            if isinstance(item, str):
                parts += (separator, encode_basestring(item))
            else:
                parts.append(separator)
                _emit(item, inner, parts, ctx)
            separator = ",\n" + inner
        parts.append("\n" + indent + "]")
    else:
        raise TypeError(type(value).__name__)


def dumps(document: Any) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, trailing newline."""
    parts: list[str] = []
    try:
        _emit(document, "", parts, context())
    except TypeError:  # numbers, booleans, null: the json module writes them
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    parts.append("\n")
    return "".join(parts)
