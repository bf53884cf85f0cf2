"""What the technician panel's pages show beside the health report: the outbox in detail, the
machine, and the log's last lines. Plain data, gathered off the GUI thread by ``KioskCore``.

Nothing here holds personal data: outbox rows are ids, services, states and the platform's
reasons; log lines were redacted when they were written (``kiosk.logs``) and are redacted
again here, in case a line predates a redaction rule.
"""

from __future__ import annotations

import os
import platform
import shutil
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config
from kiosk.logs.redaction import redact
from kiosk.logs.setup import LOG_FILE
from sync.outbox.store import Outbox

QUARANTINE_SHOWN = 20


@dataclass(frozen=True)
class Quarantined:
    id: str
    service_code: str
    reason: str
    since: datetime | None


@dataclass(frozen=True)
class OutboxFacts:
    counts: dict[str, int]
    oldest_waiting_seconds: float | None
    quarantined: list[Quarantined]  # the newest first, at most QUARANTINE_SHOWN


@dataclass(frozen=True)
class SystemFacts:
    version: str
    python: str
    machine: str
    kiosk_uptime_seconds: float
    system_uptime_seconds: float | None
    load: tuple[float, float, float] | None
    memory_total_bytes: int | None
    memory_available_bytes: int | None
    disk_free_bytes: int | None
    disk_total_bytes: int | None
    settings: list[tuple[str, str]]  # a summary, secrets masked


def outbox_facts(outbox: Outbox, now: datetime | None = None) -> OutboxFacts:
    counts = outbox.counts()
    held = [r for r in (outbox.get(t) for t in outbox.ids(["quarantined"])) if r is not None]
    held.sort(key=lambda r: r.quarantined_at or r.created_at, reverse=True)
    return OutboxFacts(
        counts=counts,
        oldest_waiting_seconds=outbox.oldest_pending_age(now),
        quarantined=[Quarantined(r.id, r.service_code, r.last_error or r.verdict or "",
                                 r.quarantined_at) for r in held[:QUARANTINE_SHOWN]],
    )


def requeue_quarantined(outbox: Outbox) -> int:
    """Send every quarantined record again at the next sync (the technician fixed the cause)."""
    ids = outbox.ids(["quarantined"])
    for txid in ids:
        outbox.requeue(txid)
    return len(ids)


def system_facts(config: Config, started_monotonic: float) -> SystemFacts:
    total = available = None
    meminfo = _meminfo()
    if meminfo:
        total, available = meminfo.get("MemTotal"), meminfo.get("MemAvailable")
    free: int | None = None
    size: int | None = None
    try:
        disk = shutil.disk_usage(config.data_dir)
        free, size = disk.free, disk.total
    except OSError:
        pass
    try:
        load: tuple[float, float, float] | None = os.getloadavg()
    except OSError:
        load = None
    return SystemFacts(
        version=__version__,
        python=platform.python_version(),
        machine=f"{platform.system()} {platform.release()} {platform.machine()}",
        kiosk_uptime_seconds=max(0.0, time.monotonic() - started_monotonic),
        system_uptime_seconds=_system_uptime(),
        load=load,
        memory_total_bytes=total,
        memory_available_bytes=available,
        disk_free_bytes=free,
        disk_total_bytes=size,
        settings=settings_summary(config) + update_summary(config),
    )


def update_summary(config: Config) -> list[tuple[str, str]]:
    """Updates without a visit (docs/updates.md), for the system page: the last result of the
    updater, the versions rolled back, the last refusal of an offer, each in words."""
    from kiosk.updates.files import OUTCOME_FILE, STATUS_FILE, read_json, updates_dir

    directory = updates_dir(config.data_dir)
    outcome = read_json(directory / OUTCOME_FILE) or {}
    status = read_json(directory / STATUS_FILE) or {}
    rows: list[tuple[str, str]] = []
    last = outcome.get("last")
    if isinstance(last, dict) and last.get("result"):
        rows.append(("update.last", f"{last.get('result')} {last.get('version') or ''}: "
                                    f"{last.get('message') or ''}".strip()))
    if outcome.get("bad"):
        rows.append(("update.bad", ", ".join(str(v) for v in outcome["bad"])))
    if status.get("outcome") == "refused" and status.get("message"):
        rows.append(("update.refusal", str(status["message"])))
    return rows


def settings_summary(config: Config) -> list[tuple[str, str]]:
    """The settings a technician asks about first, as ``section.key = value``, secrets masked."""
    shown = {"kiosk": ("id", "code", "locale", "voice_engine", "data_dir"),
             "platform": ("url",), "reader": ("backend",), "printer": ("backend",),
             "sync": ("interval_seconds",)}
    values = config.as_dict(mask_secrets=True)
    return [(f"{section}.{key}", str(values.get(section, {}).get(key, "")))
            for section, keys in shown.items() for key in keys]


def recent_log_lines(config: Config, count: int = 40) -> list[str]:
    """The log file's last ``count`` lines (the kiosk's own log), redacted once more."""
    path = config.data_dir / LOG_FILE
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = deque(log, maxlen=count)
    except OSError:
        return []
    return [redact(line.rstrip("\n")) for line in lines]


def _meminfo() -> dict[str, int]:
    try:
        text = Path("/proc/meminfo").read_text("ascii")
    except OSError:
        return {}
    found: dict[str, int] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            found[name] = int(parts[0]) * (1024 if parts[1:2] == ["kB"] else 1)
    return found


def _system_uptime() -> float | None:
    try:
        return float(Path("/proc/uptime").read_text("ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
