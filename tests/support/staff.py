"""Helpers for staff access tests: a local technician credential, signing in on the panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.config import Config
from kiosk.staff.store import set_local_pin
from sync.staff_credentials import Person
from tests.support.clock import FakeClock

if TYPE_CHECKING:  # the core tests use this module too, without Qt
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow
    from ui.qt import QWidget

TECHNICIAN_ID = "4711"
TECHNICIAN_PIN = "482913"


def with_local_technician(
    config: Config, person_id: str = TECHNICIAN_ID, pin: str = TECHNICIAN_PIN
) -> Person:
    """What ``sudo kiosk technician set-pin --id 4711`` leaves in the data directory."""
    return set_local_pin(config, person_id, "Test Technician", pin, FakeClock())


def press_keys(qtbot: QtBot, where: QWidget, digits: str) -> None:
    from ui.qt import QPushButton, Qt

    for digit in digits:
        qtbot.mouseClick(where.findChild(QPushButton, f"key-{digit}"), Qt.MouseButton.LeftButton)


def sign_in(
    qtbot: QtBot, w: MainWindow, person_id: str = TECHNICIAN_ID, pin: str = TECHNICIAN_PIN
) -> None:
    """Type the staff number and PIN on the panel's keypad and wait for the check to finish."""
    from ui.qt import QPushButton, Qt

    panel = w.technician
    press_keys(qtbot, panel, person_id)
    qtbot.mouseClick(panel.findChild(QPushButton, "technician-next"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, panel, pin)
    qtbot.mouseClick(panel.findChild(QPushButton, "technician-open"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.sign_in.checking, timeout=10_000)
