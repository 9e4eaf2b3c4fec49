"""A fast, exact SHACL validator for the subset of SHACL Core that the project's shapes use.

:class:`CoreValidator` compiles a shapes graph once into plain Python checks and validates a data
graph (a set or list of triples, or an rdflib Graph) in one pass over its triples, giving the same
:class:`~communique.validate.Report` as pySHACL through :func:`communique.validate.validate_graph`.
Shapes that use anything outside the subset raise :class:`UnsupportedShapes` when compiled; the
caller then validates with pySHACL.
"""

from __future__ import annotations

from .compile import UnsupportedShapes
from .validator import CoreValidator, core_validator

__all__ = ["CoreValidator", "UnsupportedShapes", "core_validator"]
