"""Screens as a citizen moves through them (issue 12's benchmarks), offscreen, in one process:

- **transition**: from the flow's call to the next screen shown and painted (``repaint``), for
  each step of a visit, median and p95 — against a bare ``QStackedWidget`` switching between
  two label pages and painting, measured the same way in the same run (aim: p95 under 50 ms);
- **memory**: the process's resident size after 1,000 scripted visits (service, guide,
  privacy, card, form, confirm, submit to the outbox, receipt, rating, home) against after the
  first 10 (aim: growth under 10 MB);
- **key to speech**: from a Down key in audio mode to the focused control's text handed to the
  speech process — against the same key moving the focus without audio mode.

``python -m tests.bench bench_screens`` runs it (``SCREENS_VISITS=N`` for fewer visits).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from devices.sim.card.inprocess_reader import SimulatedCardReader  # noqa: E402
from kiosk.assembly import assemble_kiosk  # noqa: E402
from kiosk.core import KioskCore  # noqa: E402
from kiosk.flow import Step  # noqa: E402
from ui.gallery import FORM_ANSWERS, SERVICE, gallery_config  # noqa: E402
from ui.launch import build_window, ensure_app  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt import QApplication, QKeyEvent, QLabel, QStackedWidget, Qt  # noqa: E402
from ui.qt import QEvent as _QEvent  # noqa: E402

VISITS = int(os.environ.get("SCREENS_VISITS", "1000"))


def _pump(until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run events until ``until()``, as the kiosk's event loop does: with no loop running,
    ``processEvents`` leaves widgets deleted later alive, so deliver those too."""
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise RuntimeError("the screen never came")
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, _QEvent.Type.DeferredDelete.value)


def _timed(action: Callable[[], None], shown: Callable[[], bool], window: QApplication | object
           ) -> float:
    start = time.perf_counter()
    action()
    _pump(shown)
    window.repaint()  # type: ignore[attr-defined]
    return time.perf_counter() - start


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _visit(core: KioskCore, win: MainWindow, reader: SimulatedCardReader,
           times: list[float] | None = None) -> None:
    def step(action: Callable[[], None], target: Step) -> None:
        screen = win.screens[target]
        t = _timed(action, lambda: win.stack.currentWidget() is screen, win)
        if times is not None:
            times.append(t)

    step(lambda: core.flow.choose_service(SERVICE), Step.GUIDE)
    step(core.flow.accept_guide, Step.PRIVACY)
    step(core.flow.accept_privacy, Step.IDENTIFY)
    step(lambda: reader.insert("ssc"), Step.FORM)
    step(lambda: core.flow.submit_form(dict(FORM_ANSWERS)), Step.CONFIRM)
    step(core.submit, Step.RECEIPT)
    step(core.flow.finish_receipt, Step.RATING)
    step(lambda: core.flow.rate(5), Step.FAREWELL)
    step(core.flow.reset, Step.HOME)
    reader.remove()


def _bare_switches(rounds: int) -> list[float]:
    stack = QStackedWidget()
    pages = [QLabel("Hello"), QLabel("World")]
    for page in pages:
        stack.addWidget(page)
    stack.resize(1920, 1080)
    stack.show()
    QApplication.processEvents()
    times = []
    for i in range(rounds):
        page = pages[(i + 1) % 2]
        times.append(_timed(lambda p=page: stack.setCurrentWidget(p),
                            lambda p=page: stack.currentWidget() is p, stack))
    stack.close()
    return times


def _key_to_speech(win: MainWindow, audio: bool, rounds: int = 200) -> list[float]:
    voice = win.ctx.voice
    said: list[float] = []
    original = voice._send  # noqa: SLF001 - the moment a text is handed to the speech process

    def send(command: dict[str, object]) -> None:
        said.append(time.perf_counter())
        original(command)

    voice._send = send  # type: ignore[method-assign]  # noqa: SLF001
    win.audio_mode.set_active(audio)
    times = []
    try:
        for _ in range(rounds):
            target = win.focusWidget() or win
            said.clear()
            start = time.perf_counter()
            QApplication.sendEvent(target, QKeyEvent(_QEvent.Type.KeyPress, Qt.Key.Key_Down,
                                                     Qt.KeyboardModifier.NoModifier))
            QApplication.processEvents()
            times.append((said[-1] if said else time.perf_counter()) - start)
    finally:
        voice._send = original  # type: ignore[method-assign]  # noqa: SLF001
        win.audio_mode.set_active(False)
    return times


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def run() -> str:
    ensure_app()
    with tempfile.TemporaryDirectory() as data:
        reader = SimulatedCardReader()
        core = assemble_kiosk(gallery_config(Path(data), "zh_CN"), readers=reader)
        core.start()
        win = build_window(core, start_voice=False)
        win.resize(1920, 1080)
        win.show()
        _pump(win.isVisible)
        try:
            for _ in range(10):
                _visit(core, win, reader)
            after_10 = _rss_mb()
            transitions: list[float] = []
            for i in range(VISITS - 10):
                _visit(core, win, reader, transitions if i < 50 else None)
            after_all = _rss_mb()
            bare = _bare_switches(len(transitions))
            plain = _key_to_speech(win, audio=False)
            spoken = _key_to_speech(win, audio=True)
        finally:
            win.close()
            core.stop()
    med, p95 = statistics.median(transitions) * 1000, _p95(transitions) * 1000
    bare_med = statistics.median(bare) * 1000
    return (f"screens: transition median {med:.1f} ms, p95 {p95:.1f} ms (aim p95 < 50 ms); "
            f"{med / bare_med:.1f}x a bare page switch ({bare_med:.2f} ms); memory after "
            f"{VISITS} visits {after_all:.0f} MB against {after_10:.0f} MB after 10 "
            f"(+{after_all - after_10:.1f} MB, aim < 10 MB); key to speech median "
            f"{statistics.median(spoken) * 1000:.2f} ms, p95 {_p95(spoken) * 1000:.2f} ms, "
            f"{statistics.median(spoken) / statistics.median(plain):.2f}x the same key "
            "without audio mode")


if __name__ == "__main__":
    print(run())
