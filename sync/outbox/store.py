"""The durable outbox: one SQLite file holding every submission until the platform acks it.

Why it looks like this:
- a printed receipt promises durability, so ``enqueue`` commits (WAL, ``synchronous=FULL``)
  before it returns, and allocates the kiosk and daily sequence numbers in that same
  transaction;
- one writer: every write goes through one lock in this process, and a ``flock`` on
  ``<path>.lock`` keeps a second process (or a maintenance command) from opening the
  same outbox for writing;
- the transaction id is the idempotency key: enqueueing it twice returns the first record;
- it never grows without bound: past the backlog's hard limit ``enqueue`` refuses, and acked
  records lose their sealed payload, then their row, after the retention (never before acked);
- a damaged file found at start is moved aside, kept, and its readable records recovered
  (:mod:`sync.outbox.recovery`); ``Outbox.recovery`` then says what happened.

Times are UTC-aware datetimes from an injected clock (``now()``) plus a monotonic reading
(``monotonic()``), stored as ISO-8601 text in one fixed format so they sort as text.

The class owns the file's one writer (:class:`sync.outbox.opening.OutboxWriter`: file lock,
connection, in-process lock) and the clock; the SQL of submissions lives in
:mod:`sync.outbox.records`, as plain functions it runs in the writer's transactions. Messages
and staff calls are ``Outbox.messages`` (:class:`sync.outbox.message_queue.MessageQueue`),
written through the same writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.clock import Clock, SystemClock
from sync.outbox import records as record_sql
from sync.outbox.errors import OutboxBacklogFullError, OutboxError
from sync.outbox.message_queue import MessageQueue
from sync.outbox.opening import OutboxWriter
from sync.outbox.policy import (
    BACKLOG_FULL_MESSAGE,
    BacklogLimits,
    BacklogStatus,
    PurgeResult,
    Retention,
    evaluate_backlog,
)
from sync.outbox.recovery import RecoveryReport, detect_damage, recover_damaged
from sync.outbox.schema import STATES, TABLE, OutboxRecord, iso, migrate
from sync.outbox.tally import BacklogTally
from sync.sealing import payload_hash as hash_envelope

_INSERT = (
    f"INSERT INTO {TABLE} (id, seq, daily_key, daily_seq, service_code, created_at,"
    " created_mono, state, attempts, envelope, payload_hash, receipt, envelope_size, query_code)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)"
)

# the receipt's stored text; one encoder, not one built by json.dumps on every enqueue
_RECEIPT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


class Outbox:
    """The kiosk's outbox. Thread-safe; one instance per process per file (see module doc)."""

    def __init__(
        self,
        path: Path,
        clock: Clock | None = None,
        *,
        max_size_bytes: int | None = None,
        busy_timeout_s: float = 5.0,
        retention: Retention | None = None,
        backlog: BacklogLimits | None = None,
        recover: bool = True,
    ) -> None:
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self.retention = retention or Retention()
        self.backlog = backlog or BacklogLimits()
        #: set when this open found a damaged file and recovered from it
        self.recovery: RecoveryReport | None = None
        self._writer = OutboxWriter(self.path)  # takes the file lock
        self._tally = BacklogTally()
        #: ratings and staff-call events, and the calls' state (same file, same writer)
        self.messages = MessageQueue(self._writer, self.clock, self.retention)
        try:
            salvage = None
            if recover:
                problem = detect_damage(self.path)
                if problem is not None:
                    salvage = recover_damaged(self.path, problem, self.clock.now())
            self.db = self._writer.connect(busy_timeout_s, max_size_bytes)
            with self._writer.lock:
                migrate(self.db)
            if salvage is not None:
                rows, counters = salvage.rows, salvage.counters
                taken = list(self._writer.write(
                    lambda: record_sql.restore(self.db, rows, counters)))
                self.messages.restore(salvage.messages.messages, salvage.messages.calls)
                self.recovery = salvage.finish(self.path, taken)
            self.recover_sending()
            self.messages.recover_sending()
        except (sqlite3.Error, UnicodeDecodeError) as exc:  # text of a damaged file, too
            self._writer.close()
            raise OutboxError(f"cannot open the outbox: {exc}") from exc
        except BaseException:
            self._writer.close()
            raise

    def _row(self, txid: str) -> dict[str, Any] | None:
        return record_sql.row(self._writer.connection(), txid)

    def _backlog_totals(self) -> tuple[int, int]:
        return record_sql.backlog_totals(self._writer.connection())

    def _take_numbers(self, daily_key: str) -> tuple[int, int, int]:
        """Next kiosk ``seq`` and daily sequence, in one statement; also the rows changed."""
        return record_sql.take_numbers(self._writer.connection(), self.db, daily_key, self.clock)

    # -- submissions ---------------------------------------------------------------------------

    def enqueue(
        self,
        txid: str,
        service_code: str,
        envelope: bytes | None = None,
        receipt: dict[str, Any] | None = None,
        daily_key: str = "",
        *,
        build: Callable[[int], tuple[bytes, dict[str, Any]]] | None = None,
        query_code: str | None = None,
    ) -> OutboxRecord:
        """Store a sealed submission durably; idempotent on ``txid``.

        Returns the record with its kiosk ``seq`` and ``daily_seq`` (the tracking number's
        counter for ``daily_key``). A second call with the same ``txid`` returns the first
        record unchanged, whatever it carries (re-sealing gives different bytes).

        Either pass ``envelope`` and ``receipt``, or ``build(daily_seq) -> (envelope,
        receipt)``: it runs inside the transaction once the counter is allocated, so a
        tracking number built from ``daily_seq`` can be sealed into the envelope. If
        ``build`` raises, nothing is stored, no number is used, and its exception propagates.
        ``query_code`` (the receipt's) is kept beside the envelope and sent with it.

        Raises OutboxBacklogFullError past the backlog's hard limit (nothing stored, no
        number used) and OutboxFullError when the disk is full.
        """
        if not txid or not service_code or not daily_key:
            raise ValueError("txid, service_code and daily_key must not be empty")
        if (build is None) == (envelope is None):
            raise ValueError("pass either envelope and receipt, or build")
        if build is None:
            fixed = (self._check_envelope(envelope), receipt or {})
        created_at = iso(self.clock.now())
        mono = float(self.clock.monotonic())
        limits = self.backlog
        tally = self._tally

        def work() -> tuple[OutboxRecord, int]:
            conn = self._writer.connection()
            found = self._row(txid)
            if found is not None:
                return OutboxRecord.from_row(found), 0
            count, size = tally.totals(conn, self._backlog_totals)
            if limits.max_count is not None and count + 1 > limits.max_count:
                raise OutboxBacklogFullError(BACKLOG_FULL_MESSAGE)
            seq, daily_seq, changed = self._take_numbers(daily_key)
            sealed, record = fixed if build is None else build(daily_seq)
            sealed = self._check_envelope(sealed)
            if limits.max_bytes is not None and size + len(sealed) > limits.max_bytes:
                raise OutboxBacklogFullError(BACKLOG_FULL_MESSAGE)
            digest = hash_envelope(sealed)
            receipt_text = _RECEIPT_JSON.encode(record)
            conn.execute(
                _INSERT,
                (
                    txid,
                    seq,
                    daily_key,
                    daily_seq,
                    service_code,
                    created_at,
                    mono,
                    sealed,
                    digest,
                    receipt_text,
                    len(sealed),
                    query_code,
                ),
            )
            # What was just written, rather than read back after the commit.
            stored = OutboxRecord(
                id=txid,
                seq=seq,
                daily_key=daily_key,
                daily_seq=daily_seq,
                service_code=service_code,
                created_at=datetime.fromisoformat(created_at),
                created_mono=mono,
                state="pending",
                attempts=0,
                next_attempt_at=None,
                last_error=None,
                payload_hash=digest,
                acked_at=None,
                verdict=None,
                envelope=sealed,
                receipt=json.loads(receipt_text),
                envelope_size=len(sealed),
                query_code=query_code,
            )
            return stored, changed + 1

        with self._writer.lock:
            try:
                stored, changed = self._writer.write(work)
            except BaseException:
                tally.forget()
                raise
            if changed:
                tally.added(self._writer.connection(), stored.envelope_size, changed)
        return stored

    @staticmethod
    def _check_envelope(envelope: object) -> bytes:
        if not isinstance(envelope, bytes | bytearray) or not envelope:
            raise ValueError("envelope must be non-empty bytes")
        return bytes(envelope)

    def next_batch(
        self, max_items: int, max_bytes: int, now: datetime | None = None
    ) -> list[OutboxRecord]:
        """Claim due pending records, oldest first, and mark them ``sending``.

        Stops before the record that would push the batch past ``max_bytes``, but always
        returns at least one due record so an oversize one surfaces (the worker quarantines
        it) instead of blocking the queue.
        """
        now_text = iso(now or self.clock.now())
        return list(self._writer.write(
            lambda: record_sql.claim_batch(self.db, now_text, max_items, max_bytes)))

    def mark_acked(self, ids: Iterable[str], verdicts: Mapping[str, str] | None = None) -> None:
        """The platform has the records (accepted or duplicate): they are safe to purge later."""
        id_list = list(ids)
        now_text = iso(self.clock.now())
        self._writer.write(lambda: record_sql.mark_acked(self.db, id_list, verdicts, now_text))

    def mark_quarantined(self, txid: str, reason: str, verdict: str | None = None) -> None:
        """Park a record the platform refused for good; it stays visible to technicians."""
        now_text = iso(self.clock.now())
        self._writer.write(
            lambda: record_sql.mark_quarantined(self.db, txid, reason, verdict, now_text))

    def mark_unsent(self, ids: Iterable[str], error: str) -> None:
        """A batch that did not get through (network, busy platform, refused signature ...).

        The records go back to the queue with the error kept for technicians and no retry
        time of their own: such a failure belongs to the link, and the worker's link backoff
        (:class:`sync.backoff.LinkBackoff`) decides when the next upload goes. So when the
        platform answers again, or a new worker starts, the whole backlog is due at once.
        """
        id_list = list(ids)
        self._writer.write(lambda: record_sql.mark_unsent(self.db, id_list, error))

    def mark_retry(self, ids: Iterable[str], error: str, next_attempt_at: datetime) -> None:
        """Hold records back until ``next_attempt_at`` for a reason of their own.

        For what the platform said about these records (it gave them no verdict), not for a
        failure of the link: use :meth:`mark_unsent` for that.
        """
        id_list = list(ids)
        when = iso(next_attempt_at)
        self._writer.write(lambda: record_sql.mark_retry(self.db, id_list, error, when))

    def set_platform_status(self, txid: str, status: str, changed_at: datetime) -> bool:
        """Record what the platform says about a record now; False for an unknown id."""
        return bool(self._writer.write(
            lambda: record_sql.set_platform_status(self.db, txid, status, changed_at)))

    def note_lookup_failure(self, txid: str) -> int:
        """Count one wrong query code typed for this record; returns the count (0: unknown)."""
        return int(self._writer.write(lambda: record_sql.note_lookup_failure(self.db, txid)))

    def requeue(self, txid: str) -> OutboxRecord:
        """A technician's retry: a quarantined or waiting record goes out at the next sync.

        Never touches a record the platform acked. Raises KeyError for an unknown id and
        OutboxError for a record in a state that cannot be sent again.
        """
        self._writer.write(lambda: record_sql.requeue(self.db, txid))
        record = self.get(txid)
        assert record is not None
        return record

    def retry_now(self) -> int:
        """Make every pending record held back by :meth:`mark_retry` due at once ("sync now").

        The worker never needs it to send a backlog after an outage (link failures do not
        hold records back); it is for a technician who wants per-record holds lifted too.
        """
        return int(self._writer.write(lambda: record_sql.retry_now(self.db)))

    def recover_sending(self) -> int:
        """Records left ``sending`` by a crash go back to ``pending``; returns how many.

        The platform may already hold some of them: re-sending is safe, it answers
        ``duplicate`` for the same id and bytes.
        """
        return int(self._writer.write(lambda: record_sql.recover_sending(self.db)))

    def purge_expired(self, now: datetime | None = None) -> PurgeResult:
        """Apply the retention: drop sealed payloads, then rows, of records acked long enough.

        Only ``acked``/``purged`` records are touched; pending, sending and quarantined
        records are never removed, however old.
        """
        moment = now or self.clock.now()
        result: PurgeResult = self._writer.write(
            lambda: record_sql.purge_expired(self.db, moment, self.retention))
        return result

    def checkpoint(self) -> int:
        """Copy committed WAL pages into the file (PASSIVE: never waits for a reader); returns
        the frames left. The sync worker calls it each round, off the enqueue path; durability
        does not depend on it (a commit is durable once its WAL frames are synced)."""
        with self._writer.lock:
            try:
                row = self._writer.connection().execute(
                    "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:
                raise OutboxError(f"the outbox could not checkpoint: {exc}") from exc
        return max(0, int(row[1]) - int(row[2]))

    # -- reading submissions -------------------------------------------------------------------

    def get(self, txid: str) -> OutboxRecord | None:
        """The record for ``txid``, or None."""
        with self._writer.lock:
            row = self._row(txid)
        return OutboxRecord.from_row(row) if row else None

    def find_by_tracking(self, tracking_number: str) -> OutboxRecord | None:
        """The record whose receipt carries ``tracking_number`` (what a citizen types)."""
        with self._writer.lock:
            self._writer.connection()
            return record_sql.find_by_tracking(self.db, tracking_number)

    def ids(self, states: Iterable[str] = STATES) -> list[str]:
        """Ids of the records in the given states, oldest first (for checks and tools)."""
        with self._writer.lock:
            return record_sql.ids(self._writer.connection(), states)

    def counts(self) -> dict[str, int]:
        """Number of records in each state (every state present, zero included)."""
        with self._writer.lock:
            self._writer.connection()
            return record_sql.counts(self.db)

    def oldest_pending_age(self, now: datetime | None = None) -> float | None:
        """Seconds since the oldest not-yet-acked record was created, or None if none wait."""
        with self._writer.lock:
            conn = self._writer.connection()
            return record_sql.oldest_pending_age(conn, now or self.clock.now())

    def backlog_status(self, now: datetime | None = None) -> BacklogStatus:
        """How much waits for the platform, against the configured warning and hard limits."""
        with self._writer.lock:
            self._writer.connection()
            count, size = self._backlog_totals()
            quarantined = record_sql.quarantined_count(self.db)
            age = self.oldest_pending_age(now)
        return evaluate_backlog(self.backlog, count, size, age, quarantined)

    def next_due_at(self) -> datetime | None:
        """When the earliest pending record becomes due (None if nothing is pending).

        A pending record that never failed is due now; the worker sleeps until this time.
        """
        with self._writer.lock:
            return record_sql.next_due_at(self._writer.connection(), self.clock)

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database and release the process lock. Safe to call twice."""
        self._writer.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Outbox({self.path.name!r})"
