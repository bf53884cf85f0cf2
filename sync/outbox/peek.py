"""Read-only looks at an outbox another process may hold: counts, records, backlog, messages.

They take no lock and write nothing, so ``kiosk diagnose`` and the maintenance commands run
beside a live kiosk. Every SQLite error comes out as an :class:`~sync.outbox.errors.OutboxError`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sync.outbox.errors import OutboxError
from sync.outbox.messages import StoredCall, counts_by_kind
from sync.outbox.messages_schema import CALLS, KINDS, MESSAGE_STATES, MESSAGES, OPEN_CALL_STATES
from sync.outbox.policy import BacklogLimits, BacklogStatus, evaluate_backlog
from sync.outbox.records import BACKLOG_STATES
from sync.outbox.schema import COLUMNS, STATES, TABLE, OutboxRecord


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


def peek_messages(path: Path) -> tuple[list[StoredCall], dict[str, dict[str, int]]]:
    """Read-only look beside a live kiosk: (open calls, message counts per kind and state).

    Takes no lock and writes nothing; an outbox from before messages existed has neither.
    """
    with _read_only(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if MESSAGES not in tables or CALLS not in tables:
            return [], {kind: dict.fromkeys(MESSAGE_STATES, 0) for kind in KINDS}
        marks = ", ".join("?" for _ in OPEN_CALL_STATES)
        calls = [dict(json.loads(r[0])) for r in conn.execute(
            f"SELECT document FROM {CALLS} WHERE state IN ({marks}) ORDER BY raised_at",
            OPEN_CALL_STATES)]
        counts = counts_by_kind(conn.execute(
            f"SELECT kind, state, COUNT(*) FROM {MESSAGES} GROUP BY kind, state"))
    return calls, counts


def peek_message_states(path: Path, ids: Iterable[str]) -> list[tuple[str, str]]:
    """Read-only: ``(id, state)`` of those of ``ids`` the outbox holds (``kiosk audit prune``
    asks which audit entries the platform acknowledged, beside a live kiosk)."""
    wanted = list(ids)
    if not wanted or not Path(path).exists():
        return []
    with _read_only(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if MESSAGES not in tables:
            return []
        found: list[tuple[str, str]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            found += [(str(r[0]), str(r[1])) for r in conn.execute(
                f"SELECT id, state FROM {MESSAGES} WHERE id IN ({marks})", chunk)]
    return found
