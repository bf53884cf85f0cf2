"""Writes and reads of the outbox's plain messages and the kiosk's staff calls.

Plain functions on the connection of :class:`sync.outbox.store.Outbox`, which runs them in
its own transactions: the same file, the same single writer and the same durable commit as
submissions (see :mod:`sync.outbox.messages_schema` for why they are apart). A message
follows the submissions' life: ``pending -> sending -> acked`` on the platform's
``accepted``/``duplicate``, ``quarantined`` only on its ``conflict``/``rejected``; a failed
request puts the batch back to ``pending`` for the link's backoff to decide. The id is the
idempotency key: a rating's id is the transaction id it rates, so a transaction can never
carry two ratings, here or on the platform.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sync.clock import Clock
from sync.outbox.errors import OutboxBacklogFullError
from sync.outbox.messages_schema import (
    CALL_COLUMNS,
    CALL_STATES,
    CALLS,
    KINDS,
    MESSAGE_COLUMNS,
    MESSAGE_STATES,
    MESSAGES,
    OPEN_CALL_STATES,
    OutboxMessage,
    body_hash,
    canonical_body,
)
from sync.outbox.policy import Retention
from sync.outbox.schema import iso
from sync.platform.protocol import MAX_MESSAGE_BYTES

#: messages waiting for the platform before new ones are refused (weeks of a busy hall)
MAX_WAITING_MESSAGES = 20_000
_SELECT = f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM {MESSAGES}"

StoredCall = dict[str, Any]


# -- messages ----------------------------------------------------------------------------------


def message_row(conn: sqlite3.Connection, message_id: str) -> OutboxMessage | None:
    found = conn.execute(f"{_SELECT} WHERE id = ?", (message_id,)).fetchone()
    return None if found is None else _decode(found)


def insert_message(
    conn: sqlite3.Connection, clock: Clock, message_id: str, kind: str, doc: Mapping[str, Any]
) -> OutboxMessage:
    """Inside a write transaction: the stored message (the first one for this id)."""
    found = message_row(conn, message_id)
    if found is not None:
        return found
    waiting = conn.execute(
        f"SELECT COUNT(*) FROM {MESSAGES} WHERE state IN ('pending', 'sending')"
    ).fetchone()[0]
    if waiting >= MAX_WAITING_MESSAGES:
        raise OutboxBacklogFullError(
            "Too many ratings and calls wait for the platform; this one was not stored."
        )
    body = canonical_body(doc)
    seq = conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {MESSAGES}").fetchone()[0]
    created = iso(clock.now())
    conn.execute(
        f"INSERT INTO {MESSAGES} (id, seq, kind, body, body_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (message_id, seq, kind, body, body_hash(body), created),
    )
    stored = message_row(conn, message_id)
    assert stored is not None
    return stored


def select_messages(
    conn: sqlite3.Connection, states: Iterable[str], kind: str | None
) -> list[OutboxMessage]:
    """Messages in the given states (and of one kind), oldest first."""
    wanted = [s for s in states if s in MESSAGE_STATES]
    marks = ", ".join("?" for _ in wanted) or "NULL"
    sql, params = f"{_SELECT} WHERE state IN ({marks})", list(wanted)
    if kind is not None:
        sql, params = sql + " AND kind = ?", [*params, kind]
    rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
    return [_decode(r) for r in rows]


def message_counts(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """``{kind: {state: n}}`` with every kind and state present."""
    rows = conn.execute(
        f"SELECT kind, state, COUNT(*) FROM {MESSAGES} GROUP BY kind, state"
    ).fetchall()
    return counts_by_kind(rows)


def claim_messages(conn: sqlite3.Connection, now_text: str, max_items: int) -> list[OutboxMessage]:
    """Due pending messages, oldest first, now marked ``sending``."""
    rows = conn.execute(
        f"{_SELECT} WHERE state = 'pending' AND (next_attempt_at IS NULL"
        " OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
        (now_text, max(1, max_items)),
    ).fetchall()
    chosen = [_decode(r) for r in rows]
    conn.executemany(
        f"UPDATE {MESSAGES} SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
        [(m.id,) for m in chosen],
    )
    return [replace(m, state="sending", attempts=m.attempts + 1) for m in chosen]


def messages_due_at(conn: sqlite3.Connection, clock: Clock) -> datetime | None:
    """When the earliest pending message becomes due (None if none is pending)."""
    found = conn.execute(
        f"SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM {MESSAGES}"
        " WHERE state = 'pending'"
    ).fetchone()
    if not found[0]:
        return None
    return clock.now() if found[1] == "" else datetime.fromisoformat(found[1])


def mark_acked(
    conn: sqlite3.Connection, ids: Iterable[str], verdicts: Mapping[str, str] | None,
    now_text: str,
) -> None:
    rows = [(now_text, (verdicts or {}).get(i, "accepted"), i) for i in ids]
    conn.executemany(
        f"UPDATE {MESSAGES} SET state = 'acked', acked_at = ?, verdict = ?, last_error = NULL,"
        " next_attempt_at = NULL WHERE id = ? AND state IN ('pending', 'sending')", rows)


def mark_quarantined(
    conn: sqlite3.Connection, message_id: str, reason: str, verdict: str, now_text: str
) -> None:
    conn.execute(
        f"UPDATE {MESSAGES} SET state = 'quarantined', last_error = ?, verdict = ?,"
        " next_attempt_at = NULL, quarantined_at = ?"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        (reason, verdict, now_text, message_id))


def mark_unsent(conn: sqlite3.Connection, ids: Iterable[str], error: str) -> None:
    rows = [(error, i) for i in ids]
    conn.executemany(
        f"UPDATE {MESSAGES} SET state = 'pending', last_error = ?, next_attempt_at = NULL"
        " WHERE id = ? AND state = 'sending'", rows)


def mark_retry(conn: sqlite3.Connection, ids: Iterable[str], error: str, when: datetime) -> None:
    rows = [(error, iso(when), i) for i in ids]
    conn.executemany(
        f"UPDATE {MESSAGES} SET state = 'pending', last_error = ?, next_attempt_at = ?"
        " WHERE id = ? AND state = 'sending'", rows)


def requeue(conn: sqlite3.Connection, message_id: str) -> bool:
    cursor = conn.execute(
        f"UPDATE {MESSAGES} SET state = 'pending', next_attempt_at = NULL, verdict = NULL,"
        " quarantined_at = NULL WHERE id = ? AND state = 'quarantined'", (message_id,))
    return bool(cursor.rowcount)


def recover_sending(conn: sqlite3.Connection) -> int:
    cursor = conn.execute(f"UPDATE {MESSAGES} SET state = 'pending' WHERE state = 'sending'")
    return int(cursor.rowcount)


def purge(conn: sqlite3.Connection, moment: datetime, retention: Retention) -> int:
    """Acked messages after the payload retention, closed calls after the receipt one."""
    acked_cut = iso(moment - timedelta(seconds=retention.payload_seconds))
    call_cut = iso(moment - timedelta(seconds=retention.receipt_seconds))
    closed = ", ".join(f"'{s}'" for s in CALL_STATES if s not in OPEN_CALL_STATES)
    gone = conn.execute(
        f"DELETE FROM {MESSAGES} WHERE state = 'acked' AND acked_at <= ?", (acked_cut,)
    ).rowcount
    gone += conn.execute(
        f"DELETE FROM {CALLS} WHERE state IN ({closed}) AND updated_at <= ?", (call_cut,)
    ).rowcount
    return int(gone)


def restore(
    conn: sqlite3.Connection, messages: list[dict[str, Any]], calls: list[dict[str, Any]]
) -> None:
    """Rows recovered from a damaged file (:mod:`sync.outbox.messages_recovery`)."""
    names = ", ".join(MESSAGE_COLUMNS)
    marks = ", ".join("?" for _ in MESSAGE_COLUMNS)
    call_names = ", ".join(CALL_COLUMNS)
    call_marks = ", ".join("?" for _ in CALL_COLUMNS)
    conn.executemany(
        f"INSERT OR IGNORE INTO {MESSAGES} ({names}) VALUES ({marks})",
        [[row[n] for n in MESSAGE_COLUMNS] for row in messages],
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO {CALLS} ({call_names}) VALUES ({call_marks})",
        [[row[n] for n in CALL_COLUMNS] for row in calls],
    )


# -- the kiosk's staff calls -------------------------------------------------------------------


def save_call(
    conn: sqlite3.Connection,
    clock: Clock,
    document: Mapping[str, Any],
    message: tuple[str, Mapping[str, Any]] | None,
    allowed: set[str | None] | None,
) -> bool:
    """Inside a write transaction: store the call (and its message) unless its state is not
    one of ``allowed``; False then."""
    call_id, state = str(document["call_id"]), str(document["state"])
    text = json.dumps(dict(document), ensure_ascii=False, sort_keys=True)
    found = conn.execute(f"SELECT state FROM {CALLS} WHERE call_id = ?", (call_id,)).fetchone()
    current = None if found is None else found[0]
    if allowed is not None and current not in allowed:
        return False
    conn.execute(
        f"INSERT INTO {CALLS} (call_id, state, raised_at, updated_at, document)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(call_id) DO UPDATE SET state = excluded.state,"
        " updated_at = excluded.updated_at, document = excluded.document",
        (call_id, state, str(document["raised_at"]), iso(clock.now()), text),
    )
    if message is not None:
        insert_message(conn, clock, message[0], "call", message[1])
    return True


def get_call(conn: sqlite3.Connection, call_id: str) -> StoredCall | None:
    found = conn.execute(
        f"SELECT document FROM {CALLS} WHERE call_id = ?", (call_id,)
    ).fetchone()
    return None if found is None else dict(json.loads(found[0]))


def open_calls(conn: sqlite3.Connection) -> list[StoredCall]:
    """Calls still raised or acknowledged, oldest first."""
    marks = ", ".join("?" for _ in OPEN_CALL_STATES)
    rows = conn.execute(
        f"SELECT document FROM {CALLS} WHERE state IN ({marks}) ORDER BY raised_at",
        OPEN_CALL_STATES,
    ).fetchall()
    return [dict(json.loads(r[0])) for r in rows]


def check_message(message_id: str, kind: str, doc: Mapping[str, Any]) -> None:
    """ValueError for a message the outbox must not take (no id, unknown kind, too large)."""
    if not message_id:
        raise ValueError("a message needs an id")
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if len(canonical_body(doc)) > MAX_MESSAGE_BYTES:
        raise ValueError("message body too large")


def check_call_state(state: str) -> None:
    if state not in CALL_STATES:
        raise ValueError(f"unknown call state {state!r}")


def counts_by_kind(rows: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """``{kind: {state: n}}`` from ``(kind, state, n)`` rows, every kind and state present."""
    counts = {kind: dict.fromkeys(MESSAGE_STATES, 0) for kind in KINDS}
    for kind, state, n in rows:
        counts.setdefault(kind, dict.fromkeys(MESSAGE_STATES, 0))[state] = int(n)
    return counts


def _decode(found: tuple[Any, ...]) -> OutboxMessage:
    return OutboxMessage.from_row(dict(zip(MESSAGE_COLUMNS, found, strict=True)))
