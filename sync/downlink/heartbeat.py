"""Kiosk heartbeat: what the platform's operators see of each kiosk, every N seconds.

:func:`build_heartbeat` gathers the document (version, uptime, device health, outbox counts
and oldest pending age, the kiosk's clock, disk space, the audit log's head) from values the
kiosk passes in; it holds no personal data. :func:`send_heartbeat` posts it (signed) and
returns the platform's clock, so the kiosk can report skew. :class:`Heartbeat` decides when
the next one is due, retrying sooner after a failure.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.platform.downlink_replies import HeartbeatAck
from sync.platform.errors import PlatformError

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 60.0
DEFAULT_RETRY_INTERVAL = 15.0
MAX_DETAIL = 200
MAX_DEVICES = 32


def _device(value: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(value, str):
        return {"status": value[:32], "detail": None}
    detail = value.get("detail")
    return {
        "status": str(value.get("status", "unknown"))[:32],
        "detail": None if detail is None else str(detail)[:MAX_DETAIL],
    }


def build_heartbeat(
    kiosk_id: str,
    *,
    version: str,
    uptime_seconds: float,
    devices: Mapping[str, str | Mapping[str, Any]],
    outbox_counts: Mapping[str, int],
    oldest_pending_age_seconds: float | None,
    clock: float,
    disk_path: str | os.PathLike[str],
    update: Mapping[str, Any] | None = None,
    audit_head: tuple[int, str] | None = None,
) -> dict[str, Any]:
    """The heartbeat document. ``devices`` maps a device name to its status word (or to
    ``{"status", "detail"}``); ``clock`` is the kiosk's wall clock (Unix seconds);
    ``disk_path`` is where the kiosk keeps its data (free space is measured there);
    ``update`` the update agent's report (docs/updates.md), sent when given;
    ``audit_head`` is the audit log's last sequence number and hash (docs/audit.md)."""
    usage = shutil.disk_usage(Path(disk_path))
    names = sorted(devices)[:MAX_DEVICES]
    doc: dict[str, Any] = {
        "kiosk_id": kiosk_id,
        "version": version[:64] or "unknown",
        "uptime_seconds": max(0.0, float(uptime_seconds)),
        "clock": float(clock),
        "devices": {name[:64]: _device(devices[name]) for name in names},
        "outbox": {
            "counts": {str(state): max(0, int(n)) for state, n in outbox_counts.items()},
            "oldest_pending_age_seconds": (
                None
                if oldest_pending_age_seconds is None
                else max(0.0, float(oldest_pending_age_seconds))
            ),
        },
        "disk_free_bytes": int(usage.free),
        "disk_total_bytes": int(usage.total),
    }
    if update is not None:
        doc["update"] = dict(update)
    if audit_head is not None:
        doc["audit"] = {"seq": int(audit_head[0]), "hash": str(audit_head[1])}
    return doc


def send_heartbeat(client: PlatformClient, doc: Mapping[str, Any]) -> HeartbeatAck:
    """POST the heartbeat; raises the client's PlatformError family on failure."""
    return client.send_heartbeat(dict(doc))


class Heartbeat:
    """When to send: every ``interval`` seconds, ``retry_interval`` after a failure.

    Times are the caller's monotonic seconds. :meth:`beat` builds and sends when due.
    """

    def __init__(
        self, interval: float = DEFAULT_INTERVAL, retry_interval: float = DEFAULT_RETRY_INTERVAL
    ) -> None:
        if interval <= 0 or retry_interval <= 0:
            raise ValueError("heartbeat intervals must be positive")
        self.interval = interval
        self.retry_interval = min(retry_interval, interval)
        self._next: float | None = None  # None: due now
        self.last_ack: HeartbeatAck | None = None
        self.last_error: str | None = None

    def due(self, now: float) -> bool:
        return self._next is None or now >= self._next

    def mark_sent(self, now: float, ack: HeartbeatAck | None = None) -> None:
        self._next = now + self.interval
        self.last_error = None
        if ack is not None:
            self.last_ack = ack

    def mark_failed(self, now: float, error: str) -> None:
        self._next = now + self.retry_interval
        self.last_error = error

    def beat(
        self, client: PlatformClient, build: Callable[[], Mapping[str, Any]], now: float
    ) -> HeartbeatAck | None:
        """Send one heartbeat if due; the ack, or None if not due or it failed."""
        if not self.due(now):
            return None
        try:
            ack = send_heartbeat(client, build())
        except PlatformError as exc:
            self.mark_failed(now, str(exc))
            log.info("heartbeat not delivered: %s", exc)
            return None
        self.mark_sent(now, ack)
        if abs(ack.offset_seconds) > 60:
            log.warning("kiosk clock is %+.0f s off the platform's", -ack.offset_seconds)
        return ack
