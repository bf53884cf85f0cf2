"""The outbox's second kind of record: plain, signed messages (好差评 ratings, staff calls).

They carry no personal data, so they are not sealed: the body is canonical JSON, stored as
the exact bytes sent on every retry and hashed for the platform's idempotency check. They
live in their own table of the outbox file (one writer, one ``synchronous=FULL`` commit),
with their own numbering, and never take a tracking number or count against the backlog
of submissions. ``staff_calls`` holds the kiosk's own calls (raised, acknowledged, cleared,
cancelled): a call belongs to the kiosk, not to the citizen, so it outlives a session and a
restart. Kept apart from :mod:`sync.outbox.schema` so that module only gains one migration.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

MESSAGES = "messages"
CALLS = "staff_calls"
KINDS = ("rating", "call", "audit")
MESSAGE_STATES = ("pending", "sending", "acked", "quarantined")
CALL_STATES = ("raised", "acknowledged", "cleared", "cancelled")
OPEN_CALL_STATES = ("raised", "acknowledged")
# Fewer columns than an outbox row has (16 or more), so the salvage of a damaged file can
# never mistake one for the other.
MESSAGE_COLUMNS = (
    "seq",
    "id",
    "kind",
    "body",
    "body_hash",
    "created_at",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "acked_at",
    "verdict",
    "quarantined_at",
)
CALL_COLUMNS = ("call_id", "state", "raised_at", "updated_at", "document")


def canonical_body(doc: Mapping[str, Any]) -> bytes:
    """The one byte form of a message body: sorted keys, no spaces, UTF-8."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class OutboxMessage:
    """One stored message; ``body`` is the exact JSON bytes sent."""

    id: str
    seq: int
    kind: str
    body: bytes = field(repr=False)
    body_hash: str
    created_at: datetime
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    acked_at: datetime | None
    verdict: str | None
    quarantined_at: datetime | None

    @property
    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.body.decode("utf-8"))
        return doc

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> OutboxMessage:
        def when(text: str | None) -> datetime | None:
            return None if text is None else datetime.fromisoformat(text)

        return cls(
            id=row["id"],
            seq=row["seq"],
            kind=row["kind"],
            body=bytes(row["body"]),
            body_hash=row["body_hash"],
            created_at=datetime.fromisoformat(row["created_at"]),
            state=row["state"],
            attempts=row["attempts"],
            next_attempt_at=when(row["next_attempt_at"]),
            last_error=row["last_error"],
            acked_at=when(row["acked_at"]),
            verdict=row["verdict"],
            quarantined_at=when(row["quarantined_at"]),
        )


def migrate_messages(db: sqlite_utils.Database) -> None:
    """Ratings and staff calls: the message table and the kiosk's calls (an appended step)."""
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    states = ", ".join(f"'{s}'" for s in MESSAGE_STATES)
    # Few pages on purpose: an outbox with a small size cap must keep its room for records.
    # ``seq`` is the rowid (no index of its own); the queue is small enough to scan.
    db.execute(
        f"""CREATE TABLE {MESSAGES} (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            body BLOB NOT NULL,
            body_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ({states})),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            acked_at TEXT,
            verdict TEXT,
            quarantined_at TEXT
        )"""
    )
    call_states = ", ".join(f"'{s}'" for s in CALL_STATES)
    db.execute(
        f"""CREATE TABLE {CALLS} (
            call_id TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL CHECK (state IN ({call_states})),
            raised_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            document TEXT NOT NULL
        )"""
    )
