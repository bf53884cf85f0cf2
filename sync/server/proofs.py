"""Official proofs on the reference platform: issued to a kiosk for an identified citizen,
verified by anyone holding the paper (docs/proofs.md).

- ``POST /v1/proofs`` is signed: only an enrolled kiosk asks, for a citizen it identified with
  a second factor (the card's PIN, or staff); the content comes from the citizen's records
  (:mod:`sync.server.proof_content`), the day from the platform's clock in the platform's zone;
- the verification code is 100 bits from ``secrets`` (:func:`sync.platform.proofs.new_code`);
  the same ``request_id`` again reads the same proof back (a retry after a lost answer makes
  no second code); the same id for another citizen or kind is refused;
- ``GET /v1/proofs/{code}`` answers authentic or not with a masked summary, the same 404 for a
  malformed and an unknown code; each client address has ``checks_per_minute`` attempts a
  minute, counted in the database so every server process sees one count (429 with
  Retry-After past it). Codes are not guessable (2^100), so the limit bounds load and scraping
  rather than guessing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from sync.platform.proofs import (
    PROOF_KINDS,
    PROOF_TITLES,
    PROOFS_PATH,
    SECOND_FACTORS,
    new_code,
    normalize_code,
)
from sync.platform.protocol import KIOSK_ID_PATTERN, UUID_PATTERN
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.citizen_records import records_for
from sync.server.db import create_schema
from sync.server.proof_content import ProofContent, compose, mask_id, mask_name
from sync.server.schema_proofs import metadata, proof_checks, proofs

__all__ = ["CHECKS_PER_MINUTE", "ProofDesk", "proofs_router"]

CHECKS_PER_MINUTE = 20
PLATFORM_ZONE = "Asia/Shanghai"
NOT_AUTHENTIC = "no proof was issued with this verification code"
NO_RECORDS = "the platform holds no records for this citizen"
REQUEST_CONFLICT = "this request id already issued another proof"
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class ProofError(Exception):
    """A proof that cannot be issued; the message says why."""


@dataclass(frozen=True)
class Issued:
    request_id: str
    code: str
    kind: str
    issued_on: str
    holder_name: str
    holder_id: str
    content: ProofContent


@dataclass(frozen=True)
class Verified:
    code: str
    kind: str
    title: str
    issued_on: str
    holder: str
    id_number: str
    summary: str


def _id_hash(id_number: str) -> str:
    return hashlib.sha256(id_number.strip().upper().encode("ascii", "replace")).hexdigest()


class ProofDesk:
    """Issues and verifies proofs over the platform database. Thread-safe."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], float] = time.time,
        checks_per_minute: int = CHECKS_PER_MINUTE,
        new_code: Callable[[], str] = new_code,
    ) -> None:
        create_schema(engine, metadata)  # a database from before proofs gains them
        self.engine = engine
        self.clock = clock
        self.checks_per_minute = checks_per_minute
        self._new_code = new_code
        dialect_insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert
        upsert = dialect_insert(proof_checks)
        self._count = upsert.on_conflict_do_update(
            index_elements=[proof_checks.c.address, proof_checks.c.minute],
            set_={"attempts": proof_checks.c.attempts + 1},
        ).returning(proof_checks.c.attempts)

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock(), ZoneInfo(PLATFORM_ZONE)).date()

    def issue(self, kiosk_id: str, request_id: str, id_number: str, kind: str,
              second_factor: str, staff_id: str = "") -> Issued:
        """The proof of ``request_id``: a new one, or the one this id already issued."""
        found = self._by_request(request_id)
        if found is not None:
            return self._replay(found, kiosk_id, id_number, kind)
        today = self.today()
        records = records_for(id_number, today)
        if records is None:
            raise ProofError(NO_RECORDS)
        content = compose(kind, records)
        code = self._new_code()
        row = {
            "code": code, "request_id": request_id, "kiosk_id": kiosk_id, "kind": kind,
            "id_hash": _id_hash(id_number), "issued_on": today.isoformat(),
            "issued_at": float(self.clock()), "holder_masked": mask_name(records.name),
            "id_masked": mask_id(records.id_number), "summary": content.summary,
            "second_factor": second_factor, "staff_id": staff_id,
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(proofs), row)
        except IntegrityError:
            # Another process stored this request id first: read its proof back.
            raced = self._by_request(request_id)
            if raced is None:
                raise
            return self._replay(raced, kiosk_id, id_number, kind)
        return Issued(request_id, code, kind, today.isoformat(), records.name,
                      mask_id(records.id_number), content)

    def _by_request(self, request_id: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(proofs).where(proofs.c.request_id == request_id)).first()

    def _replay(self, found: Any, kiosk_id: str, id_number: str, kind: str) -> Issued:
        if (found.kiosk_id, found.kind, found.id_hash) != (kiosk_id, kind, _id_hash(id_number)):
            raise ProofError(REQUEST_CONFLICT)
        records = records_for(id_number, date.fromisoformat(found.issued_on))
        if records is None:
            raise ProofError(NO_RECORDS)
        return Issued(found.request_id, found.code, kind, found.issued_on, records.name,
                      mask_id(records.id_number), compose(kind, records))

    def count_check(self, address: str) -> int:
        """Count one verification attempt of ``address``; seconds to wait, 0 when allowed."""
        now = float(self.clock())
        minute = int(now // 60)
        with self.engine.begin() as conn:
            conn.execute(delete(proof_checks).where(proof_checks.c.address == address,
                                                    proof_checks.c.minute < minute))
            attempts = int(conn.execute(
                self._count, {"address": address[:64], "minute": minute, "attempts": 1}
            ).scalar_one())
        if attempts > self.checks_per_minute:
            return max(1, int((minute + 1) * 60 - now) + 1)
        return 0

    def verify(self, text: str) -> Verified | None:
        code = normalize_code(text)
        if code is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(proofs).where(proofs.c.code == code)).first()
        if row is None:
            return None
        return Verified(row.code, row.kind, PROOF_TITLES[row.kind], row.issued_on,
                        row.holder_masked, row.id_masked, row.summary)


