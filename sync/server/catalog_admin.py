"""Operator actions of the downlink: publish a service catalogue, move a transaction's status.

Both are plain functions over an engine (what the CLI, tests and an admin UI call) plus the
command lines ``kiosk server publish-catalog FILE``, ``kiosk server set-status TXID STATUS``,
``kiosk server heartbeats`` and ``kiosk server unlock-tracking NUMBER`` (a tracking number
locked by wrong query codes, :mod:`sync.server.tracking_lookup`) (:func:`run_downlink_admin`).

A catalogue is validated (UTF-8 JSON object with a non-empty ``version`` and a ``services``
list of objects with a ``code``), signed with the platform's catalogue key over its exact
bytes, and stored; the newest one is served. Publishing the same bytes again changes nothing.
The operator's command also checks the catalogue's JSON Schema (``assets/catalog/schema.json``,
the one kiosks apply) and refuses a file that fails it (:func:`check_catalog_schema`); the
cross-checks kiosks add (references, unique codes) and the pinyin search index are the job of
``python -m kiosk.catalog.build_index FILE --embed``, run before publishing (docs/catalog.md).

Statuses move ``accepted -> processing -> approved | rejected | ready_for_pickup`` (and
``accepted -> rejected``, ``approved -> ready_for_pickup``); ``force`` lets an operator correct
a mistake outside those moves. Each move updates the transaction and appends one numbered
change for the status feed, in one database transaction.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.file_modes import private_directory
from sync.platform.protocol import STATUSES
from sync.platform.signing import ed25519_key_id
from sync.server.db import create_schema
from sync.server.keys import load_or_create_catalogue_key
from sync.server.schema import transactions
from sync.server.schema_downlink import (
    catalogs,
    heartbeats,
    metadata,
    status_changes,
    status_sequence,
)
from sync.server.store import make_engine
from sync.server.tracking_lookup import unlock_tracking

MAX_CATALOG_BYTES = 512 * 1024
TRANSITIONS: dict[str, frozenset[str]] = {
    "accepted": frozenset({"processing", "rejected"}),
    "processing": frozenset({"approved", "rejected", "ready_for_pickup"}),
    "approved": frozenset({"ready_for_pickup"}),
    "rejected": frozenset(),
    "ready_for_pickup": frozenset(),
}
SEQUENCE_NAME = "status"
MAX_REASON_CHARS = 200
DOWNLINK_COMMANDS = ("publish-catalog", "set-status", "heartbeats", "unlock-tracking")


class CatalogError(ValueError):
    """The file is not a catalogue the platform will publish."""


class StatusError(ValueError):
    """The transaction is unknown or the move is not allowed; ``reason`` is machine-readable."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PublishedCatalog:
    id: int
    version: str
    sha256: str
    key_id: str
    changed: bool  # False: these exact bytes were already the current catalogue


@dataclass(frozen=True)
class StatusMove:
    txid: str
    previous: str
    status: str
    seq: int | None  # None: it already had that status, nothing was recorded


