"""One crash trial: a real kiosk process killed with SIGKILL at a random moment, then checked.

Shared by ``tests/integration/test_crash.py`` (a fixed number of seeded trials) and the soak
script ``python -m tests.soak_crash --trials N``. The kiosk is the kiosk's own wiring
(``KioskCore`` in ``tests/support/crash_child.py``), enrolled with a platform that requires
signatures, and the platform is stopped and restarted under it:

- ``sync`` trials: the kiosk sends a prefilled outbox while citizens keep submitting; the
  platform stops, stays away a while and comes back; the running kiosk must send everything
  that waited within :data:`DRAIN_BOUND` of the platform answering again; then it is killed;
- ``enqueue`` trials: killed while submitting as fast as it can, offline (platform stopped,
  restarted after the kill) on even seeds, online on odd ones.

Then the kiosk restarts (a new ``KioskCore``, so a new worker over the same outbox file) and
must send its whole backlog within :data:`DRAIN_BOUND`. The checks after each kill:

- every transaction whose submission returned before the kill is in the reopened outbox;
- after draining, each of them is on the platform, stored once, with the same payload hash
  the outbox holds (so no record was re-sealed or sent twice as different bytes);
- nothing the platform holds for this kiosk is unknown to the outbox, and nothing was
  quarantined.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from sync.outbox.schema import TABLE
from tests.support.headless_kiosk import (
    build_kiosk,
    drained,
    headless_config,
    seconds_until,
    submit,
    write_config,
)
from tests.support.platform import PlatformProcess

_ROOT = Path(__file__).resolve().parents[2]
PREFILL = 120
SYNC_INTERVAL = 0.2
BATCH_ITEMS = 25  # a prefilled outbox is several batches
#: A backlog must be gone this long after the platform answers again (ten sync intervals;
#: the backoff cap is 300 s). Real clock: a behaviour bound, not a speed benchmark.
DRAIN_BOUND = 10 * SYNC_INTERVAL


@dataclass(frozen=True)
class TrialResult:
    mode: str
    seed: int
    returned: int  # submissions that returned before the kill
    in_outbox: int
    on_platform: int
    resent_duplicates: int  # records the platform already had when re-sent after the kill
    drain_seconds: float  # the restarted kiosk, from start until nothing waits
    running_drain_seconds: float | None  # sync trials: the running kiosk, after the outage


def trial_config(workdir: Path, platform: PlatformProcess, kiosk_id: str, code: str) -> Config:
    return headless_config(
        workdir / "kiosk", platform.url, kiosk_id, code,
        interval_seconds=SYNC_INTERVAL, batch_max_items=BATCH_ITEMS,
    )  # backoff as the kiosk ships it: 1 s base, 300 s cap


def _prefill(config: Config, rng: random.Random) -> list[str]:
    core = build_kiosk(config)  # not started: the outbox and submitter only
    try:
        return [submit(core, rng) for _ in range(PREFILL)]
    finally:
        core.stop()


def _waiting_ids(outbox: Path) -> set[str]:
    """Ids not yet acked, read beside the live kiosk (read-only, no lock taken)."""
    conn = sqlite3.connect(f"file:{outbox}?mode=ro", uri=True, timeout=5)
    try:
        rows = conn.execute(
            f"SELECT id FROM {TABLE} WHERE state IN ('pending', 'sending')"
        ).fetchall()
    finally:
        conn.close()
    return {row[0] for row in rows}


def _running_kiosk_drain(outbox: Path, seed: int) -> float:
    """Seconds until everything that waited when the platform came back has left."""
    backlog = _waiting_ids(outbox)

    def gone() -> bool:
        time.sleep(0.04)  # a light poll: the kiosk under test shares the CPU
        return not (backlog & _waiting_ids(outbox))

    waited = seconds_until(gone, 20 * DRAIN_BOUND)
    assert waited <= DRAIN_BOUND, (
        f"seed {seed}: the running kiosk took {waited:.1f} s to send the {len(backlog)}"
        f" records that waited when the platform came back (bound {DRAIN_BOUND:.1f} s)"
    )
    return waited


def run_trial(mode: str, platform: PlatformProcess, workdir: Path, seed: int) -> TrialResult:
    """Start the child, kill it at a seeded random moment, restart the kiosk and check."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    kiosk_id = f"crash-{mode}-{seed}"
    platform.start()  # whatever the last trial left behind
    code = f"{'S' if mode == 'sync' else 'E'}{seed % 10000:04d}"  # one code per kiosk
    config = trial_config(workdir, platform, kiosk_id, code)
    platform.enrol(kiosk_id, identity_dir(config), code=code)
    config_path = write_config(config, workdir / "kiosk.toml")
    returned: list[str] = _prefill(config, rng) if mode == "sync" else []
    if mode == "enqueue" and seed % 2 == 0:
        platform.stop()  # an offline kiosk: citizens keep submitting
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    err_path = workdir / "child.err"
    with open(err_path, "wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_child", mode, str(config_path),
             str(seed)],
            cwd=_ROOT, env=env, stdout=subprocess.PIPE, stderr=err,
        )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            if not raw.endswith(b"\n"):
                break  # cut off by the kill: that submission's receipt never printed
            text = raw.decode().strip()
            if text == "ready":
                ready.set()
            else:
                lines.append(text)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    running_drain: float | None = None
    try:
        if not ready.wait(30):
            raise AssertionError(f"child never got ready: {_tail(err_path)}")
        if mode == "sync":
            time.sleep(rng.uniform(0.0, 0.3))
            platform.stop()
            time.sleep(rng.uniform(0.2, 0.8))  # the outage; the kiosk's link backs off
            platform.start()
            running_drain = _running_kiosk_drain(config.outbox_path, seed)
        time.sleep(rng.uniform(0.0, 0.35))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        reader.join(10)
    if child.returncode != -signal.SIGKILL:
        raise AssertionError(f"child ended by itself ({child.returncode}): {_tail(err_path)}")
    returned += lines
    platform.start()
    return _check(mode, seed, config, platform, kiosk_id, returned, running_drain)


