"""The identify screen's changes are said as they are shown (issue 12 item 1, "every change on
screen"): the card being read, a code being checked, each problem; the card holder's masked
name and ID number, shown once read, are personal data and not said."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk import events as ev
from kiosk.flow import Step
from tests.qt.test_ui import to_identify
from tests.support.kiosk import kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.qt import QLabel


def test_reading_a_card_is_said_its_holder_is_not(qtbot: QtBot, tmp_path: Path) -> None:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, win):
        to_identify(qtbot, win)
        screen = win.screens[Step.IDENTIFY]
        identity = screen.findChild(QLabel, "identify-identity")
        voice = win.ctx.voice
        screen.on_event(ev.CardDidInsert("reader"))
        assert identity.text() and voice.spoken[-1] == identity.text()
        screen.on_event(ev.EcodeDidScan())
        assert identity.text() and voice.spoken[-1] == identity.text()
        reader.insert("ssc")
        qtbot.waitUntil(lambda: showing(win, Step.FORM), timeout=5000)
        card = core.flow.session.identity
        assert card is not None
        said = "\n".join(voice.spoken)
        assert card.id_number not in said and "2301" not in said and "赵" not in said
