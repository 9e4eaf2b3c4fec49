"""SHACL validation with pySHACL against shapes/, turned into a typed report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from .namespaces import PREFIXES, SH
from .resources import shapes_dir

__all__ = ["Violation", "Report", "load_shapes", "short_name", "violation_key", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    """One validation result: where, which property, what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one graph."""

    conforms: bool  #: no result of severity Violation (warnings allowed)
    violations: tuple[Violation, ...]  #: every result, of any severity

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity != "Violation")

    def text(self) -> str:
        if self.conforms:
            return "conforms"
        return "\n".join(str(v) for v in self.violations)


@cache
def load_shapes(directory: Path | None = None) -> Graph:
    """All ``*.ttl`` shapes of ``directory`` (default: the project's shapes/) as one graph."""
    g = Graph()
    for path in sorted((directory or shapes_dir()).glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@cache
def _prefixes() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def short_name(node: Node | None) -> str | None:
    """A node as a person reads it: ``schema:datePublished`` rather than its full IRI, whatever
    prefixes the validated data happened to declare."""
    if node is None:
        return None
    if not isinstance(node, URIRef):
        return str(node)
    try:
        return _prefixes().namespace_manager.normalizeUri(node)
    except (ValueError, KeyError):
        return str(node)


_short = short_name


def violation_key(v: Violation) -> tuple[str, str, str, str, str]:
    """The order of a report's violations: focus node, path, message, value (ties: severity)."""
    return (v.focus, v.path or "", v.message, v.value or "", v.severity)


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate ``data``; violations sorted by :func:`violation_key`."""
    from pyshacl import validate as shacl_validate  # imported when first used: a command starts faster

    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none", advanced=False, allow_warnings=True,
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=short_name(results.value(result, SH.resultPath)),
            message=str(message) if message is not None else "constraint not met",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=short_name(results.value(result, SH.value)),
        ))
    violations.sort(key=violation_key)
    return Report(conforms=bool(conforms), violations=tuple(violations))
