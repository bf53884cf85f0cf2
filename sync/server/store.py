"""Transaction storage for the reference platform (SQLAlchemy Core).

Idempotency lives in the database: the transaction id is the primary key, so a race
between two server processes inserting the same id is settled by the unique constraint,
and the loser reads back the winner's hash to say ``duplicate`` or ``conflict``.
SQLite is the embedded default; PostgreSQL works through the same Core statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from sync.server.schema import metadata, transactions

__all__ = ["StoredTransaction", "TransactionStore", "make_engine", "metadata", "transactions"]

IngestVerdict = Literal["accepted", "duplicate", "conflict"]


@dataclass(frozen=True)
class StoredTransaction:
    id: str
    status: str
    received_at: str


def make_engine(database_url: str) -> Engine:
    """An engine with the settings each backend needs (SQLite: WAL, busy timeout, threads)."""
    if database_url.startswith("sqlite"):
        memory = database_url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 10},
            # One shared connection, or every thread would see its own empty database.
            poolclass=StaticPool if memory else None,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


class TransactionStore:
    """Insert-once storage of sealed envelopes keyed by transaction id."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        metadata.create_all(self.engine)  # every table of the platform, missing ones added

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
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(transactions).values(
                        id=txid,
                        kiosk_id=kiosk_id,
                        payload_hash=digest,
                        envelope=envelope,
                        tracking_number=tracking_number,
                        received_at=datetime.now(UTC).isoformat(timespec="microseconds"),
                    )
                )
            return "accepted"
        except IntegrityError:
            pass
        with self.engine.connect() as conn:
            existing = conn.execute(
                select(transactions.c.payload_hash).where(transactions.c.id == txid)
            ).scalar_one_or_none()
        if existing is None:  # constraint failed for another reason
            raise RuntimeError("insert failed without an existing row")
        return "duplicate" if existing == digest else "conflict"

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

    def dispose(self) -> None:
        self.engine.dispose()
