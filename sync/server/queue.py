"""Queue numbers (取号) on the reference platform: one counter per hall, window queue and day.

Why it looks like this (docs/queue-numbers.md):
- the platform's clock decides the day, in the hall's time zone (``queue_halls``): kiosks'
  clocks differ by up to the signature skew, and near midnight two kiosks of one hall would
  otherwise count in two different days; the kiosk sends the zone because the hall's zone is
  part of its configuration and the platform knows halls only through their kiosks (the first
  to ask sets it; ``kiosk server queue zone`` changes it);
- a number is taken with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on the counter
  row inside the transaction that stores the ticket: PostgreSQL's row lock and SQLite's write
  lock (``BEGIN IMMEDIATE``) serialise kiosks asking together, so no number is given twice,
  and a transaction that fails gives its number back with its rollback;
- the kiosk's ``request_id`` is the ticket's key: the same id again reads the same ticket
  back (a retry after a lost answer takes no second number). Two processes racing with one id
  collide on that key; the loser's transaction rolls back, counter included, and it reads the
  winner's ticket;
- "waiting ahead" counts this queue's numbers of the day that staff have not called yet
  (``kiosk server queue call``), so it is a fact, not an estimate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from sync.platform.protocol import KIOSK_ID_PATTERN, UUID_PATTERN
from sync.platform.queue import (
    PREFIX_PATTERN,
    QUEUE_TICKETS_PATH,
    SERVICE_CODE_PATTERN,
    SITE_CODE_PATTERN,
    TIMEZONE_PATTERN,
    WINDOW_KEY_PATTERN,
    format_ticket,
)
from sync.platform.signing import REASON_KIOSK_MISMATCH, REASON_MISSING
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.db import create_schema
from sync.server.schema_queue import metadata, queue_counters, queue_halls, queue_tickets

log = logging.getLogger(__name__)

RETRIES = 4
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
REQUEST_CONFLICT = "this request id already took a ticket for another kiosk or queue"


class QueueError(Exception):
    """A queue action that cannot be done; the message says why."""


class RequestConflictError(QueueError):
    """A request id that is already another request's ticket."""


