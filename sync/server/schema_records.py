"""The citizen index of the reference platform, on the same metadata as the other tables.

- ``citizen_transactions``: one row per stored transaction whose envelope the platform opened
  at ingest, keyed by the transaction id, with ``citizen_hash``: HMAC-SHA256 of the applicant's
  ID number under the platform's citizen-index key (derived from its lookup secret), so "my
  transactions" is one indexed read and a copy of the database names nobody. The service code
  and tracking number come from the envelope's readable metadata.

``status_changes.reason`` (:mod:`sync.server.schema_downlink`) keeps why an application was
rejected. Both were added after the first release: ``create_schema`` adds the table, and the
nullable column, to an existing database on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table

from sync.server.schema import metadata

__all__ = ["citizen_transactions", "metadata"]

citizen_transactions = Table(
    "citizen_transactions",
    metadata,
    Column("txid", String(64), primary_key=True),
    Column("citizen_hash", String(64), nullable=False, index=True),
    Column("service_code", String(64), nullable=True),
    Column("tracking_number", String(64), nullable=True),
)
