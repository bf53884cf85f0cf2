"""Qt screens over the simulated reader: sizes, care mode, idle guard, printer failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton
from ui.theme import REFERENCE_DPI
from ui.widgets import QrCode

MM_PER_INCH = 25.4


def mm(px: float) -> float:
    return px * MM_PER_INCH / REFERENCE_DPI


@pytest.fixture
def ui(
    qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    idle = getattr(request, "param", 120)
    config = test_config(tmp_path, idle_seconds=idle, idle_countdown_seconds=2)
    reader = SimulatedCardReader()
    # Nothing listens on this port: the printer cannot answer a status query.
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.5)
    with kiosk_window(qtbot, config, reader, printer) as (core, window):
        yield core, window, reader


def to_identify(qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window, "service-elderly-card-apply")
    click(qtbot, window, "guide-start")
    click(qtbot, window, "privacy-accept")
    assert showing(window, Step.IDENTIFY)


def test_body_text_and_targets_meet_physical_sizes(ui, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    _, window, _ = ui
    assert mm(window.metrics.body) >= 6.4
    for b in window.findChildren(QPushButton):
        if b.isVisible():
            assert mm(b.height()) >= 9.5, b.objectName()
            assert mm(b.width()) >= 9.5, b.objectName()
    tile = window.findChild(QPushButton, "service-elderly-card-apply")
    assert mm(tile.height()) >= 20 and mm(tile.width()) >= 20


def test_care_mode_is_one_tap_and_enlarges_text_then_resets_at_home(ui, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, window, _ = ui
    to_identify(qtbot, window)
    click(qtbot, window, "care-mode")
    assert mm(window.metrics.body) >= 10.5
    title = window.findChild(QLabel, "identify-title")
    assert mm(title.fontInfo().pixelSize()) >= 10.5
    click(qtbot, window, "nav-home")
    assert not window.metrics.care_mode


@pytest.mark.parametrize("ui", [1], indirect=True)
def test_idle_warning_counts_down_then_clears_the_session(ui, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, window, reader = ui
    to_identify(qtbot, window)
    reader.insert("ssc")
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=5000)
    assert core.flow.session.identity is not None
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    click(qtbot, window, "idle-continue")  # extend once
    assert not window.idle_overlay.isVisible()
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: showing(window, Step.HOME), timeout=5000)
    assert core.flow.session.identity is None


def test_dead_printer_shows_tracking_number_and_qr_on_screen(ui, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, window, reader = ui
    to_identify(qtbot, window)
    reader.insert("ssc")
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=5000)
    click(qtbot, window, "choice-delivery-post")
    for digit in "13912345678":
        click(qtbot, window, f"key-{digit}")
    click(qtbot, window, "form-next")
    click(qtbot, window, "confirm-submit")
    qtbot.waitUntil(lambda: showing(window, Step.RECEIPT), timeout=5000)
    qr = window.findChild(QrCode, "receipt-qr")
    qtbot.waitUntil(qr.isVisible, timeout=5000)
    tracking = core.flow.session.tracking_number
    assert tracking and tracking in qr.payload
    assert window.findChild(QLabel, "receipt-tracking").text() == tracking
    record = core.outbox.get(core.flow.session.txid)
    assert record is not None and record.state in ("pending", "sending")
    # What the paper would have carried: the query code, in the QR code and in words.
    assert record.query_code and qr.payload.endswith(f"?code={record.query_code}")
    code_label = window.findChild(QLabel, "receipt-query-code")
    assert code_label.isVisible() and record.query_code in code_label.text()
    assert record.query_code not in " ".join(window.ctx.voice.spoken)


def test_a_full_backlog_refuses_in_words_and_stores_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    config = test_config(tmp_path).replace("sync", backlog_max_count=0)
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.5)
    with kiosk_window(qtbot, config, reader, printer) as (core, window):
        to_identify(qtbot, window)
        reader.insert("ssc")
        qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=5000)
        click(qtbot, window, "choice-delivery-pickup")
        for digit in "13912345678":
            click(qtbot, window, f"key-{digit}")
        click(qtbot, window, "form-next")
        click(qtbot, window, "confirm-submit")
        error = window.findChild(QLabel, "confirm-error")
        qtbot.waitUntil(lambda: "网络恢复前" in error.text(), timeout=5000)
        assert showing(window, Step.CONFIRM)
        assert sum(core.outbox.counts().values()) == 0


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_line_spacing_is_at_least_one_point_three_times_the_text(qapp: object, care: bool) -> None:
    """ACCESSIBILITY.md 3: the CJK font the kiosk sets, at its body size in each mode."""
    from ui.launch import CJK_FONT
    from ui.qt import QFont, QFontMetrics
    from ui.theme import Metrics

    font = QFont(CJK_FONT)
    font.setPixelSize(Metrics(REFERENCE_DPI, care_mode=care).body)
    assert QFontMetrics(font).lineSpacing() >= 1.3 * font.pixelSize()
