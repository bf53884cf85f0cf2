"""Writes and reads of the outbox's plain messages and the kiosk's staff calls.

A mixin of :class:`sync.outbox.Outbox`: the same file, the same single writer and the same
durable commit as submissions (see :mod:`sync.outbox_messages_schema` for why they are
apart). A message follows the submissions' life: ``pending -> sending -> acked`` on the
platform's ``accepted``/``duplicate``, ``quarantined`` only on its ``conflict``/``rejected``;
a failed request puts the batch back to ``pending`` for the link's backoff to decide. The id
is the idempotency key: a rating's id is the transaction id it rates, so a transaction can
never carry two ratings, here or on the platform.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from sync.messages_protocol import MAX_MESSAGE_BYTES
from sync.outbox_messages_schema import (
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
from sync.outbox_policy import Retention
from sync.outbox_schema import Clock, OutboxBacklogFullError, OutboxError, iso

__all__ = [
    "MAX_WAITING_MESSAGES", "OutboxMessage", "OutboxMessages", "StoredCall", "peek_messages",
]

#: messages waiting for the platform before new ones are refused (weeks of a busy hall)
MAX_WAITING_MESSAGES = 20_000
_SELECT = f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM {MESSAGES}"

StoredCall = dict[str, Any]


class OutboxMessages:
    """Message and call methods; the connection, lock and clock belong to the Outbox."""

    _lock: threading.RLock
    db: sqlite_utils.Database
    clock: Clock
    retention: Retention

    def _connection(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _write(self, work: Callable[[], Any]) -> Any:
        raise NotImplementedError

    # -- messages ------------------------------------------------------------------------------

    def _message_row(self, message_id: str) -> OutboxMessage | None:
        row = self._connection().execute(f"{_SELECT} WHERE id = ?", (message_id,)).fetchone()
        return None if row is None else _decode(row)

    def _insert_message(self, message_id: str, kind: str, doc: Mapping[str, Any]) -> OutboxMessage:
        """Inside a write transaction: the stored message (the first one for this id)."""
        found = self._message_row(message_id)
        if found is not None:
            return found
        conn = self._connection()
        waiting = conn.execute(
            f"SELECT COUNT(*) FROM {MESSAGES} WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
        if waiting >= MAX_WAITING_MESSAGES:
            raise OutboxBacklogFullError(
                "Too many ratings and calls wait for the platform; this one was not stored."
            )
        body = canonical_body(doc)
        seq = conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {MESSAGES}").fetchone()[0]
        created = iso(self.clock.now())
        conn.execute(
            f"INSERT INTO {MESSAGES} (id, seq, kind, body, body_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (message_id, seq, kind, body, body_hash(body), created),
        )
        stored = self._message_row(message_id)
        assert stored is not None
        return stored

    def enqueue_message(self, message_id: str, kind: str, doc: Mapping[str, Any]) -> OutboxMessage:
        """Store a message durably; idempotent on ``message_id`` (the first one stays).

        Raises ValueError for an unknown kind or an oversize body, OutboxBacklogFullError when
        too many wait, OutboxFullError when the disk is full; nothing is stored then.
        """
        _check(message_id, kind, doc)
        return self._write(lambda: self._insert_message(message_id, kind, doc))  # type: ignore[no-any-return]

    def get_message(self, message_id: str) -> OutboxMessage | None:
        with self._lock:
            return self._message_row(message_id)

    def messages(
        self, states: Iterable[str] = MESSAGE_STATES, kind: str | None = None
    ) -> list[OutboxMessage]:
        """Messages in the given states (and of one kind), oldest first."""
        wanted = [s for s in states if s in MESSAGE_STATES]
        marks = ", ".join("?" for _ in wanted) or "NULL"
        sql, params = f"{_SELECT} WHERE state IN ({marks})", list(wanted)
        if kind is not None:
            sql, params = sql + " AND kind = ?", [*params, kind]
        with self._lock:
            rows = self._connection().execute(sql + " ORDER BY seq", params).fetchall()
        return [_decode(r) for r in rows]

    def message_counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {state: n}}`` with every kind and state present."""
        with self._lock:
            rows = self._connection().execute(
                f"SELECT kind, state, COUNT(*) FROM {MESSAGES} GROUP BY kind, state"
            ).fetchall()
        counts = {kind: dict.fromkeys(MESSAGE_STATES, 0) for kind in KINDS}
        for kind, state, n in rows:
            counts.setdefault(kind, dict.fromkeys(MESSAGE_STATES, 0))[state] = int(n)
        return counts

    def next_messages(self, max_items: int, now: datetime | None = None) -> list[OutboxMessage]:
        """Claim due pending messages, oldest first, and mark them ``sending``."""
        now_text = iso(now or self.clock.now())

        def work() -> list[OutboxMessage]:
            rows = self._connection().execute(
                f"{_SELECT} WHERE state = 'pending' AND (next_attempt_at IS NULL"
                " OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
                (now_text, max(1, max_items)),
            ).fetchall()
            chosen = [_decode(r) for r in rows]
            self._connection().executemany(
                f"UPDATE {MESSAGES} SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(m.id,) for m in chosen],
            )
            return [replace(m, state="sending", attempts=m.attempts + 1) for m in chosen]

        return list(self._write(work))

    def messages_due_at(self) -> datetime | None:
        """When the earliest pending message becomes due (None if none is pending)."""
        with self._lock:
            row = self._connection().execute(
                f"SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM {MESSAGES}"
                " WHERE state = 'pending'"
            ).fetchone()
        if not row[0]:
            return None
        return self.clock.now() if row[1] == "" else datetime.fromisoformat(row[1])

    def mark_messages_acked(
        self, ids: Iterable[str], verdicts: Mapping[str, str] | None = None
    ) -> None:
        now_text = iso(self.clock.now())
        rows = [(now_text, (verdicts or {}).get(i, "accepted"), i) for i in ids]
        self._write(lambda: self._connection().executemany(
            f"UPDATE {MESSAGES} SET state = 'acked', acked_at = ?, verdict = ?, last_error = NULL,"
            " next_attempt_at = NULL WHERE id = ? AND state IN ('pending', 'sending')", rows))

    def mark_message_quarantined(self, message_id: str, reason: str, verdict: str) -> None:
        now_text = iso(self.clock.now())
        self._write(lambda: self._connection().execute(
            f"UPDATE {MESSAGES} SET state = 'quarantined', last_error = ?, verdict = ?,"
            " next_attempt_at = NULL, quarantined_at = ?"
            " WHERE id = ? AND state IN ('pending', 'sending')",
            (reason, verdict, now_text, message_id)))

    def mark_messages_unsent(self, ids: Iterable[str], error: str) -> None:
        """The request failed: back to the queue, the link's backoff decides when."""
        rows = [(error, i) for i in ids]
        self._write(lambda: self._connection().executemany(
            f"UPDATE {MESSAGES} SET state = 'pending', last_error = ?, next_attempt_at = NULL"
            " WHERE id = ? AND state = 'sending'", rows))

    def mark_messages_retry(self, ids: Iterable[str], error: str, when: datetime) -> None:
        """The platform gave these no verdict: each waits until ``when``."""
        rows = [(error, iso(when), i) for i in ids]
        self._write(lambda: self._connection().executemany(
            f"UPDATE {MESSAGES} SET state = 'pending', last_error = ?, next_attempt_at = ?"
            " WHERE id = ? AND state = 'sending'", rows))

    def requeue_message(self, message_id: str) -> bool:
        """A technician's retry of a quarantined message; False if there is none."""
        cursor = self._write(lambda: self._connection().execute(
            f"UPDATE {MESSAGES} SET state = 'pending', next_attempt_at = NULL, verdict = NULL,"
            " quarantined_at = NULL WHERE id = ? AND state = 'quarantined'", (message_id,)))
        return bool(cursor.rowcount)

    def recover_sending_messages(self) -> int:
        """Messages left ``sending`` by a crash go back to ``pending`` (the platform dedups)."""
        cursor = self._write(lambda: self._connection().execute(
            f"UPDATE {MESSAGES} SET state = 'pending' WHERE state = 'sending'"))
        return int(cursor.rowcount)

    def purge_messages(self, now: datetime | None = None) -> int:
        """Acked messages after the payload retention, closed calls after the receipt one."""
        moment = now or self.clock.now()
        acked_cut = iso(moment - timedelta(seconds=self.retention.payload_seconds))
        call_cut = iso(moment - timedelta(seconds=self.retention.receipt_seconds))
        closed = ", ".join(f"'{s}'" for s in CALL_STATES if s not in OPEN_CALL_STATES)

        def work() -> int:
            conn = self._connection()
            gone = conn.execute(
                f"DELETE FROM {MESSAGES} WHERE state = 'acked' AND acked_at <= ?", (acked_cut,)
            ).rowcount
            gone += conn.execute(
                f"DELETE FROM {CALLS} WHERE state IN ({closed}) AND updated_at <= ?", (call_cut,)
            ).rowcount
            return int(gone)

        return int(self._write(work))

    def restore_messages(
        self, messages: list[dict[str, Any]], calls: list[dict[str, Any]]
    ) -> None:
        """Rows recovered from a damaged file (:mod:`sync.outbox_messages_recovery`)."""
        names = ", ".join(MESSAGE_COLUMNS)
        marks = ", ".join("?" for _ in MESSAGE_COLUMNS)
        call_names = ", ".join(CALL_COLUMNS)
        call_marks = ", ".join("?" for _ in CALL_COLUMNS)

        def work() -> None:
            conn = self._connection()
            conn.executemany(
                f"INSERT OR IGNORE INTO {MESSAGES} ({names}) VALUES ({marks})",
                [[row[n] for n in MESSAGE_COLUMNS] for row in messages],
            )
            conn.executemany(
                f"INSERT OR IGNORE INTO {CALLS} ({call_names}) VALUES ({call_marks})",
                [[row[n] for n in CALL_COLUMNS] for row in calls],
            )

        self._write(work)

    # -- the kiosk's staff calls ---------------------------------------------------------------

    def save_call(
        self,
        document: Mapping[str, Any],
        message: tuple[str, Mapping[str, Any]] | None = None,
        *,
        expect: Iterable[str | None] | None = None,
    ) -> bool:
        """Write a call's state, and the message telling the platform, in one commit.

        ``document`` is the whole call (``call_id``, ``state``, ``raised_at`` and the rest).
        With ``expect``, the write happens only if the stored state is one of those (or, for
        ``raised``, absent), so two hands on one call cannot both move it; False then.
        """
        call_id, state = str(document["call_id"]), str(document["state"])
        if state not in CALL_STATES:
            raise ValueError(f"unknown call state {state!r}")
        if message is not None:
            _check(message[0], "call", message[1])
        text = json.dumps(dict(document), ensure_ascii=False, sort_keys=True)
        allowed = None if expect is None else set(expect)

        def work() -> bool:
            conn = self._connection()
            row = conn.execute(
                f"SELECT state FROM {CALLS} WHERE call_id = ?", (call_id,)
            ).fetchone()
            current = None if row is None else row[0]
            if allowed is not None and current not in allowed:
                return False
            conn.execute(
                f"INSERT INTO {CALLS} (call_id, state, raised_at, updated_at, document)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(call_id) DO UPDATE SET state = excluded.state,"
                " updated_at = excluded.updated_at, document = excluded.document",
                (call_id, state, str(document["raised_at"]), iso(self.clock.now()), text),
            )
            if message is not None:
                self._insert_message(message[0], "call", message[1])
            return True

        return bool(self._write(work))

    def get_call(self, call_id: str) -> StoredCall | None:
        with self._lock:
            row = self._connection().execute(
                f"SELECT document FROM {CALLS} WHERE call_id = ?", (call_id,)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def open_calls(self) -> list[StoredCall]:
        """Calls still raised or acknowledged, oldest first."""
        marks = ", ".join("?" for _ in OPEN_CALL_STATES)
        with self._lock:
            rows = self._connection().execute(
                f"SELECT document FROM {CALLS} WHERE state IN ({marks}) ORDER BY raised_at",
                OPEN_CALL_STATES,
            ).fetchall()
        return [dict(json.loads(r[0])) for r in rows]


def _decode(row: tuple[Any, ...]) -> OutboxMessage:
    return OutboxMessage.from_row(dict(zip(MESSAGE_COLUMNS, row, strict=True)))


def _check(message_id: str, kind: str, doc: Mapping[str, Any]) -> None:
    if not message_id:
        raise ValueError("a message needs an id")
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if len(canonical_body(doc)) > MAX_MESSAGE_BYTES:
        raise ValueError("message body too large")


def peek_messages(path: Path) -> tuple[list[StoredCall], dict[str, dict[str, int]]]:
    """Read-only look beside a live kiosk: (open calls, message counts per kind and state).

    Takes no lock and writes nothing; an outbox from before messages existed has neither.
    """
    counts = {kind: dict.fromkeys(MESSAGE_STATES, 0) for kind in KINDS}
    uri = f"file:{Path(path).resolve()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=2.0)
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if MESSAGES not in tables or CALLS not in tables:
            return [], counts
        marks = ", ".join("?" for _ in OPEN_CALL_STATES)
        calls = [dict(json.loads(r[0])) for r in conn.execute(
            f"SELECT document FROM {CALLS} WHERE state IN ({marks}) ORDER BY raised_at",
            OPEN_CALL_STATES)]
        for kind, state, n in conn.execute(
                f"SELECT kind, state, COUNT(*) FROM {MESSAGES} GROUP BY kind, state"):
            counts.setdefault(kind, dict.fromkeys(MESSAGE_STATES, 0))[state] = int(n)
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    finally:
        conn.close()
    return calls, counts
