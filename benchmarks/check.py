"""Sanity check of a generated corpus: does the extractor find what the generator meant?

    .venv/bin/python benchmarks/check.py CORPUS_DIR [--limit N]

For each statement (or the first ``--limit``), compares the manifest's intended kind, date and
speaker, and its recognition acts (stance, recognized party, country), with what
:func:`communique.pipeline.read_statement` extracts. The manifest is what the generator meant, not
a gold standard: the figures show that the synthetic corpus exercises the extractor as intended.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

__all__ = ["compare", "load_manifest", "main"]

FIELDS = ("kind", "date", "speaker")


def load_manifest(corpus: Path) -> dict:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def _extracted(path: Path, authority) -> dict | None:  # type: ignore[no-untyped-def]
    from communique.errors import DocumentError
    from communique.pipeline import documents, read_statement

    for doc in documents(path):
        if isinstance(doc, DocumentError):
            return None
        try:
            st = read_statement(doc, authority)
        except DocumentError:
            return None
        persons = [s.person.name for s in st.speakers if s.person is not None]
        return {
            "kind": st.kind, "date": st.date, "speaker": persons[0] if persons else None,
            "acts": {(a.stance, a.recognized.name, a.of_country.name if a.of_country else None) for a in st.acts},
        }
    return None


def compare(corpus: Path, entries: list[dict] | None = None) -> dict:
    """Per field, how many of ``entries`` (default: the whole manifest) the extractor matches."""
    from communique.extract import load_authority

    authority = load_authority()
    entries = entries if entries is not None else load_manifest(corpus)["files"]
    hits: Counter[str] = Counter()
    misses: dict[str, list[str]] = {f: [] for f in (*FIELDS, "acts")}
    acts_meant = acts_found = 0
    unread = 0
    for entry in entries:
        got = _extracted(corpus / entry["file"], authority)
        if got is None:
            unread += 1
            continue
        for f in FIELDS:
            if got[f] == entry[f]:
                hits[f] += 1
            else:
                misses[f].append(f"{entry['file']}: meant {entry[f]!r}, extracted {got[f]!r}")
        for act in entry["acts"]:
            acts_meant += 1
            if (act["stance"], act["recognized"], act["of_country"]) in got["acts"]:
                acts_found += 1
            else:
                misses["acts"].append(f"{entry['file']}: {act['stance']} {act['recognized']} "
                                      f"({act['of_country']}) not among {sorted(got['acts'], key=str)}")
    n = len(entries)
    return {"statements": n, "unreadable": unread, **{f: hits[f] for f in FIELDS},
            "acts_meant": acts_meant, "acts_found": acts_found, "misses": misses}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", type=int, default=5, help="misses to show per field")
    args = ap.parse_args(argv)
    entries = load_manifest(args.corpus)["files"][: args.limit]
    result = compare(args.corpus, entries)
    n = result["statements"]
    for f in FIELDS:
        print(f"{f:8} {result[f]}/{n} ({100 * result[f] / max(n, 1):.1f} %)")
    print(f"acts     {result['acts_found']}/{result['acts_meant']} intended acts extracted "
          f"({100 * result['acts_found'] / max(result['acts_meant'], 1):.1f} %)")
    for f, misses in result["misses"].items():
        for line in misses[: args.show]:
            print(f"  miss {f}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
