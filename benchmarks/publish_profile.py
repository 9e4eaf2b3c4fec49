#!/usr/bin/env python3
"""Time ``publish()`` on a built store, phase by phase, or profile it.

    .venv/bin/python benchmarks/publish_profile.py STORE OUT            # wall time per phase
    .venv/bin/python benchmarks/publish_profile.py STORE OUT --cprofile 40   # top 40 by cumulative time

STORE is a store written by ``communique.build.build(sources, out=None, store=GraphStore(STORE))``;
OUT is emptied and written. Phases are the functions ``publish`` calls, wrapped in place: their
wall time is summed per name, in this process only (``chunk`` runs in the workers when there are any;
``write`` includes waiting for them, and the dumps).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from communique import publish as publish_package
from communique.iris import IRIs
from communique.publish import assemble, dataset, documents, ontology_docs, pages, sitepages
from communique.store import GraphStore

#: (module, function name) of the phases, in the order publish runs them
PHASES: tuple[tuple[Any, str], ...] = (
    (documents, "plan"), (pages.Site, "__init__"), (assemble.ResourceWriter, "chunk"),
    (assemble.ResourceWriter, "_read_others"), (sitepages.SitePages, "__init__"), (assemble.ResourceWriter, "write"),
    (ontology_docs, "write_ontology_docs"), (dataset, "write_dumps"), (dataset, "dataset_graph"),
    (pages, "write_void_page"), (dataset, "write_sitemap"),
)


def _wrap(totals: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started
    return timed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the top N functions instead")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: the usable cores)")
    args = ap.parse_args(argv)
    store = GraphStore(args.store, read_only=True)
    statements = len(store.statement_names())
    totals: dict[str, float] = defaultdict(float)
    for module, name in PHASES:
        original = getattr(module, name)
        wrapped = _wrap(totals, f"{module.__name__.rsplit('.', 1)[-1]}.{name}", original)
        for holder in (module, publish_package, pages, assemble):
            if getattr(holder, name, None) is original:
                setattr(holder, name, wrapped)
    profiler = cProfile.Profile() if args.cprofile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    written = publish_package.publish(store, args.out, IRIs(), [], jobs=args.jobs)
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.cprofile)
    for name, seconds in totals.items():
        print(f"{name:32} {seconds:8.1f} s")
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"peak memory: this process {own.ru_maxrss / 1024:.0f} MB, largest worker {kids.ru_maxrss / 1024:.0f} MB")
    times = os.times()
    print(f"cpu: this process {times.user:.1f} s user + {times.system:.1f} s system, worker processes "
          f"{times.children_user:.1f} s user + {times.children_system:.1f} s system")
    print(f"publish: {statements:,} statements, {len(written):,} files in {elapsed:.1f} s: "
          f"{statements / elapsed:.1f} statements/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
