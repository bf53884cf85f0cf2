"""The outbox's shape on disk: record type, columns and versioned migrations.

Kept apart from :mod:`sync.outbox.store` so the recovery code (which reads damaged files page by
page) and the outbox itself agree on one column list. Migrations only ever append columns,
so a row written by any schema version decodes with the current column list (missing
trailing columns take their defaults).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from sync.outbox.errors import OutboxError
from sync.outbox.messages_schema import migrate_messages

SCHEMA_VERSION = 6
STATES = ("pending", "sending", "acked", "quarantined", "purged")
# How far along its life a state is; a record never moves back past acked/quarantined, so
# when damaged files hold several copies of one row, the furthest state is the true one.
STATE_RANK = {"pending": 0, "sending": 1, "quarantined": 2, "acked": 3, "purged": 4}
TABLE = "outbox"
# Table order on disk: v1 columns, then what later migrations appended.
COLUMN_LIST = (
    "id",
    "seq",
    "daily_key",
    "daily_seq",
    "service_code",
    "created_at",
    "created_mono",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "envelope",
    "payload_hash",
    "receipt",
    "acked_at",
    "verdict",
    # v2
    "envelope_size",
    "purged_at",
    "quarantined_at",
    # v3
    "platform_status",
    "status_changed_at",
    # v4
    "query_code",
    "lookup_failures",
)
V1_COLUMN_COUNT = 16
COLUMNS = ", ".join(COLUMN_LIST)


def iso(moment: datetime) -> str:
    """One fixed, sortable text form for UTC instants."""
    if moment.tzinfo is None:
        raise ValueError("datetimes in the outbox must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@dataclass(frozen=True)
class OutboxRecord:
    """One stored submission. The envelope and receipt stay out of ``repr``."""

    id: str
    seq: int
    daily_key: str
    daily_seq: int
    service_code: str
    created_at: datetime
    created_mono: float
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    payload_hash: str
    acked_at: datetime | None
    verdict: str | None
    envelope: bytes | None = field(repr=False, default=None)
    receipt: dict[str, Any] = field(repr=False, hash=False, default_factory=dict)
    envelope_size: int = 0
    purged_at: datetime | None = None
    quarantined_at: datetime | None = None
    platform_status: str | None = None  # accepted, processing, approved, rejected, ready…
    status_changed_at: datetime | None = None
    # The receipt's query code, sent beside the envelope (the citizen's secret: not in repr).
    query_code: str | None = field(repr=False, default=None)
    lookup_failures: int = 0  # wrong query codes typed at this kiosk for this record

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> OutboxRecord:
        return cls(
            id=row["id"],
            seq=row["seq"],
            daily_key=row["daily_key"],
            daily_seq=row["daily_seq"],
            service_code=row["service_code"],
            created_at=datetime.fromisoformat(row["created_at"]),
            created_mono=row["created_mono"],
            state=row["state"],
            attempts=row["attempts"],
            next_attempt_at=parse_iso(row["next_attempt_at"]),
            last_error=row["last_error"],
            payload_hash=row["payload_hash"],
            acked_at=parse_iso(row["acked_at"]),
            verdict=row["verdict"],
            envelope=row["envelope"],
            receipt=json.loads(row["receipt"]),
            envelope_size=row.get("envelope_size") or 0,
            purged_at=parse_iso(row.get("purged_at")),
            quarantined_at=parse_iso(row.get("quarantined_at")),
            platform_status=row.get("platform_status"),
            status_changed_at=parse_iso(row.get("status_changed_at")),
            query_code=row.get("query_code"),
            lookup_failures=row.get("lookup_failures") or 0,
        )


def _migrate_v1(db: sqlite_utils.Database) -> None:
    db.execute(
        f"""CREATE TABLE {TABLE} (
            id TEXT PRIMARY KEY NOT NULL,
            seq INTEGER NOT NULL UNIQUE,
            daily_key TEXT NOT NULL,
            daily_seq INTEGER NOT NULL,
            service_code TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_mono REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending','sending','acked','quarantined','purged')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            envelope BLOB,
            payload_hash TEXT NOT NULL,
            receipt TEXT NOT NULL,
            acked_at TEXT,
            verdict TEXT,
            UNIQUE (daily_key, daily_seq)
        )"""
    )
    db.table(TABLE).create_index(["state", "next_attempt_at", "seq"], index_name="outbox_due")
    db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")


def _migrate_v2(db: sqlite_utils.Database) -> None:
    """Sizes for the backlog guardrails, purge and quarantine times for retention."""
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN envelope_size INTEGER NOT NULL DEFAULT 0")
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN purged_at TEXT")
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN quarantined_at TEXT")
    db.execute(
        f"UPDATE {TABLE} SET envelope_size = COALESCE(length(envelope), 0)"
        " WHERE envelope IS NOT NULL"
    )
    # Covering index: the backlog check on every enqueue reads only this index.
    db.execute(f"CREATE INDEX outbox_backlog ON {TABLE} (state, envelope_size, created_at)")
    db.execute(f"CREATE INDEX outbox_retention ON {TABLE} (state, acked_at, purged_at)")


def _migrate_v3(db: sqlite_utils.Database) -> None:
    """What the platform last said about the application (from its status feed)."""
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN platform_status TEXT")
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN status_changed_at TEXT")


def _migrate_v4(db: sqlite_utils.Database) -> None:
    """The receipt's query code for the upload, and the kiosk's count of wrong codes typed.

    Records from before have no code: they upload without one, and their lookup needs staff.
    """
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN query_code TEXT")
    db.execute(f"ALTER TABLE {TABLE} ADD COLUMN lookup_failures INTEGER NOT NULL DEFAULT 0")


def _migrate_v6(db: sqlite_utils.Database) -> None:
    """Two fewer index pages written by every enqueue (docs/performance.md).

    The due and backlog indexes become one: the worker's due query reads its prefix
    ``(state, next_attempt_at, seq)`` as before, and the backlog scan is still covered (size
    and creation time are in it). The retention index keeps only records with an ``acked_at``
    (every purge query compares ``acked_at``, which implies the index's condition), so a new
    pending record is not written into it.
    """
    db.execute("DROP INDEX outbox_backlog")
    db.execute("DROP INDEX outbox_due")
    db.execute(
        f"CREATE INDEX outbox_due ON {TABLE}"
        " (state, next_attempt_at, seq, envelope_size, created_at)"
    )
    db.execute("DROP INDEX outbox_retention")
    db.execute(
        f"CREATE INDEX outbox_retention ON {TABLE} (state, acked_at, purged_at)"
        " WHERE acked_at IS NOT NULL"
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _migrate_v1,
    _migrate_v2,
    _migrate_v3,
    _migrate_v4,
    migrate_messages,  # v5: ratings and staff calls (sync.outbox.messages_schema)
    _migrate_v6,
]


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the file to :data:`SCHEMA_VERSION`, one committed step per version.

    Call with the store's writer lock held. Refuses a file from newer software.
    """
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise OutboxError(
            f"outbox schema v{version} is newer than this software (v{SCHEMA_VERSION})"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[target - 1](db)
            conn.execute(f"PRAGMA user_version={target}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
