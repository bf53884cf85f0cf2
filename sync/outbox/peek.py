"""Read-only views of the outbox: one record, ids, counts, ages, the backlog, what is due.

A mixin of :class:`sync.outbox.Outbox` (which owns the connection, the lock and the
clock), plus :func:`peek_counts` for a process that must not take the writer lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from sync.outbox_policy import BacklogLimits, BacklogStatus, evaluate_backlog
from sync.outbox_schema import COLUMN_LIST, COLUMNS, STATES, TABLE, Clock, OutboxError, OutboxRecord

BACKLOG_STATES = "('pending', 'sending')"


class OutboxReads:
    """Queries only; every write lives in :class:`sync.outbox.Outbox`."""

    _lock: threading.RLock
    db: sqlite_utils.Database
    clock: Clock
    backlog: BacklogLimits

    def _connection(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _backlog_totals(self) -> tuple[int, int]:
        row = self._connection().execute(
            f"SELECT COUNT(*), COALESCE(SUM(envelope_size), 0) FROM {TABLE}"
            f" WHERE state IN {BACKLOG_STATES}"
        ).fetchone()
        return int(row[0]), int(row[1])

    def _row(self, txid: str) -> dict[str, Any] | None:
        # Straight on the connection: sqlite-utils' query() wraps each read in a savepoint.
        found = (
            self._connection()
            .execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE id = ?", (txid,))
            .fetchone()
        )
        return None if found is None else dict(zip(COLUMN_LIST, found, strict=True))

    def get(self, txid: str) -> OutboxRecord | None:
        """The record for ``txid``, or None."""
        with self._lock:
            row = self._row(txid)
        return OutboxRecord.from_row(row) if row else None

    def ids(self, states: Iterable[str] = STATES) -> list[str]:
        """Ids of the records in the given states, oldest first (for checks and tools)."""
        wanted = [s for s in states if s in STATES]
        marks = ", ".join("?" for _ in wanted) or "NULL"
        with self._lock:
            rows = (
                self._connection()
                .execute(f"SELECT id FROM {TABLE} WHERE state IN ({marks}) ORDER BY seq", wanted)
                .fetchall()
            )
        return [row[0] for row in rows]

    def counts(self) -> dict[str, int]:
        """Number of records in each state (every state present, zero included)."""
        with self._lock:
            self._connection()
            rows = self.db.query(f"SELECT state, COUNT(*) AS n FROM {TABLE} GROUP BY state")
            found = {row["state"]: row["n"] for row in rows}
        return {state: int(found.get(state, 0)) for state in STATES}

    def oldest_pending_age(self, now: datetime | None = None) -> float | None:
        """Seconds since the oldest not-yet-acked record was created, or None if none wait."""
        with self._lock:
            row = (
                self._connection()
                .execute(f"SELECT MIN(created_at) FROM {TABLE} WHERE state IN {BACKLOG_STATES}")
                .fetchone()
            )
        if row[0] is None:
            return None
        age = (now or self.clock.now()) - datetime.fromisoformat(row[0])
        return max(0.0, age.total_seconds())

    def backlog_status(self, now: datetime | None = None) -> BacklogStatus:
        """How much waits for the platform, against the configured warning and hard limits."""
        with self._lock:
            self._connection()
            count, size = self._backlog_totals()
            quarantined = self.db.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE state = 'quarantined'"
            ).fetchone()[0]
            age = self.oldest_pending_age(now)
        return evaluate_backlog(self.backlog, count, size, age, int(quarantined))

    def next_due_at(self) -> datetime | None:
        """When the earliest pending record becomes due (None if nothing is pending).

        A pending record that never failed is due now; the worker sleeps until this time.
        """
        with self._lock:
            row = (
                self._connection()
                .execute(
                    f"SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM {TABLE}"
                    " WHERE state = 'pending'"
                )
                .fetchone()
            )
        if not row[0]:
            return None
        return self.clock.now() if row[1] == "" else datetime.fromisoformat(row[1])


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an outbox another process may hold: no lock, no writes;
    every SQLite error comes out as an OutboxError."""
    uri = f"file:{Path(path).resolve()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=2.0)
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    try:
        yield conn
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    finally:
        conn.close()


def peek_counts(path: Path, now: datetime | None = None) -> tuple[dict[str, int], float | None]:
    """Read-only look at an outbox another process may hold: (counts per state, oldest age).

    Takes no lock and writes nothing, so ``kiosk diagnose`` can run beside a live kiosk.
    """
    with _read_only(path) as conn:
        if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
            return {state: 0 for state in STATES}, None
        found = dict(conn.execute(f"SELECT state, COUNT(*) FROM {TABLE} GROUP BY state"))
        oldest = conn.execute(
            f"SELECT MIN(created_at) FROM {TABLE} WHERE state IN {BACKLOG_STATES}"
        ).fetchone()[0]
    counts = {state: int(found.get(state, 0)) for state in STATES}
    if oldest is None:
        return counts, None
    age = (now or datetime.now(UTC)) - datetime.fromisoformat(oldest)
    return counts, max(0.0, age.total_seconds())


def peek_records(
    path: Path, states: Iterable[str] | None = None, limit: int | None = None
) -> list[OutboxRecord]:
    """Read-only list of records (oldest first), beside a live kiosk: no lock, no writes."""
    where, params = "", []
    if states is not None:
        wanted = list(states)
        where = f" WHERE state IN ({', '.join('?' for _ in wanted)})"
        params = wanted
    sql = f"SELECT {COLUMNS} FROM {TABLE}{where} ORDER BY seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with _read_only(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(sql, params)]
    return [OutboxRecord.from_row(r) for r in rows]


def peek_backlog(
    path: Path, limits: BacklogLimits, now: datetime | None = None
) -> BacklogStatus:
    """The backlog verdict of an outbox another process may hold, by the same rule as
    :meth:`Outbox.backlog_status` (read-only, no lock)."""
    with _read_only(path) as conn:
        if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
            return evaluate_backlog(limits, 0, 0, None, 0)
        count, size, oldest = conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(envelope_size), 0), MIN(created_at) FROM {TABLE}"
            f" WHERE state IN {BACKLOG_STATES}"
        ).fetchone()
        quarantined = conn.execute(
            f"SELECT COUNT(*) FROM {TABLE} WHERE state = 'quarantined'"
        ).fetchone()[0]
    age = None
    if oldest is not None:
        delta = (now or datetime.now(UTC)) - datetime.fromisoformat(oldest)
        age = max(0.0, delta.total_seconds())
    return evaluate_backlog(limits, int(count), int(size), age, int(quarantined))
