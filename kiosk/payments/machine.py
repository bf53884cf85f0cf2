"""缴费 as a plain state machine: what the payment screen shows, never what the money did.

The platform's answer decides every money state: the kiosk moves to paid, failed, expired,
cancelled, credited or refunded only when the platform says so, and when it cannot hear the
platform's word before the deadline has passed it says it does not know (``UNKNOWN``: the
待确认 slip) rather than guess. The order id is fixed when the confirm screen opens, so a
double tap, a retry and a restart mid-payment name the same order (docs/payments.md).

No I/O here: :mod:`kiosk.payments.runner` asks the platform and feeds the answers in; times
are the injected clock's monotonic seconds. Transitions are thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.catalog.model import PaymentSpec
from sync.platform.payments import Bill, BillQuery, OrderAnswer, OrderRequest

# After the platform's deadline, how long the kiosk still waits for its word (a poll that was
# under way, a platform that is back) before it calls the outcome unknown.
DEADLINE_GRACE_SECONDS = 20.0


class PayState(StrEnum):
    ACCOUNT = "account"  # typing the account (or card) number
    LOOKING_UP = "looking_up"  # asking the platform what the account owes
    BILL = "bill"  # the bill (or the card and the amounts) shown; nothing ordered yet
    CREATING = "creating"  # the confirm screen opened: the order is being made
    WAITING = "waiting"  # the QR code and the countdown: waiting for the phone
    CANCELLING = "cancelling"  # the citizen cancelled; waiting for the platform's word
    START_FAILED = "start_failed"  # no order could be made: nothing can have been paid
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    CREDITED = "credited"  # paid after the deadline: credited to the account
    REFUNDED = "refunded"  # paid after the order ended: paid back
    UNKNOWN = "unknown"  # the platform's word could not be had: the 待确认 slip


# The platform's order status -> the screen's state
_FROM_STATUS = {
    "pending": PayState.WAITING, "paid": PayState.PAID, "failed": PayState.FAILED,
    "expired": PayState.EXPIRED, "cancelled": PayState.CANCELLED,
    "credited": PayState.CREDITED, "refunded": PayState.REFUNDED,
}
# An order that ended without money may still be settled late: the kiosk keeps listening.
OPEN_TO_LATE = frozenset({PayState.EXPIRED, PayState.CANCELLED, PayState.FAILED})
# The platform's answer is awaited: the idle guard waits too (until the deadline and grace).
BUSY = frozenset({PayState.LOOKING_UP, PayState.CREATING, PayState.WAITING,
                  PayState.CANCELLING})
PRINTS = frozenset({PayState.PAID, PayState.CREDITED, PayState.REFUNDED, PayState.UNKNOWN})


class PaymentStepError(RuntimeError):
    """A transition that the current state does not allow."""


@dataclass(frozen=True)
class Problem:
    """Why the citizen is asked again, in a code the screen puts into words."""

    code: str  # account_length, unknown_account, nothing_due, unavailable, refused
    detail: str = ""


class PaymentMachine:
    def __init__(self, service_code: str, spec: PaymentSpec,
                 new_order_id: Callable[[], str]) -> None:
        self.service_code = service_code
        self.spec = spec
        self._new_order_id = new_order_id
        self._lock = threading.RLock()
        self.state = PayState.ACCOUNT
        self.account = ""
        self.bill: Bill | None = None
        self.amount_fen: int | None = None
        self.order_id: str | None = None
        self.order: OrderAnswer | None = None
        self.problem: Problem | None = None
        self.link_lost = False  # the last question to the platform went unanswered
        self._deadline: float | None = None  # the platform's deadline on our monotonic clock
        self.printed: bool | None = None
        self.print_message = ""

    def __repr__(self) -> str:  # the account number is the household's: not in a log
        return f"PaymentMachine({self.service_code!r}, {self.state.value})"

    def _expect(self, *states: PayState) -> None:
        if self.state not in states:
            raise PaymentStepError(f"not allowed while {self.state.value}")

    # -- the account and the bill --------------------------------------------------------

    def enter_account(self, digits: str) -> BillQuery | None:
        """The typed number: a query for the platform, or None (and a problem) when it cannot
        be a number of this biller."""
        with self._lock:
            self._expect(PayState.ACCOUNT)
            if not digits.isdigit() or len(digits) != self.spec.account_digits:
                self.problem = Problem("account_length")
                return None
            self.account, self.problem = digits, None
            self.state = PayState.LOOKING_UP
            return BillQuery(self.spec.biller, digits)

    def bill_found(self, bill: Bill) -> None:
        with self._lock:
            self._expect(PayState.LOOKING_UP)
            self.link_lost = False
            if not self.spec.top_up and bill.amount_due_fen <= 0:
                self.state, self.problem = PayState.ACCOUNT, Problem("nothing_due")
                return
            self.bill = bill
            self.amount_fen = None if self.spec.top_up else bill.amount_due_fen
            self.state = PayState.BILL

    def bill_not_found(self, code: str, detail: str = "") -> None:
        """``unknown_account`` (the platform knows no such account) or ``unavailable``."""
        with self._lock:
            self._expect(PayState.LOOKING_UP)
            self.link_lost = code == "unavailable"
            self.state, self.problem = PayState.ACCOUNT, Problem(code, detail)

    def choose_amount(self, amount_fen: int) -> None:
        """A top-up's amount, one of those the catalogue offers."""
        with self._lock:
            self._expect(PayState.BILL)
            if not self.spec.top_up or amount_fen not in self.spec.amounts:
                raise PaymentStepError("not an amount on offer")
            self.amount_fen = amount_fen

    def change_account(self) -> None:
        """Back from the bill to the keypad (nothing was ordered)."""
        with self._lock:
            self._expect(PayState.BILL, PayState.ACCOUNT)
            self.state, self.problem = PayState.ACCOUNT, None
            self.bill, self.amount_fen = None, None

    # -- the order ------------------------------------------------------------------------

    def open_confirm(self) -> OrderRequest | None:
        """The confirm screen opens: the order to make, its id fixed now (and kept for every
        retry); None on a second tap or with no amount chosen."""
        with self._lock:
            if self.state is not PayState.BILL or self.amount_fen is None or self.bill is None:
                return None
            if self.order_id is None:
                self.order_id = self._new_order_id()
            self.state, self.problem = PayState.CREATING, None
            return self.order_request()

    def order_request(self) -> OrderRequest:
        assert self.order_id is not None and self.amount_fen is not None
        return OrderRequest(self.order_id, self.service_code, self.spec.biller, self.account,
                            self.amount_fen)

    def order_not_made(self, code: str, detail: str = "") -> None:
        """``unavailable`` (no answer, after retrying with the same id) or ``refused`` (the
        bill changed meanwhile): no code was shown, so nothing can have been paid."""
        with self._lock:
            self._expect(PayState.CREATING)
            self.link_lost = code == "unavailable"
            self.state, self.problem = PayState.START_FAILED, Problem(code, detail)

    def answer(self, order: OrderAnswer, now: float) -> bool:
        """The platform's word on the order (made, polled or cancelled); True if the state
        changed. Ignored once the outcome is settled, or for another order."""
        with self._lock:
            if order.order_id != self.order_id or self.state not in (
                    BUSY | OPEN_TO_LATE | {PayState.UNKNOWN}):
                return False
            before = self.state
            self.order, self.link_lost = order, False
            self._deadline = now + order.seconds_left
            target = _FROM_STATUS[order.status]
            if self.state is PayState.CANCELLING and target is PayState.WAITING:
                target = PayState.CANCELLING  # the cancel is still on its way
            if self.state is PayState.UNKNOWN and target is PayState.WAITING:
                target = PayState.UNKNOWN  # the slip is printed: it stays the word
            self.state = target
            return self.state is not before

    def unanswered(self, now: float) -> bool:
        """A question to the platform went unanswered; True if the state changed."""
        with self._lock:
            if self.state is PayState.CREATING:
                return False  # the runner retries with the same id, then says order_not_made
            self.link_lost = True
            return self.tick(now)

    def tick(self, now: float) -> bool:
        """Time passes: past the deadline and its grace without the platform's word, the
        outcome is unknown. True if the state changed."""
        with self._lock:
            if self.state not in (PayState.WAITING, PayState.CANCELLING) or not self.link_lost:
                return False
            if self._deadline is None or now <= self._deadline + DEADLINE_GRACE_SECONDS:
                return False
            self.state = PayState.UNKNOWN
            return True

    def cancel(self) -> str | None:
        """The citizen cancels while the code is shown: the order id to cancel, else None."""
        with self._lock:
            if self.state is not PayState.WAITING or self.order_id is None:
                return None
            self.state = PayState.CANCELLING
            return self.order_id

    def took_print(self, printed: bool, message: str = "") -> None:
        with self._lock:
            self.printed, self.print_message = printed, message

    # -- what the screen needs -------------------------------------------------------------

    def seconds_left(self, now: float) -> int:
        """Whole seconds to the platform's deadline (0 past it; the code's whole life before
        an order exists)."""
        with self._lock:
            if self._deadline is None:
                return 0
            return max(0, int(self._deadline - now + 0.999))

    def holds_idle(self, now: float) -> bool:
        """While the platform's word is awaited the citizen may be paying on their phone:
        the idle guard must not end the session (until the deadline and its grace)."""
        with self._lock:
            if self.state in (PayState.LOOKING_UP, PayState.CREATING):
                return True
            if self.state not in (PayState.WAITING, PayState.CANCELLING):
                return False
            return self._deadline is None or now <= self._deadline + DEADLINE_GRACE_SECONDS

    @property
    def listening(self) -> bool:
        """The runner should ask the platform where the order stands."""
        return self.order_id is not None and self.state in (
            PayState.WAITING, PayState.CANCELLING, *OPEN_TO_LATE, PayState.UNKNOWN)
