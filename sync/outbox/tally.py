"""A running count of the outbox's backlog, so ``enqueue`` need not scan it every time.

The backlog check on every enqueue used to read every pending and sending record's size
(a scan that grows with the backlog: at the hard limit, 20 000 index entries per record).
The tally keeps the figures from the last scan and adds each record enqueue stores. It is
trusted only while nothing else changed the file: it remembers the connection's
``total_changes`` (every row this connection inserted, updated or deleted, whichever method
did it, committed or rolled back) and SQLite's ``data_version`` (which moves when another
connection commits). If either moved, the next enqueue scans again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


class BacklogTally:
    """(count, bytes) of the backlog, re-scanned whenever anything but enqueue wrote."""

    def __init__(self) -> None:
        self._mark: tuple[int, int] | None = None
        self._count = 0
        self._bytes = 0

    @staticmethod
    def _now(conn: sqlite3.Connection) -> tuple[int, int]:
        return conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0])

    def totals(
        self, conn: sqlite3.Connection, scan: Callable[[], tuple[int, int]]
    ) -> tuple[int, int]:
        """The backlog's (count, bytes); call inside the write transaction, before writing."""
        mark = self._now(conn)
        if mark != self._mark:
            self._mark = None
            self._count, self._bytes = scan()
            self._mark = mark
        return self._count, self._bytes

    def added(self, conn: sqlite3.Connection, size: int, own_changes: int) -> None:
        """One record of ``size`` bytes was committed, in a transaction that began with
        :meth:`totals` and changed ``own_changes`` rows itself.

        Call after the commit returned, still holding the writer lock. If anything else
        changed rows in between, the tally is dropped and the next enqueue scans again.
        """
        if self._mark is None or conn.total_changes != self._mark[0] + own_changes:
            self._mark = None
            return
        self._count += 1
        self._bytes += size
        # Our own commit leaves data_version alone, and no one else could commit while
        # this connection held the write lock, so only total_changes moved.
        self._mark = (conn.total_changes, self._mark[1])

    def forget(self) -> None:
        """Scan again next time (an enqueue failed part-way, for example)."""
        self._mark = None
