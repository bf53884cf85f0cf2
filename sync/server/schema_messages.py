"""Tables of the reference platform for the plain messages: 好差评 ratings and staff calls.

- ``messages``: every message taken, keyed by its id (a rating's id is the transaction id it
  rates), with the hash of its exact body: the idempotency record (duplicate or conflict).
- ``ratings``: one row per rated transaction (the primary key), for the reports by service
  and kiosk and the follow-up of poor ratings.
- ``staff_calls``: one row per call, its state moved forward only (raised -> acknowledged ->
  cleared, or cancelled by the citizen); the first close wins.

Platform times are Unix seconds (float, the injected clock); the kiosk's own times are kept
as the UTC text it sent. On the same metadata as the other tables, so ``create_schema``
creates them on an existing database too.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table

from sync.server.schema import metadata

__all__ = ["message_log", "metadata", "ratings", "staff_calls"]

message_log = Table(
    "messages",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("received_at", Float, nullable=False),
)

ratings = Table(
    "ratings",
    metadata,
    Column("txid", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("service_code", String(64), nullable=False),
    Column("level", Integer, nullable=False),
    Column("reason", String(16), nullable=True),
    Column("rated_at", String(40), nullable=False),  # the kiosk's UTC text
    Column("received_at", Float, nullable=False),
    Column("followed_up_at", Float, nullable=True),
    Column("followed_up_by", String(12), nullable=True),  # staff number
    Index("ix_ratings_service_kiosk", "service_code", "kiosk_id"),
    Index("ix_ratings_level", "level"),
)

staff_calls = Table(
    "staff_calls",
    metadata,
    Column("call_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("raised_at", String(40), nullable=False),  # the kiosk's UTC text
    Column("step", String(32), nullable=True),
    Column("service_code", String(64), nullable=True),
    Column("received_at", Float, nullable=False),
    Column("acknowledged_at", Float, nullable=True),
    Column("acknowledged_by", String(12), nullable=True),
    Column("closed_at", Float, nullable=True),
    Column("closed_by", String(12), nullable=True),  # "citizen" or a staff number
    Column("closed_where", String(16), nullable=True),  # kiosk | platform
    Column("updated_at", Float, nullable=False),
    Index("ix_staff_calls_state", "state"),
)
