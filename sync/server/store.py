"""Transaction storage for the reference platform (SQLAlchemy Core).

Idempotency lives in the database: the transaction id is the primary key. A batch is stored
in one transaction: its new rows go in with ``INSERT ... ON CONFLICT (id) DO NOTHING
RETURNING id``, and the ids the database did not take are read back in the same transaction
to say ``duplicate`` (same hash) or ``conflict``. A race between server processes inserting
the same id is settled by the unique key: on PostgreSQL the losing insert waits for the
winner's commit and then skips the row; on SQLite the batch holds the write lock
(``BEGIN IMMEDIATE``) from its first statement. Rows are inserted in id order, so two
PostgreSQL batches that share ids lock them in the same order and cannot deadlock (a
deadlock or serialization failure from elsewhere is retried a bounded number of times).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from sync.server.db import create_schema, make_engine
from sync.server.schema import metadata, transactions
from sync.server.schema_operators import operators as _operators  # noqa: F401  (its tables)
from sync.server.schema_records import citizen_transactions

__all__ = [
    "IngestItem",
    "IngestVerdict",
    "StoredTransaction",
    "TransactionStore",
    "make_engine",
    "metadata",
    "transactions",
]

IngestVerdict = Literal["accepted", "duplicate", "conflict"]

# Ids per SELECT ... IN (...) when reading back the hashes of ids the insert skipped.
SELECT_CHUNK = 500
RETRIES = 3
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


@dataclass(frozen=True)
class StoredTransaction:
    id: str
    status: str
    received_at: str


@dataclass(frozen=True)
class IngestItem:
    """One envelope to store: its id, payload hash and bytes (already checked by the caller)."""

    txid: str
    digest: str
    envelope: bytes
    tracking_number: str | None = None
    query_code_hash: str | None = None  # keyed hash of the receipt's query code
    # Keyed hash of the applicant's ID number (from the opened envelope) and the service: the
    # citizen index behind "my transactions" (sync/server/citizen_index.py).
    citizen_hash: str | None = None
    service_code: str | None = None
    identified_by: str | None = None  # card kind, electronic_code or typed_number
    assisted_by: str | None = None  # the staff member who confirmed a typed ID number

    def __repr__(self) -> str:  # the envelope is opaque but needs no place in logs
        return f"IngestItem({self.txid!r}, {self.digest[:12]}…, {len(self.envelope)}B)"


class TransactionStore:
    """Insert-once storage of sealed envelopes keyed by transaction id. Thread-safe.

    ``clock`` (Unix seconds) stamps ``received_at``; tests inject it.
    """

    def __init__(
        self,
        database_url: str,
        *,
        engine: Engine | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine if engine is not None else make_engine(database_url)
        self.clock = clock
        self._sqlite = self.engine.dialect.name == "sqlite"
        dialect_insert = sqlite.insert if self._sqlite else postgresql.insert
        # executemany with RETURNING: SQLAlchemy sends multi-row VALUES ("insertmanyvalues")
        # from one cached compiled statement.
        self._index_statement = dialect_insert(citizen_transactions).on_conflict_do_nothing(
            index_elements=[citizen_transactions.c.txid])
        self._insert_statement = (
            dialect_insert(transactions)
            .on_conflict_do_nothing(index_elements=[transactions.c.id])
            .returning(transactions.c.id)
        )
        # Every table of the platform; missing ones added, under a lock across processes.
        create_schema(self.engine, metadata)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def ingest(
        self,
        txid: str,
        kiosk_id: str,
        digest: str,
        envelope: bytes,
        tracking_number: str | None = None,
    ) -> IngestVerdict:
        """Store once; return ``accepted``, ``duplicate`` (same hash) or ``conflict``."""
        return self.ingest_many(kiosk_id, [IngestItem(txid, digest, envelope, tracking_number)])[0]

    def ingest_many(self, kiosk_id: str, items: Sequence[IngestItem]) -> list[IngestVerdict]:
        """Store a batch in one transaction; one verdict per item, in order.

        An id repeated inside the batch is judged against its first occurrence, exactly as
        if the items had come in separate requests.
        """
        if not items:
            return []
        for attempt in range(RETRIES):
            try:
                with self.engine.begin() as conn:
                    return self._ingest_in(conn, kiosk_id, items)
            except OperationalError as exc:
                sqlstate = getattr(exc.orig, "sqlstate", None)
                if sqlstate not in _RETRYABLE_SQLSTATES or attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _ingest_in(
        self, conn: Connection, kiosk_id: str, items: Sequence[IngestItem]
    ) -> list[IngestVerdict]:
        if self._sqlite:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock before anything is read
        received_at = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="microseconds")
        first: dict[str, IngestItem] = {}
        first_index: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.txid not in first:
                first[item.txid], first_index[item.txid] = item, index
        rows = [
            {
                "id": item.txid,
                "kiosk_id": kiosk_id,
                "payload_hash": item.digest,
                "envelope": item.envelope,
                "tracking_number": item.tracking_number,
                "query_code_hash": item.query_code_hash,
                "identified_by": item.identified_by,
                "assisted_by": item.assisted_by,
                "received_at": received_at,
            }
            for _, item in sorted(first.items())
        ]
        inserted: set[str] = set()
        inserted.update(conn.execute(self._insert_statement, rows).scalars())
        indexed = [
            {"txid": txid, "citizen_hash": first[txid].citizen_hash,
             "service_code": first[txid].service_code,
             "tracking_number": first[txid].tracking_number}
            for txid in sorted(inserted) if first[txid].citizen_hash is not None
        ]
        if indexed:  # in the same transaction: an accepted record is always findable
            conn.execute(self._index_statement, indexed)
        stored = {txid: first[txid].digest for txid in inserted}
        stored.update(self._hashes(conn, [txid for txid in first if txid not in inserted]))
        verdicts: list[IngestVerdict] = []
        for index, item in enumerate(items):
            if item.txid not in stored:  # the key refused it, yet no row: not ours to judge
                raise RuntimeError("insert skipped without an existing row")
            if item.txid in inserted and first_index[item.txid] == index:
                verdicts.append("accepted")
            elif stored[item.txid] == item.digest:
                verdicts.append("duplicate")
            else:
                verdicts.append("conflict")
        return verdicts

    @staticmethod
    def _hashes(conn: Connection, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), SELECT_CHUNK):
            chunk = ids[start : start + SELECT_CHUNK]
            rows = conn.execute(
                select(transactions.c.id, transactions.c.payload_hash).where(
                    transactions.c.id.in_(chunk)
                )
            )
            found.update({row.id: row.payload_hash for row in rows})
        return found

    def get(self, txid: str) -> StoredTransaction | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(transactions.c.id, transactions.c.status, transactions.c.received_at).where(
                    transactions.c.id == txid
                )
            ).first()
        return None if row is None else StoredTransaction(row.id, row.status, row.received_at)

    def find_by_tracking(self, tracking_number: str) -> StoredTransaction | None:
        """The latest transaction carrying this tracking number, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(transactions.c.id, transactions.c.status, transactions.c.received_at)
                .where(transactions.c.tracking_number == tracking_number)
                .order_by(transactions.c.received_at.desc())
                .limit(1)
            ).first()
        return None if row is None else StoredTransaction(row.id, row.status, row.received_at)

    def stored_hashes(self, txids: Sequence[str]) -> dict[str, str]:
        """Payload hash of each stored id among ``txids`` (operators, tests, reconciliation)."""
        with self.engine.connect() as conn:
            return self._hashes(conn, list(dict.fromkeys(txids)))

    def count(self) -> int:
        """How many transactions are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM transactions")).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"TransactionStore({self.engine.url.render_as_string(hide_password=True)!r})"
