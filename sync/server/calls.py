"""Staff calls on the platform: raised at a kiosk, acknowledged and cleared by staff.

A call travels as messages of its kiosk (raised, cancelled by the citizen, cleared by staff
at the kiosk) and is moved on the platform by staff (``kiosk server calls --ack/--clear``).
States only move forward: ``raised -> acknowledged -> cleared``, or ``cancelled``; whichever
close comes first wins, and a later one changes nothing (it is still a success for the kiosk:
its message was taken). Every event carries the call's raised time, so an event that arrives
first (its ``raised`` is held back or lost) still creates the call.

``GET /v1/calls/{call_id}`` (signed) tells the kiosk that raised the call where it stands, so
its screen can say "staff have seen your call" and stop showing a call cleared here. Another
kiosk's call is 404, as an unknown one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, insert, select, update

from sync.platform.protocol import CALLS_PATH, parse_utc
from sync.platform.signing import REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.schema_messages import staff_calls
from sync.server.schema_staff import staff_people

OPEN_STATES = ("raised", "acknowledged")
OTHER_KIOSK = "call: the call belongs to another kiosk"
# The kiosk's role table (kiosk/staff/sign_in.py ROLE_ACTIONS): clear_call is hall staff's.
CALL_ROLES = frozenset({"staff"})


class CallState(BaseModel):
    call_id: str
    state: str = Field(description="raised | acknowledged | cleared | cancelled")
    raised_at: str = Field(description="The kiosk's time, UTC")
    acknowledged_at: float | None = Field(default=None, description="Platform clock")
    acknowledged_by: str | None = Field(default=None, description="Staff number")
    closed_at: float | None = None
    closed_by: str | None = Field(default=None, description="citizen, or a staff number")
    closed_where: str | None = Field(default=None, description="kiosk | platform")


def apply_call_event(
    conn: Connection, kiosk_id: str, doc: Mapping[str, Any], now: float
) -> str | None:
    """Move one call by a checked kiosk event, inside the caller's transaction."""
    call_id = doc["call_id"]
    owner = conn.execute(
        select(staff_calls.c.kiosk_id).where(staff_calls.c.call_id == call_id)
    ).scalar_one_or_none()
    if owner is not None and owner != kiosk_id:
        return OTHER_KIOSK
    if owner is None:
        conn.execute(
            insert(staff_calls).values(
                call_id=call_id, kiosk_id=kiosk_id, state="raised", raised_at=doc["raised_at"],
                step=doc.get("step"), service_code=doc.get("service_code"), received_at=now,
                updated_at=now,
            )
        )
    if doc["event"] in ("cancelled", "cleared"):
        at = parse_utc(doc["at"])
        conn.execute(
            update(staff_calls)
            .where(staff_calls.c.call_id == call_id, staff_calls.c.state.in_(OPEN_STATES))
            .values(state=doc["event"], closed_at=at.timestamp() if at else now,
                    closed_by=doc["by"], closed_where="kiosk", updated_at=now)
        )
    return None


class CallError(Exception):
    """A staff action on a call that cannot be done; the message says why."""


def _staff_member(conn: Connection, person_id: str) -> None:
    role = conn.execute(
        select(staff_people.c.role).where(staff_people.c.person_id == person_id)
    ).scalar_one_or_none()
    if role is None:
        raise CallError(f"no staff member {person_id} on this platform")
    if role not in CALL_ROLES:
        raise CallError(f"{person_id} is a {role}: calls are answered by hall staff")


def _move(engine: Engine, call_id: str, person_id: str, now: float, *, clear: bool,
          operator: bool = False) -> str:
    with engine.begin() as conn:
        if not operator:
            _staff_member(conn, person_id)
        state = conn.execute(
            select(staff_calls.c.state).where(staff_calls.c.call_id == call_id)
        ).scalar_one_or_none()
        if state is None:
            raise CallError(f"no call {call_id}")
        if state not in OPEN_STATES:
            raise CallError(f"call {call_id} is already {state}")
        if clear:
            values: dict[str, Any] = {"state": "cleared", "closed_at": now,
                                      "closed_by": person_id, "closed_where": "platform"}
        elif state == "acknowledged":
            raise CallError(f"call {call_id} is already acknowledged")
        else:
            values = {"state": "acknowledged", "acknowledged_at": now,
                      "acknowledged_by": person_id}
        moved = conn.execute(
            update(staff_calls)
            .where(staff_calls.c.call_id == call_id, staff_calls.c.state == state)
            .values(updated_at=now, **values)
        )
        if moved.rowcount != 1:
            raise CallError(f"call {call_id} changed meanwhile; look again")
        return str(values["state"])


def acknowledge(engine: Engine, call_id: str, person_id: str, now: float) -> str:
    """Staff have seen the call and are on their way; the kiosk says so at its next look."""
    return _move(engine, call_id, person_id, now, clear=False)


def acknowledge_by_operator(engine: Engine, call_id: str, operator: str, now: float) -> str:
    """An operator on the fleet page has seen the call (logged in there, not a staff number);
    ``acknowledged_by`` holds the operator's name."""
    return _move(engine, call_id, operator, now, clear=False, operator=True)


def clear(engine: Engine, call_id: str, person_id: str, now: float) -> str:
    """The citizen has been helped; the kiosk stops showing the call."""
    return _move(engine, call_id, person_id, now, clear=True)


@dataclass(frozen=True)
class CallRow:
    call_id: str
    kiosk_id: str
    state: str
    raised_at: str
    step: str | None
    service_code: str | None
    acknowledged_by: str | None
    closed_by: str | None
    closed_where: str | None


def list_calls(engine: Engine, *, include_closed: bool = False) -> list[CallRow]:
    """Calls oldest first; open ones only unless ``include_closed``."""
    query = select(staff_calls).order_by(staff_calls.c.raised_at, staff_calls.c.call_id)
    if not include_closed:
        query = query.where(staff_calls.c.state.in_(OPEN_STATES))
    with engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    return [
        CallRow(r.call_id, r.kiosk_id, r.state, r.raised_at, r.step, r.service_code,
                r.acknowledged_by, r.closed_by, r.closed_where)
        for r in rows
    ]


def calls_router(engine: Engine) -> APIRouter:
    router = APIRouter()

    @router.get(
        CALLS_PATH + "/{call_id}",
        response_model=CallState,
        responses={**AUTH_RESPONSES, 404: {"description": "No such call of this kiosk"}},
    )
    def call_state(call_id: str, kiosk: AuthenticatedKiosk) -> CallState:
        """Where one of this kiosk's staff calls stands. Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")
        with engine.connect() as conn:
            row = conn.execute(
                select(staff_calls).where(staff_calls.c.call_id == call_id)
            ).first()
        if row is None or row.kiosk_id != kiosk:
            raise HTTPException(status_code=404, detail="no such call")
        return CallState(
            call_id=row.call_id, state=row.state, raised_at=row.raised_at,
            acknowledged_at=row.acknowledged_at, acknowledged_by=row.acknowledged_by,
            closed_at=row.closed_at, closed_by=row.closed_by, closed_where=row.closed_where,
        )

    return router
