"""缴费 through the window with real parts behind it: the reference platform over HTTP (signed
requests only, its simulated provider driven by `kiosk server pay`) and the virtual ESC/POS
printer over TCP. Paid, cancelled, expired, failed, the platform gone mid-payment (the 待确认
slip), and a late payment the platform settles while the kiosk still listens; offline the
service says it is unavailable. The kiosk's clock is the real one with a monotonic reading the
test may move (the countdown and the deadline's grace); the signatures' wall time is untouched.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from kiosk.payments.machine import DEADLINE_GRACE_SECONDS, PayState
from kiosk.platform_link.enrolment import identity_dir
from sync.clock import SystemClock
from tests.support.kiosk import click, showing
from tests.support.platform import PlatformProcess
from ui.launch import build_window
from ui.main_window import MainWindow
from ui.qt import QLabel

WATER = "water-bill-payment"
ACCOUNT = "1000000001"  # the platform's fixture: owes 86.50 yuan, holder 张*
WINDOW_SECONDS = 120


class MovableClock(SystemClock):
    """Real wall time (the signatures), a monotonic reading the test can move on."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def now(self) -> datetime:
        return super().now()


Kiosk = tuple[KioskCore, MainWindow, PlatformProcess, MovableClock]


@pytest.fixture
def kiosk(
    qtbot: QtBot, tmp_path: Path, virtual_printer: VirtualPrinter,
    platform_factory: Callable[..., PlatformProcess], request: pytest.FixtureRequest,
) -> Iterator[Kiosk]:
    online = getattr(request, "param", "online") == "online"
    platform = platform_factory(start=online, require_signatures=True,
                                server_args=("--payment-window-seconds", str(WINDOW_SECONDS)))
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock", locale="zh_CN")
        .replace("platform", url=platform.url, timeout_seconds=2.0)
        .replace("reader", backend="simulated")
        .replace("printer", host="127.0.0.1", port=virtual_printer.port)
        .replace("sync", interval_seconds=0.2, connectivity_seconds=0.5)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    clock = MovableClock()
    core = assemble_kiosk(config, readers=SimulatedCardReader(), clock=clock,
                          printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port))
    core.payment_poll_seconds = 0.2
    core.start()
    window = build_window(core)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    yield core, window, platform, clock
    window.close()
    core.stop()


def shown(window: MainWindow, name: str) -> str:
    found = window.screens[Step.PAYMENT].findChild(QLabel, name)
    return found.text() if found is not None and found.isVisible() else ""


def says(qtbot: QtBot, window: MainWindow, name: str, text: str) -> None:
    """The screen hears of a change through the event bridge: wait for its words."""
    qtbot.waitUntil(lambda: text in shown(window, name), timeout=10_000)


def state(core: KioskCore) -> PayState | None:
    machine = core.flow.session.payment
    return machine.state if machine is not None else None


def to_the_code(qtbot: QtBot, core: KioskCore, window: MainWindow) -> str:
    """From the guide through the keypad and the bill to the payment code; the order number."""
    core.flow.choose_service(WATER)
    qtbot.waitUntil(lambda: showing(window, Step.GUIDE))
    click(qtbot, window, "guide-pay")
    assert showing(window, Step.PAYMENT)
    qtbot.waitUntil(lambda: state(core) is PayState.ACCOUNT)
    for digit in ACCOUNT:
        click(qtbot, window, f"key-{digit}")
    assert shown(window, "payment-typed") == ACCOUNT
    click(qtbot, window, "payment-look-up")
    qtbot.waitUntil(lambda: state(core) is PayState.BILL, timeout=10_000)
    says(qtbot, window, "payment-amount", "¥86.50")  # once the bridge has brought the change
    facts = shown(window, "payment-facts")
    assert "张*" in facts and "1*******01" in facts and ACCOUNT not in facts
    assert "水电气暖联合服务区" in shown(window, "payment-otherwise")  # no smartphone: where
    click(qtbot, window, "payment-pay")
    qtbot.waitUntil(lambda: state(core) is PayState.WAITING, timeout=10_000)
    screen = window.screens[Step.PAYMENT]
    qr = screen.qr
    qtbot.waitUntil(qr.isVisible)
    assert qr.isVisible() and qr.payload.startswith("https://") and qr.width() >= 400
    assert re.search(r"\b[0-2]:[0-5][0-9]\b", shown(window, "payment-countdown"))
    assert screen.holds_idle()
    order = core.flow.session.payment.order  # type: ignore[union-attr]
    assert order is not None and order.order_no in shown(window, "payment-facts")
    return order.order_no


def provider(platform: PlatformProcess, event: str, order_no: str) -> None:
    done = platform.operator("pay", event, order_no)
    assert done.returncode == 0, done.stderr


def flat(text: str) -> str:
    return "".join(text.split())


