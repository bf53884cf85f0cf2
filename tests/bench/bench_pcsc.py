"""Card insert to ``CardData`` delivered, on the vpcd path (real pcscd), over 50 inserts.

Timed from the virtual card's connect to vpcd (the moment of insertion) to ``card_did_read``
on PcscCardReader's worker. Baselines measured in the same run: the bare presence detection
(a plain SCardGetStatusChange loop that only waits for the card to appear: pcscd's poll of
vpcd, about every 400 ms, is all of it) and the same APDU sequence through ``process_apdu`` in
process (the card logic without any transport). Each insert waits a random 0-400 ms first
(seeded), so that insertions fall at every phase of pcscd's poll instead of right after it.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from smartcard import scard as sc

from devices.cards.base import CardReaderCallbacks
from devices.cards.pcsc.reader import PcscCardReader
from devices.cards.pcsc.ssse import read_social_security_card
from devices.sim.card.vcard import VirtualCard
from tests.support.pcsc import VPCD_READER, machine_pcscd, wait_reader_empty

INSERTS = 50
POLL_PHASE = 0.4  # pcscd polls vpcd about every 400 ms
SEED = 4


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _reader_ms(inserts: int, rng: random.Random) -> tuple[list[float], list[float]]:
    """(insert -> card_did_read, card_did_insert -> card_did_read) in ms, one per insert."""
    inserted_at: list[float] = []
    seen_at: list[float] = []
    total: list[float] = []
    read_only: list[float] = []
    done = threading.Semaphore(0)
    removed = threading.Semaphore(0)
    failures: list[object] = []

    def on_read(_card: object) -> None:
        now = time.perf_counter()
        total.append((now - inserted_at[-1]) * 1000)
        read_only.append((now - seen_at[-1]) * 1000)
        done.release()

    def on_fail(error: object) -> None:
        failures.append(error)
        done.release()

    reader = PcscCardReader(VPCD_READER)
    reader.subscribe(
        CardReaderCallbacks(
            card_did_insert=lambda _r: seen_at.append(time.perf_counter()),
            card_did_read=on_read,
            reader_did_fail=on_fail,
            card_did_remove=lambda _r: removed.release(),
        )
    )
    reader.start()
    card = VirtualCard()
    try:
        if not _wait(lambda: reader.status().present, 10.0):
            raise RuntimeError(f"reader not ready: {reader.status().detail}")
        for _ in range(inserts):
            time.sleep(rng.uniform(0, POLL_PHASE))
            inserted_at.append(time.perf_counter())
            card.insert()
            if not done.acquire(timeout=10) or failures:
                raise RuntimeError(f"no card read: {failures or reader.status().detail}")
            card.remove()
            if not removed.acquire(timeout=10):
                raise RuntimeError("the removal was not noticed")
    finally:
        card.close()
        reader.stop()
    return total, read_only


def _presence_ms(inserts: int, rng: random.Random) -> list[float]:
    """Insert -> SCARD_STATE_PRESENT seen by a bare SCardGetStatusChange loop."""
    hr, ctx = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hr != sc.SCARD_S_SUCCESS:
        raise RuntimeError("pcscd not reachable")
    card = VirtualCard()
    out: list[float] = []
    try:
        state = _wait_state(ctx, sc.SCARD_STATE_UNAWARE, present=False)
        for _ in range(inserts):
            time.sleep(rng.uniform(0, POLL_PHASE))
            start = time.perf_counter()
            card.insert()
            state = _wait_state(ctx, state, present=True)
            out.append((time.perf_counter() - start) * 1000)
            card.remove()
            state = _wait_state(ctx, state, present=False)
    finally:
        card.close()
        sc.SCardReleaseContext(ctx)
    return out


def _wait_state(ctx: int, state: int, present: bool) -> int:
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        hr, states = sc.SCardGetStatusChange(ctx, 1000, [(VPCD_READER, state)])
        if hr == sc.SCARD_S_SUCCESS:
            state = states[0][1] & ~sc.SCARD_STATE_CHANGED
        if bool(state & sc.SCARD_STATE_PRESENT) == present:
            return state
    raise RuntimeError("pcscd did not report the card " + ("in" if present else "out"))


def _in_process_ms(rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        card = VirtualCard()
        start = time.perf_counter()
        read_social_security_card(card.process_apdu)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def run(inserts: int = INSERTS) -> str:
    with tempfile.TemporaryDirectory() as tmp, machine_pcscd(Path(tmp) / "pcscd.log"):
        wait_reader_empty()
        presence = _presence_ms(inserts, random.Random(SEED))
        ours, read_only = _reader_ms(inserts, random.Random(SEED))
    in_process = _in_process_ms(inserts)
    median, p95 = statistics.median(ours), _p95(ours)
    base_median, base_p95 = statistics.median(presence), _p95(presence)
    return (
        f"pcsc insert to CardData (vpcd, real pcscd): median {median:.1f} ms, p95 {p95:.1f} ms "
        f"over {inserts} inserts; bare presence detection median {base_median:.1f} ms, "
        f"p95 {base_p95:.1f} ms: ratio {median / base_median:.2f}x (median), "
        f"{p95 / base_p95:.2f}x (p95); the read alone (insert event to CardData) median "
        f"{statistics.median(read_only):.1f} ms, p95 {_p95(read_only):.1f} ms; the same APDUs "
        f"in process median {statistics.median(in_process):.3f} ms"
    )


if __name__ == "__main__":
    print(run())
