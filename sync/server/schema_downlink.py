"""Downlink tables of the reference platform, on the same metadata as :mod:`sync.server.schema`.

- ``catalogs``: every published catalogue, the exact bytes and their Ed25519 signature; the
  row with the highest id is the one served.
- ``status_changes``: one row per status move of a transaction, numbered by ``seq``. Numbers
  come from the single-row ``status_sequence`` counter, incremented inside the same database
  transaction as the insert: the row lock makes writers take numbers in commit order, so a
  reader paging by ``seq > cursor`` can never skip a number that commits later (which an
  autoincrement column allows on PostgreSQL under concurrent writers).
- ``heartbeats``: the latest heartbeat of each kiosk.

Times are Unix seconds (float) from the injected clock, like the kiosk tables.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, LargeBinary, String, Table, Text

from sync.server.schema import metadata

__all__ = ["catalogs", "heartbeats", "metadata", "status_changes", "status_sequence"]

catalogs = Table(
    "catalogs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("body", LargeBinary, nullable=False),
    Column("signature", String(128), nullable=False),  # base64 Ed25519 over the exact body
    Column("key_id", String(16), nullable=False),
    Column("published_at", Float, nullable=False),
)

status_sequence = Table(
    "status_sequence",
    metadata,
    Column("name", String(16), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

status_changes = Table(
    "status_changes",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("txid", String(64), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("previous", String(32), nullable=False),
    Column("changed_at", Float, nullable=False),
    # Why, for a move to ``rejected`` (the citizen reads it under 我的办件); NULL otherwise.
    Column("reason", Text, nullable=True),
    Index("ix_status_changes_kiosk_seq", "kiosk_id", "seq"),
)

heartbeats = Table(
    "heartbeats",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("received_at", Float, nullable=False),  # platform clock
    Column("kiosk_clock", Float, nullable=False),  # the kiosk's clock as it reported it
    Column("version", String(64), nullable=False),
    Column("document", Text, nullable=False),  # the heartbeat as JSON (no personal data)
)
