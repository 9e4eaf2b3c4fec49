"""Stopping a command cleanly: SIGTERM as an exception, and signals held back while forking.

A command stopped by SIGTERM should unwind as after an error (``finally`` blocks and context
managers remove the temporary files it made) and exit with 143; Python's default is to die at
once. :func:`install` (called by the ``communique`` command, never by the library) makes the
signal raise :class:`SystemExit` in the main thread.

A Python signal handler runs between two bytecodes of whatever the main thread is running, and
some code swallows what it raises: a hook that :func:`os.fork` calls (``logging`` has one), a
``__del__`` method, a weakref callback. Two defences:

* :func:`held` holds SIGTERM and SIGINT back while this process forks workers, so that the
  handler runs after the fork, in the code that asked for it. The children start with the
  signals as they were before; a pool's workers unblock them as they start
  (:func:`worker_started`), whichever thread forked them.
* A stop that was swallowed anyway is noticed (:data:`sys.unraisablehook` sees it) and raised
  again at the next :func:`check` — the command's progress calls it at every step — and, if the
  command ends first, :func:`status` still turns its success into 143.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["check", "held", "install", "installed", "status", "worker_started"]

_HELD = frozenset({signal.SIGTERM, signal.SIGINT})

_blocked: frozenset[int] = frozenset()  # what held() blocked (and the children must unblock)
_received: int | None = None  # the signal that stopped the command
_raised: BaseException | None = None  # the exception its handler raised last
_swallowed = False  # ... and something swallowed it: raise it again at the next check()
_previous_hook: Any = None


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def held() -> Iterator[None]:
    """SIGTERM and SIGINT held back (blocked) in this thread for the block; one that arrives
    meanwhile is handled as the block ends. Processes forked in the block start with the signals
    unblocked. Outside the main thread (where no handler runs) this does nothing."""
    global _blocked
    if not _main_thread() or _blocked:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    _blocked = _HELD - before
    try:
        yield
    finally:
        _blocked = frozenset()
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def worker_started() -> None:
    """For a pool's initializer: SIGTERM and SIGINT unblocked in this worker process, whichever
    thread forked it (a pool's own thread, started inside :func:`held`, has them blocked, and so
    would a worker it forks to replace one that died: its pool could then never terminate it)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


def _in_child() -> None:
    global _blocked
    if _blocked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _blocked)
        _blocked = frozenset()
    if signal.getsignal(signal.SIGTERM) is _stop:
        # a worker must end at once when its pool is terminated, whatever it is waiting for
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


os.register_at_fork(after_in_child=_in_child)


def _stop(signum: int, frame: FrameType | None) -> None:
    global _received, _raised, _swallowed
    _received, _swallowed = signum, False
    _raised = SystemExit(128 + signum)
    raise _raised


def _unraisable(unraisable: Any) -> None:
    global _swallowed
    if _raised is not None and unraisable.exc_value is _raised:
        _swallowed = True
        return
    _previous_hook(unraisable)


def install() -> None:
    """SIGTERM raises ``SystemExit(143)`` in the main thread from now on (idempotent)."""
    global _previous_hook
    if installed():
        return
    signal.signal(signal.SIGTERM, _stop)
    if _previous_hook is None:
        _previous_hook = sys.unraisablehook
        sys.unraisablehook = _unraisable


def installed() -> bool:
    """Whether SIGTERM raises :class:`SystemExit` in this process."""
    return signal.getsignal(signal.SIGTERM) is _stop


def check() -> None:
    """Raise again a stop that something swallowed (in the main thread; elsewhere nothing)."""
    global _swallowed
    if _swallowed and _main_thread() and _received is not None:
        _stop(_received, None)


def status(code: int) -> int:
    """The exit status of a command that ended with ``code``: 128 + the signal if one stopped
    it, even when the stop was swallowed and the command ran on to its end."""
    if code == 0 and _received is not None:
        return 128 + _received
    return code
