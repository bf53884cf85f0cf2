"""缴费's state machine and runner without Qt or a platform: a fake client (pure logic), a
fake clock. Every money state comes from the platform's answer; without one past the deadline
the outcome is unknown; the order id is fixed once; what prints, and when."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.model import PaymentSpec
from kiosk.catalog.site import load_site
from kiosk.events import Event
from kiosk.payments.machine import (
    DEADLINE_GRACE_SECONDS,
    PaymentMachine,
    PaymentStepError,
    PayState,
)
from kiosk.payments.runner import PaymentRunner
from kiosk.payments.slips import payment_slip, yuan
from sync.platform.errors import PlatformProtocolError, PlatformUnavailable
from sync.platform.payments import Bill, BillQuery, OrderAnswer, OrderRequest
from tests.support.clock import FakeClock

WATER = PaymentSpec("water", 10)
CARD = PaymentSpec("transit", 14, (2000, 5000))
ORDER_ID = "0190a000-0000-7000-8000-000000000001"
BILL = Bill("water", "1000000001", "张*", 8650, None, "2026年11月")


def answer(status: str = "pending", left: float = 180.0, order_id: str = ORDER_ID,
           amount: int = 8650) -> OrderAnswer:
    return OrderAnswer(order_id, "ZF20261121000001", status, amount,
                       "https://pay.sim.invalid/o/x" if status == "pending" else "",
                       1000.0 + left, 1000.0)


def water_machine() -> PaymentMachine:
    ids = iter([ORDER_ID, "0190a000-0000-7000-8000-000000000002"])
    return PaymentMachine("water-bill-payment", WATER, lambda: next(ids))


def at_waiting(now: float = 0.0) -> PaymentMachine:
    m = water_machine()
    assert m.enter_account("1000000001") == BillQuery("water", "1000000001")
    m.bill_found(BILL)
    assert m.open_confirm() is not None
    assert m.answer(answer(), now)
    return m


def test_the_account_number_must_be_whole_and_the_bill_owe_something() -> None:
    m = water_machine()
    assert m.enter_account("12345") is None and m.problem and m.problem.code == "account_length"
    assert m.state is PayState.ACCOUNT
    m.enter_account("1000000002")
    m.bill_found(replace(BILL, amount_due_fen=0))
    assert m.state is PayState.ACCOUNT and m.problem and m.problem.code == "nothing_due"
    m.enter_account("1000000009")
    m.bill_not_found("unknown_account")
    assert m.state is PayState.ACCOUNT and m.problem.code == "unknown_account"


def test_the_order_id_is_fixed_when_confirm_opens_and_a_second_tap_makes_nothing() -> None:
    m = water_machine()
    m.enter_account("1000000001")
    m.bill_found(BILL)
    first = m.open_confirm()
    assert first == OrderRequest(ORDER_ID, "water-bill-payment", "water", "1000000001", 8650)
    assert m.open_confirm() is None  # a double tap
    assert m.state is PayState.CREATING and m.holds_idle(0)


def test_only_the_platform_moves_money_states() -> None:
    m = at_waiting()
    assert m.state is PayState.WAITING and m.seconds_left(0) == 180 and m.holds_idle(179)
    assert not m.answer(answer("pending", 150), 30)  # still pending: no change
    assert m.seconds_left(30) == 150
    assert m.answer(answer("paid"), 40) and m.state is PayState.PAID
    assert not m.holds_idle(40)
    assert not m.answer(answer("refunded"), 50)  # a settled outcome stays
    other = at_waiting()
    assert not other.answer(answer("paid", order_id="0190a000-0000-7000-8000-00000000000f"), 1)


@pytest.mark.parametrize("status", ["failed", "expired", "cancelled"])
def test_an_ending_without_money_may_still_be_settled_late(status: str) -> None:
    m = at_waiting()
    m.answer(answer(status), 10)
    assert m.state is PayState(status) and m.listening and not m.holds_idle(10)
    assert m.answer(answer("credited"), 20) and m.state is PayState.CREDITED


def test_a_cancel_waits_for_the_platforms_word() -> None:
    m = at_waiting()
    assert m.cancel() == ORDER_ID and m.state is PayState.CANCELLING
    assert m.cancel() is None
    m.answer(answer("pending"), 5)  # an answer from before the cancel arrived
    assert m.state is PayState.CANCELLING
    m.answer(answer("paid"), 6)  # paid a moment before the cancel: it is paid
    assert m.state is PayState.PAID


def test_without_the_platforms_word_past_the_deadline_the_outcome_is_unknown() -> None:
    m = at_waiting()
    assert not m.unanswered(100) and m.link_lost and m.state is PayState.WAITING
    assert m.holds_idle(180 + DEADLINE_GRACE_SECONDS)
    assert not m.tick(180 + DEADLINE_GRACE_SECONDS)
    assert m.tick(181 + DEADLINE_GRACE_SECONDS) and m.state is PayState.UNKNOWN
    assert not m.holds_idle(181 + DEADLINE_GRACE_SECONDS)
    assert m.answer(answer("paid"), 300) and m.state is PayState.PAID  # it came back: paid
    back = at_waiting()
    back.unanswered(10)
    back.answer(answer("pending", 160), 20)  # back in time: waiting again, nothing lost
    assert not back.link_lost and not back.tick(500)


def test_a_top_up_takes_only_an_amount_on_offer() -> None:
    m = PaymentMachine("transit-card-top-up", CARD, lambda: ORDER_ID)
    m.enter_account("31000000000001")
    m.bill_found(Bill("transit", "31000000000001", "", 0, 1230, ""))
    assert m.state is PayState.BILL and m.open_confirm() is None  # no amount yet
    with pytest.raises(PaymentStepError):
        m.choose_amount(3000)
    m.choose_amount(5000)
    request = m.open_confirm()
    assert request is not None and request.amount_fen == 5000


def test_slips_mask_the_account_and_say_how_to_check_an_unknown_outcome() -> None:
    catalog, site = load_catalog(), load_site(None)
    service = catalog.get("water-bill-payment")
    m = at_waiting()
    m.unanswered(1)
    m.tick(1000)
    slip = payment_slip(m, service, site, "kiosk-1", datetime(2026, 11, 21, tzinfo=UTC))
    text = repr(slip)
    assert slip.title == "缴费结果待确认" and "1000000001" not in text and "1*******01" in text
    assert "ZF20261121000001" in text and "请勿重复缴费" in text and "12345" in text
    assert "¥86.50" in text and yuan(5) == "0.05"
    m.answer(answer("paid"), 1001)
    paid = payment_slip(m, service, site, "kiosk-1", datetime(2026, 11, 21, tzinfo=UTC))
    assert paid.title == "缴费凭条" and ("状态", "支付成功") in paid.facts


class FakeClient:
    """The platform's answers as a test scripts them (pure logic: no HTTP here)."""

    def __init__(self) -> None:
        self.created: list[OrderRequest] = []
        self.status = "pending"
        self.down = False
        self.lose_first_create = False
        self.closed = False

    def look_up_bill(self, query: BillQuery) -> Bill:
        if self.down:
            raise PlatformUnavailable("connection refused")
        if query.account != BILL.account:
            raise PlatformProtocolError("no such account", 404)
        return BILL

    def create_payment_order(self, request: OrderRequest) -> OrderAnswer:
        self.created.append(request)
        if self.lose_first_create and len(self.created) == 1:
            raise PlatformUnavailable("read timed out")
        return answer(order_id=request.order_id)

    def payment_order(self, order_id: str) -> OrderAnswer:
        if self.down:
            raise PlatformUnavailable("connection refused")
        return answer(self.status, order_id=order_id)

    def cancel_payment_order(self, order_id: str) -> OrderAnswer:
        if self.down:
            raise PlatformUnavailable("connection refused")
        self.status = "cancelled" if self.status == "pending" else self.status
        return answer(self.status, order_id=order_id)

    def close(self) -> None:
        self.closed = True


