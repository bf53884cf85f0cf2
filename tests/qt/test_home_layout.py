"""Nothing clips or overlaps on the screens kiosks really have — 1920x1080, 1080x1920 and
1280x1024, standard and care mode — on the home screen (departments and life events), every
department's and life event's list of services, and search results, with the whole catalogue
and the offline banner up (the tallest the home screen gets). The header's title stays on one
line and its buttons keep their labels whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.flow import Step
from tests.qt.test_home import open_window
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.clock import FakeClock
from tests.support.kiosk import showing, test_config
from ui.main_window import MainWindow
from ui.qt import QLabel

SIZES = [(1920, 1080), (1080, 1920), (1280, 1024)]


def assert_header_title_whole(win: MainWindow) -> None:
    """Chinese on one line; English may wrap, but only between words."""
    title = win.findChild(QLabel, "header-title")
    fm = title.fontMetrics()
    widest = max(fm.horizontalAdvance(word) for word in title.text().split())
    assert widest <= title.width(), (title.text(), title.width())


# Chinese (the default) at every size and mode; English, whose words are longer, in care mode
# at every size.
CASES = [("zh_CN", size, care) for size in SIZES for care in (False, True)] + [
    ("en", (1080, 1920), True), ("en", (1920, 1080), True), ("en", (1280, 1024), True)]


@pytest.mark.parametrize(("locale", "size", "care"), CASES, ids=[
    f"{loc}-{w}x{h}-{'care' if care else 'standard'}" for loc, (w, h), care in CASES])
def test_home_lists_and_search_fit(qtbot: QtBot, tmp_path: Path, size: tuple[int, int],
                                   care: bool, locale: str) -> None:
    config = test_config(tmp_path).replace("kiosk", locale=locale)
    core, win = open_window(qtbot, config, FakeClock(), size)
    try:
        qtbot.waitUntil(lambda: core.poller.online is False, timeout=5000)  # nothing listens

        def check(step: Step, what: str) -> None:
            qtbot.waitUntil(lambda: showing(win, step), timeout=5000)
            if win.metrics.care_mode != care:  # home resets care mode for the next citizen
                win.care_button.click()
            assert_nothing_clipped_or_overlapping(win, f"{step.value} {what}", size)  # type: ignore[arg-type]
            assert_header_title_whole(win)

        check(Step.HOME, "departments")
        assert win.offline_banner.isVisible()
        home = win.screens[Step.HOME]
        home.show_groups("life_event")
        check(Step.HOME, "life events")
        for kind, groups in (("department", core.catalog.departments),
                             ("life_event", core.catalog.life_events)):
            for code in groups:
                core.flow.open_listing(kind, code)
                check(Step.SERVICES, code)
                core.flow.back()
        core.flow.open_listing("search")
        search = win.screens[Step.SEARCH]
        for typed in ("y", "cbry", "yanglao", "qqq"):
            search.keypad.set_text(typed)
            check(Step.SEARCH, typed)
        search.results.show_page(search.results.pages - 1)
        check(Step.SEARCH, "last page")
    finally:
        win.close()
        core.stop()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_window_turned_to_portrait_and_back_takes_each_size_whole(
        qtbot: QtBot, tmp_path: Path, locale: str) -> None:
    """The header's one-row arrangement must not hold the window at its width: a landscape
    window resized to portrait (and put in care mode and back) is as narrow as asked, and
    everything fits there; back in landscape the header is on one row again."""
    config = test_config(tmp_path).replace("kiosk", locale=locale)
    core, win = open_window(qtbot, config, FakeClock(), (1920, 1080))
    try:
        for care in (False, True, False):
            if win.metrics.care_mode != care:
                win.care_button.click()
            win.resize(1080, 1920)
            qtbot.waitUntil(lambda: win.width() == 1080, timeout=2000)
            assert win.minimumSizeHint().width() <= 1080
            assert win.minimumWidth() <= 1080
            assert_nothing_clipped_or_overlapping(win, "home portrait", (1080, 1920))  # type: ignore[arg-type]
            assert_header_title_whole(win)
            win.resize(1920, 1080)
            qtbot.waitUntil(lambda: win.width() == 1920, timeout=2000)
            assert_nothing_clipped_or_overlapping(win, "home landscape", (1920, 1080))  # type: ignore[arg-type]
        assert set(win._header_placement) == {0}  # landscape, standard: all on one row
        win.resize(1280, 1024)
        win.care_button.click()
        qtbot.waitUntil(lambda: win.width() == 1280, timeout=2000)
        assert win.minimumSizeHint().width() <= 1280
    finally:
        win.close()
        core.stop()
