"""A blind citizen applies alone, with the navigation keypad and headphones (issue 12): from
the home screen to the receipt and the rating by keys and speech only — the card is the one
thing put in by hand. Every control is reached by Down, heard (audio mode says its name, role
and state) and chosen by Enter; no tap, no look at the screen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.e2e.test_e2e_walking_skeleton import every_live_text
from tests.support.kiosk import kiosk_window, showing, test_config
from ui.main_window import MainWindow
from ui.qt import QAbstractButton, Qt

Key = Qt.Key
SERVICE = "elderly-card-apply"
PHONE = "13800138000"


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
       ) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port, width_mm=58)
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, win):
        yield core, win, reader


def key(qtbot: QtBot, win: MainWindow, k: Qt.Key) -> None:
    qtbot.keyClick(win.focusWidget() or win, k)


def choose(qtbot: QtBot, win: MainWindow, name: str, heard: list[str]) -> None:
    """Down until the control called ``name`` has the focus (at most once round the screen),
    check that it was said, then Enter."""
    for _ in range(120):
        key(qtbot, win, Key.Key_Down)
        focused = win.focusWidget()
        if isinstance(focused, QAbstractButton) and focused.objectName() == name:
            said = win.ctx.voice.spoken[-1]
            assert said == win.audio_mode.describe(focused)
            heard.append(said)
            key(qtbot, win, Key.Key_Return)
            return
    raise AssertionError(f"{name} was never reached by the keypad")


def test_a_blind_citizen_applies_by_keypad_and_speech_alone(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow, SimulatedCardReader],
    virtual_printer: VirtualPrinter,
) -> None:
    core, win, reader = ui
    heard: list[str] = []
    win.setFocus()
    key(qtbot, win, Key.Key_F2)  # audio mode
    assert win.audio_mode.active
    choose(qtbot, win, f"service-{SERVICE}", heard)
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    key(qtbot, win, Key.Key_F1)  # what is this screen? said again
    assert win.ctx.voice.spoken[-1] == win.screens[Step.GUIDE].prompt()
    choose(qtbot, win, "guide-start", heard)
    qtbot.waitUntil(lambda: showing(win, Step.PRIVACY), timeout=5000)
    choose(qtbot, win, "privacy-accept", heard)
    qtbot.waitUntil(lambda: showing(win, Step.IDENTIFY), timeout=5000)
    reader.insert("ssc")  # by hand: the card into the slot
    qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
    choose(qtbot, win, "choice-delivery-pickup", heard)
    for digit in PHONE:
        choose(qtbot, win, f"key-{digit}", heard)
    choose(qtbot, win, "form-next", heard)
    qtbot.waitUntil(lambda: showing(win, Step.CONFIRM), timeout=5000)
    choose(qtbot, win, "confirm-submit", heard)
    qtbot.waitUntil(lambda: showing(win, Step.RECEIPT), timeout=10_000)
    (receipt,) = virtual_printer.wait_for_receipts(1, timeout=10)
    tracking = core.flow.session.tracking_number
    assert tracking and win.screens[Step.RECEIPT].prompt() in win.ctx.voice.spoken
    assert tracking in win.screens[Step.RECEIPT].prompt()  # the receipt's summary, aloud
    choose(qtbot, win, "receipt-done", heard)
    qtbot.waitUntil(lambda: showing(win, Step.RATING), timeout=5000)
    choose(qtbot, win, "rate-5", heard)
    qtbot.waitUntil(lambda: showing(win, Step.FAREWELL), timeout=5000)
    assert sum(core.outbox.counts().values()) == 1  # the application, queued and sealed
    # Heard before each choice: the service's name, the digits of the phone number (a phone
    # number is not a PIN), a choice with its state.
    assert core.catalog.get(SERVICE).text(win.ctx.locale) in heard[0]
    assert win.audio_mode.tr("not selected") in heard[3]
    assert [h.split(",")[0].split("，")[0] for h in heard[4:4 + len(PHONE)]] == list(PHONE)
    choose(qtbot, win, "farewell-home", heard)
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert not win.audio_mode.active  # the visit is over
    holder = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
    qtbot.wait(50)
    remembered = " ".join([*win.ctx.voice.spoken, *every_live_text(win)])
    for secret in (holder["name"], holder["id_number"], PHONE):
        assert secret not in remembered, secret
    # Nor in the kiosk's data directory (its settings, outbox, audit trail, logs): the
    # application is there sealed, the receipt's record masked (issue 12, a finished session).
    stored = b"".join(p.read_bytes() for p in core.config.data_dir.rglob("*") if p.is_file())
    assert stored  # the outbox and the audit trail were written
    for secret in (holder["name"], holder["id_number"], holder["card_number"], PHONE):
        assert secret.encode("utf-8") not in stored, secret
