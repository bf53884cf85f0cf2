"""A citizen finds services of the full catalogue and applies to them, as at the hall.

Found by department, by life event, by search in Chinese, in full pinyin and in pinyin
initials typed by tapping the on-screen A–Z keypad; applications to three services of
different form shapes online (choice + date with a conditional question; multi-choice +
district / street / community address; multi-choice with conditional family members identified
by ID number, on several pages), and one with the platform down that is queued and arrives once
the platform is back, exactly once.

Real parts behind the screens: the simulated card reader driving the virtual card's APDUs
(as the other non-pcsc end-to-end tests), python-escpos printing to the virtual ESC/POS printer
over TCP, the reference platform over HTTP (signed requests only), a SQLite outbox. The kiosk's
clock starts at a fixed afternoon in Shanghai and runs, so dates and ages do not depend on when
or where the test runs, while retries still elapse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from devices.masking import mask_id_number
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.catalog.form_pages import shown_fields
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from sync.sealing import open_envelope
from tests.qt.form_driver import MEMBER_ID, fill_form
from tests.support.clock import RunningClock
from tests.support.kiosk import click, showing, visible_button
from tests.support.platform import PlatformProcess
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QLabel, Qt
from ui.screens.form import FormScreen
from ui.screens.search import SearchScreen
from ui.screens.services import ServicesScreen
from ui.tile_list import TileList

HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
Kiosk = tuple[KioskCore, MainWindow, PlatformProcess, SimulatedCardReader]


def kiosk_config(tmp_path: Path, platform: PlatformProcess, printer: VirtualPrinter) -> Config:
    return (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock", locale="zh_CN")
        .replace("platform", url=platform.url, timeout_seconds=3.0,
                 status_url=platform.url + "/v1/track/{tracking}")
        .replace("reader", backend="simulated")
        .replace("printer", host="127.0.0.1", port=printer.port)
        .replace("sync", interval_seconds=0.2, connectivity_seconds=0.3)
    )


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
    platform_factory: Callable[..., PlatformProcess],
) -> Iterator[Kiosk]:
    platform = platform_factory(start=True, require_signatures=True)
    config = kiosk_config(tmp_path, platform, virtual_printer)
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    reader = SimulatedCardReader()
    core = assemble_kiosk(config, readers=reader, clock=RunningClock(),
                          printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port,
                                                        width_mm=58))
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    try:
        qtbot.waitUntil(lambda: core.poller.online is True, timeout=10_000)
        yield core, window, platform, reader
    finally:
        window.close()
        core.stop()


# finding --------------------------------------------------------------------------------
def wholly_in_view(tiles: TileList, name: str) -> bool:
    top = tiles.area.verticalScrollBar().value()
    bottom = top + tiles.area.viewport().height()
    return any(t.objectName() == name and t.y() >= top and t.y() + t.height() <= bottom
               for t in tiles.tiles_in_view())


def tap_into_view(qtbot: QtBot, window: MainWindow, tiles: TileList, code: str) -> None:
    """Tap 下一页 until the service's tile is in view, then the tile, as a citizen would."""
    wanted = f"service-{code}"
    assert wanted in [t.objectName() for t in tiles.tiles], f"{code} is not in the list"
    for _ in range(tiles.pages):
        if wholly_in_view(tiles, wanted):
            break
        qtbot.mouseClick(tiles.next_page, Qt.MouseButton.LeftButton)
    assert wholly_in_view(tiles, wanted), f"{code} never shown"
    tile = visible_button(window, wanted)
    assert tile.isEnabled()
    # The list's kinetic scroller holds a press back and re-sends it to the widget at its
    # global position; the offscreen platform's screen is 800x800, so a tile further out
    # than that would get nothing. Tap it the way its own click does.
    tile.click()


def open_by_group(qtbot: QtBot, window: MainWindow, kind: str, group: str, code: str) -> None:
    """From home: 按部门 or 按主题, the group's tile, then the service in its list."""
    assert showing(window, Step.HOME)
    click(qtbot, window, "home-by-department" if kind == "department" else "home-by-life-event")
    click(qtbot, window, f"{kind}-{group}")
    assert showing(window, Step.SERVICES)
    screen = window.screens[Step.SERVICES]
    assert isinstance(screen, ServicesScreen)
    catalog = window.core.catalog
    expected = (catalog.in_department(group) if kind == "department"
                else catalog.for_life_event(group))
    assert [t.objectName() for t in screen.list.tiles] == [f"service-{s.code}" for s in expected]
    tap_into_view(qtbot, window, screen.list, code)
    assert showing(window, Step.GUIDE)


