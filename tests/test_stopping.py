"""Stopping a command on SIGTERM: signals held back while forking, a swallowed stop raised again.

Each case runs in a process of its own: the handler and the signal mask belong to a process.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT


#: a fork whose hook takes the SIGTERM that the process sends itself (and so swallows its SystemExit)
_FORK_SWALLOWING_A_STOP = """
import os, signal
def hook():
    os.kill(os.getpid(), signal.SIGTERM)
    for _ in range(1000):  # the handler runs here, between two bytecodes of the hook
        pass
os.register_at_fork(after_in_parent=hook)
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_a_stop_swallowed_by_a_fork_hook_is_raised_again_at_the_next_check() -> None:
    """Regression: SIGTERM arriving while ``os.fork`` ran the hooks of ``logging`` raised its
    SystemExit inside one of them; Python printed "Exception ignored" and the build ran on to its
    end, exiting 0."""
    result = _run("""
from communique import stopping
stopping.install()
""" + _FORK_SWALLOWING_A_STOP + """
print("ran on")
assert stopping.status(0) == 143  # had the command ended now, it would still say it was stopped
try:
    stopping.check()
except SystemExit as exc:
    print("raised", exc.code)
stopping.check()  # raised once
print("then nothing")
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == ["ran on", "raised 143", "then nothing", ""]
    assert "Exception ignored" not in result.stderr


def test_a_signal_while_held_is_handled_as_the_block_ends_and_children_start_unblocked() -> None:
    result = _run("""
import os, signal, time
from communique import stopping
stopping.install()
try:
    with stopping.held():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        print("still running")
        pid = os.fork()
        if pid == 0:
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
            os._exit(0 if signal.SIGTERM not in mask and signal.SIGINT not in mask
                     and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else 1)
        _, status = os.waitpid(pid, 0)
        print("child", os.waitstatus_to_exitcode(status))
    print("not reached")
except SystemExit as exc:
    print("stopped", exc.code)
assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == ["still running", "child 0", "stopped 143", ""]


def test_held_keeps_a_signal_the_caller_had_blocked_blocked() -> None:
    result = _run("""
import signal
from communique import stopping
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
with stopping.held():
    pass
mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
assert signal.SIGTERM in mask and signal.SIGINT not in mask, mask
""")
    assert result.returncode == 0, result.stderr


def test_the_command_exits_143_when_a_swallowed_stop_was_never_raised_again() -> None:
    """The last defence: a command that ran on to its end after a swallowed stop exits 143."""
    result = _run("""
import sys
from communique import cli
import click
@cli.main.command("swallow")
def swallow():
""" + textwrap.indent(_FORK_SWALLOWING_A_STOP, "    ") + """
    click.echo("done")
sys.argv = ["communique", "swallow"]
cli.run()
""")
    assert result.returncode == 143, result.stderr
    assert result.stdout == "done\n"


def test_a_stop_as_the_runs_folder_is_made_leaves_no_folder(tmp_path: Path) -> None:
    """Regression: the folder of the sorted runs was made before the ``try`` that removes it; a
    SIGTERM in between (a test caught it: sent as the folder appeared) left it behind."""
    result = _run(f"""
import os, signal, tempfile
from communique import stopping
from communique.publish.dumps import SortedRuns
stopping.install()
tempfile.tempdir = {str(tmp_path)!r}
made = tempfile.mkdtemp
def mkdtemp(**kw):
    folder = made(**kw)
    os.kill(os.getpid(), signal.SIGTERM)  # the handler runs before the folder is known
    return folder
tempfile.mkdtemp = mkdtemp
runs = SortedRuns()
try:
    runs.make()
    print("not reached")
except SystemExit as exc:
    print("stopped", exc.code)
finally:
    runs.remove()
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "stopped 143\n"
    assert list(tmp_path.iterdir()) == []


def test_a_stop_as_a_dump_is_opened_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a dump's temporary file was made before the ``try`` that removes it."""
    from communique.publish import dumps
    from communique.store import GraphStore

    opened = dumps._Output.open

    def open_then_stop(self: dumps._Output) -> None:
        opened(self)
        if self.target.name.endswith(".ttl.gz"):
            raise KeyboardInterrupt
    monkeypatch.setattr(dumps._Output, "open", open_then_stop)
    lines = ['<http://example.org/s> <http://example.org/p> "o" <http://example.org/g> .']
    with pytest.raises(KeyboardInterrupt):
        dumps.write_gzipped_dumps(GraphStore(), tmp_path / "d.nq.gz", tmp_path / "d.ttl.gz", lambda: iter(lines))
    assert list(tmp_path.iterdir()) == []


def test_a_stop_as_the_spool_is_made_leaves_no_spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: the spool of a store built from empty was made before the ``try`` that removes it."""
    from communique.build import build
    from communique.store import GraphStore

    from .conftest import SEED

    src = tmp_path / "src"
    src.mkdir()
    (src / SEED.name).write_bytes(SEED.read_bytes())
    made = Path.open

    def open_then_stop(self: Path, *args: object, **kwargs: object) -> object:
        file = made(self, *args, **kwargs)  # type: ignore[arg-type]
        if self.name.endswith(".load.nq"):
            file.close()
            raise KeyboardInterrupt
        return file
    monkeypatch.setattr(Path, "open", open_then_stop)
    with pytest.raises(KeyboardInterrupt):
        build([src], store=GraphStore(tmp_path / "store"), jobs=1)
    assert not (tmp_path / "store.load.nq").exists()


def test_a_worker_forked_by_a_pools_thread_can_be_terminated() -> None:
    """Regression: a pool made inside ``held()`` has threads with SIGTERM blocked; a worker one of
    them forked in place of one that ended kept it blocked, and ``terminate()`` could not end it."""
    result = _run("""
import os, signal
from multiprocessing import get_context
from communique import stopping
def state():
    return os.getpid(), signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
stopping.install()
with stopping.held():  # a worker ends after each task: the pool's thread forks the next one
    pool = get_context("fork").Pool(1, initializer=stopping.worker_started, maxtasksperchild=1)
first, second = pool.apply(state), pool.apply(state)
assert first[0] != second[0], "the same worker"
assert not first[1] and not second[1], (first, second)
pool.terminate()
pool.join()
print("terminated")
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "terminated\n"
