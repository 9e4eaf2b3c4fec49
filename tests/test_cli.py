"""The communique command as a user runs it: real processes, exit codes, stderr naming files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, SEED, write

EXE = [sys.executable, "-m", "communique.cli"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)


def test_help_lists_commands() -> None:
    out = run("--help").stdout
    for command in ("extract", "build", "validate", "query", "export"):
        assert command in out
        assert run(command, "--help").returncode == 0


def test_extract_json_contract() -> None:
    result = run("extract", SEED, "--format", "json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    for key in ("source", "title", "kind", "speakers", "place", "date", "issuing_country", "recognized",
                "not_recognized", "persons", "organizations", "countries"):
        assert key in record
    assert record["speakers"][0]["office"] == "Secretary of State"


def test_extract_batch_with_bad_files(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "")
    binary = write(tmp_path / "binary.txt", b"\x00\x01\x02\xff")
    untitled = write(tmp_path / "untitled.txt", "no title line\n---\nbody\n")
    result = run("extract", "--format", "jsonl", empty, SEED, binary, untitled)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1  # the good file is still extracted
    for bad in (empty, binary, untitled):
        assert str(bad) in result.stderr
    assert "empty" in result.stderr and "binary" in result.stderr and "no title" in result.stderr


def test_extract_rdf_formats() -> None:
    assert "schema:headline" in run("extract", SEED, "--format", "turtle").stdout
    assert '"@context"' in run("extract", SEED, "--format", "jsonld").stdout


def test_build_query_export_validate(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    for f in DATA.glob("*.txt"):
        write(sources / f.name, f.read_bytes())
    write(sources / "broken.txt", b"")
    store, out = tmp_path / "store", tmp_path / "lod"
    result = run("build", sources, "--out", out, "--store", store)
    assert result.returncode == 1  # one rejected document
    assert f"built {len(list(DATA.glob('*.txt')))} statement(s)" in result.stdout
    assert "broken.txt" in result.stdout
    rejected = json.loads((out / "rejected.json").read_text())
    assert [r["source"] for r in rejected] == [str(sources / "broken.txt")]
    assert (out / "dumps" / "communique.nq.gz").is_file() and (out / "index.html").is_file()

    q = run("query", "--store", store, "-f", ROOT / "data" / "queries" / "recognitions.rq", "--format", "csv")
    assert q.returncode == 0 and "Juan Guaidó" in q.stdout
    bad = run("query", "--store", store, "SELECT nonsense")
    assert bad.returncode == 1 and "syntax" in bad.stderr
    assert run("query", "--store", store).returncode == 2  # neither QUERY nor -f

    exported = run("export", "--store", store, "--format", "nq", "-o", tmp_path / "all.nq")
    assert exported.returncode == 0 and (tmp_path / "all.nq").read_text().count("\n") > 100

    ok = run("validate", "--store", store)
    assert ok.returncode == 0, ok.stdout


def test_validate_files_exit_codes(tmp_path: Path) -> None:
    good = run("extract", SEED, "--format", "turtle").stdout
    good_file = write(tmp_path / "good.ttl", good)
    assert run("validate", good_file).returncode == 0
    bad_file = write(tmp_path / "bad.ttl", "\n".join(
        line for line in good.splitlines() if "datePublished" not in line))
    result = run("validate", bad_file)  # an undated statement: a warning naming the date
    assert result.returncode == 0
    assert "Warning" in result.stdout and "schema:datePublished" in result.stdout
    assert "publication date" in result.stdout
    assert run("validate", "--strict", bad_file).returncode == 1
    broken = write(tmp_path / "broken.ttl", good.replace('"2019-01-23"^^xsd:date', '"sometime"'))
    result = run("validate", broken)
    assert result.returncode == 1 and "does not conform" in result.stdout
    assert run("validate", "--bogus-option").returncode == 2


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("query", "--store", tmp_path / "nowhere", "ASK {}")
    assert result.returncode == 1 and "no store" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_extract_many_files(fmt: str) -> None:
    files = sorted(DATA.glob("*.txt"))
    out = run("extract", "--format", fmt, *files).stdout
    records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(files)


def test_serve_reads_the_base_iri_from_the_site(tmp_path: Path) -> None:
    from communique.cli import _site_base
    from communique.pipeline import build
    from communique.store import GraphStore

    build([DATA], out=tmp_path / "site", base="http://127.0.0.1:8099/x/", store=GraphStore())
    assert _site_base(tmp_path / "site") == "http://127.0.0.1:8099/x/"
    assert _site_base(tmp_path / "nowhere") == "https://w3id.org/communique/"


def test_build_without_the_site_and_export_streamed(tmp_path: Path) -> None:
    store, out = tmp_path / "store", tmp_path / "lod"
    result = run("build", DATA, "--no-site", "--out", out, "--store", store)
    assert result.returncode == 0 and "not written (--no-site)" in result.stdout and not out.exists()
    nq = run("export", "--store", store, "--format", "nq", "-o", tmp_path / "all.nq")
    assert nq.returncode == 0
    lines = (tmp_path / "all.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == int(result.stdout.split(" triples")[0].rsplit(" ", 1)[1])
    ttl = run("export", "--store", store, "--format", "turtle")
    assert ttl.returncode == 0 and ttl.stdout.startswith("@prefix cq: ")


def test_sigterm_while_publishing_leaves_no_temporary_files(tmp_path: Path) -> None:
    """Regression: SIGTERM used to end the process at once, leaving the sorted runs of the dumps
    (gigabytes at 100,000 statements) in the temporary folder."""
    import signal
    import time

    from communique.publish.forking import PARALLEL_MIN

    from .conftest import corpus_generator

    corpus_generator().generate(PARALLEL_MIN + 20, 5, tmp_path / "corpus")
    temp = tmp_path / "temp"
    temp.mkdir()
    store = tmp_path / "store"
    proc = subprocess.Popen([*EXE, "build", str(tmp_path / "corpus"), "--out", str(tmp_path / "site"), "--store",
                             str(store)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(temp), "PYTHONIOENCODING": "utf-8"})
    deadline = time.monotonic() + 120
    while not any(temp.glob("communique-nquads-*")):  # publishing has begun
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "publishing did not begin within 120 s"
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr[-2000:]
    assert sorted(p.name for p in temp.iterdir()) == []
    assert not store.with_name(store.name + ".load.nq").exists()
    assert not [p for p in (tmp_path / "site").rglob("*.partial")]


def test_forked_workers_die_at_once_on_sigterm() -> None:
    """Regression: forked workers inherited the handler that turns SIGTERM into an exception, which
    runs only between two bytecodes: a worker blocked in a lock when its pool was terminated never
    ended, and the build waited for it forever."""
    script = """
import os, signal, time
from communique import stopping
stopping.install()
assert stopping.installed()
pid = os.fork()
if pid == 0:
    os._exit(0 if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else 1)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == 0, "the child kept the handler"
ready, told = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(told, b"x")
    time.sleep(60)  # ends only by the signal's default action
    os._exit(0)
os.read(ready, 1)
os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
assert os.waitstatus_to_exitcode(status) == -signal.SIGTERM, status
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr


def test_calling_main_in_process_keeps_the_callers_sigterm() -> None:
    """Regression: ``main`` installed its SIGTERM handler in any process that called it (a test
    runner then took a SIGTERM for an exception inside whatever test ran); only the command does."""
    import signal

    from click.testing import CliRunner

    from communique.cli import main

    before = signal.getsignal(signal.SIGTERM)
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_command_starts_without_the_packages_only_some_commands_need() -> None:
    """Regression: every command imported pySHACL, PyLD, trafilatura and Jinja as it started (half of
    its 1.5 s start-up, 40 starts for the reference scorer of the shared corpus)."""
    script = ("import sys, communique.cli; "
              "print(sorted(m for m in ('pyshacl', 'pyld', 'trafilatura', 'jinja2') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
