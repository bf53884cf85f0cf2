"""The technician's panel: hidden, behind a personal sign-in, and it shows real diagnostics."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk import __version__
from kiosk.logs.setup import LOG_FILE
from tests.support.headless_kiosk import submit
from tests.support.kiosk import kiosk_window, test_config
from tests.support.printer import BuggyDriverPrinter
from tests.support.staff import (
    TECHNICIAN_ID,
    TECHNICIAN_PIN,
    press_keys,
    sign_in,
    with_local_technician,
)
from ui.idle_close import IDLE_CLOSE_MS
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt, QWidget


@pytest.fixture
def win(qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter) -> Iterator[MainWindow]:
    config = (
        test_config(tmp_path)
        .replace("printer", port=virtual_printer.port)
        .replace("reader", backend="simulated")
    )
    with_local_technician(config)
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        yield w


def test_long_press_on_the_title_then_sign_in_shows_diagnostics(
    win: MainWindow, qtbot: QtBot
) -> None:
    title = win.findChild(QLabel, "header-title")
    qtbot.mousePress(title, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.technician.isVisible, timeout=5000)
    qtbot.mouseRelease(title, Qt.MouseButton.LeftButton)
    sign_in(qtbot, win)
    report = win.findChild(QLabel, "technician-report")
    qtbot.waitUntil(lambda: "printer: ready" in report.text(), timeout=10_000)
    assert "platform: not reachable" in report.text()
    assert TECHNICIAN_ID in win.findChild(QLabel, "technician-person").text()
    qtbot.mouseClick(win.findChild(QPushButton, "technician-close"), Qt.MouseButton.LeftButton)
    assert not win.technician.isVisible() and report.text() == ""
    assert win.technician.person is None


def test_a_short_tap_on_the_title_opens_nothing(win: MainWindow, qtbot: QtBot) -> None:
    qtbot.mouseClick(win.findChild(QLabel, "header-title"), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert not win.technician.isVisible()


def test_wrong_pins_lock_the_panel(win: MainWindow, qtbot: QtBot) -> None:
    win.technician.open_panel()
    for _ in range(5):
        sign_in(qtbot, win, pin="111112")
    status = win.findChild(QLabel, "technician-pin-status").text()
    assert "1" in status and "锁定" in status  # locked for 1 minute (the first step)
    sign_in(qtbot, win)
    assert win.technician.pages.currentIndex() == 0  # still locked
    assert win.technician.person is None


def test_an_unknown_staff_number_and_a_wrong_pin_read_the_same(
    win: MainWindow, qtbot: QtBot
) -> None:
    win.technician.open_panel()
    status = win.findChild(QLabel, "technician-pin-status")
    sign_in(qtbot, win, person_id="9999", pin=TECHNICIAN_PIN)
    unknown = status.text()
    sign_in(qtbot, win, pin="111112")
    wrong = status.text()
    assert re.sub(r"\d", "#", unknown) == re.sub(r"\d", "#", wrong)  # only the count differs
    assert re.findall(r"\d", unknown) == ["4"] and re.findall(r"\d", wrong) == ["3"]


def _everything_shown(window: QWidget) -> str:
    parts = []
    for widget in window.findChildren(QWidget):
        parts.append(widget.accessibleName())
        text = getattr(widget, "text", None)
        if callable(text):
            parts.append(str(text()))
    return "\n".join(parts)


def test_the_pin_is_neither_shown_nor_spoken_nor_logged(
    win: MainWindow, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    panel = win.technician
    panel.open_panel()
    press_keys(qtbot, panel, TECHNICIAN_ID)
    qtbot.mouseClick(panel.findChild(QPushButton, "technician-next"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, panel, TECHNICIAN_PIN)
    assert win.findChild(QLabel, "technician-pin").text() == "●" * len(TECHNICIAN_PIN)
    digit_key = panel.findChild(QPushButton, "key-4")
    assert digit_key.accessibleName() == "数字键"  # no screen reader says which digit
    assert TECHNICIAN_PIN not in _everything_shown(win)
    qtbot.mouseClick(panel.findChild(QPushButton, "technician-open"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.pages.currentIndex() == 1, timeout=10_000)
    assert TECHNICIAN_PIN not in _everything_shown(win)
    assert not any(TECHNICIAN_PIN in said for said in win.ctx.voice.spoken)
    assert digit_key.accessibleName() == "4"  # the staff number stage reads digits again
    audit = [r.getMessage() for r in caplog.records if r.name == "kiosk.audit"]
    assert any("sign-in" in m and TECHNICIAN_ID in m and "technician" in m for m in audit)
    assert any("open_panel" in m and TECHNICIAN_ID in m for m in audit)
    assert TECHNICIAN_PIN not in caplog.text


def test_the_panel_closes_itself_after_two_minutes_idle(
    win: MainWindow, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    panel = win.technician
    assert panel.idle_timer.interval() == IDLE_CLOSE_MS == 120_000
    panel.open_panel()
    sign_in(qtbot, win)
    assert panel.pages.currentIndex() == 1 and panel.idle_timer.isActive()
    panel.idle_timer.setInterval(150)  # the two minutes, shortened for the test
    panel.idle_timer.start()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    assert panel.person is None and panel.pages.currentIndex() == 0
    assert any("sign-out" in r.getMessage() and TECHNICIAN_ID in r.getMessage()
               and "idle" in r.getMessage() for r in caplog.records)


def test_every_panel_action_is_logged_with_the_person(
    win: MainWindow, qtbot: QtBot, virtual_printer: VirtualPrinter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    win.technician.open_panel()
    sign_in(qtbot, win)
    qtbot.mouseClick(win.findChild(QPushButton, "technician-test-page"),
                     Qt.MouseButton.LeftButton)
    virtual_printer.wait_for_receipts(1, timeout=10)
    actions = [r.getMessage() for r in caplog.records if "staff action" in r.getMessage()]
    assert any("print_test_page" in m and TECHNICIAN_ID in m and "technician" in m
               for m in actions)


def test_panel_prints_a_test_page_on_the_real_printer(
    win: MainWindow, qtbot: QtBot, virtual_printer: VirtualPrinter
) -> None:
    win.technician.open_panel()
    sign_in(qtbot, win)
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
    config = test_config(tmp_path).replace("reader", backend="simulated")
    with_local_technician(config)
    printer = BuggyDriverPrinter(tmp_path / "spool")
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        w.technician.open_panel()
        sign_in(qtbot, w)
        qtbot.mouseClick(w.findChild(QPushButton, "technician-test-page"),
                         Qt.MouseButton.LeftButton)
        job = w.findChild(QLabel, "technician-job")
        qtbot.waitUntil(lambda: job.text() != "正在打印…", timeout=5000)
        assert job.text() == "打印任务失败：RuntimeError: driver bug while encoding test page"
        errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info
                  and isinstance(r.exc_info[1], RuntimeError)]
        assert len(errors) == 1 and "print job failed" in errors[0].getMessage()


def test_a_kiosk_without_credentials_says_how_to_get_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    config = test_config(tmp_path).replace("reader", backend="simulated")
    printer = NetworkReceiptPrinter("127.0.0.1", 9)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (_core, w):
        w.technician.open_panel()
        sign_in(qtbot, w, pin="000000")  # the old default opens nothing
        assert w.technician.pages.currentIndex() == 0
        assert "kiosk technician set-pin" in w.findChild(
            QLabel, "technician-pin-status").text()


def test_outbox_system_and_log_pages_show_the_kiosk_s_own_figures(
    win: MainWindow, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    """One page per concern beside the overview: the outbox in detail with its quarantined
    records sent again by a button, the machine, and the log's last lines (redacted). In
    the kiosk's default locale, zh_CN."""
    caplog.set_level(logging.INFO)
    core = win.core
    held = submit(core)
    core.outbox.mark_quarantined(held, "rejected: payload hash mismatch", verdict="rejected")
    log_file = core.config.data_dir / LOG_FILE
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text("INFO kiosk: started\nINFO kiosk: citizen 230103195503150012 seen\n",
                        "utf-8")
    panel = win.technician
    panel.open_panel()
    sign_in(qtbot, win)

    def page_text(name: str) -> str:
        return win.findChild(QLabel, f"technician-{name}-text").text()

    qtbot.mouseClick(win.findChild(QPushButton, "technician-tab-outbox"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已隔离：1" in page_text("outbox"), timeout=10_000)
    assert "payload hash mismatch" in page_text("outbox") and held[:13] in page_text("outbox")
    qtbot.mouseClick(win.findChild(QPushButton, "technician-requeue"), Qt.MouseButton.LeftButton)
    result = win.findChild(QLabel, "technician-outbox-result")
    qtbot.waitUntil(lambda: "1 条记录将在下次同步时发送" in result.text(), timeout=10_000)
    assert core.outbox.get(held).state == "pending"
    qtbot.waitUntil(lambda: "没有隔离的记录。" in page_text("outbox"), timeout=10_000)
    audit = [r.getMessage() for r in caplog.records if r.name == "kiosk.audit"]
    assert any("requeue" in m and TECHNICIAN_ID in m for m in audit)

    qtbot.mouseClick(win.findChild(QPushButton, "technician-tab-system"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "内存：" in page_text("system"), timeout=10_000)
    system = page_text("system")
    assert f"终端软件 {__version__}" in system
    assert "中文字体：已安装" in system  # fonts-noto-cjk is installed for the tests
    assert "kiosk.id = " in system and "platform.url = " in system
    assert "语音：" in system

    qtbot.mouseClick(win.findChild(QPushButton, "technician-tab-network"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not reachable" in page_text("network"), timeout=15_000)
    assert core.config.platform.url in page_text("network")  # the fixture's platform is down

    qtbot.mouseClick(win.findChild(QPushButton, "technician-tab-logs"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "started" in page_text("logs"), timeout=10_000)
    assert "230103195503150012" not in page_text("logs")  # redacted on the way to the screen

    qtbot.mouseClick(win.findChild(QPushButton, "technician-close"), Qt.MouseButton.LeftButton)
    assert all(page_text(n) == "" for n in ("outbox", "system", "network", "logs"))


def test_new_paper_roll_fitted_resets_the_counters_with_the_technician(
    win: MainWindow, qtbot: QtBot, virtual_printer: VirtualPrinter
) -> None:
    from kiosk.paper_roll import FILE_NAME, open_roll

    config = win.core.config
    win.technician.open_panel()
    sign_in(qtbot, win)
    qtbot.mouseClick(win.findChild(QPushButton, "technician-test-page"),
                     Qt.MouseButton.LeftButton)
    virtual_printer.wait_for_receipts(1, timeout=10)
    job = win.findChild(QLabel, "technician-job")
    qtbot.waitUntil(lambda: job.text() == "已打印。", timeout=5000)
    assert open_roll(config.data_dir, config.printer).counters().jobs == 1
    qtbot.mouseClick(win.findChild(QPushButton, "technician-new-roll"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.text().startswith("已记录新纸卷"), timeout=5000)
    counters = open_roll(config.data_dir, config.printer).counters()
    assert (counters.jobs, counters.fitted_by) == (0, TECHNICIAN_ID)
    assert (config.data_dir / FILE_NAME).exists()
    report = win.findChild(QLabel, "technician-report")
    qtbot.waitUntil(lambda: "receipt(s) left" in report.text(), timeout=10_000)
