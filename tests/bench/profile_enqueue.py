"""Where an enqueue's time goes: ``python -m tests.bench.profile_enqueue``.

Not a pass/fail benchmark: it prints the parts that ``bench_enqueue``'s one ratio is made of,
each next to the raw sqlite3 baseline measured in the same run (docs/performance.md):
the statements of one enqueue, the WAL pages each commit writes, sealing alone, the work
without the fsync (``synchronous=OFF``, for this measurement only), the durable total, and
whether the cost grows with the number of records waiting for the platform.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.outbox.store import Outbox
from sync.sealing import key_id_of, seal
from sync.uuid7 import uuid7
from tests.bench.bench_enqueue import PAYLOAD, RECORDS

KEY = X25519PrivateKey.generate().public_key()
KID = key_id_of(KEY)
SAMPLE = seal(PAYLOAD, KEY, KID, {"txid": "x"})


def _meta() -> dict[str, str]:
    return {"txid": str(uuid7()), "kiosk_id": "bench", "service_code": "bench"}


def _raw(path: Path, synchronous: str) -> tuple[sqlite3.Connection, Callable[[], None]]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body BLOB)")
    blob = os.urandom(len(SAMPLE))

    def one() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (str(uuid7()), blob))
        conn.execute("COMMIT")

    return conn, one


def _outbox(path: Path, synchronous: str, sealing: bool) -> tuple[Outbox, Callable[[], None]]:
    box = Outbox(path)
    box.db.conn.execute(f"PRAGMA synchronous={synchronous}")

    def one() -> None:
        meta = _meta()
        box.enqueue(
            meta["txid"],
            "bench",
            daily_key="20261121",
            build=lambda seq: (seal(PAYLOAD, KEY, KID, meta) if sealing else SAMPLE, {"n": seq}),
        )

    return box, one


def _per_record(one: Callable[[], None]) -> float:
    start = time.perf_counter()
    for _ in range(RECORDS):
        one()
    return (time.perf_counter() - start) / RECORDS * 1000


def _wal_pages_per_commit(conn: sqlite3.Connection, path: Path, one: Callable[[], None]) -> float:
    """Frames added to the WAL by one commit (checkpoints held off while counting)."""
    conn.execute("PRAGMA wal_autocheckpoint=0")
    one()
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    before = os.path.getsize(f"{path}-wal")
    for _ in range(50):
        one()
    return (os.path.getsize(f"{path}-wal") - before) / (page + 24) / 50


def _statements(box: Outbox, one: Callable[[], None]) -> list[str]:
    one()
    seen: list[str] = []
    box.db.conn.set_trace_callback(seen.append)
    one()
    box.db.conn.set_trace_callback(None)
    return [" ".join(s.split()[:2]) for s in seen]


def _with_backlog(waiting: int) -> float:
    """Enqueue cost (no fsync) with ``waiting`` records already queued: it must not grow."""
    with tempfile.TemporaryDirectory() as tmp:
        box, one = _outbox(Path(tmp) / "b.sqlite", "OFF", False)
        for _ in range(waiting):
            one()
        ms = statistics.median(_per_record(one) for _ in range(3))
        box.close()
    return ms


def main(rounds: int = 5) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        box, one = _outbox(Path(tmp) / "s.sqlite", "FULL", True)
        kinds = _statements(box, one)
        ours = _wal_pages_per_commit(box.db.conn, box.path, one)
        box.close()
        conn, raw_one = _raw(Path(tmp) / "r.sqlite", "FULL")
        theirs = _wal_pages_per_commit(conn, Path(tmp) / "r.sqlite", raw_one)
        conn.close()
    print(f"statements per enqueue: {len(kinds)} ({', '.join(kinds)}); raw insert: 3")
    print(f"WAL pages written per commit: outbox {ours:.1f}, raw insert {theirs:.1f}")
    print("fsyncs per commit: 1 for both (WAL + synchronous=FULL), plus checkpoints")

    cases: dict[str, Callable[[Path], tuple[object, Callable[[], None]]]] = {
        "raw insert, synchronous=OFF": lambda p: _raw(p, "OFF"),
        "outbox, pre-sealed, synchronous=OFF": lambda p: _outbox(p, "OFF", False),
        "raw insert (baseline)": lambda p: _raw(p, "FULL"),
        "outbox, pre-sealed": lambda p: _outbox(p, "FULL", False),
        "outbox, seal + commit (as benchmarked)": lambda p: _outbox(p, "FULL", True),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    sealing: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            for i, (name, make) in enumerate(cases.items()):
                handle, one = make(Path(tmp) / f"{i}.sqlite")
                times[name].append(_per_record(one))
                handle.close()  # type: ignore[attr-defined]
        sealing.append(_per_record(lambda: seal(PAYLOAD, KEY, KID, _meta())))
    base = statistics.median(times["raw insert (baseline)"])
    print(f"sealing alone (HPKE): {statistics.median(sealing):.3f} ms/record")
    for name, values in times.items():
        ms = statistics.median(values)
        print(f"{name}: {ms:.3f} ms/record ({ms / base:.2f}x the baseline)")
    print(f"(medians of {rounds} rounds x {RECORDS} records)")
    for waiting in (0, 10_000):
        print(
            f"outbox, pre-sealed, synchronous=OFF, {waiting} records already waiting: "
            f"{_with_backlog(waiting):.3f} ms/record"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
