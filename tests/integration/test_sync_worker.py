"""The sync worker against the real reference platform subprocess: it drains the outbox, each
record stored once, through a platform that is down, restarted or refusing; a conflict, a
wrong key or an oversize record quarantined without blocking the rest; a crash mid-send."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.outbox.policy import Retention
from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.sealing import open_envelope, seal
from sync.worker import SyncWorker
from tests.support.clock import FakeClock
from tests.support.platform import PlatformProcess, ScriptedHTTPServer, free_port, reply
from tests.support.sync_worker import Recorder, enqueue_plain, submit, wait_for


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "kiosk" / "outbox.db")
    yield box
    box.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_worker(outbox: Outbox, recorder: Recorder) -> Iterator[Callable[..., SyncWorker]]:
    workers: list[SyncWorker] = []

    def make(url: str, **kwargs: Any) -> SyncWorker:
        client = PlatformClient(url, "K0451", timeout=kwargs.pop("timeout", 2.0))
        options = {"interval": 0.2, "backoff_base": 0.1, "backoff_cap": 0.4, **kwargs}
        worker = SyncWorker(outbox, client, callbacks=recorder.callbacks, **options)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        assert worker.stop(5.0)


def test_worker_drains_outbox_to_platform(
    outbox: Outbox,
    reference_platform: PlatformProcess,
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    ids = [submit(outbox, reference_platform, f"form {n}".encode()) for n in range(7)]
    worker = make_worker(reference_platform.url, batch_items=3)
    worker.start()
    worker.wake()
    wait_for(lambda: outbox.counts()["acked"] == 7)
    stored = {row["id"]: row for row in reference_platform.records()}
    assert set(stored) == set(ids)
    for txid in ids:
        record = outbox.get(txid)
        assert record is not None and record.verdict == "accepted"
        assert stored[txid]["payload_hash"] == record.payload_hash
        assert stored[txid]["kiosk_id"] == "K0451"
        meta, _ = open_envelope(stored[txid]["envelope"], reference_platform.private_key)
        assert meta == {"service": "SS-001"}
    assert sorted(recorder.acked) == sorted(ids)
    assert worker.last_error is None and worker.last_success_at is not None


def test_wake_syncs_a_new_record_without_waiting_for_the_interval(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url, interval=30.0)
    worker.start()
    time.sleep(0.2)  # let the first (empty) round finish so only wake() can start another
    txid = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: outbox.get(txid).state == "acked", timeout=5.0)  # type: ignore[union-attr]


def test_resent_record_is_duplicate_and_stored_once(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    txid = submit(outbox, reference_platform)
    worker = make_worker(reference_platform.url)
    assert worker.drain() == 1
    conn = sqlite3.connect(outbox.path)  # as if the ack had been lost in a crash
    conn.execute("UPDATE outbox SET state = 'pending', verdict = NULL WHERE id = ?", [txid])
    conn.commit()
    conn.close()
    assert worker.drain() == 1
    record = outbox.get(txid)
    assert record is not None and record.state == "acked" and record.verdict == "duplicate"
    assert [row["id"] for row in reference_platform.records()] == [txid]


def test_platform_down_at_submit_then_started_later_drains(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    platform = platform_factory(start=False)
    ids = [submit(outbox, platform) for _ in range(3)]
    worker = make_worker(platform.url)
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 2)
    assert outbox.counts()["quarantined"] == 0
    record = outbox.get(ids[0])
    assert record is not None and record.state in ("pending", "sending")
    assert record.last_error or record.state == "sending"
    assert worker.last_error is not None
    platform.start()
    wait_for(lambda: outbox.counts()["acked"] == 3, timeout=15.0)
    assert {row["id"] for row in platform.records()} == set(ids)


def test_platform_back_ends_a_long_backoff_within_an_interval(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    platform = platform_factory(start=False)
    txid = submit(outbox, platform)
    worker = make_worker(platform.url, backoff_base=600.0, backoff_cap=600.0, rng=random.Random(3))
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 1)
    assert worker.health().retry_at is not None  # a long backoff: of the link, not the record
    platform.start()
    wait_for(lambda: outbox.get(txid).state == "acked", timeout=5.0)  # type: ignore[union-attr]
    assert len(recorder.failures) == 1  # the probe, not repeated uploads, found it back


def test_platform_restart_mid_run_keeps_draining(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url)
    worker.start()
    first = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: outbox.get(first).state == "acked")  # type: ignore[union-attr]
    reference_platform.stop()
    second = submit(outbox, reference_platform)
    worker.wake()
    wait_for(lambda: worker.last_error is not None)
    reference_platform.start()
    wait_for(lambda: outbox.get(second).state == "acked", timeout=15.0)  # type: ignore[union-attr]
    assert len(reference_platform.records()) == 2


def test_conflict_is_quarantined_and_does_not_block_the_rest(
    outbox: Outbox,
    reference_platform: PlatformProcess,
    make_worker: Callable[..., SyncWorker],
    recorder: Recorder,
) -> None:
    clash = submit(outbox, reference_platform)
    other = seal(b"another", reference_platform.public_key, reference_platform.key_id, {})
    client = PlatformClient(reference_platform.url, "K9999")
    assert client.upload([(clash, other)])[clash].verdict == "accepted"
    after = submit(outbox, reference_platform)
    assert make_worker(reference_platform.url).drain() == 1
    parked = outbox.get(clash)
    assert parked is not None and parked.state == "quarantined" and parked.verdict == "conflict"
    assert outbox.get(after).state == "acked"  # type: ignore[union-attr]
    assert recorder.quarantined == [(clash, "same id, different payload")]


def test_envelope_for_another_key_is_rejected_and_quarantined(
    outbox: Outbox,
    platform_factory: Callable[..., PlatformProcess],
    make_worker: Callable[..., SyncWorker],
) -> None:
    platform, stranger = platform_factory(), platform_factory(start=False)
    wrong = submit(outbox, stranger)
    make_worker(platform.url).drain()
    record = outbox.get(wrong)
    assert record is not None and record.state == "quarantined" and record.verdict == "rejected"
    assert platform.records() == []


def test_oversize_record_is_quarantined_without_upload(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    big = submit(outbox, reference_platform, b"x" * 5000)
    small = submit(outbox, reference_platform)
    make_worker(reference_platform.url, max_item_bytes=2000).drain()
    assert outbox.get(big).verdict == "too_large"  # type: ignore[union-attr]
    assert [row["id"] for row in reference_platform.records()] == [small]


def test_server_errors_back_off_and_never_quarantine(
    outbox: Outbox,
    scripted_server: ScriptedHTTPServer,
    make_worker: Callable[..., SyncWorker],
    platform_factory: Callable[..., PlatformProcess],
    recorder: Recorder,
) -> None:
    scripted_server.script = lambda w: reply(w, 503, b"down", {"Retry-After": "0"})
    txid = submit(outbox, platform_factory(start=False))
    worker = make_worker(scripted_server.url)
    worker.start()
    worker.wake()
    wait_for(lambda: len(recorder.failures) >= 3)
    assert worker.stop(5.0)
    record = outbox.get(txid)
    assert record is not None and record.state == "pending" and record.attempts >= 3
    assert "503" in (record.last_error or "")
    assert worker.consecutive_failures >= 3
    assert all("503" in text for text in recorder.failures)


def test_worker_stops_promptly_while_idle(
    outbox: Outbox, reference_platform: PlatformProcess, make_worker: Callable[..., SyncWorker]
) -> None:
    worker = make_worker(reference_platform.url, interval=60.0)
    worker.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert worker.stop(2.0)
    assert time.monotonic() - started < 1.0
    assert not worker.running


def test_records_left_sending_by_a_crash_are_resent_and_come_back_duplicate(
    tmp_path: Path, reference_platform: PlatformProcess
) -> None:
    path = tmp_path / "outbox.db"
    box = Outbox(path)
    txid = submit(box, reference_platform)
    batch = box.next_batch(10, 10**6)  # claimed ...
    client = PlatformClient(reference_platform.url, "K0451")
    assert client.upload([(r.id, r.envelope or b"") for r in batch])[txid].verdict == "accepted"
    box.close()  # ... and the kiosk dies before marking it (its connection and lock go)
    with Outbox(path) as reopened:
        assert reopened.get(txid).state == "pending"  # type: ignore[union-attr]
        worker = SyncWorker(reopened, PlatformClient(reference_platform.url, "K0451"))
        assert worker.drain() == 1
        assert reopened.get(txid).verdict == "duplicate"  # type: ignore[union-attr]
    assert [row["id"] for row in reference_platform.records()] == [txid]


def test_worker_applies_the_retention_once_per_interval(tmp_path: Path) -> None:
    clock = FakeClock()
    with Outbox(tmp_path / "o.db", clock=clock, retention=Retention(60, 10_000)) as box:
        txid = enqueue_plain(box)
        box.next_batch(1, 10**6)
        box.mark_acked([txid])
        client = PlatformClient(f"http://127.0.0.1:{free_port()}", "K0451")
        worker = SyncWorker(box, client, purge_interval=300)
        worker.purge_if_due()
        assert box.get(txid).state == "acked"  # type: ignore[union-attr]
        clock.advance(100)
        worker.purge_if_due()  # within the purge interval: nothing done
        assert box.get(txid).state == "acked"  # type: ignore[union-attr]
        clock.advance(200)
        worker.purge_if_due()
        assert box.get(txid).state == "purged"  # type: ignore[union-attr]