def valid_zone(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local_day(now: float, zone: str) -> str:
    return datetime.fromtimestamp(now, valid_zone(zone)).date().isoformat()


@dataclass(frozen=True)
class TicketRequest:
    request_id: str
    site_code: str
    window_key: str
    prefix: str
    service_code: str
    timezone: str


@dataclass(frozen=True)
class IssuedTicket:
    request_id: str
    kiosk_id: str
    site_code: str
    window_key: str
    service_code: str
    day: str
    prefix: str
    number: int
    ticket: str
    issued_at: float
    state: str
    waiting_ahead: int
    called_to: str | None = None


class QueueDesk:
    """Issues, calls and lists queue numbers over the platform database. Thread-safe."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        create_schema(engine, metadata)  # a database from before queue numbers gains them
        self.engine = engine
        self.clock = clock
        dialect_insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert
        take = dialect_insert(queue_counters)
        self._take = take.on_conflict_do_update(
            index_elements=[queue_counters.c.site_code, queue_counters.c.window_key,
                            queue_counters.c.day],
            set_={"last_number": queue_counters.c.last_number + 1},
        ).returning(queue_counters.c.last_number, queue_counters.c.prefix)
        self._register_hall = dialect_insert(queue_halls).on_conflict_do_nothing(
            index_elements=[queue_halls.c.site_code]
        )

    def issue(self, kiosk_id: str, request: TicketRequest) -> IssuedTicket:
        """The ticket of ``request``: a new number, or the one this request id already has."""
        valid_zone(request.timezone)
        for attempt in range(RETRIES):
            try:
                return self._issue_once(kiosk_id, request)
            except IntegrityError:
                # Another process stored this request id (or registered the hall) first:
                # this transaction rolled back, counter and all; the next round reads it.
                if attempt == RETRIES - 1:
                    raise
            except OperationalError as exc:
                code = getattr(exc.orig, "sqlstate", None)
                if code not in _RETRYABLE_SQLSTATES or attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _issue_once(self, kiosk_id: str, request: TicketRequest) -> IssuedTicket:
        now = float(self.clock())
        with self.engine.begin() as conn:
            _write_lock(conn)
            found = _ticket_row(conn, request.request_id)
            if found is not None:
                same = (found.kiosk_id, found.site_code, found.window_key, found.service_code)
                asked = (kiosk_id, request.site_code, request.window_key, request.service_code)
                if same != asked:
                    raise RequestConflictError(REQUEST_CONFLICT)
                return _issued(conn, found)
            conn.execute(self._register_hall, {
                "site_code": request.site_code, "timezone": request.timezone,
                "registered_at": now, "registered_by": kiosk_id,
            })
            zone = _hall_zone(conn, request.site_code) or request.timezone
            if zone != request.timezone:
                log.warning("kiosk %s counts hall %s in %s, the platform in %s "
                            "(kiosk server queue zone changes it)", kiosk_id,
                            request.site_code, request.timezone, zone)
            day = local_day(now, zone)
            number, prefix = conn.execute(self._take, {
                "site_code": request.site_code, "window_key": request.window_key, "day": day,
                "prefix": request.prefix, "last_number": 1,
            }).one()
            conn.execute(insert(queue_tickets).values(
                request_id=request.request_id, kiosk_id=kiosk_id,
                site_code=request.site_code, window_key=request.window_key, day=day,
                prefix=prefix, number=number, ticket=format_ticket(prefix, number),
                service_code=request.service_code, issued_at=now, state="waiting",
            ))
            row = _ticket_row(conn, request.request_id)
            assert row is not None
            return _issued(conn, row)


def _write_lock(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before anything is read


def _ticket_row(conn: Connection, request_id: str) -> Row[Any] | None:
    return conn.execute(
        select(queue_tickets).where(queue_tickets.c.request_id == request_id)
    ).first()


def _hall_zone(conn: Connection, site_code: str) -> str | None:
    zone = conn.execute(
        select(queue_halls.c.timezone).where(queue_halls.c.site_code == site_code)
    ).scalar_one_or_none()
    return str(zone) if zone is not None else None


def _ahead(conn: Connection, row: Row[Any]) -> int:
    if row.state != "waiting":
        return 0
    t = queue_tickets.c
    return int(conn.execute(
        select(func.count()).select_from(queue_tickets).where(
            t.site_code == row.site_code, t.window_key == row.window_key, t.day == row.day,
            t.state == "waiting", t.number < row.number,
        )
    ).scalar_one())


def _issued(conn: Connection, row: Row[Any]) -> IssuedTicket:
    return IssuedTicket(
        request_id=row.request_id, kiosk_id=row.kiosk_id, site_code=row.site_code,
        window_key=row.window_key, service_code=row.service_code, day=row.day,
        prefix=row.prefix, number=row.number, ticket=row.ticket, issued_at=row.issued_at,
        state=row.state,
        waiting_ahead=_ahead(conn, row), called_to=row.called_to,
    )


def hall_day(engine: Engine, site_code: str, now: float) -> str:
    """Today in the hall's time zone (the day its counters count in now)."""
    with engine.connect() as conn:
        zone = _hall_zone(conn, site_code)
    if zone is None:
        raise QueueError(f"no kiosk of hall {site_code} has taken a queue number yet")
    return local_day(now, zone)


def set_hall_zone(engine: Engine, site_code: str, zone: str, now: float) -> None:
    """The operator's word on a hall's time zone (counted from the next number on)."""
    valid_zone(zone)
    with engine.begin() as conn:
        _write_lock(conn)
        changed = conn.execute(
            update(queue_halls).where(queue_halls.c.site_code == site_code)
            .values(timezone=zone)
        ).rowcount
        if not changed:
            conn.execute(insert(queue_halls).values(
                site_code=site_code, timezone=zone, registered_at=now, registered_by="operator"))


def call_next(
    engine: Engine, site_code: str, window_key: str, now: float, *, called_to: str | None = None
) -> IssuedTicket | None:
    """Staff call the lowest waiting number of today's queue; None when nobody waits."""
    day = hall_day(engine, site_code, now)
    t = queue_tickets.c
    for _ in range(RETRIES * 4):
        with engine.begin() as conn:
            _write_lock(conn)
            row = conn.execute(
                select(queue_tickets).where(
                    t.site_code == site_code, t.window_key == window_key, t.day == day,
                    t.state == "waiting",
                ).order_by(t.number).limit(1)
            ).first()
            if row is None:
                return None
            moved = conn.execute(
                update(queue_tickets)
                .where(t.request_id == row.request_id, t.state == "waiting")
                .values(state="called", called_at=now, called_to=called_to)
            ).rowcount
            if moved == 1:
                called = _ticket_row(conn, row.request_id)
                assert called is not None
                return _issued(conn, called)
        # another desk called that number meanwhile: take the next one
    raise QueueError("the queue kept changing; try again")


def list_tickets(
    engine: Engine, site_code: str, day: str, *, window_key: str | None = None,
    include_called: bool = False,
) -> list[IssuedTicket]:
    """One day's tickets of a hall (one window queue), by queue and number."""
    t = queue_tickets.c
    query = select(queue_tickets).where(t.site_code == site_code, t.day == day)
    if window_key is not None:
        query = query.where(t.window_key == window_key)
    if not include_called:
        query = query.where(t.state == "waiting")
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(t.window_key, t.number)).fetchall()
        return [_issued(conn, row) for row in rows]


