"""我的办件 end to end: pcscd with vpcd and the virtual card (its PIN checked by the card), the
reference platform over HTTP (or down), the kiosk's window. After each visit no personal data
is left in any live widget, and none of it was ever written to the kiosk's disk.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.cards.pcsc.reader import PcscCardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.vcard import DEFAULT_PIN, VirtualCard
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.records.display import yuan
from kiosk.records.visit import RecordsStage
from sync.server.catalog_admin import set_status
from sync.server.citizen_records import records_for
from sync.server.store import make_engine
from tests.e2e.test_e2e_walking_skeleton import (
    apply_for_elderly_card,
    every_live_text,
    kiosk_config,
)
from tests.support.kiosk import click
from tests.support.platform import PlatformProcess
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QLabel

pytestmark = pytest.mark.pcsc
HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
WAIT = 15_000
REASON = "申请材料不全，请补交户口簿"


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, pcscd: object, virtual_printer: VirtualPrinter,
    platform_factory,  # type: ignore[no-untyped-def]
) -> Iterator[tuple[KioskCore, MainWindow, PlatformProcess]]:
    platform = platform_factory(require_signatures=True)
    config = kiosk_config(tmp_path, platform, virtual_printer)
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    core = assemble_kiosk(
        config, readers=PcscCardReader(config.reader.pcsc_reader),
        printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port, width_mm=58))
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    yield core, window, platform
    window.close()
    core.stop()


def stage_is(core: KioskCore, stage: RecordsStage) -> bool:
    visit = core.flow.session.records
    return visit is not None and visit.stage is stage


def shown(core: KioskCore, window: MainWindow, stage: RecordsStage) -> bool:
    """The visit is at ``stage`` and the screen has heard of it (events reach the GUI thread
    through the bridge, a moment after the job thread moved the visit)."""
    if not stage_is(core, stage) or core.flow.step is not Step.RECORDS:
        return False
    screen = window.screens[Step.RECORDS]
    pages = {RecordsStage.OVERVIEW: screen._overview, RecordsStage.PIN: screen._pin,  # noqa: SLF001
             RecordsStage.RECORDS: screen._records}  # noqa: SLF001
    return screen.pages.currentWidget() is pages[stage]


def texts(window: MainWindow, name: str) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel, name)]


def open_my_records(qtbot: QtBot, core: KioskCore, window: MainWindow) -> None:
    """Home → 我的办件 with the card already in the slot (it is read at once)."""
    if core.flow.step is Step.RECEIPT:
        click(qtbot, window, "receipt-done")
        click(qtbot, window, "rate-5")
        click(qtbot, window, "farewell-home")
    elif core.flow.step is not Step.HOME:
        click(qtbot, window, "nav-home")
    click(qtbot, window, "home-records")
    assert core.flow.step is Step.RECORDS
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)


def type_pin(qtbot: QtBot, window: MainWindow, pin: str) -> None:
    for digit in pin:
        click(qtbot, window, f"key-{digit}")
    dots = window.findChild(QLabel, "records-pin-dots").text()
    assert dots == "●" * len(pin) and pin not in " ".join(every_live_text(window))
    click(qtbot, window, "records-pin-confirm")


def fixture_records(started: datetime) -> list[object]:
    """The platform's records for the holder on the day the test started or today (UTC): a
    test that runs across midnight gets one of them."""
    return [records_for(HOLDER["id_number"], day.date()) for day in (started, datetime.now(UTC))]


def secrets_of_the_visit(started: datetime) -> list[str]:
    records = records_for(HOLDER["id_number"], started.date())
    assert records is not None
    masked_name = HOLDER["name"][0] + "*" * (len(HOLDER["name"]) - 1)
    return [HOLDER["name"], masked_name, HOLDER["id_number"], HOLDER["id_number"][-4:],
            records.employer, yuan(records.medical_balance_fen), yuan(records.fund_balance_fen),
            records.medical_uses[0].place, REASON]


def leave_and_check_nothing_is_left(
    qtbot: QtBot, core: KioskCore, window: MainWindow, secrets: list[str], log_text: str,
) -> None:
    click(qtbot, window, "nav-home")
    assert core.flow.step is Step.HOME and core.flow.session.records is None
    qtbot.wait(50)  # deleteLater: discarded rows must be gone, not hidden
    everything = " ".join(every_live_text(window))
    for secret in secrets:
        assert secret not in everything, secret
    data = b"".join(p.read_bytes() for p in core.config.data_dir.rglob("*") if p.is_file())
    masked = secrets[1]
    for secret in [*secrets, DEFAULT_PIN]:
        if secret in (masked, HOLDER["id_number"][-4:]):
            continue  # an application's receipt record keeps the masked forms, by design
        for encoding in ("utf-8", "gbk"):
            assert secret.encode(encoding) not in data, secret
    for secret in [*secrets, DEFAULT_PIN]:
        assert secret not in log_text, secret


def test_my_applications_and_records_online_with_the_cards_pin(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, platform = kiosk
    txid = apply_for_elderly_card(qtbot, core, window, virtual_card)
    qtbot.waitUntil(lambda: core.outbox.get(txid).state == "acked", timeout=WAIT)
    engine = make_engine(platform.database_url)
    try:
        set_status(engine, txid, "rejected", force=True, reason=REASON)
    finally:
        engine.dispose()

    started = datetime.now(UTC)
    open_my_records(qtbot, core, window)
    rows = texts(window, "records-row")
    assert len(rows) == 1 and REASON in rows[0] and core.flow.session.tracking_number is None
    identity = window.findChild(QLabel, "records-identity").text()
    assert HOLDER["id_number"] not in identity and HOLDER["id_number"][-4:] in identity
    click(qtbot, window, "records-show")
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.PIN), timeout=WAIT)
    type_pin(qtbot, window, DEFAULT_PIN)
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)
    visit = core.flow.session.records
    assert visit is not None and visit.records in fixture_records(started)
    records = visit.records
    sheet = " ".join(texts(window, "records-line"))
    assert yuan(records.medical_balance_fen) in sheet and yuan(records.fund_balance_fen) in sheet
    assert HOLDER["name"] not in sheet  # masked
    assert virtual_card.pin_verified and virtual_card.pin_tries_left == 3
    assert DEFAULT_PIN not in " ".join(window.ctx.voice.spoken)
    leave_and_check_nothing_is_left(qtbot, core, window, secrets_of_the_visit(started),
                                    caplog.text)


def test_with_the_platform_down_only_this_kiosks_applications_show(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, platform = kiosk
    platform.stop()
    txid = apply_for_elderly_card(qtbot, core, window, virtual_card)
    started = datetime.now(UTC)
    open_my_records(qtbot, core, window)
    visit = core.flow.session.records
    assert visit is not None and visit.online is False
    assert [r.txid for r in visit.rows] == [txid]
    assert "只显示" in window.findChild(QLabel, "records-source").text() or \
        "only the applications" in window.findChild(QLabel, "records-source").text()
    (row,) = texts(window, "records-row")
    assert core.outbox.get(txid).receipt["tracking_number"] in row
    show = window.findChild(type(window.home_button), "records-show")
    assert not show.isEnabled()
    assert core.records.ask() is None and visit.closed_reason == "offline"
    assert visit.records is None
    leave_and_check_nothing_is_left(qtbot, core, window, secrets_of_the_visit(started),
                                    caplog.text)


def test_three_wrong_pins_block_the_card_and_the_records_stay_closed(
    qtbot: QtBot, kiosk, virtual_card: VirtualCard,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, _platform = kiosk
    virtual_card.insert()
    started = datetime.now(UTC)
    open_my_records(qtbot, core, window)
    click(qtbot, window, "records-show")
    for left in (2, 1, 0):
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.PIN), timeout=WAIT)
        type_pin(qtbot, window, "000000")
        qtbot.waitUntil(lambda left=left: virtual_card.pin_tries_left == left, timeout=WAIT)
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)
    visit = core.flow.session.records
    assert visit is not None and visit.pin_blocked and virtual_card.pin_blocked
    status = window.findChild(QLabel, "records-status").text()
    assert status and status in window.ctx.voice.spoken
    assert core.records.ask() is None and visit.records is None
    assert core.records.verify_pin(DEFAULT_PIN) is None  # no way past it in this visit
    # A new visit: the card itself refuses even the right PIN now.
    open_my_records(qtbot, core, window)
    click(qtbot, window, "records-show")
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.PIN), timeout=WAIT)
    type_pin(qtbot, window, DEFAULT_PIN)
    qtbot.waitUntil(lambda: stage_is(core, RecordsStage.OVERVIEW), timeout=WAIT)
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)
    visit = core.flow.session.records
    assert visit is not None and visit.pin_blocked and visit.records is None
    assert not virtual_card.pin_verified
    leave_and_check_nothing_is_left(qtbot, core, window, secrets_of_the_visit(started),
                                    caplog.text)
