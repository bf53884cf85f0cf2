"""``make bench``: run every benchmark and print its ratio to the baseline."""

from __future__ import annotations

import sys

from tests.bench import (
    bench_downlink,
    bench_drain,
    bench_enqueue,
    bench_enqueue_persistqueue,
    bench_fleet,
    bench_gat467,
    bench_pcsc,
    bench_receipt,
    bench_signing,
    bench_startup,
)


def main() -> int:
    for bench in (
        bench_enqueue,
        bench_enqueue_persistqueue,
        bench_drain,
        bench_fleet,
        bench_downlink,
        bench_gat467,
        bench_pcsc,
        bench_receipt,
        bench_signing,
        bench_startup,
    ):
        print(bench.run(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