# -- the route ---------------------------------------------------------------------------------


class TicketRequestModel(BaseModel):
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN, description="Must equal the signing kiosk")
    request_id: str = Field(
        pattern=UUID_PATTERN, description="The kiosk's id for this tap: a retry sends it again "
        "and gets the same ticket")
    site_code: str = Field(pattern=SITE_CODE_PATTERN, max_length=64, description="The hall")
    window_key: str = Field(pattern=WINDOW_KEY_PATTERN, max_length=40,
                            description="The window queue (the site file's window key)")
    prefix: str = Field(pattern=PREFIX_PATTERN,
                        description="The queue's letters; the first ticket of a day fixes them")
    service_code: str = Field(pattern=SERVICE_CODE_PATTERN, max_length=64)
    timezone: str = Field(pattern=TIMEZONE_PATTERN, max_length=64,
                          description="The hall's IANA time zone (the first kiosk sets it)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        valid_zone(value)
        return value


class TicketModel(BaseModel):
    request_id: str
    ticket: str = Field(description="Prefix and number as called out, e.g. A015")
    prefix: str
    number: int
    site_code: str
    window_key: str
    service_code: str
    day: str = Field(description="The hall's local day (YYYY-MM-DD) the number belongs to")
    issued_at: str = Field(description="UTC, ISO 8601")
    state: str = Field(description="waiting | called")
    waiting_ahead: int = Field(description="Numbers of this queue and day not called yet, "
                               "before this one")


class TicketConflict(BaseModel):
    detail: str = Field(description=REQUEST_CONFLICT)


def ticket_model(issued: IssuedTicket) -> TicketModel:
    return TicketModel(
        request_id=issued.request_id, ticket=issued.ticket,
        prefix=issued.prefix,
        number=issued.number, site_code=issued.site_code, window_key=issued.window_key,
        service_code=issued.service_code, day=issued.day,
        issued_at=datetime.fromtimestamp(issued.issued_at, UTC).isoformat(),
        state=issued.state, waiting_ahead=issued.waiting_ahead,
    )


def queue_router(desk: QueueDesk) -> APIRouter:
    router = APIRouter()

    @router.post(
        QUEUE_TICKETS_PATH,
        response_model=TicketModel,
        responses={**AUTH_RESPONSES, 409: {"model": TicketConflict,
                                           "description": "Request id already used otherwise"}},
    )
    def take_ticket(body: TicketRequestModel, kiosk: AuthenticatedKiosk) -> Any:
        """The next number of a hall's window queue, or the ticket this request already has.
        Signed."""
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "queue numbers need a signed request")
        if body.kiosk_id != kiosk:
            raise AuthRefusedError(403, REASON_KIOSK_MISMATCH, "the request names another kiosk")
        request = TicketRequest(body.request_id, body.site_code, body.window_key, body.prefix,
                                body.service_code, body.timezone)
        try:
            issued = desk.issue(kiosk, request)
        except RequestConflictError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=409)
        return ticket_model(issued)

    return router
