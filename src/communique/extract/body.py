"""Site boilerplate around the statement body: footers, end marks, comment-form debris."""

from __future__ import annotations

import re

__all__ = ["clean_body"]

#: a paragraph matching one of these ends the statement (it and everything after are dropped)
_END_MARKS = re.compile(r"^\s*(?:#\s*#\s*#|\[\s*end\s*\]|end text\.?|-\s*30\s*-)\s*$", re.I)
#: trailing paragraphs matching one of these are site furniture, not statement text
_FURNITURE = re.compile(
    r"^\s*(?:"
    r"\*.*\*"  # an all-italic line (the site footer)
    r"|published\b.*|posted\b.*|read more at\b.*|no comments:?|post a comment|share this:?.*"
    r"|tags?:.*|print(?:able version)?|email|tweet|related articles?:?.*|back to top"
    r"|the office of website management\b.*"
    r")\s*$",
    re.I | re.S,
)


def clean_body(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """Drop what follows an end mark and trailing site furniture; keep at least one paragraph."""
    kept = list(paragraphs)
    for i, p in enumerate(kept):
        if _END_MARKS.match(p) and i > 0:
            kept = kept[:i]
            break
    while len(kept) > 1 and _FURNITURE.match(kept[-1]):
        kept.pop()
    return tuple(kept)
