"""ACCESSIBILITY.md figures on every screen: contrast, and nothing clipped or overlapping in
care mode (the largest text) on the reference 1920x1080 screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.tracking.numbers import make_tracking_number
from tests.support.kiosk import kiosk_window, test_config, visible_button
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QApplication, QLabel, QPushButton, QRect, QScrollArea, Qt, QWidget
from ui.theme import REFERENCE_DPI, TEXT_PAIRS, contrast_ratio


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_every_text_colour_pair_meets_seven_to_one(fg: str, bg: str) -> None:
    assert contrast_ratio(fg, bg) >= 7.0


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path
) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader]]:
    reader = SimulatedCardReader()
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    with kiosk_window(
        qtbot, test_config(tmp_path), reader, printer,
        demo_insert_card=lambda: reader.insert("ssc"),
    ) as (core, w):
        yield core, w, reader


def leaves(root: QWidget) -> list[QWidget]:
    """Labels and buttons a citizen can see: shown, and not scrolled out of their list."""
    found = [w for w in root.findChildren(QLabel) + root.findChildren(QPushButton)]
    return [w for w in found if w.isVisible() and w.window() is root
            and not global_rect(w).isEmpty()]


def global_rect(w: QWidget) -> QRect:
    """Where ``w`` shows in its window; in a scrolled list, only the part in view."""
    rect = QRect(w.mapTo(w.window(), w.rect().topLeft()), w.size())
    area = scroll_area_of(w)
    while area is not None:
        viewport = area.viewport()
        rect = rect.intersected(QRect(viewport.mapTo(w.window(), viewport.rect().topLeft()),
                                      viewport.size()))
        area = scroll_area_of(area)
    return rect


def scroll_area_of(w: QWidget) -> QScrollArea | None:
    """The scroll area whose content holds ``w``, if any."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def gap_mm(a: QRect, b: QRect) -> float:
    """Distance between two non-overlapping rectangles on the reference screen, in mm."""
    dx = max(b.left() - (a.left() + a.width()), a.left() - (b.left() + b.width()), 0)
    dy = max(b.top() - (a.top() + a.height()), a.top() - (b.top() + b.height()), 0)
    return max(dx, dy) * 25.4 / REFERENCE_DPI


def assert_button_fits(w: QPushButton, step: object) -> None:
    """Each line of the label (a tile's wraps), and the icon beside it, inside the button."""
    fm = w.fontMetrics()
    lines = w.text().split("\n")
    needed = max(fm.horizontalAdvance(line) for line in lines)
    if not w.icon().isNull():
        needed += w.iconSize().width()
    assert needed <= w.width(), f"{step}: button {w.text()!r} clipped"
    assert len(lines) * fm.lineSpacing() <= w.height(), f"{step}: button {w.text()!r} too low"


def assert_nothing_clipped_or_overlapping(win: MainWindow, step: Step,
                                          screen: tuple[int, int] = (1920, 1080)) -> None:
    """On a screen of ``screen`` pixels (the reference 1920x1080 unless told)."""
    for _ in range(3):  # a style change (care mode) relayouts on the next event loop turns
        QApplication.processEvents()
    win.layout().activate()
    area = QRect(0, 0, *screen)  # the screen, whatever size the window took
    # A window that had to grow past the screen to fit its content would be squeezed on a
    # real screen: rows pressed together, targets touching.
    hint = win.minimumSizeHint()
    assert hint.height() <= screen[1] and hint.width() <= screen[0], f"{step}: needs {hint}"
    widgets = leaves(win)
    assert widgets, step
    for w in widgets:
        r = global_rect(w)
        scrolled = scroll_area_of(w)
        if scrolled is None:
            assert area.contains(r), f"{step}: {w.objectName() or w.text()!r} leaves the screen {r}"
        else:  # reachable by scrolling: inside the scrolled content, the area itself on screen
            assert area.contains(global_rect(scrolled)), f"{step}: scroll area leaves the screen"
            content = global_rect(scrolled.widget())
            assert content.contains(r), f"{step}: {w.objectName() or w.text()!r} leaves its list"
        if isinstance(w, QPushButton):
            assert_button_fits(w, step)
        elif w.wordWrap() and w.text():
            assert w.heightForWidth(w.width()) <= w.height() + 1, f"{step}: {w.text()!r} clipped"
        elif w.text():
            assert w.fontMetrics().horizontalAdvance(w.text()) <= w.width(), (
                f"{step}: {w.text()!r} clipped"
            )
    for i, a in enumerate(widgets):
        for b in widgets[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if (scroll_area_of(a) is None) != (scroll_area_of(b) is None):
                continue  # scrolled content passes under what is fixed around its area
            overlap = global_rect(a).intersected(global_rect(b))
            assert overlap.isEmpty(), f"{step}: {a.objectName()!r} overlaps {b.objectName()!r}"
            if isinstance(a, QPushButton) and isinstance(b, QPushButton):
                assert gap_mm(global_rect(a), global_rect(b)) >= 2.0, (
                    f"{step}: {a.objectName()!r} and {b.objectName()!r} are closer than 2 mm"
                )


def test_care_mode_nothing_clips_or_overlaps_on_any_screen(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    core, win, reader = window
    qtbot.mouseClick(win.findChild(QPushButton, "care-mode"), Qt.MouseButton.LeftButton)
    assert win.metrics.care_mode

    def showing(step: Step) -> None:
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.screens[step], timeout=5000)
        qtbot.wait(50)
        assert_nothing_clipped_or_overlapping(win, step)

    showing(Step.HOME)
    core.flow.choose_service("elderly-card-apply")
    showing(Step.GUIDE)
    core.flow.accept_guide()
    showing(Step.PRIVACY)
    core.flow.accept_privacy()
    showing(Step.IDENTIFY)
    reader.insert("ssc")
    showing(Step.FORM)
    core.flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    showing(Step.CONFIRM)
    core.submit()
    showing(Step.RECEIPT)
    qtbot.waitUntil(lambda: win.findChild(QWidget, "receipt-qr").isVisible(), timeout=5000)
    assert_nothing_clipped_or_overlapping(win, Step.RECEIPT)
    core.flow.finish_receipt()
    showing(Step.RATING)
    core.flow.rate(5)
    showing(Step.FAREWELL)
    core.flow.reset()
    showing(Step.HOME)
    core.flow.open_tracking()
    showing(Step.TRACK)
    number = make_tracking_number(core.config.kiosk.code, date(2026, 11, 21), 1)
    win.screens[Step.TRACK].keypad.start("".join(c for c in number[6:] if c.isdigit()))
    qtbot.mouseClick(visible_button(win, "track-next"), Qt.MouseButton.LeftButton)
    assert win.findChild(QWidget, "track-code").isVisible()  # the query code's turn
    qtbot.wait(50)
    assert_nothing_clipped_or_overlapping(win, Step.TRACK)
