"""Shared fixtures: the project's own data, temporary stores, and the optional ../shared corpus."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from communique.extract import Authority, load_authority
from communique.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "statements"
SEED = DATA / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "statements"


@pytest.fixture(scope="session")
def authority() -> Authority:
    return load_authority()


@pytest.fixture()
def store() -> GraphStore:
    return GraphStore()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """data/statements built once into an on-disk store (read by many tests)."""
    from communique.pipeline import build

    path = tmp_path_factory.mktemp("store") / "store"
    store = GraphStore(path)
    report = build([DATA], store=store)
    assert not report.rejected, report.summary()
    return store


#: statements of the synthetic corpora that publishing tests publish again and again: with
#: :func:`parallel_from_few`, enough for two forked workers and several chunks each
FEW = 40


@pytest.fixture(scope="module")
def parallel_from_few() -> Iterator[None]:
    """Publishing shares its work between forked processes from 20 statements on, 5 a chunk (the
    thresholds for real corpora would have the tests publish a hundred statements each time)."""
    from communique.publish import assemble, forking

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(forking, "PARALLEL_MIN", 20)
        patch.setattr(assemble, "CHUNK", 5)
        yield


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def corpus_generator() -> ModuleType:
    """``benchmarks/generate.py`` as a module (the synthetic corpora of the benchmarks)."""
    name = "benchmarks_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
