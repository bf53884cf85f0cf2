"""取号 on screen, offscreen over a platform that does not answer and a printer that does not
either: the guide of a window service offers the number, the queue screen shows the local
number very large with the window and the local-number note, says the printer failed, reads
the number digit by digit, fits the screen in care mode, and forgets it all at Done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton

WINDOW_SERVICE = "medical-reimbursement"  # needs the medical window (A01–A04, floor 1)


@pytest.fixture(params=["zh_CN", "en"])
def window(qtbot: QtBot, tmp_path: Path,
           request: pytest.FixtureRequest) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=request.param)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, w):
        yield core, w


def shown(w: MainWindow, name: str) -> str:
    found = w.screens[Step.QUEUE].findChild(QLabel, name)
    return found.text() if found is not None and found.isVisible() else ""


def open_guide(core: KioskCore, w: MainWindow, qtbot: QtBot, code: str) -> QPushButton:
    core.flow.choose_service(code)
    qtbot.waitUntil(lambda: showing(w, Step.GUIDE))
    return w.screens[Step.GUIDE].findChild(QPushButton, "guide-take-number")


def test_only_a_service_that_needs_a_window_here_offers_a_number(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    assert open_guide(core, w, qtbot, WINDOW_SERVICE).isVisible()
    core.flow.reset()
    assert not open_guide(core, w, qtbot, "elderly-card-apply").isVisible()  # finished here
    core.flow.reset()
    assert not open_guide(core, w, qtbot, "passport-apply").isVisible()  # another office


def test_offline_a_local_number_on_screen_when_the_printer_cannot_print(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    zh = core.config.kiosk.locale == "zh_CN"
    open_guide(core, w, qtbot, WINDOW_SERVICE)
    click(qtbot, w, "guide-take-number")
    qtbot.waitUntil(lambda: showing(w, Step.QUEUE))
    assert core.take_queue_number() is None  # a second tap takes nothing
    qtbot.waitUntil(lambda: "K0451-001" in shown(w, "queue-number"), timeout=15_000)
    where = shown(w, "queue-where")
    assert ("医保服务区，A01–A04号窗口（1楼）" if zh else "windows A01–A04 (floor 1)") in where
    assert ("本机临时号" if zh else "local number") in shown(w, "queue-ahead")
    qtbot.waitUntil(lambda: bool(shown(w, "queue-print")), timeout=10_000)
    qtbot.waitUntil(lambda: ("没能打印" if zh else "could not be printed")
                    in shown(w, "queue-print"), timeout=10_000)
    spoken = " ".join(w.ctx.voice.spoken)
    assert ("K 零 四 五 一 零 零 一" if zh else "K 0 4 5 1 0 0 1") in spoken
    number_font = w.screens[Step.QUEUE].findChild(QLabel, "queue-number").font()
    body_font = w.screens[Step.QUEUE].findChild(QLabel, "queue-ahead").font()
    assert number_font.pixelSize() >= 3 * body_font.pixelSize()  # read from a step back
    click(qtbot, w, "queue-done")
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    assert core.flow.session.queue_number is None
    assert w.screens[Step.QUEUE].findChild(QLabel, "queue-number").text() == ""


def test_the_queue_screen_fits_in_care_mode(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    click(qtbot, w, "care-mode")
    open_guide(core, w, qtbot, WINDOW_SERVICE)
    qtbot.wait(50)
    assert_nothing_clipped_or_overlapping(w, Step.GUIDE)
    core.take_queue_number()
    qtbot.waitUntil(lambda: bool(shown(w, "queue-print")) and "…" not in shown(w, "queue-print"),
                    timeout=15_000)
    qtbot.wait(50)
    assert_nothing_clipped_or_overlapping(w, Step.QUEUE)


def test_the_queue_screen_fits_a_1280_by_1024_screen(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    w.resize(1280, 1024)
    open_guide(core, w, qtbot, WINDOW_SERVICE)
    core.take_queue_number()
    qtbot.waitUntil(lambda: bool(shown(w, "queue-print")) and "…" not in shown(w, "queue-print"),
                    timeout=15_000)
    qtbot.wait(50)
    assert_nothing_clipped_or_overlapping(w, Step.QUEUE)
