"""Operator side of staff credentials: add, remove and list people; issue the signed document.

``kiosk server staff add --data-dir DIR --id 4711 --name "Wang Fang" --role technician`` reads
the person's PIN twice, at a hidden prompt or from two lines of stdin (never from the command
line, which shows in ``ps``), hashes it with Argon2id and stores only the hash.
``kiosk server staff remove --id 4711`` and ``kiosk server staff list`` do what they say.

Every change issues a new credential document in the same database transaction: the people
as they now are, with the next serial, signed with the platform's downlink key (the one kiosks
pinned at enrolment, which also signs catalogues; the signing context keeps the two apart).
Kiosks pick it up at their next downlink round.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sync.platform.signing import ed25519_key_id
from sync.server.keys import load_or_create_catalogue_key
from sync.server.schema_staff import metadata, staff_documents, staff_people
from sync.server.store import make_engine
from sync.staff_credentials import (
    MAX_NAME_CHARS,
    MAX_PEOPLE,
    ROLES,
    Person,
    PinPolicyError,
    StaffDocumentError,
    build_document,
    check_person_id,
    hash_pin,
    read_new_pin,
    sign_document,
)

STAFF_COMMAND = "staff"


class StaffError(ValueError):
    """The change is refused; the message says why."""


@dataclass(frozen=True)
class IssuedDocument:
    serial: int
    sha256: str
    people: int


def _people(conn: Connection) -> list[Person]:
    rows = conn.execute(select(staff_people).order_by(staff_people.c.person_id)).fetchall()
    return [Person(r.person_id, r.name, r.role, r.pin_hash) for r in rows]


def _issue(conn: Connection, key: Ed25519PrivateKey, now: float) -> IssuedDocument:
    """A new document of everyone in the table, numbered after the last one, signed."""
    last = conn.execute(select(func.max(staff_documents.c.serial))).scalar_one_or_none()
    serial = int(last or 0) + 1
    people = _people(conn)
    body = build_document(people, serial, now)
    digest = hashlib.sha256(body).hexdigest()
    conn.execute(
        insert(staff_documents).values(
            serial=serial,
            sha256=digest,
            body=body,
            signature=sign_document(body, key),
            key_id=ed25519_key_id(key.public_key()),
            issued_at=now,
        )
    )
    return IssuedDocument(serial, digest, len(people))


def _change(
    engine: Engine,
    key: Ed25519PrivateKey,
    clock: Callable[[], float],
    apply: Callable[[Connection, float], None],
) -> IssuedDocument:
    metadata.create_all(engine)
    for _attempt in range(3):
        try:
            with engine.begin() as conn:
                now = clock()
                apply(conn, now)
                return _issue(conn, key, now)
        except IntegrityError:
            continue  # another operator took that serial (or that person) first: read again
    raise StaffError("the credential list kept changing; try again")


def add_person(
    engine: Engine,
    key: Ed25519PrivateKey,
    person_id: str,
    name: str,
    role: str,
    pin: str,
    *,
    replace: bool = False,
    clock: Callable[[], float] = time.time,
) -> IssuedDocument:
    """Add (or with ``replace``, re-issue) a person's credential; only the hash is kept."""
    try:
        check_person_id(person_id)
    except StaffDocumentError as exc:
        raise StaffError(str(exc)) from exc
    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise StaffError(f"a name is 1 to {MAX_NAME_CHARS} characters")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    try:
        pin_hash = hash_pin(pin)
    except PinPolicyError as exc:
        raise StaffError(str(exc)) from exc

    def apply(conn: Connection, now: float) -> None:
        exists = conn.execute(
            select(staff_people.c.person_id).where(staff_people.c.person_id == person_id)
        ).first()
        values = {"name": name, "role": role, "pin_hash": pin_hash, "updated_at": now}
        if exists is not None:
            if not replace:
                raise StaffError(f"staff number {person_id} exists (--replace to re-issue it)")
            conn.execute(
                update(staff_people).where(staff_people.c.person_id == person_id).values(**values)
            )
            return
        count = conn.execute(select(func.count()).select_from(staff_people)).scalar_one()
        if count >= MAX_PEOPLE:
            raise StaffError(f"at most {MAX_PEOPLE} people")
        conn.execute(insert(staff_people).values(person_id=person_id, created_at=now, **values))

    return _change(engine, key, clock, apply)


def remove_person(
    engine: Engine, key: Ed25519PrivateKey, person_id: str, *,
    clock: Callable[[], float] = time.time,
) -> IssuedDocument:
    """Remove a person; kiosks stop accepting them once they have the new document."""

    def apply(conn: Connection, _now: float) -> None:
        gone = conn.execute(delete(staff_people).where(staff_people.c.person_id == person_id))
        if gone.rowcount != 1:
            raise StaffError(f"no person with staff number {person_id}")

    return _change(engine, key, clock, apply)


def list_people(engine: Engine) -> list[dict[str, Any]]:
    """Everyone, without their hashes."""
    metadata.create_all(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(staff_people.c.person_id, staff_people.c.name, staff_people.c.role,
                   staff_people.c.updated_at).order_by(staff_people.c.person_id)
        ).fetchall()
    return [dict(r._mapping) for r in rows]


def current_serial(engine: Engine) -> int | None:
    metadata.create_all(engine)
    with engine.connect() as conn:
        return conn.execute(select(func.max(staff_documents.c.serial))).scalar_one_or_none()


# -- command line ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server staff",
                                     description="Personal credentials for hall staff and "
                                     "technicians, delivered to kiosks signed.")
    commands = parser.add_subparsers(dest="action", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        return sub

    add = common(commands.add_parser(
        "add", help="add a person; the PIN is read from a hidden prompt or two lines of stdin"))
    add.add_argument("--id", required=True, dest="person_id", help="staff number (3-12 digits)")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--replace", action="store_true", help="re-issue an existing person")
    remove = common(commands.add_parser("remove", help="remove a person"))
    remove.add_argument("--id", required=True, dest="person_id")
    common(commands.add_parser("list", help="everyone, without PINs or hashes"))
    return parser


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def run_staff_admin(
    argv: list[str], default_url: Callable[[Path], str], stdin: TextIO | None = None
) -> int:
    """``kiosk server staff ...``; 0 on success, 1 if refused, 2 on bad usage."""
    args = _parser().parse_args(argv)
    pin = ""
    if args.action == "add":
        try:
            check_person_id(args.person_id)  # before asking for a PIN that would be wasted
        except StaffDocumentError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
        try:
            pin = read_new_pin(stdin)
        except PinPolicyError as exc:
            sys.stderr.write(f"PIN refused: {exc}\n")
            return 2
    args.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        if args.action == "list":
            for person in list_people(engine):
                sys.stdout.write(f"{person['person_id']}\t{person['role']}\t{person['name']}"
                                 f"\tchanged {_when(person['updated_at'])}\n")
            return 0
        key = load_or_create_catalogue_key(args.data_dir)
        try:
            if args.action == "add":
                issued = add_person(engine, key, args.person_id, args.name, args.role, pin,
                                    replace=args.replace)
                done = f"staff number {args.person_id} ({args.role}) "
                done += "re-issued" if args.replace else "added"
            else:
                issued = remove_person(engine, key, args.person_id)
                done = f"staff number {args.person_id} removed"
        except StaffError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        people = f"{issued.people} {'person' if issued.people == 1 else 'people'}"
        sys.stdout.write(f"{done}; credential list {issued.serial} issued ({people}), "
                         "kiosks take it at their next sync\n")
        return 0
    finally:
        engine.dispose()
