"""Protocol v1 between kiosk and platform: the one copy both sides use.

What is here is what the two sides must agree on, and nothing that touches the network:

- the paths and headers of the endpoints;
- id formats (transaction, message and call ids are UUIDs; kiosk ids are short ASCII names)
  and their parsers;
- the per-item verdicts of an upload and the statuses an application moves through;
- (the shapes of the downlink replies are in :mod:`sync.platform.downlink_replies`);
- the two plain message kinds, 好差评 ratings and staff calls, built here by the kiosk and
  checked here by the platform. Neither carries personal data: a rating names the transaction
  (its id), the service, the kiosk, a level, a reason code from a fixed list and a time; a call
  names the kiosk, where in the flow the citizen was, and who closed it (``citizen`` or a staff
  number). Ratings follow the national 好差评 scale: 5 非常满意 … 1 非常不满意; the two lowest
  levels need a reason, and the platform lists them for a reply (within 15 working days).

The reference platform (:mod:`sync.server`) imports this module and nothing of the kiosk side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeGuard, get_args

# -- endpoints ---------------------------------------------------------------------------------

BATCH_PATH = "/v1/transactions/batch"
MESSAGES_PATH = "/v1/messages/batch"  # ratings and staff calls: signed, plain JSON
CALLS_PATH = "/v1/calls"
HEALTH_PATH = "/v1/health"
WHOAMI_PATH = "/v1/whoami"
ENROLL_PATH = "/v1/enroll"
CATALOG_PATH = "/v1/catalog"
STATUS_PATH = "/v1/status"
HEARTBEAT_PATH = "/v1/heartbeat"
STAFF_PATH = "/v1/staff"
HEADER_CATALOG_SIGNATURE = "X-Catalog-Signature"
HEADER_CATALOG_KEY_ID = "X-Catalog-Key-Id"
HEADER_CATALOG_VERSION = "X-Catalog-Version"
HEADER_STAFF_SIGNATURE = "X-Staff-Signature"
HEADER_STAFF_KEY_ID = "X-Staff-Key-Id"

# -- ids -----------------------------------------------------------------------------------------

#: a transaction, message or call id: a UUID (the kiosk makes UUIDv7s), either case
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_UUID = re.compile(UUID_PATTERN)
#: a kiosk id: a short ASCII name (it travels in a header and in the signed string)
KIOSK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_KIOSK_ID = re.compile(KIOSK_ID_PATTERN)


def is_uuid(value: object) -> TypeGuard[str]:
    """True for text in the form of a UUID (the form of every transaction, message, call id)."""
    return isinstance(value, str) and bool(_UUID.match(value))


def is_valid_kiosk_id(kiosk_id: str) -> bool:
    """Kiosk ids are short ASCII names (they appear in headers and in the signed string)."""
    return bool(_KIOSK_ID.match(kiosk_id))


# -- verdicts and statuses ---------------------------------------------------------------------

#: the platform's word on one uploaded record or message
VerdictName = Literal["accepted", "duplicate", "conflict", "rejected"]
VERDICTS = frozenset(get_args(VerdictName))
SUCCESS_VERDICTS = frozenset({"accepted", "duplicate"})  # the platform has it: acked
#: where an application stands on the platform, in the order it moves
STATUSES = ("accepted", "processing", "approved", "rejected", "ready_for_pickup")
#: where a staff call stands on the platform; the first two are still open
CALL_STATES = ("raised", "acknowledged", "cleared", "cancelled")


@dataclass(frozen=True)
class ItemResult:
    """The platform's verdict on one uploaded record."""

    verdict: str
    reason: str | None = None

    @property
    def is_success(self) -> bool:
        return self.verdict in SUCCESS_VERDICTS


def parse_item_results(doc: Any, sent: set[str]) -> dict[str, ItemResult]:
    """The verdicts of a batch reply, for the ids in ``sent`` only; ValueError if malformed."""
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise ValueError("batch reply has no results list")
    verdicts: dict[str, ItemResult] = {}
    for item in results:
        if not isinstance(item, dict):
            raise ValueError("batch result is not an object")
        txid, verdict, reason = item.get("id"), item.get("verdict"), item.get("reason")
        if not isinstance(txid, str) or verdict not in VERDICTS:
            raise ValueError("batch result lacks id or a known verdict")
        if reason is not None and not isinstance(reason, str):
            raise ValueError("batch result reason is not text")
        if txid in sent:
            verdicts[txid] = ItemResult(str(verdict), reason)
    return verdicts


# -- plain messages: ratings and staff calls ---------------------------------------------------

