"""What a statement's files are made of: its fingerprint, and what they depend on besides its graph.

See :mod:`.reuse`: a statement whose fingerprint is recorded with files that are still as they
were written is not written again; publishing with the versions of the graphs, one whose graph is
at the recorded version and whose dependencies are :meth:`Fingerprints.unchanged` is not even read.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Mapping

from .documents import Resource

__all__ = ["Fingerprints"]


class Fingerprints:
    """The fingerprint of a statement's files: the SHA-256 of the lines of its description, of what
    the files show of each resource those lines name (IRI, path, kind, label, date), and of the
    base IRI. With ``described`` (the lines of each party's description, by term), also what the
    files depend on besides the statement's graph (:meth:`depends`)."""

    def __init__(self, resources: Iterable[Resource], base: str,
                 described: Mapping[str, list[str]] | None = None) -> None:
        resources = list(resources)
        self._salt = f"{base}\0".encode()
        #: IRIs in the folders of the resources (what else a description names is not a resource)
        folders = sorted({re.escape(r.path.split("/", 1)[0]) for r in resources})
        self._iri = re.compile(f"<{re.escape(base)}(?:{'|'.join(folders)})(?:/[^<> ]*)?>")
        self.named = {f"<{r.iri}>": f"{r.iri}\t{r.path}\t{r.kind}\t{r.label}\t{r.date}\n".encode()
                      for r in resources}
        self.described = described
        self._known: dict[str, bytes] = {}  #: what :meth:`_digest` digests of each term

    def __call__(self, lines: list[str]) -> bytes:
        text = "\n".join(lines)
        sha = hashlib.sha256(self._salt)
        sha.update(text.encode("utf-8"))
        named = self.named
        # membership term by term: set.intersection(a dict) would walk every resource
        for term in sorted({term for term in self._iri.findall(text) if term in named}):
            sha.update(named[term])
        return sha.digest()

    def depends(self, lines: list[str]) -> bytes:
        """What a statement's files depend on besides its graph, given the lines of its
        description: every IRI of them in the folders of the resources (the parties it points to,
        and those their descriptions point to; the resources it names) — and the SHA-256 of what
        the publication knows of each now (:meth:`unchanged` computes it again)."""
        terms = sorted(set(self._iri.findall("\n".join(lines))))
        return zlib.compress(self._digest(terms) + "\n".join(terms).encode("utf-8"), 1)

    def unchanged(self, depends: bytes) -> bool:
        """Whether what :meth:`depends` gave is still so: the same descriptions (or none) of the
        same IRIs, the same resources."""
        try:
            data = zlib.decompress(depends)
        except zlib.error:
            return False
        terms = data[32:].decode("utf-8").split("\n") if len(data) > 32 else []
        return self.described is not None and data[:32] == self._digest(terms)

    def _digest(self, terms: list[str]) -> bytes:
        sha = hashlib.sha256(self._salt)
        known = self._known
        for term in terms:
            found = known.get(term)
            if found is None:  # a party is named by thousands of statements: its part is made once
                described = (self.described or {}).get(term, ())
                found = known[term] = term.encode("utf-8") + "\n".join(described).encode("utf-8") \
                    + b"\0" + self.named.get(term, b"") + b"\1"
            sha.update(found)
        return sha.digest()
