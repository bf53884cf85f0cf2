"""What a durable enqueue writes, and what it leaves to the sync worker (docs/performance.md).

Schema v6: each query the kiosk runs keeps an index, and a new record is written into only
the indexes a pending record needs (every index page a commit writes is part of what an
enqueue costs). The checkpoint (copying the WAL into the database file) is the worker's, once
a round, so an enqueue seldom meets it: a commit is durable in the WAL already.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import free_port
from tests.support.sync_worker import wait_for

RECEIPT = {"service": "SS-001"}

QUERIES = {
    "claim a batch": "SELECT id FROM outbox WHERE state = 'pending'"
    " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
    "backlog totals": "SELECT COUNT(*), COALESCE(SUM(envelope_size), 0) FROM outbox"
    " WHERE state IN ('pending', 'sending')",
    "oldest waiting": "SELECT MIN(created_at) FROM outbox WHERE state IN ('pending', 'sending')",
    "next due": "SELECT COUNT(*), MIN(COALESCE(next_attempt_at, '')) FROM outbox"
    " WHERE state = 'pending'",
    "quarantined": "SELECT COUNT(*) FROM outbox WHERE state = 'quarantined'",
    "drop payloads": "UPDATE outbox SET state = 'purged' WHERE state = 'acked'"
    " AND acked_at IS NOT NULL AND acked_at <= ?",
    "drop rows": "DELETE FROM outbox WHERE state = 'purged' AND acked_at IS NOT NULL"
    " AND acked_at <= ?",
}


def index_entries(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        rows = conn.execute(
            "SELECT name, SUM(ncell) FROM dbstat WHERE pagetype = 'leaf' GROUP BY name"
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    return {name: int(n) for name, n in rows}


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_query_of_the_kiosk_searches_an_index(tmp_path: Path, name: str) -> None:
    with Outbox(tmp_path / "o.db") as box:
        sql = QUERIES[name]
        plan = " | ".join(
            row[-1] for row in box.db.conn.execute(
                "EXPLAIN QUERY PLAN " + sql, ["x"] * sql.count("?")))
    assert "USING" in plan and "SCAN outbox" not in plan, plan


def test_a_pending_record_enters_the_due_index_and_not_the_retention_one(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.db") as box:
        ids = [str(uuid7()) for _ in range(3)]
        for txid in ids:
            box.enqueue(txid, "SS-001", b"e" * 100, RECEIPT, "20261121")
        conn = box.db.conn
        names = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'"
            " AND sql IS NOT NULL")}
        assert names == {"outbox_due", "outbox_retention"}
        entries = index_entries(conn)
        assert entries["outbox_due"] == 3
        assert entries.get("outbox_retention", 0) == 0
        box.mark_acked(ids[:1])  # acked: now it waits for the retention, so it is listed there
        assert index_entries(conn)["outbox_retention"] == 1
        box.purge_expired()  # and the purge still finds nothing to do before its time
        assert box.counts()["acked"] == 1


def rows_in_the_file_itself(path: Path) -> int:
    """Records in the database file, not counting what still waits in its WAL."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'outbox'").fetchone():
            return 0  # not even the table has reached the file yet
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
    finally:
        conn.close()


def enqueue_some(box: Outbox, n: int) -> None:
    for _ in range(n):
        box.enqueue(str(uuid7()), "SS-001", b"e" * 1000, RECEIPT, "20261121")


def test_a_checkpoint_copies_what_the_enqueues_left_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    with Outbox(path) as box:
        enqueue_some(box, 20)  # well under the threshold: durable in the WAL only
        assert rows_in_the_file_itself(path) == 0
        assert box.checkpoint() == 0
        assert rows_in_the_file_itself(path) == 20
        assert box.counts()["pending"] == 20


def test_the_worker_checkpoints_in_its_round_even_while_the_platform_is_away(
    tmp_path: Path,
) -> None:
    path = tmp_path / "o.db"
    with Outbox(path) as box:
        enqueue_some(box, 3)
        client = PlatformClient(f"http://127.0.0.1:{free_port()}", "K0451", timeout=0.5)
        worker = SyncWorker(box, client, interval=0.05)
        worker.start()
        try:
            wait_for(lambda: rows_in_the_file_itself(path) == 3)
        finally:
            assert worker.stop(5.0)
            client.close()
