"""How long jobs tell their advance: phases, each with a size, and steps.

``build`` and ``publish`` take a :class:`Progress`; the base class shows nothing (what a library
call gets by default). :class:`TerminalProgress` shows each phase on standard error — a bar when
its size is known, its label and duration when not — and nothing at all when standard error is not
a terminal, so that logs and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import click

__all__ = ["Progress", "TerminalProgress", "progress_of"]


class Progress:
    """A job's advance. This base class records nothing and shows nothing."""

    def phase(self, label: str, total: int | None = None) -> None:
        """A new phase of ``total`` steps (None: a size not known in advance); ends the last one."""

    def step(self, n: int = 1, item: str | None = None) -> None:
        """``n`` more steps of the current phase done (``item``: what was just done)."""

    def close(self) -> None:
        """The job is over (or failed): end the current phase."""


class _Callback(Progress):
    """A plain callable, given the item of every step (the source a build has just read)."""

    def __init__(self, fn: Callable[[str], Any]) -> None:
        self.fn = fn

    def step(self, n: int = 1, item: str | None = None) -> None:
        if item is not None:
            self.fn(item)


def progress_of(progress: Progress | Callable[[str], Any] | None) -> Progress:
    """A :class:`Progress` for what a caller passed: one, a callable of items, or nothing."""
    if progress is None:
        return Progress()
    if isinstance(progress, Progress):
        return progress
    return _Callback(progress)


class TerminalProgress(Progress):
    """Phases on ``stream`` (standard error) one after another, only when it is a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bar: Any = None
        self._label: str | None = None
        self._started = 0.0

    def phase(self, label: str, total: int | None = None) -> None:
        self.close()
        if not self.enabled:
            return
        if total is None:
            self._label, self._started = label, time.monotonic()
            click.echo(f"{label} …", file=self.stream, nl=False)
            return
        self._bar = click.progressbar(length=total, label=label, file=self.stream,
                                      item_show_func=lambda item: item)
        self._bar.__enter__()

    def step(self, n: int = 1, item: str | None = None) -> None:
        if self._bar is not None:
            self._bar.update(n, item)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
        if self._label is not None:
            click.echo(f" {time.monotonic() - self._started:.1f} s", file=self.stream)
            self._label = None
