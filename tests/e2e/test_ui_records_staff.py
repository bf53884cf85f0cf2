"""我的办件 with a resident ID card: the GA/T 467 reader emulator on a pseudo-terminal, staff
credentials delivered signed from the reference platform, the window. An ID card has no PIN:
the records open only when a member of staff (the ``staff`` role, not a technician) confirms
the citizen with their own number and PIN. Nothing personal is left afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.cards.gat467.reader import Gat467CardReader
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.idreader.emulator import VirtualIdReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.records.display import yuan
from kiosk.records.visit import RecordsStage
from sync.server.citizen_records import records_for
from sync.server.staff_admin import add_person
from sync.server.store import make_engine
from tests.e2e.test_staff_delivery import kiosk_config
from tests.e2e.test_ui_records import every_live_text, shown, stage_is
from tests.support.kiosk import click, kiosk_window
from tests.support.platform import PlatformProcess
from tests.support.staff import press_keys
from ui.main_window import MainWindow
from ui.qt import QLabel, QPushButton, Qt

HOLDER = json.loads((resources.files("assets") / "sim" / "id_holder.json").read_text("utf-8"))
HELPER, HELPER_PIN = "1001", "730196"
TECH, TECH_PIN = "4711", "482913"
WAIT = 15_000


def staff_signs_in(qtbot: QtBot, window: MainWindow, person_id: str, pin: str) -> None:
    page = window.screens[Step.RECORDS].staff_sign_in
    press_keys(qtbot, page, person_id)
    qtbot.mouseClick(page.findChild(QPushButton, "records-staff-next"), Qt.MouseButton.LeftButton)
    press_keys(qtbot, page, pin)
    qtbot.mouseClick(page.findChild(QPushButton, "records-staff-open"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.checking, timeout=10_000)


def test_an_id_card_opens_the_records_only_with_hall_staff(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess],
    virtual_printer: VirtualPrinter, virtual_id_reader: VirtualIdReader,
) -> None:
    platform = platform_factory(require_signatures=True)
    engine = make_engine(platform.database_url)
    try:
        add_person(engine, platform.catalogue_key, HELPER, "Zhao Min", "staff", HELPER_PIN)
        add_person(engine, platform.catalogue_key, TECH, "Wang Fang", "technician", TECH_PIN)
    finally:
        engine.dispose()
    config = (kiosk_config(tmp_path, platform)
              .replace("printer", port=virtual_printer.port)
              .replace("sync", connectivity_seconds=0.2, staff_seconds=0.2))
    platform.enrol(config.kiosk.id, identity_dir(config))
    reader = Gat467CardReader(virtual_id_reader.path, exchange_timeout=0.5, poll_interval=0.05)
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, reader, printer) as (core, window):
        assert core.downlink is not None and core.downlink.staff is not None
        qtbot.waitUntil(lambda: core.downlink.staff.current() is not None, timeout=WAIT)
        started = datetime.now(UTC)
        click(qtbot, window, "home-records")
        virtual_id_reader.place()
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)
        assert core.flow.session.records is not None
        assert core.flow.session.records.method == "resident_id_card"
        click(qtbot, window, "records-show")
        assert stage_is(core, RecordsStage.STAFF)
        assert not [b for b in window.findChildren(QPushButton, "records-pin-confirm")
                    if b.isVisible()]  # no PIN for an ID card
        staff_signs_in(qtbot, window, TECH, TECH_PIN)  # a technician does not vouch
        assert stage_is(core, RecordsStage.STAFF)
        assert core.flow.session.records.records is None
        staff_signs_in(qtbot, window, HELPER, HELPER_PIN)
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)
        assert core.flow.session.records.factor is not None
        assert core.flow.session.records.factor.staff_id == HELPER
        records = core.flow.session.records.records
        assert records in [records_for(HOLDER["id_number"], day.date())
                           for day in (started, datetime.now(UTC))]
        assert records is not None
        sheet = " ".join(w.text() for w in window.findChildren(QLabel, "records-line"))
        assert yuan(records.fund_balance_fen) in sheet and HOLDER["name"] not in sheet
        virtual_id_reader.lift()
        click(qtbot, window, "nav-home")
        qtbot.wait(50)
        everything = " ".join(every_live_text(window))
        for secret in (HOLDER["name"], HOLDER["id_number"], records.employer,
                       yuan(records.fund_balance_fen), HOLDER["name"][0] + "**"):
            assert secret not in everything, secret
        data = b"".join(p.read_bytes() for p in config.data_dir.rglob("*") if p.is_file())
        for secret in (HOLDER["name"], HOLDER["id_number"], records.employer, HELPER_PIN):
            assert secret.encode("utf-8") not in data, secret
