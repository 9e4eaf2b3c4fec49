"""Where the project's shipped files live: ontology/, shapes/ and the authority file.

In a source checkout (editable install) they are the top-level folders of the repository; in a
wheel they are bundled under ``communique/_resources``. ``COMMUNIQUE_HOME`` overrides both.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from .errors import AuthorityError

__all__ = ["resource_dir", "ontology_dir", "shapes_dir", "authorities_dir"]


@cache
def _roots() -> tuple[Path, ...]:
    here = Path(__file__).resolve().parent
    roots = [here / "_resources", here.parent.parent]
    home = os.environ.get("COMMUNIQUE_HOME")
    if home:
        roots.insert(0, Path(home))
    return tuple(roots)


def resource_dir(*names: str) -> Path:
    """The first folder of one of ``names`` found among the roots."""
    for root in _roots():
        for name in names:
            candidate = root / name
            if candidate.is_dir():
                return candidate
    raise AuthorityError(f"resource folder {names[0]!r} not found (looked in {', '.join(map(str, _roots()))})")


def ontology_dir() -> Path:
    return resource_dir("ontology")


def shapes_dir() -> Path:
    return resource_dir("shapes")


def authorities_dir() -> Path:
    return resource_dir("data/authorities", "authorities")
