"""缴费 on screen, offscreen, over a platform whose health check answers and whose payments
do not (503): the guide offers to pay,
the keypad refuses a number of the wrong length in words, an unreachable platform is said
with where in the hall to pay instead; the code screen (set to the platform's answer by
hand: this is layout, the platform is tested end to end) shows the QR code large, fits in care
mode at 1920x1080 and 1280x1024, and holds the idle guard until the deadline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.payments.machine import DEADLINE_GRACE_SECONDS, PayState
from kiosk.payments.runner import PaymentDidChange
from sync.platform.payments import Bill, OrderAnswer
from tests.qt.test_ui_layout import assert_nothing_clipped_or_overlapping
from tests.support.kiosk import click, kiosk_window, showing, test_config
from tests.support.platform import free_port
from ui.main_window import MainWindow
from ui.qt import QLabel
from ui.screens.payment import QR_SIDE_PX


class HealthyButBusy(BaseHTTPRequestHandler):
    """Up (its health check says ok), but every payment request is answered 503."""

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/v1/health":
            self._reply(200, b'{"status": "ok", "version": "1.0.0"}')
        else:
            self._reply(503, b'{"detail": "busy"}')

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._reply(503, b'{"detail": "busy"}')

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def busy_platform() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HealthyButBusy)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,))
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(params=["zh_CN", "en"])
def window(qtbot: QtBot, tmp_path: Path, busy_platform: str,
           request: pytest.FixtureRequest) -> Iterator[tuple[KioskCore, MainWindow]]:
    printer = NetworkReceiptPrinter("127.0.0.1", free_port(), timeout=0.3)
    config = test_config(tmp_path, locale=request.param).replace("platform", url=busy_platform)
    with kiosk_window(qtbot, config, SimulatedCardReader(), printer) as (core, w):
        core.payment_poll_seconds = 0.1
        qtbot.waitUntil(lambda: core.poller.online is True, timeout=10_000)
        yield core, w


def shown(w: MainWindow, name: str) -> str:
    found = w.screens[Step.PAYMENT].findChild(QLabel, name)
    return found.text() if found is not None and found.isVisible() else ""


def open_payment(core: KioskCore, w: MainWindow, qtbot: QtBot) -> None:
    core.flow.choose_service("water-bill-payment")
    qtbot.waitUntil(lambda: showing(w, Step.GUIDE))
    click(qtbot, w, "guide-pay")
    assert showing(w, Step.PAYMENT)
    assert core.begin_payment() is None  # a second tap starts nothing


def test_a_wrong_number_and_an_unreachable_platform_are_said_in_words(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    open_payment(core, w, qtbot)
    for digit in "12345":
        click(qtbot, w, f"key-{digit}")
    click(qtbot, w, "payment-look-up")
    qtbot.waitUntil(lambda: "10" in shown(w, "payment-message"))
    assert w.screens[Step.PAYMENT].findChild(QLabel, "payment-message").property("role") == \
        "error"
    for digit in "67890":
        click(qtbot, w, f"key-{digit}")
    click(qtbot, w, "payment-look-up")
    machine = core.flow.session.payment
    assert machine is not None
    qtbot.waitUntil(lambda: machine.problem is not None and machine.problem.code ==
                    "unavailable", timeout=10_000)
    where = "水电气暖联合服务区" if core.config.kiosk.locale == "zh_CN" else "Water, power, gas"
    qtbot.waitUntil(lambda: where in shown(w, "payment-message"))
    assert machine.state is PayState.ACCOUNT
    click(qtbot, w, "payment-home")
    qtbot.waitUntil(lambda: showing(w, Step.HOME))
    assert core.flow.session.payment is None


def code_on_screen(core: KioskCore, w: MainWindow, qtbot: QtBot,
                   keypad_fits: tuple[int, int] | None = None) -> None:
    """The platform's answers put in by hand (layout only): a bill, then a pending order."""
    open_payment(core, w, qtbot)
    if keypad_fits is not None:
        qtbot.waitUntil(lambda: w.screens[Step.PAYMENT].keypad.isVisible())
        assert_nothing_clipped_or_overlapping(w, Step.PAYMENT, keypad_fits)
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
    qtbot.waitUntil(lambda: w.screens[Step.PAYMENT].qr.isVisible())


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024)])
def test_the_code_is_large_and_the_screen_fits_in_care_mode(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot, size: tuple[int, int]
) -> None:
    core, w = window
    w.resize(*size)
    click(qtbot, w, "care-mode")
    code_on_screen(core, w, qtbot, keypad_fits=size)
    screen = w.screens[Step.PAYMENT]
    assert min(screen.qr.width(), screen.qr.height()) >= QR_SIDE_PX
    assert "86.50" in shown(w, "payment-amount") and shown(w, "payment-countdown")
    assert "1000000001" not in shown(w, "payment-facts")
    qtbot.waitUntil(lambda: bool(shown(w, "payment-link")), timeout=10_000)  # nobody answers
    assert_nothing_clipped_or_overlapping(w, Step.PAYMENT, size)


def test_the_idle_guard_waits_for_the_deadline_then_acts(
    window: tuple[KioskCore, MainWindow], qtbot: QtBot
) -> None:
    core, w = window
    code_on_screen(core, w, qtbot)
    w.show_idle_warning()
    assert not w.idle_overlay.isVisible() and w.idle_timer.isActive()  # a payment under way
    machine = core.flow.session.payment
    assert machine is not None
    machine._deadline = core.clock.monotonic() - DEADLINE_GRACE_SECONDS - 1  # long past
    qtbot.waitUntil(lambda: machine.state is PayState.UNKNOWN, timeout=10_000)
    w.show_idle_warning()
    assert w.idle_overlay.isVisible()
    w.hide_idle_warning()
