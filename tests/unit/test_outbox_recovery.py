"""A damaged outbox at start: detected, kept aside, readable records recovered, reported.

Real files are damaged in the ways disks and power cuts damage them: a garbage header, a
truncated file, overwritten pages in the middle, a crash image with an unmerged WAL.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.outbox.recovery import detect_damage, recovery_reports
from sync.outbox.schema import OutboxRecord
from sync.outbox.store import Outbox
from sync.platform.protocol import call_body, rating_body
from sync.sealing import payload_hash
from sync.uuid7 import uuid7
from tests.support.clock import FakeClock

PAGE = 4096


def _fill(box: Outbox, count: int, rng: random.Random) -> dict[str, OutboxRecord]:
    """Records in every state; envelopes of many sizes, some spilling onto overflow pages."""
    made: dict[str, OutboxRecord] = {}
    for n in range(count):
        size = rng.choice([200, 700, 1500, 5000, 9000])
        txid = str(uuid7())
        box.enqueue(
            txid, "SS-001", rng.randbytes(size), {"tracking_number": f"T{n:04d}"}, "20261121"
        )
    ids = box.ids()
    for txid in ids[: count // 3]:
        box.next_batch(1, 10**9)
        box.mark_acked([txid])
    quarantined = ids[count // 3]
    box.next_batch(1, 10**9)
    box.mark_quarantined(quarantined, "rejected by platform", verdict="rejected")
    for txid in ids:
        record = box.get(txid)
        assert record is not None
        made[txid] = record
    return made


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, dict[str, OutboxRecord]]:
    """A closed (checkpointed) outbox with 60 records."""
    path = tmp_path / "outbox.sqlite"
    with Outbox(path, clock=FakeClock()) as box:
        made = _fill(box, 60, random.Random(7))
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path, made


def _check_recovered(box: Outbox, made: dict[str, OutboxRecord]) -> set[str]:
    """Every record in the new outbox equals its original (state, numbers, bytes)."""
    seen = set()
    for txid in box.ids():
        got, original = box.get(txid), made[txid]
        assert got is not None
        assert (got.seq, got.daily_seq, got.state, got.verdict) == (
            original.seq,
            original.daily_seq,
            original.state,
            original.verdict,
        )
        assert got.envelope == original.envelope and got.receipt == original.receipt
        seen.add(txid)
    return seen


def _damage(path: Path, offset: int, length: int, seed: int = 1) -> bytes:
    data = bytearray(path.read_bytes())
    data[offset : offset + length] = random.Random(seed).randbytes(length)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_garbage_header_recovers_every_record_and_keeps_the_file(sample) -> None:  # type: ignore[no-untyped-def]
    path, made = sample
    damaged = _damage(path, 0, 100)
    assert detect_damage(path) is not None
    with Outbox(path, clock=FakeClock()) as box:
        report = box.recovery
        assert report is not None
        assert _check_recovered(box, made) == set(made)
        assert report.lost_ids == [] and report.damaged_ids == []
        assert report.recovered == {
            "pending": 39,
            "sending": 0,
            "acked": 20,
            "quarantined": 1,
            "purged": 0,
        }
        new = box.enqueue(str(uuid7()), "SS-001", b"after", {}, "20261121")
        assert new.seq == 61 and new.daily_seq == 61  # numbering continues, never reused
    kept = Path(report.kept_files[0])
    assert kept.read_bytes() == damaged  # the evidence is untouched
    assert kept.name.startswith("outbox.sqlite.corrupt-20261121T083000Z")
    assert [r.report_path for r in recovery_reports(path)] == [report.report_path]
    assert "60 records recovered" in report.describe()


def test_truncated_file_recovers_the_readable_part(sample) -> None:  # type: ignore[no-untyped-def]
    path, made = sample
    size = path.stat().st_size
    os.truncate(path, (size // PAGE // 2) * PAGE + 1234)
    assert detect_damage(path) is not None
    with Outbox(path, clock=FakeClock()) as box:
        report = box.recovery
        assert report is not None
        recovered = _check_recovered(box, made)
        assert 0 < len(recovered) < len(made)
        assert set(report.lost_ids).isdisjoint(recovered)
        assert set(report.lost_ids) <= set(made)
        assert len(recovered) + report.lost_total <= len(made)
        assert box.counts()["sending"] == 0
        assert box.enqueue(str(uuid7()), "SS-001", b"x", {}, "20261121").seq > 60


def test_damaged_pages_in_the_middle_lose_only_their_records(sample) -> None:  # type: ignore[no-untyped-def]
    path, made = sample
    pages = path.stat().st_size // PAGE
    for n, page in enumerate((pages // 3, pages // 2, pages // 2 + 1)):
        _damage(path, page * PAGE, PAGE, seed=n)
    assert detect_damage(path) is not None
    with Outbox(path, clock=FakeClock()) as box:
        report = box.recovery
        assert report is not None
        recovered = _check_recovered(box, made)
        damaged = set(report.damaged_ids)
        assert len(recovered) >= len(made) - 12  # 3 pages hold at most a dozen records
        assert recovered | set(report.lost_ids) | damaged <= set(made)
        for txid in damaged:  # its envelope ran over a damaged overflow page
            record = box.get(txid)
            assert record is not None and record.state in ("quarantined", "purged")
            assert record.receipt == made[txid].receipt  # the tracking number survives


def test_crash_image_with_unmerged_wal_recovers_what_was_committed(tmp_path: Path) -> None:
    live = tmp_path / "live" / "outbox.sqlite"
    box = Outbox(live, clock=FakeClock())
    made = _fill(box, 30, random.Random(3))
    box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # these are in the main file now
    older = box.ids()
    box.next_batch(5, 10**9)
    box.mark_acked(older[10:15])  # newer copies of old rows, only in the WAL
    rng = random.Random(4)
    newer = [
        box.enqueue(str(uuid7()), "SS-001", rng.randbytes(900), {"n": n}, "20261121").id
        for n in range(10)
    ]
    made.update({txid: box.get(txid) for txid in older[10:15] + newer})  # type: ignore[misc]
    image = None
    for page in range(3, live.stat().st_size // PAGE):  # damage a page the WAL does not cover
        image = tmp_path / f"image{page}" / "outbox.sqlite"
        image.parent.mkdir()
        for suffix in ("", "-wal"):  # what the disk holds at a power cut (no -shm)
            shutil.copyfile(f"{live}{suffix}", f"{image}{suffix}")
        _damage(image, page * PAGE, PAGE, seed=page)
        if detect_damage(image) is not None:
            break
    box.close()
    assert image is not None and Path(f"{image}-wal").stat().st_size > 0
    with Outbox(image, clock=FakeClock()) as recovered:
        assert recovered.recovery is not None
        found = _check_recovered(recovered, made)  # acked in the WAL stays acked
    assert set(newer) <= found  # commits that only ever reached the WAL
    assert len(found) >= len(made) - 6


def test_recovered_sending_records_are_pending_again(tmp_path: Path) -> None:
    live = tmp_path / "live" / "outbox.sqlite"
    image = tmp_path / "image" / "outbox.sqlite"
    image.parent.mkdir()
    with Outbox(live, clock=FakeClock()) as box:
        ids = [box.enqueue(str(uuid7()), "SS-001", b"x" * 300, {}, "d").id for _ in range(3)]
        box.next_batch(2, 10**6)  # the power fails with two records in flight
        box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(live, image)
    _damage(image, 0, 100)
    with Outbox(image, clock=FakeClock()) as box:
        assert box.recovery is not None and box.recovery.recovered["pending"] == 3
        assert box.counts()["pending"] == 3
        assert [r.id for r in box.next_batch(10, 10**6)] == ids


def test_sound_file_is_left_alone(sample) -> None:  # type: ignore[no-untyped-def]
    path, made = sample
    before = path.read_bytes()
    assert detect_damage(path) is None
    with Outbox(path, clock=FakeClock()) as box:
        assert box.recovery is None
        assert len(box.ids()) == len(made)
    assert not list(path.parent.glob("*.corrupt-*"))
    assert path.read_bytes() == before


def test_newer_schema_is_not_mistaken_for_damage(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    Outbox(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(Exception, match="newer"):
        Outbox(path)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_lost_counters_push_numbering_past_a_margin(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    path.write_bytes(os.urandom(3 * PAGE))
    clock = FakeClock()
    with Outbox(path, clock=clock) as box:
        assert box.recovery is not None and not box.recovery.counters_found
        first = box.enqueue(str(uuid7()), "SS-001", b"x", {}, "20261121")
        assert first.daily_seq > 100  # a lost receipt may already carry a low number
        clock.wall += timedelta(days=3)
        assert box.enqueue(str(uuid7()), "SS-001", b"x", {}, "20261124").daily_seq == 1


def test_report_holds_ids_and_counts_only(sample) -> None:  # type: ignore[no-untyped-def]
    path, made = sample
    _damage(path, 0, 100)
    with Outbox(path, clock=FakeClock()) as box:
        text = Path(box.recovery.report_path).read_text()  # type: ignore[union-attr]
    for record in made.values():
        assert record.receipt["tracking_number"] not in text
        assert payload_hash(record.envelope or b"") not in text


def test_ratings_calls_and_their_messages_are_recovered_too(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    moment = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    with Outbox(path, clock=FakeClock()) as box:
        _fill(box, 10, random.Random(3))
        rated = [str(uuid7()) for _ in range(30)]
        for n, txid in enumerate(rated):
            box.messages.enqueue(txid, "rating", rating_body(
                txid, "kiosk-0451", "elderly-card-apply", 1 + n % 5,
                "slow" if n % 5 < 2 else None, moment))
        box.messages.claim(5)
        box.messages.mark_acked(rated[:5])
        call_id, event_id = str(uuid7()), str(uuid7())
        doc = {"call_id": call_id, "state": "raised", "raised_at": moment.isoformat()}
        box.messages.save_call(doc, (event_id, call_body(call_id, "raised", "kiosk-0451", moment,
                                                moment, step="home")))
        box.messages.save_call({**doc, "state": "acknowledged", "acknowledged_by": "1001"})
        before = {m.id: (m.state, m.body) for m in box.messages.select()}
    _damage(path, 0, 100)  # a garbage header: SQLite refuses the whole file
    with Outbox(path, clock=FakeClock()) as box:
        assert box.recovery is not None
        after = {m.id: (m.state, m.body) for m in box.messages.select()}
        assert after == before and len(after) == 31
        assert [c["state"] for c in box.messages.open_calls()] == ["acknowledged"]
        assert box.messages.open_calls()[0]["acknowledged_by"] == "1001"
        assert any("31 rating/call messages and 1 staff calls" in n for n in box.recovery.notes)
        later = str(uuid7())  # numbering continues after the recovered messages
        assert box.messages.enqueue(later, "rating", rating_body(
            later, "kiosk-0451", "elderly-card-apply", 5, None, moment)).seq == 32
