"""One documented exception tree.

Every error raised by the library derives from :class:`CommuniqueError` and knows the exit code
the CLI should use and the HTTP status a server should answer with::

    CommuniqueError                 exit 1, HTTP 500
    ├── DocumentError               exit 1, HTTP 422  a source document cannot be read or parsed
    │   └── EmptyDocumentError                        the file has no text at all
    ├── AuthorityError              exit 1, HTTP 500  the authority file is missing or malformed
    ├── ValidationError             exit 1, HTTP 422  data does not conform to the SHACL shapes
    ├── StoreError                  exit 1, HTTP 503  the graph store cannot be opened or written
    ├── QueryError                  exit 1, HTTP 400  a SPARQL query is malformed or fails
    ├── ContextError                exit 1, HTTP 500  a JSON-LD context is not available offline
    └── UsageError                  exit 2, HTTP 400  the caller asked for something impossible
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CommuniqueError",
    "DocumentError",
    "EmptyDocumentError",
    "AuthorityError",
    "ValidationError",
    "StoreError",
    "QueryError",
    "ContextError",
    "UsageError",
]


class CommuniqueError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code: int = 1
    http_status: int = 500


class DocumentError(CommuniqueError):
    """A source document cannot be turned into a record; names the file and the problem."""

    http_status = 422

    def __init__(self, source: str | Path, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


class EmptyDocumentError(DocumentError):
    """The document contains no text."""


class AuthorityError(CommuniqueError):
    """The authority file is missing or malformed."""


class ValidationError(CommuniqueError):
    """Data does not conform to the shapes; ``report`` holds the typed report."""

    http_status = 422

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class StoreError(CommuniqueError):
    """The graph store cannot be opened, read or written."""

    http_status = 503


class QueryError(CommuniqueError):
    """A SPARQL query is malformed or its evaluation failed."""

    http_status = 400


class ContextError(CommuniqueError):
    """A JSON-LD context was requested that is not bundled with the project."""


class UsageError(CommuniqueError):
    """The caller asked for something impossible (unknown format, missing argument)."""

    exit_code = 2
    http_status = 400
