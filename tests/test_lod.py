"""lod/: the committed publication of data/ is exactly what a build produces (deterministic output)."""

from __future__ import annotations

import filecmp
from pathlib import Path

from communique.pipeline import build
from communique.store import GraphStore

from .conftest import DATA, ROOT


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_committed_lod_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "lod"
    report = build([DATA], out=out, store=GraphStore(tmp_path / "store"))
    assert not report.rejected
    committed = ROOT / "lod"
    assert _files(out) == _files(committed), "run 'make lod' and commit the result"
    different = [f for f in _files(out) if not filecmp.cmp(out / f, committed / f, shallow=False)]
    assert different == [], f"lod/ is stale for {different}: run 'make lod' and commit the result"


def test_two_builds_are_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build([DATA], out=a, store=GraphStore())
    build([DATA], out=b, store=GraphStore(tmp_path / "s"))
    assert all(filecmp.cmp(a / f, b / f, shallow=False) for f in _files(a))


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """Regression: an unbound namespace made rdflib invent ns1/ns2 prefixes in set order, which
    changes with PYTHONHASHSEED from one process to the next."""
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"lod-{seed}"
        subprocess.run([sys.executable, "-m", "communique.cli", "build", str(DATA), "--out", str(out),
                        "--store", str(tmp_path / f"store-{seed}"), "--jobs", "1"], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out)
    assert _files(outs[0]) == _files(outs[1])
    assert [f for f in _files(outs[0]) if not filecmp.cmp(outs[0] / f, outs[1] / f, shallow=False)] == []