def validate_catalog(data: bytes) -> str:
    """Check the catalogue's shape; return its version. CatalogError says what is wrong."""
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"catalogue is larger than {MAX_CATALOG_BYTES} bytes")
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogError("catalogue is not UTF-8") from exc
    except ValueError as exc:
        raise CatalogError(f"catalogue is not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise CatalogError("catalogue must be a JSON object")
    version = doc.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > 64:
        raise CatalogError('catalogue needs a "version" string of 1-64 characters')
    services = doc.get("services")
    if not isinstance(services, list):
        raise CatalogError('catalogue needs a "services" list')
    for index, service in enumerate(services):
        if not isinstance(service, dict) or not isinstance(service.get("code"), str):
            raise CatalogError(f'service #{index} is not an object with a "code"')
    return version


def check_catalog_schema(data: bytes) -> None:
    """Refuse a catalogue that fails its JSON Schema, naming the first problems and where."""
    from jsonschema import Draft202012Validator

    schema = json.loads(
        (resources.files("assets") / "catalog" / "schema.json").read_text("utf-8"))
    doc = json.loads(data.decode("utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(doc),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        shown = "; ".join(
            f"{'/'.join(str(p) for p in e.absolute_path) or '(document)'}: {e.message}"
            for e in errors[:3])
        raise CatalogError(f"catalogue does not match its schema ({len(errors)} problem(s)): "
                           f"{shown}")


def sign_catalog(data: bytes, key: Ed25519PrivateKey) -> str:
    """Base64 Ed25519 signature over the exact catalogue bytes."""
    return base64.b64encode(key.sign(data)).decode("ascii")


def publish_catalog(
    engine: Engine,
    data: bytes,
    key: Ed25519PrivateKey,
    *,
    clock: Callable[[], float] = time.time,
) -> PublishedCatalog:
    """Validate, sign and store a catalogue; it is served from the next request on."""
    version = validate_catalog(data)
    digest = hashlib.sha256(data).hexdigest()
    key_id = ed25519_key_id(key.public_key())
    metadata.create_all(engine)
    with engine.begin() as conn:
        current = conn.execute(
            select(catalogs.c.id, catalogs.c.sha256, catalogs.c.key_id)
            .order_by(catalogs.c.id.desc())
            .limit(1)
        ).first()
        if current is not None and current.sha256 == digest and current.key_id == key_id:
            return PublishedCatalog(current.id, version, digest, key_id, changed=False)
        result = conn.execute(
            insert(catalogs).values(
                version=version,
                sha256=digest,
                body=data,
                signature=sign_catalog(data, key),
                key_id=key_id,
                published_at=clock(),
            )
        )
        primary_key = result.inserted_primary_key
        assert primary_key is not None  # an INSERT of one row always has one
        new_id = int(primary_key[0])
    return PublishedCatalog(new_id, version, digest, key_id, changed=True)


def ensure_sequence(engine: Engine) -> None:
    """Create the status change counter row if it is missing (safe to race); tables and
    columns a newer version added come first (``status_changes.reason``)."""
    create_schema(engine, metadata)
    with engine.connect() as conn:
        found = conn.execute(
            select(status_sequence.c.value).where(status_sequence.c.name == SEQUENCE_NAME)
        ).first()
    if found is not None:
        return
    try:
        with engine.begin() as conn:
            conn.execute(insert(status_sequence).values(name=SEQUENCE_NAME, value=0))
    except IntegrityError:
        pass  # another process created it


def _next_seq(conn: Connection) -> int:
    """Take the next change number; the row lock lasts until commit (see schema_downlink)."""
    conn.execute(
        update(status_sequence)
        .where(status_sequence.c.name == SEQUENCE_NAME)
        .values(value=status_sequence.c.value + 1)
    )
    return int(
        conn.execute(
            select(status_sequence.c.value).where(status_sequence.c.name == SEQUENCE_NAME)
        ).scalar_one()
    )


def set_status(
    engine: Engine,
    txid: str,
    status: str,
    *,
    force: bool = False,
    clock: Callable[[], float] = time.time,
    reason: str | None = None,
) -> StatusMove:
    """Move one transaction to ``status`` and record the change for its kiosk's feed.

    ``reason`` says why (what the citizen reads under 我的办件 for ``rejected``), at most
    200 characters; it is kept with the change."""
    if reason is not None:
        reason = " ".join(reason.split())
        if not reason or len(reason) > MAX_REASON_CHARS:
            raise StatusError("bad_reason",
                              f"a reason is 1 to {MAX_REASON_CHARS} characters of plain text")
    if status not in STATUSES:
        raise StatusError("unknown_status", f"status must be one of {', '.join(STATUSES)}")
    ensure_sequence(engine)
    for _attempt in range(3):  # a concurrent move of the same transaction: read it again
        with engine.connect() as conn:
            row = conn.execute(
                select(transactions.c.kiosk_id, transactions.c.status).where(
                    transactions.c.id == txid
                )
            ).first()
        if row is None:
            raise StatusError("unknown_transaction", f"no transaction {txid}")
        previous = str(row.status)
        if previous == status:
            return StatusMove(txid, previous, status, None)
        if not force and status not in TRANSITIONS.get(previous, frozenset()):
            raise StatusError(
                "not_allowed", f"cannot move {previous} -> {status} (use --force to correct)"
            )
        with engine.begin() as conn:
            moved = conn.execute(
                update(transactions)
                .where(transactions.c.id == txid, transactions.c.status == previous)
                .values(status=status)
            )
            if moved.rowcount != 1:
                continue  # someone moved it first; nothing was written, read it again
            seq = _next_seq(conn)
            conn.execute(
                insert(status_changes).values(
                    seq=seq,
                    txid=txid,
                    kiosk_id=row.kiosk_id,
                    status=status,
                    previous=previous,
                    changed_at=clock(),
                    reason=reason,
                )
            )
        return StatusMove(txid, previous, status, seq)
    raise StatusError("busy", "the transaction kept changing; try again")


def latest_heartbeats(engine: Engine) -> list[dict[str, Any]]:
    """The latest heartbeat of every kiosk that sent one, oldest first."""
    metadata.create_all(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(heartbeats).order_by(heartbeats.c.received_at)).fetchall()
    result = []
    for row in rows:
        doc = json.loads(row.document)
        doc.update(kiosk_id=row.kiosk_id, received_at=row.received_at)
        result.append(doc)
    return result


# -- command line ------------------------------------------------------------------------------


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server", description="Platform downlink commands.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        return sub

    publish = common(commands.add_parser("publish-catalog", help="sign and publish a catalogue"))
    publish.add_argument("file", type=Path, help="the catalogue JSON (services.json format)")
    move = common(commands.add_parser("set-status", help="move a transaction's status"))
    move.add_argument("txid", help="transaction id")
    move.add_argument("status", choices=STATUSES)
    move.add_argument("--force", action="store_true", help="allow a move outside the usual order")
    move.add_argument("--reason", default=None,
                      help="why (the citizen reads it under 我的办件), e.g. for rejected")
    common(commands.add_parser("heartbeats", help="the latest heartbeat of each kiosk"))
    unlock = common(commands.add_parser(
        "unlock-tracking", help="let a tracking number locked by wrong query codes be looked up "
        "again (after checking the citizen at the counter)"))
    unlock.add_argument("tracking_number")
    return parser


def _print_heartbeats(engine: Engine, now: float) -> None:
    for beat in latest_heartbeats(engine):
        outbox = beat.get("outbox") or {}
        counts = outbox.get("counts") or {}
        oldest = outbox.get("oldest_pending_age_seconds")
        skew = beat["received_at"] - float(beat.get("clock", beat["received_at"]))
        sys.stdout.write(
            f"{beat['kiosk_id']}\tseen {_when(beat['received_at'])} "
            f"({now - beat['received_at']:.0f} s ago)\tversion {beat.get('version', '?')}"
            f"\tclock {skew:+.0f} s\tpending {counts.get('pending', 0)}"
            f"\toldest {'-' if oldest is None else f'{oldest:.0f} s'}"
            f"\tdisk free {int(beat.get('disk_free_bytes', 0)) // (1024 * 1024)} MiB\n"
        )


def run_downlink_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    """Run one downlink operator command; 0 on success, 1 if refused, 2 on bad usage."""
    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        if args.command == "publish-catalog":
            try:
                data = args.file.read_bytes()
                validate_catalog(data)
                check_catalog_schema(data)
                key = load_or_create_catalogue_key(args.data_dir)
                published = publish_catalog(engine, data, key)
            except (OSError, CatalogError) as exc:
                sys.stderr.write(f"cannot publish {args.file}: {exc}\n")
                return 1
            state = "published" if published.changed else "already current"
            sys.stdout.write(
                f"catalogue {published.version} {state} (sha256 {published.sha256[:16]}, "
                f"signed by {published.key_id})\n"
            )
            if b'"search_index"' not in data:
                sys.stdout.write(
                    "note: it carries no search index: kiosks find new titles and keywords by "
                    "Chinese text only (python -m kiosk.catalog.build_index FILE --embed)\n")
            return 0
        if args.command == "set-status":
            try:
                move = set_status(engine, args.txid, args.status, force=args.force,
                                  reason=args.reason)
            except StatusError as exc:
                sys.stderr.write(f"{exc}\n")
                return 1
            if move.seq is None:
                sys.stdout.write(f"{move.txid}: already {move.status}\n")
            else:
                sys.stdout.write(
                    f"{move.txid}: {move.previous} -> {move.status} (change {move.seq})\n"
                )
            return 0
        if args.command == "unlock-tracking":
            metadata.create_all(engine)
            if not unlock_tracking(engine, args.tracking_number):
                sys.stderr.write(f"{args.tracking_number}: no wrong codes were counted\n")
                return 1
            sys.stdout.write(f"{args.tracking_number}: unlocked\n")
            return 0
        _print_heartbeats(engine, time.time())
        return 0
    finally:
        engine.dispose()
