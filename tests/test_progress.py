"""progress.py: long jobs tell each phase; bars on a terminal, nothing elsewhere."""

from __future__ import annotations

import io
from pathlib import Path

from communique.build import build
from communique.progress import Progress, TerminalProgress, progress_of
from communique.store import GraphStore

from .conftest import DATA


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Recorder(Progress):
    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.steps: dict[str, int] = {}
        self.items: list[str] = []
        self.closed = 0

    def phase(self, label: str, total: int | None = None) -> None:
        self.phases.append((label, total))
        self.steps.setdefault(label, 0)

    def step(self, n: int = 1, item: str | None = None) -> None:
        self.steps[self.phases[-1][0]] += n
        if item is not None:
            self.items.append(item)

    def close(self) -> None:
        self.closed += 1


def test_a_fresh_build_with_the_site_tells_every_phase(tmp_path: Path) -> None:
    rec = _Recorder()
    report = build([DATA], out=tmp_path / "lod", store=GraphStore(tmp_path / "store"), progress=rec, jobs=1)
    labels = [label for label, _ in rec.phases]
    assert labels == ["building", "loading the store", "compacting the store", "reading the corpus",
                      "publishing statements", "writing the dumps", "publishing parties and pages",
                      "describing the dataset"]
    sources = len(list(DATA.glob("*.txt")))
    assert dict(rec.phases)["building"] == sources == rec.steps["building"] == len(rec.items)
    assert dict(rec.phases)["publishing statements"] == len(report.built) == rec.steps["publishing statements"]
    assert rec.steps["publishing parties and pages"] == dict(rec.phases)["publishing parties and pages"] > 0
    assert rec.closed == 1


def test_a_rebuild_with_nothing_to_do_has_an_empty_building_phase(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    build([DATA], store=store, jobs=1)
    rec = _Recorder()
    build([DATA], store=store, progress=rec, jobs=1)
    assert rec.phases == [("building", 0)]


def test_a_callable_is_given_each_source() -> None:
    seen: list[str] = []
    progress = progress_of(seen.append)
    progress.phase("building", 2)
    progress.step(1, "a.txt")
    progress.step(1)
    assert seen == ["a.txt"]


def test_bars_on_a_terminal_and_nothing_elsewhere() -> None:
    for stream, shown in ((_Terminal(), True), (io.StringIO(), False)):
        progress = TerminalProgress(stream)
        progress.phase("building", 3)
        progress.step(3, "x.txt")
        progress.phase("loading the store")
        progress.close()
        text = stream.getvalue()
        assert ("building" in text and "loading the store …" in text and text.rstrip().endswith(" s")) is shown
        assert bool(text) is shown


def test_a_streamed_export_counts_its_graphs(tmp_path: Path) -> None:
    from communique.dump import write_stream

    store = GraphStore(tmp_path / "store")
    build([DATA], store=store, jobs=1)
    rec = _Recorder()
    out = io.StringIO()
    assert write_stream(store, "nq", out, rec)
    graphs = len(store.graph_names())
    assert rec.phases == [("exporting", graphs)] and rec.steps["exporting"] == graphs
    assert out.getvalue().count("\n") == len(store)
