"""The leak check every Qt test runs under (tests/support/leaks.py) finds what it is for."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel

from tests.support import leaks


def _snapshot() -> tuple:
    widgets = leaks._top_level_widgets()
    return (leaks._python_threads(), leaks._tasks(), widgets,
            leaks._running_ids(leaks._roots(widgets)))


def test_it_names_a_thread_a_timer_and_a_window_left_behind(qapp, monkeypatch) -> None:
    monkeypatch.setattr(leaks, "GRACE_SECONDS", 0.2)
    before = _snapshot()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="left-running", daemon=True)
    thread.start()
    timer = QTimer(QCoreApplication.instance())
    timer.start(60_000)
    window = QLabel("left open")
    window.setObjectName("forgotten")
    window.show()
    try:
        found = " ".join(leaks.leftovers(*before))
        assert "Python thread 'left-running'" in found
        assert "running QTimer" in found and "60000 ms" in found
        assert "top-level QLabel 'forgotten'" in found
    finally:
        stop.set()
        thread.join()
        timer.stop()
        timer.deleteLater()
        window.close()
        window.deleteLater()
    assert leaks.leftovers(*before) == []  # and once they are gone, nothing
