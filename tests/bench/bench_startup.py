"""Launch to painted home screen: ``kiosk run`` against a bare PySide6 window with one label.

Both are separate processes started the same way (offscreen, the same interpreter), timed
from ``Popen`` to the line each writes when its first paint event arrives, so the ratio shows
what the kiosk adds on top of starting Python and Qt. The kiosk runs a production
configuration on simulated devices (no demo stack, no platform reachable) and quits after the
first paint (``--exit-after-first-paint``). Aim: at most 2x the bare window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROUNDS = 7
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", file=sys.stderr, flush=True)
            obj.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication([])
label = QLabel("Hello")
painted = Painted()
label.installEventFilter(painted)
label.resize(1920, 1080)
label.show()
app.exec()
"""
CONFIG = """
[kiosk]
id = "{kiosk_id}"
data_dir = "{data}"
voice_engine = "mock"
[platform]
url = "{url}"
[reader]
backend = "simulated"
[printer]
backend = "file"
path = "{spool}"
"""
KIOSK_ID = "bench-kiosk"


def _write_config(tmp: Path, name: str, url: str = "http://127.0.0.1:9") -> Path:
    config = tmp / f"{name}.toml"
    config.write_text(CONFIG.format(kiosk_id=KIOSK_ID, data=tmp / name, url=url,
                                    spool=tmp / f"{name}.bin"), "utf-8")
    return config


def _enrolled_kiosk(tmp: Path) -> Path:
    """A kiosk as a hall has it: enrolled (its key, the platform's keys pinned) and holding a
    catalogue the platform signed, downloaded once. The platform is stopped before the runs:
    a start must not wait for the network."""
    from sync.downlink.catalog import CatalogSync
    from tests.support.downlink import publish
    from tests.support.platform import PlatformProcess

    data = tmp / "enrolled"
    platform = PlatformProcess(tmp / "platform").start()
    try:
        kiosk = platform.enrol(KIOSK_ID, data / "identity")
        shipped = resources.files("assets") / "catalog" / "services.json"
        publish(platform, shipped.read_bytes())
        client = kiosk.client()
        outcome = CatalogSync(client, data / "catalog", kiosk.keys.catalogue_key).sync()
        client.close()
        if outcome.outcome != "updated":
            raise RuntimeError(f"the catalogue did not download: {outcome}")
        return _write_config(tmp, "enrolled", platform.url)
    finally:
        platform.stop()


def _time_to_line(args: list[str], marker: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
                            text=True)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if marker in line:
                return time.perf_counter() - start
        raise RuntimeError(f"{args[1:3]} ended without painting (exit {proc.wait()})")
    finally:
        proc.wait(timeout=30)


def _env(tmp: Path) -> dict[str, str]:
    """Both processes as an installed kiosk runs: with bytecode. ``pip install`` compiles every
    module; an editable checkout under ``PYTHONDONTWRITEBYTECODE`` would recompile ~90 of ours
    at each start (about 0.2 s here) and measure the compiler, not the start-up. The bytecode
    goes to a cache of this run (``PYTHONPYCACHEPREFIX``), not into the checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}


def measure(rounds: int = ROUNDS) -> dict[str, float]:
    """Median seconds to first paint: the bare window, a kiosk never enrolled, an enrolled
    kiosk with its downloaded catalogue."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp)
        commands = {
            "bare": ([sys.executable, "-c", BARE_WINDOW], "painted"),
            "new": (_kiosk(_write_config(tmp, "new")), "home screen painted"),
            "enrolled": (_kiosk(_enrolled_kiosk(tmp)), "home screen painted"),
        }
        for args, marker in commands.values():
            _time_to_line(args, marker, env)  # warm the page cache and the bytecode
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):  # interleaved, so all see the same machine load
            for name, (args, marker) in commands.items():
                times[name].append(_time_to_line(args, marker, env))
    return {name: statistics.median(t) for name, t in times.items()}


def _kiosk(config: Path) -> list[str]:
    return [sys.executable, "-m", "kiosk.cli", "--config", str(config), "run",
            "--exit-after-first-paint"]


def run() -> str:
    t = measure()
    bare = t["bare"]
    return (f"start-up to first paint (median of {ROUNDS}, aim <= 2x): bare PySide6 window "
            f"{bare * 1000:.0f} ms; kiosk run, enrolled with a downloaded catalogue "
            f"{t['enrolled'] * 1000:.0f} ms -> {t['enrolled'] / bare:.2f}x; never enrolled "
            f"{t['new'] * 1000:.0f} ms -> {t['new'] / bare:.2f}x")


if __name__ == "__main__":
    print(run())
