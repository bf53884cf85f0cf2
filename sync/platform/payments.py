"""Protocol v1 of bill payment and top-up (缴费), shared by the kiosk's client and the platform.

Four signed requests (docs/payments.md):

- ``POST /v1/payments/bills`` ``{kiosk_id, biller, account}``: what the account owes (a bill)
  or holds (a transit card), with the holder's name masked;
- ``POST /v1/payments/orders`` ``{kiosk_id, order_id, service_code, biller, account,
  amount_fen}``: an order, made once per ``order_id`` (the kiosk's UUIDv7, fixed when the
  confirm screen opens): the same id again is the same order, never a second one;
- ``GET /v1/payments/orders/{order_id}``: where the order stands now;
- ``POST /v1/payments/orders/{order_id}/cancel``: the citizen cancels; the answer is the
  order as it then stands (an order paid a moment earlier stays paid).

An order answer carries the payment QR code's content for the citizen's phone, the deadline
and the platform's time, so the kiosk counts down the platform's deadline and never its own.
Money is whole fen (分), never a float. The platform's status decides every money state.

No HTTP stack here: the parsers raise ValueError, which the client turns into a protocol
error (so the platform may import this module).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BILLERS",
    "BILLS_PATH",
    "FINAL_STATES",
    "ORDERS_PATH",
    "ORDER_STATES",
    "Bill",
    "BillQuery",
    "OrderAnswer",
    "OrderRequest",
    "bill_query_body",
    "cancel_path",
    "order_path",
    "order_request_body",
    "parse_bill",
    "parse_order",
]

BILLS_PATH = "/v1/payments/bills"
ORDERS_PATH = "/v1/payments/orders"
# water, electricity, gas and heating bills by account number; a transit card's top-up
BILLERS = {"water": "bill", "electricity": "bill", "gas": "bill", "heating": "bill",
           "transit": "top_up"}
BILLER_PATTERN = r"^(water|electricity|gas|heating|transit)$"
ACCOUNT_PATTERN = r"^[0-9]{6,20}$"
ORDER_NO_PATTERN = r"^ZF[0-9]{14}$"
MAX_AMOUNT_FEN = 1_000_000  # 10 000 yuan: more is not paid at a kiosk
# pending: waiting for the phone; paid; failed (the provider refused); expired (no payment
# before the deadline); cancelled (by the citizen); credited / refunded: a payment that arrived
# after expiry or cancel, settled by the platform (credited to the account, or paid back).
ORDER_STATES = ("pending", "paid", "failed", "expired", "cancelled", "credited", "refunded")
FINAL_STATES = frozenset(ORDER_STATES) - {"pending"}
LATE_STATES = frozenset({"credited", "refunded"})
_ORDER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                       re.IGNORECASE)


def order_path(order_id: str) -> str:
    if _ORDER_ID.fullmatch(order_id) is None:
        raise ValueError("not an order id")
    return f"{ORDERS_PATH}/{order_id}"


def cancel_path(order_id: str) -> str:
    return order_path(order_id) + "/cancel"


def _body(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class BillQuery:
    biller: str
    account: str

    def __repr__(self) -> str:  # an account number is the household's: never in a log
        return f"BillQuery({self.biller!r}, …{self.account[-2:]})"


def bill_query_body(kiosk_id: str, query: BillQuery) -> bytes:
    return _body({"kiosk_id": kiosk_id, "biller": query.biller, "account": query.account})


@dataclass(frozen=True)
class Bill:
    """What the account owes (a bill) or holds (a transit card), as the platform says."""

    biller: str
    account: str
    holder_masked: str  # 张*
    amount_due_fen: int  # 0 for a transit card, or a bill already paid
    balance_fen: int | None  # a transit card's balance; None for a bill
    period: str  # the billing period (2026年11月), or "" for a card

    def __repr__(self) -> str:
        return f"Bill({self.biller!r}, due={self.amount_due_fen})"


def _whole(doc: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
    value = doc.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"the reply's {name} is not a whole number of fen")
    return value


def parse_bill(doc: Any, query: BillQuery) -> Bill:
    if not isinstance(doc, dict):
        raise ValueError("the bill reply is not an object")
    if doc.get("biller") != query.biller or doc.get("account") != query.account:
        raise ValueError("the bill reply names another account")
    due = _whole(doc, "amount_due_fen")
    balance = _whole(doc, "balance_fen", optional=True)
    assert due is not None
    return Bill(query.biller, query.account, str(doc.get("holder_masked", "")), due, balance,
                str(doc.get("period", "")))


@dataclass(frozen=True)
class OrderRequest:
    order_id: str  # UUID, fixed when the confirm screen opens: every retry sends it again
    service_code: str
    biller: str
    account: str
    amount_fen: int

    def __repr__(self) -> str:
        return f"OrderRequest({self.order_id!r}, {self.biller!r}, {self.amount_fen})"


def order_request_body(kiosk_id: str, request: OrderRequest) -> bytes:
    return _body({
        "kiosk_id": kiosk_id, "order_id": request.order_id,
        "service_code": request.service_code, "biller": request.biller,
        "account": request.account, "amount_fen": request.amount_fen,
    })


@dataclass(frozen=True)
class OrderAnswer:
    """The platform's word on one order."""

    order_id: str
    order_no: str  # ZF + 14 digits: what the citizen quotes
    status: str  # one of ORDER_STATES
    amount_fen: int
    qr_content: str  # what the phone scans; "" once the order is final
    deadline: float  # platform time (Unix seconds)
    server_time: float  # the platform's clock at the answer
    note: str = ""  # the platform's words on a settlement or failure

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATES

    @property
    def seconds_left(self) -> float:
        return max(0.0, self.deadline - self.server_time)


def parse_order(doc: Any, order_id: str) -> OrderAnswer:
    if not isinstance(doc, dict):
        raise ValueError("the order reply is not an object")
    if doc.get("order_id") != order_id:
        raise ValueError("the order reply answers another order")
    status = doc.get("status")
    if status not in ORDER_STATES:
        raise ValueError(f"the order reply's status {status!r} is unknown")
    order_no = doc.get("order_no")
    if not isinstance(order_no, str) or re.fullmatch(ORDER_NO_PATTERN, order_no) is None:
        raise ValueError("the order reply lacks its order number")
    amount = _whole(doc, "amount_fen")
    assert amount is not None
    times = []
    for name in ("deadline", "server_time"):
        value = doc.get(name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"the order reply's {name} is not a time")
        times.append(float(value))
    qr = doc.get("qr_content", "")
    if not isinstance(qr, str) or (status == "pending" and not qr):
        raise ValueError("a pending order's reply lacks its payment code")
    return OrderAnswer(order_id, order_no, str(status), amount, qr, times[0], times[1],
                       str(doc.get("note") or ""))
