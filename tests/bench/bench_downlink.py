"""What the downlink costs a kiosk, against a signed no-op round trip (``whoami``).

Against the real platform process on loopback (signatures required): a catalogue check that
the platform answers 304, a full catalogue update (about 200 KB: download, Ed25519 verify,
fsynced swap keeping the previous copy) and a status pull per change (1,000 changes in pages
of 100, cursor persisted after each page). Rounds alternate so drift hits all alike.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sync.downlink.catalog import CatalogSync
from sync.downlink.status_feed import StatusFeed
from tests.support.downlink import catalog_bytes, move, publish, upload
from tests.support.platform import PlatformProcess

ROUNDS = 3
CALLS = 30
CHANGES = 1000


def _big_catalog(version: str) -> bytes:
    return catalog_bytes(version, tuple(f"service-{i:05d}-" + "x" * 120 for i in range(1400)))


def _ms(fn: object, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / calls * 1000


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        platform = PlatformProcess(Path(tmp) / "platform", require_signatures=True).start()
        try:
            kiosk = platform.enrol("bench", Path(tmp) / "identity")
            client = kiosk.client(timeout=10.0)
            catalogs = [_big_catalog("a"), _big_catalog("b")]
            sync = CatalogSync(client, Path(tmp) / "catalog", kiosk.keys.catalogue_key)
            publish(platform, catalogs[0])
            sync.sync()
            base, cached, full = [], [], []
            flip = [0]

            def update() -> None:
                flip[0] ^= 1
                publish(platform, catalogs[flip[0]])
                start = time.perf_counter()
                if sync.sync().outcome != "updated":
                    raise RuntimeError("catalogue not updated")
                full.append((time.perf_counter() - start) * 1000)

            for _ in range(ROUNDS):
                base.append(_ms(client.whoami, CALLS))
                cached.append(_ms(sync.sync, CALLS))
                for _ in range(CALLS // 3):
                    update()
            txids = [t for _ in range(CHANGES // 500) for t in upload(kiosk, 500)]
            for txid in txids:
                move(platform, txid, "processing")
            seen: list[object] = []
            feed = StatusFeed(client, Path(tmp), seen.append, max_pages=CHANGES)
            start = time.perf_counter()
            feed.pull()
            per_change = (time.perf_counter() - start) / CHANGES * 1000
            if len(seen) != CHANGES:
                raise RuntimeError("status changes missing")
            client.close()
        finally:
            platform.stop()
    b, c, f = statistics.median(base), statistics.median(cached), statistics.median(full)
    return (
        f"downlink: signed whoami {b:.2f} ms (baseline); catalogue check answered 304 "
        f"{c:.2f} ms ({c / b:.2f}x); catalogue update {len(catalogs[0]) // 1024} KB "
        f"{f:.1f} ms ({f / b:.1f}x); status feed {per_change:.3f} ms per change "
        f"({per_change / b:.3f}x), pages of 100"
    )


if __name__ == "__main__":
    print(run())
