"""Tables of the reference platform for queue numbers (取号), on the one shared metadata.

- ``queue_halls``: one row per hall (site code) and the IANA time zone its days are counted
  in; the first kiosk of a hall to ask sets it, an operator may change it.
- ``queue_counters``: the last number given per hall, window queue and local day, with the
  queue's letter prefix for that day. A number is taken with one
  ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, atomic on SQLite and PostgreSQL.
- ``queue_tickets``: one row per ticket, keyed by the kiosk's request id (the idempotency
  record: a retry reads the ticket back instead of taking a number), with its state
  (``waiting`` until staff call it).

Platform times are Unix seconds (float, the injected clock).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, PrimaryKeyConstraint, String, Table

from sync.server.schema import metadata

__all__ = ["metadata", "queue_counters", "queue_halls", "queue_tickets"]

queue_halls = Table(
    "queue_halls",
    metadata,
    Column("site_code", String(64), primary_key=True),
    Column("timezone", String(64), nullable=False),
    Column("registered_at", Float, nullable=False),
    Column("registered_by", String(64), nullable=False),  # the kiosk, or "operator"
)

queue_counters = Table(
    "queue_counters",
    metadata,
    Column("site_code", String(64), nullable=False),
    Column("window_key", String(40), nullable=False),
    Column("day", String(10), nullable=False),  # YYYY-MM-DD in the hall's time zone
    Column("prefix", String(2), nullable=False),
    Column("last_number", Integer, nullable=False),
    PrimaryKeyConstraint("site_code", "window_key", "day"),
)

queue_tickets = Table(
    "queue_tickets",
    metadata,
    Column("request_id", String(64), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("site_code", String(64), nullable=False),
    Column("window_key", String(40), nullable=False),
    Column("day", String(10), nullable=False),
    Column("prefix", String(2), nullable=False),
    Column("number", Integer, nullable=False),
    Column("ticket", String(16), nullable=False),
    Column("service_code", String(64), nullable=False),
    Column("issued_at", Float, nullable=False),
    Column("state", String(16), nullable=False),  # waiting | called
    Column("called_at", Float, nullable=True),
    Column("called_to", String(32), nullable=True),  # the window staff named, if any
    Index("ix_queue_tickets_queue", "site_code", "window_key", "day", "number", unique=True),
)
