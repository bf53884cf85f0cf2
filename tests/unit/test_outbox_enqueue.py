"""The enqueue path's cost: one transaction, nothing read back, no backlog scan per record.

Speed itself is measured in tests/bench (bench_enqueue); these tests pin down the shape that
makes it fast, and that the shortcuts (a running backlog tally, a record built from what was
written) give exactly the answers the slow way gave.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.outbox.errors import OutboxBacklogFullError
from sync.outbox.policy import BacklogLimits
from sync.outbox.store import Outbox
from sync.uuid7 import uuid7
from tests.support.clock import FakeClock

RECEIPT = {"name": "张*", "id_number": "2301**********001X", "service": "SS-001"}
BACKLOG_SCAN = "SUM(envelope_size)"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def tid() -> str:
    return str(uuid7())


def add(box: Outbox, size: int = 100, txid: str | None = None):  # type: ignore[no-untyped-def]
    return box.enqueue(txid or tid(), "SS-001", b"e" * size, RECEIPT, "20261121")


class Statements:
    """Every SQL statement the outbox's connection runs while recording."""

    def __init__(self, box: Outbox) -> None:
        self.box = box
        self.seen: list[str] = []

    def __enter__(self) -> list[str]:
        self.box.db.conn.set_trace_callback(self.seen.append)
        return self.seen

    def __exit__(self, *exc: object) -> None:
        self.box.db.conn.set_trace_callback(None)


@pytest.fixture
def box(tmp_path: Path, clock: FakeClock) -> Iterator[Outbox]:
    with Outbox(tmp_path / "o.db", clock=clock) as opened:
        yield opened


def test_enqueue_is_one_transaction_and_reads_nothing_back(box: Outbox) -> None:
    add(box)
    with Statements(box) as seen:
        add(box)
    assert seen[0] == "BEGIN IMMEDIATE"
    assert seen[-1] == "COMMIT"  # nothing after the commit: no read-back of the new row
    assert [s for s in seen if s in ("BEGIN IMMEDIATE", "COMMIT")] == seen[:1] + seen[-1:]
    assert not [s for s in seen if "SAVEPOINT" in s or "RELEASE" in s]
    assert not [s for s in seen if s.startswith("PRAGMA") and "data_version" not in s]
    # the kiosk and daily numbers come from one statement
    assert len([s for s in seen if "counters" in s]) == 1


def test_backlog_is_scanned_once_then_only_after_other_writes(box: Outbox) -> None:
    with Statements(box) as first:
        add(box)
    with Statements(box) as later:
        add(box)
        add(box)
    assert any(BACKLOG_SCAN in s for s in first)
    assert not any(BACKLOG_SCAN in s for s in later)  # was: one scan of the backlog per record
    box.mark_acked([box.ids()[0]])
    with Statements(box) as after_ack:
        add(box)
    assert any(BACKLOG_SCAN in s for s in after_ack)


def test_count_limit_follows_acks_made_between_enqueues(tmp_path: Path, clock: FakeClock) -> None:
    limits = BacklogLimits(warn_count=None, max_count=2, warn_bytes=None, max_bytes=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        first, _ = add(box), add(box)  # full: a third would be refused
        box.next_batch(1, 10_000)
        box.mark_acked([first.id])
        add(box)  # room again: one acked, two waiting
        with pytest.raises(OutboxBacklogFullError):
            add(box)


def test_limits_follow_changes_made_by_another_connection(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A technician's sqlite3 shell is not the contract, but must not make the tally lie."""
    limits = BacklogLimits(warn_count=None, max_count=2, warn_bytes=None, max_bytes=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        first, _ = add(box), add(box)
        other = sqlite3.connect(box.path, isolation_level=None)
        try:
            other.execute("UPDATE outbox SET state = 'acked' WHERE id = ?", (first.id,))
            add(box)  # the outside ack made room
            other.execute("UPDATE outbox SET state = 'pending' WHERE id = ?", (first.id,))
        finally:
            other.close()
        with pytest.raises(OutboxBacklogFullError):
            add(box)  # and taking it back fills the backlog again
        assert box.counts()["pending"] == 3


def test_bytes_limit_counts_stored_records_not_refused_ones(
    tmp_path: Path, clock: FakeClock
) -> None:
    limits = BacklogLimits(warn_bytes=None, max_bytes=1000, warn_count=None, max_count=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        add(box, size=900)
        with pytest.raises(OutboxBacklogFullError):
            add(box, size=101)  # refused after its numbers were taken: rolled back
        with pytest.raises(RuntimeError):
            box.enqueue(tid(), "SS-001", daily_key="20261121", build=_broken)
        add(box, size=50)
        add(box, size=50)  # exactly at the limit
        with pytest.raises(OutboxBacklogFullError):
            add(box, size=1)
        assert box.backlog_status().bytes == 1000


def _broken(daily_seq: int) -> tuple[bytes, dict[str, object]]:
    raise RuntimeError("no sealing key")


class IntClock(FakeClock):
    """A clock whose monotonic reading is an int (SQLite stores it as REAL)."""

    def monotonic(self) -> float:
        return int(self.mono)


def test_returned_record_is_what_a_read_gives(tmp_path: Path) -> None:
    receipt = {"lines": ("社保卡", 2), "nested": {"b": 1, "a": [None, True]}}
    with Outbox(tmp_path / "o.db", clock=IntClock()) as box:
        given = box.enqueue(tid(), "SS-001", b"sealed", receipt, "20261121")
        built = box.enqueue(
            tid(), "SS-002", daily_key="20261122", build=lambda n: (bytearray(b"x" * n), receipt)
        )
        again = box.enqueue(built.id, "SS-002", b"other", {}, "20261122")
        for record in (given, built, again):
            assert record == box.get(record.id)  # every field, envelope and receipt included
            assert isinstance(record.created_mono, float)
        assert given.receipt["lines"] == ["社保卡", 2]  # as stored (JSON), not the tuple given
        assert (built.seq, built.daily_seq, built.envelope_size) == (2, 1, 1)


def test_a_build_that_writes_does_not_fool_the_tally(tmp_path: Path, clock: FakeClock) -> None:
    """``build`` runs inside the enqueue transaction; whatever it changes is seen next time."""
    limits = BacklogLimits(warn_count=None, max_count=2, warn_bytes=None, max_bytes=None)
    with Outbox(tmp_path / "o.db", clock=clock, backlog=limits) as box:
        first = add(box)

        def build_and_ack(daily_seq: int) -> tuple[bytes, dict[str, object]]:
            box.db.execute("UPDATE outbox SET state = 'acked' WHERE id = ?", [first.id])
            return b"sealed", {}

        box.enqueue(tid(), "SS-001", daily_key="20261121", build=build_and_ack)
        add(box)  # one acked, two waiting: at the limit, not past it
        with pytest.raises(OutboxBacklogFullError):
            add(box)
