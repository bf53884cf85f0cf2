"""The platform's citizen index: which stored transactions belong to one ID number.

Why it looks like this (docs/records.md):
- the platform holds the sealing key and opens each envelope at ingest anyway (to prove it can
  before it says ``accepted``); while the plaintext is in memory the applicant's ID number is
  hashed with HMAC-SHA256 under the citizen-index key and stored beside the transaction id
  (``citizen_transactions``), and the plaintext is dropped. "My transactions" is then one
  indexed read, with no envelope opened at question time;
- the key is derived from the data directory's lookup secret (HMAC with a fixed label, so it
  is never the same key as the query codes'), so a copy of the database alone cannot tell
  whose transactions it holds: ID numbers are few enough to enumerate, an unkeyed hash would
  name everyone;
- the ID number is normalised (trimmed, ``x`` as ``X``) before hashing, as the kiosk's
  check does, so the card's and a typed number meet;
- a platform run with ``--no-open-envelopes`` cannot index: its citizens find only what their
  own kiosk still holds.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from sync.server.schema import transactions
from sync.server.schema_downlink import status_changes
from sync.server.schema_records import citizen_transactions

__all__ = ["CitizenIndex", "IndexedTransaction", "citizen_index_key"]

_LABEL = b"kiosk citizen index v1"


def citizen_index_key(lookup_key: bytes) -> bytes:
    """The index's own key, derived from the platform's lookup secret."""
    return hmac.new(lookup_key, _LABEL, hashlib.sha256).digest()


@dataclass(frozen=True)
class IndexedTransaction:
    txid: str
    tracking_number: str | None
    service_code: str | None
    status: str
    reason: str | None
    received_at: str
    updated_at: float | None  # Unix seconds of the latest status change


class CitizenIndex:
    """Hashes ID numbers for ingest and answers "my transactions". Thread-safe."""

    def __init__(self, engine: Engine, key: bytes) -> None:
        self.engine = engine
        self._key = key

    def hash_id(self, id_number: str) -> str:
        normal = id_number.strip().upper().encode("utf-8")
        return hmac.new(self._key, normal, hashlib.sha256).hexdigest()

    def transactions_of(self, id_number: str) -> list[IndexedTransaction]:
        """Every indexed transaction of that citizen, newest first, with its latest status."""
        c, t, s = citizen_transactions.c, transactions.c, status_changes.c
        latest = (
            select(s.txid, func.max(s.seq).label("seq")).group_by(s.txid).subquery("latest"))
        query = (
            select(t.id, c.tracking_number, c.service_code, t.status, t.received_at,
                   status_changes.c.reason, status_changes.c.changed_at,
                   status_changes.c.status.label("changed_to"))
            .select_from(citizen_transactions.join(transactions, t.id == c.txid)
                         .outerjoin(latest, latest.c.txid == t.id)
                         .outerjoin(status_changes, s.seq == latest.c.seq))
            .where(c.citizen_hash == self.hash_id(id_number))
            .order_by(t.received_at.desc(), t.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).fetchall()
        found = []
        for row in rows:
            current = row.changed_to == row.status  # the reason belongs to that move only
            found.append(IndexedTransaction(
                txid=row.id, tracking_number=row.tracking_number, service_code=row.service_code,
                status=row.status, reason=row.reason if current else None,
                received_at=row.received_at,
                updated_at=float(row.changed_at) if row.changed_at is not None else None,
            ))
        return found
