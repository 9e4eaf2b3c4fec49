#!/usr/bin/env python3
"""How long writing a publication's files takes: created, written again after truncating them, and
written again in place (``documents.write_file``), in one run on the same file system.

    .venv/bin/python benchmarks/filewrites.py [--files 20000] [--size 6000] [--dir /tmp]

Writes ``--files`` files of ``--size`` bytes (about the median of a statement's documents) into a
fresh folder under ``--dir`` three times and prints the seconds of each way with its ratio to
writing again after truncating (what a publication did before it wrote in place). The files are
synced before each way, so that the blocks freed by one way do not weigh on the next.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from communique.publish.documents import write_file


def _truncating(target: Path, text: str) -> None:
    data = text.encode("utf-8")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _timed(paths: list[Path], texts: list[str], write: Callable[[Path, str], None]) -> tuple[float, float]:
    os.sync()
    started, cpu = time.perf_counter(), os.times()
    for path, text in zip(paths, texts):
        write(path, text)
    done = os.times()
    return time.perf_counter() - started, done.system - cpu.system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--size", type=int, default=6000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="communique-filewrites-", dir=args.dir))
    try:
        paths = [folder / f"{n // 1000:03d}" / f"{n:06d}.ttl" for n in range(args.files)]
        for parent in sorted({p.parent for p in paths}):
            parent.mkdir()
        # texts of about the same size each time, not the same bytes: as a statement written again
        texts = [[f"{way}{n:06d} ".ljust(args.size + (n % 7) * 11 - way * 5, "x") + "\n" for n in range(args.files)]
                 for way in range(3)]
        created = _timed(paths, texts[0], write_file)
        truncated = _timed(paths, texts[1], _truncating)
        in_place = _timed(paths, texts[2], write_file)
        print(f"{args.files:,} files of ~{args.size:,} bytes in {args.dir}")
        print("| way | wall s | system CPU s | µs a file | truncating ÷ this way (wall) |")
        print("|---|---:|---:|---:|---:|")
        for label, (wall, system) in (("created", created), ("written again, truncated first", truncated),
                                      ("written again in place (write_file)", in_place)):
            print(f"| {label} | {wall:.2f} | {system:.2f} | {wall / args.files * 1e6:.0f} | {truncated[0] / wall:.1f}× |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
