"""Soak: many kill -9 trials against a real reference platform (the test suite runs 25).

    python -m tests.soak_crash --trials 200 [--seed 0] [--mode enqueue|sync|both]

The kiosk is its own wiring, signed, and the platform (signatures required) is stopped and
restarted under it (see ``tests/support/crash.py``). Prints one line per trial and a summary;
exits 1 at the first trial that lost or duplicated a record, or was slower than the drain
bound to send its backlog once the platform answered (the assertion says which seed, so it
can be replayed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.support.crash import DRAIN_BOUND, run_trial
from tests.support.platform import PlatformProcess


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=["enqueue", "sync", "both"], default="both")
    args = parser.parse_args(argv)
    modes = ["enqueue", "sync"] if args.mode == "both" else [args.mode]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="soak-crash-") as tmp:
        platform = PlatformProcess(Path(tmp) / "platform", require_signatures=True).start()
        try:
            totals = {"returned": 0, "duplicates": 0}
            slowest = 0.0
            for n in range(args.trials):
                mode = modes[n % len(modes)]
                seed = args.seed + n
                try:
                    result = run_trial(mode, platform, Path(tmp) / f"trial{n}", seed)
                except AssertionError as exc:
                    print(f"trial {n} ({mode}, seed {seed}) FAILED: {exc}", flush=True)
                    return 1
                totals["returned"] += result.returned
                totals["duplicates"] += result.resent_duplicates
                running = result.running_drain_seconds
                slowest = max(slowest, result.drain_seconds, running or 0.0)
                print(
                    f"trial {n:4d} {mode:7s} seed {seed}: {result.returned} returned, "
                    f"{result.on_platform} on platform once each, "
                    f"{result.resent_duplicates} re-sent as duplicate; drained in "
                    + (f"{running:.2f} s running, " if running is not None else "")
                    + f"{result.drain_seconds:.2f} s after the restart",
                    flush=True,
                )
        finally:
            platform.stop()
    print(
        f"{args.trials} trials in {time.monotonic() - started:.0f} s: 0 lost, 0 duplicated; "
        f"{totals['returned']} acknowledged enqueues checked, "
        f"{totals['duplicates']} records re-sent after a kill and recognised as duplicates; "
        f"slowest drain {slowest:.2f} s (bound {DRAIN_BOUND:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
