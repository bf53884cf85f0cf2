"""A citizen types the tracking number and the query code from the receipt; the kiosk says how
the application stands.

Only applications made at this kiosk are known here (their masked receipt records and the
statuses the platform sent back); nothing personal is shown. Tracking numbers can be guessed
(kiosk code, date, a daily sequence, a public check digit), so the answer also needs the
receipt's query code, compared in constant time with the one in the receipt record, and
``MAX_FAILURES`` wrong codes lock the number at this kiosk (counted in the outbox, so a restart
does not reset it). An unknown number, a wrong code, a locked number and a record from before
query codes all get one answer, ``refused``. A typing mistake caught by the check digit is
said as such: that tells nothing about any record. See docs/tracking-lookup.md.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from kiosk.tracking.numbers import (
    QUERY_CODE_MAX_DIGITS,
    QUERY_CODE_MIN_DIGITS,
    is_valid_tracking_number,
)
from sync.outbox.store import Outbox

MAX_FAILURES = 5


@dataclass(frozen=True)
class TrackingAnswer:
    outcome: str  # found | refused | invalid (number) | code_incomplete
    tracking_number: str = ""
    title: str = ""
    status: str = ""  # queued | accepted | processing | approved | rejected | ready_for_pickup
    submitted_on: str = ""  # the date only


def digits_to_tracking(kiosk_code: str, digits: str) -> str:
    """``2026112100427`` typed on the keypad -> ``K0451-20261121-0042-7``."""
    return f"{kiosk_code}-{digits[:8]}-{digits[8:12]}-{digits[12:]}"


def tracking_digits_valid(kiosk_code: str, digits: str) -> bool:
    """All 13 digits typed and the check digit agrees (no record is read)."""
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()):
        return False
    return is_valid_tracking_number(digits_to_tracking(kiosk_code, digits))


def is_query_code(code: str) -> bool:
    digits = code.isascii() and code.isdigit()
    return digits and QUERY_CODE_MIN_DIGITS <= len(code) <= QUERY_CODE_MAX_DIGITS


def look_up(outbox: Outbox, kiosk_code: str, digits: str, code: str) -> TrackingAnswer:
    if not tracking_digits_valid(kiosk_code, digits):
        number = digits_to_tracking(kiosk_code, digits) if len(digits) == 13 else ""
        return TrackingAnswer("invalid", number)
    number = digits_to_tracking(kiosk_code, digits)
    if not is_query_code(code):
        return TrackingAnswer("code_incomplete", number)
    refused = TrackingAnswer("refused", number)
    record = outbox.find_by_tracking(number)
    if record is None:
        return refused
    expected = str(record.receipt.get("query_code") or "")
    matches = hmac.compare_digest(code.encode("ascii"), expected.encode("ascii"))
    if not expected or not matches:
        outbox.note_lookup_failure(record.id)
        return refused
    if record.lookup_failures >= MAX_FAILURES:
        return refused
    if record.platform_status:
        status = record.platform_status
    elif record.state in ("acked", "purged"):
        status = "accepted"
    else:
        status = "queued"  # still on this kiosk, waiting for the network
    return TrackingAnswer(
        "found", number, str(record.receipt.get("title", "")), status,
        str(record.receipt.get("printed_at", ""))[:10],
    )
