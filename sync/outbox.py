"""The durable outbox: one SQLite file holding every sealed submission until the platform acks it.

Why it looks like this:
- a printed receipt promises durability, so ``enqueue`` commits (WAL, ``synchronous=FULL``)
  before it returns, and allocates the kiosk and daily sequence numbers in that same
  transaction;
- one writer: every write goes through one lock in this process, and a ``flock`` on
  ``<path>.lock`` keeps a second process (or a maintenance command) from opening the
  same outbox for writing;
- the transaction id is the idempotency key: enqueueing it twice returns the first record.

Times are UTC-aware datetimes from an injected clock (``now()``) plus a monotonic reading
(``monotonic()``), stored as ISO-8601 text in one fixed format so they sort as text.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import sqlite_utils

from sync.sealing import payload_hash as hash_envelope

SCHEMA_VERSION = 1
STATES = ("pending", "sending", "acked", "quarantined", "purged")
_TABLE = "outbox"
_COLUMNS = (
    "id, seq, daily_key, daily_seq, service_code, created_at, created_mono, state, attempts, "
    "next_attempt_at, last_error, envelope, payload_hash, receipt, acked_at, verdict"
)


class OutboxError(Exception):
    """The outbox could not do what was asked; nothing was half-written."""


class OutboxFullError(OutboxError):
    """The disk (or the configured size cap) is full; the record was not stored."""


class OutboxLockedError(OutboxError):
    """Another process holds this outbox open for writing."""


class Clock(Protocol):
    """What the outbox needs to know about time (the kiosk injects its own clock)."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clock: UTC wall time and ``time.monotonic``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


def iso(moment: datetime) -> str:
    """One fixed, sortable text form for UTC instants."""
    if moment.tzinfo is None:
        raise ValueError("datetimes in the outbox must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_iso(text: str | None) -> datetime | None:
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
            next_attempt_at=_parse_iso(row["next_attempt_at"]),
            last_error=row["last_error"],
            payload_hash=row["payload_hash"],
            acked_at=_parse_iso(row["acked_at"]),
            verdict=row["verdict"],
            envelope=row["envelope"],
            receipt=json.loads(row["receipt"]),
        )


