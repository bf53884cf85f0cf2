"""The home screen's 中文 / English (issue 12 item 3): the whole kiosk, screens, header and
voice, switches language at once and back; the next citizen starts in Chinese again; and the
switch fits the portrait screen in care mode in both languages."""

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
from ui.qt import QApplication
from ui.screens.home import HomeScreen


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), SimulatedCardReader(), printer) as ui:
        yield ui


def home(win: MainWindow) -> HomeScreen:
    screen = win.screens[Step.HOME]
    assert isinstance(screen, HomeScreen) and win.stack.currentWidget() is screen
    return screen


def words(win: MainWindow) -> tuple[str, str, str, str, str]:
    QApplication.processEvents()
    h = home(win)
    return (h.search_entry.label(), h.by_department.text(), win.care_button.text(),
            win.repeat_button.accessibleName(), win.header_status.network.text())


ZH = ("搜索事项", "按部门查找", "长辈模式", "重复播报", "网络：正常")
EN = ("Search for a service", "By department", "Care mode", "Repeat", "Network: connected")


def test_the_toggle_switches_screens_header_and_voice_and_back(
        qtbot: QtBot, ui: tuple[KioskCore, MainWindow]) -> None:
    _core, win = ui
    voice = win.ctx.voice
    assert words(win)[:4] == ZH[:4] and voice.locale == "zh_CN"
    assert home(win).language_button.text() == "English"
    win.care_button.click()  # the citizen's care mode stays through the switch
    click(qtbot, win, "home-language")
    assert words(win)[:4] == EN[:4]
    assert words(win)[4].startswith("Network")
    assert voice.locale == "en" and win.ctx.locale == "en"
    assert voice.spoken[-1] == "Please choose a service"  # home says itself in English
    button = home(win).language_button  # says the language it switches to
    assert (button.text(), button.accessibleName()) == ("中文", "Language: Chinese or English")
    assert win.metrics.care_mode and win.care_button.isChecked()
    click(qtbot, win, "home-language")
    assert words(win)[:4] == ZH[:4] and voice.locale == "zh_CN"
    assert words(win)[4].startswith("网络")
    assert voice.spoken[-1] == "请选择要办理的业务"


def test_the_next_citizen_starts_in_chinese(
        qtbot: QtBot, ui: tuple[KioskCore, MainWindow]) -> None:
    core, win = ui
    click(qtbot, win, "home-language")
    core.flow.open_listing("search")
    qtbot.waitUntil(lambda: showing(win, Step.SEARCH), timeout=5000)
    assert win.screens[Step.SEARCH].title.text().isascii()  # built in English
    core.flow.reset()  # the citizen leaves
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert words(win)[:4] == ZH[:4]
    assert win.ctx.locale == "zh_CN" and win.ctx.voice.locale == "zh_CN"
    core.flow.open_listing("search")
    qtbot.waitUntil(lambda: showing(win, Step.SEARCH), timeout=5000)
    assert not win.screens[Step.SEARCH].title.text().isascii()


def test_the_toggle_fits_the_portrait_screen_in_care_mode(
        qtbot: QtBot, ui: tuple[KioskCore, MainWindow]) -> None:
    _core, win = ui
    win.resize(1080, 1920)
    qtbot.waitUntil(lambda: win.width() == 1080, timeout=2000)
    win.care_button.click()
    assert_nothing_clipped_or_overlapping(win, Step.HOME, (1080, 1920))
    click(qtbot, win, "home-language")
    assert words(win)[0] == EN[0]
    assert_nothing_clipped_or_overlapping(win, Step.HOME, (1080, 1920))
