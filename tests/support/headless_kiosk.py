"""A kiosk core as the kiosk builds it, without a window: devices from its config (a simulated
card reader, a file printer), submissions without the touch screens.

For tests and the crash child that must drive the kiosk's own wiring (its signed platform
clients, its sync worker, its platform poller), not a worker built by hand. No Qt here:
the crash child imports it.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from devices.cards.base import CardData, CardKind
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.session import CitizenSession
from sync.uuid7 import uuid7

SYNC_DEFAULTS: dict[str, Any] = {
    "interval_seconds": 0.2,
    "batch_max_items": 10,
    "connectivity_seconds": 0.5,
    "heartbeat_seconds": 1.0,
    "status_seconds": 1.0,
    "catalog_seconds": 5.0,
}

# A made-up citizen (the check digit is valid; no such person).
CARD = CardData(
    kind=CardKind.SOCIAL_SECURITY, name="张三丰", gender="男", nation="汉",
    birth_date=date(1949, 12, 31), address="", id_number="11010519491231002X",
    issuing_authority="", valid_from=None, valid_to=None, card_number="A12345678",
    region="110105",
)


def headless_config(
    data_dir: Path, platform_url: str, kiosk_id: str, code: str = "K0451", **sync: Any
) -> Config:
    """A kiosk of its own in ``data_dir``, talking to ``platform_url``, quick sync intervals.

    ``code`` starts its tracking numbers; the platform takes them only from the kiosk whose
    code they carry, so kiosks enrolled with one platform need codes of their own.
    """
    data_dir = Path(data_dir)
    return (
        Config()
        .replace("kiosk", id=kiosk_id, code=code, data_dir=str(data_dir), voice_engine="mock")
        .replace("platform", url=platform_url, timeout_seconds=3.0)
        .replace("reader", backend="simulated")
        .replace("printer", backend="file", path=str(data_dir / "receipts.bin"))
        .replace("sync", **{**SYNC_DEFAULTS, **sync})
    )


def write_config(config: Config, path: Path) -> Path:
    """The config as a TOML file, so that another process loads exactly this one."""
    lines: list[str] = []
    for section, values in config.as_dict(mask_secrets=False).items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if key == "effective_data_dir":
                continue
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, int | float):
                text = repr(value)
            elif isinstance(value, tuple | list):
                text = json.dumps([str(v) for v in value])  # a TOML array of basic strings
            else:
                text = json.dumps(str(value))  # a JSON string is a TOML basic string
            lines.append(f"{key} = {text}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def build_kiosk(config: Config) -> KioskCore:
    """The core with the devices its config names, built as ``kiosk run`` builds it."""
    return assemble_kiosk(config)


def submit(core: KioskCore, rng: random.Random | None = None) -> str:
    """A citizen's confirmed application through the kiosk's own submitter; returns its id.

    What ``KioskCore.submit`` does once the flow reached its last step: seal, commit to the
    outbox, wake the worker (the receipt is not printed here).
    """
    note = "x" * (rng.choice([0, 200, 2000, 6000]) if rng is not None else 0)
    session = CitizenSession(
        service=core.catalog.services[0],
        identity=CARD,
        form={"phone": "13800138000", "note": note},
        txid=str(uuid7()),
    )
    done = core.submitter.submit(session)
    core.worker.wake()
    return done.txid


def drained(core: KioskCore) -> Callable[[], bool]:
    """True once nothing waits for the platform (no record pending or being sent)."""

    def check() -> bool:
        counts = core.outbox.counts()
        return counts["pending"] == 0 and counts["sending"] == 0

    return check


def seconds_until(condition: Callable[[], bool], give_up_after: float) -> float:
    """Seconds (real clock) until ``condition`` holds; past ``give_up_after`` it stops waiting
    and returns what it waited, so the caller's bound fails with the figure in its message."""
    started = time.monotonic()
    while not condition():
        waited = time.monotonic() - started
        if waited > give_up_after:
            return waited
        time.sleep(0.01)
    return time.monotonic() - started


def apply_through_the_flow(core: KioskCore, card: CardData = CARD) -> str:
    """A citizen walks the flow to the end and submits (``KioskCore.submit``, then its job is
    awaited); returns the tracking number."""
    flow = core.flow
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    assert flow.identify(card).ok
    flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    future = core.submit()
    assert future is not None
    future.result(timeout=10)
    assert flow.session.tracking_number is not None
    return flow.session.tracking_number
