"""我的办件 with no card: the citizen types their ID number (X allowed last), the check digit
is checked and a wrong one refused in words, a member of hall staff (not a technician)
confirms with their own number and PIN; the records open with that staff member as the second
factor, the reference platform logs the query as staff-assisted, nothing personal is left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.flow import Step
from kiosk.platform_link.enrolment import identity_dir
from kiosk.records.display import yuan
from kiosk.records.visit import RecordsStage
from sync.server.citizen_records import records_for
from sync.server.staff_admin import add_person
from sync.server.store import make_engine
from tests.e2e.test_staff_delivery import kiosk_config
from tests.e2e.test_ui_records import every_live_text, shown
from tests.support.kiosk import click, kiosk_window
from tests.support.platform import PlatformProcess
from tests.support.staff import press_keys
from ui.qt import QLabel, QPushButton, Qt, QWidget

HELPER, HELPER_PIN = "1001", "730196"
TECH, TECH_PIN = "4711", "482913"
TYPED = "23010219500312015X"  # a citizen of the reference platform's fixtures
WRONG_CHECK = "23010319480915023X"  # the other fixture citizen, 7 mistyped as X
WAIT = 15_000


def test_a_typed_id_number_opens_the_records_only_with_hall_staff(
    qtbot: QtBot, tmp_path: Path, platform_factory: Callable[..., PlatformProcess],
    virtual_printer: VirtualPrinter,
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
    printer = NetworkReceiptPrinter("127.0.0.1", virtual_printer.port)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, window):
        assert core.downlink is not None and core.downlink.staff is not None
        qtbot.waitUntil(lambda: core.downlink.staff.current() is not None, timeout=WAIT)
        started = datetime.now(UTC)
        click(qtbot, window, "home-records")
        click(qtbot, window, "records-staff-help")
        panel = window.findChild(QWidget, "assist-panel")
        assert panel.isVisible()
        typing = panel.typing
        press_keys(qtbot, typing, WRONG_CHECK)
        click(qtbot, panel, "assist-number-next")
        refusal = panel.findChild(QLabel, "assist-status").text()
        assert "身份证号码不对" in refusal  # the wrong check character, said in words
        assert core.flow.session.records is not None
        assert core.flow.session.records.card is None
        qtbot.mouseClick(typing.findChild(QPushButton, "key-clear"), Qt.MouseButton.LeftButton)
        press_keys(qtbot, typing, TYPED)
        assert panel.findChild(QLabel, "assist-number").text() == "230102 19500312 015X"
        click(qtbot, panel, "assist-number-next")

        def sign_in(person: str, pin: str) -> None:
            press_keys(qtbot, panel.page, person)
            click(qtbot, panel, "assist-next")
            press_keys(qtbot, panel.page, pin)
            click(qtbot, panel, "assist-open")
            qtbot.waitUntil(lambda: not panel.page.checking, timeout=10_000)

        sign_in(TECH, TECH_PIN)  # a technician does not vouch for a citizen
        assert "技术人员" in panel.findChild(QLabel, "assist-pin-status").text()
        assert core.flow.session.records.card is None
        sign_in(HELPER, HELPER_PIN)
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)
        visit = core.flow.session.records
        assert (visit.method, visit.assisted_by) == ("typed_number", HELPER)
        assert not panel.isVisible()
        click(qtbot, window, "records-show")
        qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)
        assert visit.factor is not None and (visit.factor.kind, visit.factor.staff_id) == (
            "staff", HELPER)
        records = visit.records
        assert records is not None
        assert records in [records_for(TYPED, day.date())
                           for day in (started, datetime.now(UTC))]
        sheet = " ".join(w.text() for w in window.findChildren(QLabel, "records-line"))
        assert yuan(records.fund_balance_fen) in sheet
        click(qtbot, window, "nav-home")
        qtbot.waitUntil(lambda: core.flow.step is Step.HOME, timeout=WAIT)
        qtbot.wait(50)
        everything = " ".join(every_live_text(window))
        for secret in (TYPED, "230102 19500312 015X", records.employer,
                       yuan(records.fund_balance_fen)):
            assert secret not in everything, secret
        data = b"".join(p.read_bytes() for p in config.data_dir.rglob("*") if p.is_file())
        for secret in (TYPED, records.employer, HELPER_PIN):
            assert secret.encode("utf-8") not in data, secret
    log = platform.log_path.read_text("utf-8")
    assert "identified by typed_number, factor staff, staff-assisted by staff 1001" in log
    assert TYPED not in log
