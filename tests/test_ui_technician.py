"""The technician's panel: hidden, PIN-protected, and it shows real diagnostics."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printer import NetworkReceiptPrinter
from devices.sim.escpos_printer import VirtualPrinter
from devices.sim.inprocess_reader import SimulatedCardReader
from tests.support.kiosk import kiosk_window, test_config
from tests.support.printer import BuggyDriverPrinter
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter) -> Iterator[MainWindow]:
    config = (
        test_config(tmp_path, staff_pin="482913")
        .replace("printer", port=virtual_printer.port)
        .replace("reader", backend="simulated")
    )
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        yield w


def type_pin(qtbot: QtBot, w: MainWindow, pin: str) -> None:
    panel = w.technician
    for digit in pin:
        qtbot.mouseClick(panel.findChild(QPushButton, f"key-{digit}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.findChild(QPushButton, "technician-open"), Qt.MouseButton.LeftButton)


def test_long_press_on_the_title_then_pin_shows_diagnostics(win: MainWindow, qtbot: QtBot) -> None:
    title = win.findChild(QLabel, "header-title")
    qtbot.mousePress(title, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.technician.isVisible, timeout=5000)
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton)
    type_pin(qtbot, win, "482913")
    report = win.findChild(QLabel, "technician-report")
    qtbot.waitUntil(lambda: "printer: ready" in report.text(), timeout=10_000)
    assert "platform: not reachable" in report.text()
    qtbot.mouseClick(win.findChild(QPushButton, "technician-close"), Qt.MouseButton.LeftButton)
    assert not win.technician.isVisible() and report.text() == ""


def test_a_short_tap_on_the_title_opens_nothing(win: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(win.findChild(QLabel, "header-title"), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert not win.technician.isVisible()


def test_wrong_pins_lock_the_panel(win: MainWindow, qtbot: QtBot) -> None:
    win.technician.open_panel()
    for _ in range(5):
        type_pin(qtbot, win, "111111")
    status = win.findChild(QLabel, "technician-pin-status").text()
    assert "5" in status  # locked for 5 minutes
    type_pin(qtbot, win, "482913")
    assert win.technician.pages.currentIndex() == 0  # still locked


def test_panel_prints_a_test_page_on_the_real_printer(
    win: MainWindow, qtbot: QtBot, virtual_printer: VirtualPrinter
) -> None:
    win.technician.open_panel()
    type_pin(qtbot, win, "482913")
    qtbot.mouseClick(win.findChild(QPushButton, "technician-test-page"),
                     Qt.MouseButton.LeftButton)
    page = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    assert "kiosk-demo-0451" in page.text and "䶮" in page.text
    job = win.findChild(QLabel, "technician-job")
    qtbot.waitUntil(lambda: job.text() == "已打印。", timeout=5000)
    qtbot.mouseClick(win.findChild(QPushButton, "technician-reprint"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.text().startswith("未打印"), timeout=5000)  # nothing stored yet


def test_a_print_job_that_raises_shows_its_failure_in_the_panel_and_the_log(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = test_config(tmp_path, staff_pin="482913").replace("reader", backend="simulated")
    printer = BuggyDriverPrinter(tmp_path / "spool")
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        w.technician.open_panel()
        type_pin(qtbot, w, "482913")
        qtbot.mouseClick(w.findChild(QPushButton, "technician-test-page"),
                         Qt.MouseButton.LeftButton)
        job = w.findChild(QLabel, "technician-job")
        qtbot.waitUntil(lambda: job.text() != "正在打印…", timeout=5000)
        assert job.text() == "打印任务失败：RuntimeError: driver bug while encoding test page"
        errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info
                  and isinstance(r.exc_info[1], RuntimeError)]
        assert len(errors) == 1 and "print job failed" in errors[0].getMessage()
