"""缴费's own thread: asks the platform, feeds its answers to the state machine, prints.

One runner per payment, started when the citizen opens the payment screen and stopped with
the session. It takes the citizen's requests (look up the bill, make the order, cancel) in
order and, between them, asks every ``poll_seconds`` where the order stands while the
platform's word may still change it (waiting, cancelling, and after an ending without money,
for a late payment's settlement). The order is made with one retry under the same order id
after a lost answer: the platform makes it once. Each change is a :class:`PaymentDidChange`
for the screen; a receipt or 待确认 slip prints on the device job thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sync.clock import Clock
from sync.platform.errors import PlatformError, PlatformUnavailable
from sync.platform.payments import Bill, BillQuery, OrderAnswer, OrderRequest

from ..events import Event
from .inflight import InflightOrders
from .machine import BUSY, PRINTS, PaymentMachine, PayState

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


@dataclass(frozen=True)
class PaymentDidChange(Event):
    """The payment screen's state moved (``kiosk.payments.machine.PayState``)."""

    state: str


class PaymentClient(Protocol):
    """What the runner needs of a platform client (sync.platform.client.PlatformClient)."""

    def look_up_bill(self, query: BillQuery) -> Bill: ...

    def create_payment_order(self, request: OrderRequest) -> OrderAnswer: ...

    def payment_order(self, order_id: str) -> OrderAnswer: ...

    def cancel_payment_order(self, order_id: str) -> OrderAnswer: ...

    def close(self) -> None: ...


_Job = tuple[str, object]


def _why(exc: PlatformError) -> str:
    return f"{exc.kind.value}: {exc}" if hasattr(exc, "kind") else str(exc)


class PaymentRunner:
    def __init__(
        self,
        machine: PaymentMachine,
        client_factory: Callable[[], PaymentClient],
        clock: Clock,
        publish: Callable[[Event], None],
        print_outcome: Callable[[PaymentMachine, datetime], None],
        *,
        poll_seconds: float = POLL_SECONDS,
        inflight: InflightOrders | None = None,
    ) -> None:
        self.machine = machine
        self._client_factory = client_factory
        self._client: PaymentClient | None = None
        self.clock = clock
        self._publish = publish
        self._print_outcome = print_outcome
        self.poll_seconds = poll_seconds
        self._inflight = inflight
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._stopping = threading.Event()
        self._printed: set[PayState] = set()
        self._thread = threading.Thread(target=self._run, name="kiosk-payment", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._jobs.put(("stop", None))
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    # -- the citizen's requests (any thread) -------------------------------------------------

    def look_up(self, digits: str) -> bool:
        """The typed number; False (and a problem on the machine) when it cannot be one."""
        query = self.machine.enter_account(digits)
        self._changed()
        if query is None:
            return False
        self._jobs.put(("look_up", query))
        return True

    def open_confirm(self) -> bool:
        """The confirm screen opens: the order is made now (once, whatever the taps)."""
        request = self.machine.open_confirm()
        if request is None:
            return False
        self._changed()
        self._jobs.put(("create", request))
        return True

    def cancel(self) -> bool:
        order_id = self.machine.cancel()
        if order_id is None:
            return False
        self._changed()
        self._jobs.put(("cancel", order_id))
        return True

    # -- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    kind, arg = self._jobs.get(timeout=self.poll_seconds)
                except queue.Empty:
                    kind, arg = "poll", None
                if self._stopping.is_set():
                    break
                try:
                    self._do(kind, arg)
                except Exception:  # a bug must not leave the citizen with a frozen screen
                    log.exception("payment step %s failed", kind)
                if self.machine.tick(self.clock.monotonic()):
                    self._changed()
        finally:
            if self._client is not None:
                self._client.close()

    def _client_now(self) -> PaymentClient:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def _do(self, kind: str, arg: object) -> None:
        if kind == "look_up":
            assert isinstance(arg, BillQuery)
            self._look_up(arg)
        elif kind == "create":
            assert isinstance(arg, OrderRequest)
            self._create(arg)
        elif kind == "cancel":
            assert isinstance(arg, str)
            self._ask(lambda c: c.cancel_payment_order(arg), cancelling=True)
        elif kind == "poll" and self.machine.listening:
            order_id = self.machine.order_id
            assert order_id is not None
            if self.machine.state is PayState.CANCELLING:
                # the cancel may not have reached the platform: say it again (it is idempotent)
                self._ask(lambda c: c.cancel_payment_order(order_id), cancelling=True)
            else:
                self._ask(lambda c: c.payment_order(order_id))

    def _look_up(self, query: BillQuery) -> None:
        try:
            bill = self._client_now().look_up_bill(query)
        except PlatformError as exc:
            unknown = getattr(exc, "status", None) == 404
            log.info("bill lookup refused: %s", _why(exc))
            self.machine.bill_not_found("unknown_account" if unknown else "unavailable",
                                        "" if unknown else _why(exc))
        else:
            self.machine.bill_found(bill)
        self._changed()

    def _create(self, request: OrderRequest) -> None:
        if self._inflight is not None:
            try:
                self._inflight.hold(request.order_id)  # a crash from now on leaves its id
            except OSError as exc:
                log.warning("the open order cannot be noted on disk: %s", exc)
        for attempt in (1, 2):
            try:
                order = self._client_now().create_payment_order(request)
            except PlatformUnavailable as exc:
                # The order may have been made and the answer lost: the same id again reads
                # that order back, it makes no second one.
                log.info("payment order, attempt %d: %s", attempt, _why(exc))
                continue
            except PlatformError as exc:
                log.warning("payment order refused: %s", _why(exc))
                self.machine.order_not_made("refused", str(exc))
                self._changed()
                return
            self.machine.answer(order, self.clock.monotonic())
            self._changed()
            return
        self.machine.order_not_made("unavailable")
        self._changed()

    def _ask(self, call: Callable[[PaymentClient], OrderAnswer], *,
             cancelling: bool = False) -> None:
        now = self.clock.monotonic()
        try:
            order = call(self._client_now())
        except PlatformError as exc:
            log.info("payment order status not heard: %s", _why(exc))
            self.machine.unanswered(now)
            self._changed()  # the screen says the link is lost (or the outcome is unknown)
            return
        was_lost = self.machine.link_lost
        if self.machine.answer(order, now) or was_lost:
            self._changed()

    def _changed(self) -> None:
        state = self.machine.state
        order_id = self.machine.order_id
        if self._inflight is not None and order_id is not None and state not in BUSY:
            self._inflight.release(order_id)  # the platform's word ended it on screen
        if state in PRINTS and state not in self._printed:
            self._printed.add(state)
            self._print_outcome(self.machine, self.clock.now())
        self._publish(PaymentDidChange(state.value))
