"""Waiting records to a USB stick for a kiosk that cannot reach the platform, and the
platform's acknowledgement back (issue 13, item 2; the file format is ``sync.transfer.bundle``).

The technician mounts the stick (the kiosk never mounts media by itself), runs
``kiosk outbox export-usb <mount point>`` (or, on the running kiosk, presses the technician
panel's button, which mounts the stick picked for that one job: ``kiosk.usb_media``),
carries it to the platform, where
``kiosk server import <mount point>`` ingests the records and writes an ack beside each
bundle; back at the kiosk, ``kiosk outbox read-acks <mount point>`` marks those records acked
(the platform has them), so a kiosk that never reconnects does not fill its outbox. Records
stay pending until then: should the network come back first, they upload as usual and the
platform counts the stick's copy as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.config import Config, ConfigError
from kiosk.platform_link.enrolment import identity_dir
from sync.atomic_file import write_atomic
from sync.kiosk_keys import IdentityError, load_identity, load_platform_keys
from sync.outbox.peek import peek_records
from sync.outbox.store import Outbox
from sync.platform.signing import load_ed25519_public_key
from sync.sealing import load_public_key
from sync.transfer.bundle import (
    TransferError,
    TransferItem,
    bundle_path,
    make_bundle,
    read_ack,
)
from sync.uuid7 import uuid7

EXPORTED_STATES = ("pending", "sending")
SETTLED = ("accepted", "duplicate")


@dataclass(frozen=True)
class Exported:
    path: Path
    count: int


@dataclass(frozen=True)
class AcksRead:
    acked: int
    quarantined: int
    unknown: int  # records the ack names that this outbox no longer holds (already acked)
    refused: list[str]  # ack files that could not be used, with why


def export_to_stick(config: Config, root: Path, now: datetime | None = None) -> Exported:
    """Write one signed bundle of every waiting record under ``root``; ConfigError if this
    kiosk is not enrolled (it needs the platform's pinned sealing key and its own key)."""
    try:
        identity = load_identity(identity_dir(config))
        keys = load_platform_keys(identity_dir(config))
    except IdentityError as exc:
        raise ConfigError(f"cannot sign an export: {exc}") from exc
    if keys is None:
        raise ConfigError("this kiosk is not enrolled: it has no platform key to seal to")
    if not Path(root).is_dir():
        raise ConfigError(f"{root} is not a directory: mount the stick first")
    records = [r for r in peek_records(config.outbox_path, EXPORTED_STATES) if r.envelope]
    bundle_id = str(uuid7())
    created = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    data = make_bundle(
        config.kiosk.id, bundle_id, created,
        [TransferItem(r.id, r.envelope or b"", r.query_code) for r in records],
        load_public_key(keys.sealing_key), keys.sealing_key_id, identity.sign,
    )
    path = bundle_path(root, config.kiosk.id, bundle_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, mode=0o600)
    return Exported(path, len(records))


def read_acks_from_stick(config: Config, root: Path, outbox: Outbox | None = None) -> AcksRead:
    """Apply every ack for this kiosk found under ``root``. Without ``outbox`` it opens the
    outbox file and takes its lock: the kiosk must be stopped; inside the running kiosk (the
    technician panel) it is handed the kiosk's own open outbox."""
    keys = load_platform_keys(identity_dir(config))
    if keys is None:
        raise ConfigError("this kiosk is not enrolled: it cannot check the platform's signature")
    platform_key = load_ed25519_public_key(keys.catalogue_key)
    folder = bundle_path(root, config.kiosk.id, "x").parent
    acked = quarantined = unknown = 0
    refused: list[str] = []
    own = outbox is None
    store = Outbox(config.outbox_path) if outbox is None else outbox
    try:
        for path in sorted(folder.glob("*.ack.json")):
            try:
                ack = read_ack(path.read_bytes(), platform_key, config.kiosk.id)
            except (OSError, TransferError) as exc:
                refused.append(f"{path.name}: {exc}")
                continue
            for txid, (verdict, reason) in sorted(ack.verdicts.items()):
                record = store.get(txid)
                if record is None or record.state not in EXPORTED_STATES:
                    unknown += 1
                elif verdict in SETTLED:
                    store.mark_acked([txid], {txid: verdict})
                    acked += 1
                else:
                    store.mark_quarantined(txid, reason or verdict, verdict=verdict)
                    quarantined += 1
    finally:
        if own:
            store.close()
    return AcksRead(acked, quarantined, unknown, refused)
