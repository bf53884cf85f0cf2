"""A citizen checks an earlier application by typing its tracking number and the query code
from the receipt (issue 8, item 9): the number alone tells nothing, the voice never reads the
code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt


def submitted(qtbot: QtBot, core: KioskCore, window: MainWindow, reader: SimulatedCardReader
              ) -> tuple[str, str, str]:
    """One application made at this kiosk: (tracking number, txid, query code)."""
    core.flow.choose_service("social-security-card-loss")
    core.flow.accept_guide()
    core.flow.accept_privacy()
    reader.insert("ssc")
    qtbot.waitUntil(lambda: core.flow.step is Step.FORM, timeout=5000)
    core.flow.submit_form({"phone": "13912345678"})
    core.submit().result(timeout=10)
    tracking, txid = core.flow.session.tracking_number, core.flow.session.txid
    assert tracking and txid
    record = core.outbox.get(txid)
    assert record is not None and record.query_code
    core.flow.reset()
    qtbot.waitUntil(lambda: showing(window, Step.HOME), timeout=5000)
    return tracking, txid, record.query_code


def keys(qtbot: QtBot, window: MainWindow) -> Callable[[str], None]:
    screen = window.screens[Step.TRACK]

    def press(text: str) -> None:
        for name in [text] if not text.isdigit() else list(text):
            qtbot.mouseClick(screen.findChild(QPushButton, f"key-{name}"),
                             Qt.MouseButton.LeftButton)

    return press


def test_track_needs_the_query_code_and_the_voice_never_reads_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, window):
        tracking, txid, code = submitted(qtbot, core, window, reader)
        wrong = f"{(int(code) + 1) % 10**8:08d}"

        click(qtbot, window, "home-track")
        assert showing(window, Step.TRACK)
        press = keys(qtbot, window)
        answer = window.findChild(QLabel, "track-answer")
        digits = "".join(c for c in tracking.split("-", 1)[1] if c.isdigit())
        press(digits)
        assert window.findChild(QLabel, "track-number").text() == tracking
        click(qtbot, window, "track-next")  # the number alone opens nothing: the code next
        assert answer.text() == ""

        press(wrong)
        click(qtbot, window, "track-look-up")
        assert "不匹配" in answer.text() and "社保卡临时挂失" not in answer.text()
        refusal = answer.text()

        press(code)
        assert window.findChild(QLabel, "track-code").text() == code
        click(qtbot, window, "track-look-up")
        assert "社保卡临时挂失" in answer.text() and "等待上传" in answer.text()
        assert "13912345678" not in answer.text()

        core.outbox.set_platform_status(txid, "ready_for_pickup", datetime.now(UTC))
        click(qtbot, window, "track-look-up")
        assert "可以领取" in answer.text()
        assert "可以领取" in window.ctx.voice.last_text
        spoken = " ".join(window.ctx.voice.spoken)
        assert code not in spoken and wrong not in spoken and digits not in spoken

        click(qtbot, window, "track-change-number")
        press("delete")
        press(str((int(digits[-1]) + 1) % 10))  # a typing mistake
        click(qtbot, window, "track-next")
        assert "输入有误" in answer.text()

        # A number this kiosk never issued gets the wrong code's words, not its own.
        press("clear")
        other = tracking.split("-")
        other[2] = f"{int(other[2]) + 1:04d}"
        from kiosk.tracking.numbers import make_tracking_number

        unknown = make_tracking_number(other[0], datetime.strptime(other[1], "%Y%m%d").date(),
                                       int(other[2]))
        press("".join(c for c in unknown.split("-", 1)[1] if c.isdigit()))
        click(qtbot, window, "track-next")
        press(code)
        click(qtbot, window, "track-look-up")
        assert answer.text() == refusal

        click(qtbot, window, "nav-back")
        assert showing(window, Step.HOME) and answer.text() == ""
        assert window.findChild(QLabel, "track-code").text() == ""
