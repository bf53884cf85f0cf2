"""Outbox: a durable, idempotent enqueue (committed before it returns, surviving a process
that dies), its numbering (sequences, the daily sequence inside the transaction), and what
it refuses (an empty envelope, a full disk, a backlog past its hard limits)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync.outbox.errors import OutboxBacklogFullError, OutboxError, OutboxFullError
from sync.outbox.policy import BacklogLimits
from sync.outbox.schema import SCHEMA_VERSION
from sync.outbox.store import Outbox
from tests.support.clock import FakeClock
from tests.support.outbox import (  # noqa: F401 (clock_fixture, outbox_fixture: fixtures)
    RECEIPT,
    add,
    clock_fixture,
    outbox_fixture,
    run_python,
    tid,
)


def test_enqueue_is_committed_before_it_returns(outbox: Outbox) -> None:
    record = add(outbox)
    other = sqlite3.connect(outbox.path)
    try:
        rows = other.execute("SELECT id, state FROM outbox").fetchall()
    finally:
        other.close()
    assert rows == [(record.id, "pending")]


def test_outbox_uses_wal_full_sync_and_schema_version(outbox: Outbox) -> None:
    assert outbox.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert outbox.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_record_survives_a_process_that_dies_without_closing(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    result = run_python(f"""
        import os
        from pathlib import Path
        from sync.outbox.store import Outbox
        box = Outbox(Path({str(path)!r}))
        rec = box.enqueue("0190a000-0000-7000-8000-000000000001", "SS-001", b"sealed",
                          {{"name": "张*"}}, "20261121")
        print(rec.seq, rec.daily_seq, flush=True)
        os._exit(0)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]
    with Outbox(path) as box:  # the dead process's lock is gone with it
        record = box.get("0190a000-0000-7000-8000-000000000001")
    assert record is not None
    assert record.envelope == b"sealed" and record.receipt == {"name": "张*"}
    assert record.state == "pending"


def test_enqueue_twice_with_same_txid_returns_first_record(outbox: Outbox) -> None:
    txid = tid()
    first = outbox.enqueue(txid, "SS-001", b"first-seal", RECEIPT, "20261121")
    again = outbox.enqueue(txid, "SS-001", b"second-seal", RECEIPT, "20261121")
    assert again == first
    assert again.envelope == b"first-seal"
    assert outbox.counts()["pending"] == 1


def test_sequences_increment_and_daily_seq_restarts_per_day(outbox: Outbox) -> None:
    day1 = [add(outbox, day="20261121") for _ in range(3)]
    day2 = [add(outbox, day="20261122") for _ in range(2)]
    assert [r.seq for r in day1 + day2] == [1, 2, 3, 4, 5]
    assert [r.daily_seq for r in day1] == [1, 2, 3]
    assert [r.daily_seq for r in day2] == [1, 2]
    assert add(outbox, day="20261121").daily_seq == 4


def test_sequences_continue_after_reopen(tmp_path: Path, clock: FakeClock) -> None:
    with Outbox(tmp_path / "o.db", clock=clock) as box:
        add(box)
        add(box)
    with Outbox(tmp_path / "o.db", clock=clock) as box:
        record = add(box)
    assert (record.seq, record.daily_seq) == (3, 3)


def test_record_stores_times_hash_and_masked_receipt(outbox: Outbox, clock: FakeClock) -> None:
    record = add(outbox)
    assert record.created_at == clock.wall and record.created_mono == clock.mono
    assert len(record.payload_hash) == 64
    assert record.receipt == RECEIPT
    assert "张" not in repr(record) and "2301" not in repr(record)


def test_records_are_hashable_by_value(outbox: Outbox) -> None:
    record = add(outbox)
    assert record in {record}


def test_enqueue_refuses_empty_envelope(outbox: Outbox) -> None:
    with pytest.raises(ValueError):
        outbox.enqueue(tid(), "SS-001", b"", RECEIPT, "20261121")