def _migrate_v1(db: sqlite_utils.Database) -> None:
    db.execute(
        f"""CREATE TABLE {_TABLE} (
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
    db.table(_TABLE).create_index(["state", "next_attempt_at", "seq"], index_name="outbox_due")
    db.execute("CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")


_MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_v1]


class Outbox:
    """The kiosk's outbox. Thread-safe; one instance per process per file (see module doc)."""

    def __init__(
        self,
        path: Path,
        clock: Clock | None = None,
        *,
        max_size_bytes: int | None = None,
        busy_timeout_s: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._lock_fd = self._take_file_lock()
        try:
            self._conn = sqlite3.connect(
                str(self.path),
                isolation_level=None,
                check_same_thread=False,
                timeout=busy_timeout_s,
            )
            self.db = sqlite_utils.Database(self._conn)
            self._configure(max_size_bytes)
            self._migrate()
            self.recover_sending()
        except sqlite3.Error as exc:
            self._release()
            raise OutboxError(f"cannot open the outbox: {exc}") from exc
        except BaseException:
            self._release()
            raise

    # -- opening -------------------------------------------------------------------------------

    def _take_file_lock(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise OutboxError(f"outbox cannot use WAL (journal mode {mode})")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        if max_size_bytes is not None:
            page_size = self._conn.execute("PRAGMA page_size").fetchone()[0]
            self._conn.execute(f"PRAGMA max_page_count={max(1, int(max_size_bytes) // page_size)}")

    def _migrate(self) -> None:
        with self._lock:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxError(
                    f"outbox schema v{version} is newer than this software (v{SCHEMA_VERSION})"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    _MIGRATIONS[target - 1](self.db)
                    self._conn.execute(f"PRAGMA user_version={target}")
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise

    # -- writing -------------------------------------------------------------------------------

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _write(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in one IMMEDIATE transaction; map sqlite failures to OutboxError."""
        with self._lock:
            self._require_open()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                result = work()
                self._conn.execute("COMMIT")
                return result
            except sqlite3.Error as exc:
                self._rollback()
                if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                    raise OutboxFullError("the outbox is full; the record was not stored") from exc
                raise OutboxError(f"the outbox could not store the change: {exc}") from exc
            except BaseException:
                self._rollback()
                raise

    def _bump(self, name: str) -> int:
        self.db.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1",
            [name],
        )
        row = self.db.execute("SELECT value FROM counters WHERE name = ?", [name]).fetchone()
        return int(row[0])

    def enqueue(
        self,
        txid: str,
        service_code: str,
        envelope: bytes | None = None,
        receipt: dict[str, Any] | None = None,
        daily_key: str = "",
        *,
        build: Callable[[int], tuple[bytes, dict[str, Any]]] | None = None,
    ) -> OutboxRecord:
        """Store a sealed submission durably; idempotent on ``txid``.

        Returns the record with its kiosk ``seq`` and ``daily_seq`` (the tracking number's
        counter for ``daily_key``). A second call with the same ``txid`` returns the first
        record unchanged, whatever it carries (re-sealing gives different bytes).

        Either pass ``envelope`` and ``receipt``, or ``build(daily_seq) -> (envelope,
        receipt)``: it runs inside the transaction once the counter is allocated, so a
        tracking number built from ``daily_seq`` can be sealed into the envelope. If
        ``build`` raises, nothing is stored, no number is used, and its exception propagates.
        """
        if not txid or not service_code or not daily_key:
            raise ValueError("txid, service_code and daily_key must not be empty")
        if (build is None) == (envelope is None):
            raise ValueError("pass either envelope and receipt, or build")
        if build is None:
            fixed = (self._check_envelope(envelope), receipt or {})
        now = self.clock.now()
        mono = self.clock.monotonic()

        def work() -> None:
            if self._row(txid) is not None:
                return
            seq = self._bump("seq")
            daily_seq = self._bump(f"daily:{daily_key}")
            sealed, record = fixed if build is None else build(daily_seq)
            sealed = self._check_envelope(sealed)
            self.db.execute(
                f"INSERT INTO {_TABLE} (id, seq, daily_key, daily_seq, service_code, created_at,"
                " created_mono, state, attempts, envelope, payload_hash, receipt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
                [
                    txid,
                    seq,
                    daily_key,
                    daily_seq,
                    service_code,
                    iso(now),
                    mono,
                    sealed,
                    hash_envelope(sealed),
                    json.dumps(record, ensure_ascii=False, sort_keys=True),
                ],
            )

        self._write(work)
        stored = self.get(txid)
        if stored is None:  # cannot happen after a committed insert; never assert it away
            raise OutboxError("the stored record could not be read back")
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
                f"SELECT {_COLUMNS} FROM {_TABLE} WHERE state = 'pending'"
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
            for record in chosen:
                self.db.execute(
                    f"UPDATE {_TABLE} SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                    [record.id],
                )
            return chosen

        claimed: list[OutboxRecord] = self._write(work)
        return [self.get(r.id) or r for r in claimed]

    def mark_acked(self, ids: Iterable[str], verdicts: Mapping[str, str] | None = None) -> None:
        """The platform has the records (accepted or duplicate): they are safe to purge later."""
        id_list = list(ids)
        now_text = iso(self.clock.now())

        def work() -> None:
            for txid in id_list:
                verdict = (verdicts or {}).get(txid, "accepted")
                self.db.execute(
                    f"UPDATE {_TABLE} SET state = 'acked', acked_at = ?, verdict = ?,"
                    " last_error = NULL, next_attempt_at = NULL"
                    " WHERE id = ? AND state IN ('pending', 'sending')",
                    [now_text, verdict, txid],
                )

        self._write(work)

    def mark_quarantined(self, txid: str, reason: str, verdict: str | None = None) -> None:
        """Park a record the platform refused for good; it stays visible to technicians."""

        def work() -> None:
            self.db.execute(
                f"UPDATE {_TABLE} SET state = 'quarantined', last_error = ?, verdict = ?,"
                " next_attempt_at = NULL WHERE id = ? AND state IN ('pending', 'sending')",
                [reason, verdict, txid],
            )

        self._write(work)

    def mark_retry(self, ids: Iterable[str], error: str, next_attempt_at: datetime) -> None:
        """Return records to the queue after a transient failure, due at ``next_attempt_at``."""
        id_list = list(ids)
        when = iso(next_attempt_at)

        def work() -> None:
            for txid in id_list:
                self.db.execute(
                    f"UPDATE {_TABLE} SET state = 'pending', last_error = ?, next_attempt_at = ?"
                    " WHERE id = ? AND state = 'sending'",
                    [error, when, txid],
                )

        self._write(work)

    def retry_now(self) -> int:
        """Make every backing-off pending record due at once (platform is back; "sync now")."""

        def work() -> int:
            cursor = self.db.execute(
                f"UPDATE {_TABLE} SET next_attempt_at = NULL"
                " WHERE state = 'pending' AND next_attempt_at IS NOT NULL"
            )
            return int(cursor.rowcount)

        return int(self._write(work))

    def recover_sending(self) -> int:
        """Records left ``sending`` by a crash go back to ``pending``; returns how many."""

        def work() -> int:
            cursor = self.db.execute(
                f"UPDATE {_TABLE} SET state = 'pending' WHERE state = 'sending'"
            )
            return int(cursor.rowcount)

        return int(self._write(work))

    # -- reading -------------------------------------------------------------------------------

    def _row(self, txid: str) -> dict[str, Any] | None:
        self._require_open()
        rows = list(self.db.query(f"SELECT {_COLUMNS} FROM {_TABLE} WHERE id = ?", [txid]))
        return rows[0] if rows else None

    def _require_open(self) -> None:
        if self._conn is None:
            raise OutboxError("outbox is closed")

    def get(self, txid: str) -> OutboxRecord | None:
        """The record for ``txid``, or None."""
        with self._lock:
            row = self._row(txid)
        return OutboxRecord.from_row(row) if row else None

    def counts(self) -> dict[str, int]:
        """Number of records in each state (every state present, zero included)."""
        with self._lock:
            self._require_open()
            rows = self.db.query(f"SELECT state, COUNT(*) AS n FROM {_TABLE} GROUP BY state")
            found = {row["state"]: row["n"] for row in rows}
        return {state: int(found.get(state, 0)) for state in STATES}

    def oldest_pending_age(self, now: datetime | None = None) -> float | None:
        """Seconds since the oldest not-yet-acked record was created, or None if none wait."""
        with self._lock:
            self._require_open()
            row = self._conn.execute(
                f"SELECT MIN(created_at) FROM {_TABLE} WHERE state IN ('pending', 'sending')"
            ).fetchone()
        if row[0] is None:
            return None
        age = (now or self.clock.now()) - datetime.fromisoformat(row[0])
        return max(0.0, age.total_seconds())

    def next_due_at(self) -> datetime | None:
        """When the earliest pending record becomes due (None if nothing is pending).

        A pending record that never failed is due now; the worker sleeps until this time.
        """
        with self._lock:
            self._require_open()
            row = self._conn.execute(
                f"SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM {_TABLE}"
                " WHERE state = 'pending'"
            ).fetchone()
        if not row[0]:
            return None
        return self.clock.now() if row[1] == "" else datetime.fromisoformat(row[1])

    # -- closing -------------------------------------------------------------------------------

    def _release(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None  # type: ignore[assignment]
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None  # type: ignore[assignment]

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


def peek_counts(path: Path, now: datetime | None = None) -> tuple[dict[str, int], float | None]:
    """Read-only look at an outbox another process may hold: (counts per state, oldest age).

    Takes no lock and writes nothing, so ``kiosk diagnose`` can run beside a live kiosk.
    """
    uri = f"file:{Path(path).resolve()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=2.0)
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
            return {state: 0 for state in STATES}, None
        found = dict(conn.execute(f"SELECT state, COUNT(*) FROM {_TABLE} GROUP BY state"))
        oldest = conn.execute(
            f"SELECT MIN(created_at) FROM {_TABLE} WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
    except sqlite3.Error as exc:
        raise OutboxError(f"cannot read the outbox: {exc}") from exc
    finally:
        conn.close()
    counts = {state: int(found.get(state, 0)) for state in STATES}
    if oldest is None:
        return counts, None
    age = (now or datetime.now(UTC)) - datetime.fromisoformat(oldest)
    return counts, max(0.0, age.total_seconds())
