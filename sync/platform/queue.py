"""Protocol v1 of queue numbers (取号), shared by the kiosk's client and the reference platform.

``POST /v1/queue/tickets`` (signed) asks the platform for the next number of one hall's
window queue. The kiosk names the hall (its site code), the window queue (the site file's
window key), the letter prefix the hall's calling system shows for that queue, the service
and the hall's IANA time zone; the platform decides the day by its own clock in that zone
(docs/queue-numbers.md says why). ``request_id`` is the kiosk's, one per citizen's tap: the
same id again gets the same ticket, never a second number.

No HTTP stack and no client errors here: the parser raises ValueError, which the client turns
into a protocol error (so the platform may import this module).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "QUEUE_TICKETS_PATH",
    "QueueTicketRequest",
    "TicketAnswer",
    "format_ticket",
    "parse_ticket_answer",
    "ticket_request_body",
]

QUEUE_TICKETS_PATH = "/v1/queue/tickets"
SITE_CODE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # the site file's ``code``
WINDOW_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"  # the site file's window ``key``
PREFIX_PATTERN = r"^[A-Z]{1,2}$"
SERVICE_CODE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TIMEZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+\-/]*$"
TICKET_STATES = ("waiting", "called")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def format_ticket(prefix: str, number: int) -> str:
    """``A`` and 15 -> ``A015``: three digits at least, as hall calling systems show them."""
    return f"{prefix}{number:03d}"


@dataclass(frozen=True)
class QueueTicketRequest:
    request_id: str  # UUID, one per citizen's tap: a retry sends the same one
    site_code: str
    window_key: str
    prefix: str
    service_code: str
    timezone: str


def ticket_request_body(kiosk_id: str, request: QueueTicketRequest) -> bytes:
    doc = {
        "kiosk_id": kiosk_id,
        "request_id": request.request_id,
        "site_code": request.site_code,
        "window_key": request.window_key,
        "prefix": request.prefix,
        "service_code": request.service_code,
        "timezone": request.timezone,
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class TicketAnswer:
    """The platform's ticket: what the paper and the screen show."""

    request_id: str
    ticket: str  # e.g. A015
    number: int
    window_key: str
    day: str  # YYYY-MM-DD, the hall's local day the counter belongs to
    issued_at: datetime  # aware, UTC
    waiting_ahead: int  # numbers of this queue and day still waiting before this one


def parse_ticket_answer(doc: Any, request: QueueTicketRequest) -> TicketAnswer:
    """Check the platform's reply against what was asked; ValueError when it does not fit."""
    if not isinstance(doc, dict):
        raise ValueError("the ticket reply is not an object")
    if doc.get("request_id") != request.request_id:
        raise ValueError("the ticket reply answers another request")
    if doc.get("window_key") != request.window_key or doc.get("site_code") != request.site_code:
        raise ValueError("the ticket reply names another queue")
    number, waiting = doc.get("number"), doc.get("waiting_ahead")
    for name, value in (("number", number), ("waiting_ahead", waiting)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"the ticket reply's {name} is not a whole number")
    assert isinstance(number, int) and isinstance(waiting, int)
    ticket = doc.get("ticket")
    if number < 1 or not isinstance(ticket, str) or ticket != format_ticket(
        str(doc.get("prefix", "")), number
    ) or re.fullmatch(PREFIX_PATTERN, str(doc.get("prefix", ""))) is None:
        raise ValueError("the ticket reply's ticket does not match its prefix and number")
    day = doc.get("day")
    if not isinstance(day, str) or _DAY.fullmatch(day) is None:
        raise ValueError("the ticket reply lacks its day")
    issued = doc.get("issued_at")
    try:
        when = datetime.fromisoformat(str(issued))
    except ValueError as exc:
        raise ValueError("the ticket reply's issued_at is not a time") from exc
    if when.tzinfo is None:
        raise ValueError("the ticket reply's issued_at has no time zone")
    return TicketAnswer(request.request_id, ticket, number, request.window_key, day,
                        when.astimezone(UTC), waiting)
