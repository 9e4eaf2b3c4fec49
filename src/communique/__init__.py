"""Communiqué: official diplomatic statements as validated linked open data.

The library API: read and extract a statement, map it to RDF, validate it, store it, export it.
The ``communique`` command is a thin layer over these functions.
"""

from __future__ import annotations

__version__ = "0.2.0"

from .errors import (
    AuthorityError,
    CommuniqueError,
    ContextError,
    DocumentError,
    EmptyDocumentError,
    QueryError,
    StoreError,
    UsageError,
    ValidationError,
)
from .export import FORMATS, serialize
from .extract import Authority, extract_statement, load_authority
from .ingest import read_document
from .iris import DEFAULT_BASE, IRIs
from .mapping import statement_graph
from .model import Document, Entity, Evidence, RecognitionAct, Speaker, Statement
from .pipeline import BuildReport, Rejected, build, extract_file, validate_paths
from .query import run_query
from .record import to_record
from .store import GraphStore
from .validate import Report, Violation, validate_graph

__all__ = [
    "__version__",
    "AuthorityError", "CommuniqueError", "ContextError", "DocumentError", "EmptyDocumentError",
    "QueryError", "StoreError", "UsageError", "ValidationError",
    "FORMATS", "serialize", "Authority", "extract_statement", "load_authority", "read_document",
    "DEFAULT_BASE", "IRIs", "statement_graph", "Document", "Entity", "Evidence", "RecognitionAct",
    "Speaker", "Statement", "BuildReport", "Rejected", "build", "extract_file", "validate_paths",
    "run_query", "to_record", "GraphStore", "Report", "Violation", "validate_graph",
]
