"""How fast the compiled SHACL validator is next to pySHACL, per statement graph.

    .venv/bin/python benchmarks/shacl_core.py [CORPUS_DIR] [--limit N] [--sample N] [--batch 32]

Reads and maps the statements of a synthetic corpus as the build does (``documents``,
``read_statement``, ``statement_graph``), then times, in ms per statement:

* pySHACL (:func:`communique.validate.validate_graph`) on one statement graph at a time, and on
  batches of ``--batch`` graphs merged into one (as the pySHACL build path validates), over the
  first ``--sample`` statements;
* :class:`communique.shacl.CoreValidator` on every statement, given the rdflib Graph (its time
  includes rdflib's own iteration over the graph) and given the set of triples (what the build
  workers pass).

It also prints how many of the sampled reports are identical to pySHACL's. It asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Graph

from communique.errors import DocumentError
from communique.extract import load_authority
from communique.iris import IRIs
from communique.mapping import statement_graph
from communique.pipeline import documents, read_statement
from communique.shacl import core_validator
from communique.validate import validate_graph

__all__ = ["main"]

DEFAULT_CORPUS = Path("/work/corpora/c1k")


def load(corpus: Path, limit: int) -> list[Graph]:
    """The statement graphs of the first ``limit`` source files of ``corpus``."""
    authority, iris, graphs = load_authority(), IRIs(), []
    for path in sorted(p for p in corpus.iterdir() if p.suffix in {".txt", ".html", ".htm", ".warc", ".gz"})[:limit]:
        for doc in documents(path):
            if isinstance(doc, DocumentError):
                continue
            try:
                graphs.append(statement_graph(read_statement(doc, authority), iris))
            except DocumentError:
                continue
    return graphs


def per_statement(run: Callable[[], object], statements: int, repeat: int = 3) -> float:
    """The best of ``repeat`` runs of ``run``, in ms per statement (CPU time of this process)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best * 1000 / statements


def _merged(graphs: Sequence[Graph], size: int) -> list[Graph]:
    batches = []
    for i in range(0, len(graphs), size):
        batch = Graph()
        for g in graphs[i:i + size]:
            batch += g
        batches.append(batch)
    return batches


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=1000, help="source files read (default 1000)")
    parser.add_argument("--sample", type=int, default=200, help="statements validated by pySHACL (default 200)")
    parser.add_argument("--batch", type=int, default=32, help="graphs per pySHACL batch (default 32)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    start = time.perf_counter()
    graphs = load(args.corpus, args.limit)
    triples = [set(g) for g in graphs]
    sample = graphs[:args.sample]
    print(f"{len(graphs)} statements from {args.corpus} read and mapped in {time.perf_counter() - start:.1f} s; "
          f"{sum(map(len, graphs)) / max(len(graphs), 1):.0f} triples per statement on average")

    validator = core_validator()  # compiled once, outside the timings
    validate_graph(sample[0])  # pySHACL's first call loads its shapes
    same = sum(validator.validate(g) == validate_graph(g) for g in sample)
    batches = _merged(sample, args.batch)

    single = per_statement(lambda: [validate_graph(g) for g in sample], len(sample), repeat=1)
    batched = per_statement(lambda: [validate_graph(b) for b in batches], len(sample), repeat=1)
    core_graph = per_statement(lambda: [validator.validate(g) for g in graphs], len(graphs))
    core_set = per_statement(lambda: [validator.validate(t) for t in triples], len(triples))

    print(f"reports identical to pySHACL's: {same}/{len(sample)}")
    print("| validator | ms per statement | pySHACL (single) / this |")
    print("|---|---:|---:|")
    for name, ms in (("pySHACL, one graph at a time", single),
                     (f"pySHACL, batches of {args.batch} graphs merged", batched),
                     ("CoreValidator, rdflib Graph", core_graph),
                     ("CoreValidator, set of triples", core_set)):
        print(f"| {name} | {ms:.3f} | {single / ms:.0f}× |")


if __name__ == "__main__":
    main()