def wait_for(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def run() -> object:
    made: list[PaymentRunner] = []

    def start(client: FakeClient, clock: FakeClock) -> tuple[PaymentRunner, list[str]]:
        printed: list[str] = []
        states: list[str] = []
        lock = threading.Lock()

        def publish(event: Event) -> None:
            with lock:
                states.append(getattr(event, "state", ""))

        runner = PaymentRunner(water_machine(), lambda: client, clock, publish,
                               lambda m, when: printed.append(m.state.value), poll_seconds=0.01)
        runner.start()
        made.append(runner)
        return runner, printed

    yield start
    for runner in made:
        runner.stop()


def test_the_runner_retries_a_lost_answer_with_the_same_id_and_prints_once(run: object) -> None:
    client, clock = FakeClient(), FakeClock()
    client.lose_first_create = True
    runner, printed = run(client, clock)  # type: ignore[operator]
    assert runner.look_up("1000000001")
    wait_for(lambda: runner.machine.state is PayState.BILL)
    assert runner.open_confirm() and not runner.open_confirm()
    wait_for(lambda: runner.machine.state is PayState.WAITING)
    assert [r.order_id for r in client.created] == [ORDER_ID, ORDER_ID]
    client.status = "paid"
    wait_for(lambda: runner.machine.state is PayState.PAID)
    time.sleep(0.05)
    assert printed == ["paid"]


def test_the_platform_down_mid_payment_ends_in_the_pending_slip(run: object) -> None:
    client, clock = FakeClient(), FakeClock()
    runner, printed = run(client, clock)  # type: ignore[operator]
    runner.look_up("1000000001")
    wait_for(lambda: runner.machine.state is PayState.BILL)
    runner.open_confirm()
    wait_for(lambda: runner.machine.state is PayState.WAITING)
    client.down = True
    wait_for(lambda: runner.machine.link_lost)
    assert runner.machine.state is PayState.WAITING and printed == []
    clock.advance(180 + DEADLINE_GRACE_SECONDS + 1)
    wait_for(lambda: runner.machine.state is PayState.UNKNOWN)
    wait_for(lambda: printed == ["unknown"])


def test_the_platform_down_before_the_bill_says_unavailable(run: object) -> None:
    client, clock = FakeClient(), FakeClock()
    client.down = True
    runner, _ = run(client, clock)  # type: ignore[operator]
    runner.look_up("1000000001")
    wait_for(lambda: runner.machine.problem is not None)
    assert runner.machine.problem.code == "unavailable" and runner.machine.state is PayState.ACCOUNT
    client.down = False
    runner.machine.problem = None
    runner.look_up("1000000009")
    wait_for(lambda: runner.machine.problem is not None)
    assert runner.machine.problem.code == "unknown_account"


def test_a_cancel_is_said_again_until_the_platform_answers(run: object) -> None:
    client, clock = FakeClient(), FakeClock()
    runner, printed = run(client, clock)  # type: ignore[operator]
    runner.look_up("1000000001")
    wait_for(lambda: runner.machine.state is PayState.BILL)
    runner.open_confirm()
    wait_for(lambda: runner.machine.state is PayState.WAITING)
    client.down = True
    assert runner.cancel()
    wait_for(lambda: runner.machine.link_lost)
    assert runner.machine.state is PayState.CANCELLING
    client.down = False
    wait_for(lambda: runner.machine.state is PayState.CANCELLED)
    assert printed == []


def test_an_order_a_crash_left_open_is_cancelled_at_the_next_contact(tmp_path: object) -> None:
    from pathlib import Path

    from kiosk.payments.inflight import InflightOrders

    path = Path(str(tmp_path)) / "payment_inflight.json"
    inflight = InflightOrders(path)
    client = FakeClient()
    assert inflight.close_leftover(client) is None  # nothing open
    inflight.hold(ORDER_ID)
    assert path.stat().st_mode & 0o777 == 0o600 and "1000000001" not in path.read_text()
    client.down = True
    assert inflight.close_leftover(client) is None and inflight.leftover() == ORDER_ID
    client.down = False
    closed = inflight.close_leftover(client)
    assert closed is not None and closed.status == "cancelled" and not path.exists()
    inflight.hold(ORDER_ID)
    client.status = "paid"  # paid before the crash: left as it is, the file gone
    closed = inflight.close_leftover(client)
    assert closed is not None and closed.status == "paid" and inflight.leftover() is None


def test_the_runner_notes_the_open_order_until_the_platform_ends_it(tmp_path: object) -> None:
    from pathlib import Path

    from kiosk.payments.inflight import InflightOrders

    inflight = InflightOrders(Path(str(tmp_path)) / "payment_inflight.json")
    client, clock = FakeClient(), FakeClock()
    runner = PaymentRunner(water_machine(), lambda: client, clock, lambda e: None,
                           lambda m, when: None, poll_seconds=0.01, inflight=inflight)
    runner.start()
    try:
        runner.look_up("1000000001")
        wait_for(lambda: runner.machine.state is PayState.BILL)
        runner.open_confirm()
        wait_for(lambda: runner.machine.state is PayState.WAITING)
        assert inflight.leftover() == ORDER_ID  # a crash now leaves its id
        client.status = "paid"
        wait_for(lambda: runner.machine.state is PayState.PAID)
        wait_for(lambda: inflight.leftover() is None)
    finally:
        runner.stop()
