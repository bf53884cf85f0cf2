"""Opening an outbox file: the one-process lock beside it, the connection's settings, and
:class:`OutboxWriter`, the one writer the submissions and the messages share.

One kiosk process per outbox file: a ``flock`` on ``<path>.lock`` (holding the owner's pid)
keeps a second process, or a maintenance command, from opening the same file for writing.
Within the process every write goes through :meth:`OutboxWriter.write`, under one lock.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from sync.file_modes import PRIVATE_DIRECTORY, private_database
from sync.outbox.errors import OutboxError, OutboxFullError, OutboxLockedError

T = TypeVar("T")

#: WAL pages past which a commit checkpoints by itself (SQLite's default, kept on purpose: a
#: WAL that keeps growing makes every fsync commit the file's new size too). The sync worker
#: checkpoints every round (:meth:`sync.outbox.store.Outbox.checkpoint`), so on a kiosk the
#: WAL rarely gets near it and a citizen's enqueue does not pay for the copy
#: (docs/performance.md).
AUTOCHECKPOINT_PAGES = 1000


def take_file_lock(path: Path) -> int:
    """Lock ``<path>.lock`` for this process; the open descriptor (OutboxLockedError if held)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise OutboxLockedError(f"outbox {path.name} is open in another process") from exc
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def release_file_lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def configure(conn: sqlite3.Connection, max_size_bytes: int | None) -> None:
    """WAL, ``synchronous=FULL``, the checkpoint threshold, foreign keys, secure delete, and
    the optional size cap."""
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise OutboxError(f"outbox cannot use WAL (journal mode {mode})")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
    conn.execute("PRAGMA foreign_keys=ON")
    # Dropped payloads and receipts are overwritten, not just unlinked from the tree.
    conn.execute("PRAGMA secure_delete=ON")
    if max_size_bytes is not None:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={max(1, int(max_size_bytes) // page_size)}")


class OutboxWriter:
    """The one writer of an outbox file: its process lock, its connection, one lock in-process.

    Made in two steps so that a damaged file can be moved aside between them: the constructor
    takes the file lock, :meth:`connect` opens the (new or recovered) file. ``write`` runs a
    unit of work in one IMMEDIATE transaction; ``read`` runs one under the same lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._lock_fd: int | None = take_file_lock(path)
        self._conn: sqlite3.Connection | None = None
        self.db: sqlite_utils.Database | None = None

    def connect(self, busy_timeout_s: float, max_size_bytes: int | None) -> sqlite_utils.Database:
        """Open the file (0600 before SQLite makes it, its -wal and -shm) with its settings."""
        try:
            private_database(self.path)
        except OSError as exc:
            raise OutboxError(f"cannot open the outbox: {exc}") from exc
        self._conn = sqlite3.connect(
            str(self.path), isolation_level=None, check_same_thread=False,
            timeout=busy_timeout_s,
        )
        self.db = sqlite_utils.Database(self._conn)
        configure(self._conn, max_size_bytes)
        return self.db

    def connection(self) -> sqlite3.Connection:
        """The open connection (OutboxError once closed)."""
        if self._conn is None:
            raise OutboxError("outbox is closed")
        return self._conn

    def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` under the writer's lock (reads see no half-done write)."""
        with self.lock:
            return work(self.connection())

    def write(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in one IMMEDIATE transaction; map sqlite failures to OutboxError."""
        with self.lock:
            conn = self.connection()
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

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection and release the file lock. Safe to call twice."""
        with self.lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
            fd, self._lock_fd = self._lock_fd, None
            if fd is not None:
                release_file_lock(fd)