def _tail(path: Path) -> str:
    return path.read_bytes()[-2000:].decode(errors="replace") if path.exists() else ""


def _check(
    mode: str,
    seed: int,
    config: Config,
    platform: PlatformProcess,
    kiosk_id: str,
    returned: list[str],
    running_drain: float | None,
) -> TrialResult:
    core = build_kiosk(config)  # the kiosk restarts: a new worker over the same outbox file
    try:
        box = core.outbox
        assert box.recovery is None, f"seed {seed}: a kill must not damage the file"
        assert box.counts()["sending"] == 0
        present = set(box.ids())
        lost = [txid for txid in returned if txid not in present]
        assert not lost, f"seed {seed}: {len(lost)} returned submissions lost, e.g. {lost[:3]}"
        waiting = box.counts()["pending"]
        core.start()
        drain = seconds_until(drained(core), 20 * DRAIN_BOUND)
        assert drain <= DRAIN_BOUND, (
            f"seed {seed}: the restarted kiosk took {drain:.1f} s to send {waiting} records"
            f" (bound {DRAIN_BOUND:.1f} s)"
        )
        counts = box.counts()
        assert counts["pending"] == 0 and counts["quarantined"] == 0, f"seed {seed}: {counts}"
        records = [r for r in map(box.get, present) if r is not None]
        hashes = {r.id: r.payload_hash for r in records}
        duplicates = sum(1 for r in records if r.verdict == "duplicate")
    finally:
        core.stop()
    rows = [row for row in platform.records() if row["kiosk_id"] == kiosk_id]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), f"seed {seed}: duplicated on the platform"
    assert set(ids) == present, f"seed {seed}: platform and outbox disagree"
    wrong = [row["id"] for row in rows if row["payload_hash"] != hashes[row["id"]]]
    assert not wrong, f"seed {seed}: stored bytes differ from the outbox for {wrong[:3]}"
    return TrialResult(
        mode, seed, len(returned), len(present), len(ids), duplicates, drain, running_drain
    )
