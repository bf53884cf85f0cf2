"""One crash trial: a real kiosk process killed with SIGKILL at a random moment, then checked.

Shared by ``tests/test_crash.py`` (a fixed number of seeded trials) and the soak script
``python -m tests.soak_crash --trials N``. The checks after each kill:

- every transaction whose ``enqueue`` returned before the kill is in the reopened outbox;
- after draining, each of them is on the platform, stored once, with the same payload hash
  the outbox holds (so no record was re-sealed or sent twice as different bytes);
- nothing the platform holds for this kiosk is unknown to the outbox, and nothing was
  quarantined.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sync.client import PlatformClient
from sync.outbox import Outbox
from sync.sealing import public_key_text, seal
from sync.uuid7 import uuid7
from sync.worker import SyncWorker
from tests.support.platform import PlatformProcess

_ROOT = Path(__file__).resolve().parents[2]
PREFILL = 120


@dataclass(frozen=True)
class TrialResult:
    mode: str
    seed: int
    returned: int  # enqueues that returned before the kill
    in_outbox: int
    on_platform: int
    resent_duplicates: int  # records the platform already had when re-sent after the kill


def _prefill(path: Path, platform: PlatformProcess, rng: random.Random) -> list[str]:
    with Outbox(path) as box:
        ids = []
        for _ in range(PREFILL):
            txid = str(uuid7())
            envelope = seal(rng.randbytes(300), platform.public_key, platform.key_id, {})
            box.enqueue(txid, "SS-001", envelope, {}, "20261121")
            ids.append(txid)
    return ids


def run_trial(mode: str, platform: PlatformProcess, workdir: Path, seed: int) -> TrialResult:
    """Start the child, kill it at a seeded random moment, reopen, drain and check."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "outbox.sqlite"
    kiosk_id = f"crash-{mode}-{seed}"
    returned: list[str] = _prefill(path, platform, rng) if mode == "sync" else []
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.crash_child",
            mode,
            str(path),
            platform.url,
            public_key_text(platform.public_key),
            platform.key_id,
            kiosk_id,
            str(seed),
        ],
        cwd=_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            if not raw.endswith(b"\n"):
                break  # cut off by the kill: that enqueue's "receipt" never printed
            text = raw.decode().strip()
            if text == "ready":
                ready.set()
            else:
                lines.append(text)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not ready.wait(30):
            raise AssertionError(f"child never got ready: {child.stderr.read1(4000)!r}")  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.0, 0.35))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        reader.join(10)
    if child.returncode != -signal.SIGKILL:
        err = child.stderr.read().decode(errors="replace")[-2000:]  # type: ignore[union-attr]
        raise AssertionError(f"child ended by itself ({child.returncode}): {err}")
    returned += lines
    return _check(mode, seed, path, platform, kiosk_id, returned)


def _check(
    mode: str, seed: int, path: Path, platform: PlatformProcess, kiosk_id: str, returned: list[str]
) -> TrialResult:
    with Outbox(path) as box:
        assert box.recovery is None, f"seed {seed}: a kill must not damage the file"
        assert box.counts()["sending"] == 0
        present = set(box.ids())
        lost = [txid for txid in returned if txid not in present]
        assert not lost, f"seed {seed}: {len(lost)} returned enqueues lost, e.g. {lost[:3]}"
        client = PlatformClient(platform.url, kiosk_id, timeout=10.0)
        worker = SyncWorker(box, client, batch_items=200, batch_bytes=4 * 1024 * 1024)
        for _ in range(20):
            worker.drain()
            if box.counts()["pending"] == 0:
                break
        counts = box.counts()
        assert counts["pending"] == 0 and counts["quarantined"] == 0, f"seed {seed}: {counts}"
        hashes = {txid: box.get(txid).payload_hash for txid in present}  # type: ignore[union-attr]
        duplicates = sum(1 for t in present if box.get(t).verdict == "duplicate")  # type: ignore[union-attr]
    rows = [row for row in platform.records() if row["kiosk_id"] == kiosk_id]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), f"seed {seed}: duplicated on the platform"
    assert set(ids) == present, f"seed {seed}: platform and outbox disagree"
    wrong = [row["id"] for row in rows if row["payload_hash"] != hashes[row["id"]]]
    assert not wrong, f"seed {seed}: stored bytes differ from the outbox for {wrong[:3]}"
    return TrialResult(mode, seed, len(returned), len(present), len(ids), duplicates)