def test_paid_on_the_phone_the_receipt_prints(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    core, window, platform, _clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    listed = platform.operator("pay", "list")
    assert listed.stdout.count(order_no) == 1 and listed.stdout.count("\n") == 1  # one order
    provider(platform, "paid", order_no)
    qtbot.waitUntil(lambda: state(core) is PayState.PAID, timeout=10_000)
    receipt = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    paper = flat(receipt.text)
    assert "缴费凭条" in paper and "¥86.50" in paper and order_no in paper
    assert "支付成功" in paper and ACCOUNT not in paper and "1*******01" in paper
    qtbot.waitUntil(lambda: "请取走" in shown(window, "payment-print"), timeout=10_000)
    assert not window.screens[Step.PAYMENT].holds_idle()
    says(qtbot, window, "payment-message", "平台已确认")
    click(qtbot, window, "payment-done")
    qtbot.waitUntil(lambda: showing(window, Step.HOME))
    assert core.flow.session.payment is None and shown(window, "payment-facts") == ""
    # nothing of the household left in a live widget, a kiosk log line or the platform's log
    left = [w.text() for w in window.findChildren(QLabel)]
    assert not [t for t in left if ACCOUNT in t or "张*" in t or "1*******01" in t]
    assert ACCOUNT not in caplog.text
    assert ACCOUNT not in platform.log_path.read_text("utf-8", "replace")


def test_cancelled_at_the_kiosk_no_money_and_nothing_printed(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, _clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    click(qtbot, window, "payment-cancel")
    qtbot.waitUntil(lambda: state(core) is PayState.CANCELLED, timeout=10_000)
    says(qtbot, window, "payment-message", "没有扣款")
    shown_order = platform.operator("pay", "show", order_no)
    assert "cancelled" in shown_order.stdout
    assert virtual_printer.receipts == []


def test_the_code_expires_and_says_so(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, _clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    provider(platform, "expired", order_no)
    qtbot.waitUntil(lambda: state(core) is PayState.EXPIRED, timeout=10_000)
    says(qtbot, window, "payment-message", "没有扣款")
    assert not window.screens[Step.PAYMENT].qr.isVisible()  # the same render took it away
    assert virtual_printer.receipts == []


def test_a_declined_payment_says_so(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, _clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    provider(platform, "failed", order_no)
    qtbot.waitUntil(lambda: state(core) is PayState.FAILED, timeout=10_000)
    says(qtbot, window, "payment-message", "拒绝")
    assert window.screens[Step.PAYMENT].title.text() == "支付未成功"
    assert virtual_printer.receipts == []


def test_a_late_payment_after_expiry_is_credited_and_its_receipt_prints(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, _clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    provider(platform, "expired", order_no)
    qtbot.waitUntil(lambda: state(core) is PayState.EXPIRED, timeout=10_000)
    provider(platform, "paid", order_no)  # the provider's notification comes late
    qtbot.waitUntil(lambda: state(core) is PayState.CREDITED, timeout=10_000)
    paper = flat(virtual_printer.wait_for_receipts(1, timeout=10)[0].text)
    assert "逾期到账" in paper and "已入账" in paper and order_no in paper
    says(qtbot, window, "payment-message", "已为您入账")


def test_the_platform_gone_mid_payment_prints_the_pending_slip_then_the_late_credit(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, clock = kiosk
    order_no = to_the_code(qtbot, core, window)
    platform.stop()
    says(qtbot, window, "payment-link", "请勿重复")
    assert state(core) is PayState.WAITING and window.screens[Step.PAYMENT].holds_idle()
    clock.offset += WINDOW_SECONDS + DEADLINE_GRACE_SECONDS + 5  # the deadline has passed
    qtbot.waitUntil(lambda: state(core) is PayState.UNKNOWN, timeout=10_000)
    slip = flat(virtual_printer.wait_for_receipts(1, timeout=10)[0].text)
    assert "待确认" in slip and order_no in slip and "请勿重复缴费" in slip and "12345" in slip
    says(qtbot, window, "payment-message", order_no)
    platform.start()
    provider(platform, "late", order_no)  # lapsed on the platform, then the payment arrived
    qtbot.waitUntil(lambda: state(core) is PayState.CREDITED, timeout=15_000)
    receipt = flat(virtual_printer.wait_for_receipts(2, timeout=10)[1].text)
    assert "已入账" in receipt and order_no in receipt


@pytest.mark.parametrize("kiosk", ["offline"], indirect=True)
def test_offline_the_service_is_unavailable_with_the_reason(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    core, window, _platform, _clock = kiosk
    qtbot.waitUntil(lambda: core.poller.online is False, timeout=10_000)
    core.flow.choose_service(WATER)
    qtbot.waitUntil(lambda: showing(window, Step.GUIDE))
    guide = window.screens[Step.GUIDE]
    note = guide.findChild(QLabel, "guide-pay-unavailable")
    assert note is not None and note.isVisible() and "无法连接" in note.text()
    assert not guide.pay.isVisible()
    assert core.begin_payment() is None  # the core refuses it too
    assert state(core) is None


def test_a_transit_card_topped_up_with_an_amount_on_offer(
    qtbot: QtBot, kiosk: Kiosk, virtual_printer: VirtualPrinter
) -> None:
    core, window, platform, _clock = kiosk
    core.flow.choose_service("transit-card-top-up")
    qtbot.waitUntil(lambda: showing(window, Step.GUIDE))
    click(qtbot, window, "guide-pay")
    qtbot.waitUntil(lambda: state(core) is PayState.ACCOUNT)
    for digit in "31000000000001":
        click(qtbot, window, f"key-{digit}")
    click(qtbot, window, "payment-look-up")
    says(qtbot, window, "payment-facts", "¥12.30")  # the card account's balance
    pay = window.screens[Step.PAYMENT].pay
    assert pay.isVisible() and not pay.isEnabled()  # no amount chosen yet
    click(qtbot, window, "payment-amount-5000")
    says(qtbot, window, "payment-amount", "¥50.00")
    click(qtbot, window, "payment-pay")
    qtbot.waitUntil(lambda: window.screens[Step.PAYMENT].qr.isVisible(), timeout=10_000)
    order = core.flow.session.payment.order  # type: ignore[union-attr]
    assert order is not None and order.amount_fen == 5000
    provider(platform, "paid", order.order_no)
    paper = flat(virtual_printer.wait_for_receipts(1, timeout=10)[0].text)
    assert "充值凭条" in paper and "¥50.00" in paper and "3***********01" in paper
    accounts = platform.operator("pay", "accounts").stdout
    assert "31000000000001\tbalance 6230 fen" in accounts
