"""Outbox: a record's life after enqueue. Claimed oldest first in batches, retried when due,
acked or quarantined (leaving the queue), put back to pending by a reopen; its platform
status; read-only peeks beside the live kiosk; retention, which drops the payload and then
the row only after the platform acked it, overwriting the bytes on disk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.outbox.peek import peek_counts
from sync.outbox.policy import PurgeResult, Retention
from sync.outbox.store import Outbox
from tests.support.clock import FakeClock
from tests.support.outbox import (  # noqa: F401 (clock_fixture, outbox_fixture: fixtures)
    RECEIPT,
    add,
    clock_fixture,
    outbox_fixture,
    tid,
)


def test_next_batch_claims_oldest_due_and_marks_sending(outbox: Outbox) -> None:
    records = [add(outbox) for _ in range(5)]
    batch = outbox.next_batch(3, 10_000, outbox.clock.now())
    assert [r.id for r in batch] == [r.id for r in records[:3]]
    assert all(r.state == "sending" and r.attempts == 1 for r in batch)
    assert outbox.counts()["sending"] == 3
    assert [r.id for r in outbox.next_batch(10, 10_000)] == [r.id for r in records[3:]]
    assert outbox.next_batch(10, 10_000) == []


def test_next_batch_respects_bytes_but_always_returns_one(outbox: Outbox) -> None:
    big = add(outbox, size=5000)
    add(outbox, size=100)
    batch = outbox.next_batch(10, 1000)
    assert [r.id for r in batch] == [big.id]
    assert len(outbox.next_batch(10, 150)) == 1


def test_retry_waits_until_next_attempt_time(outbox: Outbox, clock: FakeClock) -> None:
    record = add(outbox)
    outbox.next_batch(10, 10_000)
    outbox.mark_retry([record.id], "platform unreachable", clock.wall + timedelta(seconds=30))
    again = outbox.get(record.id)
    assert again is not None
    assert again.state == "pending" and again.last_error == "platform unreachable"
    assert outbox.next_batch(10, 10_000) == []
    assert outbox.next_due_at() == clock.wall + timedelta(seconds=30)
    clock.advance(31)
    batch = outbox.next_batch(10, 10_000)
    assert [r.id for r in batch] == [record.id] and batch[0].attempts == 2


def test_retry_now_makes_backing_off_records_due(outbox: Outbox, clock: FakeClock) -> None:
    record = add(outbox)
    outbox.next_batch(1, 10_000)
    outbox.mark_retry([record.id], "down", clock.wall + timedelta(hours=1))
    assert outbox.next_batch(1, 10_000) == []
    assert outbox.retry_now() == 1
    assert [r.id for r in outbox.next_batch(1, 10_000)] == [record.id]


def test_acked_and_quarantined_records_leave_the_queue(outbox: Outbox, clock: FakeClock) -> None:
    ok, bad, waiting = add(outbox), add(outbox), add(outbox)
    outbox.next_batch(2, 10_000)
    outbox.mark_acked([ok.id], {ok.id: "duplicate"})
    outbox.mark_quarantined(bad.id, "same id, different payload", verdict="conflict")
    assert outbox.counts() == {
        "pending": 1,
        "sending": 0,
        "acked": 1,
        "quarantined": 1,
        "purged": 0,
    }
    acked, parked = outbox.get(ok.id), outbox.get(bad.id)
    assert acked is not None and acked.verdict == "duplicate" and acked.acked_at == clock.wall
    assert parked is not None and parked.last_error == "same id, different payload"
    assert [r.id for r in outbox.next_batch(10, 10_000)] == [waiting.id]


def test_acked_record_is_not_reopened_by_a_late_retry(outbox: Outbox, clock: FakeClock) -> None:
    record = add(outbox)
    outbox.next_batch(1, 10_000)
    outbox.mark_acked([record.id])
    outbox.mark_retry([record.id], "late", clock.wall)
    assert outbox.get(record.id).state == "acked"  # type: ignore[union-attr]


def test_reopen_puts_sending_records_back_to_pending(tmp_path: Path, clock: FakeClock) -> None:
    with Outbox(tmp_path / "o.db", clock=clock) as box:
        record = add(box)
        box.next_batch(1, 10_000)
    with Outbox(tmp_path / "o.db", clock=clock) as box:
        assert box.get(record.id).state == "pending"  # type: ignore[union-attr]


def test_oldest_pending_age_counts_from_creation(outbox: Outbox, clock: FakeClock) -> None:
    assert outbox.oldest_pending_age(clock.now()) is None
    first = add(outbox)
    clock.advance(60)
    add(outbox)
    clock.advance(15)
    assert outbox.oldest_pending_age(clock.now()) == 75.0
    outbox.next_batch(1, 10_000)
    outbox.mark_acked([first.id])
    assert outbox.oldest_pending_age(clock.now()) == 15.0


def test_peek_counts_reads_a_locked_outbox_without_writing(
    outbox: Outbox, clock: FakeClock
) -> None:
    first = add(outbox)
    add(outbox)
    outbox.next_batch(1, 10_000)
    outbox.mark_acked([first.id])
    before = outbox.path.stat().st_mtime_ns
    counts, oldest = peek_counts(outbox.path, now=clock.wall + timedelta(seconds=9))
    assert counts == {"pending": 1, "sending": 0, "acked": 1, "quarantined": 0, "purged": 0}
    assert oldest == 9.0
    assert outbox.path.stat().st_mtime_ns == before
    add(outbox)  # the live outbox still writes afterwards


def test_platform_status_is_kept_and_found_by_tracking_number(tmp_path: Path) -> None:
    with Outbox(tmp_path / "outbox.db") as box:
        record = box.enqueue(tid(), "SS-001", daily_key="20261121",
                             build=lambda seq: (b"e" * 10, {"tracking_number": f"K0451-{seq}"}))
        assert box.find_by_tracking("K0451-1").id == record.id
        assert box.find_by_tracking("K0451-2") is None
        when = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
        assert box.set_platform_status(record.id, "ready_for_pickup", when)
        assert not box.set_platform_status(tid(), "approved", when)  # unknown id: no row
        found = box.get(record.id)
        assert found.platform_status == "ready_for_pickup" and found.status_changed_at == when


def _acked(box: Outbox, clock: FakeClock, marker: bytes = b"") -> str:
    txid = tid()
    box.enqueue(txid, "SS-001", marker + b"e" * 100, RECEIPT, "20261121")
    box.next_batch(1, 10_000)
    box.mark_acked([txid])
    return txid


def test_retention_drops_payload_then_row_only_after_ack(tmp_path: Path, clock: FakeClock) -> None:
    retention = Retention(payload_seconds=3600, receipt_seconds=7200)
    with Outbox(tmp_path / "o.db", clock=clock, retention=retention) as box:
        old = _acked(box, clock)
        waiting, parked, sending = add(box), add(box), add(box)
        box.next_batch(2, 10_000)
        box.mark_retry([waiting.id], "down", clock.wall + timedelta(days=400))
        box.mark_quarantined(parked.id, "rejected", verdict="rejected")
        box.next_batch(1, 10_000)  # `sending` stays claimed
        clock.advance(1800)
        young = _acked(box, clock)
        clock.advance(1800)  # old: acked 3600 s ago; young: 1800 s ago
        assert box.purge_expired() == PurgeResult(purged=1, deleted=0)
        purged = box.get(old)
        assert purged is not None and purged.state == "purged" and purged.envelope is None
        assert purged.receipt == RECEIPT and purged.purged_at == clock.wall
        assert box.get(young).state == "acked"  # type: ignore[union-attr]
        clock.advance(3600)  # old: acked 7200 s ago -> row goes; young's payload goes
        result = box.purge_expired()
        assert (result.purged, result.deleted) == (1, 1)
        assert box.get(old) is None
        clock.advance(365 * 86400)  # a year on: what the platform never acked is all there
        box.purge_expired()
        assert {r: box.get(r).state for r in (waiting.id, parked.id, sending.id)} == {  # type: ignore[union-attr]
            waiting.id: "pending",
            parked.id: "quarantined",
            sending.id: "sending",
        }
        assert box.get(waiting.id).envelope is not None  # type: ignore[union-attr]


def test_purged_payload_bytes_are_overwritten_on_disk(tmp_path: Path, clock: FakeClock) -> None:
    marker = b"UNIQUE-SEALED-MARKER-0451"
    path = tmp_path / "o.db"
    with Outbox(path, clock=clock, retention=Retention(0, 3600)) as box:
        _acked(box, clock, marker)
        clock.advance(1)
        assert box.purge_expired().purged == 1
        box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = path.read_bytes() + (
        Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b""
    )
    assert marker not in raw


def test_retention_must_keep_receipts_at_least_as_long_as_payloads() -> None:
    with pytest.raises(ValueError):
        Retention(payload_seconds=10, receipt_seconds=5)


def test_query_code_stays_out_of_the_record_repr_and_goes_with_the_payload(
    tmp_path: Path, clock: FakeClock
) -> None:
    box = Outbox(tmp_path / "o.db", clock=clock, retention=Retention(60, 120))
    try:
        txid = tid()
        record = box.enqueue(txid, "SS-001", b"e" * 10, RECEIPT, "20261121", query_code="90817263")
        assert record.query_code == "90817263" and "90817263" not in repr(record)
        box.next_batch(1, 10_000)
        box.mark_acked([txid])
        clock.advance(61)
        box.purge_expired()
        purged = box.get(txid)
        assert purged is not None and purged.state == "purged"
        assert purged.envelope is None and purged.query_code is None  # the upload copy goes
    finally:
        box.close()
