"""Draining 10,000 queued records to the reference platform on loopback, batched vs one by one.

The platform is the real server process (SQLite storage) on loopback. It stores each batch in
one transaction when its batch route uses ``sync.server.ingest.BatchJudge``; envelopes are
opened (decrypted) only if the server runs with that option.
The baseline sends one record per request (a sample of the same records: at its rate
10,000 would take a long time); the figure that matters is records/s of the batched drain.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sync.outbox.store import Outbox
from sync.platform.client import PlatformClient
from sync.sealing import seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import PlatformProcess

RECORDS = 10_000
BASELINE_RECORDS = 200
BATCH = 500  # the platform's per-request item limit
TARGET = 2_000.0


def _fill(path: Path, platform: PlatformProcess, count: int) -> Outbox:
    outbox = Outbox(path)
    outbox.db.execute("PRAGMA synchronous=OFF")  # setup only: the drain is what is measured
    for n in range(count):
        txid = str(uuid7())
        envelope = seal(os.urandom(400), platform.public_key, platform.key_id, {"n": str(n)})
        outbox.enqueue(txid, "SS-001", envelope, {"n": n}, "20261121")
    outbox.db.execute("PRAGMA synchronous=FULL")
    return outbox


def _drain(outbox: Outbox, platform: PlatformProcess, batch: int, kiosk: str) -> float:
    client = PlatformClient(platform.url, kiosk, timeout=30.0)
    worker = SyncWorker(outbox, client, batch_items=batch, batch_bytes=8 * 1024 * 1024 - 65536)
    total = sum(outbox.counts().values())
    start = time.perf_counter()
    acked = worker.drain()
    elapsed = time.perf_counter() - start
    client.close()
    if acked != total:
        raise RuntimeError(f"drained {acked} of {total}: {worker.last_error}")
    return total / elapsed


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        platform = PlatformProcess(Path(tmp) / "platform").start()
        try:
            single_box = _fill(Path(tmp) / "single.sqlite", platform, BASELINE_RECORDS)
            single = _drain(single_box, platform, 1, "bench-single")
            single_box.close()
            batched_box = _fill(Path(tmp) / "batched.sqlite", platform, RECORDS)
            batched = _drain(batched_box, platform, BATCH, "bench-batched")
            batched_box.close()
        finally:
            platform.stop()
    verdict = "meets" if batched >= TARGET else "BELOW"
    return (
        f"drain: {batched:,.0f} records/s draining {RECORDS:,} records in batches of {BATCH} "
        f"({verdict} the {TARGET:,.0f}/s target); one request per record: {single:,.0f} "
        f"records/s ({BASELINE_RECORDS:,} records); ratio {batched / single:.1f}x"
    )
