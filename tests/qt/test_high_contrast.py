"""The high-contrast theme (issue 12 item 3; ACCESSIBILITY.md 2): 7:1 for every text colour
pair, 3:1 for borders, focus marks and icons; one tap from the header, combinable with care
mode, back to standard after each citizen — checked in the theme's figures and on the pixels
the window paints."""

from __future__ import annotations

from collections import Counter
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
from ui.icons import tile_icon
from ui.main_window import MainWindow
from ui.qt import QColor, QImage, QWidget
from ui.theme import (
    HIGH_CONTRAST,
    STANDARD,
    Metrics,
    contrast_ratio,
    outline_pairs,
    set_active_palette,
    text_pairs,
)


@pytest.mark.parametrize(("fg", "bg"), text_pairs(HIGH_CONTRAST))
def test_every_high_contrast_text_pair_meets_seven_to_one(fg: str, bg: str) -> None:
    assert contrast_ratio(fg, bg) >= 7.0


@pytest.mark.parametrize("palette", [STANDARD, HIGH_CONTRAST], ids=lambda p: p.name)
def test_borders_focus_marks_and_icons_meet_three_to_one(palette: object) -> None:
    assert isinstance(palette, type(STANDARD))
    for mark, ground in outline_pairs(palette):
        assert contrast_ratio(mark, ground) >= 3.0, (mark, ground)


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(qtbot, test_config(tmp_path), SimulatedCardReader(), printer) as ui:
        yield ui
    set_active_palette(STANDARD)


def window_ground(win: MainWindow) -> str:
    """The colour just below the header, in the body's margin: the screen's background."""
    header = win.findChild(QWidget, "header")
    assert header is not None
    image = win.grab().toImage()
    return QColor.fromRgba(image.pixel(4, header.geometry().bottom() + 4)).name()


def ground(widget: QWidget) -> str:
    """The colour most of the widget's painted pixels have: what its text stands on."""
    image = widget.grab().toImage()
    counts = Counter(QColor.fromRgba(image.pixel(x, y)).name()
                     for x in range(0, image.width(), 7) for y in range(0, image.height(), 7))
    return counts.most_common(1)[0][0]


def test_one_tap_turns_the_window_white_and_yellow_on_black(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow]
) -> None:
    _, win = ui
    assert window_ground(win) == STANDARD.background
    click(qtbot, win, "high-contrast")
    qtbot.wait(50)
    assert win.metrics.high_contrast and win.contrast_button.isChecked()
    assert window_ground(win) == HIGH_CONTRAST.background
    header = win.findChild(QWidget, "header")
    assert header is not None
    assert ground(header) == HIGH_CONTRAST.primary


def test_high_contrast_combines_with_care_mode_and_both_reset_after_the_citizen(
    qtbot: QtBot, ui: tuple[KioskCore, MainWindow]
) -> None:
    core, win = ui
    click(qtbot, win, "high-contrast")
    click(qtbot, win, "care-mode")
    assert win.metrics.high_contrast and win.metrics.care_mode
    assert f"font-size: {Metrics(win.dpi, care_mode=True).body}px" in win.styleSheet()
    assert f"background: {HIGH_CONTRAST.background}" in win.styleSheet()
    core.flow.choose_service("elderly-card-apply")
    qtbot.waitUntil(lambda: showing(win, Step.GUIDE), timeout=5000)
    assert win.metrics.high_contrast  # kept while the same citizen goes on
    core.flow.reset()
    qtbot.waitUntil(lambda: showing(win, Step.HOME), timeout=5000)
    assert not win.metrics.high_contrast and not win.metrics.care_mode
    assert not win.contrast_button.isChecked() and not win.care_button.isChecked()
    qtbot.wait(50)
    assert window_ground(win) == STANDARD.background


def opaque_colours(image: QImage) -> set[str]:
    pixels = (QColor.fromRgba(image.pixel(x, y)) for x in range(image.width())
              for y in range(image.height()))
    return {c.name() for c in pixels if c.alpha() == 255}


@pytest.mark.usefixtures("qapp")
def test_tile_icons_are_painted_in_the_palette_shown() -> None:
    icon = tile_icon("search")
    try:
        set_active_palette(HIGH_CONTRAST)
        assert opaque_colours(icon.pixmap(48, 48).toImage()) == {HIGH_CONTRAST.primary_text}
        set_active_palette(STANDARD)
        assert opaque_colours(icon.pixmap(48, 48).toImage()) == {STANDARD.primary_text}
    finally:
        set_active_palette(STANDARD)
