"""``kiosk server import <mount point> --data-dir DIR``: records a kiosk carried on a USB stick.

Each bundle under ``<mount point>/kiosk-transfer/<kiosk id>/`` is refused whole unless the kiosk
is enrolled and not revoked and the file carries its enrolled key's signature; then its sealed
part is opened with the platform's key and its records are judged exactly as an HTTP batch
from that kiosk is (``sync.server.judging``): a record the platform already has, from the
network or from an earlier import of the same stick, is a duplicate, never a second copy. The
platform's verdicts are written beside the bundle as a signed acknowledgement, which the kiosk
reads back (``kiosk outbox read-acks``). The format: ``sync.transfer.bundle``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.atomic_file import write_atomic
from sync.server.judging import platform_judge
from sync.server.keys import (
    PRIVATE_KEY_FILE,
    load_or_create_catalogue_key,
    load_or_create_keys,
    load_or_create_lookup_key,
)
from sync.server.kiosk_codes import KioskCodeMissingError
from sync.server.registry import KioskRegistry
from sync.server.store import TransactionStore
from sync.server.tracking_lookup import StatusLookup
from sync.transfer.bundle import (
    TransferError,
    ack_path,
    bundles_under,
    make_ack,
    open_bundle,
    read_bundle,
    verify_bundle,
)

IMPORT_COMMAND = "import"


@dataclass(frozen=True)
class _Item:
    id: str
    envelope: str
    payload_hash: str
    query_code: str | None


@dataclass(frozen=True)
class BundleOutcome:
    path: Path
    kiosk_id: str | None
    verdicts: dict[str, tuple[str, str | None]]
    refused: str | None = None  # why the whole bundle was refused


def import_stick(root: Path, data_dir: Path, database_url: str) -> list[BundleOutcome]:
    if not (data_dir / PRIVATE_KEY_FILE).exists():
        raise TransferError(f"no platform keys in {data_dir}: is this the platform's data dir?")
    store = TransactionStore(database_url)
    try:
        registry = KioskRegistry(store.engine)
        lookup_key = load_or_create_lookup_key(data_dir)
        private_key = load_or_create_keys(data_dir)
        signing_key = load_or_create_catalogue_key(data_dir)
        judge = platform_judge(store, private_key, registry,
                               StatusLookup(store.engine, lookup_key), lookup_key)
        kiosks = {k.kiosk_id: k for k in registry.kiosks()}
        outcomes = []
        for path in bundles_under(root):
            try:
                bundle = read_bundle(path.read_bytes())
                kiosk = kiosks.get(bundle.kiosk_id)
                if kiosk is None:
                    raise TransferError(f"kiosk {bundle.kiosk_id} is not enrolled here")
                if kiosk.revoked:
                    raise TransferError(f"kiosk {bundle.kiosk_id} is revoked: its export is "
                                        "refused")
                verify_bundle(bundle, kiosk.public_key)
                items = [_item(raw) for raw in open_bundle(bundle, private_key)]
                judged = judge.judge(bundle.kiosk_id, items, authenticated=True)
            except (OSError, TransferError, KioskCodeMissingError) as exc:
                outcomes.append(BundleOutcome(path, None, {}, refused=str(exc)))
                continue
            verdicts: dict[str, tuple[str, str | None]] = {
                v.id: (str(v.verdict), v.reason) for v in judged}
            write_atomic(ack_path(path), make_ack(bundle, verdicts, signing_key.sign), mode=0o600)
            outcomes.append(BundleOutcome(path, bundle.kiosk_id, verdicts))
        return outcomes
    finally:
        store.dispose()


def _item(raw: Any) -> _Item:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), str) for k in ("id", "envelope", "payload_hash")
    ):
        raise TransferError("a record in the bundle is malformed")
    code = raw.get("query_code")
    return _Item(raw["id"], raw["envelope"], raw["payload_hash"],
                 code if isinstance(code, str) else None)


def run_import(argv: list[str], default_url: Callable[[Path], str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"kiosk server {IMPORT_COMMAND}",
        description="Ingest the records kiosks exported to a USB stick; write an "
        "acknowledgement beside each bundle for the kiosk to read back.")
    parser.add_argument("root", type=Path, help="where the stick is mounted")
    parser.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    args = parser.parse_args(argv)
    try:
        outcomes = import_stick(args.root, args.data_dir,
                                args.database_url or default_url(args.data_dir))
    except TransferError as exc:
        sys.stderr.write(f"import refused: {exc}\n")
        return 2
    if not outcomes:
        sys.stderr.write(f"no kiosk bundles under {args.root}\n")
        return 1
    for o in outcomes:
        if o.refused:
            sys.stderr.write(f"{o.path.name}: refused: {o.refused}\n")
            continue
        tally: dict[str, int] = {}
        for verdict, _ in o.verdicts.values():
            tally[verdict] = tally.get(verdict, 0) + 1
        words = ", ".join(f"{n} {v}" for v, n in sorted(tally.items())) or "no records"
        sys.stdout.write(f"{o.path.name} from {o.kiosk_id}: {words}; acknowledgement written\n")
    return 1 if any(o.refused for o in outcomes) else 0
