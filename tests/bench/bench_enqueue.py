"""Durable enqueue (seal + commit through the outbox) against a raw sqlite3 INSERT.

The baseline stores the same number of bytes with the same PRAGMAs (WAL, synchronous=FULL),
one transaction per record, so the ratio is what sealing and the outbox's bookkeeping cost.
The baseline's bytes are random, not sealed. A second reference, the same raw INSERT that
seals each payload first, shows how much of the ratio is sealing (HPKE) and how much is the
outbox's own bookkeeping; docs/performance.md says where the time goes.

The three stores take turns record by record (raw, outbox, sealing raw, then the next
record), so that all three meet the same disk and the same neighbours: on a shared machine
an fsync's time swings several-fold within seconds, and stores timed one after the other
(300 records each) measured the machine's moods as much as the stores.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox.store import Outbox
from sync.sealing import key_id_of, prepare, seal
from sync.uuid7 import uuid7

RECORDS = 300
PAYLOAD = ("{" + '"name": "张三", "id": "11010519491231002X", ' * 8 + "}").encode()


Step = Callable[[], float]  # stores one record, returns the seconds it took


def _raw_table(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body BLOB)")
    return conn


def _raw_baseline(conn: sqlite3.Connection, blob: bytes) -> Step:
    """The baseline: one raw INSERT of the same number of bytes, one transaction."""

    def step() -> float:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (str(uuid7()), blob))
        conn.execute("COMMIT")
        return time.perf_counter() - start

    return step


def _outbox(outbox: Outbox) -> tuple[Step, Step]:
    """The enqueue alone, and the enqueue plus its prepared seal (two views of one step).

    As the kiosk does, each seal's KEM half is prepared first (the kiosk does it when the
    confirm screen opens, while the citizen reads); the first figure times what is left
    when 提交 is tapped, the second adds the preparation back in.
    """
    key = X25519PrivateKey.generate().public_key()
    kid = key_id_of(key)
    whole: list[float] = []

    def step() -> float:
        txid = str(uuid7())
        meta = {"txid": txid, "kiosk_id": "bench", "service_code": "bench"}
        start = time.perf_counter()
        ready = prepare(key)
        prepared = time.perf_counter()
        outbox.enqueue(
            txid,
            "bench",
            daily_key="20261121",
            build=lambda seq: (seal(PAYLOAD, key, kid, meta, prepared=ready), {"n": seq}),
        )
        done = time.perf_counter()
        whole.append(done - start)
        return done - prepared

    return step, lambda: whole.pop()


def _raw_sealing(conn: sqlite3.Connection) -> Step:
    """The raw INSERT again, sealing each payload first: what any sealed store must pay."""
    key = X25519PrivateKey.generate().public_key()
    kid = key_id_of(key)

    def step() -> float:
        start = time.perf_counter()
        txid = str(uuid7())
        blob = seal(PAYLOAD, key, kid, {"txid": txid, "kiosk_id": "bench", "service_code": "bench"})
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (txid, blob))
        conn.execute("COMMIT")
        return time.perf_counter() - start

    return step


def one_round(tmp: Path, blob: bytes) -> list[list[float]]:
    """Seconds per record, RECORDS each: raw, outbox (prepared), outbox (whole), sealing raw."""
    raw_conn, sealed_conn = _raw_table(tmp / "raw.sqlite"), _raw_table(tmp / "sealed.sqlite")
    outbox = Outbox(tmp / "outbox.sqlite")
    raw, sealing = _raw_baseline(raw_conn, blob), _raw_sealing(sealed_conn)
    enqueue, with_prepare = _outbox(outbox)
    times: list[list[float]] = [[], [], [], []]
    try:
        for _ in range(RECORDS):
            times[0].append(raw())
            times[1].append(enqueue())
            times[2].append(with_prepare())
            times[3].append(sealing())
    finally:
        outbox.close()
        raw_conn.close()
        sealed_conn.close()
    return times


def run(rounds: int = 5) -> str:
    key = X25519PrivateKey.generate().public_key()
    blob = os.urandom(len(seal(PAYLOAD, key, key_id_of(key), {"txid": "x"})))
    ratios, typical, whole_ratios, per_record, sealed_ratios = [], [], [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            base, ours, ours_whole, sealed_base = one_round(Path(tmp), blob)
        ratios.append(sum(ours) / sum(base))
        # the typical record, which a few records stuck behind a neighbour's I/O do not move
        typical.append(statistics.median(ours) / statistics.median(base))
        whole_ratios.append(sum(ours_whole) / sum(base))
        sealed_ratios.append(sum(ours_whole) / sum(sealed_base))
        per_record.append(sum(ours) / RECORDS * 1000)
    return (
        f"enqueue: {statistics.median(per_record):.2f} ms/record durable seal+commit with the "
        f"seal prepared at the confirm screen; {statistics.median(ratios):.2f}x a raw sqlite3 "
        f"INSERT of the same bytes, which does not seal (range {min(ratios):.2f}-"
        f"{max(ratios):.2f}; the median record {statistics.median(typical):.2f}x); counting "
        f"the preparation too {statistics.median(whole_ratios):.2f}x the raw INSERT and "
        f"{statistics.median(sealed_ratios):.2f}x a raw INSERT that seals first "
        f"(median of {rounds} rounds x {RECORDS} records, the stores taking turns)"
    )
