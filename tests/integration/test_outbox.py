"""Outbox: durable, idempotent enqueue; sequences; states; one writer; disk full."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.outbox.errors import (
    OutboxBacklogFullError,
    OutboxError,
    OutboxFullError,
    OutboxLockedError,
)
from sync.outbox.peek import peek_counts
from sync.outbox.policy import BacklogLimits, PurgeResult, Retention
from sync.outbox.schema import MIGRATIONS, SCHEMA_VERSION
from sync.outbox.store import Outbox
from sync.uuid7 import uuid7
from tests.support.clock import FakeClock

ROOT = Path(__file__).resolve().parents[2]
RECEIPT = {"name": "张*", "id_number": "2301**********001X", "service": "SS-001"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock):
    box = Outbox(tmp_path / "outbox.db", clock=clock)
    yield box
    box.close()


def tid() -> str:
    return str(uuid7())


def add(box: Outbox, txid: str | None = None, day: str = "20261121", size: int = 100):
    return box.enqueue(txid or tid(), "SS-001", b"e" * size, RECEIPT, day)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
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


def test_second_process_cannot_open_the_same_outbox(outbox: Outbox) -> None:
    result = run_python(f"""
        from pathlib import Path
        from sync.outbox.store import Outbox
        from sync.outbox.errors import OutboxLockedError
        try:
            Outbox(Path({str(outbox.path)!r}))
        except OutboxLockedError as exc:
            print("locked:", exc)
        else:
            print("opened")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("locked:")


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    box = Outbox(path)
    with pytest.raises(OutboxLockedError):
        Outbox(path)
    box.close()
    box.close()
    Outbox(path).close()


def test_closed_outbox_refuses_writes(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    box.close()
    with pytest.raises(OutboxError):
        add(box)
    with pytest.raises(OutboxError):
        box.counts()


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


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    Outbox(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(OutboxError, match="newer"):
        Outbox(path)
    with pytest.raises(OutboxError, match="newer"):  # not "locked": the failed open let go
        Outbox(path)


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


def test_retry_now_makes_backing_off_records_due(outbox: Outbox, clock: FakeClock) -> None:
    record = add(outbox)
    outbox.next_batch(1, 10_000)
    outbox.mark_retry([record.id], "down", clock.wall + timedelta(hours=1))
    assert outbox.next_batch(1, 10_000) == []
    assert outbox.retry_now() == 1
    assert [r.id for r in outbox.next_batch(1, 10_000)] == [record.id]


def test_file_that_is_not_a_database_is_kept_aside_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    path.write_bytes(b"this is not a database" * 100)
    with Outbox(path) as box:
        assert box.recovery is not None
        assert box.recovery.recovered_total == 0
        kept = Path(box.recovery.kept_files[0])
        assert add(box).seq >= 1
    assert kept.read_bytes().startswith(b"this is not a database")
    assert kept.name.startswith("o.db.corrupt-")


def test_records_are_hashable_by_value(outbox: Outbox) -> None:
    record = add(outbox)
    assert record in {record}


# -- schema migration ------------------------------------------------------------------------


def test_version_1_file_is_migrated_keeping_its_records(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "o.db"
    conn = sqlite3.connect(path)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute(
        "INSERT INTO outbox (id, seq, daily_key, daily_seq, service_code, created_at,"
        " created_mono, state, envelope, payload_hash, receipt)"
        " VALUES ('0190a000-0000-7000-8000-000000000001', 1, '20261121', 1, 'SS-001',"
        " '2026-11-21T08:30:00.000000+00:00', 1.0, 'pending', x'0102030405', ?, '{}')",
        ["0" * 64],
    )
    conn.execute("INSERT INTO counters VALUES ('seq', 1), ('daily:20261121', 1)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with Outbox(path) as box:
        assert box.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        # v5: ratings and calls
        assert box.messages.select() == [] and box.messages.open_calls() == []
        record = box.get("0190a000-0000-7000-8000-000000000001")
        assert record is not None and record.envelope_size == 5 and record.state == "pending"
        assert record.platform_status is None  # v3 column, empty until the feed says
        assert (record.query_code, record.lookup_failures) == (None, 0)  # v4: no code then
        assert box.recovery is None
        assert (add(box).seq, box.backlog_status().bytes) == (2, 105)


def test_version_3_file_gains_query_codes_and_keeps_its_records(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "o.db"
    conn = sqlite3.connect(path)
    for migrate in MIGRATIONS[:3]:
        migrate(sqlite_utils.Database(conn))
    old = "0190a000-0000-7000-8000-000000000002"
    conn.execute(
        "INSERT INTO outbox (id, seq, daily_key, daily_seq, service_code, created_at,"
        " created_mono, state, envelope, payload_hash, receipt, envelope_size)"
        " VALUES (?, 1, '20261121', 1, 'SS-001', '2026-11-21T08:30:00.000000+00:00', 1.0,"
        " 'pending', x'0102030405', ?, '{\"tracking_number\": \"K0451-20261121-0001-5\"}', 5)",
        [old, "0" * 64],
    )
    conn.execute("INSERT INTO counters VALUES ('seq', 1), ('daily:20261121', 1)")
    conn.execute("PRAGMA user_version=3")
    conn.commit()
    conn.close()
    with Outbox(path) as box:
        assert box.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        record = box.find_by_tracking("K0451-20261121-0001-5")
        assert record is not None and record.id == old
        assert (record.query_code, record.lookup_failures) == (None, 0)
        assert box.note_lookup_failure(old) == 1
        new = box.enqueue(tid(), "SS-001", b"e" * 10, RECEIPT, "20261121", query_code="12345678")
        assert new.daily_seq == 2
        [first, second] = box.next_batch(10, 10_000)
        assert (first.id, first.query_code) == (old, None)  # sent without one
        assert (second.id, second.query_code) == (new.id, "12345678")
    with Outbox(path) as box:
        assert box.get(old).lookup_failures == 1  # type: ignore[union-attr]


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


# -- retention -------------------------------------------------------------------------------


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


# -- backlog guardrails ----------------------------------------------------------------------


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
