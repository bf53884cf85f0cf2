"""The process the crash tests kill with SIGKILL: a kiosk that enqueues and/or syncs.

``python -m tests.support.crash_child MODE OUTBOX URL KEY KID KIOSK SEED``

- ``enqueue``: seal and enqueue as fast as it can; after each ``enqueue`` returns, print
  the transaction id on its own line (the receipt would print now);
- ``sync``: drain the outbox to the platform in small, randomly sized batches while a
  second thread keeps enqueueing and printing ids as above.

It prints ``ready`` once the outbox is open. It never exits by itself: it is killed.
"""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

from sync.client import PlatformClient
from sync.outbox import Outbox
from sync.sealing import load_public_key, seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker

_print_lock = threading.Lock()


def _say(line: str) -> None:
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _enqueue_forever(outbox: Outbox, key_text: str, kid: str, rng: random.Random) -> None:
    key = load_public_key(key_text)
    while True:
        txid = str(uuid7())
        size = rng.choice([64, 300, 2000, 6000])
        payload = rng.randbytes(size)

        def build(daily_seq: int, txid: str = txid, payload: bytes = payload) -> tuple[bytes, dict]:
            meta = {"txid": txid, "daily_seq": str(daily_seq)}
            return seal(payload, key, kid, meta), {"tracking_number": f"T-{daily_seq:05d}"}

        outbox.enqueue(txid, "SS-001", daily_key="20261121", build=build)
        _say(txid)


def main(argv: list[str]) -> int:
    mode, path, url, key_text, kid, kiosk_id, seed = argv
    rng = random.Random(int(seed))
    outbox = Outbox(Path(path))
    _say("ready")
    if mode == "enqueue":
        _enqueue_forever(outbox, key_text, kid, rng)
        return 0
    writer = threading.Thread(
        target=_enqueue_forever,
        args=(outbox, key_text, kid, random.Random(rng.random())),
        daemon=True,
    )
    writer.start()
    client = PlatformClient(url, kiosk_id, timeout=5.0)
    while True:
        worker = SyncWorker(outbox, client, batch_items=rng.randint(1, 25), rng=rng)
        worker.drain()
        outbox.retry_now()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
