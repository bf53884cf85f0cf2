"""Tables of the reference platform for electronic card codes, on the one shared metadata.

``ecodes``: one row per code issued, keyed by its random code id. It holds the identity the
code stands for until the code is resolved (then the identity is dropped: the row stays as the
record that the code was used, by which kiosk and when, so a second use is a replay) or has
expired. Times are Unix seconds (float, the injected clock).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, String, Table, Text

from sync.server.schema import metadata

__all__ = ["ecodes", "metadata"]

ecodes = Table(
    "ecodes",
    metadata,
    Column("code_id", String(32), primary_key=True),
    Column("code_kind", String(32), nullable=False),
    Column("identity", Text, nullable=True),  # JSON; NULL once resolved
    Column("issued_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
    Column("resolved_at", Float, nullable=True),
    Column("resolved_by", String(64), nullable=True),  # the kiosk that resolved it
)
