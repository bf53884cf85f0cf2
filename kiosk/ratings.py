"""好差评 ratings leave the kiosk through the outbox, so none is lost while offline.

The rating screen hands the flow a level (and a reason for the two lowest levels); the flow
hands :class:`RatingChoice` here before the citizen's session is cleared. The choice holds
no personal data: the transaction id, the service code, the level and a reason code. The
outbox keys it by the transaction id, so a transaction carries at most one rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sync.platform.protocol import rating_body

if TYPE_CHECKING:  # the flow imports RatingChoice before the outbox is opened
    from sync.outbox.messages_schema import OutboxMessage
    from sync.outbox.store import Outbox


@dataclass(frozen=True)
class RatingChoice:
    """What the citizen chose about one transaction."""

    txid: str
    service_code: str
    level: int
    reason: str | None = None


def record_rating(
    outbox: Outbox, kiosk_id: str, choice: RatingChoice, now: datetime
) -> OutboxMessage:
    """Store the rating durably (idempotent on the txid: the first one stays)."""
    doc = rating_body(choice.txid, kiosk_id, choice.service_code, choice.level, choice.reason,
                      now)
    return outbox.messages.enqueue(choice.txid, "rating", doc)
