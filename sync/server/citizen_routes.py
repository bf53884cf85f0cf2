"""The citizen's live questions on the reference platform: my transactions, my records.

Both are signed kiosk requests (the signature gate checks them before any JSON is parsed),
``POST`` so the ID number travels in the body and never in a URL or an access log, and both
answer with ``Cache-Control: no-store``. Records need a second factor that the rule of
:data:`sync.platform.records.SECOND_FACTORS` accepts for the identification method: the card's
PIN for a social-security card, a member of staff for a resident ID card; a staff factor must
name a person with the ``staff`` role in the platform's staff list. The platform logs no ID
number: a refusal is logged with its kiosk and reason only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from sync.platform.protocol import KIOSK_ID_PATTERN
from sync.platform.records import (
    CITIZEN_RECORDS_PATH,
    CITIZEN_TRANSACTIONS_PATH,
    FACTOR_KINDS,
    ID_NUMBER_PATTERN,
    IDENTIFICATION_METHODS,
    REFUSAL_FACTOR,
    REFUSAL_STAFF,
    STAFF_ID_PATTERN,
    factor_accepted,
    id_number_ok,
    records_doc,
)
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.citizen_index import CitizenIndex
from sync.server.citizen_records import records_for
from sync.server.schema_staff import staff_people

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
FACTOR_REFUSED = "this second factor does not open records for this way of identifying"
STAFF_UNKNOWN = "the confirming staff member is not on the platform's staff list"
NO_RECORDS = "the platform holds no records for this citizen"
BAD_ID = "not a valid citizen ID number"


class CitizenQuery(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    id_number: str = Field(pattern=ID_NUMBER_PATTERN,
                           description="The citizen's ID number as read or confirmed; in the "
                           "signed body only, never in a URL")
    identified_by: Literal[IDENTIFICATION_METHODS] = Field(  # type: ignore[valid-type]
        description="How the citizen identified at the kiosk")


class SecondFactorModel(BaseModel):
    kind: Literal[FACTOR_KINDS] = Field(  # type: ignore[valid-type]
        description="card_pin: the card said 9000 to VERIFY with the holder's PIN; staff: a "
        "member of staff signed in with their credential and confirmed the citizen")
    staff_id: str | None = Field(default=None, pattern=STAFF_ID_PATTERN,
                                 description="The confirming staff member (kind staff)")


class RecordsQuery(CitizenQuery):
    second_factor: SecondFactorModel


class CitizenTransactionModel(BaseModel):
    id: str
    tracking_number: str | None
    service_code: str | None
    status: str = Field(description="accepted | processing | approved | rejected | "
                        "ready_for_pickup")
    reason: str | None = Field(description="Why, for rejected")
    received_at: str = Field(description="UTC, ISO 8601")
    updated_at: str | None = Field(description="The latest status change, UTC, ISO 8601")


class CitizenTransactions(BaseModel):
    transactions: list[CitizenTransactionModel]


class ContributionModel(BaseModel):
    month: str
    insurance: Literal["pension", "medical", "unemployment", "work_injury"]
    base_fen: int
    personal_fen: int
    employer_fen: int
    paid: bool


class AccountUseModel(BaseModel):
    day: str
    place: str
    amount_fen: int


class MedicalModel(BaseModel):
    balance_fen: int
    uses: list[AccountUseModel]


class FundDepositModel(BaseModel):
    month: str
    amount_fen: int


class HousingFundModel(BaseModel):
    balance_fen: int
    deposits: list[FundDepositModel]


class TaxMonthModel(BaseModel):
    month: str
    income_fen: int
    tax_fen: int
    withholder: str


class CitizenRecordsModel(BaseModel):
    id_number: str
    name: str
    employer: str
    contributions: list[ContributionModel]
    medical: MedicalModel
    housing_fund: HousingFundModel
    tax: list[TaxMonthModel]


class Refusal(BaseModel):
    detail: str
    refusal: str | None = Field(default=None, description="second_factor | staff_unknown")


def _when(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat()


def _signed(kiosk: str | None, body: CitizenQuery) -> str:
    if kiosk is None:
        raise AuthRefusedError(401, REASON_MISSING, "citizen questions need a signed request")
    if body.kiosk_id != kiosk:
        raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "the request names another kiosk")
    return kiosk


def _refused(status: int, detail: str, refusal: str | None = None) -> JSONResponse:
    doc = {"detail": detail} if refusal is None else {"detail": detail, "refusal": refusal}
    return JSONResponse(doc, status_code=status, headers=NO_STORE)


def staff_member_known(engine: Engine, staff_id: str) -> bool:
    with engine.connect() as conn:
        role = conn.execute(select(staff_people.c.role)
                            .where(staff_people.c.person_id == staff_id)).scalar_one_or_none()
    return role == "staff"


def citizen_router(
    index: CitizenIndex, *, clock: Callable[[], float] = time.time
) -> APIRouter:
    router = APIRouter()
    refusals: dict[int | str, dict[str, Any]] = {
        **AUTH_RESPONSES,
        422: {"description": "Not a valid ID number, or a malformed request"},
    }

    @router.post(CITIZEN_TRANSACTIONS_PATH, response_model=CitizenTransactions,
                 responses=refusals)
    def my_transactions(body: CitizenQuery, kiosk: AuthenticatedKiosk) -> Any:
        """All of one citizen's applications the platform holds, newest first, with status
        (and the reason of a rejection). Signed; the ID number only in the body."""
        _signed(kiosk, body)
        if not id_number_ok(body.id_number):
            return _refused(422, BAD_ID)
        found = index.transactions_of(body.id_number)
        answer = CitizenTransactions(transactions=[
            CitizenTransactionModel(
                id=t.txid, tracking_number=t.tracking_number, service_code=t.service_code,
                status=t.status, reason=t.reason, received_at=t.received_at,
                updated_at=_when(t.updated_at))
            for t in found])
        return JSONResponse(answer.model_dump(), headers=NO_STORE)

    @router.post(CITIZEN_RECORDS_PATH, response_model=CitizenRecordsModel, responses={
        **refusals,
        403: {"model": Refusal, "description": "Signature refused, or a second factor that "
              "does not open records for this identification method"},
        404: {"model": Refusal, "description": NO_RECORDS},
    })
    def my_records(body: RecordsQuery, kiosk: AuthenticatedKiosk) -> Any:
        """Social insurance by month, medical account, housing fund and tax months of one
        citizen, only with a second factor (card PIN, or staff confirmation). Signed."""
        signer = _signed(kiosk, body)
        if not id_number_ok(body.id_number):
            return _refused(422, BAD_ID)
        factor = body.second_factor
        if not factor_accepted(body.identified_by, factor.kind):
            log.warning("records refused to kiosk %s: factor %s for %s", signer, factor.kind,
                        body.identified_by)
            return _refused(403, FACTOR_REFUSED, REFUSAL_FACTOR)
        if factor.kind == "staff" and (
                factor.staff_id is None or not staff_member_known(index.engine, factor.staff_id)):
            log.warning("records refused to kiosk %s: unknown confirming staff", signer)
            return _refused(403, STAFF_UNKNOWN, REFUSAL_STAFF)
        # who vouched, never whom: the ID number stays out of the log
        log.info("records asked by kiosk %s: identified by %s, factor %s%s", signer,
                 body.identified_by, factor.kind,
                 f", staff-assisted by staff {factor.staff_id}" if factor.kind == "staff" else "")
        today = datetime.fromtimestamp(clock(), UTC).date()
        records = records_for(body.id_number, today)
        if records is None:
            return _refused(404, NO_RECORDS)
        return JSONResponse(records_doc(records), headers=NO_STORE)

    return router
