"""A citizen types the digits of a tracking number; the kiosk says how the application stands.

Only applications made at this kiosk are known here (their masked receipt records and the
statuses the platform sent back); nothing personal is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.outbox import Outbox

from .tracking import is_valid_tracking_number


@dataclass(frozen=True)
class TrackingAnswer:
    outcome: str  # found | not_found | invalid
    tracking_number: str = ""
    title: str = ""
    status: str = ""  # queued | accepted | processing | approved | rejected | ready_for_pickup
    submitted_at: str = ""


def digits_to_tracking(kiosk_code: str, digits: str) -> str:
    """``2026112100427`` typed on the keypad -> ``K0451-20261121-0042-7``."""
    return f"{kiosk_code}-{digits[:8]}-{digits[8:12]}-{digits[12:]}"


def look_up(outbox: Outbox, kiosk_code: str, digits: str) -> TrackingAnswer:
    if len(digits) != 13 or not digits.isdigit():
        return TrackingAnswer("invalid")
    number = digits_to_tracking(kiosk_code, digits)
    if not is_valid_tracking_number(number):
        return TrackingAnswer("invalid", number)
    record = outbox.find_by_tracking(number)
    if record is None:
        return TrackingAnswer("not_found", number)
    if record.platform_status:
        status = record.platform_status
    elif record.state in ("acked", "purged"):
        status = "accepted"
    else:
        status = "queued"  # still on this kiosk, waiting for the network
    return TrackingAnswer(
        "found", number, str(record.receipt.get("title", "")), status,
        str(record.receipt.get("printed_at", ""))[:16].replace("T", " "),
    )