def test_build_receives_the_daily_seq_inside_the_transaction(outbox: Outbox) -> None:
    add(outbox)
    seen: list[int] = []

    def build(daily_seq: int) -> tuple[bytes, dict[str, object]]:
        seen.append(daily_seq)
        return f"sealed {daily_seq}".encode(), {
            "tracking_number": f"K0451-20261121-{daily_seq:04d}"
        }

    txid = tid()
    record = outbox.enqueue(txid, "SS-001", daily_key="20261121", build=build)
    assert seen == [2]
    assert record.daily_seq == 2 and record.envelope == b"sealed 2"
    assert record.receipt == {"tracking_number": "K0451-20261121-0002"}
    again = outbox.enqueue(txid, "SS-001", daily_key="20261121", build=build)
    assert seen == [2] and again == record  # the existing record; build is not called again


def test_failing_build_stores_nothing_and_uses_no_number(outbox: Outbox) -> None:
    def broken(daily_seq: int) -> tuple[bytes, dict[str, object]]:
        raise RuntimeError("no sealing key")

    with pytest.raises(RuntimeError, match="no sealing key"):
        outbox.enqueue(tid(), "SS-001", daily_key="20261121", build=broken)
    assert sum(outbox.counts().values()) == 0
    assert (add(outbox).seq, add(outbox).daily_seq) == (1, 2)


def test_enqueue_needs_exactly_one_of_envelope_or_build(outbox: Outbox) -> None:
    with pytest.raises(ValueError):
        outbox.enqueue(tid(), "SS-001", daily_key="20261121")
    with pytest.raises(ValueError):
        outbox.enqueue(tid(), "SS-001", b"x", {}, "20261121", build=lambda n: (b"y", {}))


def test_full_disk_raises_outbox_full_and_leaves_no_partial_row(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db", max_size_bytes=64 * 1024)
    stored = []
    with pytest.raises(OutboxFullError):
        for _ in range(100):
            stored.append(add(box, size=4000))
    assert stored, "the cap should leave room for a few records"
    counts = box.counts()
    assert counts["pending"] == len(stored)
    rows = box.db.execute("SELECT MAX(seq), COUNT(*) FROM outbox").fetchone()
    assert rows == (len(stored), len(stored))
    counters = dict(box.db.execute("SELECT name, value FROM counters").fetchall())
    assert counters == {"seq": len(stored), "daily:20261121": len(stored)}
    box.close()
    with Outbox(tmp_path / "o.db") as reopened:  # no cap: everything stored is intact
        assert reopened.counts()["pending"] == len(stored)
        assert add(reopened).seq == len(stored) + 1


def test_backlog_status_warns_on_age_count_and_bytes(tmp_path: Path, clock: FakeClock) -> None:
    limits = BacklogLimits(
        warn_age_seconds=600, warn_count=2, warn_bytes=250, max_count=10, max_bytes=10_000
    )
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        status = box.backlog_status()
        assert status.ok and status.count == 0 and status.oldest_age_seconds is None
        add(box)
        add(box)
        assert box.backlog_status().ok
        clock.advance(601)
        assert box.backlog_status().warnings == ("age",)
        add(box)
        status = box.backlog_status()
        assert status.warnings == ("age", "count", "bytes")
        assert (status.count, status.bytes, status.full) == (3, 300, False)
        assert "3 waiting" in status.describe()


def test_enqueue_past_the_hard_count_is_refused_and_uses_no_number(
    tmp_path: Path, clock: FakeClock
) -> None:
    limits = BacklogLimits(warn_count=1, max_count=3, warn_bytes=None, max_bytes=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        first, *_ = [add(box) for _ in range(3)]
        assert box.backlog_status().full
        with pytest.raises(OutboxBacklogFullError) as refused:
            add(box)
        assert refused.value.code == "backlog_full"
        assert "not submitted" in str(refused.value) and "staff" in str(refused.value)
        assert isinstance(refused.value, OutboxError)  # the kiosk's submit path catches it
        assert sum(box.counts().values()) == 3
        assert add(box, txid=first.id) == first  # idempotent replay still answers
        box.next_batch(1, 10_000)
        box.mark_acked([first.id])
        assert (add(box).seq, box.backlog_status().full) == (4, True)


def test_enqueue_past_the_hard_bytes_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    limits = BacklogLimits(warn_bytes=100, max_bytes=1000, warn_count=None, max_count=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        add(box, size=900)
        with pytest.raises(OutboxBacklogFullError):
            add(box, size=101)
        assert add(box, size=100).seq == 2
