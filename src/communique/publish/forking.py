"""Worker processes forked from the main process of a publication, and what they share with it.

The workers of :mod:`.assemble` are forked (never spawned): they inherit what the main process has
read — the corpus, the merged pieces of the statements — without pickling it. What they inherit is
frozen out of the cyclic garbage collector, which would otherwise touch (and so copy) every page of
it in each of them; connections to the record and the graph cache are closed before the fork, each
process opening its own.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import Any, Protocol, TypeVar

from ..stopping import held
from ..store import GraphStore

__all__ = ["PARALLEL_MIN", "fork_pool", "frozen", "parallel", "pool_map", "reopen", "uncollected"]

#: fewer statements than this are written in this process
PARALLEL_MIN = 100

T = TypeVar("T")


class _Closable(Protocol):
    def close(self) -> None: ...


@contextmanager
def uncollected() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: the pieces of every statement, millions of objects
    held until the end, would be walked again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """What ``gc.freeze()`` moves out of the collector's walks meanwhile stays out until the block
    ends (what a publication reads and merges is held until its end: every full collection would
    walk millions of objects again); an enclosing block keeps it frozen longer."""
    was = gc.get_freeze_count()
    try:
        yield
    finally:
        if not was:
            gc.unfreeze()


def parallel(store: GraphStore, statements: int, jobs: int) -> bool:
    """Whether forked processes can share the work: a store on disk, enough statements, cores."""
    return jobs > 1 and statements >= PARALLEL_MIN and isinstance(store, GraphStore) \
        and store.path is not None and "fork" in multiprocessing.get_all_start_methods()


def reopen(store: GraphStore) -> GraphStore:
    """In a forked process: a read-only handle of its own on ``store`` (the inherited one stays
    referenced by the frames this process never returns to, so it is never closed from here)."""
    return GraphStore(store.path, read_only=True) if store.path is not None else store


@contextmanager
def fork_pool(count: int, initializer: Callable[[], None], closing: Iterable[_Closable | None]) -> Iterator[Pool | None]:
    """``count`` worker processes forked now (None: one process, this one), each started by
    ``initializer``; ``closing`` is closed first (each process opens a connection of its own).
    Leaving the block normally waits for the tasks given; an error terminates the workers."""
    pool: Pool | None = None
    was = gc.get_freeze_count()
    try:
        if count > 1:
            gc.freeze()
            for opened in closing:
                if opened is not None:
                    opened.close()
            with held():  # a signal now is handled after the forks, not inside their hooks
                pool = multiprocessing.get_context("fork").Pool(count, initializer=initializer)
        yield pool
        if pool is not None:
            pool.close()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            if not was:
                gc.unfreeze()


def pool_map(pool: Pool | None, fn: Callable[[Any], T], tasks: list[Any], ordered: bool = True) -> Iterator[T]:
    """``fn`` over ``tasks`` in the workers of ``pool`` (as they end when not ``ordered``), or here."""
    if pool is None:
        return map(fn, tasks)
    if ordered:
        return pool.imap(fn, tasks)
    return pool.imap_unordered(fn, tasks, chunksize=max(1, min(16, len(tasks) // 64)))
