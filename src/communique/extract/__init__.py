"""Extraction: a :class:`~communique.model.Document` in, a :class:`~communique.model.Statement` out.

One module per concern: ``header`` (title, kind, date, place, speakers), ``body`` (site
boilerplate), ``sentences`` (segmentation with offsets), ``linking`` (the authority gazetteer),
``parties`` (who is mentioned), ``recognition`` (acts with evidence), and ``statement`` which
chains them.
"""

from __future__ import annotations

from .linking import Authority, Mention, load_authority
from .statement import extract_statement

__all__ = ["Authority", "Mention", "load_authority", "extract_statement"]
