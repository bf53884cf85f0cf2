"""A write-ahead log that does not belong to its database file: an older one, or another's.

SQLite cannot tell. It lays the WAL's pages over the file and, when the result is a sound
b-tree, reads an older outbox; its first checkpoint then writes that over the newer file, and
the records only the file held are gone with nothing kept (a backup restored without its WAL,
a WAL copied from another state). Found by the salvage fuzz test
(tests/unit/test_outbox_salvage_fuzz.py).

A WAL only ever moves the outbox forward: counters never go down, a record or message not yet
acked is never deleted, and an acked record never comes back unacked. So when a WAL is there,
the file is read alone (``immutable=1``: SQLite ignores the WAL) and with it; a step backwards
makes the pair damaged, and the salvage, which reads both, keeps each record's furthest copy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_DONE = ("acked", "purged")

Progress = tuple[dict[str, int], dict[str, str], dict[str, str]]


def _progress(target: str) -> Progress | None:
    """(counters, state of each record, state of each message), or None if unreadable."""
    try:
        conn = sqlite3.connect(target, uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        counters = {str(k): int(v) for k, v in conn.execute("SELECT name, value FROM counters")}
        states = {str(k): str(v) for k, v in conn.execute("SELECT id, state FROM outbox")}
        try:
            messages = {str(k): str(v) for k, v in conn.execute("SELECT id, state FROM messages")}
        except sqlite3.OperationalError:  # an outbox from before the messages table
            messages = {}
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    return counters, states, messages


def _steps_back(alone: Progress, merged: Progress) -> list[str]:
    counters, states, messages = alone
    new_counters, new_states, new_messages = merged
    back = [name for name, value in counters.items() if new_counters.get(name, -1) < value]
    for txid, state in states.items():
        now = new_states.get(txid)
        if now is None:
            gone_early = state not in _DONE
        else:
            gone_early = (state in _DONE and now not in _DONE) or (state, now) == (
                "purged", "acked")
        if gone_early:
            back.append(txid)
    back += [m for m, state in messages.items() if state != "acked" and m not in new_messages]
    return back


def stale_wal(db: Path, with_wal: str) -> str | None:
    """Why the WAL beside ``db`` is not its own, or None.

    ``with_wal`` is a ``file:`` URI that reads ``db`` with its WAL (read-only, or a copy).
    """
    wal = Path(f"{db}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return None
    alone = _progress(f"file:{db.resolve()}?immutable=1")
    merged = _progress(with_wal)
    if alone is None or merged is None:
        return None  # one side unreadable: the integrity check judges the other
    back = _steps_back(alone, merged)
    if not back:
        return None
    return (f"the write-ahead log is older than the database file ({len(back)} counters or "
            "records would go back)")
