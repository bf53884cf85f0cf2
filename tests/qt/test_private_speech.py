"""Personal data is spoken only in audio mode and only on request (issue 12 item 1): the confirm
screen says its title, never the citizen's details, until a citizen in audio mode (speech in
the headset) presses 朗读我的信息; with the loudspeaker the button is not there at all. The
mock speech engine; what was said is the voice's record of it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.local import FileReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.flow import Step
from tests.qt.test_ui_submit_faults import to_confirm
from tests.support.kiosk import click, kiosk_window, showing, test_config
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt


def details(win: MainWindow) -> list[str]:
    """The confirm screen's values past the service's name: name, ID number, the answers."""
    values = [w.text() for w in win.findChildren(QLabel)
              if w.objectName().startswith("confirm-value-") and w.isVisible()]
    assert len(values) >= 4
    return values[1:]


def personal(values: list[str]) -> list[str]:
    """Name, ID number and phone (masked as shown); a choice's words (现场领取) are the
    guide's too."""
    found = [v for v in values if "*" in v]
    assert len(found) == 3, values
    return found


def said(win: MainWindow) -> str:
    return "\n".join(win.ctx.voice.spoken)


def test_details_are_spoken_only_in_audio_mode_and_only_when_asked(
        qtbot: QtBot, tmp_path: Path) -> None:
    reader = SimulatedCardReader()
    with kiosk_window(qtbot, test_config(tmp_path), reader,
                      FileReceiptPrinter(tmp_path / "spool")) as (core, win):
        to_confirm(qtbot, win, reader)
        read = win.findChild(QPushButton, "confirm-read")
        shown = details(win)
        assert not read.isVisible()  # the loudspeaker: no way to have them said
        win.screens[Step.CONFIRM].read_aloud()  # and asked anyway, nothing is said
        assert [v for v in personal(shown) if v in said(win)] == []

        qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_F2)  # audio mode: the headset
        assert win.audio_mode.active and read.isVisible()
        assert [v for v in personal(shown) if v in said(win)] == []  # not yet asked
        click(qtbot, win, "confirm-read")
        last = win.ctx.voice.spoken[-1]
        assert all(value in last for value in shown), (last, shown)
        assert last.startswith("办理事项：老年优待证申领；姓名：")

        qtbot.keyClick(win.focusWidget() or win, Qt.Key.Key_F2)  # audio mode off
        assert not win.audio_mode.active and not read.isVisible()
        core.flow.reset()  # the visit ends: nothing of it kept by the voice
        qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
        assert [v for v in personal(shown) if v in said(win)] == []
