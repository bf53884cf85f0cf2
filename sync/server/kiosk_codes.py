"""Which kiosk may issue which tracking numbers: the kiosk code each kiosk id is bound to.

A tracking number (``K0451-20261121-0042-7``) starts with the code of the kiosk that made it,
and the citizen-facing lookup answers by tracking number, so the platform must not take a
record carrying another kiosk's number. The rule (docs/kiosk-codes.md):

- the operator binds a code to a kiosk id (``kiosk server token --code`` or
  ``kiosk server assign-code``); a code belongs to one kiosk id, a kiosk id has one code;
- a signed upload's tracking numbers must carry the signing kiosk's code: any other code is
  ``rejected`` item by item; a kiosk with no code on record has its tracked uploads refused
  as a whole (:class:`KioskCodeMissingError`, HTTP 403) so its records wait, unharmed, until
  the operator records the code;
- an unsigned upload (the ``--allow-unsigned`` transition) proves no sender, so only what the
  platform knows is enforced: a code bound to another kiosk id is rejected.

The tracking-number form mirrors ``kiosk.tracking.numbers`` (the platform cannot import the kiosk).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, or_, select
from sqlalchemy.exc import IntegrityError

from sync.server.schema import kiosk_codes

__all__ = [
    "KIOSK_CODE_MISSING",
    "KioskCodeError",
    "KioskCodeMissingError",
    "KioskCodes",
    "is_valid_kiosk_code",
    "tracking_kiosk_code",
]

KIOSK_CODE_MISSING = "kiosk_code_missing"
RACED = "another assignment of this kiosk or code happened at the same moment; try again"
_CODE = re.compile(r"^[A-Z]\d{4}$")
_TRACKING = re.compile(r"^([A-Z]\d{4})-\d{8}-\d{4}-\d$")


def is_valid_kiosk_code(code: str) -> bool:
    """One capital letter and four digits, as ``kiosk.tracking.numbers`` makes them."""
    return bool(_CODE.match(code))


def tracking_kiosk_code(tracking_number: str) -> str | None:
    """The kiosk code a tracking number starts with; None if it is not of the kiosk's form."""
    match = _TRACKING.match(tracking_number)
    return match.group(1) if match else None


class KioskCodeError(Exception):
    """An operator's code assignment was refused (the message says why)."""


class KioskCodeMissingError(Exception):
    """A signed kiosk uploaded tracked records, but the platform has no code on record for it."""


@dataclass(frozen=True)
class CodeBinding:
    kiosk_id: str
    kiosk_code: str
    assigned_at: float


class KioskCodes:
    """Kiosk id to kiosk code bindings in the platform database. Thread-safe."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    def assign(self, kiosk_id: str, code: str, *, replace: bool = False) -> bool:
        """Bind ``code`` to ``kiosk_id``; True if that changed anything. KioskCodeError if the
        code belongs to another kiosk or the kiosk has another code (unless ``replace``)."""
        try:
            with self.engine.begin() as conn:
                return self.assign_in(conn, kiosk_id, code, replace=replace)
        except IntegrityError as exc:
            raise KioskCodeError(RACED) from exc

    def assign_in(
        self, conn: Connection, kiosk_id: str, code: str, *, replace: bool = False
    ) -> bool:
        """:meth:`assign` inside the caller's transaction (token issue binds and issues at once)."""
        if not is_valid_kiosk_code(code):
            raise KioskCodeError("a kiosk code is one capital letter and four digits, e.g. K0451")
        rows = conn.execute(
            select(kiosk_codes).where(
                or_(kiosk_codes.c.kiosk_code == code, kiosk_codes.c.kiosk_id == kiosk_id)
            )
        ).fetchall()
        if any(row.kiosk_id == kiosk_id and row.kiosk_code == code for row in rows):
            return False
        for row in rows:
            if row.kiosk_code == code and not replace:
                raise KioskCodeError(
                    f"kiosk code {code} belongs to kiosk {row.kiosk_id}; "
                    "pass --replace to move it to this kiosk"
                )
            if row.kiosk_id == kiosk_id and not replace:
                raise KioskCodeError(
                    f"kiosk {kiosk_id} has kiosk code {row.kiosk_code}; "
                    "pass --replace to change it (its queued records keep the old code)"
                )
        if rows:
            conn.execute(
                delete(kiosk_codes).where(
                    or_(kiosk_codes.c.kiosk_code == code, kiosk_codes.c.kiosk_id == kiosk_id)
                )
            )
        # A concurrent assignment of the same code or kiosk loses on the unique keys: the
        # caller's transaction fails with IntegrityError (see :data:`RACED`).
        conn.execute(
            insert(kiosk_codes).values(kiosk_code=code, kiosk_id=kiosk_id, assigned_at=self.clock())
        )
        return True

    def code_of(self, kiosk_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(kiosk_codes.c.kiosk_code).where(kiosk_codes.c.kiosk_id == kiosk_id)
            ).scalar_one_or_none()

    def owners(self, codes: Iterable[str]) -> dict[str, str]:
        """Kiosk id bound to each of ``codes`` that is bound at all."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(kiosk_codes.c.kiosk_code, kiosk_codes.c.kiosk_id).where(
                    kiosk_codes.c.kiosk_code.in_(wanted)
                )
            )
            return {row.kiosk_code: row.kiosk_id for row in rows}

    def bindings(self) -> dict[str, str]:
        """Every kiosk id with a code, and its code."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(kiosk_codes.c.kiosk_id, kiosk_codes.c.kiosk_code))
            return {row.kiosk_id: row.kiosk_code for row in rows}

    # -- the ingest rule -----------------------------------------------------------------------

    def refusals(
        self, sender: str, tracking_numbers: Iterable[str], *, authenticated: bool
    ) -> dict[str, str]:
        """Why each refused tracking number may not come from ``sender`` (absent: allowed).

        Raises KioskCodeMissingError for an authenticated sender with no code on record.
        """
        numbers = sorted(set(tracking_numbers))
        if not numbers:
            return {}
        codes = {number: tracking_kiosk_code(number) for number in numbers}
        own = self.code_of(sender)
        if authenticated and own is None:
            raise KioskCodeMissingError(
                f"the platform has no kiosk code on record for kiosk {sender}, so it cannot "
                "take its tracking numbers; the operator records it with "
                "kiosk server assign-code (records wait meanwhile)"
            )
        owners = self.owners(code for code in codes.values() if code is not None)
        refused: dict[str, str] = {}
        for number, code in codes.items():
            if code is None:
                refused[number] = "tracking number is not of the form K0451-YYYYMMDD-NNNN-C"
            elif own is not None and code != own:
                refused[number] = (
                    f"tracking number carries kiosk code {code}, but kiosk {sender} "
                    f"has kiosk code {own}"
                )
            elif owners.get(code, sender) != sender:
                refused[number] = f"tracking number carries kiosk code {code} of another kiosk"
        return refused
