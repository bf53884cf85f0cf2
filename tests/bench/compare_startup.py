"""Start-up of this checkout against another one, alternating in the same minutes.

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.compare_startup \
        OTHER_CHECKOUT [ROUNDS]

``OTHER_CHECKOUT`` is a work tree of another commit (``git worktree add /tmp/old HEAD~1``).
Both run ``kiosk run --exit-after-first-paint`` never enrolled, with the same interpreter and
venv, each with its own checkout first on ``PYTHONPATH``, beside the bare window of
``bench_startup``; medians and ratios to the bare window. On a shared machine the load moves
every figure; alternating keeps the comparison fair where the absolute numbers are not.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.bench_startup import BARE_WINDOW, _env, _write_config

HERE = Path(__file__).resolve().parents[2]


def _time_to_paint(args: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
                            text=True, cwd=cwd)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if "painted" in line:
                return time.perf_counter() - start
        raise RuntimeError(f"{args[1:3]} in {cwd} ended without painting (exit {proc.wait()})")
    finally:
        proc.wait(timeout=30)


def compare(other: Path, rounds: int = 15) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp)
        config = _write_config(tmp, "new")
        kiosk = [sys.executable, "-m", "kiosk.cli", "--config", str(config), "run",
                 "--exit-after-first-paint"]
        cases = {
            "bare": ([sys.executable, "-c", BARE_WINDOW], env, tmp),
            "this": (kiosk, {**env, "PYTHONPATH": str(HERE)}, HERE),
            "other": (kiosk, {**env, "PYTHONPATH": str(other)}, other),
        }
        for case in cases.values():
            _time_to_paint(*case)  # bytecode and page cache
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, case in cases.items():
                times[name].append(_time_to_paint(*case))
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv: list[str]) -> None:
    other = Path(argv[0]).resolve()
    t = compare(other, int(argv[1]) if len(argv) > 1 else 15)
    bare = t["bare"]
    print(f"bare window {bare * 1000:.0f} ms; this checkout {t['this'] * 1000:.0f} ms "
          f"({t['this'] / bare:.2f}x); {other} {t['other'] * 1000:.0f} ms "
          f"({t['other'] / bare:.2f}x)")


if __name__ == "__main__":
    main(sys.argv[1:])
