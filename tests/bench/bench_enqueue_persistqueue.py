"""Durable enqueue through the outbox against persist-queue's ``SQLiteAckQueue.put``.

Both commit every record before returning, with the same PRAGMAs (WAL, synchronous=FULL),
and store the same sealed bytes; the outbox also allocates the kiosk and daily sequence
numbers, hashes the envelope and checks the backlog limits in that transaction. The
baseline gets ready-sealed bytes; the outbox seals inside ``build`` (as the kiosk does),
so the ratio includes sealing too.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox.store import Outbox
from sync.sealing import key_id_of, seal
from sync.uuid7 import uuid7
from tests.bench.bench_enqueue import PAYLOAD

RECORDS = 300


def _persist_queue(directory: Path, blobs: list[bytes]) -> float:
    from persistqueue import SQLiteAckQueue

    queue = SQLiteAckQueue(str(directory), auto_commit=True, multithreading=True)
    for conn in {id(queue._putter): queue._putter, id(queue._getter): queue._getter}.values():
        conn.execute("PRAGMA synchronous=FULL")  # its default here is FULL already; be explicit
    start = time.perf_counter()
    for blob in blobs:
        queue.put(blob)
    elapsed = time.perf_counter() - start
    queue.close()
    return elapsed


def _outbox(path: Path) -> float:
    key = X25519PrivateKey.generate().public_key()
    kid = key_id_of(key)
    outbox = Outbox(path)
    start = time.perf_counter()
    for _ in range(RECORDS):
        txid = str(uuid7())
        meta = {"txid": txid, "kiosk_id": "bench", "service_code": "bench"}
        outbox.enqueue(
            txid,
            "bench",
            daily_key="20261121",
            build=lambda seq, meta=meta: (seal(PAYLOAD, key, kid, meta), {"n": seq}),
        )
    elapsed = time.perf_counter() - start
    outbox.close()
    return elapsed


def run(rounds: int = 3) -> str:
    try:
        import persistqueue  # noqa: F401
    except ImportError:
        return "enqueue vs persist-queue: skipped (pip install persist-queue)"
    key = X25519PrivateKey.generate().public_key()
    blobs = [seal(PAYLOAD, key, key_id_of(key), {"txid": str(uuid7())}) for _ in range(RECORDS)]
    ratios, ours_ms, theirs_ms = [], [], []
    for r in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            theirs = _persist_queue(Path(tmp) / f"pq{r}", blobs)
            ours = _outbox(Path(tmp) / f"outbox{r}.sqlite")
        ratios.append(ours / theirs)
        ours_ms.append(ours / RECORDS * 1000)
        theirs_ms.append(theirs / RECORDS * 1000)
    return (
        f"enqueue vs persist-queue: outbox {statistics.median(ours_ms):.2f} ms/record "
        f"(seal+commit), SQLiteAckQueue.put {statistics.median(theirs_ms):.2f} ms/record "
        f"(pre-sealed bytes); ratio {statistics.median(ratios):.2f}x "
        f"(median of {rounds} rounds x {RECORDS} records, WAL + synchronous=FULL both)"
    )
