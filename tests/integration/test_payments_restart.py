"""A kiosk stopped (or crashed) in the middle of a payment makes no second open order: the
order it left open is cancelled on the platform at its next contact, so a phone that pays it
afterwards is refunded; headless kiosks over the reference platform process."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from devices.printers.network import NetworkReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.payments.inflight import INFLIGHT_FILE
from kiosk.payments.machine import PayState
from kiosk.platform_link.enrolment import identity_dir
from tests.support.platform import PlatformProcess


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_order_left_open_by_a_restart_is_cancelled_then_refunded_if_paid(
    tmp_path: Path, virtual_printer: VirtualPrinter,
    platform_factory: Callable[..., PlatformProcess],
) -> None:
    platform = platform_factory(require_signatures=True)
    config = (
        Config()
        .replace("kiosk", data_dir=str(tmp_path / "kiosk"), voice_engine="mock")
        .replace("platform", url=platform.url, timeout_seconds=2.0)
        .replace("reader", backend="simulated")
        .replace("sync", interval_seconds=0.2, connectivity_seconds=0.3)
    )
    platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)

    def kiosk() -> KioskCore:
        core = assemble_kiosk(config, readers=SimulatedCardReader(),
                              printer=NetworkReceiptPrinter("127.0.0.1", virtual_printer.port))
        core.payment_poll_seconds = 0.1
        core.start()
        return core

    first = kiosk()
    try:
        first.flow.choose_service("gas-bill-payment")
        runner = first.begin_payment()
        assert runner is not None and runner.look_up("3000000001")
        wait_for(lambda: runner.machine.state is PayState.BILL)
        assert runner.open_confirm()
        wait_for(lambda: runner.machine.state is PayState.WAITING)
        order = runner.machine.order
        assert order is not None
    finally:
        first.stop()  # mid-payment: the order stays open on the platform
    assert (config.data_dir / INFLIGHT_FILE).exists()
    assert "pending" in platform.operator("pay", "show", order.order_no).stdout

    second = kiosk()
    try:
        wait_for(lambda: "cancelled" in platform.operator("pay", "show", order.order_no).stdout)
        wait_for(lambda: not (config.data_dir / INFLIGHT_FILE).exists())
    finally:
        second.stop()
    paid_late = platform.operator("pay", "paid", order.order_no)
    assert "refunded" in paid_late.stdout  # the phone paid the abandoned order: paid back
