"""``make bench``: run every benchmark and print its ratio to the baseline."""

from __future__ import annotations

import sys

from tests.bench import bench_enqueue


def main() -> int:
    for bench in (bench_enqueue,):
        print(bench.run(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
