"""What operators need to know of each kiosk, from the platform's database.

One row per enrolled kiosk: revoked or not, when its last heartbeat arrived (platform clock),
its software version, what its outbox holds (from that heartbeat), and its open staff calls.
The Prometheus metrics (:mod:`sync.server.metrics`) are made from these rows; a kiosk whose last
heartbeat is older than ``overdue_after`` seconds, or that never sent one, needs a visit.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from sync.server.schema import kiosks, transactions
from sync.server.schema_downlink import heartbeats
from sync.server.schema_messages import staff_calls

# The kiosk sends a heartbeat every 60 s (sync/downlink/heartbeat.py); missing five in a row
# is not a slow network any more.
DEFAULT_OVERDUE_AFTER = 300.0
OPEN_CALL_STATES = ("raised", "acknowledged")
BACKLOG_STATES = ("pending", "sending")


@dataclass(frozen=True)
class KioskStatus:
    kiosk_id: str
    revoked: bool
    last_seen: float | None  # platform clock of the last heartbeat; None: never
    version: str | None
    backlog: int  # records waiting to be uploaded, as the last heartbeat said
    quarantined: int
    oldest_pending_age: float | None  # seconds, as the last heartbeat said
    open_calls: int
    problems: tuple[tuple[str, str, str | None], ...] = ()  # (device, status, detail)

    def seen_ago(self, now: float) -> float | None:
        return None if self.last_seen is None else max(0.0, now - self.last_seen)

    def overdue(self, now: float, overdue_after: float = DEFAULT_OVERDUE_AFTER) -> bool:
        """Enrolled, not revoked, and silent for longer than ``overdue_after`` (or never heard)."""
        if self.revoked:
            return False
        ago = self.seen_ago(now)
        return ago is None or ago > overdue_after


def fleet(engine: Engine) -> list[KioskStatus]:
    """Every enrolled kiosk, by id."""
    with engine.connect() as conn:
        enrolled = conn.execute(select(kiosks.c.kiosk_id, kiosks.c.revoked_at)).fetchall()
        beats = {
            row.kiosk_id: row
            for row in conn.execute(
                select(heartbeats.c.kiosk_id, heartbeats.c.received_at, heartbeats.c.version,
                       heartbeats.c.document)
            )
        }
        calls: Counter[str] = Counter(
            dict(
                conn.execute(
                    select(staff_calls.c.kiosk_id, func.count())
                    .where(staff_calls.c.state.in_(OPEN_CALL_STATES))
                    .group_by(staff_calls.c.kiosk_id)
                ).fetchall()
            )
        )
    return [
        _status(row.kiosk_id, row.revoked_at is not None, beats.get(row.kiosk_id),
                calls[row.kiosk_id])
        for row in sorted(enrolled, key=lambda r: r.kiosk_id)
    ]


def transactions_received(engine: Engine) -> int:
    """Every transaction the platform has accepted since its database was made."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(transactions)).scalar_one())


def _status(kiosk_id: str, revoked: bool, beat: Any, open_calls: int) -> KioskStatus:
    if beat is None:
        return KioskStatus(kiosk_id, revoked, None, None, 0, 0, None, open_calls)
    outbox = _outbox_of(beat.document)
    found = outbox.get("counts")
    counts: dict[str, Any] = found if isinstance(found, dict) else {}
    oldest = outbox.get("oldest_pending_age_seconds")
    return KioskStatus(
        kiosk_id=kiosk_id,
        revoked=revoked,
        last_seen=float(beat.received_at),
        version=beat.version,
        backlog=sum(_count(counts.get(state)) for state in BACKLOG_STATES),
        quarantined=_count(counts.get("quarantined")),
        oldest_pending_age=float(oldest) if isinstance(oldest, int | float) else None,
        open_calls=open_calls,
        problems=_problems(beat.document),
    )


def _outbox_of(document: str) -> dict[str, Any]:
    """The heartbeat's outbox summary; the platform validated it at receipt, but a row written
    by an older version may lack it."""
    try:
        parsed = json.loads(document)
    except ValueError:
        return {}
    outbox = parsed.get("outbox") if isinstance(parsed, dict) else None
    return outbox if isinstance(outbox, dict) else {}


# Device words that need nobody: a reader present, a printer ready, or not asked yet.
FINE_DEVICE_STATUSES = frozenset({"ok", "ready", "idle", "unknown"})


def _problems(document: str) -> tuple[tuple[str, str, str | None], ...]:
    """The devices the last heartbeat reported in another state than a fine one."""
    try:
        parsed = json.loads(document)
    except ValueError:
        return ()
    devices = parsed.get("devices") if isinstance(parsed, dict) else None
    if not isinstance(devices, dict):
        return ()
    found = []
    for name in sorted(devices):
        entry = devices[name]
        if not isinstance(entry, dict):
            continue
        status = str(entry.get("status", "unknown"))
        detail = entry.get("detail")
        if status not in FINE_DEVICE_STATUSES:
            found.append((str(name), status, None if detail is None else str(detail)))
    update = parsed.get("update")
    if isinstance(update, dict):  # docs/updates.md: a release rolled back, an offer refused
        if update.get("last_result") == "rolled_back":
            found.append(("update", "rolled_back", str(update.get("last_message") or "")))
        elif update.get("refusal"):
            found.append(("update", "refused", str(update["refusal"])))
    return tuple(found)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
