"""The kiosk's downlink round: catalogue, status feed, heartbeat, staff credentials, one tick.

The parts live beside this module: :mod:`sync.downlink.catalog`,
:mod:`sync.downlink.status_feed`, :mod:`sync.downlink.heartbeat` and
:mod:`sync.downlink.staff`. :class:`Downlink` runs whichever of them is due; the kiosk's
platform poller thread calls :meth:`Downlink.tick` each time the platform answers its health
check. Nothing in here raises for what the network or the platform does: results are kept
for ``kiosk diagnose``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sync.downlink.catalog import CatalogSync, CatalogSyncResult
from sync.downlink.heartbeat import Heartbeat
from sync.downlink.staff import StaffSync, StaffSyncResult
from sync.downlink.status_feed import StatusFeed, StatusPullResult
from sync.platform.downlink_replies import HeartbeatAck

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

DEFAULT_CATALOG_INTERVAL = 15 * 60.0
DEFAULT_STATUS_INTERVAL = 60.0
DEFAULT_STAFF_INTERVAL = 5 * 60.0


@dataclass(frozen=True)
class DownlinkReport:
    """What one tick did (None: that part was not due or not configured)."""

    catalog: CatalogSyncResult | None = None
    status: StatusPullResult | None = None
    heartbeat: HeartbeatAck | None = None
    staff: StaffSyncResult | None = None


class _Every:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next: float | None = None

    def due(self, now: float) -> bool:
        return self.next is None or now >= self.next

    def done(self, now: float) -> None:
        self.next = now + self.interval


class Downlink:
    """Runs the configured parts when due. Any part may be None (not configured).

    ``heartbeat_doc`` builds the heartbeat document (the kiosk's wiring supplies outbox and
    device figures through :func:`build_heartbeat`). ``monotonic`` is injected for tests.
    """

    def __init__(
        self,
        client: PlatformClient,
        *,
        catalog: CatalogSync | None = None,
        status: StatusFeed | None = None,
        heartbeat: Heartbeat | None = None,
        heartbeat_doc: Callable[[], Mapping[str, Any]] | None = None,
        catalog_interval: float = DEFAULT_CATALOG_INTERVAL,
        status_interval: float = DEFAULT_STATUS_INTERVAL,
        staff: StaffSync | None = None,
        staff_interval: float = DEFAULT_STAFF_INTERVAL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if (heartbeat is None) != (heartbeat_doc is None):
            raise ValueError("heartbeat and heartbeat_doc go together")
        self.client = client
        self.catalog = catalog
        self.status = status
        self.heartbeat = heartbeat
        self._heartbeat_doc = heartbeat_doc
        self._catalog_every = _Every(catalog_interval)
        self._status_every = _Every(status_interval)
        self.staff = staff
        self._staff_every = _Every(staff_interval)
        self._monotonic = monotonic

    def request_catalog(self) -> None:
        """Sync the catalogue at the next tick (after an operator says one was published)."""
        self._catalog_every.next = None

    def tick(self, now: float | None = None) -> DownlinkReport:
        """Heartbeat first (it is the cheapest sign of life), then status, then catalogue."""
        now = self._monotonic() if now is None else now
        beat = status = catalog = None
        if self.heartbeat is not None and self._heartbeat_doc is not None:
            beat = self.heartbeat.beat(self.client, self._heartbeat_doc, now)
        if self.status is not None and self._status_every.due(now):
            status = self.status.pull()
            self._status_every.done(now)
            if status.more:  # stopped at its page limit: continue at the next tick
                self._status_every.next = now
        if self.catalog is not None and self._catalog_every.due(now):
            catalog = self.catalog.sync()
            self._catalog_every.done(now)
        staff = None
        if self.staff is not None and self._staff_every.due(now):
            staff = self.staff.sync()
            self._staff_every.done(now)
        return DownlinkReport(catalog=catalog, status=status, heartbeat=beat, staff=staff)
