"""The kiosk's payment requests on the reference platform (signed, like every kiosk request):
bill lookup, idempotent order creation, order status and cancel (docs/payments.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sync.platform.payments import (
    ACCOUNT_PATTERN,
    BILLER_PATTERN,
    BILLS_PATH,
    MAX_AMOUNT_FEN,
    ORDERS_PATH,
    OrderRequest,
)
from sync.platform.protocol import KIOSK_ID_PATTERN, UUID_PATTERN
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.payments import (
    Order,
    OrderConflictError,
    PaymentDesk,
    UnknownAccountError,
    UnknownOrderError,
)

NO_CACHE = {"Cache-Control": "no-store"}  # a household's bill is nobody else's


class BillQueryModel(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    biller: str = Field(pattern=BILLER_PATTERN)
    account: str = Field(pattern=ACCOUNT_PATTERN, description="The account or card number")


class BillModel(BaseModel):
    biller: str
    account: str
    holder_masked: str = Field(description="The holder's name, masked (张*); empty for a card")
    amount_due_fen: int = Field(description="What the bill owes now, in fen (0: nothing)")
    balance_fen: int | None = Field(default=None, description="A transit card's balance")
    period: str


class OrderRequestModel(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    order_id: str = Field(pattern=UUID_PATTERN, description="The kiosk's id, fixed when the "
                          "confirm screen opens: a retry sends it again and gets the same order")
    service_code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    biller: str = Field(pattern=BILLER_PATTERN)
    account: str = Field(pattern=ACCOUNT_PATTERN)
    amount_fen: int = Field(gt=0, le=MAX_AMOUNT_FEN, description="A bill: exactly what it owes")


class OrderModel(BaseModel):
    order_id: str
    order_no: str = Field(description="What the citizen quotes (ZF and 14 digits)")
    status: str = Field(description="pending | paid | failed | expired | cancelled | credited "
                        "| refunded (credited, refunded: a late payment settled)")
    amount_fen: int
    qr_content: str = Field(description="The payment code for the citizen's phone while pending")
    deadline: float = Field(description="Platform time (Unix seconds) the code is good until")
    server_time: float = Field(description="The platform's clock at this answer")
    note: str = ""


class PaymentRefusal(BaseModel):
    detail: str


def order_model(order: Order, now: float) -> OrderModel:
    return OrderModel(order_id=order.order_id, order_no=order.order_no, status=order.status,
                      amount_fen=order.amount_fen, qr_content=order.qr_content,
                      deadline=order.deadline, server_time=now, note=order.note)


def _signed(kiosk: str | None, named: str | None = None) -> str:
    if kiosk is None:
        raise AuthRefusedError(401, REASON_MISSING, "payments need a signed request")
    if named is not None and named != kiosk:
        raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "the request names another kiosk")
    return kiosk


def _refused(status: int, text: str) -> JSONResponse:
    return JSONResponse({"detail": text}, status_code=status, headers=NO_CACHE)


def _answer(order: Order, desk: PaymentDesk) -> JSONResponse:
    return JSONResponse(order_model(order, float(desk.clock())).model_dump(), headers=NO_CACHE)


def payments_router(desk: PaymentDesk) -> APIRouter:
    router = APIRouter()
    unknown: dict[int | str, dict[str, Any]] = {
        404: {"model": PaymentRefusal, "description": "No such account or order"}}
    conflict: dict[int | str, dict[str, Any]] = {
        409: {"model": PaymentRefusal, "description": "Order id used otherwise, or an amount "
              "the bill does not owe"}}

    @router.post(BILLS_PATH, response_model=BillModel, responses={**AUTH_RESPONSES, **unknown})
    def bill(body: BillQueryModel, kiosk: AuthenticatedKiosk) -> Any:
        """What an account owes, or a transit card holds. Signed."""
        _signed(kiosk, body.kiosk_id)
        try:
            view = desk.account(body.biller, body.account)
        except UnknownAccountError as exc:
            return _refused(404, str(exc))
        return JSONResponse(BillModel(**view.__dict__).model_dump(), headers=NO_CACHE)

    @router.post(ORDERS_PATH, response_model=OrderModel,
                 responses={**AUTH_RESPONSES, **unknown, **conflict})
    def create_order(body: OrderRequestModel, kiosk: AuthenticatedKiosk) -> Any:
        """An order and its payment code, or the order this order id already has. Signed."""
        signed = _signed(kiosk, body.kiosk_id)
        request = OrderRequest(body.order_id, body.service_code, body.biller, body.account,
                               body.amount_fen)
        try:
            return _answer(desk.create(signed, request), desk)
        except UnknownAccountError as exc:
            return _refused(404, str(exc))
        except OrderConflictError as exc:
            return _refused(409, str(exc))

    @router.get(ORDERS_PATH + "/{order_id}", response_model=OrderModel,
                responses={**AUTH_RESPONSES, **unknown})
    def order_status(order_id: str, kiosk: AuthenticatedKiosk) -> Any:
        """Where an order of this kiosk stands. Signed."""
        try:
            return _answer(desk.order(_signed(kiosk), order_id), desk)
        except UnknownOrderError as exc:
            return _refused(404, str(exc))

    @router.post(ORDERS_PATH + "/{order_id}/cancel", response_model=OrderModel,
                 responses={**AUTH_RESPONSES, **unknown})
    def cancel_order(order_id: str, kiosk: AuthenticatedKiosk) -> Any:
        """Cancel a pending order; answers the order as it then stands. Signed."""
        try:
            return _answer(desk.cancel(_signed(kiosk), order_id), desk)
        except UnknownOrderError as exc:
            return _refused(404, str(exc))

    return router
