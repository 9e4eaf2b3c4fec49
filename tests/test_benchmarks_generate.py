"""The benchmark corpus generator: deterministic, the requested size, and statements that build."""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def _module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _module("generate")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def pools():  # type: ignore[no-untyped-def]
    return generate.load_pools()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, pools) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(120, 7, out, pools)
    return out


def test_same_seed_gives_identical_bytes(tmp_path: Path, corpus: Path, pools) -> None:  # type: ignore[no-untyped-def]
    again = tmp_path / "again"
    generate.main(["--count", "120", "--seed", "7", "--out", str(again)])
    assert _files(again) == _files(corpus)


def test_different_seeds_differ(tmp_path: Path, corpus: Path, pools) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    generate.generate(120, 8, other, pools)
    ours, theirs = _files(corpus), _files(other)
    assert ours != theirs
    assert set(ours) != set(theirs)


def test_requested_count_and_manifest(corpus: Path) -> None:
    texts = sorted(corpus.glob("*.txt"))
    assert len(texts) == 120
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["count"], manifest["seed"]) == (120, 7)
    assert sorted(e["file"] for e in manifest["files"]) == [p.name for p in texts]
    for entry, path in zip(manifest["files"], sorted(texts, key=lambda p: int(p.stem.rsplit("-", 1)[1]))):
        assert path.name == entry["file"]
        assert path.name.startswith(entry["date"] + "-")
    kinds = {e["kind"] for e in manifest["files"]}
    assert {"Press Statement", "Media Note", "Readout", "Remarks", None} <= kinds
    assert any(e["acts"] for e in manifest["files"])
    years = {e["date"][:4] for e in manifest["files"]}
    assert min(years) >= "2009" and max(years) <= "2025" and len(years) > 5


def test_zero_statements(tmp_path: Path, pools) -> None:  # type: ignore[no-untyped-def]
    manifest = generate.generate(0, 7, tmp_path / "empty", pools)
    assert manifest["files"] == [] and not list((tmp_path / "empty").glob("*.txt"))


def test_written_date_forms() -> None:
    import datetime as dt

    day = dt.date(2019, 9, 3)
    assert [generate.written_date(day, f) for f in (0, 1, 2)] == [
        "September 3, 2019", "Sept. 3, 2019", "3 September 2019"]


def test_a_sample_builds_and_extracts_as_meant(corpus: Path) -> None:
    from communique.pipeline import build
    from communique.store import GraphStore

    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["files"][:: len(manifest["files"]) // 20][:20]
    paths = [corpus / e["file"] for e in entries]
    kwargs = {"jobs": 1} if "jobs" in inspect.signature(build).parameters else {}
    report = build(paths, store=GraphStore(), **kwargs)
    assert not report.rejected, report.summary()
    assert len(report.built) == 20

    sys.path.insert(0, str(BENCHMARKS))
    check = _module("check")
    result = check.compare(corpus, entries)
    for field in ("kind", "date", "speaker"):
        assert result[field] >= 0.9 * len(entries), (field, result["misses"][field])
    assert result["acts_found"] >= 0.9 * result["acts_meant"], result["misses"]["acts"]


def test_the_tuned_queries_answer_what_the_plain_ones_ask(corpus: Path, tmp_path: Path) -> None:
    """The benchmark times the project's form of each typical query: it must return the rows of the
    plain form, in order, on a built corpus (here 120 statements, on disk as the build leaves it)."""
    from communique.pipeline import build
    from communique.store import GraphStore

    sys.path.insert(0, str(BENCHMARKS))
    harness = _module("harness")
    store = GraphStore(tmp_path / "store")
    report = build([corpus], store=store, jobs=1)
    assert not report.rejected, report.summary()
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    answered = 0
    for key, _, plain, tuned in harness.queries(manifest):
        rows = harness._rows(store.query(plain))
        assert harness._rows(store.query(tuned)) == rows, key
        answered += bool(rows)
    assert answered >= 4  # the corpus gives most queries something to return
