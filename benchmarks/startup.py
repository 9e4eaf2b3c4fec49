#!/usr/bin/env python3
"""How long the ``communique`` command takes to start: median wall time of fresh processes.

The command imports pySHACL, PyLD, trafilatura and Jinja only when a command first needs them.
Baselines measured in the same run: a bare interpreter, and an interpreter that imports those
packages with the command's module (what every command cost when they were imported up front).

    .venv/bin/python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "statements" / "2019-01-23-continuing-us-diplomatic-presence-in-venezuela.txt"
PY = sys.executable
CASES = {
    "bare interpreter (`python -c pass`)": [PY, "-c", "pass"],
    "imports up front (the command's module with pySHACL, PyLD, trafilatura, Jinja)":
        [PY, "-c", "import pyshacl, pyld.jsonld, trafilatura, jinja2, communique.cli"],
    "`communique --help`": [PY, "-m", "communique.cli", "--help"],
    "`communique extract SEED`": [PY, "-m", "communique.cli", "extract", str(SEED)],
    "`communique extract SEED --format turtle`": [PY, "-m", "communique.cli", "extract", str(SEED), "--format", "turtle"],
}


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="processes started per case (default 15)")
    args = parser.parse_args()
    figures = {label: median_seconds(argv, args.runs) for label, argv in CASES.items()}
    up_front = figures[list(CASES)[1]]
    print(f"| what starts ({args.runs} runs, median) | seconds | ÷ imports up front |")
    print("|---|---:|---:|")
    for label, seconds in figures.items():
        print(f"| {label} | {seconds:.3f} | {seconds / up_front:.2f} |")


if __name__ == "__main__":
    main()
