"""The SQL of the outbox's submission records, as plain functions on the store's database.

:class:`sync.outbox.store.Outbox` owns the connection, the writer lock and the clock, and
calls these inside its own transactions (writes) or under its lock (reads); nothing here
opens, locks or commits anything. The plain messages and staff calls have theirs in
:mod:`sync.outbox.messages`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from sync.clock import Clock
from sync.outbox.errors import OutboxError
from sync.outbox.policy import PurgeResult, Retention
from sync.outbox.schema import COLUMN_LIST, COLUMNS, STATES, TABLE, OutboxRecord, iso

BACKLOG_STATES = "('pending', 'sending')"


# -- reads -------------------------------------------------------------------------------------


def backlog_totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """(count, sealed bytes) of the records the platform has not acked yet."""
    row = conn.execute(
        f"SELECT COUNT(*), COALESCE(SUM(envelope_size), 0) FROM {TABLE}"
        f" WHERE state IN {BACKLOG_STATES}"
    ).fetchone()
    return int(row[0]), int(row[1])


def row(conn: sqlite3.Connection, txid: str) -> dict[str, Any] | None:
    """The stored row for ``txid`` as a dict of columns, or None."""
    # Straight on the connection: sqlite-utils' query() wraps each read in a savepoint.
    found = conn.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE id = ?", (txid,)).fetchone()
    return None if found is None else dict(zip(COLUMN_LIST, found, strict=True))


def ids(conn: sqlite3.Connection, states: Iterable[str]) -> list[str]:
    """Ids of the records in the given states, oldest first."""
    wanted = [s for s in states if s in STATES]
    marks = ", ".join("?" for _ in wanted) or "NULL"
    rows = conn.execute(
        f"SELECT id FROM {TABLE} WHERE state IN ({marks}) ORDER BY seq", wanted
    ).fetchall()
    return [r[0] for r in rows]


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Number of records in each state (every state present, zero included)."""
    rows = db.query(f"SELECT state, COUNT(*) AS n FROM {TABLE} GROUP BY state")
    found = {r["state"]: r["n"] for r in rows}
    return {state: int(found.get(state, 0)) for state in STATES}


def oldest_pending_age(conn: sqlite3.Connection, now: datetime) -> float | None:
    """Seconds since the oldest not-yet-acked record was created, or None if none wait."""
    found = conn.execute(
        f"SELECT MIN(created_at) FROM {TABLE} WHERE state IN {BACKLOG_STATES}"
    ).fetchone()
    if found[0] is None:
        return None
    age = now - datetime.fromisoformat(found[0])
    return max(0.0, age.total_seconds())


def quarantined_count(db: sqlite_utils.Database) -> int:
    found = db.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE state = 'quarantined'").fetchone()
    return int(found[0])


def next_due_at(conn: sqlite3.Connection, clock: Clock) -> datetime | None:
    """When the earliest pending record becomes due (None if nothing is pending)."""
    found = conn.execute(
        f"SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM {TABLE}"
        " WHERE state = 'pending'"
    ).fetchone()
    if not found[0]:
        return None
    return clock.now() if found[1] == "" else datetime.fromisoformat(found[1])


def find_by_tracking(db: sqlite_utils.Database, tracking_number: str) -> OutboxRecord | None:
    rows = list(db.query(
        f"SELECT {COLUMNS} FROM {TABLE} WHERE json_extract(receipt, '$.tracking_number')"
        " = ?", [tracking_number]))
    return OutboxRecord.from_row(rows[0]) if rows else None


# -- numbering (inside enqueue's transaction) ---------------------------------------------------


def take_numbers(
    conn: sqlite3.Connection, db: sqlite_utils.Database, daily_key: str, clock: Clock
) -> tuple[int, int, int]:
    """Next kiosk ``seq`` and daily sequence, in one statement; also the rows changed."""
    daily = f"daily:{daily_key}"
    taken = dict(
        conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name IN ('seq', ?)"
            " RETURNING name, value",
            (daily,),
        ).fetchall()
    )
    changed = len(taken)
    for name in ("seq", daily):
        if name not in taken:  # the first record ever, or of the day
            taken[name] = counter_start(db, clock)
            conn.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?)", (name, taken[name])
            )
            changed += 1
    return int(taken["seq"]), int(taken[daily]), changed


def counter_start(db: sqlite_utils.Database, clock: Clock) -> int:
    """1, or past the recovery floor while it lasts (lost counters after a recovery)."""
    found = dict(
        db.execute(
            "SELECT name, value FROM counters WHERE name IN ('floor', 'floor_until')"
        ).fetchall()
    )
    if found.get("floor_until", 0) > clock.now().timestamp():
        return int(found.get("floor", 0)) + 1
    return 1


def restore(
    db: sqlite_utils.Database, rows: list[dict[str, Any]], counters: dict[str, int]
) -> list[str]:
    """Write recovered rows and counters (inside one transaction); the ids taken."""
    placeholders = ", ".join("?" for _ in COLUMN_LIST)
    taken = []
    for found in rows:
        cursor = db.execute(
            f"INSERT OR IGNORE INTO {TABLE} ({COLUMNS}) VALUES ({placeholders})",
            [found[name] for name in COLUMN_LIST],
        )
        if cursor.rowcount == 1:
            taken.append(found["id"])
    for name, value in counters.items():
        db.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name)"
            " DO UPDATE SET value = MAX(value, excluded.value)",
            [name, value],
        )
    return taken


