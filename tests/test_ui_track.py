"""A citizen checks an earlier application by typing the digits of its tracking number."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printer import NetworkReceiptPrinter
from devices.sim.inprocess_reader import SimulatedCardReader
from kiosk.flow import Step
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.qt import QLabel, QPushButton, Qt


def test_track_shows_queued_then_the_platforms_status(qtbot: QtBot, tmp_path: Path) -> None:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, window):
        core.flow.choose_service("social-security-card-loss")
        core.flow.accept_guide()
        core.flow.accept_privacy()
        reader.insert("ssc")
        qtbot.waitUntil(lambda: core.flow.step is Step.FORM, timeout=5000)
        core.flow.submit_form({"phone": "13912345678"})
        core.submit().result(timeout=10)
        tracking = core.flow.session.tracking_number
        txid = core.flow.session.txid
        core.flow.reset()
        qtbot.waitUntil(lambda: showing(window, Step.HOME), timeout=5000)

        click(qtbot, window, "home-track")
        assert showing(window, Step.TRACK)
        digits = "".join(c for c in tracking.split("-", 1)[1] if c.isdigit())
        screen = window.screens[Step.TRACK]
        def key(name: str) -> None:
            qtbot.mouseClick(screen.findChild(QPushButton, f"key-{name}"),
                             Qt.MouseButton.LeftButton)

        for d in digits:
            key(d)
        assert window.findChild(QLabel, "track-number").text() == tracking
        click(qtbot, window, "track-look-up")
        answer = window.findChild(QLabel, "track-answer")
        assert "社保卡临时挂失" in answer.text() and "等待上传" in answer.text()
        assert "13912345678" not in answer.text()

        core.outbox.set_platform_status(txid, "ready_for_pickup", datetime.now(UTC))
        click(qtbot, window, "track-look-up")
        assert "可以领取" in answer.text()
        assert "可以领取" in window.ctx.voice.last_text

        key("delete")
        key(str((int(digits[-1]) + 1) % 10))  # a typing mistake
        click(qtbot, window, "track-look-up")
        assert "输入有误" in answer.text()
        click(qtbot, window, "nav-back")
        assert showing(window, Step.HOME) and answer.text() == ""
