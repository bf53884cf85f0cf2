"""The guide screen for each channel: what the citizen needs, how the service is finished,
where to go (from the site file, marked 示例 on the demo hall), Start only where the kiosk can
complete it, and a Chinese-only guide in English mode under a note saying so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.catalog.model import Service
from kiosk.core import KioskCore
from kiosk.flow import FlowError, Step
from tests.support.kiosk import kiosk_window, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton


@pytest.fixture(params=["zh_CN", "en"])
def window(qtbot: QtBot, tmp_path: Path,
           request: pytest.FixtureRequest) -> Iterator[tuple[KioskCore, MainWindow]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=request.param)
    with kiosk_window(qtbot, config, reader, printer) as (core, w):
        yield core, w


def texts(w: MainWindow) -> list[str]:
    screen = w.screens[Step.GUIDE]
    return [lab.text() for lab in screen.findChildren(QLabel) if not lab.isHidden()]


def open_guide(core: KioskCore, w: MainWindow, qtbot: QtBot, service: Service) -> None:
    core.flow.choose_service(service.code)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.screens[Step.GUIDE])


def first(core: KioskCore, channel: str) -> Service:
    return next(s for s in core.catalog.services if s.channel == channel and s.where)


@pytest.mark.parametrize("channel", ["kiosk", "submit", "info", "window"])
def test_each_channel_says_how_it_ends_and_where_to_go(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot, channel: str
) -> None:
    core, w = window
    service = first(core, channel)
    open_guide(core, w, qtbot, service)
    shown = texts(w)
    locale = core.config.kiosk.locale
    materials = (service.guide_detail.get(locale) or service.guide_detail["zh_CN"]).materials
    assert any(materials[0] in t for t in shown)
    places = [core.site.describe(ref, locale) for ref in service.where]
    assert all(any(p in t for t in shown) for p in places)
    assert w.findChild(QLabel, "guide-sample").isVisible()  # the demo hall is fictional
    start = w.screens[Step.GUIDE].findChild(QPushButton, "guide-start")
    assert start.isVisible() == service.completable
    if not service.completable:
        with pytest.raises(FlowError):
            core.flow.accept_guide()
        assert core.flow.step is Step.GUIDE


def test_a_guide_without_english_is_shown_in_chinese_under_a_note(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    service = next(s for s in core.catalog.services if not s.has_guide_in("en"))
    open_guide(core, w, qtbot, service)
    note = w.findChild(QLabel, "guide-chinese-only")
    shown = texts(w)
    assert any(service.guide_detail["zh_CN"].materials[0] in t for t in shown)
    if core.config.kiosk.locale == "en":
        assert note is not None and note.isVisible()
        assert note.text() == "This guide is available in Chinese only."
    else:
        assert note is None or not note.isVisible()
