"""Every control of every screen of a visit by keys (issue 12, "tests that measure"): Down
reaches each visible control once, in reading order (rows top to bottom, left to right in a
row); in audio mode each focused control is said as the screen reader says it, its name in
the words; Enter on each is what a tap does (the focused control's click)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from tests.support.kiosk import kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.gallery import WALK
from ui.keypad_nav import reading_order
from ui.main_window import MainWindow
from ui.qt import QAbstractButton, Qt

Key = Qt.Key


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, win):
        yield core, win, reader


def press(qtbot: QtBot, win: MainWindow, key: Qt.Key) -> None:
    qtbot.keyClick(win.focusWidget() or win, key)


def test_every_control_of_every_screen_is_reached_said_and_entered(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, reader = ui
    voice = win.ctx.voice
    for shot in WALK:
        shot.go(core, reader)
        qtbot.waitUntil(lambda s=shot: showing(win, s.step), timeout=5000)
        qtbot.wait(30)
        win.audio_mode.set_active(True)
        win.setFocus()
        order = reading_order(win)
        assert order, shot.name
        for expected in order:
            press(qtbot, win, Key.Key_Down)
            focused = win.focusWidget()
            assert focused is expected, (shot.name, expected.objectName())
            said = voice.spoken[-1]
            assert said == win.audio_mode.describe(focused), (shot.name, said)
            if not focused.property("private"):
                name = focused.accessibleName() or focused.text()
                assert name and name in said, (shot.name, focused.objectName(), said)
            entered: list[QAbstractButton] = []
            focused.click = lambda b=focused, e=entered: e.append(b)  # type: ignore[method-assign]
            try:
                press(qtbot, win, Key.Key_Return)
            finally:
                del focused.click
            assert entered == [focused], (shot.name, focused.objectName())
        press(qtbot, win, Key.Key_Down)
        assert win.focusWidget() is order[0], shot.name  # round again, from the top
