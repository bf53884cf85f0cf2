"""我的办件: card to the first screen of "my affairs", online against the reference platform.

Timed from the virtual card's connect to vpcd (insertion, with the records step waiting for a
card) to the core's ``RecordsDidChange("overview")``: the card read, the ID-number check, this
kiosk's outbox read by holder tag and the signed ``POST /v1/citizen/transactions`` with its
answer merged. Baseline in the same run and the same rounds: insertion to ``CardDidRead``
(the read alone, pcscd's ~400 ms poll of vpcd included), so the ratio is what 我的办件 adds.
Each insert waits a random 0-400 ms first (seeded), so insertions fall at every phase of
pcscd's poll. Needs pcscd with vpcd, like the ``pcsc`` tests.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from devices.cards.pcsc.reader import PcscCardReader
from devices.sim.card.vcard import VirtualCard
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from tests.support.pcsc import VPCD_READER, machine_pcscd, wait_reader_empty
from tests.support.platform import PlatformProcess

ROUNDS = 30
POLL_PHASE = 0.4
SEED = 11


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def run() -> str:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        daemon_log = root / "pcscd.log"
        with machine_pcscd(daemon_log):
            platform = PlatformProcess(root / "platform", require_signatures=True).start()
            try:
                config = (Config()
                          .replace("kiosk", data_dir=str(root / "kiosk"), voice_engine="mock")
                          .replace("platform", url=platform.url,
                                   status_url=platform.url + "/v1/track/{tracking}"))
                platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
                core = assemble_kiosk(config, readers=PcscCardReader(VPCD_READER))
                read_ms, overview_ms = _rounds(core, rng)
            finally:
                platform.stop()
    ratio = statistics.median(overview_ms) / statistics.median(read_ms)
    return (f"my affairs (card to the first screen, online, {ROUNDS} inserts):\n"
            f"  insert -> overview: median {statistics.median(overview_ms):.0f} ms, "
            f"p95 {_p95(overview_ms):.0f} ms\n"
            f"  insert -> card read (baseline): median {statistics.median(read_ms):.0f} ms, "
            f"p95 {_p95(read_ms):.0f} ms\n"
            f"  my affairs costs {ratio:.2f}x the card read alone")


def _rounds(core, rng: random.Random) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    read_at: list[float] = []
    overview_at: list[float] = []
    arrived = threading.Event()

    def heard(event: ev.Event) -> None:
        now = time.perf_counter()
        if isinstance(event, ev.CardDidRead):
            read_at.append(now)
        elif isinstance(event, ev.RecordsDidChange) and event.stage == "overview":
            overview_at.append(now)
            arrived.set()

    core.events.subscribe(heard)
    core.start()
    card = VirtualCard()
    read_ms: list[float] = []
    overview_ms: list[float] = []
    try:
        for _ in range(ROUNDS):
            core.flow.reset()
            core.records.open()
            arrived.clear()
            time.sleep(rng.uniform(0, POLL_PHASE))
            inserted = time.perf_counter()
            card.insert()
            if not arrived.wait(15):
                raise RuntimeError("the overview never came")
            read_ms.append((read_at[-1] - inserted) * 1000)
            overview_ms.append((overview_at[-1] - inserted) * 1000)
            card.remove()
            wait_reader_empty(5.0)
    finally:
        core.flow.reset()
        core.stop()
    return read_ms, overview_ms


if __name__ == "__main__":
    print(run())
