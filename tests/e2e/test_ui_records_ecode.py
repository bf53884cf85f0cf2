"""我的办件 by an electronic card code: the scanner emulator on a pseudo-terminal, the reference
platform resolving the code and answering the records, staff credentials delivered signed. A
phone's code is no card, so it has no PIN: the records open only with hall staff's
confirmation. Nothing personal is left in the widgets afterwards.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.records.visit import RecordsStage
from kiosk.staff.store import Credentials
from tests.e2e.test_e2e_walking_skeleton import every_live_text
from tests.e2e.test_ui_identification import HOLDER, Kiosk, kiosk  # noqa: F401 - the fixture
from tests.e2e.test_ui_records import shown, stage_is
from tests.e2e.test_ui_records_staff import staff_signs_in
from tests.integration.test_staff_calls import HELPER, HELPER_PIN
from tests.support.ecodes import issue_ecode
from tests.support.kiosk import click
from ui.qt import QLabel

WAIT = 15_000


def test_an_electronic_code_opens_my_affairs_and_staff_open_the_records(
    qtbot: QtBot, kiosk: Kiosk,  # noqa: F811
) -> None:
    core, window, platform, scanner = kiosk
    qtbot.waitUntil(lambda: len(Credentials(core.config).people()) == 2, timeout=WAIT)
    click(qtbot, window, "home-records")
    assert window.findChild(QLabel, "records-scan-hint").isVisible()
    scanner.scan(issue_ecode(platform))
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.OVERVIEW), timeout=WAIT)
    visit = core.flow.session.records
    assert visit is not None and visit.method == "electronic_code" and visit.online
    click(qtbot, window, "records-show")
    assert stage_is(core, RecordsStage.STAFF)  # a phone's code has no PIN to ask
    staff_signs_in(qtbot, window, HELPER, HELPER_PIN)
    qtbot.waitUntil(lambda: shown(core, window, RecordsStage.RECORDS), timeout=WAIT)
    assert visit.records is not None and visit.factor is not None
    assert visit.factor.staff_id == HELPER
    click(qtbot, window, "nav-home")
    qtbot.wait(50)
    everything = " ".join(every_live_text(window))
    for secret in (HOLDER["name"], HOLDER["id_number"], HOLDER["name"][0] + "**"):
        assert secret not in everything, secret
    assert core.flow.session.records is None and core.flow.session.identity is None
