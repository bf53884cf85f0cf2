"""A submission that dies of an unexpected fault: the citizen is told in words, staff in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.local import FileReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.flow import Step
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.printer import BuggyDriverPrinter
from ui.main_window import MainWindow
from ui.qt import QLabel
from ui.widgets import QrCode

INTERRUPTED = "提交申请时出现问题，请再试一次，或找工作人员帮助。"
PRINTER_PROBLEM = "打印机暂时无法打印。您的申请已保存，请记下下方的受理编号，或用手机扫描二维码。"


def to_confirm(qtbot: QtBot, window: MainWindow, reader: SimulatedCardReader) -> None:
    click(qtbot, window, "service-elderly-card-apply")
    click(qtbot, window, "guide-start")
    click(qtbot, window, "privacy-accept")
    reader.insert("ssc")
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=5000)
    click(qtbot, window, "choice-delivery-pickup")
    for digit in "13912345678":
        click(qtbot, window, f"key-{digit}")
    click(qtbot, window, "form-next")
    assert showing(window, Step.CONFIRM)


def logged(caplog: pytest.LogCaptureFixture, kind: type[BaseException]) -> list[logging.LogRecord]:
    return [r for r in caplog.records
            if r.levelno >= logging.ERROR and r.exc_info and isinstance(r.exc_info[1], kind)]


def test_a_fault_while_saving_returns_to_confirm_with_words_and_a_logged_traceback(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A hand-edited platform key: sealing raises ValueError, which is no SubmitError.
    config = test_config(tmp_path).replace("platform", sealing_key="not a key")
    reader = SimulatedCardReader()
    with kiosk_window(qtbot, config, reader, FileReceiptPrinter(tmp_path / "spool")) as (
        core, window
    ):
        to_confirm(qtbot, window, reader)
        click(qtbot, window, "confirm-submit")
        error = window.findChild(QLabel, "confirm-error")
        qtbot.waitUntil(lambda: error.text() != "", timeout=5000)
        assert error.text() == INTERRUPTED and window.ctx.voice.last_text == INTERRUPTED
        assert showing(window, Step.CONFIRM) and core.flow.step is Step.CONFIRM
        assert sum(core.outbox.counts().values()) == 0
        [record] = logged(caplog, ValueError)
        assert "submitting an application failed" in record.getMessage()
        assert "Traceback" in caplog.text
        # Not a dead screen: 提交 works again (and fails the same way, in words again).
        click(qtbot, window, "confirm-submit")
        qtbot.waitUntil(lambda: len(logged(caplog, ValueError)) == 2, timeout=5000)
        assert showing(window, Step.CONFIRM) and error.text() == INTERRUPTED
        assert not (tmp_path / "spool").exists()  # nothing was printed


def test_a_printer_driver_bug_after_saving_shows_the_number_and_is_logged(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reader = SimulatedCardReader()
    printer = BuggyDriverPrinter(tmp_path / "spool")
    with kiosk_window(qtbot, test_config(tmp_path), reader, printer) as (core, window):
        to_confirm(qtbot, window, reader)
        click(qtbot, window, "confirm-submit")
        qtbot.waitUntil(lambda: showing(window, Step.RECEIPT), timeout=5000)
        status = window.findChild(QLabel, "receipt-status")
        qtbot.waitUntil(lambda: status.text() == PRINTER_PROBLEM, timeout=5000)
        tracking = core.flow.session.tracking_number
        assert tracking and window.findChild(QLabel, "receipt-tracking").text() == tracking
        assert tracking in window.findChild(QrCode, "receipt-qr").payload
        record = core.outbox.get(core.flow.session.txid)
        assert record is not None  # stored: the citizen is not asked to submit again
        qtbot.waitUntil(lambda: logged(caplog, RuntimeError) != [], timeout=5000)
        assert window.findChild(QLabel, "confirm-error").text() == ""
