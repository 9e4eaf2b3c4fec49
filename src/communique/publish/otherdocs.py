"""The documents of the resources but statements and their acts: parties (with the listings of
their periods), the graph of party descriptions, acts outside a statement's graph.

Publishing again into a folder (a :class:`~.reuse.Reuse` record), a document is written only when
what it is made of changed. When every graph has a version (``build`` gives them), the documents of
a party and of its listings are kept as a whole by their inputs (:meth:`.Corpus.party_inputs`: the
party's description and the versions of the graphs that refer to it), without making their lines;
otherwise each document is kept by the digest of its lines (:meth:`.Reuse.write_document`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .documents import DOCUMENT_FORMATS, Plan, Resource, write_document
from .reuse import DocumentRow, Reuse

__all__ = ["write_documents"]

#: the kinds of resources whose documents are made by :meth:`.Corpus.party_documents`
_NOT_PARTIES = ("statement", "act", "graph")


def write_documents(publication: Plan, out: Path, res: Resource, record: Reuse | None,
                    versions: Mapping[str, str] | None) -> tuple[list[str], list[DocumentRow]]:
    """Write (or keep) the documents of ``res`` into ``out``: the site paths of the files of its
    listings' documents (its own are listed with every resource), and the rows the record needs of
    what was written. ``versions``: of every graph (terms), when every graph has one."""
    if record is not None and versions is not None and res.kind not in _NOT_PARTIES:
        inputs = publication.corpus.party_inputs(f"<{res.iri}>", versions)
        if inputs is not None:
            return _party(publication, res, record, inputs)
    rows: list[DocumentRow] = []
    written: list[str] = []
    for path, lines in publication.documents(res):
        lines = sorted(set(lines))
        if record is None:
            write_document(out, path, lines)
        elif (row := record.write_document(path, lines)) is not None:
            rows.append(row)
        if path != res.path:
            written += [path + suffix for suffix in DOCUMENT_FORMATS.values()]
    return written, rows


def _party(publication: Plan, res: Resource, record: Reuse, inputs: bytes) -> tuple[list[str], list[DocumentRow]]:
    """The documents of party ``res`` and of its listings, kept as they are when they were written
    from the same ``inputs`` and their files are as written: one row of the record names them all."""
    own = {res.path + suffix for suffix in DOCUMENT_FORMATS.values()}
    files = record.kept_files(res.path, inputs)
    rows: list[DocumentRow] = []
    if files is None:
        files = []
        for path, lines in publication.documents(res):
            write_document(record.out, path, sorted(set(lines)))
            files += [path + suffix for suffix in DOCUMENT_FORMATS.values()]
        recorded = record.files(files)
        if recorded is not None:
            rows.append((res.path, inputs, recorded))
    return [path for path in files if path not in own], rows
