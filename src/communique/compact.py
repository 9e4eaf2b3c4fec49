"""JSON-LD compaction of flat RDF into one fixed context, in linear time, equal to PyLD's.

PyLD's ``compact`` expands its input and runs the general compaction algorithm: term selection
through the inverse context for every value, IRI compaction by scanning every term for every IRI.
For what :func:`communique.jsonld.nquads_to_jsonld` compacts — the flat node objects that
Oxigraph's JSON-LD writer makes of sorted quads (one node per graph and subject, named graphs as
``{"@id": g, "@graph": [...]}``, values that are IRIs, blank nodes or literals), with a context
that has no scoped contexts, no ``@vocab``, ``@base`` or default language, and no containers
but ``@set`` — the result depends only on:

- per (property, kind of value): the term PyLD selects and how it compacts such a value there
  (a plain string, ``{"id": …}``, ``{"type": …, "@value": …}``, …). Both are asked of PyLD itself,
  once per kind, with a probe value: its term selection reads the kind (IRI, and whether that IRI
  is a term's; plain, language-tagged or typed literal, with its language or datatype) and never
  the lexical form, and its value compaction copies the lexical form as it is;
- the compact IRIs of subjects and IRI values (no ``@vocab``, so never a term): the shortest, then
  least, ``prefix:suffix`` over the context's prefixes, else the IRI itself (the base is empty).

:class:`Compactor` checks those conditions when it is built (``supported``) and answers ``None``
for any input it does not handle — duplicate quads, literals with a base direction, RDF-star
triples, an IRI that reads as a compact IRI — so that the caller falls back to PyLD.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

import pyoxigraph as ox

__all__ = ["Compactor"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: a lexical form and an IRI that stand for any other while asking PyLD how it compacts a value
_PROBE_VALUE = "\x00communique-probe\x00"
_PROBE_IRI = "urn:x-communique-probe:value"

#: how a value is written once its term is chosen: bare, or inside an object with constant keys
_BARE, _ID_OBJECT, _VALUE_OBJECT = 0, 1, 2
#: (term, always an array, how the value is written, the constant entries of its object)
_Rule = tuple[str, bool, int, tuple[tuple[str, str], ...]]
#: the kind of a value, as term selection reads it: ("@id", is a term's IRI) / ("@null",) / ("@language", tag) /
#: ("@type", datatype)
_Kind = tuple[str, Any]


def _resolver_options(loader: Callable[..., Any]) -> dict[str, Any]:
    """The options ``jsonld.compact`` fills in, for the calls made here."""
    from pyld.context_resolver import ContextResolver  # PyLD is imported when a Compactor is made

    return {"documentLoader": loader, "base": "", "compactArrays": True, "graph": False,
            "skipExpansion": False, "activeCtx": False, "extractAllScripts": False,
            "processingMode": "json-ld-1.1", "link": False,
            "contextResolver": ContextResolver({}, loader)}


class Compactor:
    """Compacts sorted quads with one context, as ``jsonld.compact`` of their Oxigraph JSON-LD."""

    def __init__(self, context: dict[str, Any], loader: Callable[..., Any]) -> None:
        self.context = context  #: the ``@context`` object, put as it is into every document
        from pyld import jsonld

        self._pyld = jsonld.JsonLdProcessor()
        self._options = _resolver_options(loader)
        initial = self._pyld._get_initial_context(self._options)
        self._active = self._pyld.process_context(initial, {"@context": context}, self._options)
        self.supported = self._check()
        self._rules: dict[tuple[str, _Kind], _Rule | None] = {}

        if not self.supported:
            return
        alias = self._keyword
        self._id, self._graph = alias("@id"), alias("@graph")
        mappings: dict[str, Any] = self._active["mappings"]
        #: (namespace IRI, prefix) of the terms usable as prefixes of compact IRIs
        self._prefixes = tuple((m["@id"], term) for term, m in mappings.items()
                               if m is not None and m.get("_prefix") and m.get("@id"))
        self._confusable = tuple(f"{term}:" for term, m in mappings.items() if m is not None and m.get("_prefix"))
        inverse = self._pyld._get_inverse_context(self._active)
        #: IRIs that compact to a term whose IRI they are (term selection prefers @vocab for them)
        self._term_iris = frozenset(iri for iri in inverse if self._is_term_iri(iri))
        self.compact_iri = lru_cache(maxsize=1 << 16)(self._compact_iri)
        self.supported = self.compact_iri(_PROBE_IRI) == _PROBE_IRI

    # -- what the context must be --------------------------------------------------------------
    def _check(self) -> bool:
        active = self._active
        if any(key in active for key in ("@vocab", "@base", "@language", "@direction", "previousContext")):
            return False
        for term, m in active["mappings"].items():
            if m is None or ":" in term or m.get("reverse") or m.get("@id") is None:
                return False
            if any(key in m for key in ("@context", "@nest", "@index", "@direction", "@language")):
                return False
            if m.get("@type") in ("@vocab", "@none", "@json") or set(m.get("@container", ())) - {"@set"}:
                return False
            if m["@id"].startswith("@") and m["@id"] not in ("@id", "@type"):
                return False
        return True

    def _keyword(self, keyword: str) -> str:
        return str(self._pyld._compact_iri(self._active, keyword))

    def _is_term_iri(self, iri: str) -> bool:
        term = self._pyld._compact_iri(self._active, iri, None, vocab=True)
        mapping = self._active["mappings"].get(term)
        return term is not None and bool(mapping) and mapping["@id"] == iri

    # -- IRIs -----------------------------------------------------------------------------------
    def _compact_iri(self, iri: str) -> str | None:
        """A subject or IRI value as PyLD compacts it (``vocab=False``, empty base); None when
        PyLD would refuse it (an absolute IRI that reads as a compact IRI)."""
        best: str | None = None
        for namespace, prefix in self._prefixes:
            if iri.startswith(namespace) and iri != namespace:
                curie = f"{prefix}:{iri[len(namespace):]}"
                if best is None or (len(curie), curie) < (len(best), best):
                    best = curie
        if best is not None:
            return best
        return None if iri.startswith(self._confusable) else iri

    # -- values ---------------------------------------------------------------------------------
    def _rule(self, predicate: str, kind: _Kind, example: dict[str, str]) -> _Rule | None:
        """Term and value shape for values of ``kind`` under ``predicate``, asked of PyLD."""
        key = (predicate, kind)
        if key in self._rules:
            return self._rules[key]
        rule: _Rule | None = None
        term = self._pyld._compact_iri(self._active, predicate, example, vocab=True)
        if isinstance(term, str) and not term.startswith("@"):
            container = self._active["mappings"].get(term, {}).get("@container") or []
            is_array = "@set" in container or "@list" in container
            probe = {"@id": _PROBE_IRI} if "@id" in example else {**example, "@value": _PROBE_VALUE}
            sentinel = _PROBE_IRI if "@id" in example else _PROBE_VALUE
            shape = self._pyld._compact_value(self._active, term, probe, self._options)
            if shape == sentinel:
                rule = (term, is_array, _BARE, ())
            elif isinstance(shape, dict) and list(shape.values()).count(sentinel) == 1 \
                    and all(isinstance(v, str) for v in shape.values()):
                fixed = tuple((k, v) for k, v in shape.items() if v != sentinel)
                slot = next(k for k, v in shape.items() if v == sentinel)
                if "@id" in example:
                    rule = (term, is_array, _ID_OBJECT, ((slot, ""),)) if not fixed else None
                else:
                    rule = (term, is_array, _VALUE_OBJECT, ((slot, ""), *fixed))
        self._rules[key] = rule
        return rule

    def _value(self, predicate: str, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
               ) -> tuple[_Rule, str] | None:
        """The rule for one object and the string it puts in the document."""
        if isinstance(term, ox.NamedNode):
            iri = term.value
            rule = self._rule(predicate, ("@id", iri in self._term_iris), {"@id": iri})
            compacted = self.compact_iri(iri)
            return None if rule is None or compacted is None else (rule, compacted)
        if isinstance(term, ox.BlankNode):
            rule = self._rule(predicate, ("@id", False), {"@id": f"_:{term.value}"})
            compacted = self.compact_iri(f"_:{term.value}")
            return None if rule is None or compacted is None else (rule, compacted)
        if not isinstance(term, ox.Literal) or term.direction is not None:
            return None
        language = term.language
        if language is not None:
            if language != language.lower():
                return None
            rule = self._rule(predicate, ("@language", language), {"@value": "", "@language": language})
        elif term.datatype.value == XSD_STRING:
            rule = self._rule(predicate, ("@null", None), {"@value": ""})
        else:
            datatype = term.datatype.value
            rule = self._rule(predicate, ("@type", datatype), {"@value": "", "@type": datatype})
        return None if rule is None else (rule, term.value)

    # -- documents ------------------------------------------------------------------------------
    def _add(self, node: dict[str, Any], found: tuple[_Rule, str]) -> bool:
        """Put one value into a node as PyLD's ``add_value`` does; False if it would clash."""
        (key, is_array, how, entries), text = found
        if key == self._id:
            return False
        value: Any = text if how == _BARE else {k: (text if i == 0 else v) for i, (k, v) in enumerate(entries)}
        held = node.get(key)
        if held is None:
            node[key] = [value] if is_array else value
        elif isinstance(held, list):
            held.append(value)
        else:
            node[key] = [held, value]
        return True

    def _node(self, subject: ox.NamedNode | ox.BlankNode, quads: Sequence[ox.Quad]) -> dict[str, Any] | None:
        name = self.compact_iri(subject.value if isinstance(subject, ox.NamedNode) else f"_:{subject.value}")
        if name is None:
            return None
        node: dict[str, Any] = {self._id: name}
        for quad in quads:
            found = self._value(quad.predicate.value, quad.object)
            if found is None or not self._add(node, found):
                return None
        return node

    def _nodes(self, quads: Sequence[ox.Quad]) -> list[dict[str, Any]] | None:
        """One node per run of quads with the same subject."""
        nodes: list[dict[str, Any]] = []
        start = 0
        for end in range(1, len(quads) + 1):
            if end == len(quads) or quads[end].subject != quads[start].subject:
                subject = quads[start].subject
                if not isinstance(subject, (ox.NamedNode, ox.BlankNode)):
                    return None
                node = self._node(subject, quads[start:end])
                if node is None:
                    return None
                nodes.append(node)
                start = end
        return nodes

    def compact(self, quads: Sequence[ox.Quad]) -> dict[str, Any] | None:
        """The compacted document of ``quads`` (sorted by graph, subject, predicate, object, as
        strings), or None when it is not certain to be PyLD's."""
        if not self.supported or any(a == b for a, b in pairwise(quads)):
            return None
        items: list[dict[str, Any]] = []
        start = 0
        for end in range(1, len(quads) + 1):
            if end < len(quads) and quads[end].graph_name == quads[start].graph_name:
                continue
            graph = quads[start].graph_name
            nodes = self._nodes(quads[start:end])
            if nodes is None:
                return None
            if isinstance(graph, ox.DefaultGraph):
                items.extend(nodes)
            else:
                name = self.compact_iri(graph.value if isinstance(graph, ox.NamedNode) else f"_:{graph.value}")
                if name is None:
                    return None
                items.append({self._graph: nodes, self._id: name})
            start = end
        return self._document(items)

    def _document(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = items[0] if len(items) == 1 else ({} if not items else {self._graph: items})
        return {"@context": self.context, **body}
