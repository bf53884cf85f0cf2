"""Citizens cannot close or leave the kiosk window (issue 12, lock-down): key combinations,
context menus and close requests are refused; only ``leave_kiosk`` lets it go."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QContextMenuEvent
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from tests.support.kiosk import kiosk_window, test_config
from tests.support.platform import free_port
from ui.lockdown import ESCAPES, Lockdown, is_escape
from ui.main_window import MainWindow
from ui.qt import QApplication, QEvent, QKeyEvent, QObject, QPointF, Qt, QWidget

ROOT = Path(__file__).resolve().parents[2]
Key, Mod = Qt.Key, Qt.KeyboardModifier
CITIZEN_ESCAPES = [
    (Key.Key_F4, Mod.AltModifier),
    (Key.Key_Q, Mod.ControlModifier),
    (Key.Key_W, Mod.ControlModifier),
    (Key.Key_Tab, Mod.AltModifier),
    (Key.Key_Escape, Mod.NoModifier),
    (Key.Key_Super_L, Mod.NoModifier),
    (Key.Key_F11, Mod.NoModifier),
]


@pytest.fixture
def locked(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, Lockdown]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.5)
    with kiosk_window(qtbot, test_config(tmp_path), SimulatedCardReader(), printer) as (_, w):
        lockdown = Lockdown(w)
        yield w, lockdown
        lockdown.release()  # so that the fixture can close the window


class KeyRecorder(QObject):
    """What reaches the window after the application's filters."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.keys.append(event.key())
        return False


def press(target: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    for kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, key, modifiers))


@pytest.mark.parametrize(("key", "modifiers"), CITIZEN_ESCAPES,
                         ids=lambda v: getattr(v, "name", str(v)))
def test_a_key_combination_does_not_close_or_leave_the_window(
    qtbot: QtBot, locked: tuple[MainWindow, Lockdown], key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    window, lockdown = locked
    recorder = KeyRecorder()
    window.installEventFilter(recorder)
    try:
        press(window, key, modifiers)
        qtbot.wait(50)
    finally:
        window.removeEventFilter(recorder)
    assert window.isVisible()
    assert recorder.keys == []  # swallowed before any widget of the kiosk sees it
    assert lockdown.refused


def test_ordinary_keys_still_reach_the_kiosk(
    qtbot: QtBot, locked: tuple[MainWindow, Lockdown]
) -> None:
    """Digits and letters reach the window; the keypad's keys (arrows, Tab, Enter) are the
    keypad navigation's, which the lock-down lets through: the focus moves."""
    window, lockdown = locked
    recorder = KeyRecorder()
    window.installEventFilter(recorder)
    try:
        for key in (Key.Key_1, Key.Key_X, Key.Key_0):
            press(window, key, Mod.NoModifier)
    finally:
        window.removeEventFilter(recorder)
    assert recorder.keys == [Key.Key_1, Key.Key_X, Key.Key_0]
    window.setFocus()
    for key in (Key.Key_Down, Key.Key_Tab):
        before = window.focusWidget()
        press(window.focusWidget() or window, key, Mod.NoModifier)
        assert window.focusWidget() is not before
    assert lockdown.refused == []


def test_a_close_request_is_refused_until_the_lock_is_released(
    locked: tuple[MainWindow, Lockdown],
) -> None:
    window, lockdown = locked
    assert window.close() is False
    assert window.isVisible()
    lockdown.release()
    assert window.close() is True


def test_context_menus_are_refused(locked: tuple[MainWindow, Lockdown]) -> None:
    window, _ = locked
    asked: list[object] = []
    target = window.home_button
    target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    target.customContextMenuRequested.connect(asked.append)
    where = QPointF(5, 5).toPoint()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, where, Mod.NoModifier)
    QApplication.sendEvent(target, event)
    assert asked == []


QUIT_SCRIPT = """
from ui.lockdown import Lockdown, leave_kiosk
from ui.qt import QApplication, QTimer, QWidget

app = QApplication([])
window = QWidget()
Lockdown(window)
window.show()
QTimer.singleShot(0, QApplication.quit)
QTimer.singleShot(500, lambda: QApplication.exit(9))
print("after quit()", app.exec(), window.isVisible(), flush=True)
QTimer.singleShot(0, leave_kiosk)
safety = QTimer()
safety.timeout.connect(lambda: QApplication.exit(9))
safety.start(5000)
print("after leave_kiosk()", app.exec(), window.isVisible(), flush=True)
"""


def test_an_application_quit_is_refused_and_leave_kiosk_is_not() -> None:
    """Qt 6 closes the windows before it quits: a stray quit() must not take the window down
    (only the forced exit after it ends the loop); leave_kiosk() does. In a process of its own:
    quitting the test session's application would spoil the tests after it."""
    done = subprocess.run([sys.executable, "-c", QUIT_SCRIPT], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["after quit() 9 True", "after leave_kiosk() 0 False"]


def test_every_listed_escape_is_recognised_and_plain_letters_are_not() -> None:
    for key, modifiers in ESCAPES.items():
        held = next(iter(modifiers)) if modifiers else Mod.NoModifier
        assert is_escape(key, held)
    assert not is_escape(Key.Key_Q, Mod.NoModifier)
    assert not is_escape(Key.Key_F4, Mod.NoModifier)
    assert not is_escape(Key.Key_A, Mod.ControlModifier)
