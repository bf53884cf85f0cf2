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
from kiosk import __version__
from kiosk.catalog import Catalog, load_catalog
from kiosk.catalog.status import record_loaded, record_refusal
from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from sync.downlink.catalog import recorded_copy

# The signature check (cryptography), the schema (jsonschema) and the pinned keys load after
# the first paint: a start paints from the copy the catalogue directory recorded.
if TYPE_CHECKING:
    from sync.downlink.catalog import CatalogSync
    from sync.downlink.schedule import Downlink
    from sync.outbox.store import Outbox
    from sync.platform.client import PlatformClient
    from sync.platform.downlink_replies import StatusChange

log = logging.getLogger(__name__)


def catalog_dir(config: Config) -> Path:
    return config.data_dir / "catalog"


class CatalogGate:
    """Checks each catalog the platform sends against the schema and the cross-checks, on the
    connectivity thread, before it may replace the copy in use; a refusal is logged with its
    reason and recorded for ``kiosk diagnose``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._why: tuple[str, str | None] | None = None  # the validator's words, for refused()

    def check(self, data: bytes) -> Catalog:
        from kiosk.catalog.checks import CatalogInvalidError, check_downloaded, version_of

        try:
            return check_downloaded(data)
        except CatalogInvalidError as exc:
            self._why = ("; ".join(exc.problems[:3]), version_of(data))
            raise

    def refused(self, reason: str) -> None:
        detail, version = self._why or (reason, None)
        self._why = None
        log.warning("catalogue from the platform refused, the last good copy stays in use: %s",
                    detail)
        record_refusal(self.directory, detail, version)


def catalog_sync(config: Config, client: PlatformClient) -> CatalogSync | None:
    """Only an enrolled kiosk can check the platform's catalog signature."""
    from sync.downlink.catalog import CatalogSync
    from sync.kiosk_keys import load_platform_keys

    keys = load_platform_keys(identity_dir(config))
    if keys is None:
        return None
    gate = CatalogGate(catalog_dir(config))
    return CatalogSync(
        client, catalog_dir(config), keys.catalogue_key,
        validator=gate.check, on_refused=gate.refused,
    )


def load_catalog_at_start(config: Config) -> tuple[Catalog, Path | None]:
    """The catalogue to paint the first screen with, and the downloaded file it came from
    (None: the one installed with the kiosk).

    The downloaded copy is the one the catalogue directory recorded when its signature verified
    on arrival (:func:`sync.downlink.catalog.recorded_copy`); the running kiosk confirms it
    against the pinned key right after the first paint (:func:`catalog_after_check`)."""
    directory = catalog_dir(config)
    path = recorded_copy(directory)
    if path is not None:
        try:
            catalog = load_catalog(path.read_text(encoding="utf-8"))
            record_loaded(directory, catalog.version, "downloaded")
            return catalog, path
        except Exception as exc:  # a damaged copy never stops the kiosk: use the installed one
            log.exception("the synced catalog is unusable; using the installed catalog")
            record_refusal(directory, f"the downloaded copy cannot be read "
                           f"({type(exc).__name__}); the installed catalogue is used")
    catalog = load_catalog()
    if directory.is_dir():
        record_loaded(directory, catalog.version, "installed")
    return catalog, None


def catalog_after_check(sync: CatalogSync | None, started_from: Path | None) -> Catalog | None:
    """None when the copy the kiosk started from is the one that verifies now; else the
    catalogue to use instead (the verified copy, or the installed one)."""
    verified = sync.current_path() if sync is not None else None
    if verified == started_from:
        return None
    if started_from is not None:
        log.warning("the catalogue copy used at start does not verify against the pinned key "
                    "(or the kiosk is no longer enrolled); it is replaced between citizens")
    return load_current_catalog(sync)


def load_current_catalog(sync: CatalogSync | None) -> Catalog:
    """The newest signed catalog the platform delivered, else the one installed with the kiosk.

    Parsing only: a downloaded copy passed its checks when it arrived, the installed one in CI.
    """
    if sync is not None:
        try:
            path = sync.current_path()
            if path is not None:
                catalog = load_catalog(path.read_text(encoding="utf-8"))
                record_loaded(sync.directory, catalog.version, "downloaded")
                return catalog
        except Exception as exc:  # a damaged copy never stops the kiosk: use the installed one
            log.exception("the synced catalog is unusable; using the installed catalog")
            record_refusal(sync.directory, f"the downloaded copy cannot be read "
                           f"({type(exc).__name__}); the installed catalogue is used")
    catalog = load_catalog()
    if sync is not None:
        record_loaded(sync.directory, catalog.version, "installed")
    return catalog


def build_downlink(
    config: Config,
    client: PlatformClient,
    catalog: CatalogSync | None,
    outbox: Outbox,
    readers: list[CardReader],
    printer: ReceiptPrinter,
    on_status: Callable[[StatusChange], None],
    update_report: Callable[[], dict[str, Any]] | None = None,
    audit_head: Callable[[], tuple[int, str] | None] | None = None,
) -> Downlink | None:
    # The downlink runs on the poller thread, after the first paint: its modules load here.
    from kiosk.staff.store import staff_sync
    from sync.downlink.heartbeat import Heartbeat, build_heartbeat
    from sync.downlink.schedule import Downlink
    from sync.downlink.status_feed import StatusFeed

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
            update=update_report() if update_report is not None else None,
            audit_head=audit_head() if audit_head is not None else None,
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
