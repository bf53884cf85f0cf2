"""缴费 on the reference platform, over HTTP, on SQLite and PostgreSQL: signed requests only,
the fixture accounts, an order made once per order id (a retry, a double tap, a second kiosk
racing with the same id), each simulated provider outcome through the operator's command, and
late payments settled (credited, refunded); the deadline on a platform clock the test moves."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sync.kiosk_keys import KioskIdentity
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformAuthError, PlatformProtocolError
from sync.platform.payments import BillQuery, OrderRequest
from sync.server.cli import ServerHandle, start_server_thread
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    postgres_server,
    postgres_url,
)

WATER = BillQuery("water", "1000000001")  # owes 86.50 yuan (fixture)
CARD = BillQuery("transit", "31000000000001")  # balance 12.30 yuan


def water_order(order_id: str | None = None, amount: int = 8650) -> OrderRequest:
    return OrderRequest(order_id or str(uuid7()), "water-bill-payment", "water", WATER.account,
                        amount)


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, platform_factory: Callable[..., PlatformProcess],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PlatformProcess]:
    if request.param == "sqlite":
        yield platform_factory(require_signatures=True)
        return
    url = str(request.getfixturevalue("postgres_url"))
    made = DatabasePlatform(tmp_path_factory.mktemp("pg-platform"), url, require_signatures=True)
    made.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def kiosks(platform: PlatformProcess, tmp_path: Path) -> tuple[EnrolledKiosk, EnrolledKiosk]:
    return (platform.enrol("K0451", tmp_path / "k1", code="K0451"),
            platform.enrol("K0452", tmp_path / "k2", code="K0452"))


def provider(platform: PlatformProcess, event: str, order_no: str) -> dict[str, Any]:
    done = platform.operator("pay", event, order_no, "--json")
    assert done.returncode == 0, done.stderr
    shown: dict[str, Any] = json.loads(done.stdout)[0]
    return shown


def test_bills_and_cards_of_the_fixture_accounts(kiosks: tuple[EnrolledKiosk, ...]) -> None:
    client = kiosks[0].client()
    bill = client.look_up_bill(WATER)
    assert (bill.amount_due_fen, bill.holder_masked, bill.balance_fen) == (8650, "张*", None)
    card = client.look_up_bill(CARD)
    assert (card.amount_due_fen, card.balance_fen) == (0, 1230)
    with pytest.raises(PlatformProtocolError) as unknown:
        client.look_up_bill(BillQuery("gas", "9999999999"))
    assert unknown.value.status == 404


def test_one_order_per_order_id_whoever_asks_again(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    one = kiosks[0].client()
    request = water_order()
    first = one.create_payment_order(request)
    assert first.status == "pending" and first.qr_content and first.seconds_left > 60
    again = one.create_payment_order(request)  # a retry after a lost answer, a double tap
    assert (again.order_no, again.qr_content, again.deadline) == (
        first.order_no, first.qr_content, first.deadline)
    clients = [kiosks[0].client() for _ in range(4)]
    racing = water_order()
    answers: list[str] = []

    def create(client: PlatformClient) -> None:
        answers.append(client.create_payment_order(racing).order_no)

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(answers) == 4 and len(set(answers)) == 1
    listed = platform.operator("pay", "list")
    assert listed.stdout.count("\n") == 2, listed.stdout  # two orders, not five
    with pytest.raises(PlatformProtocolError) as other:  # the same id for another amount
        one.create_payment_order(water_order(request.order_id, 100))
    assert other.value.status == 409
    with pytest.raises(PlatformProtocolError) as stranger:  # another kiosk's order
        kiosks[1].client().payment_order(request.order_id)
    assert stranger.value.status == 404
    with pytest.raises(PlatformProtocolError) as wrong_amount:
        one.create_payment_order(water_order(amount=100))
    assert wrong_amount.value.status == 409


def test_paid_settles_the_bill_and_a_repeat_changes_nothing(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, ...],
) -> None:
    client = kiosks[0].client()
    order = client.create_payment_order(water_order())
    assert provider(platform, "paid", order.order_no)["status"] == "paid"
    status = client.payment_order(order.order_id)
    assert status.status == "paid" and status.qr_content == ""
    assert client.look_up_bill(WATER).amount_due_fen == 0
    assert provider(platform, "paid", order.order_no)["status"] == "paid"  # repeated
    assert client.cancel_payment_order(order.order_id).status == "paid"  # too late to cancel
    with pytest.raises(PlatformProtocolError):
        client.create_payment_order(water_order())  # nothing left to pay


def test_failed_expired_and_cancelled_take_no_money(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, ...],
) -> None:
    client = kiosks[0].client()
    failed = client.create_payment_order(water_order())
    assert provider(platform, "failed", failed.order_no)["status"] == "failed"
    assert client.payment_order(failed.order_id).note
    expired = client.create_payment_order(water_order())
    assert provider(platform, "expired", expired.order_no)["status"] == "expired"
    cancelled = client.create_payment_order(water_order())
    assert client.cancel_payment_order(cancelled.order_id).status == "cancelled"
    assert client.cancel_payment_order(cancelled.order_id).status == "cancelled"
    assert provider(platform, "failed", cancelled.order_no)["status"] == "cancelled"
    assert client.look_up_bill(WATER).amount_due_fen == 8650


def test_late_payments_are_credited_or_refunded(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, ...],
) -> None:
    client = kiosks[0].client()
    late = client.create_payment_order(water_order())
    settled = provider(platform, "late", late.order_no)  # lapsed, then the payment came
    assert settled["status"] == "credited" and "credited" in settled["note"]
    assert client.payment_order(late.order_id).status == "credited"
    assert client.look_up_bill(WATER).amount_due_fen == 0  # the bill is paid by it
    card = client.create_payment_order(
        OrderRequest(str(uuid7()), "transit-card-top-up", "transit", CARD.account, 5000))
    assert provider(platform, "late", card.order_no)["status"] == "credited"
    assert client.look_up_bill(CARD).balance_fen == 1230 + 5000
    heating = BillQuery("heating", "4000000001")
    twice = [client.create_payment_order(OrderRequest(
        str(uuid7()), "heating-bill-payment", "heating", heating.account, 285600))
        for _ in range(2)]  # two orders open for one bill (a kiosk restarted, another kiosk)
    assert [provider(platform, "paid", o.order_no)["status"] for o in twice] == [
        "paid", "refunded"]  # never paid twice
    assert client.look_up_bill(heating).amount_due_fen == 0
    gas = BillQuery("gas", "3000000001")
    cancelled = client.create_payment_order(
        OrderRequest(str(uuid7()), "gas-bill-payment", "gas", gas.account, 4500))
    client.cancel_payment_order(cancelled.order_id)
    assert provider(platform, "paid", cancelled.order_no)["status"] == "refunded"
    assert client.look_up_bill(gas).amount_due_fen == 4500


def test_payments_need_a_signature(platform: PlatformProcess) -> None:
    unsigned = PlatformClient(platform.url, "K0451", allow_plain_http=True)
    with pytest.raises(PlatformAuthError):
        unsigned.look_up_bill(WATER)


class MovedClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def moved(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, ...]]:
    clock = MovedClock(datetime(2026, 11, 21, 8, 0, tzinfo=UTC).timestamp())
    url = None if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))
    handle: ServerHandle = start_server_thread("127.0.0.1", 0, tmp_path / "p", url,
                                               require_signatures=True, clock=clock,
                                               payment_window_seconds=120)
    identity = KioskIdentity.generate()
    handle.registry.register("K0451", identity.public_key)
    client = PlatformClient(handle.url, "K0451", signer=identity.signer("K0451", clock=clock))
    try:
        yield clock, client
    finally:
        client.close()
        handle.stop()


def test_the_deadline_is_the_platforms(moved: tuple[MovedClock, PlatformClient]) -> None:
    clock, client = moved
    order = client.create_payment_order(water_order())
    assert order.seconds_left == 120
    clock.now += 119  # both sides moved: the signatures stay in range
    assert client.payment_order(order.order_id).status == "pending"
    clock.now += 2
    expired = client.payment_order(order.order_id)
    assert expired.status == "expired" and expired.seconds_left == 0