class ProofRequestModel(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    request_id: str = Field(pattern=UUID_PATTERN, description="One per citizen's tap")
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9]{15,17}[0-9Xx]?$")
    kind: str = Field(pattern="^(" + "|".join(PROOF_KINDS) + ")$")
    second_factor: str = Field(pattern="^(" + "|".join(SECOND_FACTORS) + ")$",
                               description="How the citizen proved it is them: the card's "
                               "PIN, or a staff member's confirmation")
    staff_id: str = Field(default="", max_length=64)


class ProofModel(BaseModel):
    request_id: str
    code: str = Field(description="Verification code: 100 bits, Crockford base32, 4 groups")
    kind: str
    title: str
    issuer: str
    issued_on: str = Field(description="The platform's day (YYYY-MM-DD)")
    holder_name: str
    holder_id: str = Field(description="The ID number, masked")
    facts: list[list[str]] = Field(description="(label, value) pairs")
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]


class VerificationModel(BaseModel):
    authentic: bool
    code: str | None = None
    kind: str | None = None
    title: str | None = None
    issued_on: str | None = None
    holder: str | None = Field(default=None, description="Masked name")
    id_number: str | None = Field(default=None, description="Masked ID number")
    summary: str | None = None
    detail: str | None = None


def proof_model(issued: Issued) -> ProofModel:
    c = issued.content
    return ProofModel(
        request_id=issued.request_id, code=issued.code, kind=issued.kind, title=c.title,
        issuer=c.issuer, issued_on=issued.issued_on, holder_name=issued.holder_name,
        holder_id=issued.holder_id, facts=[list(f) for f in c.facts],
        columns=list(c.columns), rows=[list(r) for r in c.rows], notes=list(c.notes),
    )


def proofs_router(desk: ProofDesk) -> APIRouter:
    router = APIRouter()

    @router.post(
        PROOFS_PATH,
        response_model=ProofModel,
        responses={**AUTH_RESPONSES,
                   404: {"description": "No records for this citizen"},
                   409: {"description": "Request id already used for another proof"}},
    )
    def issue_proof(body: ProofRequestModel, kiosk: AuthenticatedKiosk) -> Any:
        """Issue one proof for an identified citizen (the content from their records). Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "proofs need a signed request")
        if body.kiosk_id != kiosk:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "the request names another kiosk")
        try:
            issued = desk.issue(kiosk, body.request_id, body.id_number.upper(), body.kind,
                                body.second_factor, body.staff_id)
        except ProofError as exc:
            status = 409 if str(exc) == REQUEST_CONFLICT else 404
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=HEADERS)
        return JSONResponse(proof_model(issued).model_dump(), headers=HEADERS)

    @router.get(
        PROOFS_PATH + "/{code}",
        response_model=VerificationModel,
        responses={404: {"model": VerificationModel, "description": NOT_AUTHENTIC},
                   429: {"description": "Too many checks from this address; see Retry-After"}},
    )
    def verify_proof(code: str, request: Request) -> Any:
        """Is this proof authentic? A masked summary when it is. Unsigned, rate-limited."""
        address = request.client.host if request.client else "unknown"
        wait = desk.count_check(address)
        if wait:
            return JSONResponse({"detail": "too many checks; try again later"},
                                status_code=429,
                                headers={**HEADERS, "Retry-After": str(wait)})
        found = desk.verify(code)
        if found is None:
            answer = VerificationModel(authentic=False, detail=NOT_AUTHENTIC)
            return JSONResponse(answer.model_dump(exclude_none=True), status_code=404,
                                headers=HEADERS)
        answer = VerificationModel(
            authentic=True, code=found.code, kind=found.kind, title=found.title,
            issued_on=found.issued_on, holder=found.holder, id_number=found.id_number,
            summary=found.summary,
        )
        return JSONResponse(answer.model_dump(exclude_none=True), headers=HEADERS)

    return router
