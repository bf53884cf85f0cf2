"""The citizen's status lookup: a tracking number and the query code from the same receipt.

Why it looks like this (docs/tracking-lookup.md):
- tracking numbers are enumerable (kiosk code, date, a daily sequence from 1, a public check
  digit), so a number alone opens nothing: the lookup needs the receipt's query code (random
  digits), which the platform keeps only as HMAC-SHA256 under its lookup secret, bound to the
  tracking number, so a copy of the database discloses no code;
- each tracking number takes at most ``max_failures`` wrong codes, counted in the database so
  every server process sees one count. An attempt is counted *before* its code is compared and
  given back when the code was right, so guesses sent side by side cannot slip past the limit;
- a wrong code, an unknown number, a locked number and a record that has no code all get the
  same answer (None here, one fixed 404 at the route), after the same work: one counted
  attempt, one HMAC, one comparison;
- an answer is coarse: the status and the (UTC) date of its last change, no time of day.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sync.server.schema import tracking_lookups, transactions
from sync.server.schema_downlink import status_changes

__all__ = [
    "MAX_FAILURES",
    "StatusLookup",
    "TrackingAnswer",
    "is_query_code",
    "query_code_hash",
    "unlock_tracking",
]

MAX_FAILURES = 5
_QUERY_CODE = re.compile(r"[0-9]{6,16}")
# The kiosk's form (kiosk.tracking.numbers), checked whole: anything else is never counted or
# looked up.
_TRACKING = re.compile(r"[A-Z][0-9]{4}-[0-9]{8}-[0-9]{4}-[0-9]")
# Compared against when there is no stored hash, so that path costs what a real one costs.
_NO_HASH = "0" * 64


def is_query_code(text: object) -> bool:
    """6 to 16 ASCII digits (kiosks print 8)."""
    return isinstance(text, str) and _QUERY_CODE.fullmatch(text) is not None


def query_code_hash(key: bytes, tracking_number: str, code: str) -> str:
    """HMAC-SHA256 hex of the code, bound to its tracking number."""
    message = f"{tracking_number}\n{code}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class TrackingAnswer:
    tracking_number: str
    status: str
    updated_on: str  # YYYY-MM-DD (UTC) of the latest status


@dataclass(frozen=True)
class _Found:
    status: str
    received_at: str
    code_hash: str | None
    changed_at: float | None


class StatusLookup:
    """Answers tracking lookups over the platform database. Thread-safe."""

    def __init__(
        self,
        engine: Engine,
        key: bytes,
        *,
        clock: Callable[[], float] = time.time,
        max_failures: int = MAX_FAILURES,
    ) -> None:
        if len(key) < 16:
            raise ValueError("the lookup key must be at least 16 bytes")
        self.engine = engine
        self._key = key
        self.clock = clock
        self.max_failures = max_failures
        dialect_insert = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert
        upsert = dialect_insert(tracking_lookups)
        self._count = upsert.on_conflict_do_update(
            index_elements=[tracking_lookups.c.tracking_number],
            set_={
                "attempts": tracking_lookups.c.attempts + 1,
                "last_attempt_at": upsert.excluded.last_attempt_at,
            },
        ).returning(tracking_lookups.c.attempts)

    def hash_code(self, tracking_number: str, code: str) -> str:
        """What ingest stores for a record's query code."""
        return query_code_hash(self._key, tracking_number, code)

    def look_up(self, tracking_number: str, code: str | None) -> TrackingAnswer | None:
        """The coarse status, or None: unknown, wrong code, locked or no code on record."""
        if _TRACKING.fullmatch(tracking_number) is None or not is_query_code(code):
            return None  # not a guess at any record: nothing to count
        assert code is not None
        attempt = self._count_attempt(tracking_number)
        found = self._find(tracking_number)
        stored = found.code_hash if found is not None and found.code_hash else None
        matches = hmac.compare_digest(self.hash_code(tracking_number, code), stored or _NO_HASH)
        if found is None or stored is None or not matches or attempt > self.max_failures:
            return None
        self._give_back(tracking_number)
        return TrackingAnswer(tracking_number, found.status, _day(found))

    def attempts(self, tracking_number: str) -> int:
        """Attempts counted against a number (wrong codes, and any in flight)."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(tracking_lookups.c.attempts).where(
                    tracking_lookups.c.tracking_number == tracking_number
                )
            ).scalar()
        return int(value or 0)

    def _count_attempt(self, tracking_number: str) -> int:
        with self.engine.begin() as conn:
            row = {
                "tracking_number": tracking_number,
                "attempts": 1,
                "last_attempt_at": float(self.clock()),
            }
            return int(conn.execute(self._count, row).scalar_one())

    def _give_back(self, tracking_number: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(tracking_lookups)
                .where(
                    tracking_lookups.c.tracking_number == tracking_number,
                    tracking_lookups.c.attempts > 0,
                )
                .values(attempts=tracking_lookups.c.attempts - 1)
            )

    def _find(self, tracking_number: str) -> _Found | None:
        last_change = (
            select(func.max(status_changes.c.changed_at))
            .where(status_changes.c.txid == transactions.c.id)
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    transactions.c.status,
                    transactions.c.received_at,
                    transactions.c.query_code_hash,
                    last_change.label("changed_at"),
                )
                .where(transactions.c.tracking_number == tracking_number)
                .order_by(transactions.c.received_at.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return _Found(row.status, row.received_at, row.query_code_hash, row.changed_at)


def _day(found: _Found) -> str:
    if found.changed_at is not None:
        return datetime.fromtimestamp(found.changed_at, UTC).date().isoformat()
    return datetime.fromisoformat(found.received_at).astimezone(UTC).date().isoformat()


def unlock_tracking(engine: Engine, tracking_number: str) -> bool:
    """An operator's word, after checking the citizen at the counter: count from zero again.

    False when no attempt was ever counted against that number.
    """
    with engine.begin() as conn:
        changed = conn.execute(
            update(tracking_lookups)
            .where(tracking_lookups.c.tracking_number == tracking_number)
            .values(attempts=0)
        ).rowcount
    return bool(changed)
