"""The kiosk's side of the downlink: a newer catalog, application statuses, heartbeats, and
the staff credentials.

Only an enrolled kiosk takes part: the catalog and the staff list must carry the platform's
signature (checked against the key pinned at enrolment), and every request is signed by the
kiosk's key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.cards.base import CardReader
from devices.printers.base import ReceiptPrinter
from sync.downlink.catalog import CatalogSync
from sync.downlink.heartbeat import Heartbeat, build_heartbeat
from sync.downlink.schedule import Downlink
from sync.downlink.status_feed import StatusFeed
from sync.kiosk_keys import load_platform_keys
from sync.platform.protocol import StatusChange

from . import __version__
from .catalog import Catalog, load_catalog
from .config import Config
from .enrolment import identity_dir
from .staff_store import staff_sync

if TYPE_CHECKING:
    from sync.outbox.store import Outbox
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)


def catalog_dir(config: Config) -> Path:
    return config.data_dir / "catalog"


def catalog_sync(config: Config, client: PlatformClient) -> CatalogSync | None:
    """Only an enrolled kiosk can check the platform's catalog signature."""
    keys = load_platform_keys(identity_dir(config))
    if keys is None:
        return None
    return CatalogSync(
        client, catalog_dir(config), keys.catalogue_key,
        validator=lambda data: load_catalog(data.decode("utf-8")),
    )


def load_current_catalog(sync: CatalogSync | None) -> Catalog:
    """The newest signed catalog the platform delivered, else the one installed with the kiosk."""
    if sync is not None:
        try:
            path = sync.current_path()
            if path is not None:
                return load_catalog(path.read_text(encoding="utf-8"))
        except Exception:  # a damaged copy never stops the kiosk: fall back to the installed one
            log.exception("the synced catalog is unusable; using the installed catalog")
    return load_catalog()


def build_downlink(
    config: Config,
    client: PlatformClient,
    catalog: CatalogSync | None,
    outbox: Outbox,
    readers: list[CardReader],
    printer: ReceiptPrinter,
    on_status: Callable[[StatusChange], None],
) -> Downlink | None:
    if catalog is None or client.signer is None:
        log.info("not enrolled: no catalog, status or heartbeat exchange with the platform")
        return None
    started = time.monotonic()

    def heartbeat_doc() -> dict[str, Any]:
        devices: dict[str, Any] = {}
        for reader in readers:
            status = reader.status()
            devices[f"reader:{status.backend}"] = {
                "status": "ok" if status.present else "absent", "detail": status.detail}
        last = printer.last_status if hasattr(printer, "last_status") else None
        devices["printer"] = last.value if last is not None else "unknown"
        return build_heartbeat(
            config.kiosk.id,
            version=__version__,
            uptime_seconds=time.monotonic() - started,
            devices=devices,
            outbox_counts=outbox.counts(),
            oldest_pending_age_seconds=outbox.oldest_pending_age(),
            clock=time.time(),
            disk_path=config.data_dir,
        )

    sync = config.sync
    return Downlink(
        client,
        catalog=catalog,
        status=StatusFeed(client, config.data_dir / "status", on_status),
        heartbeat=Heartbeat(interval=sync.heartbeat_seconds),
        heartbeat_doc=heartbeat_doc,
        catalog_interval=sync.catalog_seconds,
        status_interval=sync.status_seconds,
        staff=staff_sync(config, client),
        staff_interval=sync.staff_seconds,
    )


def apply_status(outbox: Outbox, change: StatusChange) -> bool:
    return outbox.set_platform_status(
        change.txid, change.status, datetime.fromtimestamp(change.changed_at, UTC)
    )
