"""The documents of the resources but statements and their acts: parties (with the listings of
their periods), the graph of party descriptions, acts outside a statement's graph.

Publishing again into a folder (a :class:`~.reuse.Reuse` record), a document is written only when
what it is made of changed. When every graph has a version (``build`` gives them), the documents of
a party and of its listings are kept as a whole by their inputs (:meth:`.Corpus.party_inputs`: the
party's description and the versions of the graphs that refer to it), without making their lines.
Otherwise — or when those inputs changed — each document is made and kept by the digest of its
lines (:meth:`.Reuse.write_document`): one changed statement rewrites the listing of its period, not
every listing of the parties it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .documents import Plan, Resource, document_files, write_document
from .reuse import DocumentRow, Reuse

__all__ = ["inputs_path", "write_documents"]

#: the kinds of resources whose documents are made by :meth:`.Corpus.party_documents`
_NOT_PARTIES = ("statement", "act", "graph")


def write_documents(publication: Plan, out: Path, res: Resource, record: Reuse | None,
                    versions: Mapping[str, str] | None) -> tuple[list[str], list[DocumentRow]]:
    """Write (or keep) the documents of ``res`` into ``out``: the site paths of the files of its
    listings' documents (its own are listed with every resource), and the rows the record needs of
    what was written. ``versions``: of every graph (terms), when every graph has one."""
    inputs = None
    if record is not None and versions is not None and res.kind not in _NOT_PARTIES:
        inputs = publication.corpus.party_inputs(f"<{res.iri}>", versions)
        if inputs is not None and (kept := record.kept_files(inputs_path(res.path), inputs)) is not None:
            own = set(document_files(res.path))
            return [path for path in kept if path not in own], []
    rows: list[DocumentRow] = []
    written: list[str] = []
    for path, lines in publication.documents(res):
        lines = sorted(set(lines))
        if record is None:
            write_document(out, path, lines)
        elif (row := record.write_document(path, lines)) is not None:
            rows.append(row)
        if path != res.path:
            written += document_files(path)
    if record is not None and inputs is not None:  # what they were made of, for the next time
        recorded = record.files([*document_files(res.path), *written])
        if recorded is not None:
            rows.append((inputs_path(res.path), inputs, recorded))
    return written, rows


def inputs_path(path: str) -> str:
    """The key of the record's row of what the documents of the party at ``path`` are made of (a
    row of its own: each document also has its row, of its lines)."""
    return path + "#inputs"
