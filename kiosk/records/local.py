"""The citizen's transactions still held by this kiosk: read from the outbox's clear columns
and its receipt records (by holder tag), never by opening an envelope (the kiosk cannot)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sync.outbox.schema import OutboxRecord

__all__ = ["LOCAL_STATES", "LocalTransaction", "queued_here"]

# outbox state -> what the citizen is told
LOCAL_STATES = {
    "pending": "pending_upload",
    "sending": "pending_upload",
    "acked": "sent",
    "purged": "sent",
    "quarantined": "needs_staff",  # the platform refused it: staff sort it out
}


class OutboxReader(Protocol):
    def ids(self) -> list[str]: ...

    def get(self, txid: str) -> OutboxRecord | None: ...


@dataclass(frozen=True)
class LocalTransaction:
    txid: str
    tracking_number: str
    service_code: str
    title: str  # the service's name as the receipt printed it
    created_at: datetime
    state: str  # pending_upload | sent | needs_staff
    platform_status: str | None  # the status feed's latest word, if any


def queued_here(outbox: OutboxReader, tag: str) -> tuple[LocalTransaction, ...]:
    """This citizen's records in the outbox, newest first."""
    found = []
    for txid in outbox.ids():
        record = outbox.get(txid)
        if record is None or record.receipt.get("holder_tag") != tag:
            continue
        found.append(LocalTransaction(
            txid=record.id,
            tracking_number=str(record.receipt.get("tracking_number", "")),
            service_code=record.service_code,
            title=str(record.receipt.get("title", record.service_code)),
            created_at=record.created_at,
            state=LOCAL_STATES.get(record.state, "pending_upload"),
            platform_status=record.platform_status,
        ))
    found.sort(key=lambda t: t.created_at, reverse=True)
    return tuple(found)
