"""JSON-LD with PyLD, fully offline: bundled contexts only, remote ones refused.

A document loader serves the project's own context and a local copy of the schema.org context for
the IRIs they are published under; any other remote context raises :class:`ContextError`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

from .errors import ContextError
from .resources import ontology_dir

__all__ = ["CONTEXT_URL", "LOCAL_CONTEXTS", "context", "document_loader", "nquads_to_jsonld", "dumps"]

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


def nquads_to_jsonld(nquads: str) -> dict[str, Any]:
    """Compact JSON-LD of N-Quads with the project's context (inline, so it parses offline)."""
    # Oxigraph writes the (expanded) JSON-LD of the quads in a fraction of PyLD's from_rdf time
    quads = sorted(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS),
                   key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    expanded = json.loads((ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b"[]").decode("utf-8"))
    ctx = {"@context": context()}
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


def expand(document: Any) -> list[Any]:
    """Expand a JSON-LD document offline (remote contexts refused)."""
    try:
        return jsonld.expand(document, _options())
    except jsonld.JsonLdError as exc:
        raise ContextError(f"JSON-LD expansion failed: {exc}") from exc


def dumps(document: Any) -> str:
    """Deterministic JSON text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
