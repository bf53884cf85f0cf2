"""The home screen with the whole catalogue: building the window and its first paint, against a
bare window with one label built and painted in the same process (offscreen, interleaved
rounds); and a keystroke on the search screen as the citizen sees it (search, tiles shown,
laid out and painted) against a repaint of the same window unchanged, for the shipped
catalogue and 2,000 generated services.

``python -m tests.bench startup`` times the whole ``kiosk run`` to first paint in a process of
its own; this one isolates what the home screen itself costs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from devices.printers.network import NetworkReceiptPrinter  # noqa: E402
from devices.sim.card.inprocess_reader import SimulatedCardReader  # noqa: E402
from kiosk.assembly import assemble_kiosk  # noqa: E402
from kiosk.catalog import Catalog, load_catalog  # noqa: E402
from kiosk.core import KioskCore  # noqa: E402
from kiosk.flow import Step  # noqa: E402
from tests.bench.bench_search import LIMIT, generated_catalog, keystrokes  # noqa: E402
from tests.support.kiosk import test_config  # noqa: E402
from tests.support.platform import free_port  # noqa: E402
from ui.launch import build_window, ensure_app  # noqa: E402
from ui.qt import QApplication, QEvent, QLabel, QObject, QWidget  # noqa: E402

ROUNDS = 7


class _Painted(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.done = True
        return False


def _paint(widget: QWidget, watched: QWidget) -> None:
    painted = _Painted()
    watched.installEventFilter(painted)
    widget.resize(1920, 1080)
    widget.show()
    while not painted.done:
        QApplication.processEvents()
    watched.removeEventFilter(painted)


def _bare() -> float:
    start = time.perf_counter()
    label = QLabel("Hello")
    _paint(label, label)
    seconds = time.perf_counter() - start
    label.close()
    label.deleteLater()
    return seconds


def _home(core: KioskCore) -> float:
    start = time.perf_counter()
    window = build_window(core)
    _paint(window, window.screens[Step.HOME])
    seconds = time.perf_counter() - start
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return seconds


def _core(data: Path, catalog: Catalog) -> KioskCore:
    return assemble_kiosk(test_config(data), readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port()),
                          catalog=catalog)


def _keystrokes_on_screen(core: KioskCore) -> tuple[list[float], list[float]]:
    """Each keystroke's time, and (the baseline) a repaint of the same screen unchanged."""
    window = build_window(core)
    _paint(window, window.screens[Step.HOME])
    core.flow.open_listing("search")
    QApplication.processEvents()
    screen = window.screens[Step.SEARCH]
    times, repaints = [], []
    for typed in keystrokes():
        start = time.perf_counter()
        screen.keypad.set_text(typed)  # what a key press does: search, show, lay out
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        window.repaint()
        QApplication.processEvents()
        repaints.append(time.perf_counter() - start)
    core.flow.reset()
    window.close()
    window.deleteLater()
    return times, repaints


def run() -> str:
    ensure_app()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, catalog in (("shipped", load_catalog()),
                              ("2,000 generated", generated_catalog())):
            core = _core(Path(tmp) / name.split()[0], catalog)
            _home(core), _bare()  # warm caches: fonts, icons, styles
            bare, home = [], []
            for _ in range(ROUNDS):
                bare.append(_bare())
                home.append(_home(core))
            keys, repaints = _keystrokes_on_screen(core)
            core.stop()
            b, h = statistics.median(bare), statistics.median(home)
            rows.append(
                f"  {name} ({len(catalog.services)} services): home screen built and painted "
                f"{h * 1000:.0f} ms, bare window {b * 1000:.1f} ms -> {h / b:.1f}x; a key on "
                f"the search screen (search, tiles, layout, limit {LIMIT}): median "
                f"{statistics.median(keys) * 1000:.1f} ms, p95 "
                f"{statistics.quantiles(keys, n=20)[-1] * 1000:.1f} ms, "
                f"{statistics.median(keys) / statistics.median(repaints):.1f}x a repaint of "
                f"the unchanged window ({statistics.median(repaints) * 1000:.1f} ms)")
    return f"home screen (median of {ROUNDS}, offscreen):\n" + "\n".join(rows)


if __name__ == "__main__":
    print(run())
