"""Fleet: 200 signed kiosks x 50 records uploading at once to the reference platform on loopback.

Each kiosk is an Ed25519 identity registered straight in the platform's database (operator
provisioning) and a signed :class:`PlatformClient`; its 50 sealed records go up in batches
of the kiosk's default size. The kiosks run as threads in a few client processes, released
together by a barrier. Figures: records/s over the whole fleet and p99 batch latency, each
against one kiosk alone on the same platform in the same run (the baseline).

Platforms: SQLite with one server process; PostgreSQL (durable: fsync on) with three server
processes, kiosks spread over them round-robin on the client side. The PostgreSQL part is
skipped, and says so, when the server binaries are not installed.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from sync.platform.client import PlatformClient
from sync.platform.signing import RequestSigner
from sync.sealing import seal
from sync.server.registry import KioskRegistry
from sync.server.store import make_engine
from sync.uuid7 import uuid7
from sync.worker import DEFAULT_BATCH_ITEMS
from tests.support.platform import PlatformProcess, free_port
from tests.support.postgres import DatabasePlatform, PostgresServer, find_bindir

KIOSKS = 200
RECORDS = 50
BATCH = DEFAULT_BATCH_ITEMS
CLIENT_PROCESSES = 4
PG_SERVERS = 3
DEADLINE_S = 60.0  # a whole fleet run; the benchmark fails rather than hang


def _kiosk_keys(count: int) -> list[tuple[str, bytes]]:
    return [
        (
            f"fleet-{n:04d}",
            Ed25519PrivateKey.generate().private_bytes(
                Encoding.Raw, PrivateFormat.Raw, NoEncryption()
            ),
        )
        for n in range(count)
    ]


def _register(database_url: str, kiosks: list[tuple[str, bytes]]) -> None:
    engine = make_engine(database_url)
    try:
        registry = KioskRegistry(engine)
        for kiosk_id, raw in kiosks:
            registry.register(kiosk_id, Ed25519PrivateKey.from_private_bytes(raw).public_key())
    finally:
        engine.dispose()


def _kiosk(
    kiosk_id: str, raw: bytes, url: str, records: list[tuple[str, bytes]], start: Any
) -> list[float]:
    signer = RequestSigner(kiosk_id, Ed25519PrivateKey.from_private_bytes(raw))
    client = PlatformClient(url, kiosk_id, timeout=30.0, signer=signer)
    latencies: list[float] = []
    try:
        start()
        for offset in range(0, len(records), BATCH):
            batch = records[offset : offset + BATCH]
            began = time.perf_counter()
            results = client.upload(batch)
            latencies.append(time.perf_counter() - began)
            if len(results) != len(batch) or not all(r.is_success for r in results.values()):
                raise RuntimeError(f"{kiosk_id}: not every record was taken")
    finally:
        client.close()
    return latencies


def _client_process(
    jobs: list[tuple[str, bytes, str, list[tuple[str, bytes]]]], barrier: Any, out: Any
) -> None:
    """Run this process's kiosks as threads; report (start, end, latencies) once all are done."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(jobs) + 1)

    def run(job: tuple[str, bytes, str, list[tuple[str, bytes]]]) -> None:
        try:
            mine = _kiosk(*job, start=lambda: ready.wait(DEADLINE_S))
            with lock:
                latencies.extend(mine)
        except Exception as exc:  # reported to the parent, which fails the benchmark
            with lock:
                failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait(DEADLINE_S)  # every client process is ready: go
    began = time.time()
    ready.wait(DEADLINE_S)
    for thread in threads:
        thread.join(DEADLINE_S)
    out.put((began, time.time(), latencies, failures))


def _fleet(
    urls: list[str], kiosks: list[tuple[str, bytes]], envelopes: list[bytes], processes: int
) -> tuple[float, float]:
    """Upload every kiosk's records at once; return (records/s, p99 batch latency in ms)."""
    jobs = [
        (kiosk_id, raw, urls[n % len(urls)], [(str(uuid7()), e) for e in envelopes])
        for n, (kiosk_id, raw) in enumerate(kiosks)
    ]
    processes = min(processes, len(jobs))
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(processes), ctx.Queue()
    procs = [
        ctx.Process(target=_client_process, args=(jobs[n::processes], barrier, out))
        for n in range(processes)
    ]
    for proc in procs:
        proc.start()
    reports = [out.get(timeout=DEADLINE_S * 2) for _ in procs]
    for proc in procs:
        proc.join(DEADLINE_S)
        if proc.is_alive():
            proc.kill()
    failures = [f for report in reports for f in report[3]]
    if failures:
        raise RuntimeError(f"{len(failures)} kiosks failed, first: {failures[0]}")
    elapsed = max(r[1] for r in reports) - min(r[0] for r in reports)
    latencies = sorted(x for r in reports for x in r[2])
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return len(jobs) * len(envelopes) / elapsed, p99 * 1000


def _measure(urls: list[str], database_url: str, public_key: Any, kid: str) -> str:
    kiosks = _kiosk_keys(KIOSKS + 1)
    _register(database_url, kiosks)
    envelopes = [seal(os.urandom(400), public_key, kid, {"n": str(n)}) for n in range(RECORDS)]
    alone_rate, alone_p99 = _fleet(urls[:1], kiosks[:1], envelopes, 1)
    fleet_rate, fleet_p99 = _fleet(urls, kiosks[1:], envelopes, CLIENT_PROCESSES)
    return (
        f"{fleet_rate:,.0f} records/s, p99 batch {fleet_p99:,.0f} ms; one kiosk alone: "
        f"{alone_rate:,.0f} records/s, p99 {alone_p99:,.0f} ms; throughput ratio "
        f"{fleet_rate / alone_rate:.1f}x, latency ratio {fleet_p99 / alone_p99:.1f}x"
    )


def _sqlite(tmp: Path) -> str:
    platform = PlatformProcess(tmp / "sqlite-platform", require_signatures=True).start()
    try:
        figures = _measure(
            [platform.url], platform.database_url, platform.public_key, platform.key_id
        )
    finally:
        platform.stop()
    return f"SQLite, 1 server process: {figures}"


def _postgres(tmp: Path) -> str:
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL: skipped (server binaries not installed: apt-get install postgresql)"
    with PostgresServer(bindir, durable=True) as server:
        url = server.create_database("fleet")
        servers = [
            DatabasePlatform(tmp / "pg-platform", url, port=free_port(), require_signatures=True)
            for _ in range(PG_SERVERS)
        ]
        try:
            for platform in servers:
                platform.start()
            first = servers[0]
            figures = _measure([p.url for p in servers], url, first.public_key, first.key_id)
        finally:
            for platform in servers:
                platform.stop()
    return f"PostgreSQL, {PG_SERVERS} server processes: {figures}"


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        lines = [_sqlite(Path(tmp)), _postgres(Path(tmp))]
    head = f"fleet: {KIOSKS} kiosks x {RECORDS} records, batches of {BATCH}, signed"
    return head + "\n  " + "\n  ".join(lines)


if __name__ == "__main__":
    print(run())