def search_screen(qtbot: QtBot, window: MainWindow) -> SearchScreen:
    if not showing(window, Step.SEARCH):
        click(qtbot, window, "home-search")
    screen = window.screens[Step.SEARCH]
    assert isinstance(screen, SearchScreen) and showing(window, Step.SEARCH)
    return screen


def search_by_letters(qtbot: QtBot, window: MainWindow, letters: str) -> list[str]:
    """Tap the letters on the A–Z keypad; the services listed after the last one."""
    screen = search_screen(qtbot, window)
    click(qtbot, window, "letter-key-clear")
    for letter in letters:
        click(qtbot, window, f"letter-key-{letter}")
    assert screen.keypad.text() == letters
    assert window.findChild(QLabel, "search-title").text().endswith(letters.upper())
    return [t.objectName().removeprefix("service-") for t in screen.results.tiles]


def tap_letters(qtbot: QtBot, window: MainWindow, letters: str) -> None:
    for letter in letters:
        click(qtbot, window, f"letter-key-{letter}")


def tap_candidate(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Tap the candidate bar's button that reads ``text`` (turning its groups if need be)."""
    bar = search_screen(qtbot, window).candidates
    for _ in range(10):
        if text in bar.texts():
            break
        qtbot.mouseClick(bar.later, Qt.MouseButton.LeftButton)
    assert text in bar.texts(), f"{text} not offered: {bar.texts()}"
    qtbot.mouseClick(bar.buttons[bar.texts().index(text)], Qt.MouseButton.LeftButton)


def results(window: MainWindow) -> list[str]:
    screen = window.screens[Step.SEARCH]
    assert isinstance(screen, SearchScreen)
    return [t.objectName().removeprefix("service-") for t in screen.results.tiles]


def open_from_search(qtbot: QtBot, window: MainWindow, code: str) -> None:
    screen = window.screens[Step.SEARCH]
    assert isinstance(screen, SearchScreen)
    tap_into_view(qtbot, window, screen.results, code)
    assert showing(window, Step.GUIDE)


# applying -------------------------------------------------------------------------------
def apply(qtbot: QtBot, core: KioskCore, window: MainWindow, reader: SimulatedCardReader,
          code: str) -> tuple[str, dict[str, Any], int]:
    """From the service's guide to the receipt screen: card, form through its widgets,
    confirm, submit. Returns the transaction id, the answers and how many pages the form
    had."""
    assert core.flow.session.service is not None and core.flow.session.service.code == code
    click(qtbot, window, "guide-start")
    click(qtbot, window, "privacy-accept")
    assert showing(window, Step.IDENTIFY)
    reader.insert()
    qtbot.waitUntil(lambda: showing(window, Step.FORM), timeout=10_000)
    service = core.catalog.get(code)
    fill_form(qtbot, window, service)
    assert showing(window, Step.CONFIRM)
    form = window.screens[Step.FORM]
    assert isinstance(form, FormScreen)
    pages = len(form.pages)
    answers = dict(core.flow.session.form)
    shown = " ".join(w.text() for w in window.screens[Step.CONFIRM].findChildren(QLabel))
    assert HOLDER["id_number"] not in shown and mask_id_number(HOLDER["id_number"]) in shown
    assert MEMBER_ID not in shown  # a family member's number too is shown masked only
    txid = core.flow.session.txid
    assert txid
    click(qtbot, window, "confirm-submit")
    qtbot.waitUntil(lambda: showing(window, Step.RECEIPT), timeout=10_000)
    reader.remove()  # the citizen takes the card back
    return txid, answers, pages


def finish(qtbot: QtBot, core: KioskCore, window: MainWindow) -> None:
    click(qtbot, window, "receipt-done")
    click(qtbot, window, "rate-5")
    click(qtbot, window, "farewell-home")
    assert showing(window, Step.HOME) and core.flow.session.identity is None


def flat(text: str) -> str:
    return "".join(text.split())  # the paper wraps at 32 columns


def check_receipt(core: KioskCore, printer: VirtualPrinter, count: int, code: str) -> str:
    """The newest receipt is this service's, with the session's tracking number; returns it."""
    receipt = printer.wait_for_receipts(count, timeout=10)[count - 1]
    tracking = core.flow.session.tracking_number
    assert tracking and tracking.startswith("K0451-20261121-"), tracking  # the kiosk's date
    assert tracking in receipt.text
    assert any(tracking in payload for payload in receipt.qr_payloads)
    assert flat(core.catalog.get(code).text("zh_CN")) in flat(receipt.text)
    assert HOLDER["id_number"] not in receipt.text and MEMBER_ID not in receipt.text
    return tracking


def on_platform(platform: PlatformProcess, txid: str) -> dict[str, Any]:
    """The record as the platform holds it, opened with the platform's own key."""
    rows = [r for r in platform.records() if r["id"] == txid]
    assert len(rows) == 1, f"{txid}: {len(rows)} records on the platform"
    assert rows[0]["status"] == "accepted"
    _, payload = open_envelope(rows[0]["envelope"], platform.private_key)
    record: dict[str, Any] = json.loads(payload)
    assert record["tracking_number"] == rows[0]["tracking_number"]
    return record


def check_arrived(platform: PlatformProcess, txid: str, code: str, tracking: str,
                  answers: dict[str, Any]) -> None:
    record = on_platform(platform, txid)
    assert record["service_code"] == code and record["tracking_number"] == tracking
    assert record["form"] == answers
    assert record["applicant"]["id_number"] == HOLDER["id_number"]


def kinds_answered(core: KioskCore, code: str, answers: dict[str, Any]) -> set[str]:
    return {f.kind for f in shown_fields(core.catalog.get(code).form, answers)}


# tests ----------------------------------------------------------------------------------
def test_find_by_department_life_event_and_search_then_apply_online_to_three_shapes(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, reader = kiosk
    done: list[tuple[str, str, str, dict[str, Any]]] = []

    # 1. By department (医保): cross-region medical filing — choices, a date picker, and a
    #    question shown only for the answer that asks for it.
    code = "medical-cross-region-filing"
    open_by_group(qtbot, window, "department", "medical_insurance", code)
    txid, answers, pages = apply(qtbot, core, window, reader, code)
    assert {"choice", "date", "yes_no"} <= kinds_answered(core, code, answers)
    assert "has_referral" in answers  # the conditional field was shown and answered
    done.append((code, txid, check_receipt(core, virtual_printer, 1, code), answers))
    finish(qtbot, core, window)

    # 2. By life event (养老): the elderly service subsidy — multi-choice and an address
    #    chosen district → street → community, the rest typed.
    code = "elderly-service-subsidy"
    open_by_group(qtbot, window, "life_event", "elderly_care", code)
    txid, answers, pages = apply(qtbot, core, window, reader, code)
    assert {"multi_choice", "address"} <= kinds_answered(core, code, answers)
    done.append((code, txid, check_receipt(core, virtual_printer, 2, code), answers))
    finish(qtbot, core, window)

    # 3. By pinyin initials (ZXFJKC, 专项附加扣除): the income-tax special deductions —
    #    conditional family members identified by their ID number, on more than one page.
    code = "iit-special-deduction"
    found = search_by_letters(qtbot, window, "zxfjkc")
    assert found[0] == code
    open_from_search(qtbot, window, code)
    txid, answers, pages = apply(qtbot, core, window, reader, code)
    assert "relation" in kinds_answered(core, code, answers)
    members = [v for k, v in answers.items() if k in ("child", "parent")]
    assert members and all(v.endswith("|" + MEMBER_ID) for v in members)  # by ID number
    assert pages > 1
    done.append((code, txid, check_receipt(core, virtual_printer, 3, code), answers))
    finish(qtbot, core, window)

    for code, txid, tracking, answers in done:
        qtbot.waitUntil(lambda t=txid: core.outbox.get(t).state == "acked", timeout=10_000)
        check_arrived(platform, txid, code, tracking, answers)
    assert len(platform.records()) == 3 and len(virtual_printer.receipts) == 3
    assert len({tracking for _, _, tracking, _ in done}) == 3


def test_search_in_chinese_full_pinyin_and_initials_best_first(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    core, window, _platform, _reader = kiosk
    # Full pinyin and initials of 异地就医 find the same service first.
    assert search_by_letters(qtbot, window, "yidijiuyi")[0] == "medical-cross-region-filing"
    assert search_by_letters(qtbot, window, "ydjy")[0] == "medical-cross-region-filing"
    # A synonym: 退休 (tuixiu) finds pension services.
    titles = [core.catalog.get(c).text("zh_CN") for c in search_by_letters(qtbot, window,
                                                                            "tuixiu")]
    assert any("养老" in t for t in titles), titles
    # Chinese, as a citizen enters it: pinyin on the keypad, then the word in the candidate
    # bar (TUIXIU, 退休), or character by character (TUI 退, XIU 休); results by the Chinese.
    screen = search_screen(qtbot, window)
    click(qtbot, window, "letter-key-clear")
    tap_letters(qtbot, window, "tuixiu")
    tap_candidate(qtbot, window, "退休")
    assert screen.keypad.text() == "" and screen.chinese == "退休"
    by_word = results(window)
    assert by_word == [h.service.code for h in core.catalog.search("退休", limit=40)]
    assert any("养老" in core.catalog.get(c).text("zh_CN") for c in by_word)
    assert window.findChild(QLabel, "search-title").text().endswith("退休")
    click(qtbot, window, "letter-key-clear")
    assert screen.chinese == "" and results(window) == []
    tap_letters(qtbot, window, "tui")
    tap_candidate(qtbot, window, "退")
    tap_letters(qtbot, window, "xiu")
    assert results(window) == [h.service.code for h in core.catalog.search("退", limit=40)]
    tap_candidate(qtbot, window, "休")
    assert results(window) == by_word
    click(qtbot, window, "letter-key-delete")  # no letter left: takes back 休
    assert screen.chinese == "退"
    tap_letters(qtbot, window, "xiu")
    tap_candidate(qtbot, window, "休")
    tap_letters(qtbot, window, "jin")  # letters after the Chinese pick the next word
    assert results(window) == by_word  # ... and leave the results to the Chinese till then
    tap_candidate(qtbot, window, "金")
    assert screen.chinese == "退休金"
    found = results(window)
    assert found == [h.service.code for h in core.catalog.search("退休金", limit=40)]
    assert found[0] == "pension-benefit-enquiry"
    code = found[0]
    open_from_search(qtbot, window, code)
    click(qtbot, window, "nav-back")
    assert showing(window, Step.SEARCH) and results(window) == found
    click(qtbot, window, "nav-home")
    screen = search_screen(qtbot, window)
    assert screen.keypad.text() == "" and screen.chinese == ""  # a new citizen starts empty
    assert screen.candidates.texts() == [] and results(window) == []


def test_offline_application_is_queued_and_arrives_once_when_the_platform_is_back(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, reader = kiosk
    platform.stop()
    qtbot.waitUntil(lambda: core.poller.online is False, timeout=10_000)
    # By full pinyin (laonianka, 老年卡), with the platform down: the senior bus card.
    code = "senior-bus-card"
    found = search_by_letters(qtbot, window, "laonianka")
    assert code in found
    tile = [t for t in window.screens[Step.SEARCH].results.tiles
            if t.objectName() == f"service-{code}"][0]
    assert tile.isEnabled() and "联网后自动提交" in tile.accessibleName()
    open_from_search(qtbot, window, code)
    txid, answers, pages = apply(qtbot, core, window, reader, code)
    tracking = check_receipt(core, virtual_printer, 1, code)
    assert core.outbox.get(txid).state in ("pending", "sending")
    assert platform.records() == []
    finish(qtbot, core, window)

    platform.start()
    qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=20_000)
    check_arrived(platform, txid, code, tracking, answers)
    core.worker.wake()  # another round after the ack: nothing goes twice
    qtbot.wait(600)
    assert [r["id"] for r in platform.records()] == [txid]
    counts = core.outbox.counts()
    assert counts["acked"] == 1 and sum(counts.values()) == 1
    assert len(virtual_printer.receipts) == 1