RATING_LEVELS = (5, 4, 3, 2, 1)
POOR_LEVELS = (2, 1)  # a reason is required, and the platform lists them for follow-up
RATING_REASONS = ("slow", "unclear", "device", "other")
CALL_EVENTS = ("raised", "cancelled", "cleared")
CITIZEN = "citizen"  # who closed a call the citizen cancelled themselves
MAX_MESSAGE_BYTES = 16 * 1024  # a message body, as stored and sent

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_STAFF_ID = re.compile(r"^[0-9]{3,12}$")
_STEP = re.compile(r"^[a-z_]{1,32}$")


def utc_text(moment: datetime) -> str:
    """The one text form of an instant in a message: UTC, seconds, ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("message times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def rating_body(
    txid: str,
    kiosk_id: str,
    service_code: str,
    level: int,
    reason: str | None,
    rated_at: datetime,
) -> dict[str, Any]:
    """A rating message; raises ValueError for anything the platform would reject."""
    doc = {
        "kind": "rating",
        "txid": txid,
        "kiosk_id": kiosk_id,
        "service_code": service_code,
        "level": level,
        "reason": reason or None,
        "rated_at": utc_text(rated_at),
    }
    problem = rating_problem(txid, doc)
    if problem is not None:
        raise ValueError(problem)
    return doc


def rating_problem(message_id: str, doc: Mapping[str, Any]) -> str | None:
    """Why a rating message is unacceptable, or None. The id must be the rated txid."""
    txid = doc.get("txid")
    if not is_uuid(txid):
        return "rating: txid is not a transaction id"
    if message_id != txid:
        return "rating: the message id must be the transaction id it rates"
    if not isinstance(doc.get("service_code"), str) or not _CODE.match(doc["service_code"]):
        return "rating: service_code missing or malformed"
    level = doc.get("level")
    if isinstance(level, bool) or level not in RATING_LEVELS:
        return "rating: level must be 1 to 5"
    reason = doc.get("reason")
    if level in POOR_LEVELS:
        if reason not in RATING_REASONS:
            return f"rating: levels 1 and 2 need a reason ({', '.join(RATING_REASONS)})"
    elif reason is not None:
        return "rating: only levels 1 and 2 carry a reason"
    if parse_utc(doc.get("rated_at")) is None:
        return "rating: rated_at is not a UTC time"
    return _extra(doc, {"kind", "txid", "kiosk_id", "service_code", "level", "reason",
                        "rated_at"})


def call_body(
    call_id: str,
    event: str,
    kiosk_id: str,
    raised_at: datetime,
    at: datetime,
    *,
    by: str | None = None,
    step: str | None = None,
    service_code: str | None = None,
) -> dict[str, Any]:
    """One event of a staff call (raised, cancelled by the citizen, cleared by staff)."""
    doc = {
        "kind": "call",
        "call_id": call_id,
        "event": event,
        "kiosk_id": kiosk_id,
        "raised_at": utc_text(raised_at),
        "at": utc_text(at),
        "by": by,
        "step": step,
        "service_code": service_code,
    }
    problem = call_problem(doc)
    if problem is not None:
        raise ValueError(problem)
    return doc


def call_problem(doc: Mapping[str, Any]) -> str | None:
    """Why a call message is unacceptable, or None."""
    if not is_uuid(doc.get("call_id")):
        return "call: call_id is not an id"
    event, by = doc.get("event"), doc.get("by")
    if event not in CALL_EVENTS:
        return f"call: event must be one of {', '.join(CALL_EVENTS)}"
    if parse_utc(doc.get("raised_at")) is None or parse_utc(doc.get("at")) is None:
        return "call: raised_at and at must be UTC times"
    if event == "raised" and by is not None:
        return "call: a raised call names nobody"
    if event == "cancelled" and by != CITIZEN:
        return "call: only the citizen cancels a call"
    if event == "cleared" and not (isinstance(by, str) and _STAFF_ID.match(by)):
        return "call: a cleared call names the staff number that cleared it"
    step, service = doc.get("step"), doc.get("service_code")
    if step is not None and not (isinstance(step, str) and _STEP.match(step)):
        return "call: step malformed"
    if service is not None and not (isinstance(service, str) and _CODE.match(service)):
        return "call: service_code malformed"
    return _extra(doc, {"kind", "call_id", "event", "kiosk_id", "raised_at", "at", "by", "step",
                        "service_code"})


def _extra(doc: Mapping[str, Any], allowed: set[str]) -> str | None:
    unknown = sorted(set(doc) - allowed)
    return f"unknown field(s): {', '.join(unknown)}" if unknown else None
