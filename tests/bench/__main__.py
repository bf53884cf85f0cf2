"""``make bench``: run every benchmark and print its ratio to the baseline.

``python -m tests.bench enqueue`` runs only the benchmarks whose module name contains one of
the words given (here ``bench_enqueue`` and ``bench_enqueue_persistqueue``); a module's full
name (``bench_enqueue``) runs that one alone.
"""

from __future__ import annotations

import sys

from tests.bench import (
    bench_catalog,
    bench_downlink,
    bench_drain,
    bench_enqueue,
    bench_enqueue_persistqueue,
    bench_fleet,
    bench_gat467,
    bench_home,
    bench_pcsc,
    bench_proofs,
    bench_receipt,
    bench_records,
    bench_screens,
    bench_search,
    bench_signing,
    bench_startup,
)

BENCHMARKS = (
    bench_catalog,
    bench_enqueue,
    bench_enqueue_persistqueue,
    bench_drain,
    bench_fleet,
    bench_downlink,
    bench_gat467,
    bench_pcsc,
    bench_receipt,
    bench_proofs,
    bench_records,
    bench_screens,
    bench_signing,
    bench_search,
    bench_home,
    bench_startup,
)


def _matches(word: str, module: str) -> bool:
    """A module's own name picks that one alone; any other word picks every name holding it."""
    names = [b.__name__.rsplit(".", 1)[-1] for b in BENCHMARKS]
    short = module.rsplit(".", 1)[-1]
    return short == word if word in names else word in short


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    chosen = [b for b in BENCHMARKS if not words or any(_matches(w, b.__name__) for w in words)]
    if not chosen:
        names = ", ".join(b.__name__.rsplit(".", 1)[-1] for b in BENCHMARKS)
        print(f"no benchmark matches {' '.join(words)!r}; there are: {names}", file=sys.stderr)
        return 2
    for bench in chosen:
        print(bench.run(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
