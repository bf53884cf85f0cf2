"""The figures of docs/accessibility.md measured on the screens the gallery's walk does not
reach (issue 12, "tests that measure"): the staff call banner, the queue number, payment (the
account keypad and the QR code), 我的办件's first step and every page of the technician's
panel, each driven in-process as its own tests drive it, at the same worst cases as
tests/qt/test_measured_figures.py (care mode with high contrast on the portrait screen in
Chinese, the standard mode on 1280x1024 in English). One kiosk per case."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.cards.base import PinVerdict
from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.events import RecordsDidChange
from kiosk.flow import Step
from kiosk.payments.runner import PaymentDidChange
from kiosk.records.visit import RecordsStage
from sync.platform.payments import Bill, OrderAnswer
from sync.server.citizen_records import records_for
from tests.qt.test_measured_figures import CASES, assert_meets_the_figures
from tests.qt.test_ui_payment import busy_platform  # noqa: F401 (a fixture)
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from tests.support.staff import sign_in, with_local_technician
from ui import gallery
from ui.launch import ensure_app, install_translator, remove_translator
from ui.main_window import MainWindow
from ui.measure import measure
from ui.qt import QLabel, QWidget

WINDOW_SERVICE = "medical-reimbursement"  # as in tests/qt/test_ui_queue.py
HOLDER = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))


@pytest.fixture(params=CASES, ids=lambda c: f"{c[0]}-{c[1][0]}x{c[1][1]}-{c[2]}")
def case(request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path,
         busy_platform: str,  # noqa: F811 (the fixture)
         ) -> Iterator[tuple[KioskCore, MainWindow, SimulatedCardReader, str]]:
    locale, size, mode = request.param
    app = ensure_app()
    install_translator(app, locale)
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=locale).replace("platform", url=busy_platform)
    with_local_technician(config)
    try:
        reader = SimulatedCardReader()
        with kiosk_window(qtbot, config, reader, printer) as (core, w):
            core.payment_poll_seconds = 0.1
            w.resize(*size)
            qtbot.waitUntil(lambda: core.poller.online is True, timeout=10_000)
            yield core, w, reader, mode
    finally:
        remove_translator(app)


def test_the_screens_beyond_the_walk_meet_the_figures(
    case: tuple[KioskCore, MainWindow, SimulatedCardReader, str], qtbot: QtBot
) -> None:
    core, w, reader, mode = case
    measured: list[str] = []

    def check(name: str, until: Callable[[], bool] = lambda: True,
              root: QWidget | None = None) -> None:
        """``root``: the part measured (the technician's panel stands over the screen, whose
        targets are not its neighbours)."""
        qtbot.waitUntil(until, timeout=15_000)
        gallery._set_mode(w, mode)  # the home screen resets the modes after each citizen
        gallery._settle(lambda: True)
        assert_meets_the_figures(measure(root or w, w.metrics).as_json(), f"{name} {mode}",
                                 "high-contrast" in mode)
        measured.append(name)

    def label(step: Step, name: str) -> str:
        found = w.screens[step].findChild(QLabel, name)
        return found.text() if found is not None and found.isVisible() else ""

    # The staff call banner, over the home screen; then called off.
    click(qtbot, w, "call-staff")
    check("call banner", lambda: w.findChild(QWidget, "call-banner").isVisible())
    core.calls.cancel()
    qtbot.waitUntil(lambda: not w.findChild(QWidget, "call-banner").isVisible())

    # The queue number: the platform answers 503, so a local number, the printer down.
    core.flow.choose_service(WINDOW_SERVICE)
    qtbot.waitUntil(lambda: showing(w, Step.GUIDE))
    click(qtbot, w, "guide-take-number")
    check("queue", lambda: bool(label(Step.QUEUE, "queue-number"))
          and bool(label(Step.QUEUE, "queue-print")))
    core.flow.reset()

    # Payment: the account keypad, then the QR code (the platform's answers put in by hand,
    # as tests/qt/test_ui_payment.py does).
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    core.flow.choose_service("water-bill-payment")
    qtbot.waitUntil(lambda: showing(w, Step.GUIDE))
    click(qtbot, w, "guide-pay")
    screen = w.screens[Step.PAYMENT]
    check("payment keypad", lambda: screen.keypad.isVisible())
    machine = core.flow.session.payment
    assert machine is not None
    assert machine.enter_account("1000000001") is not None
    machine.bill_found(Bill("water", "1000000001", "张*", 8650, None, "2026年11月"))
    assert machine.open_confirm() is not None
    now = core.clock.monotonic()
    machine.answer(OrderAnswer(machine.order_id or "", "ZF20261121000001", "pending", 8650,
                               "https://pay.sim.invalid/o/abcdefghijklmnopqrstuvwx", 1180.0,
                               1000.0), now)
    core.events.publish(PaymentDidChange(machine.state.value))
    check("payment code", lambda: screen.qr.isVisible())
    core.flow.reset()

    # 我的办件: the card, the overview of this kiosk's transactions, the PIN keypad and the
    # records (the platform's part put in by hand, as for payment: layout only; end to end
    # over pcscd and the reference platform in tests/e2e/test_ui_records*.py).
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    core.flow.open_records()
    check("records card", lambda: showing(w, Step.RECORDS))
    reader.insert("ssc")
    visit = core.flow.session.records
    assert visit is not None
    check("records overview", lambda: visit.stage is RecordsStage.OVERVIEW)
    visit.online = True  # the busy platform gave no list; the records are asked all the same
    assert visit.ask_records() is RecordsStage.PIN
    core.events.publish(RecordsDidChange(visit.stage.value))
    records = w.screens[Step.RECORDS]
    check("records PIN", lambda: records.findChild(QWidget, "key-0") is not None
          and records.findChild(QWidget, "key-0").isVisible())
    assert visit.begin_check()
    assert visit.pin_checked(PinVerdict(ok=True))
    assert visit.records_loaded(records_for(HOLDER["id_number"], core.flow.today()))
    core.events.publish(RecordsDidChange(visit.stage.value))
    check("records", lambda: visit.stage is RecordsStage.RECORDS)
    click(qtbot, w, "records-print-proof")  # the proofs desk: the four kinds to choose from
    check("proofs", lambda: records.findChild(QWidget, "screen-proofs") is not None
          and records.findChild(QWidget, "screen-proofs").isVisible())
    core.flow.reset()

    # The technician's panel: the sign-in, then every page.
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    panel = w.technician
    panel.open_panel()
    check("technician sign-in", panel.isVisible, panel)
    sign_in(qtbot, w)
    checking = ("Checking…", "正在检查…", "正在检测…")
    for index, (key, page) in enumerate(panel.concerns):
        panel.show_concern(index)
        text = page.findChild(QLabel, f"technician-{'report' if key == 'overview' else key}"
                              + ("" if key == "overview" else "-text"))
        check(f"technician {key}", lambda t=text: t.text() not in ("", *checking), panel)
    panel.close_panel("measured")
    assert len(measured) == 10 + len(panel.concerns)
