"""The documents of the resources but statements and their acts: parties (with the listings of
their periods), the graph of party descriptions, acts outside a statement's graph.

Publishing again into a folder (a :class:`~.reuse.Reuse` record), a document is written only when
what it is made of changed. When every graph has a version (``build`` gives them), each document of
a party — its own, and the listing of each of its periods — is kept by its inputs
(:meth:`.Corpus.party_documents`: the party's description and the versions of the graphs that
document quotes; for its own document with periods, the number of statements of each), without
making its lines: one changed statement makes again the party's own document and the listing of
its period, and reads the links of that period's statements only. Otherwise — or when those inputs
changed — a document is made and kept by the digest of its lines (:meth:`.Reuse.write_document`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .documents import Plan, Resource, document_files, write_document
from .reuse import DocumentRow, Reuse

__all__ = ["inputs_path", "write_documents"]


def write_documents(publication: Plan, out: Path, res: Resource, record: Reuse | None,
                    versions: Mapping[str, str] | None) -> tuple[list[str], list[DocumentRow]]:
    """Write (or keep) the documents of ``res`` into ``out``: the site paths of the files of its
    listings' documents (its own are listed with every resource), and the rows the record needs of
    what was written. ``versions``: of every graph (terms), when every graph has one."""
    rows: list[DocumentRow] = []
    written: list[str] = []
    for path, inputs, make in publication.planned_documents(res, versions if record is not None else None):
        files = document_files(path)
        if path != res.path:
            written += files
        if record is None:
            write_document(out, path, make())
            continue
        if inputs is not None and record.document_kept(inputs_path(path), inputs):
            continue
        row = record.write_document(path, sorted(set(make())))
        if row is not None:
            rows.append(row)
        if inputs is not None and (recorded := record.files(files)) is not None:  # what it was made of
            rows.append((inputs_path(path), inputs, recorded))
    return written, rows


def inputs_path(path: str) -> str:
    """The key of the record's row of what the document at ``path`` is made of (a row of its own:
    the document also has its row, of its lines)."""
    return path + "#inputs"
