"""The durable outbox: one SQLite file holding every sealed submission until the platform acks it.

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
  (:mod:`sync.outbox_recovery`); ``Outbox.recovery`` then says what happened.

Times are UTC-aware datetimes from an injected clock (``now()``) plus a monotonic reading
(``monotonic()``), stored as ISO-8601 text in one fixed format so they sort as text.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from sync.file_modes import PRIVATE_DIRECTORY, private_database
from sync.outbox_messages import OutboxMessages
from sync.outbox_policy import (
    BACKLOG_FULL_MESSAGE,
    BacklogLimits,
    BacklogStatus,
    PurgeResult,
    Retention,
)
from sync.outbox_reads import OutboxReads, peek_counts, peek_records
from sync.outbox_recovery import RecoveryReport, detect_damage, recover_damaged
from sync.outbox_schema import (
    COLUMN_LIST,
    COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    STATES,
    TABLE,
    Clock,
    OutboxBacklogFullError,
    OutboxError,
    OutboxFullError,
    OutboxLockedError,
    OutboxRecord,
    SystemClock,
    iso,
)
from sync.outbox_tally import BacklogTally
from sync.sealing import payload_hash as hash_envelope

_INSERT = (
    f"INSERT INTO {TABLE} (id, seq, daily_key, daily_seq, service_code, created_at,"
    " created_mono, state, attempts, envelope, payload_hash, receipt, envelope_size, query_code)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)"
)

__all__ = [
    "SCHEMA_VERSION",
    "STATES",
    "BacklogLimits",
    "BacklogStatus",
    "Clock",
    "Outbox",
    "OutboxBacklogFullError",
    "OutboxError",
    "OutboxFullError",
    "OutboxLockedError",
    "OutboxRecord",
    "PurgeResult",
    "RecoveryReport",
    "Retention",
    "SystemClock",
    "iso",
    "peek_counts",
    "peek_records",
]


class Outbox(OutboxReads, OutboxMessages):
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
        self._lock = threading.RLock()
        self._lock_fd: int | None = self._take_file_lock()
        self._conn: sqlite3.Connection | None = None
        self._tally = BacklogTally()
        try:
            salvage = None
            if recover:
                problem = detect_damage(self.path)
                if problem is not None:
                    salvage = recover_damaged(self.path, problem, self.clock.now())
            try:
                private_database(self.path)  # 0600 before SQLite makes it, its -wal and -shm
            except OSError as exc:
                raise OutboxError(f"cannot open the outbox: {exc}") from exc
            self._conn = sqlite3.connect(
                str(self.path),
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_s,
            )
            self.db = sqlite_utils.Database(self._conn)
            self._configure(max_size_bytes)
            self._migrate()
            if salvage is not None:
                taken = self._restore(salvage.rows, salvage.counters)
                self.restore_messages(salvage.messages.messages, salvage.messages.calls)
                self.recovery = salvage.finish(self.path, taken)
            self.recover_sending()
            self.recover_sending_messages()
        except sqlite3.Error as exc:
            self._release()
            raise OutboxError(f"cannot open the outbox: {exc}") from exc
        except BaseException:
            self._release()
            raise

    # -- opening -------------------------------------------------------------------------------

    def _take_file_lock(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise OutboxLockedError(f"outbox {self.path.name} is open in another process") from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd

    def _configure(self, max_size_bytes: int | None) -> None:
        conn = self._connection()
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise OutboxError(f"outbox cannot use WAL (journal mode {mode})")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        # Dropped payloads and receipts are overwritten, not just unlinked from the tree.
        conn.execute("PRAGMA secure_delete=ON")
        if max_size_bytes is not None:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={max(1, int(max_size_bytes) // page_size)}")

    def _migrate(self) -> None:
        conn = self._connection()
        with self._lock:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxError(
                    f"outbox schema v{version} is newer than this software (v{SCHEMA_VERSION})"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    MIGRATIONS[target - 1](self.db)
                    conn.execute(f"PRAGMA user_version={target}")
                    conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise

    def _restore(self, rows: list[dict[str, Any]], counters: dict[str, int]) -> list[str]:
        """Write recovered rows and counters into the fresh file, all in one transaction.

        Returns the ids taken (a row clashing with another's numbers is left out and
        reported lost rather than failing the whole recovery).
        """
        placeholders = ", ".join("?" for _ in COLUMN_LIST)

        def work() -> list[str]:
            taken = []
            for row in rows:
                cursor = self.db.execute(
                    f"INSERT OR IGNORE INTO {TABLE} ({COLUMNS}) VALUES ({placeholders})",
                    [row[name] for name in COLUMN_LIST],
                )
                if cursor.rowcount == 1:
                    taken.append(row["id"])
            for name, value in counters.items():
                self.db.execute(
                    "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name)"
                    " DO UPDATE SET value = MAX(value, excluded.value)",
                    [name, value],
                )
            return taken

        return list(self._write(work))

    # -- writing -------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise OutboxError("outbox is closed")
        return self._conn

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _write(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in one IMMEDIATE transaction; map sqlite failures to OutboxError."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = work()
                conn.execute("COMMIT")
                return result
            except sqlite3.Error as exc:
                self._rollback()
                if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                    raise OutboxFullError("the outbox is full; the record was not stored") from exc
                raise OutboxError(f"the outbox could not store the change: {exc}") from exc
            except BaseException:
                self._rollback()
                raise

    def _take_numbers(self, daily_key: str) -> tuple[int, int, int]:
        """Next kiosk ``seq`` and daily sequence, in one statement; also the rows changed."""
        conn = self._connection()
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
                taken[name] = self._counter_start()
                conn.execute(
                    "INSERT INTO counters (name, value) VALUES (?, ?)", (name, taken[name])
                )
                changed += 1
        return int(taken["seq"]), int(taken[daily]), changed

    def _counter_start(self) -> int:
        """1, or past the recovery floor while it lasts (lost counters after a recovery)."""
        found = dict(
            self.db.execute(
                "SELECT name, value FROM counters WHERE name IN ('floor', 'floor_until')"
            ).fetchall()
        )
        if found.get("floor_until", 0) > self.clock.now().timestamp():
            return int(found.get("floor", 0)) + 1
        return 1

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
            conn = self._connection()
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
            receipt_text = json.dumps(record, ensure_ascii=False, sort_keys=True)
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

        with self._lock:
            try:
                stored, changed = self._write(work)
            except BaseException:
                tally.forget()
                raise
            if changed:
                tally.added(self._connection(), stored.envelope_size, changed)
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

        def work() -> list[OutboxRecord]:
            rows = self.db.query(
                f"SELECT {COLUMNS} FROM {TABLE} WHERE state = 'pending'"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
                [now_text, max(1, max_items)],
            )
            chosen: list[OutboxRecord] = []
            total = 0
            for row in rows:
                size = len(row["envelope"] or b"")
                if chosen and total + size > max_bytes:
                    break
                chosen.append(OutboxRecord.from_row(row))
                total += size
            self.db.conn.executemany(
                f"UPDATE {TABLE} SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(record.id,) for record in chosen],
            )
            return [replace(r, state="sending", attempts=r.attempts + 1) for r in chosen]

        return list(self._write(work))

    def mark_acked(self, ids: Iterable[str], verdicts: Mapping[str, str] | None = None) -> None:
        """The platform has the records (accepted or duplicate): they are safe to purge later."""
        id_list = list(ids)
        now_text = iso(self.clock.now())

        def work() -> None:
            self.db.conn.executemany(
                f"UPDATE {TABLE} SET state = 'acked', acked_at = ?, verdict = ?,"
                " last_error = NULL, next_attempt_at = NULL"
                " WHERE id = ? AND state IN ('pending', 'sending')",
                [(now_text, (verdicts or {}).get(txid, "accepted"), txid) for txid in id_list],
            )

        self._write(work)

    def mark_quarantined(self, txid: str, reason: str, verdict: str | None = None) -> None:
        """Park a record the platform refused for good; it stays visible to technicians."""
        now_text = iso(self.clock.now())

        def work() -> None:
            self.db.execute(
                f"UPDATE {TABLE} SET state = 'quarantined', last_error = ?, verdict = ?,"
                " next_attempt_at = NULL, quarantined_at = ?"
                " WHERE id = ? AND state IN ('pending', 'sending')",
                [reason, verdict, now_text, txid],
            )

        self._write(work)

    def mark_unsent(self, ids: Iterable[str], error: str) -> None:
        """A batch that did not get through (network, busy platform, refused signature ...).

        The records go back to the queue with the error kept for technicians and no retry
        time of their own: such a failure belongs to the link, and the worker's link backoff
        (:class:`sync.backoff.LinkBackoff`) decides when the next upload goes. So when the
        platform answers again, or a new worker starts, the whole backlog is due at once.
        """
        id_list = list(ids)

        def work() -> None:
            self.db.conn.executemany(
                f"UPDATE {TABLE} SET state = 'pending', last_error = ?, next_attempt_at = NULL"
                " WHERE id = ? AND state = 'sending'",
                [(error, txid) for txid in id_list],
            )

        self._write(work)

    def mark_retry(self, ids: Iterable[str], error: str, next_attempt_at: datetime) -> None:
        """Hold records back until ``next_attempt_at`` for a reason of their own.

        For what the platform said about these records (it gave them no verdict), not for a
        failure of the link: use :meth:`mark_unsent` for that.
        """
        id_list = list(ids)
        when = iso(next_attempt_at)

        def work() -> None:
            self.db.conn.executemany(
                f"UPDATE {TABLE} SET state = 'pending', last_error = ?, next_attempt_at = ?"
                " WHERE id = ? AND state = 'sending'",
                [(error, when, txid) for txid in id_list],
            )

        self._write(work)

    def set_platform_status(self, txid: str, status: str, changed_at: datetime) -> bool:
        """Record what the platform says about a record now; False for an unknown id."""

        def work() -> int:
            cursor = self.db.execute(
                f"UPDATE {TABLE} SET platform_status = ?, status_changed_at = ? WHERE id = ?",
                [status, iso(changed_at), txid],
            )
            return cursor.rowcount

        return bool(self._write(work))

    def note_lookup_failure(self, txid: str) -> int:
        """Count one wrong query code typed for this record; returns the count (0: unknown)."""

        def work() -> int:
            rows = self.db.execute(
                f"UPDATE {TABLE} SET lookup_failures = lookup_failures + 1 WHERE id = ?"
                " RETURNING lookup_failures",
                [txid],
            ).fetchall()
            return int(rows[0][0]) if rows else 0

        return int(self._write(work))

    def find_by_tracking(self, tracking_number: str) -> OutboxRecord | None:
        """The record whose receipt carries ``tracking_number`` (what a citizen types)."""
        with self._lock:
            self._connection()
            rows = list(self.db.query(
                f"SELECT {COLUMNS} FROM {TABLE} WHERE json_extract(receipt, '$.tracking_number')"
                " = ?", [tracking_number]))
        return OutboxRecord.from_row(rows[0]) if rows else None

    def requeue(self, txid: str) -> OutboxRecord:
        """A technician's retry: a quarantined or waiting record goes out at the next sync.

        Never touches a record the platform acked. Raises KeyError for an unknown id and
        OutboxError for a record in a state that cannot be sent again.
        """

        def work() -> None:
            row = self._row(txid)
            if row is None:
                raise KeyError(txid)
            if row["state"] not in ("pending", "quarantined"):
                raise OutboxError(f"record {txid} is {row['state']}: nothing to retry")
            if row["envelope"] is None:
                raise OutboxError(f"record {txid} has no payload left to send")
            self.db.execute(
                f"UPDATE {TABLE} SET state = 'pending', next_attempt_at = NULL, verdict = NULL,"
                " quarantined_at = NULL WHERE id = ?",
                [txid],
            )

        self._write(work)
        record = self.get(txid)
        assert record is not None
        return record

    def retry_now(self) -> int:
        """Make every pending record held back by :meth:`mark_retry` due at once ("sync now").

        The worker never needs it to send a backlog after an outage (link failures do not
        hold records back); it is for a technician who wants per-record holds lifted too.
        """

        def work() -> int:
            cursor = self.db.execute(
                f"UPDATE {TABLE} SET next_attempt_at = NULL"
                " WHERE state = 'pending' AND next_attempt_at IS NOT NULL"
            )
            return int(cursor.rowcount)

        return int(self._write(work))

    def recover_sending(self) -> int:
        """Records left ``sending`` by a crash go back to ``pending``; returns how many.

        The platform may already hold some of them: re-sending is safe, it answers
        ``duplicate`` for the same id and bytes.
        """

        def work() -> int:
            cursor = self.db.execute(
                f"UPDATE {TABLE} SET state = 'pending' WHERE state = 'sending'"
            )
            return int(cursor.rowcount)

        return int(self._write(work))

    def purge_expired(self, now: datetime | None = None) -> PurgeResult:
        """Apply the retention: drop sealed payloads, then rows, of records acked long enough.

        Only ``acked``/``purged`` records are touched; pending, sending and quarantined
        records are never removed, however old.
        """
        moment = now or self.clock.now()
        payload_cut = iso(moment - timedelta(seconds=self.retention.payload_seconds))
        receipt_cut = iso(moment - timedelta(seconds=self.retention.receipt_seconds))
        now_text = iso(moment)

        def work() -> PurgeResult:
            purged = self.db.execute(
                f"UPDATE {TABLE} SET state = 'purged', envelope = NULL, query_code = NULL,"
                " purged_at = ?"
                " WHERE state = 'acked' AND acked_at IS NOT NULL AND acked_at <= ?",
                [now_text, payload_cut],
            ).rowcount
            deleted = self.db.execute(
                f"DELETE FROM {TABLE} WHERE state = 'purged' AND acked_at IS NOT NULL"
                " AND acked_at <= ?",
                [receipt_cut],
            ).rowcount
            return PurgeResult(int(purged), int(deleted))

        result: PurgeResult = self._write(work)
        return result

    # -- closing -------------------------------------------------------------------------------

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def close(self) -> None:
        """Close the database and release the process lock. Safe to call twice."""
        with self._lock:
            self._release()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Outbox({self.path.name!r})"
