"""The home screen finds any service: by department, by life event, by search typed on the A–Z
keypad (Chinese, full pinyin, initials); it learns its most-used tiles from this kiosk's
counts; its header tells the kiosk's time and the network state, and offline it greys what
needs the network and says so (ACCESSIBILITY.md 5, 16)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.service_counts import COUNTS_FILE
from tests.support.clock import FakeClock
from tests.support.kiosk import click, showing, test_config, visible_button
from tests.support.platform import free_port
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QLabel, QScroller
from ui.screens.search import SearchScreen
from ui.tile import Tile


def open_window(qtbot: QtBot, config: Config, clock: FakeClock,
                size: tuple[int, int] = (1920, 1080)) -> tuple[KioskCore, MainWindow]:
    core = assemble_kiosk(config, readers=SimulatedCardReader(),
                          printer=NetworkReceiptPrinter("127.0.0.1", free_port()), clock=clock)
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return core, window


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[KioskCore, MainWindow]]:
    core, window = open_window(qtbot, test_config(tmp_path), FakeClock())
    try:
        yield core, window
    finally:
        window.close()
        core.stop()


def shown_services(window: MainWindow) -> list[str]:
    screen = window.stack.currentWidget()
    return [t.objectName().removeprefix("service-") for t in screen.findChildren(Tile)
            if t.objectName().startswith("service-") and t.isVisible()]


def listed_services(window: MainWindow, step: Step) -> list[str]:
    """Every tile of the list in order, shown on this page or not (it scrolls)."""
    screen = window.screens[step]
    tiles = screen.results.tiles if isinstance(screen, SearchScreen) else screen.list.tiles
    return [t.objectName().removeprefix("service-") for t in tiles]


def type_on_keypad(qtbot: QtBot, window: MainWindow, letters: str) -> None:
    for letter in letters:
        click(qtbot, window, f"letter-key-{letter}")


def test_a_department_opens_its_services_and_back_returns_to_the_list(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "department-civil_affairs")
    assert showing(window, Step.SERVICES)
    assert window.findChild(QLabel, "services-title").text() == "民政"
    listed = listed_services(window, Step.SERVICES)
    assert listed == [s.code for s in core.catalog.in_department("civil_affairs")]
    assert "elderly-card-apply" in shown_services(window)
    click(qtbot, window, "service-elderly-card-apply")
    assert showing(window, Step.GUIDE)
    click(qtbot, window, "nav-back")
    assert showing(window, Step.SERVICES)  # the same list, not home
    click(qtbot, window, "nav-back")
    assert showing(window, Step.HOME)


def test_a_life_event_finds_the_pension_services(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "home-by-life-event")
    click(qtbot, window, "life_event-retirement")
    assert showing(window, Step.SERVICES)
    titles = [core.catalog.get(c).text("zh_CN") for c in listed_services(window, Step.SERVICES)]
    assert any("养老" in t for t in titles), titles
    assert window.findChild(QLabel, "services-title").text() == "退休"


def test_every_department_and_life_event_has_a_tile_with_an_icon(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    home = window.screens[Step.HOME]
    for kind, groups in (("department", core.catalog.departments),
                         ("life_event", core.catalog.life_events)):
        home.show_groups(kind)
        tiles = home.groups.tiles
        assert [t.objectName() for t in tiles] == [f"{kind}-{code}" for code in groups]
        assert all(not t.icon().isNull() and t.accessibleName() for t in tiles)


@pytest.mark.parametrize(("typed", "expected"), [
    ("yanglaojin", "养老金"),  # full pinyin
    ("ylj", "养老金"),  # initials
    ("tuixiu", "退休"),  # a synonym: 退休 finds the retirement and pension services
])
def test_search_typed_on_the_keypad_finds_services_best_first(  # type: ignore[no-untyped-def]
        kiosk, qtbot, typed: str, expected: str) -> None:
    core, window = kiosk
    click(qtbot, window, "home-search")
    assert showing(window, Step.SEARCH)
    type_on_keypad(qtbot, window, typed)
    found = listed_services(window, Step.SEARCH)
    assert found == [h.service.code for h in core.catalog.search(typed, limit=40)]
    first = core.catalog.get(found[0])
    assert expected in first.text("zh_CN") + "".join(first.keywords)
    assert window.findChild(QLabel, "search-title").text().endswith(typed.upper())
    click(qtbot, window, f"service-{found[0]}")
    assert showing(window, Step.GUIDE)
    click(qtbot, window, "nav-back")
    assert showing(window, Step.SEARCH) and listed_services(window, Step.SEARCH) == found


def test_search_in_chinese_finds_pension_services_for_tuixiu(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "home-search")
    window.screens[Step.SEARCH].set_query("退休")  # e.g. from the form engine's candidate bar
    titles = [core.catalog.get(c).text("zh_CN") for c in listed_services(window, Step.SEARCH)]
    assert any("养老" in t for t in titles), titles


def test_chinese_is_chosen_in_the_candidate_bar_over_the_keypad(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "home-search")
    screen = window.screens[Step.SEARCH]
    type_on_keypad(qtbot, window, "yanglao")
    bar = screen.candidates
    assert bar.texts()[0] == "养老" and all(not t.isascii() for t in bar.texts())
    click(qtbot, window, "search-candidate-0")
    assert screen.chinese == "养老" and screen.keypad.text() == "" and bar.texts() == []
    assert listed_services(window, Step.SEARCH) == [
        h.service.code for h in core.catalog.search("养老", limit=40)]
    assert window.findChild(QLabel, "search-title").text().endswith("养老")
    type_on_keypad(qtbot, window, "j")  # the next word's letters: the results stay
    assert screen.title.text().endswith("养老J")
    click(qtbot, window, "letter-key-delete")
    click(qtbot, window, "letter-key-delete")  # no letter left: takes back 老
    assert screen.chinese == "养"
    type_on_keypad(qtbot, window, "zhang")  # more candidates than fit: the bar turns
    first = bar.texts()
    assert not visible_button(window, "search-candidates-earlier").isEnabled()
    click(qtbot, window, "search-candidates-later")
    assert bar.texts() and not set(bar.texts()) & set(first)
    click(qtbot, window, "search-candidates-earlier")
    assert bar.texts() == first
    click(qtbot, window, "letter-key-clear")
    assert screen.chinese == "" and listed_services(window, Step.SEARCH) == []


def test_results_follow_every_keystroke_and_a_new_citizen_starts_empty(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "home-search")
    type_on_keypad(qtbot, window, "y")
    one = listed_services(window, Step.SEARCH)
    type_on_keypad(qtbot, window, "l")
    two = listed_services(window, Step.SEARCH)
    assert one and two and one != two
    type_on_keypad(qtbot, window, "qqqq")
    assert listed_services(window, Step.SEARCH) == []
    assert "没有找到" in window.findChild(QLabel, "search-count").text()
    click(qtbot, window, "letter-key-delete")
    assert window.screens[Step.SEARCH].keypad.text() == "ylqqq"
    click(qtbot, window, "nav-home")
    click(qtbot, window, "home-search")
    assert window.screens[Step.SEARCH].keypad.text() == ""
    assert listed_services(window, Step.SEARCH) == []


def test_long_lists_scroll_kinetically_and_page_by_whole_rows(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    click(qtbot, window, "department-social_security")
    tiles = window.screens[Step.SERVICES].list
    assert QScroller.hasScroller(tiles.area.viewport())  # a swipe moves the list
    assert tiles.pages > 1
    assert window.findChild(QLabel, "services-page").text() == f"第 1 / {tiles.pages} 页"
    assert not visible_button(window, "services-previous").isEnabled()
    click(qtbot, window, "services-next")
    assert tiles.page == 1
    top = tiles.area.verticalScrollBar().value()
    assert top in tiles.row_tops or top == tiles.area.verticalScrollBar().maximum()
    for _ in range(tiles.pages):
        click(qtbot, window, "services-next")
    assert tiles.page == tiles.pages - 1
    assert not visible_button(window, "services-next").isEnabled()
    click(qtbot, window, "services-previous")
    assert tiles.page == tiles.pages - 2


def test_most_used_tiles_are_learnt_from_this_kiosks_counts(qtbot: QtBot, tmp_path: Path) -> None:
    clock = FakeClock()
    day = clock.now().date().isoformat()
    done = {"ssc-replace": 7, "water-repair": 4, "tax-payment-record": 1}
    (tmp_path / COUNTS_FILE).write_text(json.dumps({"format": 1, "days": {day: done}}), "utf-8")
    config = test_config(tmp_path).replace("home", featured_services=["elderly-card-apply"],
                                           featured_places=3, learn_after=3)
    core, window = open_window(qtbot, config, clock)
    try:
        home = window.screens[Step.HOME]
        assert list(home.tiles) == ["ssc-replace", "water-repair", "elderly-card-apply"]
        # A completed service is counted; the home screen follows between citizens.
        for _ in range(8):
            core.usage.record("elderly-card-apply")
        core.flow.open_tracking()
        core.flow.reset()
        qtbot.waitUntil(lambda: showing(window, Step.HOME), timeout=5000)
        assert list(home.tiles) == ["elderly-card-apply", "ssc-replace", "water-repair"]
        clock.advance(91 * 86400)  # out of the window: back to the configured one
        core.flow.open_tracking()
        core.flow.reset()
        qtbot.waitUntil(lambda: list(home.tiles) == ["elderly-card-apply"], timeout=5000)
    finally:
        window.close()
        core.stop()


def test_header_shows_the_kiosks_own_date_and_time(kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    core, window = kiosk
    clock: FakeClock = core.clock  # type: ignore[assignment]
    window.header_status.refresh()
    # 08:30 UTC on 21 November 2026 is 16:30 in Shanghai, a Saturday
    assert window.findChild(QLabel, "header-clock").text() == "11月21日 星期六 16:30"
    clock.advance(8 * 3600)  # past midnight in Shanghai: the date turns there, not in UTC
    window.header_status.refresh()
    assert window.findChild(QLabel, "header-clock").text() == "11月22日 星期日 00:30"


def test_offline_greys_what_needs_the_network_and_says_when_it_last_synced(  # type: ignore[no-untyped-def]
        kiosk, qtbot) -> None:
    core, window = kiosk
    network = window.findChild(QLabel, "header-network")
    banner = window.findChild(QLabel, "offline-banner")
    core.contact.at = datetime(2026, 11, 21, 7, 5, tzinfo=UTC)
    qtbot.waitUntil(lambda: core.poller.online is False, timeout=5000)  # nothing listens
    qtbot.waitUntil(lambda: network.text() == "网络：已断开", timeout=5000)
    window.show_network()  # the contact time was set after the kiosk went offline
    assert banner.isVisible()
    assert "最后同步：11月21日 星期六 15:05" in banner.text()
    click(qtbot, window, "department-medical_insurance")
    needs = visible_button(window, "service-medical-enrolment-certificate")
    assert not needs.isEnabled() and "需联网办理，暂不可用" in needs.text()
    click(qtbot, window, "nav-back")
    click(qtbot, window, "department-civil_affairs")
    queued = visible_button(window, "service-elderly-card-apply")
    assert queued.isEnabled() and "联网后自动提交" in queued.accessibleName()
    assert banner.isVisible()
    click(qtbot, window, "service-elderly-card-apply")
    assert not banner.isVisible()  # the guide and the form need the room


def test_a_kiosk_started_offline_still_says_when_it_last_synced(
        qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "last_contact.json").write_text('{"at": "2026-11-20T23:50:00+00:00"}', "utf-8")
    core, window = open_window(qtbot, test_config(tmp_path), FakeClock())
    try:
        banner = window.findChild(QLabel, "offline-banner")
        qtbot.waitUntil(banner.isVisible, timeout=5000)  # nothing listens
        assert "最后同步：11月21日 星期六 07:50" in banner.text()  # Shanghai time
    finally:
        window.close()
        core.stop()
