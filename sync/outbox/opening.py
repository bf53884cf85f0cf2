"""Opening an outbox file: the one-process lock beside it and the connection's settings.

One kiosk process per outbox file: a ``flock`` on ``<path>.lock`` (holding the owner's pid)
keeps a second process, or a maintenance command, from opening the same file for writing.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

from sync.file_modes import PRIVATE_DIRECTORY
from sync.outbox.errors import OutboxError, OutboxLockedError


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
    """WAL, ``synchronous=FULL``, foreign keys, secure delete, and the optional size cap."""
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
