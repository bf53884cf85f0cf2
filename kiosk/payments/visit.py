"""缴费 within the kiosk: a payment started from a payment service's guide, its runner wired to
the core's platform client, clock, events and printer, and its receipt or slip printed on the
device job thread (:meth:`kiosk.core.KioskCore.begin_payment`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.uuid7 import uuid7

from .inflight import INFLIGHT_FILE, InflightOrders
from .machine import PaymentMachine
from .runner import PaymentDidChange, PaymentRunner
from .slips import payment_slip, print_slip

if TYPE_CHECKING:
    from ..core import KioskCore

log = logging.getLogger(__name__)


def inflight_orders(core: KioskCore) -> InflightOrders:
    return InflightOrders(core.config.data_dir / INFLIGHT_FILE)


def close_leftover_order(core: KioskCore) -> None:
    """At a contact with the platform: cancel the order a crash left open, if any."""
    inflight = inflight_orders(core)
    if inflight.leftover() is None:
        return
    from kiosk.platform_link.enrolment import platform_client

    client = platform_client(core.config)
    try:
        inflight.close_leftover(client)
    finally:
        client.close()


def start_payment(core: KioskCore, poll_seconds: float) -> PaymentRunner:
    """The payment of the service on the guide: a machine in the session, its runner started."""
    from kiosk.platform_link.enrolment import platform_client  # requests loads with it

    service = core.flow.session.service
    assert service is not None and service.payment is not None
    machine = PaymentMachine(service.code, service.payment, lambda: str(uuid7()))
    core.flow.session.payment = machine
    zone = ZoneInfo(core.config.kiosk.timezone)

    def print_outcome(paid: PaymentMachine, when: datetime) -> None:
        def job() -> None:
            try:
                slip = payment_slip(paid, service, core.site, core.config.kiosk.id,
                                    when.astimezone(zone))
                reference = paid.order.order_no if paid.order else paid.service_code
                printed, message = print_slip(core.printer, slip, reference)
            except Exception as exc:  # a driver bug: the screen still says what happened
                log.exception("payment slip not printed")
                printed, message = False, type(exc).__name__
            paid.took_print(printed, message)
            core.events.publish(PaymentDidChange(paid.state.value))

        try:
            core.submit_device_job(job)
        except RuntimeError:  # the kiosk is stopping
            log.warning("payment slip not printed: the kiosk is stopping")

    runner = PaymentRunner(machine, lambda: platform_client(core.config), core.clock,
                           core.events.publish, print_outcome, poll_seconds=poll_seconds,
                           inflight=inflight_orders(core))
    runner.start()
    return runner
