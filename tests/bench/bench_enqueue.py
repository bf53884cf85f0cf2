"""Durable enqueue (seal + commit through the outbox) against a raw sqlite3 INSERT.

The baseline stores the same number of bytes with the same PRAGMAs (WAL, synchronous=FULL),
one transaction per record, so the ratio is what sealing and the outbox's bookkeeping cost.
The baseline's bytes are random, not sealed. A second reference, the same raw INSERT that
seals each payload first, shows how much of the ratio is sealing (HPKE) and how much is the
outbox's own bookkeeping; docs/performance.md says where the time goes.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox.store import Outbox
from sync.sealing import key_id_of, prepare, seal
from sync.uuid7 import uuid7

RECORDS = 300
PAYLOAD = ("{" + '"name": "张三", "id": "11010519491231002X", ' * 8 + "}").encode()


def _raw_baseline(path: Path, blobs: list[bytes]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body BLOB)")
    start = time.perf_counter()
    for blob in blobs:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (str(uuid7()), blob))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _outbox(path: Path) -> tuple[float, float]:
    """Seconds for the enqueues alone, and for the enqueues plus their prepared seals.

    As the kiosk does, each seal's KEM half is prepared first (the kiosk does it when the
    confirm screen opens, while the citizen reads); the first figure times what is left
    when 提交 is tapped, the second adds the preparation back in.
    """
    key = X25519PrivateKey.generate().public_key()
    kid = key_id_of(key)
    outbox = Outbox(path)
    enqueue_only = with_prepare = 0.0
    for _ in range(RECORDS):
        txid = str(uuid7())
        meta = {"txid": txid, "kiosk_id": "bench", "service_code": "bench"}
        start = time.perf_counter()
        ready = prepare(key)
        prepared = time.perf_counter()
        outbox.enqueue(
            txid,
            "bench",
            daily_key="20261121",
            build=lambda seq, meta=meta, ready=ready: (
                seal(PAYLOAD, key, kid, meta, prepared=ready), {"n": seq}),
        )
        done = time.perf_counter()
        enqueue_only += done - prepared
        with_prepare += done - start
    outbox.close()
    return enqueue_only, with_prepare


def _raw_sealing(path: Path) -> float:
    """The raw INSERT again, sealing each payload first: what any sealed store must pay."""
    key = X25519PrivateKey.generate().public_key()
    kid = key_id_of(key)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body BLOB)")
    start = time.perf_counter()
    for _ in range(RECORDS):
        txid = str(uuid7())
        blob = seal(PAYLOAD, key, kid, {"txid": txid, "kiosk_id": "bench", "service_code": "bench"})
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (txid, blob))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(rounds: int = 5) -> str:
    key = X25519PrivateKey.generate().public_key()
    sample = seal(PAYLOAD, key, key_id_of(key), {"txid": "x"})
    blobs = [os.urandom(len(sample)) for _ in range(RECORDS)]
    ratios, whole_ratios, per_record, sealed_ratios = [], [], [], []
    for r in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            base = _raw_baseline(Path(tmp) / f"raw{r}.sqlite", blobs)
            ours, ours_whole = _outbox(Path(tmp) / f"outbox{r}.sqlite")
            sealed_base = _raw_sealing(Path(tmp) / f"sealed{r}.sqlite")
        ratios.append(ours / base)
        whole_ratios.append(ours_whole / base)
        sealed_ratios.append(ours_whole / sealed_base)
        per_record.append(ours / RECORDS * 1000)
    return (
        f"enqueue: {statistics.median(per_record):.2f} ms/record durable seal+commit with the "
        f"seal prepared at the confirm screen; {statistics.median(ratios):.2f}x a raw sqlite3 "
        f"INSERT of the same bytes, which does not seal; counting the preparation too "
        f"{statistics.median(whole_ratios):.2f}x the raw INSERT and "
        f"{statistics.median(sealed_ratios):.2f}x a raw INSERT that seals first "
        f"(median of {rounds} rounds x {RECORDS} records)"
    )