# -- writes (each inside the store's write transaction) ----------------------------------------


def claim_batch(
    db: sqlite_utils.Database, now_text: str, max_items: int, max_bytes: int
) -> list[OutboxRecord]:
    """Due pending records, oldest first, within ``max_bytes`` (at least one), now ``sending``."""
    rows = db.query(
        f"SELECT {COLUMNS} FROM {TABLE} WHERE state = 'pending'"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
        [now_text, max(1, max_items)],
    )
    chosen: list[OutboxRecord] = []
    total = 0
    for found in rows:
        size = len(found["envelope"] or b"")
        if chosen and total + size > max_bytes:
            break
        chosen.append(OutboxRecord.from_row(found))
        total += size
    db.conn.executemany(
        f"UPDATE {TABLE} SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
        [(record.id,) for record in chosen],
    )
    return [replace(r, state="sending", attempts=r.attempts + 1) for r in chosen]


def mark_acked(
    db: sqlite_utils.Database, ids: list[str], verdicts: Mapping[str, str] | None, now_text: str
) -> None:
    db.conn.executemany(
        f"UPDATE {TABLE} SET state = 'acked', acked_at = ?, verdict = ?,"
        " last_error = NULL, next_attempt_at = NULL"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        [(now_text, (verdicts or {}).get(txid, "accepted"), txid) for txid in ids],
    )


def mark_quarantined(
    db: sqlite_utils.Database, txid: str, reason: str, verdict: str | None, now_text: str
) -> None:
    db.execute(
        f"UPDATE {TABLE} SET state = 'quarantined', last_error = ?, verdict = ?,"
        " next_attempt_at = NULL, quarantined_at = ?"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        [reason, verdict, now_text, txid],
    )


def mark_unsent(db: sqlite_utils.Database, ids: list[str], error: str) -> None:
    db.conn.executemany(
        f"UPDATE {TABLE} SET state = 'pending', last_error = ?, next_attempt_at = NULL"
        " WHERE id = ? AND state = 'sending'",
        [(error, txid) for txid in ids],
    )


def mark_retry(db: sqlite_utils.Database, ids: list[str], error: str, when: str) -> None:
    db.conn.executemany(
        f"UPDATE {TABLE} SET state = 'pending', last_error = ?, next_attempt_at = ?"
        " WHERE id = ? AND state = 'sending'",
        [(error, when, txid) for txid in ids],
    )


def set_platform_status(
    db: sqlite_utils.Database, txid: str, status: str, changed_at: datetime
) -> int:
    cursor = db.execute(
        f"UPDATE {TABLE} SET platform_status = ?, status_changed_at = ? WHERE id = ?",
        [status, iso(changed_at), txid],
    )
    return int(cursor.rowcount)


def note_lookup_failure(db: sqlite_utils.Database, txid: str) -> int:
    rows = db.execute(
        f"UPDATE {TABLE} SET lookup_failures = lookup_failures + 1 WHERE id = ?"
        " RETURNING lookup_failures",
        [txid],
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def requeue(db: sqlite_utils.Database, txid: str) -> None:
    """KeyError for an unknown id, OutboxError for a record that cannot be sent again."""
    found = row(db.conn, txid)
    if found is None:
        raise KeyError(txid)
    if found["state"] not in ("pending", "quarantined"):
        raise OutboxError(f"record {txid} is {found['state']}: nothing to retry")
    if found["envelope"] is None:
        raise OutboxError(f"record {txid} has no payload left to send")
    db.execute(
        f"UPDATE {TABLE} SET state = 'pending', next_attempt_at = NULL, verdict = NULL,"
        " quarantined_at = NULL WHERE id = ?",
        [txid],
    )


def retry_now(db: sqlite_utils.Database) -> int:
    cursor = db.execute(
        f"UPDATE {TABLE} SET next_attempt_at = NULL"
        " WHERE state = 'pending' AND next_attempt_at IS NOT NULL"
    )
    return int(cursor.rowcount)


def recover_sending(db: sqlite_utils.Database) -> int:
    cursor = db.execute(f"UPDATE {TABLE} SET state = 'pending' WHERE state = 'sending'")
    return int(cursor.rowcount)


def purge_expired(
    db: sqlite_utils.Database, moment: datetime, retention: Retention
) -> PurgeResult:
    """Drop sealed payloads, then rows, of records acked longer ago than the retention."""
    payload_cut = iso(moment - timedelta(seconds=retention.payload_seconds))
    receipt_cut = iso(moment - timedelta(seconds=retention.receipt_seconds))
    now_text = iso(moment)
    purged = db.execute(
        f"UPDATE {TABLE} SET state = 'purged', envelope = NULL, query_code = NULL,"
        " purged_at = ?"
        " WHERE state = 'acked' AND acked_at IS NOT NULL AND acked_at <= ?",
        [now_text, payload_cut],
    ).rowcount
    deleted = db.execute(
        f"DELETE FROM {TABLE} WHERE state = 'purged' AND acked_at IS NOT NULL"
        " AND acked_at <= ?",
        [receipt_cut],
    ).rowcount
    return PurgeResult(int(purged), int(deleted))
