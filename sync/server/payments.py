"""Bill payment and top-up (缴费) on the reference platform: accounts, orders, and the payment
provider it simulates (docs/payments.md).

- An order is keyed by the kiosk's ``order_id``: the same id again reads the same order back
  (a double tap, a retry after a lost answer, a kiosk restarted mid-payment make no second
  order); the same id with another account or amount, or from another kiosk, is refused.
  SQLite's write lock (``BEGIN IMMEDIATE``) and the primary key settle two requests racing
  with one id: the loser's insert fails, it rolls back and reads the winner's order.
- A bill order must ask for exactly what the account owes now (no partial payment at a
  kiosk); a top-up for a whole number of fen up to ``MAX_AMOUNT_FEN``.
- The deadline is the platform's: an order still pending past it reads as ``expired``.
- The provider's notifications (:meth:`PaymentDesk.notify`): ``paid`` in time settles the
  account (the bill is paid, the card topped up); ``failed``; ``expired`` (the provider's code
  lapsed); a payment notified *after* expiry or cancel — the "late notification" — is settled
  by the platform: credited to the account when the bill still owes it (a top-up always), or
  refunded when the citizen cancelled or the bill was paid another way meanwhile. A payment of
  a pending order whose bill another order paid first is refunded too: a bill is never paid
  twice. A second notification of a final order changes nothing (providers repeat themselves).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from sync.platform.payments import BILLERS, MAX_AMOUNT_FEN, OrderRequest
from sync.server.db import create_schema
from sync.server.schema_payments import metadata, payment_accounts, payment_orders

log = logging.getLogger(__name__)

DEFAULT_WINDOW_SECONDS = 180.0  # how long the payment code is good for
QR_BASE = "https://pay.sim.invalid/o/"  # the simulated provider: a real one gives its own URL
RETRIES = 4
NOTIFICATIONS = ("paid", "failed", "expired", "late")

# 示例: fictional accounts the reference platform serves (holder, owed, balance, period)
FIXTURE_ACCOUNTS: tuple[tuple[str, str, str, int, int | None, str], ...] = (
    ("water", "1000000001", "张*", 8650, None, "2026年11月"),
    ("water", "1000000002", "李*", 0, None, "2026年11月"),
    ("electricity", "2000000001", "王*", 12340, None, "2026年11月"),
    ("gas", "3000000001", "赵*", 4500, None, "2026年10-11月"),
    ("heating", "4000000001", "刘*", 285600, None, "2026-2027采暖期"),
    ("transit", "31000000000001", "", 0, 1230, ""),
)


class PaymentError(Exception):
    """A payment action that cannot be done; the message says why."""


class UnknownAccountError(PaymentError):
    pass


class OrderConflictError(PaymentError):
    """An order id already used otherwise, or an amount the account does not owe."""


class UnknownOrderError(PaymentError):
    pass


@dataclass(frozen=True)
class AccountView:
    biller: str
    account: str
    holder_masked: str
    amount_due_fen: int
    balance_fen: int | None
    period: str


@dataclass(frozen=True)
class Order:
    order_id: str
    order_no: str
    kiosk_id: str
    service_code: str
    biller: str
    account: str
    amount_fen: int
    token: str
    status: str
    created_at: float
    deadline: float
    updated_at: float
    note: str

    @property
    def qr_content(self) -> str:
        return QR_BASE + self.token if self.status == "pending" else ""


def _order(row: Row[Any]) -> Order:
    return Order(row.order_id, row.order_no, row.kiosk_id, row.service_code, row.biller,
                 row.account, row.amount_fen, row.token, row.status, row.created_at,
                 row.deadline, row.updated_at, row.note or "")


def _write_lock(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class PaymentDesk:
    """Accounts, orders and the simulated provider over the platform database. Thread-safe."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time,
                 window_seconds: float = DEFAULT_WINDOW_SECONDS) -> None:
        create_schema(engine, metadata)
        self.engine = engine
        self.clock = clock
        self.window_seconds = window_seconds
        self._seed()

    def _seed(self) -> None:
        with self.engine.begin() as conn:
            _write_lock(conn)
            if conn.execute(select(func.count()).select_from(payment_accounts)).scalar_one():
                return
            dialect_insert = (sqlite.insert if conn.dialect.name == "sqlite"
                              else postgresql.insert)
            for biller, account, holder, due, balance, period in FIXTURE_ACCOUNTS:
                # another server process starting on the same database may seed them too
                conn.execute(dialect_insert(payment_accounts).values(
                    biller=biller, account=account, holder=holder, amount_due_fen=due,
                    balance_fen=balance, period=period).on_conflict_do_nothing())

    # -- the kiosk's requests --------------------------------------------------------------

    def account(self, biller: str, account: str) -> AccountView:
        with self.engine.connect() as conn:
            row = _account_row(conn, biller, account)
        if row is None:
            raise UnknownAccountError("no such account with this biller")
        return AccountView(row.biller, row.account, row.holder, row.amount_due_fen,
                           row.balance_fen, row.period)

    def create(self, kiosk_id: str, request: OrderRequest) -> Order:
        """The order of ``request.order_id``: made now, or the one that id already has."""
        for attempt in range(RETRIES):
            try:
                return self._create_once(kiosk_id, request)
            except IntegrityError:
                # Another process stored this order id first (or an order number collided):
                # rolled back; the next round reads it, or draws another number.
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _create_once(self, kiosk_id: str, request: OrderRequest) -> Order:
        now = float(self.clock())
        with self.engine.begin() as conn:
            _write_lock(conn)
            found = _order_row(conn, request.order_id)
            if found is not None:
                same = (found.kiosk_id, found.biller, found.account, found.amount_fen)
                if same != (kiosk_id, request.biller, request.account, request.amount_fen):
                    raise OrderConflictError("this order id already belongs to another order")
                return self._current(conn, _order(found), now)
            account = _account_row(conn, request.biller, request.account)
            if account is None:
                raise UnknownAccountError("no such account with this biller")
            if BILLERS[request.biller] == "bill":
                if account.amount_due_fen <= 0:
                    raise OrderConflictError("this bill has nothing to pay")
                if request.amount_fen != account.amount_due_fen:
                    raise OrderConflictError("the amount is not what the bill owes now")
            elif not 0 < request.amount_fen <= MAX_AMOUNT_FEN:
                raise OrderConflictError("a top-up must be more than 0 and at most 10000 yuan")
            conn.execute(insert(payment_orders).values(
                order_id=request.order_id, order_no="ZF" + "".join(
                    secrets.choice("0123456789") for _ in range(14)),
                kiosk_id=kiosk_id, service_code=request.service_code, biller=request.biller,
                account=request.account, amount_fen=request.amount_fen,
                token=secrets.token_urlsafe(18), status="pending", created_at=now,
                deadline=now + self.window_seconds, updated_at=now, note=None))
            row = _order_row(conn, request.order_id)
            assert row is not None
            log.info("payment order %s made by %s", row.order_no, kiosk_id)
            return _order(row)

    def order(self, kiosk_id: str | None, order_id: str) -> Order:
        """Where the order stands (expired once pending past its deadline). ``kiosk_id``: only
        the kiosk that made it may ask (None: the operator)."""
        now = float(self.clock())
        with self.engine.begin() as conn:
            _write_lock(conn)
            row = _order_row(conn, order_id)
            if row is None or (kiosk_id is not None and row.kiosk_id != kiosk_id):
                raise UnknownOrderError("no such order")
            return self._current(conn, _order(row), now)

    def cancel(self, kiosk_id: str, order_id: str) -> Order:
        """The citizen cancels: a pending order is cancelled; any other stays as it is."""
        now = float(self.clock())
        with self.engine.begin() as conn:
            _write_lock(conn)
            row = _order_row(conn, order_id)
            if row is None or row.kiosk_id != kiosk_id:
                raise UnknownOrderError("no such order")
            current = self._current(conn, _order(row), now)
            if current.status != "pending":
                return current
            return self._move(conn, current, "cancelled", now, "cancelled at the kiosk")

    # -- the simulated provider ------------------------------------------------------------

    def notify(self, ref: str, event: str) -> Order:
        """The provider's notification on the order of number (or id) ``ref``: ``paid``,
        ``failed``, ``expired``, or ``late`` (the code lapses, then the payment arrives)."""
        if event not in NOTIFICATIONS:
            raise PaymentError(f"unknown notification {event!r} ({', '.join(NOTIFICATIONS)})")
        now = float(self.clock())
        with self.engine.begin() as conn:
            _write_lock(conn)
            row = conn.execute(select(payment_orders).where(or_(
                payment_orders.c.order_no == ref, payment_orders.c.order_id == ref))).first()
            if row is None:
                raise UnknownOrderError(f"no order {ref}")
            order = self._current(conn, _order(row), now)
            if event == "late" and order.status == "pending":
                order = self._move(conn, order, "expired", now, "the payment code lapsed")
            if event in ("paid", "late"):
                return self._paid(conn, order, now)
            if order.status != "pending":
                return order  # a final order stays as it is
            status = "failed" if event == "failed" else "expired"
            note = ("the payment was declined by the payer's bank or wallet" if event == "failed"
                    else "the payment code lapsed")
            return self._move(conn, order, status, now, note)

    def _paid(self, conn: Connection, order: Order, now: float) -> Order:
        if order.status in ("paid", "credited", "refunded"):
            return order  # a repeated notification
        account = _account_row(conn, order.biller, order.account)
        owes = account is not None and (BILLERS[order.biller] == "top_up"
                                        or account.amount_due_fen >= order.amount_fen)
        if order.status == "pending" and owes:
            status, note = "paid", ""
        elif order.status == "pending":  # a second order of a bill paid meanwhile
            status, note = "refunded", "the bill was already paid: the money is paid back"
        elif order.status == "cancelled" or not owes:
            status, note = "refunded", "paid after the order ended: the money is paid back"
        else:
            status, note = "credited", "paid after the deadline: credited to the account"
        if status in ("paid", "credited") and account is not None:
            if BILLERS[order.biller] == "top_up":
                changes = {"balance_fen": (account.balance_fen or 0) + order.amount_fen}
            else:
                changes = {"amount_due_fen": account.amount_due_fen - order.amount_fen}
            conn.execute(update(payment_accounts).where(
                payment_accounts.c.biller == order.biller,
                payment_accounts.c.account == order.account).values(**changes))
        log.info("payment order %s: %s", order.order_no, status)
        return self._move(conn, order, status, now, note)

    def _current(self, conn: Connection, order: Order, now: float) -> Order:
        if order.status == "pending" and now > order.deadline:
            return self._move(conn, order, "expired", now, "no payment before the deadline")
        return order

    @staticmethod
    def _move(conn: Connection, order: Order, status: str, now: float, note: str) -> Order:
        conn.execute(update(payment_orders).where(payment_orders.c.order_id == order.order_id)
                     .values(status=status, updated_at=now, note=note or None))
        row = _order_row(conn, order.order_id)
        assert row is not None
        return _order(row)

    def orders(self, *, include_final: bool = False) -> list[Order]:
        query = select(payment_orders).order_by(payment_orders.c.created_at)
        if not include_final:
            query = query.where(payment_orders.c.status == "pending")
        with self.engine.connect() as conn:
            return [_order(row) for row in conn.execute(query).fetchall()]


def _account_row(conn: Connection, biller: str, account: str) -> Row[Any] | None:
    return conn.execute(select(payment_accounts).where(
        payment_accounts.c.biller == biller, payment_accounts.c.account == account)).first()


def _order_row(conn: Connection, order_id: str) -> Row[Any] | None:
    return conn.execute(
        select(payment_orders).where(payment_orders.c.order_id == order_id)).first()
