"""Every screen operable from a navigation keypad (issue 12 item 1): the keys move the focus
through every visible control in reading order, Enter does what a tap does, Back goes back,
Help says the instructions again, and key presses count as activity for the idle guard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.config import KeypadSection
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.support.kiosk import kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.gallery import WALK
from ui.keypad_nav import key_codes, reading_order
from ui.main_window import MainWindow
from ui.qt import QAbstractButton, QPoint, Qt

Key = Qt.Key


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, idle_seconds=2)
    with kiosk_window(qtbot, config, reader, printer) as (core, win):
        yield core, win, reader


def press(qtbot: QtBot, win: MainWindow, key: Qt.Key) -> None:
    target = win.focusWidget() or win
    qtbot.keyClick(target, key)


def walk_focus(qtbot: QtBot, win: MainWindow) -> list[QAbstractButton]:
    """Press Down until the focus comes back to where it started; what it visited."""
    press(qtbot, win, Key.Key_Down)
    first = win.focusWidget()
    assert isinstance(first, QAbstractButton)
    visited = [first]
    for _ in range(400):
        press(qtbot, win, Key.Key_Down)
        focused = win.focusWidget()
        assert isinstance(focused, QAbstractButton)
        if focused is first:
            return visited
        visited.append(focused)
    raise AssertionError("the focus never came back round")


def test_down_visits_every_visible_control_once_in_reading_order(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    _, win, _ = ui
    win.setFocus()  # nothing of the screen focused yet: the first key starts at the top
    visited = walk_focus(qtbot, win)
    shown = [b for b in win.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]
    assert sorted(map(id, visited)) == sorted(map(id, shown))  # each once, none left out
    tops = [b.mapTo(win, QPoint(0, 0)).y() + b.height() // 2 for b in visited]
    # Reading order: a later control is never on an earlier row (half a control's leeway).
    for i in range(1, len(visited)):
        a, b = visited[i - 1], visited[i]
        assert tops[i] >= tops[i - 1] - min(a.height(), b.height()) / 2, (a.objectName(),
                                                                         b.objectName())
    assert visited[0].objectName() == "care-mode"  # the header first
    press(qtbot, win, Key.Key_Up)
    assert win.focusWidget() is visited[-1]  # Up goes the other way, wrapping


def test_every_screen_of_a_visit_is_walked_by_keys_alone(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, reader = ui
    for shot in WALK:
        shot.go(core, reader)
        qtbot.waitUntil(lambda s=shot: showing(win, s.step), timeout=5000)
        qtbot.wait(30)
        win.setFocus()
        visited = walk_focus(qtbot, win)
        assert {id(b) for b in visited} == {id(b) for b in reading_order(win)}, shot.name
        assert len(visited) == len(reading_order(win)), shot.name


def test_enter_does_what_a_tap_does_and_back_goes_back(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, _ = ui
    search = win.findChild(QAbstractButton, "home-search")
    assert search is not None
    for _ in range(60):
        press(qtbot, win, Key.Key_Down)
        if win.focusWidget() is search:
            break
    assert win.focusWidget() is search
    press(qtbot, win, Key.Key_Return)
    qtbot.waitUntil(lambda: showing(win, Step.SEARCH), timeout=5000)
    press(qtbot, win, Key.Key_Backspace)
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)


def test_help_says_the_instructions_again(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, _ = ui
    core.flow.choose_service("elderly-card-apply")
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    prompt = win.screens[Step.GUIDE].prompt()
    said = len(win.ctx.voice.spoken)
    press(qtbot, win, Key.Key_F1)
    assert win.ctx.voice.spoken[said:] == [prompt]


def test_key_presses_keep_the_idle_guard_from_firing(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, _ = ui
    core.flow.choose_service("elderly-card-apply")
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    for _ in range(6):  # 3 s of a citizen using the keypad, with a 2 s idle time
        qtbot.wait(500)
        press(qtbot, win, Key.Key_Down)
    assert not win.idle_overlay.isVisible()
    qtbot.waitUntil(win.idle_overlay.isVisible, timeout=5000)  # and idle once they stop


def test_a_key_name_that_is_not_a_key_is_refused_in_words() -> None:
    assert key_codes(KeypadSection().next, "next") == {
        Key.Key_Down.value, Key.Key_Right.value, Key.Key_Tab.value}
    with pytest.raises(ValueError, match=r"\[keypad\] back: 'Bakc' is not a key name"):
        key_codes(("Bakc",), "back")


def test_audio_mode_speaks_each_focused_control_and_ends_with_the_visit(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, _ = ui
    voice = win.ctx.voice
    win.setFocus()
    press(qtbot, win, Key.Key_F2)
    assert win.audio_mode.active
    assert voice.spoken[-1] == win.audio_mode.introduction()
    press(qtbot, win, Key.Key_Down)
    focused = win.focusWidget()
    assert isinstance(focused, QAbstractButton) and focused.objectName() == "care-mode"
    # Name, role and state, as a screen reader says them.
    assert voice.spoken[-1] == win.audio_mode.describe(focused)
    assert focused.accessibleName() in voice.spoken[-1] or focused.text() in voice.spoken[-1]
    assert win.audio_mode.tr("not selected") in voice.spoken[-1]
    press(qtbot, win, Key.Key_Return)  # care mode on: the state is said when focus comes back
    press(qtbot, win, Key.Key_Up)
    press(qtbot, win, Key.Key_Down)
    assert voice.spoken[-1].endswith(win.audio_mode.tr("selected"))
    core.flow.choose_service("elderly-card-apply")
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    assert win.audio_mode.active  # the visit goes on
    core.flow.reset()
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert not win.audio_mode.active
    said = len(voice.spoken)
    press(qtbot, win, Key.Key_Down)
    assert voice.spoken[said:] == []  # no longer spoken


def test_a_private_key_is_spoken_as_a_key_only(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    _, win, _ = ui
    key = win.findChild(QAbstractButton, "care-mode")
    assert key is not None
    key.setProperty("private", True)  # as a PIN keypad's keys are
    try:
        assert win.audio_mode.describe(key) == win.audio_mode.tr("key")
    finally:
        key.setProperty("private", False)


def test_in_audio_mode_any_key_answers_the_idle_warning(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader]
) -> None:
    core, win, _ = ui
    core.flow.choose_service("elderly-card-apply")
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    win.audio_mode.set_active(True)
    win.show_idle_warning()
    assert win.idle_overlay.isVisible()
    press(qtbot, win, Key.Key_X)  # not a navigation key: any key at all
    assert not win.idle_overlay.isVisible() and showing(win, Step.GUIDE)


def test_a_form_waits_longer_than_a_guide_before_the_idle_warning(
    qtbot: QtBot, tmp_path: Path
) -> None:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, idle_seconds=100, idle_seconds_by_screen=("form=250",))
    reader = SimulatedCardReader()
    with kiosk_window(qtbot, config, reader, printer) as (core, win):
        core.flow.choose_service("elderly-card-apply")
        qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
        # A coarse timer may fire up to 5 % late, and says so in its remaining time.
        assert 90_000 < win.idle_timer.remainingTime() <= 105_000
        core.flow.accept_guide()
        core.flow.accept_privacy()
        reader.insert("ssc")
        qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
        assert 240_000 < win.idle_timer.remainingTime() <= 262_500
